//! The linter: rules plus their matcher, checking and fixing replies.

use std::ops::Range;
use std::sync::Arc;

use crate::catalogue;
use crate::config::LinterBuilder;
use crate::finding::{Applicability, Finding, Fix};
use crate::matcher::{Matcher, Regexes};
use crate::pack::{self, PackError};
use crate::rewrite::{self, edits};
use crate::rule::{Mode, Rule};
use crate::script::Script;

/// Checks replies against a set of rules.
///
/// Build it once and reuse it: it is `Send + Sync`, and `check` takes `&self`.
#[derive(Debug)]
pub struct Linter {
    rules: Vec<Rule>,
    matcher: Matcher,
    /// The rules with `max-chars`, and their limits (characters).
    long: Vec<(usize, usize)>,
    /// The script of findings in a reply written the same in both scripts.
    script: Option<Script>,
}

/// The result of [`Linter::fix`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    /// The reply with the fixes applied; byte-for-byte the same elsewhere.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
}

/// Fixing runs again on its own output until nothing changes, at most this often.
const MAX_FIX_PASSES: usize = 8;

impl Linter {
    /// A linter with the built-in rule packs (`rules/*.toml`).
    ///
    /// # Panics
    /// Never in a released build: the built-in packs are validated by the test suite.
    pub fn builtin() -> Linter {
        Linter::builtin_in(Mode::Draft)
    }

    /// A linter with the built-in rules that apply in `mode`.
    ///
    /// # Panics
    /// Never in a released build: the built-in packs are validated by the test suite.
    pub fn builtin_in(mode: Mode) -> Linter {
        let rules = pack::builtin_rules()
            .iter()
            .filter(|r| r.applies_in(mode))
            .cloned()
            .collect();
        Linter::from_rules(rules).expect("built-in rule packs are valid")
    }

    /// A builder of a linter as a `kefu-lint.toml` and the command line's
    /// rule options describe it: the same file gives the same rules, modes,
    /// severities and allowed phrases in the CLI, the Python package and
    /// the HTTP service.
    ///
    /// ```
    /// use kefu_lint::{Linter, Mode};
    ///
    /// let linter = Linter::builder().mode(Mode::Library).select(["but", "KF011"]).build()?;
    /// assert_eq!(linter.check("但是你可以退货").len(), 2);
    /// assert!(linter.check("亲,我不能改价").is_empty(), "negative-ability is not selected");
    /// # Ok::<(), kefu_lint::config::ConfigError>(())
    /// ```
    pub fn builder() -> LinterBuilder {
        LinterBuilder::default()
    }

    /// A linter with the given packs, `(file name, TOML text)`.
    ///
    /// # Errors
    /// A [`PackError`] naming the file, rule and place of the first problem.
    pub fn from_packs(packs: &[(&str, &str)]) -> Result<Linter, PackError> {
        Linter::from_rules(pack::load(packs)?)
    }

    /// A linter with already loaded rules.
    ///
    /// # Errors
    /// As [`Linter::new`].
    pub fn from_rules(rules: Vec<Rule>) -> Result<Linter, PackError> {
        Linter::new(rules, &[])
    }

    /// A linter with already loaded rules and allowed phrases: nothing inside
    /// an allowed phrase (保证正品 for a shop that may say it) is flagged.
    ///
    /// # Errors
    /// A [`PackError`] when the rules' phrases are too many for the matching
    /// automata (far beyond any real pack), naming the likeliest rule.
    pub fn new(rules: Vec<Rule>, allowed: &[String]) -> Result<Linter, PackError> {
        let matcher = Matcher::new(&rules, allowed)?;
        let long = rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, r.max_chars?)))
            .collect();
        Ok(Linter {
            rules,
            matcher,
            long,
            script: None,
        })
    }

    /// This linter, answering a reply written the same in both scripts
    /// (`嗯`, `不知道`) in `script` (the configuration's `script`); with
    /// `None`, as [`Linter::check_in`] is told, else in Simplified.
    #[must_use]
    pub fn with_script(mut self, script: Option<Script>) -> Linter {
        self.script = script;
        self
    }

    /// The rules, in pack order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// What the rule with id or name `key` (any ASCII case) flags, why
    /// (its guideline, by title, and the passage), its examples and its
    /// rewrite: the text `kefu-lint explain` prints, in the linter's script
    /// (Simplified unless [`Linter::with_script`] said otherwise). `None`
    /// when no rule of this linter has that id or name.
    pub fn explain(&self, key: &str) -> Option<String> {
        let rule = catalogue::find(&self.rules, key)?;
        Some(catalogue::explain(rule, self.script.unwrap_or_default()))
    }

    /// All findings in `reply`, ordered by position; messages, suggestions
    /// and fixes in the reply's script (see [`Linter::check_in`]).
    ///
    /// Spans are byte offsets into `reply` as given. Never panics.
    pub fn check(&self, reply: &str) -> Vec<Finding> {
        self.check_in(reply, || None)
    }

    /// All findings in `reply`, ordered by position, with their messages,
    /// suggestions and fixes in the reply's script ([`Script::of`]). A reply
    /// written the same in both scripts (`嗯`, `不知道`) is answered in the
    /// linter's script ([`Linter::with_script`]), else in the script
    /// `around` gives (the script of the text around the reply, such as the
    /// rest of its file; asked only for such a reply with findings), else in
    /// Simplified.
    ///
    /// Spans are byte offsets into `reply` as given. Never panics.
    pub fn check_in(&self, reply: &str, around: impl FnOnce() -> Option<Script>) -> Vec<Finding> {
        self.check_with(reply, around, Regexes::Triggered)
    }

    /// [`Linter::check`] with every regular expression run on every reply,
    /// instead of only on replies holding its trigger literals: the
    /// reference the tests compare `check` with (the findings must be the
    /// same). Several times slower; not part of the API.
    #[doc(hidden)]
    pub fn check_every_regex(&self, reply: &str) -> Vec<Finding> {
        self.check_with(reply, || None, Regexes::All)
    }

    fn check_with(&self, reply: &str, around: impl FnOnce() -> Option<Script>, regexes: Regexes) -> Vec<Finding> {
        let folded = self.matcher.fold(reply);
        let hits = self.matcher.hits(&folded, regexes);
        let long = self.long_reply(reply);
        if hits.is_empty() && long.is_empty() {
            return Vec::new();
        }
        let script = folded.script().or(self.script).or_else(around).unwrap_or_default();
        let mut findings: Vec<(usize, Finding)> = hits
            .into_iter()
            .map(|hit| {
                let rule = &self.rules[hit.rule];
                let span = folded.original(hit.span.clone());
                let fix = rule
                    .fix
                    .as_ref()
                    .zip(rule.replacement_in(script))
                    .and_then(|(spec, replacement)| {
                        Some(Fix {
                            edits: edits(reply, span.clone(), &folded.text[hit.span.clone()], replacement)?,
                            applicability: spec.applicability,
                        })
                    });
                (
                    hit.rule,
                    finding(rule, reply, span, rule.message_in(script), script, fix),
                )
            })
            .collect();
        if !long.is_empty() {
            findings.extend(long.into_iter().map(|(i, span, length)| {
                let rule = &self.rules[i];
                (
                    i,
                    finding(rule, reply, span, rule.message_for_length(script, length), script, None),
                )
            }));
            findings.sort_by_key(|(rule, f)| (f.span.start, *rule, f.span.end));
        }
        findings.into_iter().map(|(_, f)| f).collect()
    }

    /// The `max-chars` rules `reply` is too long for, each with the part
    /// past its limit and the reply's length. The length is counted in
    /// characters (Unicode scalar values) of the reply as written, without
    /// the white space it starts or ends with (a chat window does not show
    /// it); noise and white space inside count. Takes time in the limit
    /// (in the reply's length for a reply over it), and none for a reply
    /// of at most the smallest limit in bytes.
    fn long_reply(&self, reply: &str) -> Vec<(usize, Range<usize>, usize)> {
        let mut long = Vec::new();
        if self.long.iter().all(|&(_, max)| reply.len() <= max) {
            return long;
        }
        let trimmed = reply.trim();
        let offset = reply.len() - reply.trim_start().len();
        for &(rule, max) in &self.long {
            if let Some((at, _)) = trimmed.char_indices().nth(max) {
                let length = max + trimmed[at..].chars().count();
                long.push((rule, offset + at..offset + trimmed.len(), length));
            }
        }
        long
    }

    /// Applies the fixes of `reply`'s findings whose applicability is at most
    /// `up_to` (`Unsafe` includes `Safe`; `DisplayOnly` fixes are never applied).
    ///
    /// A fix changes only the characters its finding names (noise between
    /// them stays) and is applied whole or not at all; one that overlaps an
    /// earlier fix waits for the next pass, and passes repeat until nothing
    /// changes (at most 8), or until a pass gives back an earlier pass's
    /// text (fixes that undo each other), which is then the result, with
    /// the fixes applied up to it. Text outside the edits is kept byte for
    /// byte.
    pub fn fix(&self, reply: &str, up_to: Applicability) -> Fixed {
        self.fix_in(reply, up_to, || None)
    }

    /// [`Linter::fix`], the rewrites of a reply written the same in both
    /// scripts in the script `around` gives, as [`Linter::check_in`] does.
    pub fn fix_in(&self, reply: &str, up_to: Applicability, around: impl Fn() -> Option<Script>) -> Fixed {
        // Each pass's text and the fixes applied before it: fixes that undo
        // each other (a pack's 您的 → 你的 against 你 → 您) bring a text back,
        // and fixing stops at its first appearance, as if they had not run.
        let mut passes: Vec<(String, usize)> = vec![(reply.to_owned(), 0)];
        for _ in 0..MAX_FIX_PASSES {
            let (text, applied) = passes.last().expect("the reply is the first pass");
            let fixes: Vec<Fix> = self
                .check_in(text, &around)
                .into_iter()
                .filter_map(|f| f.fix)
                .filter(|f| f.applicability <= up_to && f.applicability != Applicability::DisplayOnly)
                .collect();
            let (out, count) = rewrite::apply(text, fixes);
            if count == 0 {
                break;
            }
            if let Some(at) = passes.iter().position(|(earlier, _)| *earlier == out) {
                passes.truncate(at + 1);
                break;
            }
            let applied = applied + count;
            passes.push((out, applied));
        }
        let (text, applied) = passes.pop().expect("the reply is the first pass");
        Fixed { text, applied }
    }
}

/// A finding of `rule` at `span` of `reply`.
fn finding(
    rule: &Rule,
    reply: &str,
    span: Range<usize>,
    message: Arc<str>,
    script: Script,
    fix: Option<Fix>,
) -> Finding {
    Finding {
        rule: rule.id.clone(),
        name: rule.name.clone(),
        category: rule.category.clone(),
        severity: rule.severity,
        message,
        matched: reply[span.clone()].to_owned(),
        span,
        suggestions: rule.suggestions_in(script),
        script,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn linter_is_send_and_sync() {
        assert_send_sync::<Linter>();
    }

    #[test]
    fn a_space_typed_between_clauses_ends_a_clause_for_the_rules() {
        let linter = Linter::builtin();
        let rules = |reply: &str| -> Vec<String> { linter.check(reply).iter().map(|f| f.rule.to_string()).collect() };
        let matched = |reply: &str, rule: &str| -> Vec<String> {
            let found = linter.check(reply);
            found
                .iter()
                .filter(|f| &*f.rule == rule)
                .map(|f| reply[f.span.clone()].to_string())
                .collect()
        };
        // A clause that opens with a refusal, after a space (KF004); an
        // order opening a clause (KF014); each span as written.
        assert_eq!(matched("不可以的 是的", "KF004"), ["不可以"]);
        assert_eq!(matched("您好 发我订单号", "KF014"), ["发我"]);
        // A space after a word the clause goes on from is no break (不能 保证:
        // the disclaimer stays clean), and a space inside a word hides no
        // phrase that excuses a match (保 证金 is still 保证金).
        assert_eq!(matched("店铺保 证金已缴纳", "KF008"), Vec::<String>::new());
        assert_eq!(rules("我们这边不能 保证明天到货,一般两天到哦"), Vec::<String>::new());
        assert_eq!(matched("如果 取消不了 我帮您重新下单", "KF001"), Vec::<String>::new());
        // A refusal ending its clause at a space is negative ability (KF001),
        // and the hint for a reason (KF023) gives way to it.
        let reply = "订单上不能修改的呢 只能原发票开具后换开呢";
        assert_eq!(matched(reply, "KF001"), ["不能修改"]);
        assert_eq!(matched(reply, "KF023"), Vec::<String>::new());
        // Without the space, or with noise typed between every character, no clause opens there.
        assert_eq!(matched("您好发我订单号", "KF014"), Vec::<String>::new());
        assert_eq!(rules("宝 宝 喂 奶 的 时 候 用 这 个 很 方 便 哦"), Vec::<String>::new());
    }

    #[test]
    fn fix_keeps_everything_else() {
        let linter = Linter::builtin();
        let fixed = linter.fix("亲,你的订单 \u{200b}已经发货了\r", Applicability::Safe);
        assert_eq!(fixed.text, "亲,您的订单 \u{200b}已经发货了\r");
        assert_eq!(fixed.applied, 1);
    }

    #[test]
    fn fixes_that_undo_each_other_leave_the_reply_as_it_was() {
        let pack = "[pack]\nname = \"shop\"\ndescription = \"d\"\n\
                    [[rule]]\nid = \"S001\"\nname = \"yours\"\ncategory = \"shop\"\nseverity = \"warning\"\n\
                    summary = \"s\"\nmessage = \"m\"\npatterns = [\"您的\"]\n\
                    fix = { applicability = \"safe\", replacement = \"你的\" }\n\
                    source = { seed = \"shop\", passage = \"p\" }\n";
        let mut sources = crate::BUILTIN.to_vec();
        sources.push(("shop.toml", pack));
        let linter = Linter::new(crate::load_packs(&sources).expect("valid"), &[]).expect("a linter");
        for reply in ["您的订单", "你的订单"] {
            let fixed = linter.fix(reply, Applicability::Safe);
            assert_eq!(fixed.text, reply, "no pass is kept when the text comes back");
            assert_eq!(fixed.applied, 0, "{reply}: nothing changed, nothing applied");
        }
    }

    #[test]
    fn fix_keeps_what_lies_between_repeated_characters() {
        let linter = Linter::builtin();
        for (reply, fixed) in [
            ("谢谢你😊你的包裹明天就到", "谢谢您😊您的包裹明天就到"),
            ("谢谢你 你的订单已发货", "谢谢您 您的订单已发货"),
            ("给你 你看看", "给您 您看看"),
            ("给你你看看", "给您您看看"),
        ] {
            assert_eq!(linter.fix(reply, Applicability::Safe).text, fixed, "{reply}");
        }
        // A word that repeats the match's last character is a word of its own.
        for (reply, fixed) in [("但是是我们的错", "不过是我们的错"), ("但是是这样的", "不过是这样的")]
        {
            assert_eq!(linter.fix(reply, Applicability::Unsafe).text, fixed, "{reply}");
        }
        // A rewrite of another length cannot be placed around the noise: reported, not fixed.
        let findings = linter.check("嗯 嗯");
        assert!(
            findings
                .iter()
                .any(|f| &*f.name == "bare-acknowledgement" && f.fix.is_none())
        );
        assert_eq!(linter.fix("嗯 嗯", Applicability::Unsafe).text, "嗯 嗯");
        assert_eq!(linter.fix("嗯", Applicability::Unsafe).text, "好的没问题");
        let many = "你".repeat(40_000);
        assert_eq!(linter.fix(&many, Applicability::Safe).text, "您".repeat(40_000));
    }

    #[test]
    fn safe_fix_leaves_unsafe_rewrites() {
        let linter = Linter::builtin();
        let reply = "很显瘦,但是面料有点薄";
        assert_eq!(linter.fix(reply, Applicability::Safe).text, reply);
        assert_eq!(linter.fix(reply, Applicability::Unsafe).text, "很显瘦,不过面料有点薄");
    }

    #[test]
    fn exceptions_of_one_rule_never_hide_another_rules_words() {
        let rule = |id: &str, patterns: &str, exceptions: &str| {
            let name = id.to_lowercase();
            format!(
                "[[rule]]\nid = \"{id}\"\nname = \"rule-{name}\"\ncategory = \"t\"\nseverity = \"warning\"\n\
                 summary = \"s\"\nmessage = \"m\"\npatterns = {patterns}\nexceptions = {exceptions}\n\
                 source = {{ seed = \"x.txt\", passage = \"p\" }}\n"
            )
        };
        let pack = "[pack]\nname = \"t\"\ndescription = \"test\"\n".to_owned()
            + &rule("T001", r#"["保证"]"#, r#"["保证金"]"#)
            + &rule("T002", r#"["金额"]"#, "[]");
        let linter = Linter::from_packs(&[("t.toml", &pack)]).expect("valid pack");
        // 保证金 excuses 保证 (T001) but overlaps 金额, which T002 still flags.
        let found: Vec<(String, String)> = linter
            .check("保证金额已退")
            .into_iter()
            .map(|f| (f.rule.to_string(), f.matched))
            .collect();
        assert_eq!(found, [("T002".to_owned(), "金额".to_owned())]);
        assert_eq!(linter.check("保证明天到").len(), 1);
    }

    #[test]
    fn a_regex_runs_when_its_trigger_lies_inside_a_longer_literal() {
        let pack = "[pack]\nname = \"t\"\ndescription = \"test\"\n\
            [[rule]]\nid = \"T001\"\nname = \"we-cannot\"\ncategory = \"t\"\nseverity = \"warning\"\n\
            summary = \"s\"\nmessage = \"m\"\npatterns = [\"我们不会\"]\n\
            source = { seed = \"x.txt\", passage = \"p\" }\n\
            [[rule]]\nid = \"T002\"\nname = \"will-not-refund\"\ncategory = \"t\"\nseverity = \"warning\"\n\
            summary = \"s\"\nmessage = \"m\"\nregex = ['不会退+']\n\
            source = { seed = \"x.txt\", passage = \"p\" }\n";
        let linter = Linter::from_packs(&[("t.toml", pack)]).expect("valid pack");
        // The automaton reports 我们不会 (T001), across which T002’s trigger 不会退 begins.
        let rules: Vec<String> = linter
            .check("我们不会退的")
            .into_iter()
            .map(|f| f.rule.to_string())
            .collect();
        assert_eq!(rules, ["T001", "T002"]);
    }

    #[test]
    fn a_rule_with_keep_nested_is_reported_inside_a_longer_finding() {
        let linter = Linter::builtin();
        let rules =
            |reply: &str| -> Vec<String> { linter.check(reply).into_iter().map(|f| f.rule.to_string()).collect() };
        // 你 for 您 (KF011, keep-nested) inside the brush-off 你自己看吧 (KF003): two faults.
        assert_eq!(rules("详情页都写了,你自己看吧"), ["KF011", "KF003"]);
        // 闭嘴 (insult) inside the order 你给我闭嘴 is part of the order.
        assert!(!rules("你给我闭嘴").contains(&"KF013".to_owned()));
    }

    #[test]
    fn allowed_phrases_are_not_flagged() {
        let rules = pack::load(pack::BUILTIN).expect("valid");
        let linter = Linter::new(rules, &["保证正品".to_owned()]).expect("valid");
        assert!(linter.check("亲,我们保证正品哦").is_empty());
        assert!(!linter.check("亲,我们保证明天到哦").is_empty());
    }

    #[test]
    fn modes_choose_placeholder_rules() {
        let draft = Linter::builtin_in(Mode::Draft);
        let library = Linter::builtin_in(Mode::Library);
        assert!(
            draft
                .check("亲,您的订单{订单号}已发货哦")
                .iter()
                .any(|f| &*f.name == "placeholder")
        );
        assert!(library.check("亲,您的订单{订单号}已发货哦").is_empty());
        assert!(
            library
                .check("亲,您的订单{订单号已发货哦")
                .iter()
                .any(|f| &*f.name == "malformed-placeholder")
        );
    }

    #[test]
    fn traditional_reply_gets_traditional_suggestions() {
        let linter = Linter::builtin();
        let findings = linter.check("這個我真的不知道");
        let f = findings.iter().find(|f| &*f.category == "dont-know").expect("flagged");
        assert_eq!(f.matched, "不知道");
        assert!(f.suggestions.iter().any(|s| s.contains("幫您")), "{:?}", f.suggestions);
    }

    #[test]
    fn a_neutral_reply_takes_the_linters_script_then_the_one_around_it() {
        let linter = Linter::builtin();
        let script = |l: &Linter, reply: &str, around: Option<Script>| -> Vec<Script> {
            l.check_in(reply, || around).iter().map(|f| f.script).collect()
        };
        assert!(script(&linter, "嗯", None).iter().all(|&s| s == Script::Simplified));
        assert!(
            script(&linter, "嗯", Some(Script::Traditional))
                .iter()
                .all(|&s| s == Script::Traditional)
        );
        // The reply's own script wins over what is around it.
        let own = script(&linter, "這個我真的不知道", Some(Script::Simplified));
        assert!(!own.is_empty() && own.iter().all(|&s| s == Script::Traditional));
        // The linter's script (the configuration's) wins over what is around.
        let configured = Linter::builtin().with_script(Some(Script::Simplified));
        assert!(
            script(&configured, "嗯", Some(Script::Traditional))
                .iter()
                .all(|&s| s == Script::Simplified)
        );
        // `around` is asked only for a neutral reply with findings.
        let asked = std::cell::Cell::new(0);
        for reply in ["这个我不知道", "您好哦", "嗯"] {
            linter.check_in(reply, || {
                asked.set(asked.get() + 1);
                None
            });
        }
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn a_long_reply_is_measured_without_the_white_space_around_it() {
        let linter = Linter::builtin();
        let long = |reply: &str| linter.check(reply).into_iter().find(|f| &*f.name == "long-reply");
        let body = "您好哦".repeat(60);
        assert!(long(&format!("\u{3000} {} \t", &body[..150 * 3])).is_none());
        let f = long(&format!("\u{3000} {body} \t")).expect("flagged");
        assert_eq!(f.matched, &body[150 * 3..]);
        assert!(
            f.message.starts_with("这条回复有180个字,超过了150个字"),
            "{}",
            f.message
        );
        assert!(long(&" ".repeat(400)).is_none());
    }

    #[test]
    fn spans_cover_original_characters() {
        let linter = Linter::builtin();
        let reply = "我們保證明天到貨";
        let findings = linter.check(reply);
        let f = findings.iter().find(|f| &*f.name == "over-promise").expect("flagged");
        assert_eq!(&reply[f.span.clone()], "保證");
        assert_eq!(f.matched, "保證");
    }
}
