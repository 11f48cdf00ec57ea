//! Directory helpers for tests that prove a command changed nothing (or copy fixtures).

use std::path::Path;

/// Every file directly in `dir` as (name, bytes), sorted by name: compare two calls to prove a
/// directory was left exactly as it was. Panics when `dir` cannot be read.
pub fn dir_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
            let bytes = std::fs::read(entry.path())
                .unwrap_or_else(|e| panic!("read {}: {e}", entry.path().display()));
            (entry.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Copies `from` into `to` (created when missing), subdirectories included. Panics on any error.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy to {}: {e}", target.display()));
        }
    }
}

/// Writes the hand-written upstream tree of fixture version `version` (`upstream/v1`,
/// `upstream/v2`, ... under `tests/fixtures/manifests/`) into `dir`: the upstream schema files,
/// and the version's manifests as `dir/integrations/`. Files already there stay unless
/// overwritten. Panics on any error.
pub fn write_upstream_fixture(dir: &Path, version: &str) {
    let manifests = crate::fixture("manifests");
    copy_dir(&manifests.join("upstream/schema"), dir);
    copy_dir(
        &manifests.join(version).join("integrations"),
        &dir.join("integrations"),
    );
}
