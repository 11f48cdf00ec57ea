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
    /// `configValues` from a JSON object.
    pub fn new(values: Map<String, Value>) -> Self {
        ConfigValues(values)
    }

    /// The value of one form variable. It may be a secret: do not log it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// The form-variable keys present.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// How many keys are present.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key is present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All values. They may be secrets: do not log them.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// All values, owned. They may be secrets: do not log them.
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
    /// Whether the configuration is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Tags of the configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// The form-variable values, checked against the integration's `formVariables`.
    pub config_values: ConfigValues,
    /// Capability settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_config: Option<CapabilityConfig>,
}

/// `CapabilityConfigPost` and `CapabilityConfigRep` (the same shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityConfig {
    /// Settings of the approvals capability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<ApprovalsCapabilityConfig>,
    /// Settings of the audit-log events hook capability.
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
    /// The variable's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The variable's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The variable's type (`type`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Placeholder text of the form field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether a value may be left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_optional: Option<bool>,
    /// The value used when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// The values an enum variable accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Vec<String>>,
    /// Where a dynamic enum reads its options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_options: Option<DynamicOptions>,
}

/// `DynamicOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicOptions {
    /// The request that returns the options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    /// How options are read from the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parser: Option<DynamicOptionsParser>,
}

/// `Endpoint` of dynamic options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// Headers of the request (values may hold secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<HeaderItem>>,
    /// How the request is signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_signature: Option<HmacSignature>,
    /// The HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The URL template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `HeaderItems`: a header of a dynamic-options request. `Debug` elides the value.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeaderItem {
    /// The header name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The header value (may hold a secret; `Debug` elides it).
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
    /// The header that carries the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    /// The key of the form variable holding the signing secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_secret_form_variable_key: Option<String>,
}

/// `DynamicOptionsParser`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicOptionsParser {
    /// Which members of each option are its label and value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_items: Option<OptionsItems>,
    /// Where the options array is in the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_path: Option<String>,
}

/// `OptionsArray`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionsItems {
    /// The member holding an option's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The member holding an option's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `AuditLogEventsHookCapabilityConfigPost` / `...Rep`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogEventsHookCapabilityConfig {
    /// The statements selecting which events are sent.
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
    /// Resource specifiers the statement applies to.
    pub resources: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    /// Resource specifiers the statement applies to all but.
    pub not_resources: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    /// Actions the statement applies to.
    pub actions: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strings_without_nulls"
    )]
    /// Actions the statement applies to all but.
    pub not_actions: Option<Vec<String>>,
    /// Whether matching events are selected or excluded.
    pub effect: Effect,
}

/// A statement's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Matching events are selected.
    Allow,
    /// Matching events are excluded.
    Deny,
}

/// `Link`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The linked resource's path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The linked resource's content type (`type`).
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
    /// The configuration's name.
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
    /// The integration the configuration belongs to.
    pub integration_key: Option<String>,
    /// Tags of the configuration.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Whether the configuration is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// What the caller may do with the configuration.
    #[serde(rename = "_access", default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    /// May hold secrets (LaunchDarkly usually masks them): `Debug` shows the keys only.
    #[serde(default)]
    pub config_values: ConfigValues,
    /// Capability settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_config: Option<CapabilityConfig>,
    /// The setup script of a Snowflake integration, when LaunchDarkly returns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snowflake_setup_script: Option<String>,
}

/// `IntegrationConfigurationCollectionRep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationConfigurationCollection {
    /// The configurations.
    #[serde(default)]
    pub items: Vec<IntegrationConfiguration>,
    /// Links of the collection.
    #[serde(rename = "_links", default)]
    pub links: BTreeMap<String, Link>,
}

/// `Access`: what the caller may do with a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Access {
    /// Actions the caller may not take.
    #[serde(default)]
    pub denied: Vec<AccessRule>,
    /// Actions the caller may take.
    #[serde(default)]
    pub allowed: Vec<AccessRule>,
}

/// `AccessAllowedRep` / `AccessDenied`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRule {
    /// The action.
    pub action: String,
    /// Why it is allowed or denied.
    pub reason: AccessReason,
}

/// `AccessAllowedReason` / `AccessDeniedReason`: the statement that decided, and the role it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessReason {
    /// The policy statement that decided.
    #[serde(flatten)]
    pub statement: Statement,
    /// The role the statement came from.
    #[serde(default, rename = "role_name", skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
}

/// The error bodies (`InvalidRequestErrorRep`, `UnauthorizedErrorRep`, `ForbiddenErrorRep`,
/// `NotFoundErrorRep`, `StatusConflictErrorRep`, `RateLimitedErrorRep`: all the same shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorRep {
    /// A machine-readable error code (`invalid_request`, `unauthorized`, ...).
    #[serde(default)]
    pub code: String,
    /// What went wrong, in LaunchDarkly's words.
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
    /// The value of `add`, `replace` and `test` (may be a secret; `Debug` elides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOperation {
    /// An `add` operation.
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::with_value("add", path, value)
    }

    /// A `replace` operation.
    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::with_value("replace", path, value)
    }

    /// A `test` operation: the patch fails (and changes nothing) unless the value at `path` is
    /// `value`.
    pub fn test(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::with_value("test", path, value)
    }

    /// A `remove` operation.
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
