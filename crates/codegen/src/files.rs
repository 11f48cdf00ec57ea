//! The file-system side of codegen: read `manifests/`, write the catalog, check it is fresh.
//!
//! Writing is atomic per file (temp file in the same directory, then rename) and only touches
//! files whose contents changed; files in the generated directories that the current facts no
//! longer produce (a removed integration) are deleted.

use crate::{CodegenError, GeneratedFile, Layout};
use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

// The name of the lock file in a facts directory.
pub use ldic_manifest::store::LOCK_FILE;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> CodegenError + '_ {
    move |source| CodegenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Read every `<key>.json` and `upstream.lock` of a facts directory (`manifests/`), sorted by key
/// (`ldic_catalog_build::load_facts_dir`, which a run-time catalog reads with too).
pub fn load_facts_dir(dir: &Path) -> Result<(Vec<IntegrationFacts>, UpstreamLock), CodegenError> {
    Ok(ldic_catalog_build::load_facts_dir(dir)?)
}

/// How a committed file differs from what codegen produces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Staleness {
    /// The file differs from the generated text.
    Changed,
    /// Codegen produces the file but it does not exist.
    Missing,
    /// The file exists but codegen no longer produces it.
    Extra,
}

/// One stale file, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StaleFile {
    /// The file, relative to the workspace root.
    pub path: PathBuf,
    /// Why it is stale.
    pub staleness: Staleness,
}

impl std::fmt::Display for StaleFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.staleness {
            Staleness::Changed => "out of date",
            Staleness::Missing => "missing",
            Staleness::Extra => "no longer generated",
        };
        write!(f, "{} ({what})", self.path.display())
    }
}

/// Files currently in the generated directories (relative to `root`).
fn existing_files(root: &Path, layout: &Layout) -> Result<BTreeSet<PathBuf>, CodegenError> {
    let mut out = BTreeSet::new();
    for dir in [&layout.generated_dir, &layout.schema_dir] {
        let abs = root.join(dir);
        if !abs.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&abs).map_err(io_err(&abs))? {
            let entry = entry.map_err(io_err(&abs))?;
            if entry.path().is_file() {
                out.insert(dir.join(entry.file_name()));
            }
        }
    }
    Ok(out)
}

/// Compare the generated files with the ones under `root`.
pub fn stale_files(
    root: &Path,
    layout: &Layout,
    generated: &[GeneratedFile],
) -> Result<Vec<StaleFile>, CodegenError> {
    let mut stale = Vec::new();
    let mut existing = existing_files(root, layout)?;
    for file in generated {
        existing.remove(&file.path);
        let abs = root.join(&file.path);
        match fs::read(&abs) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(_) => stale.push(StaleFile {
                path: file.path.clone(),
                staleness: Staleness::Changed,
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => stale.push(StaleFile {
                path: file.path.clone(),
                staleness: Staleness::Missing,
            }),
            Err(err) => return Err(io_err(&abs)(err)),
        }
    }
    stale.extend(existing.into_iter().map(|path| StaleFile {
        path,
        staleness: Staleness::Extra,
    }));
    stale.sort();
    Ok(stale)
}

/// Write `contents` to `path` atomically (temp file in the same directory, then rename).
/// On failure `path` is untouched and no temporary file is left behind.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), CodegenError> {
    let tmp = write_aside(path, contents)?;
    commit_aside(tmp, path)
}

/// Write `contents` to a temporary file next to `path` (`tempfile`); dropping the returned path
/// removes the file, so a failure leaves nothing behind.
fn write_aside(path: &Path, contents: &[u8]) -> Result<tempfile::TempPath, CodegenError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io_err(dir))?;
    tmp.write_all(contents).map_err(io_err(path))?;
    Ok(tmp.into_temp_path())
}

/// Move a file written by [`write_aside`] into place.
fn commit_aside(tmp: tempfile::TempPath, path: &Path) -> Result<(), CodegenError> {
    tmp.persist(path).map_err(|err| io_err(path)(err.error))
}

/// Bring the files under `root` in line with `generated`; returns what was changed.
///
/// Every new file is first written aside; only when all of them are written are they renamed
/// into place and removed files deleted. A failed write (a full disk) leaves the previous
/// generated set as it was, not half old and half new.
pub fn write_files(
    root: &Path,
    layout: &Layout,
    generated: &[GeneratedFile],
) -> Result<Vec<StaleFile>, CodegenError> {
    let stale = stale_files(root, layout, generated)?;
    let mut staged: Vec<(tempfile::TempPath, PathBuf)> = Vec::new();
    for file in &stale {
        if !matches!(file.staleness, Staleness::Changed | Staleness::Missing) {
            continue;
        }
        let Some(generated) = generated.iter().find(|g| g.path == file.path) else {
            continue;
        };
        let abs = root.join(&file.path);
        // On an error, dropping `staged` removes every file written aside so far.
        staged.push((write_aside(&abs, generated.contents.as_bytes())?, abs));
    }
    for (tmp, abs) in staged {
        commit_aside(tmp, &abs)?;
    }
    for file in stale.iter().filter(|f| f.staleness == Staleness::Extra) {
        let abs = root.join(&file.path);
        fs::remove_file(&abs).map_err(io_err(&abs))?;
    }
    Ok(stale)
}
