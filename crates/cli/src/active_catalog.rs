//! Which catalog this run of `ldic` checks against: the built-in one, or a facts directory named
//! by `--catalog DIR`, `LDIC_CATALOG_DIR` or the `catalog` key of `ldic.toml` (in that order),
//! else the one `ldic catalog update` stored in the user cache directory when there is one.
//!
//! Chosen once, at the start of a command, and then read everywhere (lint, create, explain, list,
//! schema, import) through [`active`]: one catalog per run, so every command and every output
//! agree. A directory that cannot be loaded (corrupt, truncated, from an incompatible ldic) is a
//! warning and the built-in catalog is used, never a panic and never a half-loaded catalog.

use ldic::Catalog;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The environment variable naming the catalog directory.
pub const CATALOG_DIR_ENV: &str = "LDIC_CATALOG_DIR";

static ACTIVE: OnceLock<Arc<Catalog>> = OnceLock::new();

/// The catalog in use: the one [`use_dir`] loaded, else the built-in one.
pub fn active() -> &'static Catalog {
    ACTIVE.get().map_or(Catalog::builtin(), |c| &**c)
}

/// [`active`], to hand to the REST client.
pub fn shared() -> Arc<Catalog> {
    ACTIVE
        .get()
        .cloned()
        .unwrap_or_else(|| Arc::new(Catalog::default()))
}

/// Load the catalog in `dir` and use it for the rest of the run; the first call wins. Returns the
/// line to print: which catalog is used, or the warning that says why `dir` is not.
pub fn use_dir(dir: &Path) -> String {
    if ACTIVE.get().is_some() {
        return format!("using {}", active().describe());
    }
    match Catalog::load_dir(dir) {
        Ok(catalog) => {
            let _ = ACTIVE.set(Arc::new(catalog));
            format!("using {}", active().describe())
        }
        Err(e) => format!(
            "warning: the catalog in {} cannot be used ({e}); using the built-in catalog",
            dir.display()
        ),
    }
}

/// Use the catalog `ldic catalog update` stored in the default directory
/// ([`crate::catalog_update::default_dir`]) when it holds one; returns the line to print, or
/// `None` when there is none (the built-in catalog is used, silently as before).
pub fn use_stored_default() -> Option<String> {
    let dir = crate::catalog_update::default_dir()?;
    if !crate::catalog_update::holds_catalog(&dir) {
        return None;
    }
    let line = use_dir(&dir);
    Some(if line.starts_with("warning") {
        format!("{line} (`ldic catalog reset` removes it)")
    } else {
        format!(
            "{line} (stored by `ldic catalog update`; `ldic catalog reset` goes back to the built-in one)"
        )
    })
}

/// `ldic catalog status`: which catalog is in use, where it came from, its age and size.
pub fn status() -> String {
    let catalog = active();
    let mut out = format!("catalog: {}\n", catalog.describe());
    out.push_str(&format!("integrations: {}\n", catalog.len()));
    if let Some(lock) = catalog.lock() {
        let age = lock
            .fetched_at
            .as_deref()
            .or((!lock.commit_date.is_empty()).then_some(lock.commit_date.as_str()))
            .unwrap_or("unrecorded");
        out.push_str(&format!("as of: {age}\n"));
        if lock.is_api() {
            out.push_str(
                "note: fetched from the LaunchDarkly API, so it reflects one account (it may hold integrations private to it)\n",
            );
        }
    }
    if let Some(dir) = catalog.dir() {
        let bytes: u64 = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .filter(std::fs::Metadata::is_file)
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        out.push_str(&format!("size: {bytes} bytes in {}\n", dir.display()));
    }
    out
}
