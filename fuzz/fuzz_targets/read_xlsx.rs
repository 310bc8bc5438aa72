#![no_main]
//! The workbook reader (.xlsx/.xls) on any bytes, then Linter::check on every reply.
//!
//! The workbook parser (calamine) can panic on a broken file; kefu-lint's
//! reader catches that panic and reports the input as unreadable. libFuzzer's
//! panic hook would abort the process before that catch, so panics raised in
//! a dependency's code are let through to it here. A panic that is not
//! caught still reaches libfuzzer-sys, which aborts: it is reported as usual.

use std::sync::Once;

static HOOK: Once = Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("/registry/src/")) {
                eprintln!("(a dependency panicked; kefu-lint is expected to catch it) {info}");
                return;
            }
            abort(info);
        }));
    });
    kefu_lint_fuzz::read(data, kefu_lint_cli::read::Format::Excel);
});
