#![no_main]
//! Linter::check on any reply gives the findings of running every regex on every reply.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::triggers(&kefu_lint_fuzz::text(data));
});
