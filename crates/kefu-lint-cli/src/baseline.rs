//! Baselines: record today's findings, then report only new ones.
//!
//! A finding is identified by a fingerprint of its input path, rule, reply
//! text, matched text and which occurrence of that match in the reply it is
//! — not by line numbers, so reordering rows and editing other rows keep it.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::write::write_atomically;

/// A stable 64-bit FNV-1a hash of the finding's identity.
pub fn fingerprint(path: &str, rule: &str, reply: &str, matched: &str, occurrence: usize) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let occurrence = occurrence.to_string();
    for part in [path, rule, reply.trim(), matched, &occurrence] {
        for &byte in part.as_bytes().iter().chain(&[0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
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
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: File =
            serde_json::from_str(&text).map_err(|e| format!("{}: not a kefu-lint baseline: {e}", path.display()))?;
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

/// Writes `entries` as a baseline file, atomically.
pub fn write(path: &Path, findings: Vec<Entry>) -> Result<(), String> {
    let text = serde_json::to_string_pretty(&File { version: 1, findings }).map_err(|e| e.to_string())?;
    write_atomically(path, format!("{text}\n").as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
