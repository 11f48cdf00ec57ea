//! What a plan must never show, and the wrapper that keeps request payloads out of `Debug`.

use serde_json::Value;
use std::fmt;

/// Shown (in human and Markdown output) in place of a sensitive value: a secret field, a value
/// from the environment or a URL carrying credentials. In JSON, the change has
/// `"sensitive": true` and no `old`/`new` values.
pub const SENSITIVE_MARKER: &str = "(changed)";

/// Whether a string is a URL with credentials in it (`https://user:pass@host/`): its value is
/// treated like a secret's.
pub fn is_credential_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| !u.username().is_empty() || u.password().is_some())
}

/// Whether a JSON value holds a credential-bearing URL anywhere.
pub(crate) fn holds_credential_url(v: &Value) -> bool {
    match v {
        Value::String(s) => is_credential_url(s),
        Value::Array(items) => items.iter().any(holds_credential_url),
        Value::Object(map) => map.values().any(holds_credential_url),
        _ => false,
    }
}

/// A request payload (create body, patch) that may hold secrets: never in `Debug`, never
/// serialized with the plan.
#[derive(Clone, PartialEq, Default)]
pub(crate) struct Payload<T>(pub(crate) T);

impl<T> fmt::Debug for Payload<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Payload(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_urls() {
        assert!(is_credential_url("https://user:pw@example.test/hook"));
        assert!(is_credential_url("https://token@example.test/"));
        assert!(!is_credential_url("https://example.test/hook"));
        assert!(!is_credential_url("not a url"));
        assert!(holds_credential_url(
            &serde_json::json!({"a": ["https://u:p@h.test"]})
        ));
    }
}
