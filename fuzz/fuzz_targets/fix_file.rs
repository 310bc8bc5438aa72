#![no_main]
//! `--fix` end to end on a file of any bytes (the first byte picks txt, csv,
//! tsv or jsonl): a safe fix changes only the characters it names, in the
//! file's text and in every reply read back from it.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::fix_file(data);
});
