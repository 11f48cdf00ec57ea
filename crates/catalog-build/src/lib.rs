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
//! - [`schema`]: the JSON Schema (draft 2020-12) of a list.

#![forbid(unsafe_code)]

pub mod facts_dir;
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
