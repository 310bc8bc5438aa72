#![no_main]
//! Config::parse on any kefu-lint.toml text.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::config(&kefu_lint_fuzz::text(data));
});
