//! `kefu-lint check`: read the inputs, check every reply, render the findings.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kefu_lint::{Applicability, Linter, Severity};

use crate::args::CheckArgs;
use crate::baseline::{self, Baseline, fingerprint};
use crate::config::{self, Config};
use crate::fix;
use crate::read::{self, Options, ReadError};
use crate::render::{Located, Renderer};
use crate::walk;

/// Counts for the closing summary.
#[derive(Default)]
struct Tally {
    replies: usize,
    inputs: usize,
    unreadable: usize,
    bad_rows: usize,
    in_baseline: usize,
    fixed: usize,
    fixed_inputs: usize,
    by_severity: [usize; 3],
    by_rule: BTreeMap<(String, String, Severity), usize>,
}

impl Tally {
    fn worst(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|&s| self.by_severity[s as usize] > 0)
    }

    fn summary(&self, diff: bool) -> String {
        if diff {
            return format!(
                "Would fix {} in {}.",
                count(self.fixed, "finding"),
                count(self.fixed_inputs, "input")
            );
        }
        let [info, warnings, errors] = self.by_severity;
        let found = if errors + warnings + info == 0 {
            "No findings".to_owned()
        } else {
            format!(
                "Found {}, {}, {}",
                count(errors, "error"),
                count(warnings, "warning"),
                count(info, "info")
            )
        };
        let mut line = format!(
            "{found} in {} from {}",
            count(self.replies, "reply"),
            count(self.inputs, "input")
        );
        if self.fixed > 0 {
            line += &format!(
                "; fixed {} in {}",
                count(self.fixed, "finding"),
                count(self.fixed_inputs, "input")
            );
        }
        if self.in_baseline > 0 {
            line += &format!("; {} in the baseline not shown", count(self.in_baseline, "finding"));
        }
        if self.bad_rows > 0 {
            line += &format!("; {} could not be read", count(self.bad_rows, "row"));
        }
        if self.unreadable > 0 {
            line += &format!("; {} could not be read", count(self.unreadable, "input"));
        }
        line + "."
    }

    /// The `--statistics` table: findings per rule, most first.
    fn statistics(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut rows: Vec<_> = self.by_rule.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        for ((id, name, severity), n) in rows {
            writeln!(out, "{n:>7}  {id}  {severity:<7}  {name}")?;
        }
        Ok(())
    }
}

/// `n` and a noun, plural when `n != 1` (`reply` → `replies`).
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Runs the check; the exit status is 0 (clean), 1 (findings at or above
/// `--fail-on`) or 2 (an input, or a row of one, could not be read).
pub fn run(args: CheckArgs) -> io::Result<ExitCode> {
    let config_path = match (&args.config, args.no_config) {
        (Some(path), _) => Some(path.clone()),
        (None, false) => std::env::current_dir().ok().and_then(|d| config::discover(&d)),
        (None, true) => None,
    };
    let mut config = match config_path.as_deref().map(Config::load).transpose() {
        Ok(config) => config.unwrap_or_else(Config::builtin),
        Err(e) => {
            crate::report_error(&e);
            return Ok(ExitCode::from(2));
        }
    };
    let mode = args.mode.map(kefu_lint::Mode::from);
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(crate::args::FailOn::Warning);
    let base = config.linter_for(None, mode);
    let mut baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut recorded = Vec::new();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    let (files, walk_errors) = walk::expand(&paths, &args.globs, args.input_format.is_some());
    let options = Options {
        format: args.input_format,
        column: args.column.clone(),
        field: args.field.clone(),
        role_field: args.role_field.clone(),
        agent_roles: args.agent_roles.clone(),
        sheet: args.sheet.clone(),
        encoding: args.encoding,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut renderer = Renderer::new(args.format);
    let mut tally = Tally::default();
    for error in &walk_errors {
        eprintln!("error: {error}");
        tally.unreadable += 1;
    }
    let render = !args.statistics && !args.diff;
    if render {
        renderer.begin(&mut out, base.rules())?;
    }
    for path in &files {
        let mut doc = match read::read(path, &options) {
            Ok(doc) => doc,
            Err(ReadError::Skipped(why)) => {
                eprintln!("note: {}: {why}", path.display());
                continue;
            }
            Err(ReadError::Failed(why)) => {
                out.flush()?;
                eprintln!("error: {}: {why}", path.display());
                tally.unreadable += 1;
                continue;
            }
        };
        if let Some(note) = doc.decoded.as_ref().and_then(|d| d.note.as_ref()) {
            eprintln!("note: {}: {note}", doc.name);
        }
        for problem in &doc.problems {
            eprintln!("error: {}:{}: {}", doc.name, problem.line, problem.message);
        }
        tally.bad_rows += doc.problems.len();
        tally.inputs += 1;
        let linter = config.linter_for(doc.path.as_deref(), mode);
        if args.fix || args.diff {
            let up_to = if args.unsafe_fixes {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            match apply_fixes(&mut doc, &linter, up_to, &args, &mut out) {
                Ok(applied) if applied > 0 => {
                    tally.fixed += applied;
                    tally.fixed_inputs += 1;
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("error: {}: {e}", doc.name);
                    tally.unreadable += 1;
                }
            }
            if args.diff {
                continue;
            }
        }
        for record in &doc.records {
            tally.replies += 1;
            let findings = linter.check(&record.text);
            for (i, finding) in findings.iter().enumerate() {
                let occurrence = findings[..i]
                    .iter()
                    .filter(|f| f.rule == finding.rule && f.matched == finding.matched)
                    .count();
                let fp = fingerprint(&doc.name, &finding.rule, &record.text, &finding.matched, occurrence);
                if args.write_baseline.is_some() {
                    recorded.push(baseline::Entry {
                        fingerprint: format!("{fp:016x}"),
                        path: doc.name.clone(),
                        rule: finding.rule.to_string(),
                        matched: finding.matched.clone(),
                    });
                }
                if baseline.as_mut().is_some_and(|b| b.covers(fp)) {
                    tally.in_baseline += 1;
                    continue;
                }
                tally.by_severity[finding.severity as usize] += 1;
                *tally
                    .by_rule
                    .entry((finding.rule.to_string(), finding.name.to_string(), finding.severity))
                    .or_default() += 1;
                if render {
                    let at = Located {
                        path: &doc.name,
                        record,
                        finding,
                        fingerprint: fp,
                    };
                    renderer.finding(&mut out, &at, base.rules())?;
                }
            }
        }
    }
    if args.statistics {
        tally.statistics(&mut out)?;
    } else if render {
        renderer.end(&mut out)?;
    }
    out.flush()?;
    if let Some(path) = &args.write_baseline {
        let n = recorded.len();
        if let Err(e) = baseline::write(path, recorded) {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
        eprintln!("Wrote {} to the baseline {}.", count(n, "finding"), path.display());
    }
    eprintln!("{}", tally.summary(args.diff));
    let code = if tally.unreadable + tally.bad_rows > 0 {
        2
    } else if args.diff {
        u8::from(tally.fixed > 0)
    } else if tally.worst().is_some_and(|w| w >= Severity::from(fail_on)) {
        1
    } else {
        0
    };
    Ok(ExitCode::from(code))
}

/// Fixes one document: prints its diff (`--diff`) or writes it (`--fix`).
/// Returns how many fixes were applied.
fn apply_fixes(
    doc: &mut read::Document,
    linter: &Linter,
    up_to: Applicability,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<usize, String> {
    let originals: Vec<String> = doc.records.iter().map(|r| r.text.clone()).collect();
    let outcome = fix::fix_document(doc, linter, up_to);
    for line in &outcome.skipped {
        eprintln!(
            "note: {}:{line}: has fixes, but the reply is not stored verbatim; fix it by hand",
            doc.name
        );
    }
    if outcome.applied == 0 {
        return Ok(0);
    }
    if args.diff {
        if let (Some(new), Some(decoded)) = (&outcome.new_text, &doc.decoded) {
            out.write_all(fix::diff(&doc.name, &decoded.text, new).as_bytes())
                .map_err(|e| e.to_string())?;
        }
        return Ok(outcome.applied);
    }
    match (&outcome.new_text, doc.format) {
        (_, read::Format::Excel) => match &args.output {
            Some(output) => fix::write_workbook_fixes(doc, &originals, output)?,
            None => return Err("workbooks are never overwritten; give --output FILE.csv for the fixed replies".into()),
        },
        (Some(new), _) => fix::write_document(doc, new)?,
        (None, _) => {}
    }
    Ok(outcome.applied)
}
