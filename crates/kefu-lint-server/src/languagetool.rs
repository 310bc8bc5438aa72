//! The LanguageTool-compatible API, so that LanguageTool clients (editor
//! plugins, browser extensions, client libraries) use kefu-lint as their
//! server: `POST /v2/check` (form data; `GET` with a query string as well)
//! and `GET /v2/languages`. Offsets and lengths are UTF-16 code units, as
//! LanguageTool's own server (Java strings) counts them.

use std::ops::Range;

use axum::Json;
use axum::extract::{RawQuery, State};
use kefu_lint::{Finding, Linter, Script};
use serde::Serialize;

use crate::annotation::Document;
use crate::body::{FormBody, parse_form};
use crate::error::ApiError;
use crate::findings::shown;
use crate::linters::{Fields, Options};
use crate::{AppState, compute};
use kefu_lint::offsets::{Cursor, utf16_len};

/// Characters of context LanguageTool shows on either side of a match.
const CONTEXT_CHARS: usize = 40;

/// Most characters of a match's `sentence` on either side of the match.
const SENTENCE_CHARS: usize = 200;

/// Where a sentence ends (the character is part of the sentence).
const SENTENCE_ENDS: [char; 7] = ['。', '！', '？', '!', '?', '\n', '…'];

/// One language of `GET /v2/languages`.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Language {
    name: &'static str,
    code: &'static str,
    long_code: &'static str,
}

/// The languages served: Chinese in either script.
const LANGUAGES: [Language; 2] = [
    Language {
        name: "Chinese",
        code: "zh",
        long_code: "zh-CN",
    },
    Language {
        name: "Chinese (Traditional)",
        code: "zh",
        long_code: "zh-TW",
    },
];

/// What LanguageTool calls a request's `select` and `ignore`.
const LANGUAGETOOL: Fields = Fields {
    select: "enabledRules",
    ignore: "disabledRules",
};

/// `GET /v2/languages`.
pub async fn languages() -> Json<[Language; 2]> {
    Json(LANGUAGES)
}

/// The parameters of a check, as LanguageTool names them.
#[derive(Debug, Default)]
struct Params {
    text: Option<String>,
    data: Option<String>,
    language: Option<String>,
    enabled_rules: Vec<String>,
    disabled_rules: Vec<String>,
    enabled_categories: Vec<String>,
    disabled_categories: Vec<String>,
    enabled_only: bool,
}

impl Params {
    /// The parameters of form pairs; others (`motherTongue`, `level`,
    /// `preferredVariants`…) are accepted and ignored, as LanguageTool
    /// ignores what a language does not use.
    fn from_pairs(pairs: Vec<(String, String)>) -> Result<Params, ApiError> {
        let mut params = Params::default();
        let list = |value: &str| -> Vec<String> {
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        for (key, value) in pairs {
            match key.as_str() {
                "text" => params.text = Some(value),
                // Empty: absent, as form clients send every field they know.
                "data" => params.data = Some(value).filter(|data| !data.is_empty()),
                "language" => params.language = Some(value),
                "enabledRules" => params.enabled_rules = list(&value),
                "disabledRules" => params.disabled_rules = list(&value),
                "enabledCategories" => params.enabled_categories = list(&value).iter().map(|c| category(c)).collect(),
                "disabledCategories" => params.disabled_categories = list(&value).iter().map(|c| category(c)).collect(),
                "enabledOnly" => {
                    params.enabled_only = match value.as_str() {
                        "true" => true,
                        "false" | "" => false,
                        _ => return Err(ApiError::field("enabledOnly", "true or false (empty: false)")),
                    }
                }
                _ => {}
            }
        }
        Ok(params)
    }
}

/// A category as the core names it (`over-promise`) from its LanguageTool id (`OVER_PROMISE`).
fn category(id: &str) -> String {
    id.to_ascii_lowercase().replace('_', "-")
}

/// A category's LanguageTool id (`OVER_PROMISE`).
fn category_id(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

/// The script a `language` asks for (`None`: the text's own, else Simplified),
/// or 400 for a language this server does not check.
fn script_of(language: Option<&str>) -> Result<Option<Script>, ApiError> {
    match language.map(str::to_ascii_lowercase).as_deref() {
        Some("zh-cn" | "zh-hans" | "zh-sg") => Ok(Some(Script::Simplified)),
        Some("zh-tw" | "zh-hant" | "zh-hk" | "zh-mo") => Ok(Some(Script::Traditional)),
        Some("zh" | "auto") => Ok(None),
        Some(other) => Err(ApiError::field(
            "language",
            format!("{other:?}: this server checks Chinese only: zh-CN, zh-TW, zh or auto"),
        )),
        None => Err(ApiError::field("language", "missing: zh-CN, zh-TW, zh or auto")),
    }
}

/// `POST /v2/check` with form data.
pub async fn check_form(State(state): State<AppState>, FormBody(pairs): FormBody) -> Result<Json<Answer>, ApiError> {
    check(state, pairs).await
}

/// `GET /v2/check` with the parameters in the query string.
pub async fn check_query(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Json<Answer>, ApiError> {
    let pairs = parse_form(query.unwrap_or_default().as_bytes())?;
    check(state, pairs).await
}

async fn check(state: AppState, pairs: Vec<(String, String)>) -> Result<Json<Answer>, ApiError> {
    let params = Params::from_pairs(pairs)?;
    let script = script_of(params.language.as_deref())?;
    let document = match (params.text, params.data) {
        (Some(_), Some(_)) => return Err(ApiError::field("data", "give text or data, not both")),
        (Some(text), None) => Document::plain(text),
        (None, Some(data)) => Document::annotated(&data)?,
        (None, None) => return Err(ApiError::field("text", "missing: give text or data")),
    };
    if params.enabled_only && params.enabled_rules.is_empty() && params.enabled_categories.is_empty() {
        return Err(ApiError::field(
            "enabledRules",
            "enabledOnly=true needs enabledRules or enabledCategories",
        ));
    }
    // Naming no rules asks for the configuration's linter, already built.
    let own_linter = [
        &params.enabled_rules,
        &params.enabled_categories,
        &params.disabled_rules,
        &params.disabled_categories,
    ]
    .iter()
    .all(|names| names.is_empty());
    let bytes = document.text.len();
    compute(state, own_linter, bytes, move |state| {
        let default = state.linters.default_linter();
        // Rules this server does not run (a client's own LanguageTool ids,
        // such as WHITESPACE_RULE) are disabled already.
        let runs = |name: &String| state.linters.known(name).is_some();
        let enabled_only = params.enabled_only;
        // An unknown name among the categories is named as theirs (the two
        // lists select together, and an error would name enabledRules).
        let unknown_category = params.enabled_categories.iter().find(|c| !runs(c));
        if let Some(unknown) = unknown_category.filter(|_| enabled_only && params.enabled_rules.iter().all(runs)) {
            return Err(ApiError::field(
                "enabledCategories",
                format!(
                    "enabledCategories {}: no rule has this category, id or name (GET /v1/rules lists them)",
                    kefu_lint::suggest::cut(unknown)
                ),
            ));
        }
        let options = Options {
            mode: None,
            select: enabled_only.then(|| [params.enabled_rules, params.enabled_categories].concat()),
            ignore: [params.disabled_rules, params.disabled_categories]
                .concat()
                .into_iter()
                .filter(runs)
                .collect(),
        };
        let linter = match state.linters.get(&options, LANGUAGETOOL) {
            Ok(linter) => linter,
            // Every rule disabled (the names are known ones): nothing to
            // find, as LanguageTool answers.
            Err(_) if !enabled_only => return Ok(Json(answer_of(&default, &document, &[], script))),
            Err(e) => return Err(e),
        };
        let findings = linter.check_in(&document.text, || script);
        state.metrics.checked(findings.iter().map(|f| &*f.rule));
        let shown = shown(&findings, &mut state.limits.max_findings.clone());
        let mut answer = answer_of(&linter, &document, &shown, script);
        answer.warnings.incomplete_results = shown.len() < findings.len();
        Ok(Json(answer))
    })
    .await
}

/// The answer of `/v2/check`, as LanguageTool's server gives it.
#[derive(Debug, Serialize)]
pub struct Answer {
    software: Software,
    warnings: Warnings,
    language: AnswerLanguage,
    matches: Vec<Match>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Software {
    name: &'static str,
    version: &'static str,
    /// Typed clients require it; there is no build date to give.
    build_date: &'static str,
    api_version: u32,
    premium: bool,
    status: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Warnings {
    incomplete_results: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerLanguage {
    name: &'static str,
    code: &'static str,
    detected_language: DetectedLanguage,
}

#[derive(Debug, Serialize)]
struct DetectedLanguage {
    name: &'static str,
    code: &'static str,
    confidence: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Match {
    message: String,
    short_message: String,
    replacements: Vec<Replacement>,
    offset: usize,
    length: usize,
    context: Context,
    sentence: String,
    #[serde(rename = "type")]
    kind: MatchType,
    rule: MatchRule,
    ignore_for_incomplete_sentence: bool,
    context_for_sure_match: i32,
}

#[derive(Debug, Serialize)]
struct Replacement {
    value: String,
}

#[derive(Debug, Serialize)]
struct Context {
    text: String,
    offset: usize,
    length: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MatchType {
    type_name: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MatchRule {
    id: String,
    description: String,
    issue_type: &'static str,
    category: Category,
}

#[derive(Debug, Serialize)]
struct Category {
    id: String,
    name: String,
}

/// The language of a script, as `/v2/languages` lists it.
fn language(script: Script) -> Language {
    match script {
        Script::Simplified => LANGUAGES[0],
        Script::Traditional => LANGUAGES[1],
    }
}

/// The answer for `findings` of `document`. `asked` is the script the
/// `language` parameter named (the answer's language, else the text's).
pub(crate) fn answer_of(linter: &Linter, document: &Document, findings: &[&Finding], asked: Option<Script>) -> Answer {
    let text = &document.text;
    let detected = Script::of(text).or(asked).unwrap_or_default();
    let mut cursor = Cursor::new(text);
    let matches = findings
        .iter()
        .map(|f| {
            let start = cursor.at(f.span.start).utf16;
            let end = cursor.at(f.span.end).utf16;
            let offset = document.original(start, false);
            let rule = kefu_lint::catalogue::find(linter.rules(), &f.rule);
            // A replacement over markup would delete it (but</b>是 → 不过).
            let replacements = if document.holds_markup(start, end) {
                Vec::new()
            } else {
                replacements(text, f)
            };
            Match {
                message: message(f, &replacements),
                short_message: f.name.to_string(),
                replacements: replacements.into_iter().map(|value| Replacement { value }).collect(),
                offset,
                length: document.original(end, true).saturating_sub(offset),
                context: context(text, f.span.clone()),
                sentence: sentence(text, f.span.clone()),
                kind: MatchType { type_name: "Other" },
                rule: MatchRule {
                    id: f.rule.to_string(),
                    description: rule.map_or_else(|| f.name.to_string(), |r| r.summary.clone()),
                    issue_type: "style",
                    category: Category {
                        id: category_id(&f.category),
                        name: f.category.to_string(),
                    },
                },
                ignore_for_incomplete_sentence: false,
                context_for_sure_match: 0,
            }
        })
        .collect();
    let shown = language(asked.unwrap_or(detected));
    let found = language(detected);
    Answer {
        software: Software {
            name: "kefu-lint",
            version: env!("CARGO_PKG_VERSION"),
            build_date: "",
            api_version: 1,
            premium: false,
            status: "",
        },
        warnings: Warnings {
            incomplete_results: false,
        },
        language: AnswerLanguage {
            name: shown.name,
            code: shown.long_code,
            detected_language: DetectedLanguage {
                name: found.name,
                code: found.long_code,
                confidence: 1.0,
            },
        },
        matches,
    }
}

/// What may replace a match: the matched text with the finding's fix
/// applied, when it has one; nothing else. The rule's suggestions are
/// advice or whole phrases (a client would paste them over the span), so
/// they stay in the message.
fn replacements(text: &str, finding: &Finding) -> Vec<String> {
    finding
        .fix
        .as_ref()
        .and_then(|fix| fixed(text, &finding.span, fix))
        .into_iter()
        .collect()
}

/// The finding's message, then the rule's suggestions that are not among
/// the `replacements`, in the reply's script: `……（建议：A；B）`.
fn message(finding: &Finding, replacements: &[String]) -> String {
    let advice: Vec<&str> = finding
        .suggestions
        .iter()
        .filter(|s| !replacements.contains(s))
        .map(String::as_str)
        .collect();
    if advice.is_empty() {
        return finding.message.to_string();
    }
    let advise = match finding.script {
        Script::Simplified => "建议",
        Script::Traditional => "建議",
    };
    format!("{}（{advise}：{}）", finding.message, advice.join("；"))
}

/// The text at `span` with `fix`'s edits applied; `None` when an edit lies
/// outside the span.
fn fixed(text: &str, span: &Range<usize>, fix: &kefu_lint::Fix) -> Option<String> {
    let mut out = String::new();
    let mut at = span.start;
    for edit in &fix.edits {
        if edit.range.start < at || edit.range.end > span.end {
            return None;
        }
        out.push_str(text.get(at..edit.range.start)?);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(text.get(at..span.end)?);
    Some(out)
}

/// Up to [`CONTEXT_CHARS`] characters either side of `span`, `...` where
/// cut, line breaks shown as spaces; offset and length in UTF-16 units.
fn context(text: &str, span: Range<usize>) -> Context {
    let from = text
        .get(..span.start)
        .and_then(|before| before.char_indices().rev().nth(CONTEXT_CHARS - 1))
        .map_or(0, |(i, _)| i);
    let to = text
        .get(span.end..)
        .and_then(|after| after.char_indices().nth(CONTEXT_CHARS))
        .map_or(text.len(), |(i, _)| span.end + i);
    let (prefix, suffix) = (
        if from > 0 { "..." } else { "" },
        if to < text.len() { "..." } else { "" },
    );
    let piece = |range: Range<usize>| text.get(range).unwrap_or_default();
    let shown: String = piece(from..to)
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    Context {
        text: format!("{prefix}{shown}{suffix}"),
        offset: utf16_len(prefix) + utf16_len(piece(from..span.start)),
        length: utf16_len(piece(span)),
    }
}

/// The sentence holding `span`: from after the last sentence end before it
/// to the first sentence end after it (included), trimmed; at most
/// [`SENTENCE_CHARS`] characters either side of the span (so that a long
/// text without sentence ends is not repeated in every match).
fn sentence(text: &str, span: Range<usize>) -> String {
    let before = text.get(..span.start).unwrap_or_default();
    let after = text.get(span.end..).unwrap_or_default();
    let near_start = before
        .char_indices()
        .rev()
        .nth(SENTENCE_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let near_end = after
        .char_indices()
        .nth(SENTENCE_CHARS)
        .map_or(text.len(), |(i, _)| span.end + i);
    let start = before[near_start..].rfind(SENTENCE_ENDS).map_or(near_start, |i| {
        let i = near_start + i;
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = text[span.end..near_end].find(SENTENCE_ENDS).map_or(near_end, |i| {
        let i = span.end + i;
        i + text[i..].chars().next().map_or(0, char::len_utf8)
    });
    text.get(start..end).unwrap_or_default().trim().to_owned()
}

/// Each match's offset and length, its context's text and offset.
#[cfg(test)]
pub(crate) fn match_spans(answer: &Answer) -> Vec<(usize, usize, String, usize)> {
    answer
        .matches
        .iter()
        .map(|m| (m.offset, m.length, m.context.text.clone(), m.context.offset))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_and_sentence_in_utf16_units() {
        let text = "好的。亲😊我不能给您改价哦!谢谢";
        let start = text.find("我不能").expect("present");
        let span = start..start + "我不能".len();
        let context = context(text, span.clone());
        assert_eq!(context.text, text, "short texts are shown whole");
        // 好 的 。 亲 are 4 units, 😊 is 2.
        assert_eq!((context.offset, context.length), (6, 3));
        assert_eq!(sentence(text, span), "亲😊我不能给您改价哦!");
        let long = format!("{}但是{}", "一".repeat(50), "二".repeat(50));
        let at = long.find("但是").expect("present");
        let context = super::context(&long, at..at + "但是".len());
        assert_eq!(
            context.text,
            format!("...{}但是{}...", "一".repeat(40), "二".repeat(40))
        );
        assert_eq!((context.offset, context.length), (43, 2));
    }

    #[test]
    fn languages_and_categories() {
        assert_eq!(script_of(Some("zh-TW")), Ok(Some(Script::Traditional)));
        assert_eq!(script_of(Some("auto")), Ok(None));
        assert_eq!(
            script_of(Some("en-US")).map_err(|e| e.field),
            Err(Some("language".into()))
        );
        assert_eq!(category_id("over-promise"), "OVER_PROMISE");
        assert_eq!(category("OVER_PROMISE"), "over-promise");
    }
}
