//! JSON Schemas of configuration files, for editors (VS Code, yaml-language-server).
//!
//! The catalog has one schema per form-variable list (the `configValues` object). A configuration
//! *file* wraps it: `{integrationKey, name, configValues, enabled, tags, capabilityConfig}`, one
//! object or an array of them. The combined schema holds every integration and dispatches on
//! `integrationKey` with `if`/`then`, so one schema serves a whole repository. Each list schema is
//! embedded under `$defs`, its own `$defs` renamed with the integration key as a prefix so that
//! references stay valid once merged.

use crate::config::INTEGRATION_KEY;
use ldic::catalog::{self, Integration};
use serde_json::{Map, Value, json};

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// File name of the combined schema written by `ldic schema --out`.
pub const COMBINED_FILE: &str = "ldic.schema.json";

/// File name of an integration's schema written by `ldic schema --out`.
pub fn file_name(key: &str) -> String {
    format!("{key}.schema.json")
}

/// The schema of a configuration file for one integration.
pub fn for_integration(integration: &Integration) -> Value {
    let mut defs = Map::new();
    let config = config_schema(integration, &mut defs);
    defs.insert("config".to_owned(), config);
    json!({
        "$schema": DIALECT,
        "title": format!("ldic configuration file: {} ({})", integration.name, integration.key),
        "anyOf": one_or_many("#/$defs/config"),
        "$defs": defs,
    })
}

/// One schema for every integration, dispatching on `integrationKey`.
pub fn combined() -> Value {
    let mut defs = Map::new();
    let mut keys = Vec::new();
    let mut branches = Vec::new();
    for integration in crate::active_catalog::active().iter() {
        let def = def_name(&integration.key);
        let config = config_schema(integration, &mut defs);
        defs.insert(def.clone(), config);
        keys.push(Value::String(integration.key.to_string()));
        branches.push(json!({
            "if": {
                "properties": {INTEGRATION_KEY: {"const": integration.key}},
                "required": [INTEGRATION_KEY],
            },
            "then": {"$ref": format!("#/$defs/{def}")},
        }));
    }
    defs.insert(
        "config".to_owned(),
        json!({
            "type": "object",
            "required": [INTEGRATION_KEY],
            "properties": {
                INTEGRATION_KEY: {
                    "description": "The integration this configuration is for (`ldic list`).",
                    "enum": keys,
                },
            },
            "allOf": branches,
        }),
    );
    json!({
        "$schema": DIALECT,
        "title": "ldic configuration file (any integration)",
        "anyOf": one_or_many("#/$defs/config"),
        "$defs": defs,
    })
}

fn one_or_many(reference: &str) -> Value {
    json!([
        {"$ref": reference},
        {"type": "array", "items": {"$ref": reference}},
    ])
}

fn def_name(key: &str) -> String {
    format!("integration:{key}")
}

/// The schema of one configuration object; definitions it needs are added to `defs`.
fn config_schema(integration: &Integration, defs: &mut Map<String, Value>) -> Value {
    let config_values = match integration.config_values_list() {
        Some(list) => match serde_json::from_str::<Value>(&list.schema_json) {
            Ok(mut schema) => {
                allow_env_references(&mut schema, list);
                embed(schema, &integration.key, defs)
            }
            Err(_) => json!({"type": "object"}),
        },
        None => json!({"type": "object", "maxProperties": 0}),
    };
    let mut properties = json!({
        INTEGRATION_KEY: {"const": integration.key},
        "name": {"type": "string", "minLength": 1},
        "configValues": config_values,
        "enabled": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
        // Its shape is checked by the validation engine (`ldic lint`), not described here.
        "capabilityConfig": {"type": "object"},
    });
    // File-only keys (`ldic::file`): accepted, never sent.
    if let Value::Object(props) = &mut properties {
        for key in ldic::file::FILE_ONLY_KEYS {
            props.insert(
                (*key).to_owned(),
                json!({"type": "string", "description": "file-only: ignored by validation, never sent"}),
            );
        }
    }
    json!({
        "type": "object",
        "title": format!("{} integration configuration", integration.name),
        "required": [INTEGRATION_KEY, "name", "configValues"],
        "properties": properties,
        "patternProperties": {
            format!("^{}", ldic::file::EXTENSION_PREFIX): {
                "description": "file-only extension (a place for YAML anchors): ignored, never sent"
            },
        },
        "additionalProperties": false,
    })
}

/// The schema of an `${env:NAME}` reference (the syntax of `ldic::file::env_ref`).
fn env_reference_schema() -> Value {
    json!({
        "type": "string",
        "pattern": "^\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}$",
        "description": "a value from the environment, resolved when sending",
    })
}

/// Let every string-valued field of a list schema (and every multiselect item) hold an
/// `${env:NAME}` reference instead of a value, as `ldic lint` does.
fn allow_env_references(schema: &mut Value, list: &catalog::FormList) {
    let Some(Value::Object(props)) = schema.get_mut("properties") else {
        return;
    };
    for (key, sub) in props.iter_mut() {
        let Some(field) = list.field(key) else {
            continue;
        };
        if !ldic::file::is_string_valued(field) {
            continue;
        }
        let target = match sub.get_mut("items") {
            Some(items) if field.ty == catalog::FieldType::Multiselect => items,
            _ => sub,
        };
        let original = std::mem::take(target);
        *target = json!({"anyOf": [original, env_reference_schema()]});
    }
}

/// Prepare a list schema to live inside another: drop `$schema`/`$id`, move its `$defs` into
/// `defs` under prefixed names, and rewrite its local references accordingly.
fn embed(mut schema: Value, key: &str, defs: &mut Map<String, Value>) -> Value {
    let prefix = format!("{}:", def_name(key));
    let root_name = format!("{prefix}configValues");
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
        map.remove("$id");
        if let Some(Value::Object(own)) = map.remove("$defs") {
            for (name, mut def) in own {
                rewrite_refs(&mut def, &prefix, &root_name);
                defs.insert(format!("{prefix}{name}"), def);
            }
        }
    }
    rewrite_refs(&mut schema, &prefix, &root_name);
    let self_referenced = schema
        .to_string()
        .contains(&format!("\"#/$defs/{root_name}\""));
    if self_referenced {
        defs.insert(root_name.clone(), schema);
        json!({"$ref": format!("#/$defs/{root_name}")})
    } else {
        schema
    }
}

fn rewrite_refs(v: &mut Value, prefix: &str, root_name: &str) {
    // Iterative walk: schemas may nest deeply.
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "$ref"
                        && let Value::String(r) = child
                    {
                        if r == "#" {
                            *r = format!("#/$defs/{root_name}");
                        } else if let Some(name) = r.strip_prefix("#/$defs/") {
                            *r = format!("#/$defs/{prefix}{name}");
                        }
                    } else {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn embedding_moves_defs_and_rewrites_refs() {
        let list = json!({
            "$schema": DIALECT,
            "type": "object",
            "properties": {"level": {"$ref": "#/$defs/Level"}, "self": {"$ref": "#"}},
            "$defs": {"Level": {"enum": ["a", "b"]}, "Other": {"$ref": "#/$defs/Level"}},
        });
        let mut defs = Map::new();
        let embedded = embed(list, "x", &mut defs);
        assert_eq!(
            embedded,
            json!({"$ref": "#/$defs/integration:x:configValues"})
        );
        let root = &defs["integration:x:configValues"];
        assert!(root.get("$schema").is_none());
        assert_eq!(
            root["properties"]["level"]["$ref"],
            "#/$defs/integration:x:Level"
        );
        assert_eq!(
            defs["integration:x:Other"]["$ref"],
            "#/$defs/integration:x:Level"
        );
        assert_eq!(defs["integration:x:Level"]["enum"][0], "a");
    }

    #[test]
    fn plain_list_schema_is_inlined() {
        let mut defs = Map::new();
        let embedded = embed(json!({"type": "object"}), "x", &mut defs);
        assert_eq!(embedded, json!({"type": "object"}));
        assert!(defs.is_empty());
    }
}
