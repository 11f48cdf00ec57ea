//! What a plan must never show, and the wrapper that keeps request payloads out of `Debug`.

use ldic_validate::file::is_credential_url;
use serde_json::Value;
use std::fmt;

/// Shown (in human and Markdown output) in place of a sensitive value: a secret field, a value
/// from the environment or a URL carrying credentials. In JSON, the change has
/// `"sensitive": true` and no `old`/`new` values.
pub const SENSITIVE_MARKER: &str = "(changed)";

/// Whether a JSON value holds a credential-bearing URL anywhere (the one definition:
/// [`is_credential_url`]).
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
        assert!(holds_credential_url(&serde_json::json!(
            "https://example.test/hook?token=abc"
        )));
        assert!(!holds_credential_url(&serde_json::json!(
            "https://example.test/hook"
        )));
        assert!(holds_credential_url(
            &serde_json::json!({"a": ["https://u:p@h.test"]})
        ));
    }
}
