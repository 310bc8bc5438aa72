//! Embeds every reply rule pack under `rules/` into the library (the session
//! pack, `rules/session.toml`, is the session module's own), and computes
//! once, here, what every start would otherwise compute: the trigger
//! literals of the packs' regexes (`src/trigger.rs`, rarest first by
//! `src/frequency.rs`) and the folding table
//! of every BMP code point (`src/fold/table.rs`). Together they took about
//! half of building the linter.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

#[allow(dead_code)]
#[path = "src/frequency.rs"]
mod frequency;

#[allow(dead_code)]
#[path = "src/trigger.rs"]
mod trigger;

#[allow(dead_code)]
#[path = "src/fold/table.rs"]
mod fold_table;

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules = Path::new(&manifest).join("../../rules");
    println!("cargo::rerun-if-changed={}", rules.display());
    for source in ["src/frequency.rs", "src/trigger.rs", "src/fold/table.rs", "data"] {
        println!("cargo::rerun-if-changed={source}");
    }
    let mut packs: Vec<_> = fs::read_dir(&rules)
        .expect("rules/ directory next to crates/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("session.toml"))
        .collect();
    packs.sort();
    let mut out = String::from("&[\n");
    let mut regexes = Vec::new();
    for path in &packs {
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 pack name");
        let abs = fs::canonicalize(path).expect("pack path");
        println!("cargo::rerun-if-changed={}", abs.display());
        writeln!(
            out,
            "    (\"rules/{name}\", include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("write to String");
        regexes.extend(regexes_of(&fs::read_to_string(path).expect("read a pack")));
    }
    out.push(']');
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(dest.join("builtin_packs.rs"), out).expect("write builtin_packs.rs");
    fs::write(dest.join("builtin_triggers.rs"), triggers_table(regexes)).expect("write builtin_triggers.rs");
    let bmp = fold_table::Table::parse().bmp_entries();
    fs::write(dest.join("fold_bmp.rs"), bmp_tables(&bmp)).expect("write fold_bmp.rs");
}

/// The per-code-point folding table of the BMP, its flag bytes and the code
/// points whose folded form differs, as statics, so a start reads them from
/// the binary instead of computing them.
fn bmp_tables(entries: &[u32]) -> String {
    let mut out = format!("pub(super) static BMP_ENTRIES: [u32; {}] = [", entries.len());
    for entry in entries {
        write!(out, "{entry:#x},").expect("write to String");
    }
    write!(out, "];\npub(super) static BMP_FLAGS: [u8; {}] = [", entries.len()).expect("write to String");
    for entry in entries {
        write!(out, "{},", entry >> fold_table::Flags::SHIFT).expect("write to String");
    }
    let changed: Vec<usize> = (0..entries.len())
        .filter(|&cp| entries[cp] & fold_table::Flags::CHANGED != 0)
        .collect();
    write!(out, "];\npub(super) static BMP_CHANGED: [u16; {}] = [", changed.len()).expect("write to String");
    for cp in changed {
        write!(out, "{cp},").expect("write to String");
    }
    out.push_str("];\n");
    out
}

/// The `regex` strings of every `[[rule]]` of a pack. A pack that does not
/// parse is left to the library's own loading to report (its tests load
/// every built-in pack).
fn regexes_of(pack: &str) -> Vec<String> {
    let Ok(doc) = pack.parse::<toml::Table>() else {
        return Vec::new();
    };
    doc.get("rule")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|rule| rule.get("regex")?.as_array())
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect()
}

/// `&[(pattern, Some(&[literal, …]) or None)]`, sorted by pattern, each once.
fn triggers_table(mut regexes: Vec<String>) -> String {
    regexes.sort();
    regexes.dedup();
    let mut out = String::from("&[\n");
    for regex in &regexes {
        match trigger::literals(regex) {
            Some(set) => writeln!(out, "    ({regex:?}, Some(&{set:?} as &[&str])),"),
            None => writeln!(out, "    ({regex:?}, None),"),
        }
        .expect("write to String");
    }
    out.push(']');
    out
}
