//! The playground page in a real browser: the real binary on an ephemeral
//! port, and `tests/playground/playground.test.cjs` driving Debian's
//! headless Chromium through Playwright (`playwright-core`, pinned in
//! `tests/playground/package-lock.json`, installed with `npm ci` when
//! missing). Without node, npm or chromium this test fails and says what to
//! install. Screenshots go to `target/tmp/playground/`.

mod serve_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serve_support::{ROOT, Server};

/// The Chromium the tests drive: `$CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        chromium.is_file(),
        "{} not found: the playground's browser tests need Chromium (apt-get install -y chromium; .ci/run does)",
        chromium.display()
    );
    chromium
}

/// The test scripts' directory, with its node modules installed.
fn scripts() -> PathBuf {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|out| out.status.success()),
        "node not found: the playground's browser tests need Node.js 20 or later (apt-get install -y nodejs npm)"
    );
    let dir = Path::new(ROOT).join("tests/playground");
    if !dir.join("node_modules/playwright-core/package.json").is_file() {
        let installed = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status();
        assert!(
            installed.is_ok_and(|s| s.success()),
            "npm ci in tests/playground failed: the browser tests need playwright-core from npm"
        );
    }
    dir
}

#[test]
fn the_playground_page_in_headless_chromium() {
    let chromium = chromium();
    let dir = scripts();
    let server = Server::start(&["--no-config"]);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("playground");
    let started = Instant::now();
    let out = Command::new("node")
        .arg("playground.test.cjs")
        .current_dir(&dir)
        .env("KEFU_LINT_URL", &server.base)
        .env("KEFU_LINT_ARTIFACTS", &artifacts)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&out.stdout);
    eprintln!(
        "{report}{}browser tests: {:.1} s; screenshots in {}",
        String::from_utf8_lossy(&out.stderr),
        started.elapsed().as_secs_f64(),
        artifacts.display()
    );
    assert!(out.status.success(), "the browser tests failed:\n{report}");
    assert!(report.contains("all 10 passed"), "every case ran:\n{report}");
    assert!(artifacts.join("playground.png").is_file(), "the screenshot is saved");
}
