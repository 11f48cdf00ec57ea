//! Reading and writing the facts directory (`manifests/`).
//!
//! The directory holds `<integration-key>.json` per integration and `upstream.lock`. Files are
//! pretty JSON with a trailing newline, so a rerun is byte-identical and `git diff` is readable.
//! Writing is all-or-nothing: the new directory is written beside the old one and swapped in by
//! rename, so `manifests/` is never left half-written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::facts::{IntegrationFacts, UpstreamLock};

/// File name of the lock inside the facts directory.
pub const LOCK_FILE: &str = "upstream.lock";

/// An error reading or writing the facts directory; names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid facts.
    #[error("{path}: not a valid facts file: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parse error (with its line and column).
        #[source]
        source: serde_json::Error,
    },
    /// A facts file's name does not match the key it holds.
    #[error("{path}: facts file name does not match its key {key:?}")]
    KeyMismatch {
        /// The file.
        path: PathBuf,
        /// The key it holds.
        key: String,
    },
    /// A path to write has no parent directory.
    #[error("{path}: has no parent directory to write beside")]
    NoParent {
        /// The file.
        path: PathBuf,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The content of a facts directory: the lock and every integration's facts, by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactsSet {
    /// `upstream.lock`, when present.
    pub lock: Option<UpstreamLock>,
    /// Every integration's facts, by key.
    pub integrations: BTreeMap<String, IntegrationFacts>,
}

/// Serialize one value the way `manifests/` stores it: pretty JSON plus a trailing newline.
pub fn render<T: serde::Serialize>(value: &T) -> String {
    // Serializing these plain data types to a String cannot fail (no maps with non-string keys,
    // no failing Serialize impls); fall back to an empty document rather than panic.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Read a facts directory. A missing directory is an empty set (first fetch).
pub fn read_facts_dir(dir: &Path) -> Result<FactsSet, StoreError> {
    let mut set = FactsSet::default();
    if !dir.is_dir() {
        return Ok(set);
    }
    let lock_path = dir.join(LOCK_FILE);
    if lock_path.is_file() {
        let text = std::fs::read_to_string(&lock_path).map_err(io_err(&lock_path))?;
        set.lock = Some(
            serde_json::from_str(&text).map_err(|source| StoreError::Parse {
                path: lock_path.clone(),
                source,
            })?,
        );
    }
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let facts: IntegrationFacts =
            serde_json::from_str(&text).map_err(|source| StoreError::Parse {
                path: path.clone(),
                source,
            })?;
        if facts.key != stem {
            return Err(StoreError::KeyMismatch {
                path,
                key: facts.key,
            });
        }
        set.integrations.insert(facts.key.clone(), facts);
    }
    Ok(set)
}

/// The files a facts set is stored as: (file name, content), sorted by name.
pub fn render_facts_set(lock: &UpstreamLock, facts: &[IntegrationFacts]) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = facts
        .iter()
        .map(|f| (format!("{}.json", f.key), render(f)))
        .collect();
    files.push((LOCK_FILE.to_owned(), render(lock)));
    files.sort();
    files
}

fn is_generated_name(name: &str) -> bool {
    name == LOCK_FILE || name.ends_with(".json")
}

/// Replace the facts directory `dir` with exactly `files` (see [`render_facts_set`]).
///
/// Other files already in `dir` (a README, `.gitkeep`) are carried over. The new content is
/// written to a sibling temporary directory, then swapped in by two renames; on any error the old
/// directory is left as it was.
pub fn write_facts_dir(dir: &Path, files: &[(String, String)]) -> Result<(), StoreError> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let base = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| StoreError::NoParent {
            path: dir.to_path_buf(),
        })?;
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{base}.new-{pid}"));
    let old = parent.join(format!(".{base}.old-{pid}"));
    for stale in [&tmp, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(io_err(stale))?;
        }
    }
    let result = write_into(&tmp, dir, files).and_then(|()| swap(dir, &tmp, &old));
    if result.is_err() && tmp.exists() {
        // Best effort: the temporary directory is ours and holds nothing of value.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn write_into(tmp: &Path, dir: &Path, files: &[(String, String)]) -> Result<(), StoreError> {
    std::fs::create_dir(tmp).map_err(io_err(tmp))?;
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
            let entry = entry.map_err(io_err(dir))?;
            let path = entry.path();
            let name = entry.file_name();
            let keep = name.to_str().is_none_or(|n| !is_generated_name(n));
            if keep && path.is_file() {
                let to = tmp.join(&name);
                std::fs::copy(&path, &to).map_err(io_err(&to))?;
            }
        }
    }
    for (name, content) in files {
        let path = tmp.join(name);
        std::fs::write(&path, content).map_err(io_err(&path))?;
    }
    Ok(())
}

fn swap(dir: &Path, tmp: &Path, old: &Path) -> Result<(), StoreError> {
    if dir.exists() {
        std::fs::rename(dir, old).map_err(io_err(dir))?;
        if let Err(source) = std::fs::rename(tmp, dir) {
            // Put the previous content back before reporting.
            let _ = std::fs::rename(old, dir);
            return Err(StoreError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        std::fs::remove_dir_all(old).map_err(io_err(old))?;
    } else {
        std::fs::rename(tmp, dir).map_err(io_err(dir))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FACTS_FORMAT_VERSION;

    fn facts(key: &str) -> IntegrationFacts {
        IntegrationFacts {
            format: FACTS_FORMAT_VERSION,
            key: key.into(),
            name: "Name".into(),
            version: "1.0.0".into(),
            manifest_path: format!("integrations/{key}/manifest.json"),
            capabilities: vec![],
            form_lists: vec![],
        }
    }

    fn lock() -> UpstreamLock {
        UpstreamLock::from_git(
            UpstreamLock::DEFAULT_SOURCE,
            "0".repeat(40),
            "2025-01-01".into(),
        )
    }

    #[test]
    fn write_then_read_roundtrip_keeps_other_files_and_drops_removed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("manifests");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("README.md"), "keep me").unwrap();
        std::fs::write(dir.join("gone.json"), "{}").unwrap();
        let files = render_facts_set(&lock(), &[facts("b"), facts("a")]);
        write_facts_dir(&dir, &files).unwrap();
        let set = read_facts_dir(&dir).unwrap();
        assert_eq!(set.lock, Some(lock()));
        assert_eq!(set.integrations.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("README.md")).unwrap(),
            "keep me"
        );
        let text = std::fs::read_to_string(dir.join("a.json")).unwrap();
        assert!(text.ends_with("}\n"));
        // Nothing left beside it.
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["manifests"]);
    }

    #[test]
    fn key_mismatch_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("m");
        write_facts_dir(&dir, &render_facts_set(&lock(), &[facts("a")])).unwrap();
        std::fs::rename(dir.join("a.json"), dir.join("b.json")).unwrap();
        let err = read_facts_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("b.json"), "{err}");
    }
}
