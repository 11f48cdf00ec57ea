//! Shared by the HTTP tests: a hand-written config type, canary secrets, answer bodies.

#![allow(dead_code, clippy::unwrap_used)] // not every test file uses every helper; tests may unwrap

use ldic_catalog::{
    CompiledSlot, FieldMeta, FieldType, FormList, FormListKind, FormLists, Integration,
    IntegrationConfig, Secret,
};
use ldic_client::{Client, ClientBuilder, RetryPolicy};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Cow::{self, Borrowed};
use std::time::Duration;
use wiremock::{MockServer, Request};

/// Asserts that `value` matches `pattern` (an `if` guard allowed), showing `value` with `{:?}`
/// when it does not.
#[allow(unused_macros)]
macro_rules! assert_matches {
    ($value:expr, $($pattern:tt)+) => {
        assert!(matches!($value, $($pattern)+), "{:?}", $value)
    };
}
#[allow(unused_imports)]
pub(crate) use assert_matches;

pub const TOKEN: &str = "api-canary-token-5f1e";
pub const SECRET: &str = "dd-canary-secret-8c2a";
pub const KEYS_DATADOG: &str = "/api/v2/integration-configurations/keys/datadog";

/// Fast retries, so that tests run in milliseconds.
pub fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_rate_limit_wait: Duration::from_secs(5),
        max_jitter: Duration::from_millis(2),
    }
}

/// A builder for a client of `url` with the canary token and the fast [`policy`]; the client
/// timeout is left at its default.
pub fn builder_at(url: &str) -> ClientBuilder {
    Client::builder(TOKEN).base_url(url).retry_policy(policy())
}

/// A client of `url` (the canary token, the fast [`policy`], a 10 s timeout).
pub fn client_at(url: &str) -> Client {
    builder_at(url)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

pub fn client(server: &MockServer) -> Client {
    client_at(&server.uri())
}

/// A hand-written config type (facts of the datadog manifest: `apiKey` secret and required,
/// `hostURL` an optional enum) standing in for the generated `DatadogConfig`, so that the typed
/// path is tested independently of code generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandWrittenDatadog {
    #[serde(rename = "apiKey")]
    pub api_key: Secret,
    #[serde(rename = "hostURL", skip_serializing_if = "Option::is_none")]
    pub host_url: Option<String>,
}

pub fn datadog() -> HandWrittenDatadog {
    HandWrittenDatadog {
        api_key: Secret::new(SECRET),
        host_url: Some("https://api.datadoghq.com".into()),
    }
}

/// A field of the hand-written list: no default, no labels, no dependsOn rule.
const fn field(
    key: &'static str,
    ty: FieldType,
    secret: bool,
    required: bool,
    allowed: &'static [Cow<'static, str>],
) -> FieldMeta {
    FieldMeta {
        key: Borrowed(key),
        rust_name: Borrowed(key),
        label: Borrowed(key),
        ty,
        is_secret: secret,
        is_optional: !required,
        is_hidden: false,
        required,
        default_json: None,
        allowed_values: Borrowed(allowed),
        option_labels: Borrowed(&[]),
        placeholder: None,
        depends_on: Borrowed(&[]),
    }
}

static FIELDS: [FieldMeta; 2] = [
    field("apiKey", FieldType::String, true, true, &[]),
    field(
        "hostURL",
        FieldType::Enum,
        false,
        false,
        &[
            Borrowed("https://api.datadoghq.com"),
            Borrowed("https://api.datadoghq.eu"),
        ],
    ),
];
static LIST: FormList = FormList {
    integration_key: Borrowed("datadog"),
    kind: FormListKind::FormVariables,
    type_name: Borrowed("HandWrittenDatadog"),
    fields: Borrowed(&FIELDS),
    compiled: CompiledSlot::new(),
    schema_json: Borrowed(
        r#"{
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "apiKey": {"type": "string"},
            "hostURL": {"enum": ["https://api.datadoghq.com", "https://api.datadoghq.eu"]}
        },
        "required": ["apiKey"],
        "additionalProperties": false
    }"#,
    ),
};
static INTEGRATION: Integration = Integration {
    key: Borrowed("datadog"),
    name: Borrowed("Datadog"),
    version: Borrowed("1.0.0"),
    manifest_url: Borrowed(""),
    capabilities: Borrowed(&[Borrowed("auditLogEventsHook")]),
    lists: FormLists::Static(&[&LIST]),
};

impl IntegrationConfig for HandWrittenDatadog {
    const INTEGRATION_KEY: &'static str = "datadog";
    const LIST: FormListKind = FormListKind::FormVariables;
    fn form_list() -> &'static FormList {
        &LIST
    }
    fn integration() -> &'static Integration {
        &INTEGRATION
    }
}

/// The create body the typed `datadog()` config makes with `name`.
pub fn create_body(name: &str) -> Value {
    json!({
        "name": name,
        "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.com"}
    })
}

/// An `IntegrationConfigurationsRep` as the spec describes it, with a masked secret and a field
/// this client does not know.
pub fn rep(id: &str) -> Value {
    json!({
        "_links": {"self": {"href": format!("/api/v2/integration-configurations/{id}"), "type": "application/json"}},
        "_id": id,
        "name": "Production Datadog",
        "_createdAt": 1_700_000_000_000_i64,
        "_integrationKey": "datadog",
        "tags": ["prod"],
        "enabled": true,
        "_access": {"allowed": [], "denied": [{"action": "deleteIntegration", "reason": {"effect": "deny", "resources": ["integration/*"], "actions": ["*"]}}]},
        "configValues": {"apiKey": "*******8c2a", "hostURL": "https://api.datadoghq.com"},
        "capabilityConfig": {"auditLogEventsHook": {"statements": [{"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}]}},
        "aFieldFromTheFuture": {"nested": true}
    })
}

pub fn error_body(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message})
}

pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}
