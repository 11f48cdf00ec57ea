//! The facts ldic keeps about each integration: what `manifests/<key>.json` holds.
//!
//! Facts are what codegen needs and nothing more: keys, labels, types, flags, allowed and default
//! values, dependsOn rules. Never upstream prose (descriptions, overviews), templates or icons.
//! The serialized form is stable (field order is declaration order, empty collections and `false`
//! flags are omitted) so that a rerun of `cargo xtask fetch` is byte-identical and a diff of
//! `manifests/` shows exactly what changed upstream.

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

/// Where in a manifest a list of form variables lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FormListKind {
    /// Top-level `formVariables`.
    FormVariables,
    /// `capabilities.approval.environmentFormVariables`.
    ApprovalEnvironment,
    /// `capabilities.approval.approvalFormVariables`.
    ApprovalForm,
    /// `capabilities.featureStore.formVariables`.
    FeatureStore,
    /// `capabilities.flagCleanup.formVariables`.
    FlagCleanup,
}

impl FormListKind {
    /// All kinds, in the order lists are stored and generated.
    pub const ALL: [FormListKind; 5] = [
        FormListKind::FormVariables,
        FormListKind::ApprovalEnvironment,
        FormListKind::ApprovalForm,
        FormListKind::FeatureStore,
        FormListKind::FlagCleanup,
    ];

    /// JSON pointer of the list inside a manifest.
    pub fn manifest_pointer(self) -> &'static str {
        match self {
            FormListKind::FormVariables => "/formVariables",
            FormListKind::ApprovalEnvironment => "/capabilities/approval/environmentFormVariables",
            FormListKind::ApprovalForm => "/capabilities/approval/approvalFormVariables",
            FormListKind::FeatureStore => "/capabilities/featureStore/formVariables",
            FormListKind::FlagCleanup => "/capabilities/flagCleanup/formVariables",
        }
    }

    /// The name a `dependsOn.variableLocation` uses for this list, where it has one.
    pub fn variable_location(self) -> Option<&'static str> {
        match self {
            FormListKind::FormVariables => Some("formVariables"),
            FormListKind::ApprovalEnvironment => Some("environmentFormVariables"),
            FormListKind::ApprovalForm => Some("approvalFormVariables"),
            FormListKind::FeatureStore | FormListKind::FlagCleanup => None,
        }
    }

    /// Suffix of the generated struct name: `Datadog` + `Config`, `ServicenowNormal` + `EnvironmentConfig`.
    pub fn type_suffix(self) -> &'static str {
        match self {
            FormListKind::FormVariables => "Config",
            FormListKind::ApprovalEnvironment => "EnvironmentConfig",
            FormListKind::ApprovalForm => "ApprovalConfig",
            FormListKind::FeatureStore => "FeatureStoreConfig",
            FormListKind::FlagCleanup => "FlagCleanupConfig",
        }
    }
}

/// One form-variable list of an integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormListFacts {
    pub kind: FormListKind,
    /// The variables in manifest order (the order the UI shows them).
    #[serde(default)]
    pub variables: Vec<FormVariableFacts>,
}

/// The type of a form variable. Unknown future types are kept verbatim, never a parse failure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormVariableType {
    String,
    Uri,
    Boolean,
    Enum,
    DynamicEnum,
    Multiselect,
    EnvironmentSelector,
    Generated,
    Oauth,
    PublicKey,
    /// A type this version of ldic does not know.
    Unknown(String),
}

impl FormVariableType {
    /// The manifest spelling of the type.
    pub fn as_str(&self) -> &str {
        match self {
            FormVariableType::String => "string",
            FormVariableType::Uri => "uri",
            FormVariableType::Boolean => "boolean",
            FormVariableType::Enum => "enum",
            FormVariableType::DynamicEnum => "dynamicEnum",
            FormVariableType::Multiselect => "multiselect",
            FormVariableType::EnvironmentSelector => "environmentSelector",
            FormVariableType::Generated => "generated",
            FormVariableType::Oauth => "oauth",
            FormVariableType::PublicKey => "publicKey",
            FormVariableType::Unknown(other) => other,
        }
    }

    /// Parse the manifest spelling; anything unrecognised becomes [`FormVariableType::Unknown`].
    pub fn parse(s: &str) -> Self {
        match s {
            "string" => FormVariableType::String,
            "uri" => FormVariableType::Uri,
            "boolean" => FormVariableType::Boolean,
            "enum" => FormVariableType::Enum,
            "dynamicEnum" => FormVariableType::DynamicEnum,
            "multiselect" => FormVariableType::Multiselect,
            "environmentSelector" => FormVariableType::EnvironmentSelector,
            "generated" => FormVariableType::Generated,
            "oauth" => FormVariableType::Oauth,
            "publicKey" => FormVariableType::PublicKey,
            other => FormVariableType::Unknown(other.to_owned()),
        }
    }

    /// Types whose value LaunchDarkly sets itself; a user-supplied value is a warning.
    pub fn is_set_by_launchdarkly(&self) -> bool {
        matches!(
            self,
            FormVariableType::Generated | FormVariableType::Oauth | FormVariableType::PublicKey
        )
    }
}

impl Serialize for FormVariableType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FormVariableType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(FormVariableType::parse(&s))
    }
}

/// The facts of one form variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormVariableFacts {
    /// The key used in `configValues`.
    pub key: String,
    /// The manifest's `name`: the form label.
    pub label: String,
    #[serde(rename = "type")]
    pub ty: FormVariableType,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_secret: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_optional: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_hidden: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable_after_saving: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub hide_empty: bool,
    /// `defaultValue` as written upstream (a string or a boolean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// `allowedValues` of an `enum`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// `multiselectOptions` of a `multiselect`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multiselect_options: Vec<MultiselectOption>,
    /// `multiselectDefaultOptions` of a `multiselect`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multiselect_default_options: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependsOn>,
    /// Whether the variable declares `dynamicOptions` (its options come from a third party at run time).
    #[serde(default, skip_serializing_if = "is_false")]
    pub has_dynamic_options: bool,
}

impl FormVariableFacts {
    /// Required: not optional and no default value (docs/design.md, "Form variable types").
    pub fn is_required(&self) -> bool {
        !self.is_optional && self.default_value.is_none()
    }
}

/// One option of a multiselect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MultiselectOption {
    pub value: String,
    pub label: String,
}

/// A `dependsOn` rule: show or hide this field depending on another variable's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DependsOn {
    pub variable_key: String,
    /// `formVariables`, `environmentFormVariables` or `approvalFormVariables`.
    pub variable_location: String,
    pub action: DependsOnAction,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DependsOnAction {
    HideField,
    ShowField,
}

/// A condition on the other variable's value. Conditions of one rule all have to hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    pub operator: ConditionOperator,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConditionOperator {
    LessThan,
    LessThanOrEqualTo,
    GreaterThan,
    GreaterThanOrEqualTo,
    EqualTo,
    NotEqual,
    Contains,
    StartsWith,
    EndsWith,
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
