//! Turn a parsed [`Manifest`] into the [`IntegrationFacts`] stored in `manifests/`.
//!
//! Extraction copies facts only: keys, labels, types, flags, allowed and default values,
//! placeholders, multiselect options, dependsOn rules and whether dynamic options exist.
//! Upstream prose (`description`, overviews), endpoints, templates and icons are never copied.
//! It runs after [`crate::rules`] accepted the manifest, and cannot fail.

use crate::facts::{
    self, FACTS_FORMAT_VERSION, FormListFacts, FormVariableFacts, IntegrationFacts,
};
use crate::model::{FormVariable, Manifest};

/// Extract the facts of integration `key`, whose manifest lives at `manifest_path` upstream
/// (e.g. `integrations/datadog/manifest.json`).
pub fn extract(key: &str, manifest_path: &str, manifest: &Manifest) -> IntegrationFacts {
    IntegrationFacts {
        format: FACTS_FORMAT_VERSION,
        key: key.to_owned(),
        name: manifest.name.clone(),
        version: manifest.version.clone(),
        manifest_path: manifest_path.to_owned(),
        capabilities: manifest
            .capabilities
            .as_ref()
            .map(|c| c.names())
            .unwrap_or_default(),
        form_lists: manifest
            .form_lists()
            .into_iter()
            .map(|(kind, vars)| FormListFacts {
                kind,
                variables: vars.iter().map(variable_facts).collect(),
            })
            .collect(),
    }
}

fn variable_facts(v: &FormVariable) -> FormVariableFacts {
    FormVariableFacts {
        key: v.key.clone(),
        label: v.name.clone(),
        ty: v.ty.clone(),
        is_secret: v.is_secret,
        is_optional: v.is_optional,
        is_hidden: v.is_hidden,
        disable_after_saving: v.disable_after_saving,
        hide_empty: v.hide_empty,
        default_value: v.default_value.clone(),
        allowed_values: v.allowed_values.clone().unwrap_or_default(),
        placeholder: v.placeholder.clone(),
        multiselect_options: v
            .multiselect_options
            .iter()
            .flatten()
            .map(|o| facts::MultiselectOption {
                value: o.value.clone(),
                label: o.label.clone(),
            })
            .collect(),
        multiselect_default_options: v.multiselect_default_options.clone().unwrap_or_default(),
        depends_on: v
            .depends_on
            .iter()
            .flatten()
            .map(|d| facts::DependsOn {
                variable_key: d.variable_key.clone(),
                variable_location: d.variable_location.clone(),
                action: d.action,
                conditions: d.conditions.clone(),
            })
            .collect(),
        has_dynamic_options: v.dynamic_options.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{FieldType, FormListKind};

    #[test]
    fn extracts_facts_without_prose() {
        let m: Manifest = serde_json::from_str(
            r#"{"name":"Example Hook","version":"2.1.0","description":"PROSE-MARKER",
                "formVariables":[
                  {"key":"apiKey","name":"API key","type":"string","isSecret":true,"description":"PROSE-MARKER"},
                  {"key":"region","name":"Region","type":"enum","allowedValues":["eu","us"],
                   "defaultValue":"us","isOptional":true,"description":"PROSE-MARKER"}],
                "capabilities":{"auditLogEventsHook":{"endpoint":{"url":"{{apiKey}}","method":"POST"}},
                  "approval":{"environmentFormVariables":[]}}}"#,
        )
        .unwrap();
        let f = extract("example", "integrations/example/manifest.json", &m);
        assert_eq!(f.capabilities, vec!["approval", "auditLogEventsHook"]);
        assert_eq!(f.form_lists.len(), 2);
        assert_eq!(f.form_lists[1].kind, FormListKind::ApprovalEnvironment);
        assert!(f.form_lists[1].variables.is_empty());
        let vars = &f.form_lists[0].variables;
        assert!(vars[0].is_secret && vars[0].is_required());
        assert_eq!(vars[1].ty, FieldType::Enum);
        assert_eq!(vars[1].allowed_values, vec!["eu", "us"]);
        assert!(!vars[1].is_required());
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains("PROSE-MARKER"), "{json}");
    }
}
