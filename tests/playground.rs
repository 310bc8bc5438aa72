//! The playground page in a real browser: the real binary on an ephemeral
//! port, and `tests/playground/playground.test.cjs` driving headless
//! Chromium (see `browser_support`). Screenshots go to
//! `target/tmp/playground/`.

mod browser_support;
mod serve_support;

use std::path::Path;

use serve_support::Server;

#[test]
fn the_playground_page_in_headless_chromium() {
    let server = Server::start(&["--no-config"]);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("playground");
    let out = browser_support::run_script(
        "playground.test.cjs",
        &artifacts,
        &[("KEFU_LINT_URL", std::ffi::OsStr::new(&server.base))],
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the browser tests failed:\n{report}");
    assert!(report.contains("all 12 passed"), "every case ran:\n{report}");
    assert!(artifacts.join("playground.png").is_file(), "the screenshot is saved");
}
