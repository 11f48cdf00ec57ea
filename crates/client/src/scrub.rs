//! Removes the request's secret values from text the client keeps (server error messages,
//! decoding errors), so that a server echoing the request body cannot make ldic leak a secret.
//!
//! Which values are secret: the API token, and every string inside a `configValues` entry whose
//! field the catalog marks `isSecret` or does not know (unknown is treated as secret). Each
//! value is also removed in its JSON-escaped spelling, as an echoed JSON body would show it.

use crate::ApiToken;
use serde_json::Value;

/// What replaces a scrubbed value.
pub(crate) const SCRUBBED: &str = "[redacted]";

pub(crate) struct Scrubber {
    /// Longest first, so that a secret containing another is replaced whole.
    secrets: Vec<String>,
}

impl Scrubber {
    pub(crate) fn new(token: &ApiToken) -> Self {
        let mut s = Scrubber {
            secrets: Vec::new(),
        };
        s.add(token.expose());
        s
    }

    /// Adds the secret values of a create body (or of the document a patch produces).
    #[cfg(test)]
    pub(crate) fn with_request(self, integration_key: &str, body: &Value) -> Self {
        let list = ldic_catalog::get(integration_key).and_then(|i| i.config_values_list());
        self.with_config_values(list, body)
    }

    /// Adds the secret values of a create body, with the list that describes its `configValues`
    /// (`None`: every value counts as secret).
    pub(crate) fn with_config_values(
        mut self,
        list: Option<&ldic_catalog::FormList>,
        body: &Value,
    ) -> Self {
        if let Some(values) = body.get("configValues").and_then(Value::as_object) {
            for (key, value) in values {
                let secret = list
                    .and_then(|l| l.field(key))
                    .is_none_or(|field| field.is_secret);
                if secret {
                    self.add_strings(value);
                }
            }
        }
        self
    }

    /// Adds every string value of a patch operation that targets `configValues`.
    pub(crate) fn with_patch_values(mut self, patch: &[crate::PatchOperation]) -> Self {
        for op in patch {
            if op.path.starts_with("/configValues")
                && let Some(value) = &op.value
            {
                self.add_strings(value);
            }
        }
        self
    }

    fn add_strings(&mut self, value: &Value) {
        match value {
            Value::String(s) => self.add(s),
            Value::Array(items) => items.iter().for_each(|v| self.add_strings(v)),
            Value::Object(map) => map.values().for_each(|v| self.add_strings(v)),
            _ => {}
        }
    }

    fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        for s in [secret, escaped] {
            if !s.is_empty() && !self.secrets.iter().any(|known| known == s) {
                self.secrets.push(s.to_owned());
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), SCRUBBED);
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removes_token_and_unknown_config_values_in_plain_and_escaped_form() {
        let s = Scrubber::new(&ApiToken::new("api-tok-123")).with_request(
            "no-such-integration",
            &json!({"name": "n", "configValues": {"apiKey": "se\"cret-1", "nested": ["deep-2"]}}),
        );
        let echoed = r#"bad token api-tok-123; body {"apiKey":"se\"cret-1"} se"cret-1 deep-2"#;
        let out = s.scrub(echoed);
        for leaked in ["api-tok-123", "cret-1", "deep-2"] {
            assert!(!out.contains(leaked), "{out}");
        }
        assert!(out.contains("bad token"));
    }

    #[test]
    fn patch_values_under_config_values_are_secret() {
        let s = Scrubber::new(&ApiToken::new("t0k"))
            .with_patch_values(&[crate::PatchOperation::replace("/configValues/x", "hush-9")]);
        assert_eq!(s.scrub("got hush-9"), "got [redacted]");
    }
}
