//! What the browser tests share: Debian's headless Chromium, and the node
//! scripts in `tests/playground/` that drive it through Playwright
//! (`playwright-core`, pinned in `tests/playground/package-lock.json`,
//! installed with `npm ci` when missing). Without node, npm or chromium a
//! browser test fails and says what to install.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// The repository root.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The Chromium the tests drive: `$CHROMIUM`, else Debian's.
pub fn chromium() -> PathBuf {
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        chromium.is_file(),
        "{} not found: the browser tests need Chromium (apt-get install -y chromium; .ci/run does)",
        chromium.display()
    );
    chromium
}

/// The test scripts' directory, with its node modules installed.
pub fn scripts() -> PathBuf {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|out| out.status.success()),
        "node not found: the browser tests need Node.js 20 or later (apt-get install -y nodejs npm)"
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

/// Runs the node script `script` of [`scripts`] with `env` and the
/// Chromium to drive, printing what it said and how long it took, and
/// returns its output. `artifacts`: where it saves its screenshots.
pub fn run_script(script: &str, artifacts: &Path, env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let chromium = chromium();
    let dir = scripts();
    let started = Instant::now();
    let out = Command::new("node")
        .arg(script)
        .current_dir(&dir)
        .env("KEFU_LINT_ARTIFACTS", artifacts)
        .env("CHROMIUM", &chromium)
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .output()
        .expect("node runs");
    eprintln!(
        "{}{}browser tests: {:.1} s; screenshots in {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        started.elapsed().as_secs_f64(),
        artifacts.display()
    );
    out
}
