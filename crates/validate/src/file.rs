//! The vocabulary of configuration *files*, shared by `ldic lint`, `create`, `plan`, `apply` and
//! `import`: what a file holds beyond the create request body, and `${env:NAME}` references.
//!
//! A file's configuration is the request body plus [`INTEGRATION_KEY`], plus any number of
//! *file-only* keys ([`is_file_only_key`]): `_id` (written by `import`, pins a configuration to
//! its remote id), `$schema` (how JSON editors find a schema) and top-level keys starting with
//! `x-` (a place to declare YAML anchors). File-only keys are accepted, ignored by validation and
//! never sent. This is the one list of them in the code.

use serde_json::{Map, Value};

/// The member naming the integration; it is not part of the request body.
pub const INTEGRATION_KEY: &str = "integrationKey";

/// The member holding the remote `_id` a file's configuration is pinned to (`import` writes it).
pub const REMOTE_ID_KEY: &str = "_id";

/// The top-level keys a configuration file may carry that are never validated nor sent, besides
/// keys starting with [`EXTENSION_PREFIX`].
pub const FILE_ONLY_KEYS: &[&str] = &[REMOTE_ID_KEY, "$schema"];

/// Top-level keys starting with this are extensions (the docker-compose convention): ignored.
pub const EXTENSION_PREFIX: &str = "x-";

/// Whether a top-level key of a configuration is file-only: accepted, ignored, never sent.
pub fn is_file_only_key(key: &str) -> bool {
    FILE_ONLY_KEYS.contains(&key) || key.starts_with(EXTENSION_PREFIX)
}

/// Split a file's configuration object into its integration key (if it is a string), the
/// request body (every member that is neither the integration key nor file-only, in order) and
/// the remote id it is pinned to (a string `_id`).
pub fn split_configuration(config: &Map<String, Value>) -> SplitConfiguration<'_> {
    let mut body = Map::new();
    for (k, v) in config {
        if k != INTEGRATION_KEY && !is_file_only_key(k) {
            body.insert(k.clone(), v.clone());
        }
    }
    SplitConfiguration {
        integration_key: config.get(INTEGRATION_KEY).and_then(Value::as_str),
        remote_id: config.get(REMOTE_ID_KEY).and_then(Value::as_str),
        body,
    }
}

/// A file's configuration, taken apart by [`split_configuration`].
#[derive(Debug, Clone, PartialEq)]
pub struct SplitConfiguration<'a> {
    /// The `integrationKey` member, when it is a string.
    pub integration_key: Option<&'a str>,
    /// The `_id` member, when it is a string.
    pub remote_id: Option<&'a str>,
    /// The create request body: everything else, in file order.
    pub body: Map<String, Value>,
}

/// What a string value is with respect to `${env:NAME}` references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvRef<'a> {
    /// Not a reference: a literal value.
    Literal,
    /// A well-formed reference to this variable.
    Variable(&'a str),
    /// Starts like a reference (`${`) but is not one.
    Malformed,
}

/// Classify a string value: `${env:NAME}` (NAME: ASCII letters, digits, `_`, not starting with
/// a digit).
pub fn env_ref(s: &str) -> EnvRef<'_> {
    if !s.starts_with("${") {
        return EnvRef::Literal;
    }
    let Some(name) = s.strip_prefix("${env:").and_then(|r| r.strip_suffix('}')) else {
        return EnvRef::Malformed;
    };
    let valid = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if valid {
        EnvRef::Variable(name)
    } else {
        EnvRef::Malformed
    }
}

/// A suggested variable name for a field: `DATADOG_API_KEY` for (`datadog`, `apiKey`).
pub fn env_name_for(integration_key: &str, field_key: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in integration_key
        .chars()
        .chain(['_'])
        .chain(field_key.chars())
    {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_matches('_').to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn env_references() {
        assert_eq!(env_ref("${env:DD_KEY}"), EnvRef::Variable("DD_KEY"));
        assert_eq!(env_ref("${env:_x1}"), EnvRef::Variable("_x1"));
        assert_eq!(env_ref("plain"), EnvRef::Literal);
        assert_eq!(env_ref("${env:}"), EnvRef::Malformed);
        assert_eq!(env_ref("${env:1A}"), EnvRef::Malformed);
        assert_eq!(env_ref("${ENV:A}"), EnvRef::Malformed);
        assert_eq!(env_ref("${env:A"), EnvRef::Malformed);
    }

    #[test]
    fn env_names() {
        assert_eq!(env_name_for("datadog", "apiKey"), "DATADOG_API_KEY");
        assert_eq!(env_name_for("roost.ai", "base-url"), "ROOST_AI_BASE_URL");
        assert_eq!(env_name_for("x", "hostURL"), "X_HOST_URL");
    }

    #[test]
    fn file_only_keys() {
        for k in ["_id", "$schema", "x-shared", "x-"] {
            assert!(is_file_only_key(k), "{k}");
        }
        for k in [
            "name",
            "configValues",
            "X-shared",
            "_links",
            "schema",
            "integrationKey",
        ] {
            assert!(!is_file_only_key(k), "{k}");
        }
    }

    #[test]
    fn split_keeps_body_order_and_drops_file_only_keys() {
        let config = json!({"$schema": "s", "integrationKey": "datadog", "_id": "abc",
            "name": "n", "x-shared": {"a": 1}, "configValues": {}, "enabled": true});
        let split = split_configuration(config.as_object().unwrap());
        assert_eq!(split.integration_key, Some("datadog"));
        assert_eq!(split.remote_id, Some("abc"));
        let keys: Vec<_> = split.body.keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "configValues", "enabled"]);
        let no_key = json!({"integrationKey": 3, "_id": 4});
        let split = split_configuration(no_key.as_object().unwrap());
        assert_eq!((split.integration_key, split.remote_id), (None, None));
    }
}
