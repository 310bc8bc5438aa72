//! The report as one self-contained HTML page: styles and a few lines of
//! script inline, charts as inline SVG, nothing fetched (its
//! Content-Security-Policy forbids every load). Text from the logs is
//! escaped by `maud` and shown with hidden characters made visible.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use kefu_lint::Finding;
use kefu_lint::session::{Speaker, seconds_text};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::chart::{self, Bar};
use super::tally::{Ranked, Tally};
use crate::render::visible::{acts, escaped};
use crate::session::{Conversation, NAME_CHARS, Said, cut};

/// Sessions on one page of the drill-down.
const PAGE: usize = 10;

/// Messages of one session shown at most (those with findings first).
const SHOWN_MESSAGES: usize = 300;

/// Agents shown in the chart.
const CHARTED_AGENTS: usize = 20;

/// Agents listed in the table, those with the most findings (all are counted in the totals).
const LISTED_AGENTS: usize = 200;

/// Inputs named in the header.
const LISTED_INPUTS: usize = 20;

/// What the page says about its run.
pub struct About<'a> {
    /// The inputs, as named on the command line or found.
    pub inputs: &'a [String],
    /// When the report was made.
    pub made: jiff::ZonedDateTime,
    /// The zone times are shown in.
    pub zone: &'a TimeZone,
    /// The rules' Chinese titles.
    pub titles: &'a Titles,
}

/// The Chinese title of each rule (`title` in its pack), by id: what the
/// charts and the drill-down label a rule with, its name where it has none.
#[derive(Default)]
pub struct Titles(BTreeMap<String, String>);

impl Titles {
    /// The titles of `rules`, pairs of id and title; empty titles are left out.
    pub fn new<'r>(rules: impl IntoIterator<Item = (&'r str, &'r str)>) -> Titles {
        Titles(
            rules
                .into_iter()
                .filter(|(_, title)| !title.is_empty())
                .map(|(id, title)| (id.to_owned(), title.to_owned()))
                .collect(),
        )
    }

    /// `KF015 指责顾客`, or `KF015 blame-customer` for a rule with no title.
    fn label(&self, id: &str, name: &str) -> String {
        format!("{id} {}", self.0.get(id).map_or(name, String::as_str))
    }
}

/// The whole page.
pub fn page(tally: &Tally, worst: &[Ranked], about: &About) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
                title { "kefu-lint 质检报告" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "质检报告 " small { "kefu-lint QA report" } }
                    p.about {
                        "生成于 " (about.made.strftime("%Y-%m-%d %H:%M")) " · kefu-lint " (env!("CARGO_PKG_VERSION"))
                        " · 时间按 " (about.made.strftime("%:Q")) " 显示 (times in " (about.made.strftime("%:Q")) ")"
                    }
                    p.about {
                        (about.inputs.len()) " 个文件 (inputs): "
                        @for (n, name) in about.inputs.iter().enumerate().take(LISTED_INPUTS) {
                            @if n > 0 { ", " }
                            code { (short(name, 120)) }
                        }
                        @if about.inputs.len() > LISTED_INPUTS { " … (+" (about.inputs.len() - LISTED_INPUTS) ")" }
                    }
                }
                (totals(tally))
                (by_rule(tally, about.titles))
                (by_agent(tally))
                (times(tally))
                (problems(tally))
                (drill_down(worst, tally, about))
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// The totals, each with `data-total` naming it.
fn totals(tally: &Tally) -> Markup {
    let [info, warning, error] = tally.by_severity;
    let rows: [(&str, &str, usize); 10] = [
        ("sessions", "会话 sessions", tally.sessions),
        ("messages", "消息 messages", tally.messages),
        ("replies", "客服回复 agent replies", tally.replies),
        (
            "sessions-with-findings",
            "有问题的会话 sessions with findings",
            tally.sessions_with_findings,
        ),
        ("errors", "错误 errors", error),
        ("warnings", "警告 warnings", warning),
        ("infos", "提示 infos", info),
        ("inputs", "文件 inputs", tally.inputs),
        ("unreadable", "无法读取 inputs not read", tally.unreadable),
        ("problems", "数据问题 data problems", tally.problem_count),
    ];
    html! {
        section #totals {
            h2 { "总计 Totals" }
            dl {
                @for (key, label, value) in rows {
                    div { dt { (label) } dd data-total=(key) { (value) } }
                }
            }
        }
    }
}

fn by_rule(tally: &Tally, titles: &Titles) -> Markup {
    let mut rules: Vec<_> = tally.by_rule.iter().collect();
    rules.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let bars: Vec<Bar> = rules
        .iter()
        .map(|(id, rule)| Bar {
            label: titles.label(id, &rule.name),
            count: rule.count,
            class: rule.severity.as_str(),
        })
        .collect();
    html! {
        section #rules {
            h2 { "各规则问题数 Findings per rule" }
            @if bars.is_empty() { p { "No findings." } } @else { (chart::bars("by-rule", "Findings per rule", &bars)) }
        }
    }
}

fn by_agent(tally: &Tally) -> Markup {
    let mut agents: Vec<_> = tally.agents.iter().collect();
    agents.sort_by(|a, b| b.1.findings().cmp(&a.1.findings()).then(a.0.cmp(b.0)));
    let name = |agent: &str| {
        if agent.is_empty() {
            "(无客服名 no agent name)".to_owned()
        } else {
            short(agent, NAME_CHARS)
        }
    };
    let bars: Vec<Bar> = agents
        .iter()
        .take(CHARTED_AGENTS)
        .map(|(agent, row)| Bar {
            label: name(agent),
            count: row.findings(),
            class: "agent",
        })
        .collect();
    html! {
        section #agents {
            h2 { "各客服问题数 Findings per agent" }
            (chart::bars("by-agent", "Findings per agent", &bars))
            @if agents.len() > CHARTED_AGENTS {
                p { "图中为问题最多的 " (CHARTED_AGENTS) " 位客服 (the " (CHARTED_AGENTS) " agents with the most findings)." }
            }
            table {
                thead { tr {
                    th { "客服 agent" } th.n { "会话 sessions" } th.n { "回复 replies" } th.n { "错误 errors" }
                    th.n { "警告 warnings" } th.n { "提示 infos" } th.n { "计时回复 timed" } th.n { "超时 slow" }
                } }
                tbody {
                    @for (agent, row) in agents.iter().take(LISTED_AGENTS) {
                        tr {
                            td { (name(agent)) } td.n { (row.sessions) } td.n { (row.replies) }
                            td.n { (row.by_severity[2]) } td.n { (row.by_severity[1]) } td.n { (row.by_severity[0]) }
                            td.n { (row.timed) } td.n { (row.slow) }
                        }
                    }
                }
            }
            @if agents.len() > LISTED_AGENTS {
                p { "表中为问题最多的 " (LISTED_AGENTS) " 位客服, 共 " (agents.len()) " 位 (the " (LISTED_AGENTS)
                    " agents with the most findings of " (agents.len()) ")." }
            }
        }
    }
}

fn times(tally: &Tally) -> Markup {
    let share = |over: usize, total: usize| match total {
        0 => "没有带时间的回复 (no answer had a time)".to_owned(),
        _ => format!(
            "{} / {} 在时限内 (within the threshold): {:.1} %",
            total - over,
            total,
            100.0 * (total - over) as f64 / total as f64
        ),
    };
    html! {
        section #times {
            h2 { "响应时间 Response times" }
            h3 { "首次响应 First response " small { "(时限 threshold " (tally.first.threshold) " s)" } }
            p { (share(tally.first.over, tally.first.total())) }
            @if tally.first.total() > 0 { (chart::histogram("first-response", "First response times", &tally.first)) }
            h3 { "后续回复 Later replies " small { "(时限 threshold " (tally.later.threshold) " s)" } }
            p { (share(tally.later.over, tally.later.total())) }
            @if tally.later.total() > 0 { (chart::histogram("reply-time", "Reply times", &tally.later)) }
        }
    }
}

fn problems(tally: &Tally) -> Markup {
    html! {
        @if !tally.notes.is_empty() {
            section #notes {
                h2 { "说明 Notes" }
                ul { @for note in &tally.notes { li { (shown(note)) } } }
            }
        }
        @if tally.problem_count > 0 {
            section #problems {
                h2 { "数据问题 Data problems" }
                p { (tally.problem_count) " 处数据问题 (records or inputs that could not be checked as they are)"
                    @if tally.problem_count > tally.problems.len() { "; 列出前 " (tally.problems.len()) " 处 (the first " (tally.problems.len()) " listed)" } "." }
                ul { @for problem in &tally.problems { li { code { (shown(problem)) } } } }
            }
        }
    }
}

/// The worst sessions, `PAGE` to a page, each a `<details>` to expand.
fn drill_down(worst: &[Ranked], tally: &Tally, about: &About) -> Markup {
    let pages = worst.len().div_ceil(PAGE);
    html! {
        section #worst data-pages=(pages) {
            h2 { "问题最多的会话 Worst sessions" }
            p { "有问题的 " (tally.sessions_with_findings) " 个会话中问题最严重的 " (worst.len()) " 个 (错误计 100, 警告 10, 提示 1), 点击展开。"
                " The " (worst.len()) " session" @if worst.len() != 1 { "s" } " with the most severe findings, of "
                (tally.sessions_with_findings) " with any (errors weigh 100, warnings 10, infos 1); click one to read it." }
            @if pages > 1 {
                nav.pager hidden {
                    button type="button" data-step="-1" disabled { "‹ 上一页 previous" }
                    span.at { "第 " span.page-number { "1" } " / " (pages) " 页" }
                    button type="button" data-step="1" { "下一页 next ›" }
                }
            }
            @for (n, chunk) in worst.chunks(PAGE).enumerate() {
                div.page data-page=(n + 1) {
                    @for ranked in chunk { (session(ranked, about)) }
                }
            }
        }
    }
}

fn session(ranked: &Ranked, about: &About) -> Markup {
    let c: &Conversation = &ranked.conversation;
    let findings: usize = c
        .messages
        .iter()
        .map(|m| m.findings.len() + m.session_findings.len())
        .sum();
    let first_line = c.messages.first().map_or(0, |m| m.line);
    // The agents who answered, in the order they first did.
    let mut agents: Vec<String> = Vec::new();
    for said in c.messages.iter().filter(|m| m.speaker == Speaker::Agent) {
        let name = short(said.agent.as_deref().unwrap_or_default(), NAME_CHARS);
        if !name.is_empty() && !agents.contains(&name) {
            agents.push(name);
        }
    }
    let shown_messages = shown_messages(c);
    let waits = c.waits();
    html! {
        details.session data-session=(short(&c.id, NAME_CHARS)) data-findings=(findings) {
            summary {
                span.id { (short(&c.id, NAME_CHARS)) }
                @if !agents.is_empty() { " · " span.agent { (agents.join(" → ")) } }
                " · " (findings) " 个问题 (finding" @if findings != 1 { "s" } ")"
                " · " code { (short(&c.input, 120)) ":" (first_line) }
            }
            @if c.reordered {
                p.note { "按时间排列 (in time order; the log has these messages in another order)" }
            }
            ol.messages {
                @for &n in &shown_messages {
                    @let wait = waits[n].map(|t| t.millis);
                    (message(&c.messages[n], wait, about))
                }
            }
            @if shown_messages.len() < c.messages.len() {
                p.note { "另有 " (c.messages.len() - shown_messages.len()) " 条无问题的消息未显示 ("
                    (c.messages.len() - shown_messages.len()) " more messages without findings not shown; the log has them all)" }
            }
        }
    }
}

/// The messages of a session the page shows, by index: all of a session of
/// at most [`SHOWN_MESSAGES`], else the first ones and every one with a
/// finding, up to [`SHOWN_MESSAGES`] in all (a session of 100,000 messages
/// would make a page of tens of MB).
fn shown_messages(c: &Conversation) -> Vec<usize> {
    let found = |n: &usize| {
        let m = &c.messages[*n];
        !(m.findings.is_empty() && m.session_findings.is_empty())
    };
    let with_findings = (0..c.messages.len()).filter(found).count().min(SHOWN_MESSAGES);
    let mut plain_left = SHOWN_MESSAGES - with_findings;
    let mut kept = Vec::new();
    for n in 0..c.messages.len() {
        if kept.len() == SHOWN_MESSAGES {
            break;
        }
        if found(&n) {
            kept.push(n);
        } else if plain_left > 0 {
            plain_left -= 1;
            kept.push(n);
        }
    }
    kept
}

/// One message; `wait`: the milliseconds the customer waited for it, when it answered.
fn message(said: &Said, wait: Option<i64>, about: &About) -> Markup {
    let (class, who) = match said.speaker {
        Speaker::Customer => ("customer", "顾客"),
        Speaker::Agent => ("agent", "客服"),
    };
    html! {
        li class=(class) data-line=(said.line) {
            div.meta {
                (who) @if let Some(agent) = said.agent.as_deref().filter(|_| said.speaker == Speaker::Agent) { " " (short(agent, NAME_CHARS)) }
                " · " @if let Some(sheet) = &said.sheet { (short(sheet, NAME_CHARS)) " " } "第 " (said.line) " 行"
                @if let Some(time) = said.time_ms { " · " (clock(time, about.zone)) }
                @if let Some(wait) = wait.map(seconds_text) { " · " (wait) " 秒后回复 (answered after " (wait) " s)" }
            }
            div.text { (marked(&said.text, &said.findings, about.titles)) }
            @if !(said.findings.is_empty() && said.session_findings.is_empty()) {
                ul.findings {
                    @for f in said.findings.iter().chain(&said.session_findings) {
                        li class=(f.severity.as_str()) {
                            b { (about.titles.label(&f.rule, &f.name)) } " " (severity_word(f.severity)) ": " (shown(&f.message))
                            @if let Some(best) = f.suggestions.first() { " → " span.suggestion { (shown(best)) } }
                        }
                    }
                }
            }
        }
    }
}

/// `text` as the page shows it: line breaks and tabs as they are (the
/// page keeps them), every other [hidden](crate::render::visible::is_hidden)
/// character — a bidirectional override, a control — and every
/// [invisible](crate::render::visible::is_invisible) one (a zero-width space, a byte-order mark) written as an escape
/// (`\u{202e}`, `\u{200b}`). maud escapes the markup.
fn shown(text: &str) -> Cow<'_, str> {
    let kept = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !acts(text, kept) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    escaped(text, &mut out, kept);
    Cow::Owned(out)
}

/// [`shown`] `text`, cut to its first `most` characters and `…` when longer
/// (session ids and agent names can be anything a log holds).
fn short(text: &str, most: usize) -> String {
    shown(&cut(text, most)).into_owned()
}

/// A severity in Chinese, as the CLI's Simplified messages name it.
fn severity_word(severity: kefu_lint::Severity) -> &'static str {
    match severity {
        kefu_lint::Severity::Error => "错误",
        kefu_lint::Severity::Warning => "警告",
        kefu_lint::Severity::Info => "提示",
    }
}

/// `ms` milliseconds since the epoch as a local time in `zone` (to the second).
fn clock(ms: i64, zone: &TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(zone.clone())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| ms.to_string())
}

/// `text` with the spans of `findings` marked: each stretch covered by
/// findings becomes one `<mark>` titled with their rules, coloured by the
/// most severe. Spans that are not on character boundaries are not marked.
fn marked(text: &str, findings: &[Finding], titles: &Titles) -> Markup {
    let spans: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            f.span.start < f.span.end
                && f.span.end <= text.len()
                && text.is_char_boundary(f.span.start)
                && text.is_char_boundary(f.span.end)
        })
        .collect();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|f| [f.span.start, f.span.end]).collect();
    cuts.extend([0, text.len()]);
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for pair in cuts.windows(2) {
            @let (from, to) = (pair[0], pair[1]);
            @let piece = shown(&text[from..to]);
            @let over: Vec<&&Finding> = spans.iter().filter(|f| f.span.start <= from && to <= f.span.end).collect();
            @match over.iter().map(|f| f.severity).max() {
                Some(worst) => {
                    @let rules: Vec<String> = over.iter().map(|f| titles.label(&f.rule, &f.name)).collect();
                    mark class=(worst.as_str()) title=(rules.join(", ")) { (piece) }
                }
                None => { (piece) }
            }
        }
    }
}

/// The page's styles. Chinese text uses the system's fonts.
const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 small, h3 small { font-weight: normal; color: #666; font-size: 0.6em; }
.about { color: #555; }
#totals dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.5rem; }
#totals dl div { border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 0.75rem; }
#totals dt { color: #555; font-size: 0.85em; }
#totals dd { margin: 0; font-size: 1.6em; font-weight: 600; }
.chart { max-width: 100%; height: auto; font-size: 13px; }
.chart text { fill: #333; }
.bar rect { fill: #7a8ca6; }
.bar.error rect { fill: #c0392b; }
.bar.warning rect { fill: #d68910; }
.bar.info rect { fill: #5d8aa8; }
.bin rect { fill: #5d9c59; }
.bin.over rect { fill: #c0392b; }
.chart .axis { font-size: 11px; fill: #666; }
.threshold { stroke: #333; stroke-dasharray: 4 3; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { border-bottom: 1px solid #eee; padding: 0.25rem 0.6rem; text-align: left; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.pager { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; }
.pager[hidden] { display: none; }
p.note { font-size: 0.85em; color: #666; margin: 0.2rem 0; }
td { overflow-wrap: anywhere; max-width: 20rem; }
details.session { border: 1px solid #ddd; border-radius: 6px; margin: 0.4rem 0; padding: 0.3rem 0.7rem; }
details.session summary { cursor: pointer; }
ol.messages { list-style: none; padding: 0; }
ol.messages > li { margin: 0.5rem 0; padding: 0.4rem 0.6rem; border-radius: 6px; max-width: 85%; }
li.customer { background: #f2f2f2; }
li.agent { background: #e8f1fb; margin-left: auto !important; }
.meta { font-size: 0.8em; color: #666; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { border-radius: 2px; padding: 0 1px; }
mark.error { background: #f5b7b1; }
mark.warning { background: #fad7a0; }
mark.info { background: #d6eaf8; }
ul.findings { margin: 0.3rem 0 0; padding-left: 1.2rem; font-size: 0.85em; }
ul.findings li.error b { color: #a93226; }
ul.findings li.warning b { color: #9c640c; }
.suggestion { color: #1e6b34; }
"#;

/// The drill-down's pager: shows one page of sessions at a time. Without
/// script (a mail reader that blocks it) every page stays shown and the
/// pager hidden.
const SCRIPT: &str = r#"
(function () {
  var worst = document.getElementById('worst');
  var pages = worst.querySelectorAll('.page');
  var pager = worst.querySelector('.pager');
  if (!pager) return;
  var buttons = pager.querySelectorAll('button');
  var shown = 0;
  function show(next) {
    pages.forEach(function (page, n) { page.hidden = n !== next; });
    shown = next;
    worst.querySelector('.page-number').textContent = String(next + 1);
    buttons.forEach(function (button) {
      var to = shown + Number(button.dataset.step);
      button.disabled = to < 0 || to >= pages.length;
    });
  }
  buttons.forEach(function (button) {
    button.addEventListener('click', function () {
      var next = shown + Number(button.dataset.step);
      if (next >= 0 && next < pages.length) show(next);
    });
  });
  pager.hidden = false;
  show(0);
})();
"#;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use kefu_lint::{Script, Severity};

    use super::*;

    fn finding(rule: &str, severity: Severity, span: std::ops::Range<usize>) -> Finding {
        Finding {
            rule: rule.into(),
            name: "name".into(),
            category: "tone".into(),
            severity,
            message: "m".into(),
            span,
            matched: String::new(),
            suggestions: Arc::new([]),
            script: Script::Simplified,
            fix: None,
        }
    }

    /// The text a browser shows for `html`: tags dropped, entities read.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn overlapping_findings_mark_each_stretch_once_with_the_most_severe() {
        let text = "你自己看吧";
        let html = marked(
            text,
            &[
                finding("KF011", Severity::Warning, 0..3),
                finding("KF003", Severity::Error, 0..15),
            ],
            // A rule with a title is labelled with it, one without by its name.
            &Titles::new([("KF003", "打发顾客"), ("KF011", "")]),
        )
        .into_string();
        assert_eq!(
            html,
            r#"<mark class="error" title="KF011 name, KF003 打发顾客">你</mark><mark class="error" title="KF003 打发顾客">自己看吧</mark>"#
        );
    }

    #[test]
    fn marking_never_changes_the_text_shown() {
        let cases: [(&str, Vec<Finding>); 4] = [
            ("亲,<b>我不能</b> & 您", vec![finding("KF001", Severity::Error, 8..17)]),
            // Not on a character boundary, or past the end: not marked.
            (
                "我不能",
                vec![
                    finding("KF001", Severity::Error, 1..4),
                    finding("KF001", Severity::Error, 6..99),
                ],
            ),
            ("第一行\n第二行", vec![finding("KF020", Severity::Info, 0..19)]),
            ("", vec![finding("KF020", Severity::Info, 0..0)]),
        ];
        for (text, findings) in cases {
            let html = marked(text, &findings, &Titles::default()).into_string();
            assert_eq!(text_of(&html), text, "{html}");
        }
    }

    #[test]
    fn line_breaks_stay_and_characters_that_act_are_shown_as_escapes() {
        assert_eq!(shown("您好\n请稍等\t"), "您好\n请稍等\t");
        assert_eq!(shown("保证\u{202e}正品\u{1b}[31m"), "保证\\u{202e}正品\\u{1b}[31m");
        assert_eq!(
            shown("zw\u{200b}\u{200c}\u{200d}\u{feff}x"),
            "zw\\u{200b}\\u{200c}\\u{200d}\\u{feff}x"
        );
    }

    #[test]
    fn long_names_are_cut_to_their_first_characters() {
        assert_eq!(short("小美", 48), "小美");
        assert_eq!(short(&"会".repeat(100), 3), "会会会…");
        assert_eq!(short("\u{202e}会话", 1), "\\u{202e}…");
    }
}
