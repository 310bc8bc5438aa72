//! Every console example in README.md and docs/*.md runs, and prints exactly
//! what the document shows, so the documents cannot drift from the tool.
//!
//! The examples are ```` ```console ```` blocks in trycmd's format: `$ kefu-lint
//! ARGS` runs from the repository root without colour; `? STATUS` gives the
//! exit status (`success` when absent); the lines after are standard output
//! and standard error as one stream. `...` on a line of its own stands for
//! any lines, `[..]` for the rest of a line. Blocks of other languages
//! (`sh`, `text`, `toml`) are not run.

use std::path::Path;

#[test]
fn every_documented_example_prints_what_the_document_shows() {
    // This test binary holds this one test, so changing the process's
    // directory affects nothing else; the examples name paths from the root.
    std::env::set_current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).expect("repository root");
    trycmd::TestCases::new()
        .register_bin("kefu-lint", Path::new(env!("CARGO_BIN_EXE_kefu-lint")))
        .env("NO_COLOR", "1")
        .case("README.md")
        .case("docs/*.md");
}
