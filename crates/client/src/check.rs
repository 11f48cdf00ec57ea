//! The one place the client asks whether a create body is valid.
//!
//! Everything the client sends goes through here first; a report with an error means nothing
//! is sent. A typed create checks against its struct's own integration metadata (the catalog
//! entry the struct was generated from); an untyped create or an update looks the key up in
//! the catalog.

use ldic_catalog::{Catalog, IntegrationConfig};
use ldic_validate::{Report, Validator};
use serde_json::Value;

/// Validates a whole create body (`name`, `configValues`, `enabled`, `tags`, `capabilityConfig`)
/// for an integration key of `catalog`. An unknown key is an error (`unknown-integration`).
pub(crate) fn check(catalog: &Catalog, integration_key: &str, body: &Value) -> Report {
    match Validator::for_key_in(catalog, integration_key) {
        Ok(validator) => validator.validate(body),
        Err(unknown) => Report {
            diagnostics: vec![*unknown],
        },
    }
}

/// Validates a whole create body against the integration a config struct belongs to.
pub(crate) fn check_typed<C: IntegrationConfig>(body: &Value) -> Report {
    Validator::for_integration(C::integration()).validate(body)
}
