//! Reading a facts directory (`manifests/`: `<key>.json` per integration and `upstream.lock`)
//! for codegen and for a catalog loaded at run time.
//!
//! Unlike `ldic_manifest::store::read_facts_dir` (which reads what a fetch is about to replace,
//! and takes a missing directory as empty), a catalog needs the lock and at least a readable
//! directory, and a broken file must say where it breaks: every error names the file, the JSON
//! pointer inside it (when the file parsed that far) and what was expected.

use ldic_manifest::facts::{FACTS_FORMAT_VERSION, IntegrationFacts, UpstreamLock};
use ldic_manifest::store::LOCK_FILE;
use std::path::{Path, PathBuf};

/// A facts directory that cannot be read as a catalog.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FactsDirError {
    /// A file or the directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not what the facts format says (truncated, wrong type, unknown member).
    #[error("{path}: at {pointer:?} (line {line}, column {column}): {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// JSON pointer of the offending value (`""`: the document, or where it stops).
        pointer: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// A facts file's name is not its key.
    #[error("{path}: at \"/key\": the key {key:?} belongs in {expected}")]
    KeyMismatch {
        /// The file.
        path: PathBuf,
        /// The key the file holds.
        key: String,
        /// The file name the key needs.
        expected: String,
    },
    /// A facts file of a format this version of ldic cannot read.
    #[error("{path}: at \"/format\": facts format {found}, this ldic reads format {expected}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The format the file declares.
        found: u32,
        /// The format this version reads.
        expected: u32,
    },
}

impl FactsDirError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FactsDirError::Io { path, .. }
            | FactsDirError::Invalid { path, .. }
            | FactsDirError::KeyMismatch { path, .. }
            | FactsDirError::Format { path, .. } => path,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> FactsDirError + '_ {
    move |source| FactsDirError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Parse `text` (the contents of `path`) as `T`, or the error with its JSON pointer.
fn parse<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, FactsDirError> {
    let invalid = |pointer: String, err: &serde_json::Error| FactsDirError::Invalid {
        path: path.to_path_buf(),
        pointer,
        line: err.line(),
        column: err.column(),
        message: err.to_string(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|err| invalid(ldic_manifest::api::path_to_pointer(err.path()), err.inner()))?;
    de.end().map_err(|err| invalid(String::new(), &err))?;
    Ok(value)
}

/// Read every `<key>.json` and `upstream.lock` of a facts directory, sorted by key.
pub fn load_facts_dir(dir: &Path) -> Result<(Vec<IntegrationFacts>, UpstreamLock), FactsDirError> {
    let lock_path = dir.join(LOCK_FILE);
    let lock_text = std::fs::read_to_string(&lock_path).map_err(io_err(&lock_path))?;
    let lock: UpstreamLock = parse(&lock_path, &lock_text)?;
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let path = entry.map_err(io_err(dir))?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut facts = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let integration: IntegrationFacts = parse(&path, &text)?;
        if integration.format != FACTS_FORMAT_VERSION {
            return Err(FactsDirError::Format {
                path,
                found: integration.format,
                expected: FACTS_FORMAT_VERSION,
            });
        }
        let expected = format!("{}.json", integration.key);
        if path.file_name().is_none_or(|n| n != expected.as_str()) {
            return Err(FactsDirError::KeyMismatch {
                path,
                key: integration.key,
                expected,
            });
        }
        facts.push(integration);
    }
    facts.sort_by(|a, b| a.key.cmp(&b.key));
    Ok((facts, lock))
}
