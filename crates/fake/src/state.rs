//! The fake's state and its request handling, free of any I/O: a request goes in, an answer
//! (or "drop the connection") comes out. The server module only moves bytes.
//!
//! What LaunchDarkly does that the fake models: server-owned fields (`_id`, `_createdAt`,
//! `_links`, `_access`, `_integrationKey`), defaults of absent `configValues` fields filled in on
//! create, `enabled` defaulting to true, duplicate names allowed, secret fields stored as sent
//! but obfuscated on every read, JSON Patch applied atomically.

use crate::hooks::{Fault, FaultKind, LoggedRequest, SpecViolation};
use crate::{OBFUSCATED, spec};
use ldic_catalog::{FieldType, FormList, Integration};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// The collection path every endpoint lives under.
pub const API_PREFIX: &str = "/api/v2/integration-configurations";

/// A request as the server read it.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub api_version: Option<String>,
    pub body: Vec<u8>,
}

/// What the server does with a request.
#[derive(Debug)]
pub(crate) enum Outcome {
    Respond {
        status: u16,
        retry_after: Option<u64>,
        body: Option<Value>,
    },
    /// Close the connection without an answer.
    Drop,
}

impl Outcome {
    fn json(status: u16, body: Value) -> Self {
        Outcome::Respond {
            status,
            retry_after: None,
            body: Some(body),
        }
    }

    fn error(status: u16, code: &str, message: &str) -> Self {
        Self::json(status, json!({ "code": code, "message": message }))
    }

    fn status(&self) -> Option<u16> {
        match self {
            Outcome::Respond { status, .. } => Some(*status),
            Outcome::Drop => None,
        }
    }
}

/// Everything the fake holds.
#[derive(Debug)]
pub(crate) struct State {
    pub token: String,
    /// Configurations by id; ids grow with creation, so this is creation order.
    pub configs: BTreeMap<String, Value>,
    next_id: u64,
    pub log: Vec<LoggedRequest>,
    pub violations: Vec<SpecViolation>,
    pub faults: Vec<Fault>,
    pub failed_test_status: u16,
}

impl State {
    pub fn new(token: String, failed_test_status: u16) -> Self {
        State {
            token,
            configs: BTreeMap::new(),
            next_id: 1,
            log: Vec::new(),
            violations: Vec::new(),
            faults: Vec::new(),
            failed_test_status,
        }
    }

    pub fn handle(&mut self, request: &Incoming) -> Outcome {
        let violation = self.violation(request);
        self.log.push(LoggedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            body: self.masked_body(request),
            status: None,
            applied: false,
        });
        if let Some(problem) = &violation {
            self.violations.push(SpecViolation {
                method: request.method.clone(),
                path: request.path.clone(),
                problem: problem.clone(),
            });
        }
        let fault = self.take_fault(&request.method, &request.path);
        let before = self.configs.clone();
        let outcome = match fault {
            Some(FaultKind::RateLimited { retry_after_secs }) => Outcome::Respond {
                status: 429,
                retry_after: retry_after_secs,
                body: Some(json!({"code": "rate_limited", "message": "rate limited by the fake"})),
            },
            Some(FaultKind::ServerError) => {
                Outcome::error(500, "internal_error", "injected server error")
            }
            Some(FaultKind::Answer {
                status,
                ref code,
                ref message,
            }) => Outcome::error(status, code, message),
            Some(FaultKind::DropBeforeApply) => Outcome::Drop,
            _ if request.authorization.as_deref() != Some(self.token.as_str()) => {
                Outcome::error(401, "unauthorized", "Invalid access token")
            }
            _ if violation.is_some() => {
                Outcome::error(400, "invalid_request", "the request does not match the API")
            }
            _ => self.route(request),
        };
        let outcome = match (fault, outcome) {
            (Some(FaultKind::DropAfterApply), _) => Outcome::Drop,
            (_, outcome) => outcome,
        };
        if let Some(entry) = self.log.last_mut() {
            entry.status = outcome.status();
            entry.applied = self.configs != before;
        }
        outcome
    }

    fn violation(&self, request: &Incoming) -> Option<String> {
        if request.api_version.as_deref() != Some("beta") {
            return Some("the LD-API-Version header must be \"beta\"".to_owned());
        }
        spec::check(&request.method, &request.path, &request.body)
    }

    fn take_fault(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let index = self.faults.iter().position(|f| f.matches(method, path))?;
        let fault = &mut self.faults[index];
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            self.faults.remove(index);
        }
        Some(kind)
    }

    fn route(&mut self, request: &Incoming) -> Outcome {
        let rest = request.path.strip_prefix(API_PREFIX).unwrap_or("");
        let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("GET", ["keys", key]) => self.list(key),
            ("POST", ["keys", key]) => self.create(key, &request.body),
            ("GET", [id]) => self.get(id),
            ("PATCH", [id]) => self.patch(id, &request.body),
            ("DELETE", [id]) => self.delete(id),
            _ => Outcome::error(404, "not_found", "Invalid resource identifier"),
        }
    }

    fn list(&self, key: &str) -> Outcome {
        if ldic_catalog::get(key).is_none() {
            return unknown_integration();
        }
        let items: Vec<Value> = self
            .configs
            .values()
            .filter(|c| c["_integrationKey"] == key)
            .map(obfuscated)
            .collect();
        Outcome::json(
            200,
            json!({
                "items": items,
                "_links": {"self": {"href": format!("{API_PREFIX}/keys/{key}"), "type": "application/json"}},
            }),
        )
    }

    fn create(&mut self, key: &str, body: &[u8]) -> Outcome {
        let Some(integration) = ldic_catalog::get(key) else {
            return unknown_integration();
        };
        let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(body) else {
            return invalid("the body must be a JSON object");
        };
        let list = integration.config_values_list();
        let Some(Value::Object(mut values)) = body.remove("configValues") else {
            return invalid("configValues must be an object");
        };
        if let Some(list) = list {
            fill_defaults(list, &mut values, self.next_id);
        }
        let mut config = Map::new();
        config.insert("name".into(), body.remove("name").unwrap_or(Value::Null));
        config.insert(
            "enabled".into(),
            body.remove("enabled").unwrap_or(Value::Bool(true)),
        );
        config.insert(
            "tags".into(),
            body.remove("tags").unwrap_or_else(|| json!([])),
        );
        config.insert("configValues".into(), Value::Object(values));
        if let Some(capability_config) = body.remove("capabilityConfig") {
            config.insert("capabilityConfig".into(), capability_config);
        }
        let config = Value::Object(config);
        if let Err(problem) = check_configuration(integration, &config) {
            return invalid(&problem);
        }
        let id = self.insert(key, config);
        Outcome::json(201, obfuscated(&self.configs[&id]))
    }

    fn get(&self, id: &str) -> Outcome {
        match self.configs.get(id) {
            Some(config) => Outcome::json(200, obfuscated(config)),
            None => not_found(),
        }
    }

    fn patch(&mut self, id: &str, body: &[u8]) -> Outcome {
        let Some(current) = self.configs.get(id) else {
            return not_found();
        };
        let Ok(operations) = serde_json::from_slice::<json_patch::Patch>(body) else {
            return invalid("the body must be a JSON Patch");
        };
        if let Some(op) = operations.iter().find(|op| touches_server_field(op)) {
            return invalid(&format!(
                "{} is set by LaunchDarkly and cannot be patched",
                json_patch_path(op)
            ));
        }
        let mut patched = current.clone();
        if let Err(e) = json_patch::patch(&mut patched, &operations) {
            return match e.kind {
                json_patch::PatchErrorKind::TestFailed => Outcome::error(
                    self.failed_test_status,
                    if self.failed_test_status == 409 {
                        "optimistic_locking_error"
                    } else {
                        "invalid_request"
                    },
                    &format!("test operation {} failed at {}", e.operation, e.path),
                ),
                _ => invalid(&format!(
                    "operation {} does not apply at {}: {}",
                    e.operation, e.path, e.kind
                )),
            };
        }
        let integration = current["_integrationKey"]
            .as_str()
            .and_then(ldic_catalog::get);
        if let Some(integration) = integration
            && let Err(problem) = check_configuration(integration, &patched)
        {
            return invalid(&problem);
        }
        self.configs.insert(id.to_owned(), patched.clone());
        Outcome::json(200, obfuscated(&patched))
    }

    fn delete(&mut self, id: &str) -> Outcome {
        match self.configs.remove(id) {
            Some(_) => Outcome::Respond {
                status: 204,
                retry_after: None,
                body: None,
            },
            None => not_found(),
        }
    }

    /// Stores a configuration with fresh server-owned fields and returns its id.
    pub fn insert(&mut self, key: &str, mut config: Value) -> String {
        // 24 hex digits, like the ids LaunchDarkly returns; unique within one fake.
        let id = format!("fa4e{:020x}", self.next_id);
        self.next_id += 1;
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let mut full = Map::new();
        full.insert("_id".into(), Value::String(id.clone()));
        full.insert(
            "_links".into(),
            json!({"self": {"href": format!("{API_PREFIX}/{id}"), "type": "application/json"}}),
        );
        full.insert("_createdAt".into(), json!(millis));
        full.insert("_integrationKey".into(), Value::String(key.to_owned()));
        full.insert("_access".into(), json!({"allowed": [], "denied": []}));
        if let Some(fields) = config.as_object_mut() {
            fields.retain(|k, _| !k.starts_with('_'));
            full.extend(std::mem::take(fields));
        }
        self.configs.insert(id.clone(), Value::Object(full));
        id
    }

    /// The body for the log: JSON with the values of secret fields masked.
    fn masked_body(&self, request: &Incoming) -> Option<Value> {
        if request.body.is_empty() {
            return None;
        }
        let Ok(mut body) = serde_json::from_slice::<Value>(&request.body) else {
            return Some(Value::String(format!(
                "(not JSON, {} bytes)",
                request.body.len()
            )));
        };
        let rest = request.path.strip_prefix(API_PREFIX).unwrap_or("");
        let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        match segments.as_slice() {
            ["keys", key] => {
                if let Some(values) = body.get_mut("configValues") {
                    mask_values(secret_fields(key), values);
                }
            }
            [id] => {
                let key = self
                    .configs
                    .get(*id)
                    .and_then(|c| c["_integrationKey"].as_str())
                    .unwrap_or("");
                mask_patch(secret_fields(key), &mut body);
            }
            _ => {}
        }
        Some(body)
    }
}

fn unknown_integration() -> Outcome {
    Outcome::error(404, "not_found", "unknown integration key")
}

fn not_found() -> Outcome {
    Outcome::error(404, "not_found", "Invalid resource identifier")
}

fn invalid(message: &str) -> Outcome {
    Outcome::error(400, "invalid_request", message)
}

fn json_patch_path(op: &json_patch::PatchOperation) -> String {
    op.path().to_string()
}

fn touches_server_field(op: &json_patch::PatchOperation) -> bool {
    let path = op.path().to_string();
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    first.is_empty() || first.starts_with('_')
}

/// The keys of an integration's secret `configValues` fields (empty for an unknown key).
pub(crate) fn secret_fields(key: &str) -> Vec<&'static str> {
    ldic_catalog::get(key)
        .and_then(Integration::config_values_list)
        .map(|list| {
            list.fields
                .iter()
                .filter(|f| f.is_secret)
                .map(|f| f.key.as_ref())
                .collect()
        })
        .unwrap_or_default()
}

fn mask_values(secrets: Vec<&str>, values: &mut Value) {
    if let Some(values) = values.as_object_mut() {
        for key in secrets {
            if let Some(value) = values.get_mut(key) {
                *value = Value::String(OBFUSCATED.to_owned());
            }
        }
    }
}

/// Masks the values a JSON Patch puts into (or tests at) secret fields.
fn mask_patch(secrets: Vec<&str>, patch: &mut Value) {
    let Some(operations) = patch.as_array_mut() else {
        return;
    };
    for op in operations {
        let path = op["path"].as_str().unwrap_or("").to_owned();
        let Some(value) = op.get_mut("value") else {
            continue;
        };
        if path == "/configValues" {
            mask_values(secrets.clone(), value);
        } else if let Some(field) = path.strip_prefix("/configValues/") {
            let field = field.split('/').next().unwrap_or("");
            if secrets
                .iter()
                .any(|s| ldic_catalog::pointer::escape_token(s) == field)
            {
                *value = Value::String(OBFUSCATED.to_owned());
            }
        } else if (path.is_empty() || path == "/")
            && let Some(values) = value.get_mut("configValues")
        {
            mask_values(secrets.clone(), values);
        }
    }
}

/// A configuration as every read returns it: secret fields obfuscated.
pub(crate) fn obfuscated(config: &Value) -> Value {
    let mut config = config.clone();
    let key = config["_integrationKey"].as_str().unwrap_or("").to_owned();
    if let Some(values) = config.get_mut("configValues") {
        mask_values(secret_fields(&key), values);
    }
    config
}

/// Fills in what LaunchDarkly fills in on create: defaults of absent fields, and a value for
/// absent `generated` fields.
fn fill_defaults(list: &FormList, values: &mut Map<String, Value>, serial: u64) {
    for field in list.fields.iter() {
        if values.contains_key(field.key.as_ref()) {
            continue;
        }
        if let Some(default) = field.default_value() {
            values.insert(field.key.to_string(), default);
        } else if field.ty == FieldType::Generated {
            values.insert(
                field.key.to_string(),
                Value::String(format!("fake-generated-{serial}")),
            );
        }
    }
}

/// The checks the fake makes on a whole configuration: a string name, a boolean `enabled`, an
/// array of string tags, and `configValues` with no unknown field and every required one.
/// (A simplification of LaunchDarkly's own checks, independent of ldic's validator.)
fn check_configuration(integration: &Integration, config: &Value) -> Result<(), String> {
    if !config["name"].is_string() {
        return Err("name must be a string".to_owned());
    }
    if !config["enabled"].is_boolean() {
        return Err("enabled must be a boolean".to_owned());
    }
    let tags_ok = config["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().all(Value::is_string));
    if !tags_ok {
        return Err("tags must be an array of strings".to_owned());
    }
    let Some(values) = config["configValues"].as_object() else {
        return Err("configValues must be an object".to_owned());
    };
    let fields = integration
        .config_values_list()
        .map(|l| &l.fields[..])
        .unwrap_or_default();
    if let Some(unknown) = values
        .keys()
        .find(|k| !fields.iter().any(|f| f.key == k.as_str()))
    {
        return Err(format!("configValues has an unknown field {unknown:?}"));
    }
    if let Some(missing) = fields
        .iter()
        .find(|f| f.required && !values.contains_key(f.key.as_ref()))
    {
        return Err(format!(
            "configValues misses the required field {:?}",
            missing.key
        ));
    }
    Ok(())
}
