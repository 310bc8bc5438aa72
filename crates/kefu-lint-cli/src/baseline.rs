//! Baselines: record today's findings, then report only new ones.
//!
//! A finding is identified by a fingerprint of its input path, rule, reply
//! text, matched text and which occurrence of that match in the reply it is
//! — not by line numbers, so reordering rows and editing other rows keep it.
//! The input path in it is taken relative to the baseline file's directory
//! ([`PathKeys`]), so `r.txt`, `./r.txt` and `sub/../r.txt` are one input.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::write::write_atomically;

/// FNV-1a over parts, each followed by a zero byte.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn part(self, part: &str) -> Fnv {
        let mut hash = self.0;
        for &byte in part.as_bytes().iter().chain(&[0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Fnv(hash)
    }

    fn last(self, matched: &str, occurrence: usize) -> u64 {
        self.part(matched).part(&occurrence.to_string()).0
    }
}

/// The fingerprints of one reply's findings, taken in order: a stable
/// 64-bit FNV-1a hash of each finding's identity, that is its input's key
/// ([`PathKeys`]), rule, reply (trimmed), matched text and which occurrence
/// of that rule and text in the reply it is. The reply is hashed once per
/// rule rather than once per finding, so a reply's fingerprints take time in
/// its length plus its findings' total length.
pub struct ReplyFingerprints<'a> {
    key: &'a str,
    reply: &'a str,
    /// The hash up to and including the reply, per rule.
    by_rule: HashMap<&'a str, Fnv>,
    occurrences: Occurrences<'a>,
}

impl<'a> ReplyFingerprints<'a> {
    /// For the reply `reply` of the input keyed `key`.
    pub fn new(key: &'a str, reply: &'a str) -> Self {
        ReplyFingerprints {
            key,
            reply,
            by_rule: HashMap::new(),
            occurrences: Occurrences::default(),
        }
    }

    /// The fingerprint of the reply's next finding, of `rule` matching `matched`.
    pub fn next(&mut self, rule: &'a str, matched: &'a str) -> u64 {
        let (key, reply) = (self.key, self.reply);
        let head = *self
            .by_rule
            .entry(rule)
            .or_insert_with(|| Fnv::default().part(key).part(rule).part(reply.trim()));
        head.last(matched, self.occurrences.next(rule, matched))
    }
}

/// One recorded finding.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Hex fingerprint.
    pub fingerprint: String,
    /// Input path, for readers of the file.
    pub path: String,
    /// Rule id, for readers of the file.
    pub rule: String,
    /// Matched text, for readers of the file.
    pub matched: String,
}

/// The baseline format this version writes and reads.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// Fingerprints of a loaded baseline, each with how many findings it covers.
#[derive(Debug, Default)]
pub struct Baseline(HashMap<u64, usize>);

impl Baseline {
    /// Loads a baseline written by [`write`].
    ///
    /// # Errors
    /// The file cannot be read, is not a baseline, is of another version
    /// than this program's, or holds a fingerprint that is not hexadecimal.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::read::limits::read_text_file(path, crate::read::limits::LARGE_FILE_BYTES)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let file: File =
            serde_json::from_str(&text).map_err(|e| format!("{}: not a kefu-lint baseline: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (this kefu-lint reads version {VERSION}); \
                 write the baseline again with --write-baseline",
                path.display(),
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for entry in file.findings {
            let fp = u64::from_str_radix(&entry.fingerprint, 16)
                .map_err(|_| format!("{}: bad fingerprint {:?}", path.display(), entry.fingerprint))?;
            *counts.entry(fp).or_default() += 1;
        }
        Ok(Baseline(counts))
    }

    /// Whether the baseline covers this finding (each recorded finding covers one).
    pub fn covers(&mut self, fingerprint: u64) -> bool {
        match self.0.get_mut(&fingerprint) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// Writes `entries` as a baseline file, atomically. An existing file is
/// replaced only if it is a kefu-lint baseline: a mistyped path must not
/// overwrite the configuration or a workbook.
///
/// # Errors
/// The file exists and is not a baseline, the baseline would be larger than
/// a baseline may be read back ([`LARGE_FILE_BYTES`](crate::read::limits::LARGE_FILE_BYTES)),
/// or it cannot be written.
pub fn write(path: &Path, findings: Vec<Entry>) -> Result<(), String> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        let existing = crate::read::limits::read_text_file(path, crate::read::limits::LARGE_FILE_BYTES);
        if !existing.is_ok_and(|text| serde_json::from_str::<File>(&text).is_ok()) {
            return Err(format!(
                "{}: exists and is not a kefu-lint baseline; not overwritten (remove it, or give another path)",
                path.display()
            ));
        }
    }
    let text = serde_json::to_string_pretty(&File {
        version: VERSION,
        findings,
    })
    .map_err(|e| e.to_string())?;
    // A baseline kefu-lint could not read back is worse than none.
    let limit = crate::read::limits::LARGE_FILE_BYTES;
    if text.len() as u64 >= limit {
        return Err(format!(
            "{}: not written: the baseline would be {} bytes, over the {} a baseline may be read back at; \
             baseline fewer inputs at a time",
            path.display(),
            text.len(),
            crate::read::limits::size(limit)
        ));
    }
    write_atomically(path, format!("{text}\n").as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

/// Which occurrence of the same rule and matched text in one reply each
/// finding is, counted as the findings come (a hash lookup each).
#[derive(Default)]
struct Occurrences<'a>(HashMap<(&'a str, &'a str), usize>);

impl<'a> Occurrences<'a> {
    /// 0 for the first finding of `rule` matching `matched`, then 1, 2 ….
    fn next(&mut self, rule: &'a str, matched: &'a str) -> usize {
        let n = self.0.entry((rule, matched)).or_default();
        *n += 1;
        *n - 1
    }
}

/// Names inputs in fingerprints relative to one directory (a baseline
/// file's), lexically normalised, with `/` between components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathKeys {
    cwd: PathBuf,
    base: PathBuf,
}

impl PathKeys {
    /// Keys relative to the directory of `baseline` (a file path, relative
    /// to the current directory), or to the current directory itself.
    pub fn new(baseline: Option<&Path>) -> PathKeys {
        let cwd = std::env::current_dir().unwrap_or_default();
        let base = match baseline {
            Some(file) => normalise(&cwd.join(file).join("..")),
            None => normalise(&cwd),
        };
        PathKeys { cwd, base }
    }

    /// The key of the input `name` (a path as given, or `<stdin>`, which is
    /// its own key).
    pub fn key(&self, name: &str) -> String {
        if name == "<stdin>" {
            return name.to_owned();
        }
        let path = normalise(&self.cwd.join(name));
        let common = path
            .components()
            .zip(self.base.components())
            .take_while(|(a, b)| a == b)
            .count();
        let up = self.base.components().count() - common;
        let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), up)
            .chain(
                path.components()
                    .skip(common)
                    .map(|c| c.as_os_str().to_string_lossy().into_owned()),
            )
            .collect();
        parts.join("/")
    }
}

/// `path` with `.` components dropped and each `..` taking away the
/// component before it (lexically: symbolic links are not followed).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baseline_too_large_to_read_back_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let entry = |i: usize| Entry {
            fingerprint: format!("{i:016x}"),
            path: "长".repeat(1 << 20),
            rule: "KF011".into(),
            matched: "你".into(),
        };
        let err = write(&path, (0..25).map(entry).collect()).unwrap_err();
        assert!(err.contains("not written: the baseline would be"), "{err}");
        assert!(!path.exists());
        write(&path, (0..2).map(entry).collect()).unwrap();
        assert!(Baseline::load(&path).is_ok());
    }

    /// A stable 64-bit FNV-1a hash of the finding's identity: its input's key
    /// ([`PathKeys`]), rule, reply (trimmed), matched text and occurrence
    /// ([`Occurrences`]).
    fn fingerprint(path: &str, rule: &str, reply: &str, matched: &str, occurrence: usize) -> u64 {
        Fnv::default()
            .part(path)
            .part(rule)
            .part(reply.trim())
            .last(matched, occurrence)
    }

    #[test]
    fn fingerprints_ignore_position_but_not_identity() {
        let a = fingerprint("a.csv", "KF007", "很好,但是贵", "但是", 0);
        assert_eq!(a, fingerprint("a.csv", "KF007", " 很好,但是贵 ", "但是", 0));
        assert_ne!(a, fingerprint("b.csv", "KF007", "很好,但是贵", "但是", 0));
        assert_ne!(a, fingerprint("a.csv", "KF007", "很好,但是贵", "但是", 1));
        assert_ne!(a, fingerprint("a.csv", "KF007", "不错,但是贵", "但是", 0));
    }

    #[test]
    fn each_entry_covers_one_finding() {
        let mut baseline = Baseline([(7, 2)].into_iter().collect());
        assert!(baseline.covers(7));
        assert!(baseline.covers(7));
        assert!(!baseline.covers(7));
        assert!(!baseline.covers(8));
    }

    #[test]
    fn reply_fingerprints_are_the_fingerprints_in_order() {
        let reply = " 你好,你看,但是你 ";
        let mut prints = ReplyFingerprints::new("a.txt", reply);
        assert_eq!(
            prints.next("KF011", "你"),
            fingerprint("a.txt", "KF011", reply, "你", 0)
        );
        assert_eq!(
            prints.next("KF007", "但是"),
            fingerprint("a.txt", "KF007", reply, "但是", 0)
        );
        assert_eq!(
            prints.next("KF011", "你"),
            fingerprint("a.txt", "KF011", reply, "你", 1)
        );
    }

    #[test]
    fn occurrences_count_per_rule_and_text() {
        let mut seen = Occurrences::default();
        assert_eq!(seen.next("KF001", "你"), 0);
        assert_eq!(seen.next("KF001", "你"), 1);
        assert_eq!(seen.next("KF007", "你"), 0);
        assert_eq!(seen.next("KF001", "您"), 0);
    }

    #[test]
    fn path_keys_are_relative_to_the_baseline_directory() {
        let keys = PathKeys {
            cwd: "/repo/sub".into(),
            base: "/repo".into(),
        };
        assert_eq!(keys.key("r.txt"), "sub/r.txt");
        assert_eq!(keys.key("./r.txt"), "sub/r.txt");
        assert_eq!(keys.key("x/../r.txt"), "sub/r.txt");
        assert_eq!(keys.key("../r.txt"), "r.txt");
        assert_eq!(keys.key("/repo/sub/r.txt"), "sub/r.txt");
        assert_eq!(keys.key("/elsewhere/r.txt"), "../elsewhere/r.txt");
        assert_eq!(keys.key("<stdin>"), "<stdin>");
        assert_eq!(normalise(Path::new("/../a/./b/../c")), PathBuf::from("/a/c"));
    }
}
