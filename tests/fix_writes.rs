//! What `--fix`, `--diff` and `--output` may write, end to end: never an
//! input or a workbook as `--output`, every workbook in one CSV with formula
//! cells neutralised, findings of what is on disk when a fix is not written,
//! symbolic links written through, hard-linked, read-only and special files
//! refused, owner, group and mode kept, new files made with the umask, a
//! size limit, and a file changed while it is being fixed left alone.

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use support::{ROOT, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check", "--no-config", "--format", "concise"];
    all.extend(args);
    support::run(dir, &all, None)
}

/// Runs `kefu-lint check --no-config ARGS` in `dir` and fails if it takes
/// longer than a minute (a run blocked on a FIFO).
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check", "--no-config", "--format", "concise"];
    all.extend(args);
    support::output_within_a_minute(support::command(dir, &all))
}

fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "expected {part:?} in:\n{text}");
}

/// A one-sheet workbook (sheet 话术) whose column 短语 holds `replies`.
fn workbook(replies: &[&str]) -> Vec<u8> {
    support::xlsx("话术", &support::inline_rows("短语", replies), None)
}

#[test]
fn output_is_never_an_input_or_an_existing_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let book = workbook(&["你好"]);
    fs::write(d.join("book.xlsx"), &book).unwrap();
    fs::write(d.join("other.xlsx"), &book).unwrap();
    // A workbook under a name that does not say so.
    fs::write(d.join("other.csv"), &book).unwrap();
    std::os::unix::fs::symlink("book.xlsx", d.join("link.csv")).unwrap();
    fs::write(d.join("r.csv"), "短语\n你好\n").unwrap();
    let cases = [
        ("book.xlsx", "is the input book.xlsx"),
        ("./book.xlsx", "is the input book.xlsx"),
        ("link.csv", "is the input book.xlsx"),
        ("r.csv", "is the input r.csv"),
        ("other.xlsx", "is an existing workbook"),
        ("other.csv", "is an existing workbook"),
        ("new.xlsx", "the fixed replies are CSV"),
        ("sub", "is not a regular file"),
        ("/dev/null", "is not a regular file"),
        ("nowhere/out.csv", "no such directory"),
        ("dangling.csv", "is a symbolic link to nothing"),
    ];
    fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("gone/out.csv", d.join("dangling.csv")).unwrap();
    for (output, why) in cases {
        let out = run(d, &["--fix", "--output", output, "book.xlsx", "r.csv"]);
        assert_eq!(out.status.code(), Some(2), "--output {output}");
        assert_contains(&stderr(&out), &format!("error: --output {output}"));
        assert_contains(&stderr(&out), why);
        assert_eq!(fs::read(d.join("book.xlsx")).unwrap(), book, "--output {output}");
        assert_eq!(fs::read(d.join("other.xlsx")).unwrap(), book, "--output {output}");
        assert_eq!(fs::read(d.join("other.csv")).unwrap(), book, "--output {output}");
        assert_eq!(
            fs::read_to_string(d.join("r.csv")).unwrap(),
            "短语\n你好\n",
            "nothing fixed"
        );
        assert!(!d.join("new.xlsx").exists());
    }
    // Nor is a baseline written over an input.
    let out = run(d, &["--write-baseline", "r.csv", "r.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "error: --write-baseline r.csv is the input r.csv");
    assert_eq!(fs::read_to_string(d.join("r.csv")).unwrap(), "短语\n你好\n");
}

#[test]
fn output_holds_every_workbook_with_formulas_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let formulas = [
        "=HYPERLINK(\"http://evil.example\") 你好",
        "@SUM(1+1)*cmd|' /C calc'!A0 你好",
        "+你好",
        "-你好",
        "\t你好",
    ];
    fs::write(d.join("a.xlsx"), workbook(&formulas)).unwrap();
    fs::write(d.join("b.xlsx"), workbook(&["你的订单已发货"])).unwrap();
    // The user's own CSV, fixed in place, keeps its cells as they are.
    fs::write(d.join("own.csv"), "短语\n=你好\n").unwrap();
    let out = run(d, &["--fix", "--output", "fixed.csv", "a.xlsx", "b.xlsx", "own.csv"]);
    assert_contains(&stderr(&out), "Wrote the fixed replies of 2 workbooks to fixed.csv");
    assert_eq!(fs::read_to_string(d.join("own.csv")).unwrap(), "短语\n=您好\n");
    let csv = fs::read_to_string(d.join("fixed.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, ["workbook", "sheet", "row", "column", "original", "fixed"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), formulas.len() + 1, "{csv}");
    for (row, formula) in rows.iter().zip(formulas) {
        assert_eq!(row[0], "a.xlsx");
        assert_eq!(row[4], format!("'{formula}"), "original, neutralised");
        assert_eq!(
            row[5],
            format!("'{}", formula.replace('你', "您")),
            "fixed, neutralised"
        );
    }
    assert_eq!(rows[formulas.len()][..2], ["b.xlsx", "话术"]);
    assert_eq!(rows[formulas.len()][5], "您的订单已发货");
    // Every cell of the file: none starts as a formula would.
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
        }
    }
}

#[test]
fn an_unwritten_fix_reports_what_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("book.xlsx"), workbook(&["你好"])).unwrap();
    let out = run(d, &["--fix", "book.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stdout(&out), "book.xlsx[话术]:2:1: warning KF011");
    assert_contains(&stderr(&out), "the fixes of 1 input could not be written");
    assert!(!stderr(&out).contains("could not be read"), "{}", stderr(&out));

    let out = support::run(
        d,
        &["check", "--no-config", "--format", "concise", "--fix"],
        Some("你好\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stdout(&out), "<stdin>:1:1: warning KF011");
    assert_contains(&stderr(&out), "standard input cannot be fixed in place");
    assert_contains(&stderr(&out), "the fixes of 1 input could not be written");
}

#[test]
fn fix_writes_through_symbolic_links() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("real")).unwrap();
    fs::write(d.join("real/t.txt"), "你好\n").unwrap();
    fs::write(d.join("real/u.txt"), "你好\n").unwrap();
    // A link to a link to the file, and a link to its directory.
    std::os::unix::fs::symlink("real/t.txt", d.join("one.txt")).unwrap();
    std::os::unix::fs::symlink("one.txt", d.join("two.txt")).unwrap();
    std::os::unix::fs::symlink("real", d.join("linked")).unwrap();
    let out = run(d, &["--fix", "two.txt", "linked/u.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for link in ["one.txt", "two.txt", "linked"] {
        assert!(
            fs::symlink_metadata(d.join(link)).unwrap().file_type().is_symlink(),
            "{link}"
        );
    }
    assert_eq!(fs::read_to_string(d.join("real/t.txt")).unwrap(), "您好\n");
    assert_eq!(fs::read_to_string(d.join("real/u.txt")).unwrap(), "您好\n");
    let names: Vec<_> = fs::read_dir(d.join("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

#[test]
fn hard_linked_and_read_only_files_are_refused_and_the_rest_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("linked.txt"), "你好\n").unwrap();
    fs::hard_link(d.join("linked.txt"), d.join("twin.txt")).unwrap();
    fs::write(d.join("ro.txt"), "你好\n").unwrap();
    fs::set_permissions(d.join("ro.txt"), fs::Permissions::from_mode(0o444)).unwrap();
    fs::write(d.join("ok.txt"), "你好\n").unwrap();
    let out = run(d, &["--fix", "linked.txt", "ro.txt", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_contains(
        &err,
        "error: linked.txt: it has 2 hard links, which a rewrite would split; not written",
    );
    assert_contains(&err, "error: ro.txt: it is read-only (mode 0444); not written");
    assert_contains(&err, "the fixes of 2 inputs could not be written");
    // Reported as they are on disk.
    assert_contains(&stdout(&out), "linked.txt:1:1: warning KF011");
    assert_contains(&stdout(&out), "ro.txt:1:1: warning KF011");
    assert_eq!(fs::read_to_string(d.join("twin.txt")).unwrap(), "你好\n");
    assert_eq!(fs::metadata(d.join("twin.txt")).unwrap().nlink(), 2, "still linked");
    assert_eq!(fs::read_to_string(d.join("ro.txt")).unwrap(), "你好\n");
    assert_eq!(fs::metadata(d.join("ro.txt")).unwrap().mode() & 0o7777, 0o444);
    assert_eq!(fs::read_to_string(d.join("ok.txt")).unwrap(), "您好\n");
}

#[test]
fn fix_keeps_owner_group_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = d.join("r.txt");
    fs::write(&path, "你好\n").unwrap();
    // An earlier --output, which the next run replaces.
    let output = d.join("fixed.csv");
    fs::write(&output, "\u{feff}workbook,sheet,row,column,original,fixed\n").unwrap();
    fs::write(d.join("book.xlsx"), workbook(&["你好"])).unwrap();
    let root = fs::metadata(&path).unwrap().uid() == 0;
    for file in [&path, &output] {
        if root {
            // Only root can give a file away; as another user the mode is what is kept.
            std::os::unix::fs::chown(file, Some(65534), Some(65534)).unwrap();
        }
        fs::set_permissions(file, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let before: Vec<fs::Metadata> = [&path, &output].map(|f| fs::metadata(f).unwrap()).into();
    let out = run(d, &["--fix", "--output", "fixed.csv", "r.txt", "book.xlsx"]);
    assert_contains(&stderr(&out), "Wrote the fixed replies of 1 workbook to fixed.csv");
    assert_eq!(fs::read_to_string(&path).unwrap(), "您好\n");
    for (file, before) in [&path, &output].into_iter().zip(&before) {
        let after = fs::metadata(file).unwrap();
        assert_ne!(after.ino(), before.ino(), "replaced by a rename");
        assert_eq!(
            (after.uid(), after.gid(), after.mode() & 0o7777),
            (before.uid(), before.gid(), 0o640),
            "{}",
            file.display()
        );
    }
}

/// This process's umask, from `/proc/self/status`.
fn umask() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
    u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
}

#[test]
fn new_files_get_the_usual_mode() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("book.xlsx"), workbook(&["你好"])).unwrap();
    fs::write(d.join("r.txt"), "你好\n").unwrap();
    run(d, &["--fix", "--output", "fixed.csv", "book.xlsx"]);
    run(d, &["--write-baseline", "baseline.json", "r.txt"]);
    let init = support::run(d, &["init"], None);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let usual = 0o666 & !umask();
    for name in ["fixed.csv", "baseline.json", "kefu-lint.toml"] {
        let mode = fs::metadata(d.join(name)).unwrap().mode() & 0o7777;
        assert_eq!(mode, usual, "{name}: {mode:o}");
    }
}

#[test]
fn files_kefu_lint_writes_never_replace_a_special_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("base.json");
    support::mkfifo(&fifo);
    fs::create_dir(d.join("dir.json")).unwrap();
    fs::write(d.join("r.txt"), "你好\n").unwrap();
    for target in ["base.json", "dir.json"] {
        let out = run(d, &["--write-baseline", target, "r.txt"]);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
        assert_contains(&stderr(&out), &format!("{target}: not a regular file, so not replaced"));
    }
    assert!(
        fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(),
        "the FIFO stays a FIFO"
    );
    assert!(d.join("dir.json").is_dir());
}

#[test]
fn special_files_are_refused_and_the_rest_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe.txt");
    support::mkfifo(&fifo);
    fs::write(d.join("ok.txt"), "你好\n").unwrap();
    for mode in ["--fix", "--diff"] {
        let out = run_bounded(d, &[mode, "pipe.txt", "/dev/zero", "/dev/null", ".", "ok.txt"]);
        assert_eq!(out.status.code(), Some(2), "{mode}");
        let err = stderr(&out);
        assert_contains(
            &err,
            "error: pipe.txt: a FIFO (named pipe); --fix and --diff read only regular files",
        );
        assert_contains(
            &err,
            "error: /dev/zero: a device; --fix and --diff read only regular files",
        );
        assert_contains(&err, "error: /dev/null: a device;");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "{mode}");
    }
    assert_eq!(fs::read_to_string(d.join("ok.txt")).unwrap(), "您好\n");
}

#[test]
fn a_fix_that_cannot_be_spliced_in_is_not_written_and_says_so() {
    // A reply written with odd quoting (CSV) cannot take its fix in place;
    // a CI gate must not pass it as fixed. (A JSON string with escapes can:
    // only the characters fixed are written anew.)
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("w.csv"), "短语\n你好\n\"x\"y你\n").unwrap();
    fs::write(
        d.join("w.jsonl"),
        "{\"role\":\"客服\",\"content\":\"\\u4f60\\u7684\\u8ba2\\u5355\"}\n",
    )
    .unwrap();
    let out = run(d, &["--fix", "--fail-on", "error", "w.csv", "w.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "error: w.csv: line 3: the reply is not stored verbatim");
    assert_contains(&err, "the fixes of 1 input could not be written");
    assert_eq!(
        fs::read_to_string(d.join("w.jsonl")).unwrap(),
        "{\"role\":\"客服\",\"content\":\"您\\u7684\\u8ba2\\u5355\"}\n"
    );
    // The file's other fixes are written.
    assert_eq!(fs::read_to_string(d.join("w.csv")).unwrap(), "短语\n您好\n\"x\"y你\n");
}

#[test]
fn files_over_the_size_limit_are_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("big.txt"), "你好\n".repeat(1000)).unwrap();
    fs::write(d.join("small.txt"), "你好\n").unwrap();
    let out = run(d, &["--fix", "--max-fix-size", "4K", "big.txt", "small.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &stderr(&out),
        "error: big.txt: 7000 bytes, over the --max-fix-size limit of 4096 bytes; not fixed",
    );
    assert_eq!(fs::read_to_string(d.join("big.txt")).unwrap(), "你好\n".repeat(1000));
    assert_eq!(fs::read_to_string(d.join("small.txt")).unwrap(), "您好\n");
    // Not fixed, but checked as it is on disk: its findings are shown.
    assert_contains(&stdout(&out), "big.txt:1000:1: warning KF011");
    assert_contains(
        &stderr(&out),
        "from 2 inputs; fixed 1 finding in 1 input; the fixes of 1 input could not be written.",
    );
    // Standard input is bounded the same way, however much comes.
    let out = support::run(
        d,
        &["check", "--no-config", "--diff", "--max-fix-size", "1K"],
        Some(&"你好\n".repeat(1000)),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &stderr(&out),
        "error: <stdin>: more than 1024 bytes, over the --max-fix-size limit",
    );
    let out = run(d, &["--fix", "--max-fix-size", "lots", "small.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "is not a size such as");
}

/// How another program changes a file while `--fix` rewrites it.
#[derive(Clone, Copy, Debug)]
enum Change {
    /// Appends a line.
    Append,
    /// Writes a new file and renames it over the old one.
    Replace,
    /// Rewrites it in place, same size.
    Overwrite,
    /// Makes it read-only.
    ReadOnly,
    /// Puts a FIFO in its place.
    Fifo,
}

impl Change {
    /// What the change needs ready before the run starts.
    fn prepare(self, path: &Path) {
        if let Change::Fifo = self {
            support::mkfifo(&path.with_extension("fifo"));
        }
    }

    fn apply(self, path: &Path) {
        match self {
            Change::Append => fs::OpenOptions::new()
                .append(true)
                .open(path)
                .unwrap()
                .write_all("新加的一行\n".as_bytes())
                .unwrap(),
            Change::Replace => {
                let tmp = path.with_extension("new");
                fs::write(&tmp, "别人的新版本\n").unwrap();
                fs::rename(&tmp, path).unwrap();
            }
            // In place, without truncating: 你 is three bytes in UTF-8.
            Change::Overwrite => fs::OpenOptions::new()
                .write(true)
                .open(path)
                .unwrap()
                .write_all(b"#ab")
                .unwrap(),
            Change::ReadOnly => fs::set_permissions(path, fs::Permissions::from_mode(0o444)).unwrap(),
            // Made aside beforehand (`prepare`), renamed over the file in one step.
            Change::Fifo => fs::rename(path.with_extension("fifo"), path).unwrap(),
        }
    }
}

/// Starts `--fix` on a large file, changes the file as `change` says while
/// the fixed version is being written (a temporary file exists), and
/// asserts that the change is never lost: either the file was left alone
/// with an error naming it (exit 2), or the change came after the rename.
/// Returns whether the file was left alone.
fn concurrent(change: Change) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = d.join("big.txt");
    let original = "你好,很高兴为您服务哦\n".repeat(200_000);
    fs::write(&path, &original).unwrap();
    change.prepare(&path);
    let mut child = support::command(
        d,
        &[
            "check",
            "--no-config",
            "--fix",
            "--max-fix-size",
            "16M",
            "--statistics",
            "big.txt",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let writing = || {
        fs::read_dir(d)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".kefu-lint-"))
    };
    while !writing() && child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_micros(100));
    }
    change.apply(&path);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{change:?}: kefu-lint did not finish");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    // A FIFO is not read: that would wait for a writer.
    let fifo = matches!(change, Change::Fifo);
    let now = if fifo {
        String::new()
    } else {
        fs::read_to_string(&path).unwrap()
    };
    let fixed = original.replace("你好", "您好");
    let left_alone = out.status.code() == Some(2);
    eprintln!(
        "{change:?}: {}",
        if left_alone {
            "left alone"
        } else {
            "changed after the rename"
        }
    );
    if left_alone {
        assert!(
            ["it changed on disk", "it is read-only", "big.txt is not a regular file"]
                .iter()
                .any(|why| err.contains(why)),
            "{change:?}: {err}"
        );
        assert!(!now.contains("您好,很高兴"), "{change:?}: not written");
    } else {
        assert_eq!(out.status.code(), Some(0), "{change:?}: {err}");
    }
    match change {
        Change::Append => assert!(
            now.ends_with("新加的一行\n") && now.len() > original.len(),
            "{change:?}"
        ),
        Change::Replace => assert_eq!(now, "别人的新版本\n", "{change:?}"),
        Change::Overwrite => assert!(now.starts_with("#ab"), "{change:?}"),
        Change::ReadOnly => {
            assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o444, "{change:?}");
            assert!(left_alone || now == fixed, "{change:?}");
        }
        // Never replaced by the fixed file.
        Change::Fifo => assert!(fs::symlink_metadata(&path).unwrap().file_type().is_fifo(), "{change:?}"),
    }
    left_alone
}

#[test]
fn a_file_changed_while_it_is_fixed_is_left_alone() {
    for change in [
        Change::Append,
        Change::Replace,
        Change::Overwrite,
        Change::ReadOnly,
        Change::Fifo,
    ] {
        // The change usually lands before the rename; when it lands after,
        // it is kept all the same. At least one of three trials must show
        // the file left alone.
        assert!(
            (0..3).any(|_| concurrent(change)),
            "{change:?}: never caught while writing"
        );
    }
}

#[test]
fn the_readme_documents_the_size_limit() {
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert_contains(&readme, "--max-fix-size");
}

/// The shortest of three runs of `kefu-lint check --no-config ARGS` in
/// `dir` on `input` (written to `dir/NAME`, `NAME` the last of `args`,
/// afresh each time), each of which must end with status 0 or 1.
fn fastest(dir: &Path, input: &str, args: &[&str]) -> Duration {
    let name = args.last().unwrap();
    (0..3)
        .map(|_| {
            fs::write(dir.join(name), input).unwrap();
            let started = Instant::now();
            let out = support::run(dir, &[&["check", "--no-config"], args].concat(), None);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
            started.elapsed()
        })
        .min()
        .unwrap()
}

/// Asserts that the run on the input made by `make(8 * n)` takes less than
/// 20 times as long as on `make(n)` (linear time gives 8, quadratic 64).
fn assert_linear(what: &str, n: usize, make: impl Fn(usize) -> String, args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let small = fastest(dir.path(), &make(n), args);
    let large = fastest(dir.path(), &make(8 * n), args);
    eprintln!("{what}: {small:?} for {n}, {large:?} for {}", 8 * n);
    assert!(
        large < small * 20,
        "{what}: {small:?} for {n}, {large:?} for {}: faster than linear growth",
        8 * n
    );
}

#[test]
fn fixes_take_time_linear_in_repeats_and_edits() {
    // A JSON Lines reply whose text stands many times in its line before its field.
    let repeated = |n: usize| {
        let others = vec!["\"你好\""; n].join(",");
        format!("{{\"x\":[{others}],\"role\":\"assistant\",\"content\":\"你好\"}}\n")
    };
    assert_linear("jsonl --diff, repeats", 1000, repeated, &["--diff", "c.jsonl"]);
    // One edit on every other line.
    let edits = |n: usize| (0..n).map(|i| if i % 2 == 0 { "你好\n" } else { "好的\n" }).collect();
    assert_linear("txt --diff, edits", 5000, edits, &["--diff", "r.txt"]);
    assert_linear(
        "txt --fix, edits",
        5000,
        edits,
        &["--fix", "--format", "concise", "r.txt"],
    );
}
