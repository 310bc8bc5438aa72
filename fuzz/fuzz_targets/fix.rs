#![no_main]
//! Linter::fix (Unsafe and Safe) on any reply: fixing the Safe output again changes nothing.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::fix(&kefu_lint_fuzz::text(data));
});
