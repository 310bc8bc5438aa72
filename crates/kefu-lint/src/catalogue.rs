//! The rule catalogue: the table of `kefu-lint rules`, the text of
//! `kefu-lint explain` ([`crate::Linter::explain`]), and the generated
//! `docs/rules.md`; reply rules and session rules (`rules/session.toml`,
//! whose modes are shown as `sessions`: they run with `check --sessions`
//! and `report`).

use std::fmt::Write as _;

use crate::rule::Source;
use crate::session::{Conversation, Figures, SessionRule, Thresholds};
use crate::{Mode, Rule, Script};

/// The label of a finding's or rule's suggestions, in `script`.
pub fn suggestions_label(script: Script) -> &'static str {
    match script {
        Script::Simplified => "建议",
        Script::Traditional => "建議",
    }
}

/// The label of a rule's guideline, in `script`.
pub fn source_label(script: Script) -> &'static str {
    match script {
        Script::Simplified => "依据",
        Script::Traditional => "依據",
    }
}

/// Whether a rule has an automatic fix, as shown in listings.
fn fixable(rule: &Rule) -> &'static str {
    rule.fix.as_ref().map_or("", |f| f.applicability.as_str())
}

fn modes(rule: &Rule) -> &'static str {
    match (rule.applies_in(Mode::Draft), rule.applies_in(Mode::Library)) {
        (true, true) => "all",
        (true, false) => "draft",
        _ => "library",
    }
}

/// The rules ordered by id.
fn by_id(rules: &[Rule]) -> Vec<&Rule> {
    let mut sorted: Vec<&Rule> = rules.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    sorted
}

/// `kefu-lint rules`: one line per rule, the reply rules by id, then the
/// session rules, each with its severity, or `off` when its id is in `off`
/// (a configuration does not run it).
pub fn table(rules: &[Rule], sessions: &[SessionRule], off: &[&str]) -> String {
    let severity = |id: &str, severity: crate::Severity| if off.contains(&id) { "off" } else { severity.as_str() };
    let mut out = String::new();
    let mut line = |cells: [&str; 6]| {
        let [id, name, category, severity, fix, modes] = cells;
        let _ = writeln!(
            out,
            "{id:<6}  {name:<24}  {category:<20}  {severity:<8}  {fix:<12}  {modes}"
        );
    };
    line(["id", "name", "category", "severity", "fix", "modes"]);
    for r in by_id(rules) {
        line([
            &r.id,
            &r.name,
            &r.category,
            severity(&r.id, r.severity),
            fixable(r),
            modes(r),
        ]);
    }
    for r in sessions {
        line([&r.id, &r.name, &r.category, severity(&r.id, r.severity), "", "sessions"]);
    }
    out
}

/// The rule named by `key` (id or name, any case).
pub fn find<'r>(rules: &'r [Rule], key: &str) -> Option<&'r Rule> {
    rules.iter().find(|r| r.is_named(key))
}

/// The session rule named by `key` (id or name, any case).
pub fn find_session<'r>(rules: &'r [SessionRule], key: &str) -> Option<&'r SessionRule> {
    rules
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// `kefu-lint explain` for a session rule: what it flags, why (the
/// guideline and its passage), the settings it reads with their values in
/// `thresholds`, and its example conversations; the message in `script`,
/// `{wait}`, `{count}` and `{elsewhere}` written `N`.
pub fn explain_session(rule: &SessionRule, thresholds: &Thresholds, script: Script) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}, {}; a session rule: check --sessions, report)\n",
        rule.id, rule.name, rule.category, rule.severity
    );
    let message = rule.message_with(&Figures::all("N"), thresholds, script);
    let _ = writeln!(out, "{}\n{message}\n", rule.summary);
    cite(&mut out, &rule.source, script);
    out.push('\n');
    let settings = session_settings(rule, thresholds);
    if !settings.is_empty() {
        let _ = writeln!(out, "Settings ([session] in kefu-lint.toml): {}\n", settings.join(", "));
    }
    section(&mut out, "Flagged", &conversations(&rule.examples.bad));
    section(&mut out, "Not flagged", &conversations(&rule.examples.ok));
    out
}

/// `explain`'s lines for a rule's guideline: its label in `script`, the
/// document's title, and the passage.
fn cite(out: &mut String, source: &Source, script: Script) {
    let _ = writeln!(
        out,
        "{} {}:\n  {}",
        source_label(script),
        source.cited(),
        source.passage
    );
}

/// The settings a session rule reads, `key = value`.
fn session_settings(rule: &SessionRule, thresholds: &Thresholds) -> Vec<String> {
    rule.check
        .settings()
        .iter()
        .filter_map(|key| thresholds.get(key).map(|value| format!("{key} = {value}")))
        .collect()
}

/// Example conversations, one a line: the turns joined by ` / `, when the
/// agent wrote in other sessions (`the agent elsewhere @30, @90`), and the
/// message a flagged one's finding points at.
fn conversations(examples: &[Conversation]) -> Vec<String> {
    examples
        .iter()
        .map(|c| {
            let mut turns = c.turns.join(" / ");
            if !c.elsewhere.is_empty() {
                let seconds: Vec<String> = c.elsewhere.iter().map(|s| format!("@{s}")).collect();
                let _ = write!(turns, " / the agent elsewhere {}", seconds.join(", "));
            }
            match c.at {
                Some(at) => format!("{turns}  (flags message {})", at + 1),
                None => turns,
            }
        })
        .collect()
}

/// `kefu-lint explain`: what a rule flags, why (the guideline, by its
/// title, and the passage), examples and the rewrite; the message,
/// suggestions and rewrite in `script`.
pub fn explain(rule: &Rule, script: Script) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}, {})\n",
        rule.id, rule.name, rule.category, rule.severity
    );
    let _ = writeln!(out, "{}\n{}\n", rule.summary, rule.described_message(script));
    cite(&mut out, &rule.source, script);
    let quoted = Script::of_all([rule.source.cited(), rule.source.passage.as_str()]);
    if quoted.is_some_and(|s| s != script) {
        let _ = writeln!(out, "  {}", quoted_as_written(script));
    }
    out.push('\n');
    let suggestions = rule.suggestions_in(script);
    if !suggestions.is_empty() {
        let _ = writeln!(out, "{}: {}\n", suggestions_label(script), suggestions.join(" / "));
    }
    if let (Some(fix), Some(replacement)) = (&rule.fix, rule.replacement_in(script)) {
        let _ = writeln!(
            out,
            "Fix ({}): the match is replaced with {replacement:?}\n",
            fix.applicability.as_str(),
        );
    }
    section(&mut out, "Flagged", &rule.examples.bad);
    section(&mut out, "Not flagged", &rule.examples.ok);
    let fixed: Vec<String> = rule
        .examples
        .fixed
        .iter()
        .map(|f| format!("{} → {}", f.from, f.to))
        .collect();
    section(&mut out, "Rewrites", &fixed);
    out
}

/// Says, in `script`, that a guideline's title and passage are quoted as
/// the guideline wrote them, in its own script.
fn quoted_as_written(script: Script) -> &'static str {
    match script {
        Script::Simplified => "(标题与引文照录指引原文,未转换字体)",
        Script::Traditional => "(標題與引文照錄指引原文,未轉換字體)",
    }
}

/// A heading and its items, one a line; nothing when there are none.
fn section(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for item in items {
        let _ = writeln!(out, "  {item}");
    }
    out.push('\n');
}

/// `docs/rules.md`, generated from the packs (`kefu-lint rules --markdown`),
/// the messages, suggestions and rewrites in `script`; the session rules
/// with the settings in `thresholds`.
pub fn markdown(rules: &[Rule], sessions: &[SessionRule], thresholds: &Thresholds, script: Script) -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated by `kefu-lint rules --markdown > docs/rules.md`; a test fails when it is stale. -->\n\n",
    );
    out += "| id | name | title | category | severity | fix | modes |\n|---|---|---|---|---|---|---|\n";
    let rules = by_id(rules);
    let mut row = |cells: [&str; 7]| {
        let [id, name, title, category, severity, fix, modes] = cells;
        let title = script.written(title);
        let anchor = id.to_ascii_lowercase();
        let _ = writeln!(
            out,
            "| [{id}](#{anchor}) | {name} | {title} | {category} | {severity} | {fix} | {modes} |"
        );
    };
    let reply_rows = rules.iter().map(|r| {
        let id: &str = &r.id;
        [
            id,
            &r.name,
            &r.title,
            &r.category,
            r.severity.as_str(),
            fixable(r),
            modes(r),
        ]
    });
    let session_rows = sessions.iter().map(|r| {
        let id: &str = &r.id;
        [id, &r.name, &r.title, &r.category, r.severity.as_str(), "", "sessions"]
    });
    reply_rows.chain(session_rows).for_each(&mut row);
    for r in &rules {
        heading(
            &mut out,
            [&r.id, &r.name, &r.summary, &r.described_message(script)],
            &r.source,
        );
        let suggestions = r.suggestions_in(script);
        if !suggestions.is_empty() {
            let _ = writeln!(out, "Suggestions: {}\n", suggestions.join(" / "));
        }
        if let (Some(fix), Some(replacement)) = (&r.fix, r.replacement_in(script)) {
            let _ = writeln!(
                out,
                "Fix ({}): replaced with “{replacement}”\n",
                fix.applicability.as_str(),
            );
        }
        examples(&mut out, &r.examples.bad, &r.examples.ok);
    }
    out += "\n# Session rules\n\nThey judge whole conversations of a chat log: `kefu-lint check --sessions` and `kefu-lint report` run them (docs/sessions.md). Their examples are conversations, a message a turn: `customer@12: 文字` is the customer 12 seconds in.\n";
    for r in sessions {
        let message = r.message_with(&Figures::all("N"), thresholds, script);
        heading(&mut out, [&r.id, &r.name, &r.summary, &message], &r.source);
        let settings = session_settings(r, thresholds);
        if !settings.is_empty() {
            let _ = writeln!(
                out,
                "Settings (`[session]` in kefu-lint.toml): {}\n",
                settings.join(", ")
            );
        }
        examples(
            &mut out,
            &conversations(&r.examples.bad),
            &conversations(&r.examples.ok),
        );
    }
    out
}

/// A rule's heading in `docs/rules.md`: its id, then name, summary,
/// message and guideline.
fn heading(out: &mut String, [id, name, summary, message]: [&str; 4], source: &Source) {
    let _ = write!(out, "\n## {id}\n\n**{name}** — {summary}\n\n{message}\n\n");
    let _ = writeln!(out, "Source: {} — “{}”\n", source.cited(), source.passage);
}

/// A rule's flagged and unflagged examples as Markdown lists; nothing for none.
fn examples(out: &mut String, bad: &[String], ok: &[String]) {
    for (title, items) in [("Flagged", bad), ("Not flagged", ok)] {
        if !items.is_empty() {
            let _ = writeln!(out, "{title}:\n");
            for item in items {
                let _ = writeln!(out, "- {item}");
            }
            out.push('\n');
        }
    }
}
