//! Every LaunchDarkly integration as typed Rust configuration.
//!
//! All modules under `generated/` are written by `cargo xtask codegen` from `manifests/`; this
//! file is the only hand-written one. It re-exports the catalog vocabulary from
//! `ldic-catalog-core` and offers the registry: [`get`] an integration by key, or iterate [`all`].

#![forbid(unsafe_code)]

mod generated;

pub use generated::*;
pub use ldic_catalog_core::*;

/// The integration with this key, if the catalog has it.
pub fn get(key: &str) -> Option<&'static Integration> {
    INTEGRATIONS
        .binary_search_by(|i| i.key.cmp(key))
        .ok()
        .map(|idx| INTEGRATIONS[idx])
}

/// Every integration of the catalog, sorted by key.
pub fn all() -> impl ExactSizeIterator<Item = &'static Integration> {
    INTEGRATIONS.iter().copied()
}

/// Every form-variable list of every integration.
pub fn all_lists() -> impl Iterator<Item = &'static FormList> {
    all().flat_map(|i| i.lists.iter().copied())
}
