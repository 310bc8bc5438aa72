//! Expanding the paths given on the command line into input files.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use crate::read::Format;
use crate::write;

/// The inputs named by `paths`: files as given, directories walked
/// recursively (honouring `.gitignore` and hidden files, following symbolic
/// links: a link to a file or directory is checked as what it points to) for
/// files of a known format, filtered by `globs`, never the temporary files
/// `--fix` writes through; `-` is standard input. A link to nothing, or a
/// loop of links, is an error naming it. Each error names a path: an entry that
/// cannot be read (an unreadable subdirectory, a path too long for the
/// system) is one error, and the rest of its directory is still walked.
///
/// A `.json` file is found only when a `--glob` selects it (or with
/// `any_extension`): most JSON in a directory (`package.json`, a baseline,
/// findings) is not a chat log. The third value counts those left out.
pub fn expand(paths: &[PathBuf], globs: &[String], any_extension: bool) -> (Vec<PathBuf>, Vec<String>, usize) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut json_left = 0;
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match walk(path, globs, any_extension) {
            Ok((found, entry_errors, left)) => {
                json_left += left;
                if found.is_empty() && entry_errors.is_empty() {
                    errors.push(format!("{}: no files to check in this directory", path.display()));
                }
                files.extend(found);
                errors.extend(entry_errors);
            }
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    (files, errors, json_left)
}

/// The files found under `dir`, and the entries that could not be read; an
/// error only when the globs are bad.
fn walk(dir: &Path, globs: &[String], any_extension: bool) -> Result<(Vec<PathBuf>, Vec<String>, usize), String> {
    let mut overrides = OverrideBuilder::new(dir);
    for glob in globs {
        overrides.add(glob).map_err(|e| format!("--glob {glob:?}: {e}"))?;
    }
    let overrides = overrides.build().map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut json_left = 0;
    let selected = overrides.clone();
    for entry in WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(true)
        .overrides(overrides)
        .sort_by_file_name(Ord::cmp)
        .build()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // The walker's errors name the entry.
                errors.push(e.to_string());
                continue;
            }
        };
        let path = entry.path();
        let ours = entry.file_name().to_str().is_some_and(write::is_temporary);
        if !entry.file_type().is_some_and(|t| t.is_file()) || ours {
            continue;
        }
        let wanted = match Format::of(path).map(Format::reader) {
            _ if any_extension => true,
            Some(reader) if !reader.walked() => selected.matched(path, false).is_whitelist(),
            known => known.is_some(),
        };
        if wanted {
            found.push(path.to_owned());
        } else if Format::of(path).is_some() {
            json_left += 1;
        }
    }
    Ok((found, errors, json_left))
}
