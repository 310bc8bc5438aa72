//! The native JSON API: `POST /v1/check`, `POST /v1/fix`, `GET /v1/rules`,
//! `GET /v1/rules/{id}`, `GET /healthz`.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use kefu_lint::config::FailOn;
use kefu_lint::{Applicability, Mode, Severity};
use serde::{Deserialize, Serialize};

use crate::body::{JsonBody, not_null};
use crate::error::ApiError;
use crate::findings::{Counts, EditJson, FindingJson, RuleJson, Span, shown, to_json};
use crate::linters::{NATIVE, Options};
use crate::{AppState, compute, timed_out};

/// The body of `POST /v1/check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    #[serde(default, deserialize_with = "not_null")]
    text: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    replies: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    fail_on: Option<FailOn>,
    #[serde(default, deserialize_with = "not_null")]
    mode: Option<Mode>,
    #[serde(default, deserialize_with = "not_null")]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// The findings of one reply.
#[derive(Debug, Serialize)]
pub struct Checked {
    /// The first findings, at most what is left of the request's `--max-findings`.
    findings: Vec<FindingJson>,
    /// All findings, those left out included.
    counts: Counts,
    /// Whether a finding is at least as severe as `fail_on`.
    failed: bool,
    /// Whether findings were left out (`--max-findings`).
    truncated: bool,
}

/// The answer of `POST /v1/check`: for `text`, its findings; for
/// `replies`, one result per reply, in order, and the totals.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CheckResponse {
    /// The findings of `text`.
    One(Checked),
    /// The findings of each of `replies`.
    Many {
        /// One per reply, in order.
        results: Vec<Checked>,
        /// All findings of all replies.
        counts: Counts,
        /// Whether any reply failed.
        failed: bool,
        /// Whether findings of any reply were left out (`--max-findings`).
        truncated: bool,
    },
}

/// What `POST /v1/check` is asked to check.
enum Input {
    /// One reply.
    Text(String),
    /// Several replies.
    Replies(Vec<String>),
}

/// `POST /v1/check`.
pub async fn check(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<CheckRequest>,
) -> Result<Json<CheckResponse>, ApiError> {
    let input = match (request.text, request.replies) {
        (Some(_), Some(_)) => return Err(ApiError::field("replies", "give text or replies, not both")),
        (None, None) => {
            return Err(ApiError::field(
                "text",
                "missing: give text (one reply) or replies (a list of replies)",
            ));
        }
        (Some(text), None) => Input::Text(text),
        (None, Some(replies)) if replies.len() > state.limits.max_replies => {
            return Err(ApiError::field(
                "replies",
                format!(
                    "{} replies; this server checks at most {} per request (--max-replies)",
                    replies.len(),
                    state.limits.max_replies
                ),
            ));
        }
        (None, Some(replies)) => Input::Replies(replies),
    };
    let level = Severity::from(request.fail_on.unwrap_or(state.linters.fail_on()));
    let options = Options {
        mode: request.mode,
        select: request.select,
        ignore: request.ignore,
    };
    let bytes = match &input {
        Input::Text(text) => text.len(),
        Input::Replies(replies) => replies.iter().map(String::len).sum(),
    };
    // Past it the request has been answered 503: checking the rest of the
    // replies would only keep a worker from the next request.
    let deadline = Instant::now() + state.limits.timeout;
    compute(state, options == Options::default(), bytes, move |state| {
        let linter = state.linters.get(&options, NATIVE)?;
        let mut left = state.limits.max_findings;
        let mut one = |text: &str| {
            let found = linter.check(text);
            state.metrics.checked(found.iter().map(|f| &*f.rule));
            let counts = Counts::of(found.iter().map(|f| f.severity));
            let shown = shown(&found, &mut left);
            Checked {
                findings: to_json(text, shown.iter().copied()),
                counts,
                failed: counts.reach(level),
                truncated: shown.len() < found.len(),
            }
        };
        Ok(match input {
            Input::Text(text) => CheckResponse::One(one(&text)),
            Input::Replies(replies) => {
                let results = replies
                    .iter()
                    .map(|r| {
                        if Instant::now() > deadline {
                            return Err(timed_out(state.limits.timeout));
                        }
                        Ok(one(r))
                    })
                    .collect::<Result<Vec<Checked>, ApiError>>()?;
                let counts = results.iter().fold(Counts::default(), |sum, r| sum.plus(r.counts));
                CheckResponse::Many {
                    failed: results.iter().any(|r| r.failed),
                    truncated: results.iter().any(|r| r.truncated),
                    results,
                    counts,
                }
            }
        })
    })
    .await
    .map(Json)
}

/// The body of `POST /v1/fix`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixRequest {
    text: String,
    /// Also apply unsafe fixes (tone rewrites a human should read).
    #[serde(default, rename = "unsafe")]
    unsafe_fixes: bool,
    #[serde(default, deserialize_with = "not_null")]
    mode: Option<Mode>,
    #[serde(default, deserialize_with = "not_null")]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// One fix found in the text as sent and applicable at the level asked.
#[derive(Debug, Serialize)]
pub struct AppliedFix {
    rule: Arc<str>,
    name: Arc<str>,
    applicability: Applicability,
    matched: String,
    /// Offsets in the text as sent.
    #[serde(flatten)]
    span: Span,
    edits: Vec<EditJson>,
}

/// The answer of `POST /v1/fix`.
#[derive(Debug, Serialize)]
pub struct FixResponse {
    /// The text with the fixes applied.
    text: String,
    /// The fixes of the text as sent that apply at the level asked, the
    /// first `--max-findings` of them.
    applied: Vec<AppliedFix>,
    /// Whether fixes were left out of `applied` (all were applied to `text`).
    truncated: bool,
    /// How many fixes were applied, counting those a first rewrite made
    /// possible (fixing repeats until nothing changes).
    count: usize,
}

/// `POST /v1/fix`.
pub async fn fix(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<FixRequest>,
) -> Result<Json<FixResponse>, ApiError> {
    let up_to = if request.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let options = Options {
        mode: request.mode,
        select: request.select,
        ignore: request.ignore,
    };
    let bytes = request.text.len();
    compute(state, options == Options::default(), bytes, move |state| {
        let linter = state.linters.get(&options, NATIVE)?;
        let text = request.text;
        let fixed = linter.fix(&text, up_to);
        // Fixes that undo each other (a pack's against a built-in one) give
        // the text back as sent: then none was applied, and none is listed.
        if fixed.applied == 0 {
            return Ok(FixResponse {
                text: fixed.text,
                applied: Vec::new(),
                truncated: false,
                count: 0,
            });
        }
        let found = linter.check(&text);
        let applies = |f: &&kefu_lint::Finding| {
            f.fix
                .as_ref()
                .is_some_and(|fix| fix.applicability <= up_to && fix.applicability != Applicability::DisplayOnly)
        };
        let fixable: Vec<&kefu_lint::Finding> = found.iter().filter(applies).collect();
        let shown = shown(fixable.iter().copied(), &mut state.limits.max_findings.clone());
        let applied = to_json(&text, shown.iter().copied())
            .into_iter()
            .filter_map(|f| {
                let fix = f.fix?;
                Some(AppliedFix {
                    rule: f.rule,
                    name: f.name,
                    applicability: fix.applicability,
                    matched: f.matched,
                    span: f.span,
                    edits: fix.edits,
                })
            })
            .collect();
        Ok(FixResponse {
            text: fixed.text,
            applied,
            truncated: shown.len() < fixable.len(),
            count: fixed.applied,
        })
    })
    .await
    .map(Json)
}

/// The answer of `GET /v1/rules`.
#[derive(Debug, Serialize)]
pub struct RulesResponse {
    rules: Vec<RuleJson>,
}

/// `GET /v1/rules`: the rules the configuration runs, in pack order.
pub async fn rules(State(state): State<AppState>) -> Json<RulesResponse> {
    let linter = state.linters.default_linter();
    Json(RulesResponse {
        rules: linter.rules().iter().map(RuleJson::from).collect(),
    })
}

/// The answer of `GET /v1/rules/{id}`.
#[derive(Debug, Serialize)]
pub struct RuleResponse {
    #[serde(flatten)]
    rule: RuleJson,
    /// What `kefu-lint explain` prints: what it flags, why, examples, the rewrite.
    explain: String,
}

/// `GET /v1/rules/{id}`: one rule by id or name (any ASCII case).
pub async fn rule(
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
) -> Result<Json<RuleResponse>, ApiError> {
    let Path(key) = key.map_err(|_| ApiError::field("id", "not UTF-8 once percent-decoded: no rule has this id"))?;
    let linter = state.linters.default_linter();
    let found = kefu_lint::catalogue::find(linter.rules(), &key).zip(linter.explain(&key));
    let (rule, explain) = found.ok_or_else(|| {
        let names = linter.rules().iter().flat_map(|r| [&*r.id, &*r.name]);
        let hint = kefu_lint::suggest::nearest(&key, names)
            .map(|near| format!(" (did you mean {near}?)"))
            .unwrap_or_default();
        let key = kefu_lint::suggest::cut(&key);
        ApiError::not_found(format!("no rule {key:?}{hint}; GET /v1/rules lists them"))
    })?;
    Ok(Json(RuleResponse {
        rule: RuleJson::from(rule),
        explain,
    }))
}

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    rules: usize,
}

/// `GET /healthz`: the server is up, with the number of rules it runs.
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        rules: state.linters.default_linter().rules().len(),
    })
}
