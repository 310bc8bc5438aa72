//! The `kefu-lint` binary; everything it does lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    kefu_lint_cli::run()
}
