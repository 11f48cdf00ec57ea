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

/// The environment variables ldic itself reads credentials from (the LaunchDarkly API token).
/// A configuration may never reference them: their value would be sent to a third party.
pub const CREDENTIAL_ENV_NAMES: &[&str] = &["LD_API_KEY"];

/// Whether `name` may never be referenced by `${env:NAME}` (see [`CREDENTIAL_ENV_NAMES`]);
/// compared without regard to ASCII case (Windows environments are case-insensitive).
pub fn forbidden_env_name(name: &str) -> bool {
    CREDENTIAL_ENV_NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// Query parameter names that carry a credential (compared lowercased, `-` read as `_`).
const CREDENTIAL_PARAMS: &[&str] = &[
    "token",
    "key",
    "sig",
    "signature",
    "secret",
    "api_key",
    "apikey",
    "access_token",
    "auth",
    "auth_token",
    "password",
    "passwd",
    "pwd",
    "client_secret",
    "code",
];
/// Suffixes of query parameter names that carry a credential (`x-api-key`, `private_token`).
const CREDENTIAL_PARAM_SUFFIXES: &[&str] = &["_token", "_key", "_secret", "_password", "_sig"];

fn credential_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('-', "_");
    CREDENTIAL_PARAMS.contains(&name.as_str())
        || CREDENTIAL_PARAM_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Whether `s` is a URL that carries a credential: userinfo (`user:password@`), a token-like
/// query parameter with a value (`token`, `key`, `sig`, `secret`, `api_key`, ...), or a path
/// under a known incoming-webhook host, where the path itself is the credential (Microsoft
/// Teams, Slack, Discord, Mattermost-style `/hooks/<id>`). A plain URL
/// (`https://api.datadoghq.eu`) is not one.
pub fn is_credential_url(s: &str) -> bool {
    let Ok(url) = url::Url::parse(s.trim()) else {
        return false;
    };
    if !url.username().is_empty() || url.password().is_some() {
        return true;
    }
    if url
        .query_pairs()
        .any(|(k, v)| !v.is_empty() && credential_param(&k))
    {
        return true;
    }
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let path = url.path();
    let has_segment_after = |prefix: &str| {
        path.find(prefix)
            .is_some_and(|i| !path[i + prefix.len()..].trim_matches('/').is_empty())
    };
    (host.ends_with(".webhook.office.com") && !path.trim_matches('/').is_empty())
        || ((host == "outlook.office.com" || host == "outlook.office365.com")
            && has_segment_after("/webhook"))
        || (host == "hooks.slack.com" && !path.trim_matches('/').is_empty())
        || ((host == "discord.com" || host == "discordapp.com" || host.ends_with(".discord.com"))
            && has_segment_after("/api/webhooks/"))
        || has_segment_after("/hooks/")
}

/// Whether a configuration value is *sensitive*, the one definition every output honours:
/// its field is secret (or unknown, so not provably public), the value comes from the
/// environment (a `${env:NAME}` reference, whatever it resolves to), or it is (or, for an
/// array, holds) a credential-bearing URL ([`is_credential_url`]). Sensitive values are never
/// printed: masked in snippets, redacted in requests shown, "(changed)" in a plan.
pub fn is_sensitive(field: Option<&ldic_catalog::FieldMeta>, value: &Value) -> bool {
    if field.is_none_or(|f| f.is_secret) {
        return true;
    }
    match value {
        Value::String(s) => env_ref(s) != EnvRef::Literal || is_credential_url(s),
        Value::Array(items) => items.iter().any(|v| is_sensitive(field, v)),
        _ => false,
    }
}

/// Whether a field's value is a string or an array of strings (string, uri, enum, dynamicEnum,
/// multiselect): where an `${env:NAME}` reference may stand for the value.
pub fn is_string_valued(field: &ldic_catalog::FieldMeta) -> bool {
    crate::compiled::is_string_valued(field)
}

/// A `${env:NAME}` reference that could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedReference {
    /// Pointer of the reference, relative to the `configValues` object given.
    pub pointer: String,
    /// The variable's name.
    pub name: String,
}

/// Replace every well-formed `${env:NAME}` reference among the values of `config_values`
/// (member values and the string items of array members: every string-valued field) by
/// `lookup(NAME)`. References whose variable is unknown are left as they are and returned.
pub fn resolve_env_references(
    config_values: &mut Map<String, Value>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Vec<UnresolvedReference> {
    let mut unresolved = Vec::new();
    let mut resolve = |pointer: String, v: &mut Value| {
        if let Value::String(s) = v
            && let EnvRef::Variable(name) = env_ref(s)
        {
            match lookup(name) {
                Some(resolved) => *v = Value::String(resolved),
                None => unresolved.push(UnresolvedReference {
                    pointer,
                    name: name.to_owned(),
                }),
            }
        }
    };
    for (key, value) in config_values.iter_mut() {
        let at = crate::pointer::push("", key);
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    resolve(crate::pointer::push_index(&at, i).into(), item);
                }
            }
            other => resolve(at.into(), other),
        }
    }
    unresolved
}

/// Every well-formed `${env:NAME}` reference among the values of `config_values`, as
/// (pointer relative to it, variable name), in order (the values [`resolve_env_references`]
/// resolves).
pub fn env_references(config_values: &Map<String, Value>) -> Vec<(String, String)> {
    let mut copy = config_values.clone();
    resolve_env_references(&mut copy, |_| None)
        .into_iter()
        .map(|u| (u.pointer, u.name))
        .collect()
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod credential_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credential_urls() {
        for yes in [
            "https://user:pa55@example.com/x",
            "https://token@example.com/",
            "https://example.com/hook?token=abc",
            "https://example.com/hook?a=1&Sig=abc",
            "https://example.com/hook?api-key=abc",
            "https://example.com/hook?x_api_key=abc",
            "https://example.com/hook?access_token=abc",
            "https://example.com/hook?password=p",
            "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456",
            "https://outlook.office.com/webhook/abc/IncomingWebhook/def",
            "https://hooks.slack.com/services/T000/B000/XXXX",
            "https://discord.com/api/webhooks/123/abc",
            "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t",
            "https://mattermost.example.com/hooks/xyz123",
        ] {
            assert!(is_credential_url(yes), "{yes}");
        }
        for no in [
            "https://api.datadoghq.eu",
            "https://api.datadoghq.eu/",
            "https://example.com/hook?token=",
            "https://example.com/hook?region=eu&keyboard=1",
            "https://hooks.slack.com/",
            "https://example.com/hooks/",
            "https://discord.com/channels/1",
            "https://chat.googleapis.com/v1/spaces/AAA/messages",
            "not a url",
            "${env:TEAMS_URL}",
        ] {
            assert!(!is_credential_url(no), "{no}");
        }
    }

    #[test]
    fn forbidden_names() {
        assert!(forbidden_env_name("LD_API_KEY"));
        assert!(forbidden_env_name("ld_api_key"));
        assert!(!forbidden_env_name("DD_API_KEY"));
    }

    #[test]
    fn sensitive_values() {
        use std::borrow::Cow;
        const PUBLIC: ldic_catalog::FieldMeta = ldic_catalog::FieldMeta {
            key: Cow::Borrowed("url"),
            rust_name: Cow::Borrowed("url"),
            label: Cow::Borrowed(""),
            ty: ldic_catalog::FieldType::Uri,
            is_secret: false,
            is_optional: true,
            is_hidden: false,
            required: false,
            default_json: None,
            allowed_values: Cow::Borrowed(&[]),
            option_labels: Cow::Borrowed(&[]),
            placeholder: None,
            depends_on: Cow::Borrowed(&[]),
        };
        let secret = ldic_catalog::FieldMeta {
            is_secret: true,
            ..PUBLIC
        };
        assert!(is_sensitive(Some(&secret), &json!("x")));
        assert!(is_sensitive(None, &json!("x")));
        assert!(is_sensitive(Some(&PUBLIC), &json!("${env:U}")));
        assert!(is_sensitive(
            Some(&PUBLIC),
            &json!("https://hooks.slack.com/services/T/B/X")
        ));
        assert!(!is_sensitive(
            Some(&PUBLIC),
            &json!("https://api.datadoghq.eu")
        ));
        assert!(!is_sensitive(Some(&PUBLIC), &json!(true)));
    }

    #[test]
    fn references_resolve_in_members_and_items() {
        let mut cv =
            json!({"u": "${env:U}", "m": ["a", "${env:M}"], "n": "${env:NOPE}", "b": true})
                .as_object()
                .cloned()
                .unwrap();
        assert_eq!(
            env_references(&cv),
            [
                ("/u".to_owned(), "U".to_owned()),
                ("/m/1".to_owned(), "M".to_owned()),
                ("/n".to_owned(), "NOPE".to_owned())
            ]
        );
        let missing = resolve_env_references(&mut cv, |n| (n != "NOPE").then(|| format!("v-{n}")));
        assert_eq!(
            missing,
            [UnresolvedReference {
                pointer: "/n".to_owned(),
                name: "NOPE".to_owned()
            }]
        );
        assert_eq!(cv["u"], "v-U");
        assert_eq!(cv["m"], json!(["a", "v-M"]));
        assert_eq!(cv["n"], "${env:NOPE}");
    }
}
