//! What the server shows of the catalog: every read of `Integration` and `FieldMeta` is here,
//! so a change of the catalog types touches this file only.
//!
//! A secret field's hover shows its flags, never a value (not even the manifest's default).

use crate::active_catalog::active;
use ldic::catalog::{FieldMeta, FieldType, Integration};

/// One completion candidate: what is inserted, and what the editor shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub detail: String,
}

/// The integration with this key, in the catalog in use (`--catalog`, `LDIC_CATALOG_DIR`, or
/// the built-in one).
pub fn integration(key: &str) -> Option<&'static Integration> {
    active().get(key)
}

/// The `configValues` field `field` of integration `key`.
fn field(key: &str, field: &str) -> Option<&'static FieldMeta> {
    integration(key)?.config_values_list()?.field(field)
}

/// Hover text of an `integrationKey` value.
pub fn integration_markdown(key: &str) -> Option<String> {
    let i = integration(key)?;
    let fields = i.config_values_list().map_or(0, |l| l.fields.len());
    Some(format!(
        "**{}** (`{}`), manifest version {}\n\n{} configuration field{}; capabilities: {}",
        i.name,
        i.key,
        i.version,
        fields,
        if fields == 1 { "" } else { "s" },
        if i.capabilities.is_empty() {
            "none".to_owned()
        } else {
            i.capabilities.join(", ")
        }
    ))
}

/// Hover text of a `configValues` key: label, type, flags, default and allowed values.
pub fn field_markdown(integration_key: &str, key: &str) -> Option<String> {
    let f = field(integration_key, key)?;
    let mut flags = vec![format!("type `{}`", f.ty)];
    flags.push(if f.required { "required" } else { "optional" }.to_owned());
    if f.is_secret {
        flags.push("secret (use an `${env:NAME}` reference)".to_owned());
    }
    if f.is_hidden {
        flags.push("hidden".to_owned());
    }
    if f.ty.is_set_by_launchdarkly() {
        flags.push("set by LaunchDarkly".to_owned());
    }
    let mut out = format!("**{}** (`{}`)\n\n{}", f.label, f.key, flags.join(" · "));
    if let Some(default) = f.default_json.as_ref().filter(|_| !f.is_secret) {
        out.push_str(&format!("\n\ndefault: `{default}`"));
    }
    if !f.allowed_values.is_empty() {
        let values: Vec<String> = f.allowed_values.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&format!("\n\nallowed values: {}", values.join(", ")));
    }
    Some(out)
}

/// Every integration key, with its name.
pub fn integration_choices() -> Vec<Choice> {
    active()
        .iter()
        .map(|i| Choice {
            value: i.key.to_string(),
            detail: i.name.to_string(),
        })
        .collect()
}

/// The members of a configuration object: `integrationKey` and the request body's.
pub fn configuration_choices() -> Vec<Choice> {
    std::iter::once((crate::config::INTEGRATION_KEY, "which integration"))
        .chain(ldic::BODY_FIELDS.iter().map(|f| (*f, "request body")))
        .map(|(value, detail)| Choice {
            value: value.to_owned(),
            detail: detail.to_owned(),
        })
        .collect()
}

/// The `configValues` keys of integration `key`, with label, type and required flag.
pub fn field_choices(key: &str) -> Vec<Choice> {
    let Some(list) = integration(key).and_then(Integration::config_values_list) else {
        return Vec::new();
    };
    list.fields
        .iter()
        .filter(|f| !f.ty.is_set_by_launchdarkly())
        .map(|f| Choice {
            value: f.key.to_string(),
            detail: format!(
                "{} ({}{}{})",
                f.label,
                f.ty,
                if f.required { ", required" } else { "" },
                if f.is_secret { ", secret" } else { "" }
            ),
        })
        .collect()
}

/// The values field `field` of integration `key` takes from a fixed set: an enum's allowed
/// values, a multiselect's options (with their labels), a boolean's two. Empty for a secret.
pub fn value_choices(key: &str, field_key: &str) -> (Vec<Choice>, bool) {
    let Some(f) = field(key, field_key).filter(|f| !f.is_secret) else {
        return (Vec::new(), false);
    };
    let multiselect = f.ty == FieldType::Multiselect;
    let choices = match f.ty {
        FieldType::Boolean => ["true", "false"]
            .iter()
            .map(|v| Choice {
                value: (*v).to_owned(),
                detail: "boolean".to_owned(),
            })
            .collect(),
        _ => f
            .allowed_values
            .iter()
            .enumerate()
            .map(|(i, v)| Choice {
                value: v.to_string(),
                detail: f
                    .option_labels
                    .get(i)
                    .map_or_else(|| f.label.to_string(), ToString::to_string),
            })
            .collect(),
    };
    (choices, multiselect)
}

/// Whether field `field` of integration `key` is a boolean (its values are not quoted).
pub fn is_boolean(key: &str, field_key: &str) -> bool {
    field(key, field_key).is_some_and(|f| f.ty == FieldType::Boolean)
}
