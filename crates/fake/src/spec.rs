//! Every request the fake receives is checked against LaunchDarkly's OpenAPI spec, so that a
//! test passing against the fake means the request is one LaunchDarkly documents: the path and
//! method exist, a required body is there, and the body validates against the request schema.
//!
//! The spec is compiled in when `build.rs` finds it; without it nothing is checked
//! ([`available`] is false) and the fake still serves requests.

use serde_json::{Value, json};
use std::sync::OnceLock;

#[cfg(openapi_spec)]
const SPEC_TEXT: Option<&str> = Some(include_str!(env!("LDIC_OPENAPI_SPEC_PATH")));
#[cfg(not(openapi_spec))]
const SPEC_TEXT: Option<&str> = None;

/// One operation of the spec: its path template split in segments, and its request body schema.
struct Operation {
    method: String,
    segments: Vec<String>,
    body_required: bool,
    body_schema: Option<jsonschema::Validator>,
}

struct Spec {
    operations: Vec<Operation>,
}

fn spec() -> Option<&'static Spec> {
    static SPEC: OnceLock<Option<Spec>> = OnceLock::new();
    SPEC.get_or_init(|| {
        SPEC_TEXT
            .and_then(|text| serde_json::from_str(text).ok())
            .map(compile)
    })
    .as_ref()
}

/// Whether the fake was built with the spec (and so checks requests against it).
pub fn available() -> bool {
    spec().is_some()
}

fn compile(spec: Value) -> Spec {
    let components = spec.get("components").cloned().unwrap_or(Value::Null);
    let mut operations = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Spec { operations };
    };
    for (template, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if method == "parameters" {
                continue;
            }
            let body = operation.get("requestBody");
            let schema = body
                .and_then(|b| b.pointer("/content/application~1json/schema"))
                .and_then(|schema| {
                    let mut root = json!({ "components": components });
                    if let (Some(root), Some(schema)) = (root.as_object_mut(), schema.as_object()) {
                        root.extend(schema.clone());
                    }
                    jsonschema::validator_for(&root).ok()
                });
            operations.push(Operation {
                method: method.to_ascii_uppercase(),
                segments: split(template),
                body_required: body
                    .and_then(|b| b.get("required"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                body_schema: schema,
            });
        }
    }
    Spec { operations }
}

fn split(path: &str) -> Vec<String> {
    path.trim_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

fn matches(template: &[String], path: &[String]) -> bool {
    template.len() == path.len()
        && template.iter().zip(path).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// What is wrong with a request, against the spec: `None` when it matches (or there is no spec).
///
/// `body` is the raw request body (empty when there is none).
pub fn check(method: &str, path: &str, body: &[u8]) -> Option<String> {
    let spec = spec()?;
    let segments = split(path);
    let on_path: Vec<&Operation> = spec
        .operations
        .iter()
        .filter(|op| matches(&op.segments, &segments))
        .collect();
    if on_path.is_empty() {
        return Some(format!("no operation of the spec has the path {path}"));
    }
    let Some(operation) = on_path.iter().find(|op| op.method == method) else {
        return Some(format!("the spec has no {method} operation on {path}"));
    };
    if body.is_empty() {
        return operation
            .body_required
            .then(|| format!("{method} {path} requires a request body"));
    }
    let Some(validator) = &operation.body_schema else {
        return Some(format!("{method} {path} takes no request body"));
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return Some(format!("the request body is not JSON: {e}")),
    };
    let errors: Vec<String> = validator
        .iter_errors(&value)
        // Pointers only: an error's message may quote the value, which may be a secret.
        .map(|e| format!("{} (schema {})", e.instance_path(), e.schema_path()))
        .collect();
    (!errors.is_empty()).then(|| {
        format!(
            "the body of {method} {path} does not match the request schema: {}",
            errors.join("; ")
        )
    })
}
