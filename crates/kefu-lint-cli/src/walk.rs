//! Expanding the paths given on the command line into input files.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use crate::read::Format;
use crate::write;

/// The inputs named by `paths`: files as given, directories walked
/// recursively (honouring `.gitignore` and hidden files) for files of a known
/// format, filtered by `globs`, never the temporary files `--fix` writes
/// through; `-` is standard input. Each error names a path.
pub fn expand(paths: &[PathBuf], globs: &[String], any_extension: bool) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match walk(path, globs, any_extension) {
            Ok(found) if found.is_empty() => {
                errors.push(format!("{}: no files to check in this directory", path.display()))
            }
            Ok(found) => files.extend(found),
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    (files, errors)
}

fn walk(dir: &Path, globs: &[String], any_extension: bool) -> Result<Vec<PathBuf>, String> {
    let mut overrides = OverrideBuilder::new(dir);
    for glob in globs {
        overrides.add(glob).map_err(|e| format!("--glob {glob:?}: {e}"))?;
    }
    let overrides = overrides.build().map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for entry in WalkBuilder::new(dir)
        .require_git(false)
        .overrides(overrides)
        .sort_by_file_name(Ord::cmp)
        .build()
    {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let ours = entry.file_name().to_str().is_some_and(write::is_temporary);
        if entry.file_type().is_some_and(|t| t.is_file()) && !ours && (any_extension || Format::of(path).is_some()) {
            found.push(path.to_owned());
        }
    }
    Ok(found)
}
