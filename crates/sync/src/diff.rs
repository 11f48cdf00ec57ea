//! Field-by-field comparison of a desired configuration with its remote one, and the minimal
//! JSON Patch (with `test` guards computed from the planned remote state) that closes the gap.

use crate::desired::Desired;
use crate::plan::{Change, ChangeOp, NotCompared, NotComparedReason};
use crate::sensitive::holds_credential_url;
use ldic_catalog::{FieldMeta, FormList};
use ldic_client::model::{IntegrationConfiguration, PatchOperation};
use serde_json::{Map, Value};

/// The result of comparing one configuration.
pub(crate) struct Comparison {
    pub changes: Vec<Change>,
    pub not_compared: Vec<NotCompared>,
    pub missing_env: Vec<String>,
    /// `test` operations first, then the changes.
    pub patch: Vec<PatchOperation>,
}

#[derive(Default)]
struct Builder {
    changes: Vec<Change>,
    tests: Vec<PatchOperation>,
    ops: Vec<PatchOperation>,
}

impl Builder {
    /// Record a change at `path`; `guard`: add a `test` on the old value (not for secrets,
    /// whose remote value is obfuscated).
    fn change(
        &mut self,
        path: String,
        old: Option<&Value>,
        new: Option<&Value>,
        sensitive: bool,
        guard: bool,
    ) {
        let op = match (old, new) {
            (None, _) => ChangeOp::Add,
            (Some(_), None) => ChangeOp::Remove,
            (Some(_), Some(_)) => ChangeOp::Replace,
        };
        let sensitive = sensitive
            || old.is_some_and(holds_credential_url)
            || new.is_some_and(holds_credential_url);
        if guard && let Some(old) = old {
            self.tests.push(PatchOperation {
                op: "test".to_owned(),
                path: path.clone(),
                from: None,
                value: Some(old.clone()),
            });
        }
        self.ops.push(match (op, new) {
            (ChangeOp::Remove, _) | (_, None) => PatchOperation::remove(path.clone()),
            (ChangeOp::Add, Some(v)) => PatchOperation::add(path.clone(), v.clone()),
            (ChangeOp::Replace, Some(v)) => PatchOperation::replace(path.clone(), v.clone()),
        });
        self.changes.push(Change {
            path,
            op,
            old: old.filter(|_| !sensitive).cloned(),
            new: new.filter(|_| !sensitive).cloned(),
            sensitive,
        });
    }
}

/// Tags as a set: sorted, without repeats.
pub(crate) fn sort_tags(tags: &mut Vec<Value>) {
    tags.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    tags.dedup();
}

pub(crate) fn compare(
    list: Option<&FormList>,
    desired: &Desired,
    remote: &IntegrationConfiguration,
    rotate_secrets: bool,
) -> Comparison {
    let remote_doc = remote_body(remote);
    let mut b = Builder::default();
    let d = &desired.body;

    let new_name = Value::String(desired.name.clone());
    if remote_doc.get("name") != Some(&new_name) {
        b.change(
            "/name".into(),
            remote_doc.get("name"),
            Some(&new_name),
            false,
            true,
        );
    }

    let enabled =
        |m: &Map<String, Value>| m.get("enabled").and_then(Value::as_bool).unwrap_or(true);
    if enabled(d) != enabled(&remote_doc) {
        let new = Value::Bool(enabled(d));
        b.change(
            "/enabled".into(),
            remote_doc.get("enabled"),
            Some(&new),
            false,
            true,
        );
    }

    compare_tags(d, &remote_doc, &mut b);

    let empty = Map::new();
    let remote_values = remote_doc
        .get("configValues")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let desired_values = d
        .get("configValues")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut not_compared = Vec::new();
    let mut missing_env = Vec::new();
    let fields = FieldsInput {
        list,
        desired,
        desired_values,
        remote_values,
        rotate_secrets,
    };
    compare_config_values(&fields, &mut b, &mut not_compared, &mut missing_env);

    let remote_cc = remote_doc
        .get("capabilityConfig")
        .and_then(Value::as_object);
    let desired_cc = d
        .get("capabilityConfig")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    compare_object("/capabilityConfig", remote_cc, desired_cc, &mut b);

    let mut patch = b.tests;
    patch.extend(b.ops);
    Comparison {
        changes: b.changes,
        not_compared,
        missing_env,
        patch,
    }
}

/// The compared members of a remote configuration, as JSON.
pub(crate) fn remote_body(remote: &IntegrationConfiguration) -> Map<String, Value> {
    let Ok(Value::Object(mut doc)) = serde_json::to_value(remote) else {
        return Map::new();
    };
    doc.retain(|k, _| ldic_validate::BODY_FIELDS.contains(&k.as_str()));
    doc
}

fn compare_tags(d: &Map<String, Value>, remote: &Map<String, Value>, b: &mut Builder) {
    let set = |m: &Map<String, Value>| {
        let mut tags = m
            .get("tags")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        sort_tags(&mut tags);
        tags
    };
    let (new, old) = (set(d), set(remote));
    if new != old {
        let new = Value::Array(new);
        b.change("/tags".into(), remote.get("tags"), Some(&new), false, true);
    }
}

struct FieldsInput<'a> {
    list: Option<&'a FormList>,
    desired: &'a Desired,
    desired_values: &'a Map<String, Value>,
    remote_values: &'a Map<String, Value>,
    rotate_secrets: bool,
}

/// Why a field is never compared, from its manifest metadata.
fn unmanaged(meta: Option<&FieldMeta>) -> Option<NotComparedReason> {
    let meta = meta?;
    if meta.is_secret {
        Some(NotComparedReason::Secret)
    } else if meta.ty.is_set_by_launchdarkly() {
        Some(NotComparedReason::SetByLaunchdarkly)
    } else if meta.is_hidden {
        Some(NotComparedReason::Hidden)
    } else {
        None
    }
}

fn compare_config_values(
    input: &FieldsInput<'_>,
    b: &mut Builder,
    not_compared: &mut Vec<NotCompared>,
    missing_env: &mut Vec<String>,
) {
    let keys = input.desired_values.keys().chain(
        input
            .remote_values
            .keys()
            .filter(|k| !input.desired_values.contains_key(*k)),
    );
    for field in keys {
        let path = ldic_catalog::pointer::child("/configValues", field);
        let meta = input.list.and_then(|l| l.field(field));
        let new = input.desired_values.get(field);
        let old = input.remote_values.get(field);
        let env = input.desired.env.get(field);
        if let Some(reason) = unmanaged(meta) {
            let rotate = reason == NotComparedReason::Secret && input.rotate_secrets;
            match (rotate, new, env) {
                (true, Some(_), Some(e)) if !e.set => missing_env.push(e.variable.clone()),
                (true, Some(new), _) => b.change(path, old, Some(new), true, false),
                _ => not_compared.push(NotCompared { path, reason }),
            }
            continue;
        }
        if let Some(e) = env.filter(|e| !e.set) {
            not_compared.push(NotCompared {
                path,
                reason: NotComparedReason::EnvUnset {
                    variable: e.variable.clone(),
                },
            });
            continue;
        }
        let sensitive = env.is_some();
        match (old, new) {
            (Some(o), Some(n)) if o == n => {}
            (Some(o), None) if meta.and_then(FieldMeta::default_value).as_ref() == Some(o) => {}
            (None, None) => {}
            _ => b.change(path, old, new, sensitive, true),
        }
    }
}

/// Compare two objects member by member; descend into `auditLogEventsHook` so that its
/// statement list is replaced at its own path. A missing remote object is added whole.
fn compare_object(
    path: &str,
    old: Option<&Map<String, Value>>,
    new: &Map<String, Value>,
    b: &mut Builder,
) {
    let Some(old) = old else {
        if !new.is_empty() {
            b.change(
                path.to_owned(),
                None,
                Some(&Value::Object(new.clone())),
                false,
                false,
            );
        }
        return;
    };
    let keys = new
        .keys()
        .chain(old.keys().filter(|k| !new.contains_key(*k)));
    for member in keys {
        let child = ldic_catalog::pointer::child(path, member);
        match (old.get(member), new.get(member)) {
            (Some(o), Some(n)) if o == n => {}
            (Some(Value::Object(o)), Some(Value::Object(n))) if member == "auditLogEventsHook" => {
                compare_object(&child, Some(o), n, b);
            }
            (o, n) => b.change(child, o, n, false, true),
        }
    }
}
