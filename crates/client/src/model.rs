//! Request and response bodies of the integration-configurations API (OpenAPI subset in
//! `launchdarkly-api/integration-configurations.openapi.json`).
//!
//! Responses are read tolerantly: unknown fields are ignored, and optional or defaultable
//! fields may be missing, so that a field LaunchDarkly adds later does not break old clients.
//! `configValues` may hold secrets, so its `Debug` prints the keys only; header values of
//! dynamic-option endpoints and patch values are elided in `Debug` for the same reason.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The `configValues` object: form-variable key to value. `Debug` shows the keys only.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConfigValues(Map<String, Value>);

impl ConfigValues {
    pub fn new(values: Map<String, Value>) -> Self {
        ConfigValues(values)
    }

    /// The value of one form variable. It may be a secret: do not log it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All values. They may be secrets: do not log them.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

impl From<Map<String, Value>> for ConfigValues {
    fn from(values: Map<String, Value>) -> Self {
        ConfigValues(values)
    }
}

/// Prints `..` in place of a value that may be secret.
struct Elided;

impl fmt::Debug for Elided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("..")
    }
}

impl fmt::Debug for ConfigValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, Elided)))
            .finish()
    }
}

/// `IntegrationConfigurationPost`: the body of a create request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationConfigurationPost {
    /// A human-friendly name for the configuration.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    pub config_values: ConfigValues,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_config: Option<CapabilityConfig>,
}

/// `CapabilityConfigPost` and `CapabilityConfigRep` (the same shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<ApprovalsCapabilityConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_log_events_hook: Option<AuditLogEventsHookCapabilityConfig>,
}

/// `ApprovalsCapabilityConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalsCapabilityConfig {
    /// Read leniently: a response whose value is not a list of form variables reads as `None`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub additional_form_variables: Option<Vec<FormVariable>>,
}

/// `FormVariable` of an approvals capability configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormVariable {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_optional: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_options: Option<DynamicOptions>,
}

/// `DynamicOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parser: Option<DynamicOptionsParser>,
}

/// `Endpoint` of dynamic options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<HeaderItem>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_signature: Option<HmacSignature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `HeaderItems`: a header of a dynamic-options request. `Debug` elides the value.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeaderItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl fmt::Debug for HeaderItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderItem")
            .field("name", &self.name)
            .field("value", &self.value.as_ref().map(|_| Elided))
            .finish()
    }
}

/// `HMACSignature`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HmacSignature {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_secret_form_variable_key: Option<String>,
}

/// `DynamicOptionsParser`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicOptionsParser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_items: Option<OptionsItems>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_path: Option<String>,
}

/// `OptionsArray`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionsItems {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `AuditLogEventsHookCapabilityConfigPost` / `...Rep`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogEventsHookCapabilityConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statements: Option<Vec<Statement>>,
}

/// `StatementPost` / `Statement`: a policy statement selecting audit-log events. `null` entries
/// of a response's lists are dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    pub resources: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    pub not_resources: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    pub actions: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    pub not_actions: Option<Vec<String>>,
    pub effect: Effect,
}

/// A statement's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Allow,
    Deny,
}

/// `Link`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// `IntegrationConfigurationsRep`: an integration configuration as LaunchDarkly returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationConfiguration {
    /// The location and content type of related resources.
    #[serde(rename = "_links", default)]
    pub links: BTreeMap<String, Link>,
    /// The configuration's ID: what [`get`](crate::Client::get), `update` and `delete` take.
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    /// Creation time, milliseconds since the Unix epoch.
    #[serde(
        rename = "_createdAt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<i64>,
    #[serde(
        rename = "_integrationKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub integration_key: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(rename = "_access", default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    /// May hold secrets (LaunchDarkly usually masks them): `Debug` shows the keys only.
    #[serde(default)]
    pub config_values: ConfigValues,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_config: Option<CapabilityConfig>,
    /// The setup script of a Snowflake integration, when LaunchDarkly returns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snowflake_setup_script: Option<String>,
}

/// `IntegrationConfigurationCollectionRep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationConfigurationCollection {
    #[serde(default)]
    pub items: Vec<IntegrationConfiguration>,
    #[serde(rename = "_links", default)]
    pub links: BTreeMap<String, Link>,
}

/// `Access`: what the caller may do with a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Access {
    #[serde(default)]
    pub denied: Vec<AccessRule>,
    #[serde(default)]
    pub allowed: Vec<AccessRule>,
}

/// `AccessAllowedRep` / `AccessDenied`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRule {
    pub action: String,
    pub reason: AccessReason,
}

/// `AccessAllowedReason` / `AccessDeniedReason`: the statement that decided, and the role it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessReason {
    #[serde(flatten)]
    pub statement: Statement,
    #[serde(default, rename = "role_name", skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
}

/// The error bodies (`InvalidRequestErrorRep`, `UnauthorizedErrorRep`, `ForbiddenErrorRep`,
/// `NotFoundErrorRep`, `StatusConflictErrorRep`, `RateLimitedErrorRep`: all the same shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorRep {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

/// `PatchOperation`: one operation of a JSON Patch (RFC 6902). `Debug` elides the value, which
/// may be a secret (`replace /configValues/apiKey`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    pub op: String,
    /// A JSON pointer into the configuration (`/configValues/hostURL`, `/name`).
    pub path: String,
    /// The source pointer of `move` and `copy` (RFC 6902; not in the OpenAPI subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOperation {
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::with_value("add", path, value)
    }

    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::with_value("replace", path, value)
    }

    /// A `test` operation: the patch fails (and changes nothing) unless the value at `path` is
    /// `value`.
    pub fn test(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::with_value("test", path, value)
    }

    pub fn remove(path: impl Into<String>) -> Self {
        PatchOperation {
            op: "remove".to_owned(),
            path: path.into(),
            from: None,
            value: None,
        }
    }

    fn with_value(op: &str, path: impl Into<String>, value: impl Into<Value>) -> Self {
        PatchOperation {
            op: op.to_owned(),
            path: path.into(),
            from: None,
            value: Some(value.into()),
        }
    }
}

impl fmt::Debug for PatchOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("PatchOperation");
        s.field("op", &self.op).field("path", &self.path);
        if let Some(from) = &self.from {
            s.field("from", from);
        }
        if self.value.is_some() {
            s.field("value", &Elided);
        }
        s.finish()
    }
}

/// A list of strings that may contain `null` entries (LaunchDarkly's own examples do): the
/// nulls are dropped.
fn strings_without_nulls<'de, D>(deserializer: D) -> Result<Option<Vec<String>>, D::Error>
where
    D: Deserializer<'de>,
{
    let items = Option::<Vec<Option<String>>>::deserialize(deserializer)?;
    Ok(items.map(|items| items.into_iter().flatten().collect()))
}

/// Deserializes `T` when the value has its shape, `None` otherwise (including `null`).
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn config_values_debug_shows_keys_not_values() {
        let rep: IntegrationConfiguration = serde_json::from_value(json!({
            "_id": "abc", "_links": {}, "name": "n",
            "configValues": {"apiKey": "canary-secret-77", "hostURL": "https://x"}
        }))
        .unwrap();
        let shown = format!("{rep:?} {rep:#?}");
        assert!(shown.contains("apiKey"));
        assert!(!shown.contains("canary-secret-77"), "{shown}");
    }

    #[test]
    fn patch_debug_elides_the_value() {
        let op = PatchOperation::replace("/configValues/apiKey", "canary-secret-77");
        let shown = format!("{op:?}");
        assert!(shown.contains("/configValues/apiKey"));
        assert!(!shown.contains("canary"), "{shown}");
        assert_eq!(
            serde_json::to_value(&op).unwrap(),
            json!({"op": "replace", "path": "/configValues/apiKey", "value": "canary-secret-77"})
        );
    }

    #[test]
    fn responses_tolerate_unknown_and_missing_fields() {
        let rep: IntegrationConfiguration = serde_json::from_value(json!({
            "_id": "abc", "name": "n", "somethingNew": {"x": 1},
            "capabilityConfig": {"approvals": {"additionalFormVariables": "invalid example"}}
        }))
        .unwrap();
        assert_eq!(rep.id, "abc");
        assert!(rep.links.is_empty());
        assert_eq!(
            rep.capability_config
                .and_then(|c| c.approvals)
                .and_then(|a| a.additional_form_variables),
            None
        );
    }

    #[test]
    fn create_body_omits_absent_optionals() {
        let post = IntegrationConfigurationPost {
            name: "n".into(),
            enabled: None,
            tags: None,
            config_values: ConfigValues::default(),
            capability_config: None,
        };
        assert_eq!(
            serde_json::to_value(&post).unwrap(),
            json!({"name": "n", "configValues": {}})
        );
    }
}
