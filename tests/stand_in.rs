//! Linters for running the rules' own examples: the built-in rules of a
//! mode, given every `patterns-from` rule's stand-in list (made-up names
//! such as BrandX, `[rule.examples] stand-in`) as the configuration list
//! that rule reads.

use kefu_lint::{ConfigList, Linter, Mode};

/// The built-in linter of `mode` with the examples' stand-in lists configured.
pub fn examples_linter(mode: Mode) -> Linter {
    let mut competitors = Vec::new();
    for rule in Linter::builtin_in(mode).rules() {
        match rule.patterns_from {
            Some(ConfigList::Competitors) => competitors.extend(rule.examples.stand_in.iter().cloned()),
            None => {}
        }
    }
    Linter::builder()
        .mode(mode)
        .competitors(competitors)
        .build()
        .expect("the stand-in lists are valid")
}
