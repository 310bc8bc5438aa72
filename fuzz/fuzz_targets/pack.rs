#![no_main]
//! kefu_lint::load_packs on any TOML text; a valid pack checks its own examples.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::pack(&kefu_lint_fuzz::text(data));
});
