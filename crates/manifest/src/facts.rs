//! The facts ldic keeps about each integration: what `manifests/<key>.json` holds.
//!
//! Facts are what codegen needs and nothing more: keys, labels, types, flags, allowed and default
//! values, dependsOn rules. Never upstream prose (descriptions, overviews), templates or icons.
//! The serialized form is stable (field order is declaration order, empty collections and `false`
//! flags are omitted) so that a rerun of `cargo xtask fetch` is byte-identical and a diff of
//! `manifests/` shows exactly what changed upstream.

use ldic_catalog_core::RequiredFlags;
pub use ldic_catalog_core::{ConditionOperator, DependsOnAction, FieldType, FormListKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Version of the facts file format. Bump when the shape changes incompatibly.
pub const FACTS_FORMAT_VERSION: u32 = 1;

/// Everything ldic records about one integration (one `manifests/<key>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntegrationFacts {
    /// Facts format version, [`FACTS_FORMAT_VERSION`].
    pub format: u32,
    /// The integration key: the directory name under `integrations/` upstream, and the
    /// `{integrationKey}` of the REST API.
    pub key: String,
    /// The manifest's `name` (a product name, e.g. "Datadog Events").
    pub name: String,
    /// The manifest's `version`.
    pub version: String,
    /// Path of the manifest inside the upstream repository, e.g. `integrations/datadog/manifest.json`.
    pub manifest_path: String,
    /// Names of the capabilities the manifest declares (keys of `capabilities`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
    /// Every form-variable list of the manifest, in [`FormListKind`] order.
    /// Lists the manifest does not declare are absent; a declared empty list is present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_lists: Vec<FormListFacts>,
}

impl IntegrationFacts {
    /// An integration with only a key, a name and a version: its manifest at the upstream path
    /// `integrations/<key>/manifest.json`, no capabilities, no form-variable list (the other
    /// facts are public fields to set afterwards).
    pub fn new(
        key: impl Into<String>,
        name: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        let key = key.into();
        IntegrationFacts {
            format: FACTS_FORMAT_VERSION,
            manifest_path: format!("integrations/{key}/manifest.json"),
            key,
            name: name.into(),
            version: version.into(),
            capabilities: Vec::new(),
            form_lists: Vec::new(),
        }
    }
}

/// One form-variable list of an integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormListFacts {
    /// Where in the manifest the list is.
    pub kind: FormListKind,
    /// The variables in manifest order (the order the UI shows them).
    #[serde(default)]
    pub variables: Vec<FormVariableFacts>,
}

/// The facts of one form variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormVariableFacts {
    /// The key used in `configValues`.
    pub key: String,
    /// The manifest's `name`: the form label.
    pub label: String,
    /// The variable's type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// `isSecret`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_secret: bool,
    /// `isOptional`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_optional: bool,
    /// `isHidden`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_hidden: bool,
    /// `disableAfterSaving`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable_after_saving: bool,
    /// `hideEmpty`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hide_empty: bool,
    /// `defaultValue` as written upstream (a string or a boolean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// `allowedValues` of an `enum`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
    /// `placeholder`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// `multiselectOptions` of a `multiselect`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multiselect_options: Vec<MultiselectOption>,
    /// `multiselectDefaultOptions` of a `multiselect`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multiselect_default_options: Vec<String>,
    /// `dependsOn` rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependsOn>,
    /// Whether the variable declares `dynamicOptions` (its options come from a third party at run time).
    #[serde(default, skip_serializing_if = "is_false")]
    pub has_dynamic_options: bool,
}

impl FormVariableFacts {
    /// A variable with only a key, a label and a type: required (not optional, no default),
    /// visible, not secret, no allowed values, options or `dependsOn` rules. The other facts
    /// are public fields to set afterwards.
    pub fn new(key: impl Into<String>, label: impl Into<String>, ty: FieldType) -> Self {
        FormVariableFacts {
            key: key.into(),
            label: label.into(),
            ty,
            is_secret: false,
            is_optional: false,
            is_hidden: false,
            disable_after_saving: false,
            hide_empty: false,
            default_value: None,
            allowed_values: Vec::new(),
            placeholder: None,
            multiselect_options: Vec::new(),
            multiselect_default_options: Vec::new(),
            depends_on: Vec::new(),
            has_dynamic_options: false,
        }
    }

    /// `defaultValue`, or for a multiselect its `multiselectDefaultOptions` as an array: the
    /// value that applies when the variable is absent.
    pub fn effective_default(&self) -> Option<Value> {
        if let Some(value) = &self.default_value {
            return Some(value.clone());
        }
        if self.ty == FieldType::Multiselect && !self.multiselect_default_options.is_empty() {
            return Some(Value::Array(
                self.multiselect_default_options
                    .iter()
                    .cloned()
                    .map(Value::String)
                    .collect(),
            ));
        }
        None
    }

    /// The flags [`ldic_catalog_core::required`] decides on.
    pub fn required_flags(&self) -> RequiredFlags {
        RequiredFlags {
            is_optional: self.is_optional,
            has_default: self.effective_default().is_some(),
            is_hidden: self.is_hidden,
            has_depends_on: !self.depends_on.is_empty(),
            set_by_launchdarkly: self.ty.is_set_by_launchdarkly(),
        }
    }

    /// Must be present in every document ([`ldic_catalog_core::is_required`]): the generated
    /// schema's `required` and a non-`Option` field of the generated struct.
    pub fn is_required(&self) -> bool {
        ldic_catalog_core::is_required(self.required_flags())
    }

    /// Must be present whenever shown ([`ldic_catalog_core::is_required_when_shown`]).
    pub fn is_required_when_shown(&self) -> bool {
        ldic_catalog_core::is_required_when_shown(self.required_flags())
    }
}

/// One option of a multiselect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MultiselectOption {
    /// The option's value.
    pub value: String,
    /// The option's label.
    pub label: String,
}

/// A `dependsOn` rule: show or hide this field depending on another variable's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DependsOn {
    /// The other variable's key.
    pub variable_key: String,
    /// `formVariables`, `environmentFormVariables` or `approvalFormVariables`.
    pub variable_location: String,
    /// Show or hide.
    pub action: DependsOnAction,
    /// All must hold for the action to apply.
    pub conditions: Vec<Condition>,
}

/// A condition on the other variable's value. Conditions of one rule all have to hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// How the other variable's value is compared.
    pub operator: ConditionOperator,
    /// The value compared with.
    pub value: String,
}

/// `manifests/upstream.lock`: where the facts came from.
///
/// Two kinds of source: the upstream git repository (`commit` and `commitDate` set; a
/// plain-directory snapshot adds `contentHash`), or the LaunchDarkly API (`source` is
/// [`UpstreamLock::API_SOURCE`], with `baseUrl`, `fetchedAt` and `contentHash` instead of a commit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpstreamLock {
    /// The source as given to `cargo xtask fetch` (a git URL, by default the GitHub repository),
    /// or `api`.
    pub source: String,
    /// The upstream commit id the facts were extracted from (empty for the API).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commit: String,
    /// The commit date (RFC 3339 date or date-time; empty for the API).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commit_date: String,
    /// For the API: the base URL read from (never with credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// For the API: when the manifests were read (RFC 3339 date-time, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
    /// `sha256:<hex>`: for a plain-directory source, of the files read; for the API, of the
    /// facts written ([`crate::api::facts_content_hash`]). Keeps the lock checkable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
}

impl UpstreamLock {
    /// The repository ldic fetches from by default.
    pub const DEFAULT_SOURCE: &'static str =
        "https://github.com/launchdarkly/integration-framework";

    /// The `source` of facts read from the LaunchDarkly API.
    pub const API_SOURCE: &'static str = "api";

    /// The lock of facts read from the git repository `source` at `commit`, committed on
    /// `commit_date`, with no content hash.
    pub fn from_git(source: &str, commit: String, commit_date: String) -> Self {
        UpstreamLock {
            source: source.to_owned(),
            commit,
            commit_date,
            base_url: None,
            fetched_at: None,
            content_hash: None,
        }
    }

    /// The lock of `facts` read from the LaunchDarkly API at `base_url` (never with credentials;
    /// a trailing `/` is dropped) at `fetched_at` (RFC 3339, UTC), with their content hash.
    pub fn from_api(base_url: &str, fetched_at: String, facts: &[IntegrationFacts]) -> Self {
        UpstreamLock {
            source: Self::API_SOURCE.to_owned(),
            commit: String::new(),
            commit_date: String::new(),
            base_url: Some(base_url.trim_end_matches('/').to_owned()),
            fetched_at: Some(fetched_at),
            content_hash: Some(crate::api::facts_content_hash(facts)),
        }
    }

    /// Whether the facts came from the LaunchDarkly API (no commit, no public manifest to link).
    pub fn is_api(&self) -> bool {
        self.source == Self::API_SOURCE
    }

    /// Link to a file of the upstream repository at the pinned commit.
    pub fn blob_url(&self, path: &str) -> String {
        format!("{}/blob/{}/{}", Self::DEFAULT_SOURCE, self.commit, path)
    }

    /// Link to an integration's manifest at the pinned commit; `None` for API-sourced facts,
    /// whose manifests may not be public (or not be in the repository at all).
    pub fn manifest_url(&self, path: &str) -> Option<String> {
        (!self.is_api()).then(|| self.blob_url(path))
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn types_read_and_write_their_manifest_spelling_and_keep_unknown_ones() {
        for known in FieldType::KNOWN {
            let json = serde_json::to_string(&known).unwrap();
            assert_eq!(serde_json::from_str::<FieldType>(&json).unwrap(), known);
        }
        let unknown: FieldType = serde_json::from_str("\"colorPicker\"").unwrap();
        assert_eq!(unknown, FieldType::Unknown("colorPicker".into()));
        assert!(!unknown.is_set_by_launchdarkly());
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"colorPicker\"");
    }
}
