//! Safe writes end to end: `kefu-lint check --fix` killed (SIGKILL) at any
//! moment leaves every file either as it was or completely fixed, never
//! partly written; the temporary files a killed run leaves are never checked,
//! and a later `--fix` removes those beside the files it reads, unless a
//! running kefu-lint still writes them.

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

/// A file's name and bytes, for every file of a directory.
type Files = BTreeMap<String, Vec<u8>>;

/// Whether `name` looks like one of the temporary files `--fix` writes through.
fn is_temporary(name: &str) -> bool {
    name.starts_with(".kefu-lint-") && name.ends_with(".tmp")
}

/// Forty small files around one of 2 MB (long lines, slow to write), each
/// with replies to fix (你 → 您); `--fix` handles them in name order.
fn inputs() -> Files {
    let small = "你的订单已经发货了,请注意查收哦\n亲,您好,很高兴为您服务哦\n".repeat(50);
    let long_line = format!("你好,{}\n", "很高兴为您服务哦,".repeat(2000));
    let mut files = Files::new();
    for i in 0..20 {
        files.insert(format!("a{i:02}.txt"), small.clone().into_bytes());
        files.insert(format!("z{i:02}.txt"), small.clone().into_bytes());
    }
    files.insert("m-big.txt".into(), long_line.repeat(40).into_bytes());
    files
}

fn write_all(dir: &Path, files: &Files) {
    for (name, bytes) in files {
        fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Every file in `dir`, hidden ones included.
fn read_all(dir: &Path) -> Files {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            (name, fs::read(entry.path()).unwrap())
        })
        .collect()
}

fn fix(dir: &Path) -> Child {
    support::command(dir, &["check", "--no-config", "--fix", "--format", "concise", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu-lint starts")
}

/// When a trial kills the run.
#[derive(Clone, Copy, Debug)]
enum Kill {
    /// This long after starting it.
    After(Duration),
    /// As soon as this file has been replaced by its fixed version.
    WhenWritten(&'static str),
    /// As soon as a temporary file exists: while a file is being written.
    WhileWriting,
    /// As soon as this file's size or modification time changes: a writer
    /// that wrote into the file itself would be caught with it half written.
    WhenTouched(&'static str),
}

/// Starts `--fix` on a fresh copy of `originals`, kills it as `kill` says,
/// and asserts that each file is byte for byte its original or its fixed
/// version, and that nothing but temporary files was added. Returns the
/// directory, and how many files were fixed and how many temporary files
/// were left.
fn trial(kill: Kill, originals: &Files, fixed: &Files) -> (tempfile::TempDir, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), originals);
    let watched = match kill {
        Kill::WhenTouched(name) => Some((name, fs::metadata(dir.path().join(name)).unwrap())),
        _ => None,
    };
    let touched = || {
        watched.as_ref().is_some_and(|(name, before)| {
            fs::metadata(dir.path().join(name))
                .is_ok_and(|now| now.len() != before.len() || now.modified().ok() != before.modified().ok())
        })
    };
    let mut child = fix(dir.path());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(120);
    loop {
        let due = match kill {
            Kill::After(delay) => started.elapsed() >= delay,
            Kill::WhenWritten(name) => fs::read(dir.path().join(name)).is_ok_and(|b| b == fixed[name]),
            Kill::WhileWriting => fs::read_dir(dir.path())
                .unwrap()
                .any(|e| is_temporary(&e.unwrap().file_name().to_string_lossy())),
            Kill::WhenTouched(_) => touched(),
        };
        if due || child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break;
        }
        sleep(Duration::from_micros(200));
    }
    // SIGKILL: no destructor, no signal handler runs. (A run that already
    // ended is reaped as it is.)
    let _ = child.kill();
    child.wait().unwrap();

    let after = read_all(dir.path());
    let mut done = 0;
    let mut leftovers = 0;
    for (name, bytes) in &after {
        if is_temporary(name) {
            leftovers += 1;
            continue;
        }
        let original = originals
            .get(name)
            .unwrap_or_else(|| panic!("{kill:?}: new file {name}"));
        if bytes == &fixed[name] {
            done += 1;
        } else {
            assert!(
                bytes == original,
                "{kill:?}: {name} is neither its original nor its fixed version ({} bytes, original {}, fixed {})",
                bytes.len(),
                original.len(),
                fixed[name].len()
            );
        }
    }
    for name in originals.keys() {
        assert!(after.contains_key(name), "{kill:?}: {name} is gone");
    }
    (dir, done, leftovers)
}

#[test]
fn a_killed_fix_leaves_every_file_whole() {
    let originals = inputs();
    // The fixed versions, from a run left to finish.
    let reference = tempfile::tempdir().unwrap();
    write_all(reference.path(), &originals);
    let out = fix(reference.path()).wait_with_output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fixed 2040 findings in 41 inputs"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = read_all(reference.path());
    assert_eq!(fixed.len(), originals.len(), "no temporary file left by a finished run");
    for (name, bytes) in &originals {
        assert_ne!(bytes, &fixed[name], "{name} has something to fix");
    }

    let kills = [
        Kill::After(Duration::ZERO),
        Kill::After(Duration::from_millis(30)),
        Kill::After(Duration::from_millis(150)),
        Kill::WhenWritten("a00.txt"),
        Kill::WhenWritten("a19.txt"),
        Kill::WhileWriting,
        Kill::WhenTouched("m-big.txt"),
        Kill::After(Duration::from_millis(600)),
    ];
    for kill in kills {
        let (dir, done, leftovers) = trial(kill, &originals, &fixed);
        eprintln!(
            "{kill:?}: {done} of {} files fixed, {leftovers} temporary files left",
            originals.len()
        );
        if let Kill::WhenWritten(name) = kill {
            assert_eq!(read_all(dir.path())[name], fixed[name], "{name} stays fixed");
        }
        // The next run finishes the job and removes the leftovers, however
        // fresh (their writer is dead), without checking them.
        if leftovers > 0 || matches!(kill, Kill::WhileWriting) {
            let out = fix(dir.path()).wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(!String::from_utf8_lossy(&out.stdout).contains(".kefu-lint-"));
            assert_eq!(
                read_all(dir.path()),
                fixed,
                "{kill:?}: every file fixed, no temporary file left"
            );
        }
    }
}

/// Sets a file's modification time `age` into the past.
fn age(path: &Path, age: Duration) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

#[test]
fn leftover_temporary_files_are_never_checked_and_stale_ones_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("q")).unwrap();
    fs::write(d.join("q/r.txt"), "你好\n").unwrap();
    // Left by runs killed 11 minutes and a moment ago, and a file of the user's.
    fs::write(d.join("q/.kefu-lint-Ab12Cd.tmp"), "你好,旧的\n").unwrap();
    age(&d.join("q/.kefu-lint-Ab12Cd.tmp"), Duration::from_secs(11 * 60));
    fs::write(d.join("q/.kefu-lint-Ef34Gh.tmp"), "你好,新的\n").unwrap();
    fs::write(d.join("q/.kefu-lint-notes.tmp"), "你好\n").unwrap();
    age(&d.join("q/.kefu-lint-notes.tmp"), Duration::from_secs(11 * 60));

    // Even when a glob asks for every file, ours are not inputs.
    let args = [
        "check",
        "--no-config",
        "--format",
        "concise",
        "--input-format",
        "txt",
        "--glob",
        "*",
        "q",
    ];
    let out = support::run(d, &args, None);
    let found = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(found.contains("q/r.txt:1:1: warning KF011"), "{found}");
    assert!(
        found.contains("q/.kefu-lint-notes.tmp:1:1"),
        "the user's file is checked: {found}"
    );
    assert!(!found.contains("Ab12Cd") && !found.contains("Ef34Gh"), "{found}");

    // Fixing a file in q removes the temporary files of ours, old or new;
    // the user's file of a similar name stays.
    let out = support::run(d, &["check", "--no-config", "--fix", "q/r.txt"], None);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fixed 1 finding"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_to_string(d.join("q/r.txt")).unwrap(), "您好\n");
    let mut left: Vec<String> = fs::read_dir(d.join("q"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, [".kefu-lint-notes.tmp", "r.txt"]);
}

/// Holds the advisory lock on `path` from another process, as a running
/// kefu-lint holds it on the temporary file it is writing, until killed.
fn hold_lock(path: &Path) -> Child {
    let mut child = std::process::Command::new("sh")
        .args(["-c", "exec 9<\"$1\" && flock 9 && echo locked && exec sleep 60", "sh"])
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut said).unwrap();
    assert_eq!(said, "locked\n");
    child
}

#[test]
fn fix_removes_dead_runs_temporary_files_beside_the_files_it_reads_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["fixed", "clean", "elsewhere"] {
        fs::create_dir(d.join(sub)).unwrap();
        // Left a moment ago by a killed run: no age makes it stale, its dead writer does.
        fs::write(d.join(sub).join(".kefu-lint-Xy12Zw.tmp"), "你好".repeat(1000)).unwrap();
    }
    fs::write(d.join("fixed/a.txt"), "你好\n").unwrap();
    fs::write(d.join("clean/b.txt"), "您好\n").unwrap();
    fs::write(d.join("elsewhere/c.txt"), "你好\n").unwrap();
    // A temporary file a running kefu-lint is writing (it holds the lock).
    let live = d.join("fixed/.kefu-lint-Live01.tmp");
    fs::write(&live, "").unwrap();
    let mut holder = hold_lock(&live);

    // --diff writes nothing, so removes nothing.
    let out = support::run(
        d,
        &["check", "--no-config", "--diff", "fixed/a.txt", "clean/b.txt"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(d.join("fixed/.kefu-lint-Xy12Zw.tmp").exists() && d.join("clean/.kefu-lint-Xy12Zw.tmp").exists());

    let out = support::run(
        d,
        &["check", "--no-config", "--fix", "fixed/a.txt", "clean/b.txt"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read_to_string(d.join("fixed/a.txt")).unwrap(), "您好\n");
    // Beside the file fixed and the file with nothing to fix: removed.
    assert!(!d.join("fixed/.kefu-lint-Xy12Zw.tmp").exists());
    assert!(!d.join("clean/.kefu-lint-Xy12Zw.tmp").exists());
    // The one being written, and one in a directory --fix did not read from: kept.
    assert!(live.exists(), "a temporary file in use is kept");
    assert!(d.join("elsewhere/.kefu-lint-Xy12Zw.tmp").exists());
    holder.kill().unwrap();
    holder.wait().unwrap();

    // Once its writer is gone, the next --fix there removes it.
    let out = support::run(d, &["check", "--no-config", "--fix", "fixed/a.txt"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!live.exists());
}

/// Whether `dir` holds a temporary file of ours.
fn has_temporary(dir: &Path) -> bool {
    fs::read_dir(dir)
        .unwrap()
        .any(|e| is_temporary(&e.unwrap().file_name().to_string_lossy()))
}

#[test]
fn sigint_or_sigterm_while_writing_removes_the_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    // One reply to fix in 21 MB: the temporary file takes a while to write.
    let original = format!("你自己看吧\n{}", "亲,好的呢\n".repeat(1_500_000));
    let fixed = original.replacen("你", "您", 1);
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("c.txt"), &original).unwrap();
        let mut child = support::command(d, &["check", "--no-config", "--fix", "--max-fix-size", "64M", "c.txt"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("kefu-lint starts");
        let deadline = Instant::now() + Duration::from_secs(120);
        while !has_temporary(d) && child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            sleep(Duration::from_micros(200));
        }
        // A real signal, as Ctrl-C or `timeout` sends it.
        let caught = has_temporary(d);
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            caught && sent.success(),
            "SIG{signal}: the run ended before its temporary file was seen"
        );
        assert_eq!(status.signal(), Some(number), "SIG{signal}: {status:?}");
        assert!(!has_temporary(d), "SIG{signal}: a temporary file is left");
        let now = fs::read_to_string(d.join("c.txt")).unwrap();
        assert!(
            now == original || now == fixed,
            "SIG{signal}: c.txt is neither its original nor fixed"
        );
    }
}

#[test]
fn a_fix_refusing_a_file_too_large_still_removes_a_leftover_beside_it() {
    // The tester's later run: `--fix a.json` without the `--max-fix-size`
    // the killed run had.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("big.txt"), "亲,好的呢\n".repeat(200_000)).unwrap();
    fs::write(d.join(".kefu-lint-a2dkVG.tmp"), "half").unwrap();
    let out = support::run(
        d,
        &["check", "--no-config", "--fix", "--max-fix-size", "1M", "big.txt"],
        None,
    );
    assert_ne!(out.status.code(), Some(0), "{}", support::stderr(&out));
    assert!(!has_temporary(d), "the leftover is kept");
    // A plain check removes nothing.
    fs::write(d.join(".kefu-lint-a2dkVG.tmp"), "half").unwrap();
    support::run(d, &["check", "--no-config", "big.txt"], None);
    assert!(has_temporary(d), "a plain check removed a file");
}
