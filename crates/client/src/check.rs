//! The one place the client asks whether a create body is valid.
//!
//! Everything the client sends goes through [`check`] first; a report with an error means
//! nothing is sent.

use ldic_validate::{Code, Diagnostic, Report};
use serde_json::Value;

/// Validates a whole create body (`name`, `configValues`, `enabled`, `tags`, `capabilityConfig`)
/// for an integration key.
pub(crate) fn check(integration_key: &str, body: &Value) -> Report {
    provisional_check(integration_key, body)
}

/// The shape checks of `IntegrationConfigurationPost`, until `ldic_validate::validate` lands.
fn provisional_check(_integration_key: &str, body: &Value) -> Report {
    let mut report = Report::default();
    let Some(object) = body.as_object() else {
        report.push(Diagnostic::error(
            Code::WrongType,
            "",
            "the request body must be a JSON object",
        ));
        return report;
    };
    match object.get("name") {
        None => report.push(Diagnostic::error(
            Code::MissingRequired,
            "/name",
            "`name` is required",
        )),
        Some(Value::String(s)) if s.trim().is_empty() => report.push(Diagnostic::error(
            Code::EmptyValue,
            "/name",
            "`name` must not be empty",
        )),
        Some(Value::String(_)) => {}
        Some(_) => report.push(Diagnostic::error(
            Code::WrongType,
            "/name",
            "`name` must be a string",
        )),
    }
    match object.get("configValues") {
        None => report.push(Diagnostic::error(
            Code::MissingRequired,
            "/configValues",
            "`configValues` is required",
        )),
        Some(Value::Object(_)) => {}
        Some(_) => report.push(Diagnostic::error(
            Code::WrongType,
            "/configValues",
            "`configValues` must be an object",
        )),
    }
    report
}
