//! A catalog value: the built-in one (the generated statics) or one loaded at run time.
//!
//! The validator, the client and the CLI take a [`Catalog`], so an integration LaunchDarkly
//! serves but this build of ldic does not know (newer than the pinned upstream commit, or private
//! to one account) validates from facts loaded at run time (`ldic catalog update`). A loaded
//! integration is built by `ldic-catalog-build`, the functions codegen uses, so it is checked
//! exactly as a generated one would be; it has no typed struct, only metadata and a schema.

use crate::{FormList, Integration};
use ldic_catalog_build::CatalogError;
use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use std::path::{Path, PathBuf};

/// The integrations ldic validates against.
///
/// ```
/// let builtin = ldic_catalog::Catalog::builtin();
/// assert!(builtin.is_builtin());
/// assert_eq!(builtin.get("datadog").map(|i| i.name.as_ref()), Some("Datadog Events"));
/// ```
#[derive(Debug, Default)]
pub struct Catalog {
    inner: Inner,
}

#[derive(Debug, Default)]
enum Inner {
    /// The generated statics of this crate.
    #[default]
    Builtin,
    Loaded {
        /// Sorted by key.
        integrations: Vec<Integration>,
        lock: UpstreamLock,
        dir: Option<PathBuf>,
    },
}

static BUILTIN: Catalog = Catalog {
    inner: Inner::Builtin,
};

impl Catalog {
    /// The catalog generated into this crate (the default; needs no file or network).
    pub fn builtin() -> &'static Catalog {
        &BUILTIN
    }

    /// Load the facts directory `dir` (the `manifests/` format: `<key>.json` per integration and
    /// `upstream.lock`). A broken file is an error naming the file and the JSON pointer.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Catalog, CatalogError> {
        let dir = dir.as_ref();
        let loaded = ldic_catalog_build::load_catalog(dir)?;
        Ok(Catalog {
            inner: Inner::Loaded {
                integrations: loaded.integrations,
                lock: loaded.lock,
                dir: Some(dir.to_path_buf()),
            },
        })
    }

    /// A catalog of `facts` (e.g. just extracted from the LaunchDarkly API).
    pub fn from_facts(
        facts: &[IntegrationFacts],
        lock: UpstreamLock,
    ) -> Result<Catalog, CatalogError> {
        let integrations =
            ldic_catalog_build::meta::build_integrations(facts, &lock).map_err(|source| {
                CatalogError::Plan {
                    dir: PathBuf::new(),
                    source,
                }
            })?;
        Ok(Catalog {
            inner: Inner::Loaded {
                integrations,
                lock,
                dir: None,
            },
        })
    }

    /// Whether this is the built-in catalog.
    pub fn is_builtin(&self) -> bool {
        matches!(self.inner, Inner::Builtin)
    }

    /// Where a loaded catalog's facts came from (`None` for the built-in catalog).
    pub fn lock(&self) -> Option<&UpstreamLock> {
        match &self.inner {
            Inner::Builtin => None,
            Inner::Loaded { lock, .. } => Some(lock),
        }
    }

    /// The directory a loaded catalog was read from.
    pub fn dir(&self) -> Option<&Path> {
        match &self.inner {
            Inner::Builtin => None,
            Inner::Loaded { dir, .. } => dir.as_deref(),
        }
    }

    /// The integration with this key.
    pub fn get(&self, key: &str) -> Option<&Integration> {
        match &self.inner {
            Inner::Builtin => crate::get(key),
            Inner::Loaded { integrations, .. } => integrations
                .binary_search_by(|i| i.key.as_ref().cmp(key))
                .ok()
                .and_then(|idx| integrations.get(idx)),
        }
    }

    /// How many integrations the catalog has.
    pub fn len(&self) -> usize {
        match &self.inner {
            Inner::Builtin => crate::INTEGRATIONS.len(),
            Inner::Loaded { integrations, .. } => integrations.len(),
        }
    }

    /// Whether the catalog has no integration.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The integration at `index`, in key order.
    fn at(&self, index: usize) -> Option<&Integration> {
        match &self.inner {
            Inner::Builtin => crate::INTEGRATIONS.get(index).copied(),
            Inner::Loaded { integrations, .. } => integrations.get(index),
        }
    }

    /// Every integration, sorted by key.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Integration> + '_ {
        Iter {
            catalog: self,
            next: 0,
        }
    }

    /// Every form-variable list of every integration.
    pub fn lists(&self) -> impl Iterator<Item = &FormList> + '_ {
        self.iter().flat_map(|i| i.lists.iter())
    }

    /// One line naming the catalog: `the built-in catalog` or where a loaded one came from.
    pub fn describe(&self) -> String {
        match &self.inner {
            Inner::Builtin => "the built-in catalog".to_owned(),
            Inner::Loaded { lock, dir, .. } => {
                let from = match dir {
                    Some(dir) => format!("the catalog in {}", dir.display()),
                    None => "a catalog built at run time".to_owned(),
                };
                let source = if lock.is_api() {
                    format!(
                        "the LaunchDarkly API, fetched {}",
                        lock.fetched_at
                            .as_deref()
                            .unwrap_or("at an unrecorded time")
                    )
                } else {
                    format!("{} at commit {}", lock.source, lock.commit)
                };
                format!("{from} (from {source})")
            }
        }
    }
}

struct Iter<'c> {
    catalog: &'c Catalog,
    next: usize,
}

impl<'c> Iterator for Iter<'c> {
    type Item = &'c Integration;

    fn next(&mut self) -> Option<&'c Integration> {
        let item = self.catalog.at(self.next)?;
        self.next += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.catalog.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}
