//! Facts in, catalog out: every decision the generated catalog and a catalog loaded at run time
//! share.
//!
//! `cargo xtask codegen` turns facts into Rust tokens and schema files; a program that loads a
//! facts directory at run time (`ldic catalog update`, `ldic_catalog::Catalog::load_dir`) turns
//! the same facts into catalog values. Both go through this crate, so a loaded integration has the
//! field metadata and JSON Schema that codegen would have written for it, byte for byte. It has no
//! syn, quote or prettyplease: those stay in `ldic-codegen`, which only turns this crate's output
//! into tokens. Pieces, in pipeline order:
//!
//! - [`facts_dir`]: reading a facts directory (`manifests/`), errors naming file and pointer;
//! - [`naming`]: identifiers from arbitrary strings, collisions resolved deterministically;
//! - [`plan`]: every name and type decision, once per list;
//! - [`schema`]: the JSON Schema (draft 2020-12) of a list;
//! - [`meta`]: planned lists as catalog values (`ldic_catalog_core::{FieldMeta, FormList,
//!   Integration}`): what codegen writes out as statics and a run-time catalog holds.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod facts_dir;
pub mod meta;
pub mod naming;
pub mod plan;
pub mod schema;

pub use facts_dir::{FactsDirError, load_facts_dir};

/// Why a set of facts cannot be planned into a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Two facts files carry the same integration key.
    #[error("two facts files have the integration key {0:?}")]
    DuplicateKey(String),
    /// One integration declares the same list twice.
    #[error("integration {key:?}: the list {pointer} appears twice")]
    DuplicateList {
        /// The integration key.
        key: String,
        /// The manifest pointer of the list.
        pointer: &'static str,
    },
    /// A `dependsOn` rule names a list ldic does not know.
    #[error(
        "integration {key:?}, {pointer}: unknown variableLocation {location:?}, expected formVariables, environmentFormVariables or approvalFormVariables"
    )]
    UnknownVariableLocation {
        /// The integration key.
        key: String,
        /// Pointer of the rule inside the integration's manifest.
        pointer: String,
        /// The location as written.
        location: String,
    },
}

/// Why a facts directory cannot be loaded as a catalog.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A file of the directory is missing, unreadable or not in the facts format.
    #[error(transparent)]
    FactsDir(#[from] FactsDirError),
    /// The facts are readable but cannot be planned (two integrations with one key, ...).
    #[error("{dir}: {source}")]
    Plan {
        /// The facts directory.
        dir: std::path::PathBuf,
        /// Why.
        #[source]
        source: PlanError,
    },
}

/// A facts directory read and built: every integration (sorted by key) and the lock.
#[derive(Debug)]
pub struct LoadedFacts {
    /// The integrations, as codegen would generate them.
    pub integrations: Vec<ldic_catalog_core::Integration>,
    /// Where the facts came from (`upstream.lock`).
    pub lock: ldic_manifest::facts::UpstreamLock,
}

/// Read the facts directory `dir` and build every integration through the functions codegen
/// uses ([`meta::build_integrations`]).
pub fn load_catalog(dir: &std::path::Path) -> Result<LoadedFacts, CatalogError> {
    let (facts, lock) = load_facts_dir(dir)?;
    let integrations =
        meta::build_integrations(&facts, &lock).map_err(|source| CatalogError::Plan {
            dir: dir.to_path_buf(),
            source,
        })?;
    Ok(LoadedFacts { integrations, lock })
}
