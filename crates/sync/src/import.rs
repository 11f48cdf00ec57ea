//! Remote configurations as file documents, so that a team can adopt ldic on an existing
//! account: one JSON document per configuration, in the format `ldic lint` reads, pinned with
//! `_id`, secrets as `${env:NAME}` references, without the fields LaunchDarkly sets or hides
//! and without server-owned fields. Planning the imported files right away finds nothing to do.

use crate::diff::{remote_body, sort_tags};
use crate::sensitive::holds_credential_url;
use ldic_catalog::{Catalog, Integration};
use ldic_client::model::IntegrationConfiguration;
use ldic_validate::file::{INTEGRATION_KEY, REMOTE_ID_KEY, env_name_for};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFile {
    /// A file name (no directory): `<key>.<name>.json`, lower-case ASCII letters, digits and `-`.
    pub file_name: String,
    /// The configuration document. Its secrets are `${env:NAME}` references.
    pub document: Map<String, Value>,
}

/// The file name for a configuration: stable for a given key and name.
pub fn import_file_name(integration_key: &str, name: &str) -> String {
    format!("{}.{}.json", slug(integration_key), slug(name))
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "unnamed".to_owned()
    } else {
        out.to_owned()
    }
}

/// The file document of one remote configuration, with the built-in catalog's field rules.
pub fn import_document(
    integration_key: &str,
    remote: &IntegrationConfiguration,
) -> Map<String, Value> {
    import_document_in(Catalog::builtin(), integration_key, remote)
}

/// [`import_document`], with the field rules (which fields are secret) of `catalog`.
pub fn import_document_in(
    catalog: &Catalog,
    integration_key: &str,
    remote: &IntegrationConfiguration,
) -> Map<String, Value> {
    let body = remote_body(remote);
    let list = catalog
        .get(integration_key)
        .and_then(Integration::config_values_list);
    let mut doc = Map::new();
    doc.insert(
        INTEGRATION_KEY.into(),
        Value::String(integration_key.to_owned()),
    );
    doc.insert(REMOTE_ID_KEY.into(), Value::String(remote.id.clone()));
    doc.insert("name".into(), Value::String(remote.name.clone()));
    doc.insert(
        "enabled".into(),
        Value::Bool(remote.enabled.unwrap_or(true)),
    );
    let mut tags: Vec<Value> = remote.tags.iter().cloned().map(Value::String).collect();
    sort_tags(&mut tags);
    if !tags.is_empty() {
        doc.insert("tags".into(), Value::Array(tags));
    }
    let mut values = Map::new();
    let remote_values = body.get("configValues").and_then(Value::as_object);
    for (k, v) in remote_values.into_iter().flatten() {
        let meta = list.and_then(|l| l.field(k));
        match meta {
            Some(m) if m.ty.is_set_by_launchdarkly() || m.is_hidden => {}
            // Secrets, and URLs whose credential is in the URL itself (a webhook URL, a
            // token in the query): never written to a file, a reference instead.
            Some(m) if m.is_secret || holds_credential_url(v) => {
                values.insert(k.clone(), env_reference(integration_key, k));
            }
            None if holds_credential_url(v) => {
                values.insert(k.clone(), env_reference(integration_key, k));
            }
            _ => {
                values.insert(k.clone(), v.clone());
            }
        }
    }
    // A required secret the server did not return still needs a reference to be valid.
    for field in list.map(|l| &l.fields[..]).unwrap_or_default() {
        if field.is_secret && field.required && !values.contains_key(field.key.as_ref()) {
            values.insert(
                field.key.to_string(),
                env_reference(integration_key, &field.key),
            );
        }
    }
    doc.insert("configValues".into(), Value::Object(values));
    if let Some(Value::Object(cc)) = body.get("capabilityConfig")
        && !cc.is_empty()
    {
        doc.insert("capabilityConfig".into(), Value::Object(cc.clone()));
    }
    doc
}

fn env_reference(integration_key: &str, field: &str) -> Value {
    Value::String(format!("${{env:{}}}", env_name_for(integration_key, field)))
}

/// The files of one integration's configurations. Names are stable; when two configurations
/// would share a file name (same name, or names that differ only in punctuation or case), each
/// of them gets its id appended (`<key>.<name>.<id>.json`).
pub fn import(integration_key: &str, remotes: &[IntegrationConfiguration]) -> Vec<ImportedFile> {
    import_in(Catalog::builtin(), integration_key, remotes)
}

/// [`import`], with the field rules of `catalog`.
pub fn import_in(
    catalog: &Catalog,
    integration_key: &str,
    remotes: &[IntegrationConfiguration],
) -> Vec<ImportedFile> {
    let mut by_name: BTreeMap<String, Vec<&IntegrationConfiguration>> = BTreeMap::new();
    for r in remotes {
        by_name
            .entry(import_file_name(integration_key, &r.name))
            .or_default()
            .push(r);
    }
    let mut files = Vec::new();
    for (file_name, mut group) in by_name {
        group.sort_by(|a, b| a.id.cmp(&b.id));
        let several = group.len() > 1;
        for r in group {
            let file_name = if several {
                let stem = file_name.trim_end_matches(".json");
                format!("{stem}.{}.json", slug(&r.id))
            } else {
                file_name.clone()
            };
            files.push(ImportedFile {
                file_name,
                document: import_document_in(catalog, integration_key, r),
            });
        }
    }
    files
}
