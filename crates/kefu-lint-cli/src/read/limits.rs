//! How much an input may make kefu-lint read, inflate and hold: declared
//! sizes inside files are never trusted; what is actually read is counted
//! against these limits, and an input over one is an error for that input.

pub use kefu_lint::files::{FileError, MIB, SMALL_FILE_BYTES, open_regular, read_file, read_text_file, size};

/// Bounds on what one workbook may make kefu-lint read, inflate and hold.
///
/// With the defaults, the most a workbook can make kefu-lint hold is its
/// file (64 MiB), its shared strings (within 64 MiB inflated), the text of
/// its rows (64 MiB) and the records of 500,000 cells (about 300 bytes
/// each), under 512 MB in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a workbook file; also of everything its parts inflate to,
    /// together; also of the text kept from its rows, header names
    /// included; also of a `.json` chat log, which is read whole
    /// (`--max-workbook-mb`, default 64 MiB).
    pub workbook_bytes: u64,
    /// Non-empty cells of a workbook; also its shared strings, and the
    /// area a legacy `.xls` sheet spans (`--max-cells`, default 500,000).
    pub cells: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workbook_bytes: 64 * MIB,
            cells: 500_000,
        }
    }
}

/// Bytes of an evaluation set (`kefu-lint eval`) or a baseline read at
/// most (64 MiB: a baseline holds about 150 bytes per finding, so some
/// 400,000 findings).
pub const LARGE_FILE_BYTES: u64 = 64 * MIB;
