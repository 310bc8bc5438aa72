#![no_main]
//! Every output format over arbitrary findings, replies, sheet names and paths.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::render_findings(data);
});
