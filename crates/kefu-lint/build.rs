//! Embeds every reply rule pack under `rules/` into the library (the session
//! pack, `rules/session.toml`, is the session module's own).

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules = Path::new(&manifest).join("../../rules");
    println!("cargo::rerun-if-changed={}", rules.display());
    let mut packs: Vec<_> = fs::read_dir(&rules)
        .expect("rules/ directory next to crates/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("session.toml"))
        .collect();
    packs.sort();
    let mut out = String::from("&[\n");
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
    }
    out.push(']');
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_packs.rs");
    fs::write(dest, out).expect("write builtin_packs.rs");
}
