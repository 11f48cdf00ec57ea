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
//! // `new` takes the required fields, `with_<field>` sets an optional one (the structs are
//! // `#[non_exhaustive]`: a field added upstream is a compatible release).
//! let config = DatadogConfig::new(Secret::new("dd-api-key")).with_host_url(HostUrl::HttpsApiDatadoghqEu);
//! // Secrets never show in Debug output, but are sent as they are.
//! assert!(!format!("{config:?}").contains("dd-api-key"));
//! let config_values = serde_json::to_value(&config).unwrap();
//! assert_eq!(config_values["hostURL"], "https://api.datadoghq.eu");
//! assert_eq!(config_values["apiKey"], "dd-api-key");
//!
//! // A value this version does not know (a newer manifest's) is kept, not an error.
//! let read: DatadogConfig =
//!     serde_json::from_value(serde_json::json!({"apiKey": "k", "hostURL": "https://new.example.com"}))
//!         .unwrap();
//! assert_eq!(read.host_url, Some(HostUrl::Unknown("https://new.example.com".into())));
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
// Generated items are documented by codegen from facts (label, key, type, flags), never from
// upstream prose; a generated item without a doc comment is a codegen bug this lint catches.
#![warn(missing_docs)]

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
