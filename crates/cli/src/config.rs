//! One integration configuration as a file holds it, and the checks the CLI adds to validation.
//!
//! A file's configuration is `{integrationKey, name, configValues, enabled?, tags?,
//! capabilityConfig?}`: the create request body plus the key of the integration it is for. The
//! validation engine checks the body; this module takes the key out, calls it, and adds what only
//! makes sense for files in git: a literal value in a secret field (it should be an
//! `${env:NAME}` reference) and a malformed reference.

use ldic::catalog::Integration;
use ldic::{Code, Diagnostic, Report, Severity};
use serde_json::{Map, Value};

pub use ldic::file::INTEGRATION_KEY;

/// CLI-only diagnostic codes (stable, like [`ldic::Code`]).
pub mod codes {
    pub const PARSE_ERROR: &str = "parse-error";
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    pub const LITERAL_SECRET: &str = "literal-secret";
    pub const INVALID_ENV_REFERENCE: &str = "invalid-env-reference";
    pub const NOT_A_CONFIGURATION: &str = "not-a-configuration";
    pub const NO_CONFIGURATION: &str = "no-configuration";
}

/// A problem in one configuration, its pointer relative to the configuration object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub code: &'static str,
    pub pointer: String,
    pub on_key: bool,
    pub message: String,
    pub suggestion: Option<String>,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Self {
        let pointer = if d.code == Code::UnknownIntegration && d.pointer.is_empty() {
            format!("/{INTEGRATION_KEY}")
        } else {
            d.pointer
        };
        Problem {
            severity: d.severity,
            code: d.code.as_str(),
            pointer,
            on_key: d.on_key,
            message: d.message,
            suggestion: d.suggestion,
        }
    }
}

impl Problem {
    fn error(code: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            code,
            pointer: pointer.into(),
            on_key: false,
            message: message.into(),
            suggestion: None,
        }
    }

    fn with_suggestion(mut self, s: impl Into<String>) -> Self {
        self.suggestion = Some(s.into());
        self
    }
}

pub use ldic::file::{EnvRef, env_name_for, env_ref};

/// The one call into the validation engine (kept in one place so it is easy to switch).
pub fn validate_body(integration_key: &str, body: &Value) -> Report {
    ldic::validate(integration_key, body)
}

/// A short name for a JSON value's type, for messages (never the value itself).
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Check one configuration object. Returns its problems and the integration it is for (when the
/// key names a known one). The object is left as it was.
pub fn check(config: &mut Map<String, Value>) -> (Vec<Problem>, Option<&'static Integration>) {
    let mut problems = Vec::new();
    let key = match config.remove(INTEGRATION_KEY) {
        None => {
            problems.push(
                Problem::error(
                    Code::MissingRequired.as_str(),
                    "",
                    format!(
                        "missing \"{INTEGRATION_KEY}\": which integration this configuration is for"
                    ),
                )
                .with_suggestion(format!(
                    "add \"{INTEGRATION_KEY}\": \"<key>\" (`ldic list` shows the keys)"
                )),
            );
            return (problems, None);
        }
        Some(Value::String(key)) => key,
        Some(other) => {
            problems.push(Problem::error(
                Code::WrongType.as_str(),
                format!("/{INTEGRATION_KEY}"),
                format!(
                    "\"{INTEGRATION_KEY}\" must be a string, found {}",
                    type_name(&other)
                ),
            ));
            config.insert(INTEGRATION_KEY.to_owned(), other);
            return (problems, None);
        }
    };
    let body = Value::Object(std::mem::take(config));
    let report = validate_body(&key, &body);
    if let Value::Object(map) = body {
        *config = map;
    }
    problems.extend(report.diagnostics.into_iter().map(Problem::from));
    let integration = ldic::catalog::get(&key);
    if let Some(Value::Object(values)) = config.get("configValues") {
        check_secrets(integration, values, &mut problems);
    }
    config.insert(INTEGRATION_KEY.to_owned(), Value::String(key));
    (problems, integration)
}

fn check_secrets(
    integration: Option<&'static Integration>,
    values: &Map<String, Value>,
    problems: &mut Vec<Problem>,
) {
    let list = integration.and_then(Integration::config_values_list);
    for (key, value) in values {
        let Value::String(s) = value else { continue };
        let pointer = crate::spans::child_pointer("/configValues", key);
        match env_ref(s) {
            EnvRef::Variable(_) => {}
            EnvRef::Malformed => problems.push(
                Problem::error(
                    codes::INVALID_ENV_REFERENCE,
                    pointer,
                    format!("\"{key}\" starts like an environment reference but is not one"),
                )
                .with_suggestion("write it as \"${env:NAME}\", NAME of letters, digits and _"),
            ),
            EnvRef::Literal => {
                let secret = list.and_then(|l| l.field(key)).is_some_and(|f| f.is_secret);
                if secret && !s.is_empty() {
                    problems.push(Problem {
                        severity: Severity::Warning,
                        code: codes::LITERAL_SECRET,
                        pointer,
                        on_key: false,
                        message: format!(
                            "secret field \"{key}\" holds a literal value; a secret in a file ends up in git"
                        ),
                        suggestion: Some(format!(
                            "reference an environment variable instead: \"${{env:{}}}\"",
                            env_name_for(integration.map_or("", |i| i.key), key)
                        )),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn missing_or_wrong_integration_key() {
        let mut m = serde_json::json!({"name": "n"})
            .as_object()
            .cloned()
            .unwrap();
        let (p, i) = check(&mut m);
        assert!(i.is_none());
        assert_eq!((p[0].code, p[0].pointer.as_str()), ("missing-required", ""));
        let mut m = serde_json::json!({"integrationKey": 3})
            .as_object()
            .cloned()
            .unwrap();
        let (p, _) = check(&mut m);
        assert_eq!(
            (p[0].code, p[0].pointer.as_str()),
            ("wrong-type", "/integrationKey")
        );
        assert_eq!(m["integrationKey"], 3, "the object is left as it was");
    }

    #[test]
    fn malformed_reference_is_an_error_anywhere_in_config_values() {
        let mut m = serde_json::json!({"integrationKey": "no-such-integration-xyz",
            "configValues": {"a/b": "${env:}"}})
        .as_object()
        .cloned()
        .unwrap();
        let (p, _) = check(&mut m);
        let bad = p
            .iter()
            .find(|p| p.code == codes::INVALID_ENV_REFERENCE)
            .unwrap();
        assert_eq!(bad.pointer, "/configValues/a~1b");
        assert_eq!(m["integrationKey"], "no-such-integration-xyz");
    }
}
