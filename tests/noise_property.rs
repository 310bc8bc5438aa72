//! Noise as the generated table defines it (`kefu_lint::fold::noise`):
//! inserted between two Han characters of a rule's `bad` example it leaves
//! the example flagged by the same rule, and inserted into an `ok` example
//! it does not make the rule fire. A space, an ideographic space or a tab
//! typed between two pairs of Han characters may end a clause (the rules
//! read it as a writer's break: docs/accuracy.md), so it may make a rule
//! fire on an `ok` example; every other noise character may not.

mod stand_in;

use kefu_lint::{Linter, Mode};
use proptest::prelude::*;
use std::sync::OnceLock;

/// The built-in linters of both modes, given the examples' stand-in lists
/// (see [`stand_in`]): each rule's examples are checked by a linter of a
/// mode the rule applies in.
fn linters() -> &'static [Linter; 2] {
    static LINTERS: OnceLock<[Linter; 2]> = OnceLock::new();
    LINTERS.get_or_init(|| [Mode::Draft, Mode::Library].map(stand_in::examples_linter))
}

fn noise() -> &'static [char] {
    static NOISE: OnceLock<Vec<char>> = OnceLock::new();
    NOISE.get_or_init(|| kefu_lint::fold::noise().collect())
}

/// The noise that is never a clause break: all but the space, the
/// ideographic space and the tab.
fn silent_noise() -> &'static [char] {
    static NOISE: OnceLock<Vec<char>> = OnceLock::new();
    NOISE.get_or_init(|| {
        noise()
            .iter()
            .copied()
            .filter(|c| !matches!(c, ' ' | '\u{3000}' | '\t'))
            .collect()
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The byte offsets in `text` that lie between two Han characters.
fn han_gaps(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars
        .windows(2)
        .filter(|w| is_han(w[0].1) && is_han(w[1].1))
        .map(|w| w[1].0)
        .collect()
}

/// `text` with `noise` inserted at the `pick`-th gap between two Han
/// characters (modulo their number), or `None` when it has no such gap.
fn insert(text: &str, pick: usize, noise: char) -> Option<String> {
    let gaps = han_gaps(text);
    let at = *gaps.get(pick % gaps.len().max(1))?;
    Some(format!("{}{noise}{}", &text[..at], &text[at..]))
}

/// An example to check: the linter, the rule's id and the text.
type Example = (usize, String, String);

fn flags((linter, rule, _): &Example, text: &str) -> bool {
    linters()[*linter].check(text).iter().any(|f| f.rule.as_ref() == rule)
}

/// Every rule's bad examples (or its ok examples), with the linter to check them.
fn examples(bad: bool) -> Vec<Example> {
    linters()
        .iter()
        .enumerate()
        .flat_map(|(i, linter)| linter.rules().iter().map(move |r| (i, r)))
        .flat_map(|(i, r)| {
            let list = if bad { &r.examples.bad } else { &r.examples.ok };
            list.iter().map(move |e| (i, r.id.to_string(), e.clone()))
        })
        .collect()
}

#[test]
fn the_noise_table_is_large_and_covers_every_kind() {
    let noise = noise();
    // Symbols, marks, format characters and spaces, in both planes.
    assert!(noise.len() > 5000, "{}", noise.len());
    for c in ['\u{a0}', '\u{3164}', '\u{e0041}', '\u{e0100}', '😀', '™', '\u{301}'] {
        assert!(noise.contains(&c), "U+{:04X}", u32::from(c));
    }
}

#[test]
fn every_noise_character_keeps_a_protected_word_flagged() {
    let protect = (0, "KF008".to_owned(), String::new());
    let failures: Vec<String> = noise()
        .iter()
        .map(|n| format!("亲,我们保{n}证明天到货"))
        .filter(|reply| !flags(&protect, reply))
        .collect();
    assert!(failures.is_empty(), "not flagged: {failures:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn noise_between_han_characters_keeps_a_bad_example_flagged(
        example in proptest::sample::select(examples(true)),
        pick in any::<usize>(),
        noise in proptest::sample::select(noise()),
    ) {
        if let Some(noisy) = insert(&example.2, pick, noise) {
            prop_assert!(flags(&example, &noisy), "{} not flagged: {:?}", example.1, noisy);
        }
    }

    #[test]
    fn noise_between_han_characters_keeps_an_ok_example_clean(
        example in proptest::sample::select(examples(false)),
        pick in any::<usize>(),
        noise in proptest::sample::select(silent_noise()),
    ) {
        if let Some(noisy) = insert(&example.2, pick, noise) {
            prop_assert!(!flags(&example, &noisy), "{} wrongly flagged: {:?}", example.1, noisy);
        }
    }
}
