//! Checks Chinese customer-service replies (客服回复) for the language service
//! guidelines forbid, and proposes the courteous rewrite they recommend.
//!
//! A [`Linter`] holds rules loaded from rule packs (TOML; the built-in packs
//! live in `rules/` and are embedded at build time). [`Linter::check`] takes
//! one reply and returns [`Finding`]s with byte spans into the reply exactly
//! as given; [`Linter::fix`] applies the fixes up to a chosen
//! [`Applicability`].
//!
//! Matching is one Aho-Corasick pass over the *folded* reply: full-width
//! forms, case and Traditional characters are folded first (`保證` matches
//! `保证`), and messages, suggestions and fixes come back in the script of
//! the reply (a reply written the same in both scripts, such as `嗯`, in the
//! script [`Linter::check_in`] is given).
//!
//! # Example
//!
//! ```
//! use kefu_lint::{Applicability, Linter, Script, Severity};
//!
//! let linter = Linter::builtin();
//!
//! let findings = linter.check("亲,这是活动价,我不能给您改价哦");
//! assert_eq!(findings.len(), 1);
//! assert_eq!(&*findings[0].name, "negative-ability");
//! assert_eq!(findings[0].severity, Severity::Error);
//! assert_eq!(findings[0].matched, "我不能");
//!
//! // 你 → 您 is a safe fix; everything else stays byte for byte.
//! let fixed = linter.fix("你的订单已经发货了", Applicability::Safe);
//! assert_eq!(fixed.text, "您的订单已经发货了");
//!
//! // A fix changes only the characters it names, even where folding read
//! // noise or a repeat as part of the match.
//! let fixed = linter.fix("谢谢你😊你的包裹明天就到", Applicability::Safe);
//! assert_eq!(fixed.text, "谢谢您😊您的包裹明天就到");
//!
//! // A Traditional reply is answered in Traditional; one that reads the
//! // same in both scripts, in the script of the text around it.
//! let findings = linter.check("親,我們保證明天到貨哦");
//! assert_eq!(findings[0].script, Script::Traditional);
//! assert!(findings[0].message.starts_with("不要用“保證、肯定、絕對”等字樣"));
//! let findings = linter.check_in("嗯", || Some(Script::Traditional));
//! assert_eq!(findings[0].suggestions[0], "好的沒問題");
//!
//! // Polite and compound uses stay clean.
//! assert!(linter.check("亲,店铺保证金已缴纳哦").is_empty());
//! assert!(linter.check("不知道您对哪款比较感兴趣呢?").is_empty());
//! ```

pub mod catalogue;
pub mod config;
mod excuse;
pub mod files;
mod finding;
pub mod fold;
pub mod frequency;
mod latin;
mod linter;
mod matcher;
mod named;
pub mod offsets;
mod pack;
mod pack_keys;
#[cfg(test)]
mod prefilter_shares;
mod quotes;
mod rewrite;
mod rule;
pub mod script;
pub mod session;
pub mod suggest;
mod trigger;
mod words;

/// The README's Rust example, run as a doctest so that it cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExamples;

pub use finding::{Applicability, Edit, Finding, Fix, Severity};
pub use linter::{Fixed, Linter};
pub use pack::{BUILTIN, PackError, load as load_packs};
pub use rule::{ConfigList, Examples, FixSpec, FixedExample, LazyRegex, Mode, Rule, Scope, Source, WordSense};
pub use script::Script;
