//! User rule packs that the matcher cannot hold are load errors that name
//! the pack, the rule and the place, never a panic or a rule that silently
//! never matches.

mod support;

use std::fs;

use support::{run, stderr};

fn pack_with_regex(regex: &str) -> String {
    format!(
        "[pack]\nname = \"shop\"\ndescription = \"house words\"\n\
         [[rule]]\nid = \"S001\"\nname = \"contact-elsewhere\"\ncategory = \"shop\"\n\
         severity = \"warning\"\nsummary = \"s\"\nmessage = \"m\"\nregex = ['{regex}']\n\
         source = {{ seed = \"shop\", passage = \"p\" }}\n"
    )
}

#[test]
fn a_regex_too_big_to_compile_is_a_load_error_at_its_place() {
    let names: Vec<String> = (0..20_000).map(|i| format!("BrandShop{i}旗舰店")).collect();
    for (regex, why) in [
        (r"(微信\w{0,300}号)".to_owned(), "rule S001: regex cannot be compiled"),
        (names.join("|"), "rule S001: a regex of 468889 bytes"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("shop.toml"), pack_with_regex(&regex)).unwrap();
        fs::write(d.join("kefu-lint.toml"), "extend-packs = [\"shop.toml\"]\n").unwrap();
        fs::write(d.join("r.txt"), "加我微信号哦\n").unwrap();
        let out = run(d, &["check", "r.txt"], None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("shop.toml") && err.contains(why), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_regex_within_the_limit_matches() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("shop.toml"), pack_with_regex(r"(微信\w{0,10}号)")).unwrap();
    fs::write(d.join("kefu-lint.toml"), "extend-packs = [\"shop.toml\"]\n").unwrap();
    fs::write(d.join("r.txt"), "亲,加我微信abc号哦\n").unwrap();
    let out = run(d, &["check", "--format", "concise", "r.txt"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(support::stdout(&out).contains("S001"));
}
