//! The serde model of an upstream `manifest.json`, limited to what ldic reads.
//!
//! Upstream's schema is large (capabilities, endpoints, templates, icons); ldic only needs the
//! integration's identity, its capability names and every list of form variables. Everything else
//! is tolerated and ignored, so a new upstream property never breaks parsing. A form variable's
//! `type` that this version does not know parses to [`FieldType::Unknown`].
//!
//! Every form-variable property of the upstream schema is modelled, including the prose ones
//! (`description`): the rules may look at them, but [`crate::extract`] never copies them into facts.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

pub use crate::facts::{Condition, ConditionOperator, DependsOnAction, FieldType, FormListKind};

/// One upstream `manifest.json`, as far as ldic reads it. Unknown properties are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The integration's display name.
    pub name: String,
    /// The manifest's version.
    pub version: String,
    /// Top-level `formVariables`.
    #[serde(default)]
    pub form_variables: Option<Vec<FormVariable>>,
    /// The capabilities the integration declares.
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
}

/// The manifest's `capabilities`: the three that carry form variables are typed, the others are
/// kept only by name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// `approval`: the approval environment and form lists.
    #[serde(default)]
    pub approval: Option<ApprovalCapability>,
    /// `featureStore`.
    #[serde(default)]
    pub feature_store: Option<FormVariablesCapability>,
    /// `flagCleanup`.
    #[serde(default)]
    pub flag_cleanup: Option<FormVariablesCapability>,
    /// Every other capability, by name (content not read).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl Capabilities {
    /// The names of all declared capabilities, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.other.keys().cloned().collect();
        if self.approval.is_some() {
            names.push("approval".to_owned());
        }
        if self.feature_store.is_some() {
            names.push("featureStore".to_owned());
        }
        if self.flag_cleanup.is_some() {
            names.push("flagCleanup".to_owned());
        }
        names.sort();
        names
    }
}

/// `capabilities.approval`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalCapability {
    /// `environmentFormVariables`.
    #[serde(default)]
    pub environment_form_variables: Option<Vec<FormVariable>>,
    /// `approvalFormVariables`.
    #[serde(default)]
    pub approval_form_variables: Option<Vec<FormVariable>>,
}

/// A capability whose form variables live in its `formVariables` (featureStore, flagCleanup).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormVariablesCapability {
    /// The capability's `formVariables`.
    #[serde(default)]
    pub form_variables: Option<Vec<FormVariable>>,
}

/// One form variable: every property of the upstream schema's `formVariable` definition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormVariable {
    /// The key in `configValues`.
    pub key: String,
    /// The form label.
    pub name: String,
    /// The variable's type (`type`).
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Upstream prose: read, never written to facts.
    #[serde(default)]
    pub description: Option<String>,
    /// Placeholder text of the form field.
    #[serde(default)]
    pub placeholder: Option<String>,
    /// Whether the value is a secret.
    #[serde(default)]
    pub is_secret: bool,
    /// Whether the field is hidden from the form.
    #[serde(default)]
    pub is_hidden: bool,
    /// Whether a value may be left out.
    #[serde(default)]
    pub is_optional: bool,
    /// A string or a boolean upstream; kept as written.
    #[serde(default)]
    pub default_value: Option<Value>,
    /// The values an `enum` accepts.
    #[serde(default)]
    pub allowed_values: Option<Vec<String>>,
    /// Where a `dynamicEnum` reads its options.
    #[serde(default)]
    pub dynamic_options: Option<DynamicOptions>,
    /// Rules that show or hide the field depending on other variables.
    #[serde(default)]
    pub depends_on: Option<Vec<DependsOn>>,
    /// The options of a `multiselect`.
    #[serde(default)]
    pub multiselect_options: Option<Vec<MultiselectOption>>,
    /// The options selected by default.
    #[serde(default)]
    pub multiselect_default_options: Option<Vec<String>>,
    /// Whether the field can no longer be edited once saved.
    #[serde(default)]
    pub disable_after_saving: bool,
    /// Whether the field is hidden while empty.
    #[serde(default)]
    pub hide_empty: bool,
}

/// `dynamicOptions`: where a `dynamicEnum` gets its options. The endpoint is kept as raw JSON
/// (ldic only checks its templates); the parser says where options are in the response.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicOptions {
    /// The request that returns the options, as raw JSON.
    #[serde(default)]
    pub endpoint: Value,
    /// Where the options are in the answer, as raw JSON.
    #[serde(default)]
    pub parser: Value,
}

/// A `dependsOn` rule of a form variable.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DependsOn {
    /// The other variable's key.
    pub variable_key: String,
    /// The list the other variable is in (`formVariables`, ...).
    pub variable_location: String,
    /// Show or hide.
    pub action: DependsOnAction,
    /// All must hold for the action to apply.
    pub conditions: Vec<Condition>,
}

/// One option of a `multiselect`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiselectOption {
    /// The option's value.
    pub value: String,
    /// The option's label.
    pub label: String,
}

impl Manifest {
    /// Every form-variable list the manifest declares, in [`FormListKind::ALL`] order.
    pub fn form_lists(&self) -> Vec<(FormListKind, &[FormVariable])> {
        let caps = self.capabilities.as_ref();
        let approval = caps.and_then(|c| c.approval.as_ref());
        let candidates: [(FormListKind, Option<&Vec<FormVariable>>); 5] = [
            (FormListKind::FormVariables, self.form_variables.as_ref()),
            (
                FormListKind::ApprovalEnvironment,
                approval.and_then(|a| a.environment_form_variables.as_ref()),
            ),
            (
                FormListKind::ApprovalForm,
                approval.and_then(|a| a.approval_form_variables.as_ref()),
            ),
            (
                FormListKind::FeatureStore,
                caps.and_then(|c| c.feature_store.as_ref())
                    .and_then(|f| f.form_variables.as_ref()),
            ),
            (
                FormListKind::FlagCleanup,
                caps.and_then(|c| c.flag_cleanup.as_ref())
                    .and_then(|f| f.form_variables.as_ref()),
            ),
        ];
        candidates
            .into_iter()
            .filter_map(|(kind, list)| list.map(|l| (kind, l.as_slice())))
            .collect()
    }

    /// The form-variable list of `kind`, if declared.
    pub fn form_list(&self, kind: FormListKind) -> Option<&[FormVariable]> {
        self.form_lists()
            .into_iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_type_and_unknown_properties_parse() {
        let m: Manifest = serde_json::from_str(
            r#"{"name":"Example","version":"1.0.0","futureTopLevel":{"x":1},
                "formVariables":[{"key":"k","name":"K","type":"quantumString","description":"d"}],
                "capabilities":{"futureCap":{},"flagCleanup":{"formVariables":[]}}}"#,
        )
        .unwrap();
        let fv = &m.form_variables.as_ref().unwrap()[0];
        assert_eq!(fv.ty, FieldType::Unknown("quantumString".into()));
        let caps = m.capabilities.as_ref().unwrap();
        assert_eq!(caps.names(), vec!["flagCleanup", "futureCap"]);
        let kinds: Vec<_> = m.form_lists().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            kinds,
            vec![FormListKind::FormVariables, FormListKind::FlagCleanup]
        );
    }
}
