//! `examples/github-workflow.yml`, tested offline: the file is YAML a
//! workflow runner can read, installs kefu-lint from a path or a git tag
//! (its install step, run with a stand-in `cargo`, asks for one or the
//! other), and the shell of its "Check the changed files" step, run in a git
//! repository with two commits, checks only the files the second commit
//! added or changed (and succeeds when none of them is a quick-reply file),
//! only under `REPLY_PATHS` and with an extension of `REPLY_EXTENSIONS`.

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use yaml_rust2::{Yaml, YamlLoader};

/// The workflow, parsed.
fn workflow() -> Yaml {
    let text = fs::read_to_string(Path::new(support::ROOT).join("examples/github-workflow.yml")).unwrap();
    let mut docs = YamlLoader::load_from_str(&text).expect("the workflow is YAML");
    assert_eq!(docs.len(), 1, "one document");
    docs.remove(0)
}

/// The step of the one job named `name`.
fn step(workflow: &Yaml, name: &str) -> Yaml {
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    assert_eq!(jobs.len(), 1, "one job");
    let (_, job) = jobs.iter().next().unwrap();
    job["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("a step named {name:?}"))
        .clone()
}

#[test]
fn the_workflow_runs_on_pull_requests_and_installs_from_a_path_or_a_tag() {
    let workflow = workflow();
    assert_eq!(workflow["on"].as_str(), Some("pull_request"));
    let env = &workflow["env"];
    for key in ["KEFU_LINT_GIT", "KEFU_LINT_TAG", "KEFU_LINT_PATH"] {
        assert!(env[key].as_str().is_some(), "{key} is set in the file itself");
    }
    let install = step(&workflow, "Install kefu-lint");
    let script = install["run"].as_str().unwrap();
    assert!(
        script.contains(r#"--git "$KEFU_LINT_GIT" --tag "$KEFU_LINT_TAG""#),
        "{script}"
    );
    assert!(
        script.contains(r#"--path "$KEFU_LINT_PATH/crates/kefu-lint-cli""#),
        "{script}"
    );
    let text = fs::read_to_string(Path::new(support::ROOT).join("examples/github-workflow.yml")).unwrap();
    assert!(!text.contains("vars."), "no variable the file does not explain");
    // The crate it installs is this one.
    assert!(
        Path::new(support::ROOT)
            .join("crates/kefu-lint-cli/Cargo.toml")
            .is_file()
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=kefu-lint test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Runs the "Check the changed files" step's shell in `dir` between the
/// commits `base` and `head`, with this build's kefu-lint first on PATH.
fn run_step(dir: &Path, base: &str, head: &str) -> Output {
    run_step_with(dir, base, head, &[])
}

/// [`run_step`] with the workflow's own environment, then `env`.
fn run_step_with(dir: &Path, base: &str, head: &str, env: &[(&str, &str)]) -> Output {
    let workflow = workflow();
    let step = step(&workflow, "Check the changed files");
    assert_eq!(step["shell"].as_str(), Some("bash"));
    let step_env = &step["env"];
    assert_eq!(
        step_env["BASE"].as_str(),
        Some("${{ github.event.pull_request.base.sha }}")
    );
    assert_eq!(
        step_env["HEAD"].as_str(),
        Some("${{ github.event.pull_request.head.sha }}")
    );
    let script = step["run"].as_str().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_kefu-lint")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    // As GitHub runs a bash step: `bash --noprofile --norc -eo pipefail {0}`.
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir);
    for (key, value) in workflow["env"].as_hash().unwrap() {
        command.env(key.as_str().unwrap(), value.as_str().unwrap());
    }
    command
        .env("PATH", path)
        .env("BASE", base)
        .env("HEAD", head)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("bash runs")
}

#[test]
fn reply_paths_and_extensions_choose_what_is_checked() {
    let workflow = workflow();
    assert_eq!(
        workflow["env"]["REPLY_PATHS"].as_str(),
        Some(".\n"),
        "the whole repository by default"
    );
    let extensions = workflow["env"]["REPLY_EXTENSIONS"].as_str().unwrap();
    assert!(!extensions.split(' ').any(|e| e == "json"), "{extensions}");
    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    git(d, &["init", "-q"]);
    fs::write(d.join("README.md"), "shop\n").unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "base"]);
    let base = git(d, &["rev-parse", "HEAD"]);
    // A 千牛 .json export and a quick-reply file in the reply folders, and a
    // products table (no reply column) and a package.json outside them.
    fs::create_dir_all(d.join("kefu/exports")).unwrap();
    fs::write(
        d.join("kefu/exports/export.json"),
        r#"[{"role":"assistant","text":"不讲价,爱买不买"}]"#,
    )
    .unwrap();
    fs::create_dir(d.join("quick")).unwrap();
    fs::write(d.join("quick/快捷 短语.TXT"), "亲,您好哦\n").unwrap();
    fs::write(d.join("products.csv"), "name,price,sku\n连衣裙,99,A1\n").unwrap();
    fs::write(d.join("package.json"), r#"{"name":"shop"}"#).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "change"]);
    let head = git(d, &["rev-parse", "HEAD"]);

    let chosen = [
        ("REPLY_PATHS", "kefu/\n\nquick/\n"),
        ("REPLY_EXTENSIONS", "txt csv json"),
    ];
    let out = run_step_with(d, &base, &head, &chosen);
    let (stdout, stderr) = (support::stdout(&out), support::stderr(&out));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the export's finding fails the step: {stdout}{stderr}"
    );
    assert!(stdout.contains("file=kefu/exports/export.json,line=1,"), "{stdout}");
    assert!(!stderr.contains("products.csv"), "not under REPLY_PATHS: {stderr}");
    assert!(!stderr.contains("package.json"), "{stderr}");
    assert!(
        stderr.contains("from 2 inputs."),
        "the export and 快捷 短语.TXT: {stderr}"
    );

    // Without json in REPLY_EXTENSIONS the export is not checked.
    let out = run_step_with(d, &base, &head, &[chosen[0]]);
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    assert!(
        support::stderr(&out).contains("from 1 input."),
        "{}",
        support::stderr(&out)
    );

    // By default (the whole repository), the unrelated table is checked and
    // fails with exit 2: what REPLY_PATHS is for.
    let out = run_step(d, &base, &head);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(
        support::stderr(&out).contains("products.csv"),
        "{}",
        support::stderr(&out)
    );
}

#[test]
fn the_changed_files_step_checks_only_what_the_pull_request_changed() {
    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    git(d, &["init", "-q"]);
    fs::create_dir(d.join("replies")).unwrap();
    fs::write(d.join("replies/old.txt"), "你自己看吧\n").unwrap();
    fs::write(d.join("replies/gone.txt"), "你好\n").unwrap();
    fs::write(d.join("replies/edited.csv"), "话术\n\"亲,您好哦\"\n").unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "base"]);
    let base = git(d, &["rev-parse", "HEAD"]);
    git(d, &["checkout", "-qb", "change"]);
    // Changed: a CSV edited, a file with a space and a Chinese name added,
    // a file deleted, and a file kefu-lint does not read.
    fs::write(
        d.join("replies/edited.csv"),
        "话术\n\"亲,您好哦\"\n\"不讲价,爱买不买\"\n",
    )
    .unwrap();
    fs::write(d.join("replies/新 话术.txt"), "你好\n").unwrap();
    fs::remove_file(d.join("replies/gone.txt")).unwrap();
    fs::write(d.join("notes.md"), "你自己看吧\n").unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "change"]);
    let head = git(d, &["rev-parse", "HEAD"]);

    let out = run_step(d, &base, &head);
    let (stdout, stderr) = (support::stdout(&out), support::stderr(&out));
    assert_eq!(out.status.code(), Some(1), "findings fail the step: {stdout}{stderr}");
    assert!(stdout.contains("::warning file=replies/edited.csv,line=3,"), "{stdout}");
    assert!(stdout.contains("file=replies/新 话术.txt,line=1,"), "{stdout}");
    assert!(
        !stdout.contains("old.txt"),
        "an unchanged file is not checked: {stdout}"
    );
    assert!(!stdout.contains("notes.md"), "{stdout}");
    assert!(
        stderr.contains("from 2 inputs."),
        "the deleted file is not an input: {stderr}"
    );

    // A pull request that changes no quick-reply file passes.
    fs::write(d.join("notes.md"), "更新\n").unwrap();
    git(d, &["commit", "-qam", "notes"]);
    let notes = git(d, &["rev-parse", "HEAD"]);
    let out = run_step(d, &head, &notes);
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    assert!(support::stdout(&out).contains("nothing to check"));

    // A base that is not there fails the step rather than checking nothing.
    let out = run_step(d, "0123456789abcdef0123456789abcdef01234567", &notes);
    assert_ne!(out.status.code(), Some(0), "{}", support::stdout(&out));
}

/// Runs the "Install kefu-lint" step's shell with `env` and a `cargo` that
/// only records its arguments; returns them.
fn install_with(env: &[(&str, &str)]) -> String {
    let workflow = workflow();
    let script = step(&workflow, "Install kefu-lint")["run"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let cargo = dir.path().join("cargo");
    fs::write(
        &cargo,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n",
    )
    .unwrap();
    fs::set_permissions(&cargo, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap_or_default());
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .env("PATH", path);
    // The workflow's own values first, then the test's.
    for (key, value) in workflow["env"].as_hash().unwrap() {
        command.env(key.as_str().unwrap(), value.as_str().unwrap());
    }
    command.envs(env.iter().copied());
    let out = command.output().expect("bash runs");
    assert!(out.status.success(), "{}", support::stderr(&out));
    fs::read_to_string(dir.path().join("args")).unwrap()
}

#[test]
fn the_install_step_installs_from_a_tag_or_from_a_path() {
    let tag = install_with(&[
        ("KEFU_LINT_GIT", "https://git.example/kefu-lint"),
        ("KEFU_LINT_TAG", "v9.9.9"),
    ]);
    assert_eq!(
        tag.lines().collect::<Vec<_>>(),
        [
            "install",
            "--locked",
            "--git",
            "https://git.example/kefu-lint",
            "--tag",
            "v9.9.9",
            "kefu-lint-cli"
        ]
    );
    let path = install_with(&[("KEFU_LINT_PATH", "vendor/kefu lint")]);
    assert_eq!(
        path.lines().collect::<Vec<_>>(),
        ["install", "--locked", "--path", "vendor/kefu lint/crates/kefu-lint-cli"]
    );
}

#[test]
fn the_pre_commit_hook_covers_every_format_and_says_how_to_narrow_it() {
    let text = fs::read_to_string(Path::new(support::ROOT).join("examples/pre-commit-config.yaml")).unwrap();
    let config = YamlLoader::load_from_str(&text).expect("YAML").remove(0);
    let hook = &config["repos"][0]["hooks"][0];
    assert_eq!(hook["entry"].as_str(), Some("kefu-lint check --format concise"));
    let files = hook["files"].as_str().unwrap();
    for extension in ["txt", "csv", "tsv", "jsonl", "ndjson", "xlsx", "xlsm", "xls"] {
        assert!(
            files.contains(&format!("|{extension}|"))
                || files.contains(&format!("({extension}|"))
                || files.contains(&format!("|{extension})")),
            "{extension} in {files}"
        );
    }
    assert!(!files.contains("|json|"), "a .json is checked only when asked: {files}");
    assert!(
        text.contains("#   files: ^(kefu|quick-replies)/"),
        "how to narrow it: {text}"
    );
}
