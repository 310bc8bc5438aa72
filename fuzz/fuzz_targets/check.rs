#![no_main]
//! Linter::check on any reply: spans on char boundaries, matched == reply[span], ordered.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::check(&kefu_lint_fuzz::text(data));
});
