//! Reading an upstream tree: a directory laid out like `launchdarkly/integration-framework`.
//!
//! Whatever the source (a git checkout in the fetch cache, or a plain directory such as
//! `../shared/integration-framework`), fetch ends up reading files from a directory:
//! `integrations/<key>/manifest.json`, `manifest.schema.json` and `schemas/**`. This module lists
//! them in a stable order and computes the content hash recorded for plain-directory sources.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// An error reading the upstream tree; names the file.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The directory has no `integrations/`.
    #[error("{path}: not an upstream tree: expected an `integrations/` directory")]
    NotATree {
        /// The directory.
        path: PathBuf,
    },
    /// A file name is not UTF-8.
    #[error("{path}: file name is not UTF-8")]
    NonUtf8Name {
        /// The path.
        path: PathBuf,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> TreeError + '_ {
    move |source| TreeError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One `integrations/<key>/manifest.json` of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestFile {
    /// The integration key (the directory name).
    pub key: String,
    /// Path inside the repository, with `/` separators: `integrations/<key>/manifest.json`.
    pub repo_path: String,
    /// Path on disk.
    pub path: PathBuf,
}

/// A directory holding an upstream tree.
#[derive(Debug, Clone)]
pub struct UpstreamTree {
    root: PathBuf,
}

impl UpstreamTree {
    /// The tree at `root`; fails unless `root/integrations` is a directory.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, TreeError> {
        let root = root.into();
        if !root.join("integrations").is_dir() {
            return Err(TreeError::NotATree { path: root });
        }
        Ok(UpstreamTree { root })
    }

    /// The tree's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `manifest.schema.json` at the root.
    pub fn schema_path(&self) -> PathBuf {
        self.root.join("manifest.schema.json")
    }

    /// Every `integrations/<key>/manifest.json`, sorted by key. Directories without a
    /// `manifest.json` are skipped.
    pub fn manifests(&self) -> Result<Vec<ManifestFile>, TreeError> {
        let dir = self.root.join("integrations");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io_err(&dir))? {
            let entry = entry.map_err(io_err(&dir))?;
            let path = entry.path();
            let manifest = path.join("manifest.json");
            if !manifest.is_file() {
                continue;
            }
            let key = entry
                .file_name()
                .into_string()
                .map_err(|_| TreeError::NonUtf8Name { path: path.clone() })?;
            out.push(ManifestFile {
                repo_path: format!("integrations/{key}/manifest.json"),
                key,
                path: manifest,
            });
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    /// `sha256:<hex>` over the files fetch reads: every manifest, `manifest.schema.json` and
    /// `schemas/**/*.json`. Each file contributes its repository path, a NUL, its length
    /// (u64 little-endian) and its bytes, in path order, so renames and content changes both show.
    pub fn content_hash(&self) -> Result<String, TreeError> {
        let mut files: Vec<(String, PathBuf)> = self
            .manifests()?
            .into_iter()
            .map(|m| (m.repo_path, m.path))
            .collect();
        let schema = self.schema_path();
        if schema.is_file() {
            files.push(("manifest.schema.json".to_owned(), schema));
        }
        collect_json(&self.root.join("schemas"), "schemas", &mut files)?;
        files.sort();
        let mut hasher = Sha256::new();
        for (repo_path, path) in &files {
            let bytes = std::fs::read(path).map_err(io_err(path))?;
            hasher.update(repo_path.as_bytes());
            hasher.update([0u8]);
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        let digest = hasher.finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("sha256:{hex}"))
    }
}

fn collect_json(
    dir: &Path,
    repo_prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), TreeError> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        let name = entry
            .file_name()
            .into_string()
            .map_err(|_| TreeError::NonUtf8Name { path: path.clone() })?;
        let repo_path = format!("{repo_prefix}/{name}");
        if path.is_dir() {
            collect_json(&path, &repo_path, out)?;
        } else if name.ends_with(".json") {
            out.push((repo_path, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn lists_sorted_and_hash_tracks_content() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "integrations/zeta/manifest.json", "{}");
        write(dir.path(), "integrations/alpha/manifest.json", "{}");
        std::fs::create_dir_all(dir.path().join("integrations/empty")).unwrap();
        write(dir.path(), "schemas/definitions.json", "{}");
        let tree = UpstreamTree::open(dir.path()).unwrap();
        let keys: Vec<_> = tree
            .manifests()
            .unwrap()
            .into_iter()
            .map(|m| m.key)
            .collect();
        assert_eq!(keys, vec!["alpha", "zeta"]);
        let h1 = tree.content_hash().unwrap();
        assert_eq!(h1, tree.content_hash().unwrap());
        write(dir.path(), "schemas/definitions.json", "{ }");
        assert_ne!(h1, tree.content_hash().unwrap());
    }

    #[test]
    fn not_a_tree() {
        let dir = tempfile::tempdir().unwrap();
        let err = UpstreamTree::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("integrations/"), "{err}");
    }
}
