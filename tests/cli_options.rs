//! The command line's options and exit statuses, end to end: every row of
//! the README's exit-status table, rule options merged with the
//! configuration, options that would do nothing, `--statistics` as JSON,
//! summaries and `eval`'s word on a file that is not a labelled set.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use support::{check, run, stderr, stdout};

/// A temporary directory with `files` (name, text) in it.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// `(rule, severity)` of every finding of a `--format json` run.
fn rules_and_severities(out: &Output) -> Vec<(String, String)> {
    let findings: Value = serde_json::from_str(&stdout(out)).unwrap();
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_usage_error(out: &Output, part: &str) {
    assert_eq!(code(out), Some(2), "{}", stderr(out));
    assert!(stderr(out).contains(part), "{}", stderr(out));
    assert!(stderr(out).contains("Usage: kefu-lint check"), "{}", stderr(out));
    assert!(stdout(out).is_empty(), "nothing checked: {}", stdout(out));
}

// ---- the exit-status table, row by row ----

#[test]
fn check_exits_0_clean_1_findings_2_unreadable() {
    let dir = dir_with(&[("clean.txt", "亲,您好,请稍等哦\n"), ("bad.txt", "你自己看吧\n")]);
    assert_eq!(code(&check(dir.path(), &["clean.txt"])), Some(0));
    assert_eq!(code(&check(dir.path(), &["bad.txt"])), Some(1));
    // Below --fail-on: 0.
    assert_eq!(
        code(&check(
            dir.path(),
            &["--fail-on", "error", "--select", "KF011", "bad.txt"]
        )),
        Some(0)
    );
    assert_eq!(code(&check(dir.path(), &["missing.txt", "clean.txt"])), Some(2));
    assert_eq!(code(&check(dir.path(), &["--no-such-option"])), Some(2));
    // A bad configuration.
    fs::write(dir.path().join("k.toml"), "selct = []\n").unwrap();
    let out = run(dir.path(), &["check", "--config", "k.toml", "clean.txt"], None);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
}

#[test]
fn check_fix_exits_on_what_remains() {
    // Only a safe fix: once written, nothing remains.
    let dir = dir_with(&[("r.txt", "亲,你好哦\n")]);
    let out = check(dir.path(), &["--fix", "r.txt"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(dir.path().join("r.txt")).unwrap(), "亲,您好哦\n");
    // A finding with no safe fix remains: 1.
    fs::write(dir.path().join("r.txt"), "你自己看吧\n").unwrap();
    assert_eq!(code(&check(dir.path(), &["--fix", "r.txt"])), Some(1));
    // A fix that cannot be written (standard input): 2.
    let out = run(dir.path(), &["check", "--no-config", "--fix", "-"], Some("亲,你好哦\n"));
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
}

#[test]
fn diff_exits_1_when_there_is_something_to_fix_and_writes_nothing() {
    let dir = dir_with(&[("r.txt", "亲,你好哦\n"), ("clean.txt", "亲,您好哦\n")]);
    let out = check(dir.path(), &["--diff", "r.txt"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("+亲,您好哦"), "{}", stdout(&out));
    assert_eq!(fs::read_to_string(dir.path().join("r.txt")).unwrap(), "亲,你好哦\n");
    let out = check(dir.path(), &["--diff", "clean.txt"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_eq!(code(&check(dir.path(), &["--diff", "missing.txt"])), Some(2));
}

#[test]
fn write_baseline_exits_0_with_findings_and_2_when_it_cannot_write() {
    let dir = dir_with(&[("r.txt", "你自己看吧\n")]);
    let out = check(dir.path(), &["--write-baseline", "b.json", "r.txt"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("to the baseline b.json"), "{}", stderr(&out));
    // Then only new findings fail.
    assert_eq!(code(&check(dir.path(), &["--baseline", "b.json", "r.txt"])), Some(0));
    fs::write(dir.path().join("r.txt"), "你自己看吧\n爱买不买\n").unwrap();
    assert_eq!(code(&check(dir.path(), &["--baseline", "b.json", "r.txt"])), Some(1));
    // Both: the baseline is refreshed, and only the new finding is shown.
    let out = check(
        dir.path(),
        &[
            "--format",
            "concise",
            "--baseline",
            "b.json",
            "--write-baseline",
            "b.json",
            "r.txt",
        ],
    );
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("r.txt:2:1: error KF003"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("r.txt:1:"), "{}", stdout(&out));
    assert_eq!(code(&check(dir.path(), &["--baseline", "b.json", "r.txt"])), Some(0));
    // Not written over a file that is not a baseline; an input not read.
    let out = check(dir.path(), &["--write-baseline", "r.txt", "missing.txt"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let out = check(dir.path(), &["--write-baseline", "other.json", "missing.txt"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
}

#[test]
fn rules_and_explain_exit_0_and_2_for_an_unknown_rule() {
    let dir = dir_with(&[]);
    assert_eq!(code(&run(dir.path(), &["rules"], None)), Some(0));
    assert_eq!(code(&run(dir.path(), &["rules", "--markdown"], None)), Some(0));
    assert_eq!(code(&run(dir.path(), &["explain", "KF007"], None)), Some(0));
    let out = run(dir.path(), &["explain", "KF999"], None);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("no rule \"KF999\""), "{}", stderr(&out));
}

#[test]
fn the_rules_table_shows_what_the_nearest_configuration_runs_and_at_what_severity() {
    let row = |table: &str, id: &str| -> Vec<String> {
        let line = table.lines().find(|l| l.starts_with(id)).unwrap_or_default();
        line.split_whitespace().map(str::to_owned).collect()
    };
    let bare = dir_with(&[]);
    let out = run(bare.path(), &["rules"], None);
    assert_eq!(row(&stdout(&out), "KF007")[3], "warning");
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    let dir = dir_with(&[(
        "kefu-lint.toml",
        "ignore = [\"but\", \"KS004\"]\n[severity]\nKF011 = \"error\"\nno-greeting = \"warning\"\n",
    )]);
    let out = run(dir.path(), &["rules"], None);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert_eq!(row(&table, "KF007")[3], "off");
    assert_eq!(row(&table, "KF011")[3], "error");
    assert_eq!(row(&table, "KS003")[3], "warning");
    assert_eq!(row(&table, "KS004")[3], "off");
    assert_eq!(row(&table, "KF001")[3], "error", "untouched rules keep their severity");
    assert!(
        stderr(&out).contains("kefu-lint.toml sets them; off: not run"),
        "{}",
        stderr(&out)
    );
    // Every rule is listed once either way.
    assert_eq!(
        table.lines().count(),
        stdout(&run(bare.path(), &["rules"], None)).lines().count()
    );
    // The catalogue (docs/rules.md) stays the built-in one.
    let markdown = stdout(&run(dir.path(), &["rules", "--markdown"], None));
    assert_eq!(markdown, stdout(&run(bare.path(), &["rules", "--markdown"], None)));
}

#[test]
fn init_writes_once_and_never_overwrites() {
    let dir = dir_with(&[]);
    let out = run(dir.path(), &["init", "--help"], None);
    assert_eq!(code(&out), Some(0));
    assert!(stdout(&out).contains("never overwrites"), "{}", stdout(&out));
    assert_eq!(code(&run(dir.path(), &["init"], None)), Some(0));
    let path = dir.path().join("kefu-lint.toml");
    assert!(fs::read_to_string(&path).unwrap().contains("fail-on"));
    fs::write(&path, "# mine\n").unwrap();
    let out = run(dir.path(), &["init"], None);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("already exists; not overwritten"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "# mine\n");
    // Not even a link to nothing is replaced, nor its target created.
    let other = dir_with(&[]);
    let link = other.path().join("kefu-lint.toml");
    std::os::unix::fs::symlink("elsewhere.toml", &link).unwrap();
    assert_eq!(code(&run(other.path(), &["init"], None)), Some(2));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(!other.path().join("elsewhere.toml").exists());
}

#[test]
fn eval_exits_0_on_target_1_below_2_on_a_file_that_is_not_a_set() {
    let good = r#"{"id": 1, "script": "hans", "text": "我们保证明天到货哦", "expect": [{"family": "over-promise", "text": "保证"}]}"#;
    let missed = r#"{"id": 1, "script": "hans", "text": "好的哦", "expect": [{"family": "but", "text": "好的"}]}"#;
    let dir = dir_with(&[
        ("good.jsonl", good),
        ("missed.jsonl", missed),
        ("empty.jsonl", ""),
        ("table.csv", "id,text\n1,你好\n"),
        ("array.json", &format!("[{good}]\n")),
    ]);
    assert_eq!(code(&run(dir.path(), &["eval", "good.jsonl"], None)), Some(0));
    let out = run(dir.path(), &["eval", "missed.jsonl"], None);
    assert_eq!(code(&out), Some(1));
    assert!(stderr(&out).contains("below target"), "{}", stderr(&out));
    for (file, why) in [
        (
            "empty.jsonl",
            "error: empty.jsonl: no cases: the file is empty; eval reads JSON Lines",
        ),
        (
            "table.csv",
            "error: table.csv: line 1: not a JSON object; eval reads JSON Lines",
        ),
        (
            "array.json",
            "error: array.json: line 1: a JSON array, not a case; eval reads JSON Lines",
        ),
    ] {
        let out = run(dir.path(), &["eval", file], None);
        assert_eq!(code(&out), Some(2), "{file}");
        assert!(stderr(&out).starts_with(why), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(r#"such as {"id": 1, "script": "hans""#),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn eval_of_a_pretty_printed_json_file_says_a_set_is_json_lines() {
    let case = r#"{"id": 1, "script": "hans", "text": "好的哦", "expect": []}"#;
    let dir = dir_with(&[
        // A case spread over lines, as an editor's "format document" writes it.
        (
            "pretty.jsonl",
            "{\n  \"id\": 1,\n  \"script\": \"hans\",\n  \"text\": \"好的哦\",\n  \"expect\": []\n}\n",
        ),
        // A case cut short on line 2 of a set.
        ("cut.jsonl", &format!("{case}\n{{\"id\": 2,\n\"script\": \"hans\"\n")),
    ]);
    let chat = Path::new(support::ROOT).join("examples/qianniu-chat.json");
    for (file, why) in [
        (
            chat.to_str().unwrap(),
            "qianniu-chat.json: not JSON Lines: the file is one JSON document over ",
        ),
        (
            "pretty.jsonl",
            "error: pretty.jsonl: not JSON Lines: the file is one JSON document over 6 lines",
        ),
        (
            "cut.jsonl",
            "error: cut.jsonl: line 2: the case does not end on its line; eval reads JSON Lines, one whole case per line",
        ),
    ] {
        let out = run(dir.path(), &["eval", file], None);
        assert_eq!(code(&out), Some(2), "{file}");
        let err = stderr(&out);
        assert!(err.contains(why), "{err}");
        assert!(!err.contains("EOF while parsing"), "no serde words: {err}");
        assert!(err.contains("one whole case per line"), "{err}");
        assert!(err.contains(r#"such as {"id": 1, "script": "hans""#), "{err}");
    }
}

// ---- summaries ----

#[test]
fn unreadable_inputs_are_counted_alike_whatever_their_format() {
    let dir = dir_with(&[
        ("book.xlsx", "PK\u{3}\u{4} not a workbook"),
        ("table.csv", "x,y\n1,2\n"),
        ("ok.txt", "亲,您好哦\n"),
    ]);
    for bad in ["book.xlsx", "table.csv", "missing.txt"] {
        let out = check(dir.path(), &[bad, "ok.txt"]);
        assert_eq!(code(&out), Some(2), "{bad}");
        assert!(
            stderr(&out).ends_with("No findings in 1 reply from 2 inputs; 1 input could not be read.\n"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}

// ---- rule options on the command line ----

#[test]
fn select_ignore_and_severity_on_the_command_line_win_over_the_file() {
    let dir = dir_with(&[
        ("r.txt", "但是你自己看吧\n"),
        (
            "kefu-lint.toml",
            "ignore = [\"but\"]\n[severity]\nbrush-off = \"info\"\n",
        ),
    ]);
    let json = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        all.push("r.txt");
        rules_and_severities(&run(dir.path(), &all, None))
    };
    let file_only = json(&[]);
    assert!(
        !file_only.iter().any(|(r, _)| r == "KF007"),
        "the file ignores but: {file_only:?}"
    );
    let brush_off = file_only.iter().find(|(r, _)| r == "KF003").expect("brush-off");
    assert_eq!(brush_off.1, "info");
    // --select replaces the file's choice: only KF007, though the file ignores it.
    assert_eq!(json(&["--select", "but"]), [("KF007".to_owned(), "warning".to_owned())]);
    // --extend-select adds it to the file's choice; --ignore takes rules away.
    let extended = json(&["--extend-select", "KF007", "--ignore", "ni-instead-of-nin,no-courtesy"]);
    let rules: Vec<&str> = extended.iter().map(|(r, _)| r.as_str()).collect();
    assert!(rules.contains(&"KF007") && rules.contains(&"KF003"), "{rules:?}");
    assert!(!rules.contains(&"KF011") && !rules.contains(&"KF020"), "{rules:?}");
    // --severity wins over [severity]; the last one given wins.
    let raised = json(&[
        "--select",
        "KF003",
        "--severity",
        "brush-off=error",
        "--severity",
        "KF003=warning",
    ]);
    assert_eq!(raised, [("KF003".to_owned(), "warning".to_owned())]);
}

#[test]
fn unknown_rule_names_are_usage_errors_with_the_nearest_name() {
    let dir = dir_with(&[("r.txt", "你好\n")]);
    for (args, said) in [
        (
            &["--select", "buut"][..],
            "--select buut: no rule has this id, name or category; did you mean \"but\"?",
        ),
        (
            &["--ignore", "KF007,brush-of"],
            "--ignore brush-of: no rule has this id, name or category; did you mean \"brush-off\"?",
        ),
        (
            &["--extend-select", "zzzzzzzz"],
            "--extend-select zzzzzzzz: no rule has this id, name or category (`kefu-lint rules`",
        ),
        (
            &["--severity", "nocourtesy=info"],
            "--severity nocourtesy: no rule has this id, name or category; did you mean \"no-courtesy\"?",
        ),
    ] {
        let mut all = args.to_vec();
        all.push("r.txt");
        assert_usage_error(&check(dir.path(), &all), said);
    }
    let out = check(dir.path(), &["--severity", "but=fatal", "r.txt"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("\"fatal\" is not a level: error, warning or info"),
        "{}",
        stderr(&out)
    );
    let out = check(dir.path(), &["--severity", "but", "r.txt"]);
    assert!(
        stderr(&out).contains("RULE=LEVEL, such as but=info"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_selection_that_leaves_no_rule_is_an_error_naming_what_emptied_it() {
    let dir = dir_with(&[("r.txt", "你好,但是不行\n")]);
    let d = dir.path();
    // The command line alone: a usage error.
    assert_usage_error(
        &check(d, &["--select", "but", "--ignore", "but", "r.txt"]),
        "--select but with --ignore but leave no rule to run",
    );
    // A category ignored takes its rules: KF004 and KF005 are blunt-refusal.
    assert_usage_error(
        &check(d, &["--select", "KF004,KF005", "--ignore", "blunt-refusal", "r.txt"]),
        "--select KF004,KF005 with --ignore blunt-refusal leave no rule to run",
    );
    // The file's selection emptied by --ignore: a usage error naming both.
    fs::write(d.join("only-but.toml"), "select = [\"but\"]\n").unwrap();
    let out = run(
        d,
        &["check", "--config", "only-but.toml", "--ignore", "KF007", "r.txt"],
        None,
    );
    assert_usage_error(
        &out,
        "the configuration's select and ignore with --ignore KF007 leave no rule to run",
    );
    // A [[per-path]] entry's selection emptied by --ignore, for its files.
    fs::write(
        d.join("per-path.toml"),
        "[[per-path]]\npaths = [\"*.txt\"]\nselect = [\"but\"]\n",
    )
    .unwrap();
    let out = run(
        d,
        &["check", "--config", "per-path.toml", "--ignore", "but", "r.txt"],
        None,
    );
    assert_usage_error(
        &out,
        "for the files of [[per-path]] entry 1: the configuration's select and ignore with --ignore but leave no rule to run",
    );
    // The file alone: a configuration error naming its keys.
    for (toml, said) in [
        (
            "select = [\"but\"]\nignore = [\"KF007\"]\n",
            "select = [\"but\"] with ignore = [\"KF007\"] leaves no rule to run",
        ),
        (
            "[[per-path]]\npaths = [\"*.txt\"]\nselect = [\"blunt-refusal\"]\nignore = [\"KF004\", \"KF005\", \"KF006\"]\n",
            "select = [\"blunt-refusal\"] with ignore = [\"KF004\", \"KF005\", \"KF006\"] leaves no",
        ),
    ] {
        fs::write(d.join("empty.toml"), toml).unwrap();
        let out = run(d, &["check", "--config", "empty.toml", "r.txt"], None);
        assert_eq!(code(&out), Some(2), "{toml}: {}", stderr(&out));
        assert!(stderr(&out).contains(said), "{toml}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "nothing checked: {}", stdout(&out));
    }
    // A selection that leaves one rule still runs.
    let out = check(
        d,
        &[
            "--format",
            "concise",
            "--select",
            "but,KF011",
            "--ignore",
            "KF011",
            "r.txt",
        ],
    );
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("KF007"), "{}", stdout(&out));
}

#[test]
fn a_list_key_given_one_string_says_to_write_a_list() {
    let dir = dir_with(&[("r.txt", "您好\n")]);
    let d = dir.path();
    for (toml, said) in [
        (
            "select = \"but\"\n",
            "select takes a list, even of one value: select = [\"but\"]",
        ),
        (
            "ignore = 'KF001'\n",
            "ignore takes a list, even of one value: ignore = ['KF001']",
        ),
        (
            "allow = \"保证正品\"\n",
            "allow takes a list, even of one value: allow = [\"保证正品\"]",
        ),
        (
            "extend-packs = \"shop.toml\"\n",
            "extend-packs takes a list, even of one value: extend-packs = [\"shop.toml\"]",
        ),
        (
            "[[per-path]]\npaths = \"*.txt\"\nmode = \"library\"\n",
            "paths takes a list, even of one value: paths = [\"*.txt\"]",
        ),
        (
            "[[per-path]]\npaths = [\"*.txt\"]\nignore   =   \"but\"\n",
            "ignore takes a list, even of one value: ignore = [\"but\"]",
        ),
    ] {
        fs::write(d.join("k.toml"), toml).unwrap();
        let out = run(d, &["check", "--config", "k.toml", "r.txt"], None);
        assert_eq!(code(&out), Some(2), "{toml}");
        let err = stderr(&out);
        assert!(err.contains(said), "{toml}: {err}");
        assert!(!err.contains("expected a sequence"), "no serde words: {err}");
    }
    // Not a string: serde's words stay, as nothing better is known.
    fs::write(d.join("k.toml"), "select = 3\n").unwrap();
    let out = run(d, &["check", "--config", "k.toml", "r.txt"], None);
    assert_eq!(code(&out), Some(2));
    assert!(!stderr(&out).contains("select = [3]"), "{}", stderr(&out));
}

// ---- options that would do nothing ----

#[test]
fn options_that_would_be_ignored_are_usage_errors() {
    let dir = dir_with(&[("r.txt", "你好\n")]);
    for (args, said) in [
        (
            &["--diff", "--format", "json"][..],
            "--diff prints a unified diff, not --format json",
        ),
        (
            &["--diff", "--format", "sarif"],
            "--diff prints a unified diff, not --format sarif",
        ),
        (&["--diff", "--statistics"], "cannot be used with '--statistics'"),
        (&["--diff", "--fail-on", "info"], "cannot be used with"),
        (&["--diff", "--baseline", "b.json"], "cannot be used with"),
        (&["--diff", "--write-baseline", "b.json"], "cannot be used with"),
        (
            &["--statistics", "--format", "sarif"],
            "--statistics prints a table (--format human or concise) or a JSON object (--format json), not --format sarif",
        ),
        (&["--statistics", "--format", "github"], "not --format github"),
        (&["--statistics", "--format", "jsonl"], "not --format jsonl"),
        (
            &["--write-baseline", "b.json", "--fail-on", "info"],
            "cannot be used with",
        ),
        (
            &["--unsafe-fixes"],
            "the following required arguments were not provided",
        ),
        (
            &["--output", "o.csv"],
            "the following required arguments were not provided",
        ),
    ] {
        let mut all = args.to_vec();
        all.push("r.txt");
        assert_usage_error(&check(dir.path(), &all), said);
    }
    assert!(!dir.path().join("b.json").exists());
}

#[test]
fn options_that_no_input_uses_get_a_note() {
    let dir = dir_with(&[("r.txt", "亲,您好哦\n")]);
    let out = check(dir.path(), &["--glob", "*.csv", "--max-cells", "10", "r.txt"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: --max-cells applies to workbooks, and no input is one"),
        "{}",
        stderr(&out)
    );
    let fixed = check(dir.path(), &["--fix", "--threads", "4", "r.txt"]);
    assert!(
        stderr(&fixed).contains("note: --threads 4: --fix and --diff work on one thread"),
        "{}",
        stderr(&fixed)
    );
    assert!(
        stderr(&out)
            .contains("note: --glob filters the files of directories walked, and no input is one; it is not used"),
        "{}",
        stderr(&out)
    );
    // A workbook fixed with nothing to fix: --output is not written, and says so.
    let book = support::xlsx("Sheet1", &support::inline_rows("话术", &["亲,您好哦"]), None);
    fs::write(dir.path().join("book.xlsx"), book).unwrap();
    let out = check(
        dir.path(),
        &["--fix", "--output", "o.csv", "--encoding", "big5", "book.xlsx"],
    );
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("note: --output o.csv: no workbook had a fix to apply; not written"),
        "{err}"
    );
    assert!(err.contains("note: --encoding applies to text inputs"), "{err}");
    assert!(!dir.path().join("o.csv").exists());
}

#[test]
fn statistics_as_json_count_rules_and_totals() {
    let dir = dir_with(&[("r.txt", "你好\n你自己看吧\n亲,您好哦\n")]);
    let out = check(dir.path(), &["--statistics", "--format", "json", "r.txt"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let stats: Value = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    let rules = stats["rules"].as_array().unwrap();
    let ni = rules.iter().find(|r| r["id"] == "KF011").expect("KF011 counted");
    assert_eq!(ni["name"], "ni-instead-of-nin");
    assert_eq!(ni["severity"], "warning");
    assert_eq!(ni["count"], 2, "你好 and 你自己看吧");
    // Most first.
    let counts: Vec<u64> = rules.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let totals = &stats["totals"];
    assert_eq!(totals["findings"].as_u64(), Some(counts.iter().sum()));
    assert_eq!(
        totals["findings"],
        totals["error"].as_u64().unwrap() + totals["warning"].as_u64().unwrap() + totals["info"].as_u64().unwrap()
    );
    assert_eq!(totals["replies"], 3);
    assert_eq!(totals["inputs"], 1);
    // The table for people; --severity shows in both.
    let out = check(dir.path(), &["--statistics", "--severity", "KF011=error", "r.txt"]);
    assert!(
        stdout(&out).contains("      2  KF011  error    ni-instead-of-nin\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn glob_help_says_what_it_matches() {
    let out = run(Path::new(support::ROOT), &["check", "--help"], None);
    let help = stdout(&out);
    assert!(help.contains("path relative to the directory matches GLOB"), "{help}");
    assert!(
        help.contains("--glob 'replies/**'` the files below DIR/replies/"),
        "{help}"
    );
    assert!(
        help.contains("Files named on the command line are always checked"),
        "{help}"
    );
    // And it does: a glob with a directory part matches below the walked directory.
    let dir = dir_with(&[]);
    fs::create_dir_all(dir.path().join("lib/replies")).unwrap();
    fs::write(dir.path().join("lib/replies/a.txt"), "你好\n").unwrap();
    fs::write(dir.path().join("lib/b.txt"), "你好\n").unwrap();
    let out = check(dir.path(), &["--format", "concise", "--glob", "replies/**", "lib"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("lib/replies/a.txt:1:1"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("lib/b.txt"), "{}", stdout(&out));
}

#[test]
fn select_replaces_per_path_choices_and_extend_select_keeps_them() {
    let dir = dir_with(&[
        ("r.txt", "但是你自己看吧\n"),
        (
            "kefu-lint.toml",
            "ignore = [\"but\"]\n[[per-path]]\npaths = [\"templates/**\"]\nignore = [\"brush-off\"]\n",
        ),
    ]);
    fs::create_dir(dir.path().join("templates")).unwrap();
    fs::write(dir.path().join("templates/t.txt"), "但是你自己看吧\n").unwrap();
    let concise = |args: &[&str]| {
        let mut all = vec!["check", "--format", "concise"];
        all.extend(args);
        all.extend(["r.txt", "templates/t.txt"]);
        stdout(&run(dir.path(), &all, None))
    };
    let selected = concise(&["--select", "brush-off"]);
    assert!(selected.contains("r.txt:1:3: error KF003"), "{selected}");
    assert!(selected.contains("templates/t.txt:1:3: error KF003"), "{selected}");
    let extended = concise(&["--extend-select", "but"]);
    assert!(extended.contains("r.txt:1:1: warning KF007"), "{extended}");
    assert!(extended.contains("templates/t.txt:1:1: warning KF007"), "{extended}");
    assert!(extended.contains("r.txt:1:3: error KF003"), "{extended}");
    assert!(!extended.contains("templates/t.txt:1:3: error KF003"), "{extended}");
}

// ---- who sent a message: options in the configuration, machine output ----

#[test]
fn agent_role_and_role_field_in_the_configuration_mean_what_the_options_do() {
    let log = "{\"who\":\"bot\",\"content\":\"你自己看吧\"}\n{\"who\":\"u1\",\"content\":\"不讲价\"}\n";
    let dir = dir_with(&[
        ("b.jsonl", log),
        (
            "kefu-lint.toml",
            "role-field = \"who\"\nagent-role = [\"bot\"]\n[[per-path]]\npaths = [\"logs/*\"]\nagent-role = [\"u*\"]\n",
        ),
    ]);
    let d = dir.path();
    fs::create_dir(d.join("logs")).unwrap();
    fs::write(d.join("logs/a.jsonl"), log).unwrap();
    let with_config = |args: &[&str]| {
        let mut all = vec!["check", "--config", "kefu-lint.toml", "--format", "concise"];
        all.extend_from_slice(args);
        run(d, &all, None)
    };
    // The file's settings: bot is the agent in b.jsonl, u1 in logs/a.jsonl (its per-path entry).
    let out = with_config(&["b.jsonl", "logs/a.jsonl"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    assert!(found.contains("b.jsonl:1:") && !found.contains("b.jsonl:2:"), "{found}");
    assert!(
        found.contains("logs/a.jsonl:2:") && !found.contains("logs/a.jsonl:1:"),
        "{found}"
    );
    // The command line wins over both.
    let out = with_config(&["--agent-role", "u1", "b.jsonl"]);
    let found = stdout(&out);
    assert!(found.contains("b.jsonl:2:") && !found.contains("b.jsonl:1:"), "{found}");
    // An empty pattern in the file is an error pointing at it.
    fs::write(d.join("kefu-lint.toml"), "agent-role = [\"\"]\n").unwrap();
    let out = with_config(&["b.jsonl"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("agent-role \"\": an empty pattern matches no sender"),
        "{}",
        stderr(&out)
    );
    fs::write(d.join("kefu-lint.toml"), "agent-role = []\n").unwrap();
    assert!(stderr(&with_config(&["b.jsonl"])).contains("agent-role = [] names no agent"));
}

#[test]
fn an_empty_agent_role_or_role_field_is_a_usage_error() {
    let dir = dir_with(&[("a.jsonl", "{\"role\":\"客服\",\"content\":\"你\"}\n")]);
    for option in ["--agent-role", "--role-field"] {
        let out = check(dir.path(), &[option, "", "a.jsonl"]);
        assert_eq!(code(&out), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("a value is required for '{option} ")),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty(), "nothing checked: {}", stdout(&out));
    }
    let out = check(dir.path(), &["--agent-role", " ", "a.jsonl"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("error: --agent-role \" \": an empty pattern matches no sender"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_input_with_no_agent_message_reaches_the_statistics_and_github_annotations() {
    let dir = dir_with(&[
        ("bot.jsonl", "{\"sender\":\"tb1\",\"content\":\"你\"}\n"),
        ("user.jsonl", "{\"role\":\"user\",\"content\":\"在吗\"}\n"),
        ("ok.txt", "你自己看吧\n"),
    ]);
    let d = dir.path();
    let out = check(
        d,
        &["--statistics", "--format", "json", "bot.jsonl", "user.jsonl", "ok.txt"],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["totals"]["unchecked_inputs"], 1, "{stats}");
    assert_eq!(stats["totals"]["inputs"], 3, "{stats}");
    let out = check(d, &["--format", "github", "bot.jsonl", "ok.txt"]);
    assert_eq!(code(&out), Some(2));
    let annotations = stdout(&out);
    assert!(
        annotations.lines().any(|l| l.starts_with(
            "::error file=bot.jsonl,title=kefu-lint%3A not checked::bot.jsonl: no agent message in this input"
        )),
        "{annotations}"
    );
    assert!(annotations.contains("::error file=ok.txt,line=1"), "{annotations}");
    // An unanswered chat is no error, in no format.
    let out = check(d, &["--format", "github", "user.jsonl"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

/// `competitors` in `kefu-lint.toml`: the names are flagged by
/// competitor-mentioned (Traditional spelling included); a bad value exits 2
/// naming the file, the line and the column.
#[test]
fn competitors_in_the_configuration_file_are_flagged() {
    let dir = dir_with(&[
        ("kefu-lint.toml", "competitors = [\"某某旗舰店\", \"BrandX\"]\n"),
        ("bad.toml", "competitors = [\"BrandX\", \"\"]\n"),
        (
            "r.txt",
            "亲,某某旗艦店的是高仿哦\n亲,BrandX也是这个价哦\n亲,我们家的都是正品哦\n",
        ),
    ]);
    let out = run(
        dir.path(),
        &[
            "check",
            "--config",
            "kefu-lint.toml",
            "--format",
            "json",
            "--select",
            "competitor-mentioned",
            "r.txt",
        ],
        None,
    );
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let findings: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(u64, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["matched"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [(1, "某某旗艦店"), (2, "BrandX")]);
    let out = check(dir.path(), &["r.txt"]);
    assert!(
        !stdout(&out).contains("KF024"),
        "no list, no finding:\n{}",
        stdout(&out)
    );
    let out = run(dir.path(), &["check", "--config", "bad.toml", "r.txt"], None);
    assert_eq!(code(&out), Some(2));
    let said = stderr(&out);
    assert!(
        said.contains("bad.toml: competitors holds \"\", which names nothing"),
        "{said}"
    );
    assert!(said.contains("bad.toml:1:26"), "{said}");
}

/// An error in a long line of the configuration is shown with an excerpt
/// of that line, but named at the file's own line and column (the excerpt's
/// column was shown once: 1:61 for 1:291).
#[test]
fn a_configuration_error_on_a_long_line_names_the_files_column() {
    let config = format!("select = [{}\"nope\"]\n", "\"but\", ".repeat(40));
    let dir = dir_with(&[("kefu-lint.toml", &config), ("r.txt", "你\n")]);
    let out = run(dir.path(), &["check", "r.txt"], None);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("kefu-lint.toml:1:291]"), "{}", stderr(&out));
}
