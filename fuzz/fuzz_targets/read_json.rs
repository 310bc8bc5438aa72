#![no_main]
//! The .json reader on any bytes, then Linter::check on every reply.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kefu_lint_fuzz::read(data, kefu_lint_cli::read::Format::Json);
});
