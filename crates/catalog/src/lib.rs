//! Every LaunchDarkly integration as typed Rust configuration.
//!
//! All modules under `generated/` are written by `cargo xtask codegen` from `manifests/`; this
//! file is the only hand-written one. It re-exports the catalog vocabulary from
//! `ldic-catalog-core` and offers the registry: [`get`] an integration by key, or iterate [`all`].
//!
//! Each integration is a module named after its key (`datadog`, `roost_ai`,
//! `servicenow_normal`) holding one struct per form-variable list (`DatadogConfig`,
//! `ServicenowNormalEnvironmentConfig`, ...), enums for `enum`/`multiselect` values, the
//! `FormList` statics (field metadata and JSON Schema) and `INTEGRATION`.
//!
//! ```
//! use ldic_catalog::datadog::{DatadogConfig, HostUrl};
//! use ldic_catalog::{IntegrationConfig, Secret};
//!
//! let config = DatadogConfig {
//!     api_key: Secret::new("dd-api-key"),
//!     host_url: Some(HostUrl::HttpsApiDatadoghqEu),
//!     hide_member_details: None,
//! };
//! // Secrets never show in Debug output, but are sent as they are.
//! assert!(!format!("{config:?}").contains("dd-api-key"));
//! let config_values = serde_json::to_value(&config).unwrap();
//! assert_eq!(config_values["hostURL"], "https://api.datadoghq.eu");
//! assert_eq!(config_values["apiKey"], "dd-api-key");
//!
//! // Metadata and JSON Schema of the list, and the registry.
//! assert_eq!(DatadogConfig::INTEGRATION_KEY, "datadog");
//! assert!(DatadogConfig::json_schema().contains("\"hostURL\""));
//! assert_eq!(ldic_catalog::get("datadog").unwrap().name, "Datadog Events");
//! ```
//!
//! Generic code over every struct implements [`ConfigTypeVisitor`] and calls
//! [`visit_config_types`].
//!
//! [`Catalog`] is the catalog as a value: [`Catalog::builtin`] (these modules) or
//! [`Catalog::load_dir`] (a facts directory read at run time, e.g. what `ldic catalog update`
//! stored), built by the same functions codegen uses.

#![forbid(unsafe_code)]

// Generated files are formatted by prettyplease in `cargo xtask codegen`; rustfmt must not
// reformat them, or `cargo xtask codegen --check` would report them stale.
#[rustfmt::skip]
mod generated;

mod catalog;

pub use catalog::Catalog;
pub use generated::*;
pub use ldic_catalog_build::{CatalogError, FactsDirError, PlanError};
pub use ldic_catalog_core::*;
/// Where a loaded catalog's facts came from (`upstream.lock`).
pub use ldic_manifest::facts::UpstreamLock;

/// The integration with this key, if the catalog has it.
pub fn get(key: &str) -> Option<&'static Integration> {
    INTEGRATIONS
        .binary_search_by(|i| i.key.as_ref().cmp(key))
        .ok()
        .map(|idx| INTEGRATIONS[idx])
}

/// Every integration of the catalog, sorted by key.
pub fn all() -> impl ExactSizeIterator<Item = &'static Integration> {
    INTEGRATIONS.iter().copied()
}

/// Every form-variable list of every integration.
pub fn all_lists() -> impl Iterator<Item = &'static FormList> {
    all().flat_map(|i| i.lists.iter())
}
