//! The vocabulary of the generated catalog.
//!
//! `ldic-catalog` is generated code; the types that code is written in live here, by hand, so
//! that generated and hand-written code never share a file and so that the validator and the
//! client can be written (and tested) against the catalog's shape without the generated data.
//!
//! Everything is `'static` data: the catalog is a set of `static` items built at compile time.

#![forbid(unsafe_code)]

mod secret;
pub mod serde_support;
mod uri;

pub use secret::Secret;
pub use uri::{InvalidUri, Uri};

use std::fmt;

/// Where in a manifest a list of form variables lives (mirrors `ldic_manifest::facts::FormListKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormListKind {
    /// Top-level `formVariables`: the `configValues` of an integration configuration.
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
    /// The manifest location, as a `dependsOn.variableLocation` or capability path names it.
    pub fn as_str(self) -> &'static str {
        match self {
            FormListKind::FormVariables => "formVariables",
            FormListKind::ApprovalEnvironment => "environmentFormVariables",
            FormListKind::ApprovalForm => "approvalFormVariables",
            FormListKind::FeatureStore => "featureStore.formVariables",
            FormListKind::FlagCleanup => "flagCleanup.formVariables",
        }
    }
}

impl fmt::Display for FormListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a form variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
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
    /// A type unknown to the generator; the value is accepted as any JSON value.
    Unknown(&'static str),
}

impl FieldType {
    /// The manifest spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Uri => "uri",
            FieldType::Boolean => "boolean",
            FieldType::Enum => "enum",
            FieldType::DynamicEnum => "dynamicEnum",
            FieldType::Multiselect => "multiselect",
            FieldType::EnvironmentSelector => "environmentSelector",
            FieldType::Generated => "generated",
            FieldType::Oauth => "oauth",
            FieldType::PublicKey => "publicKey",
            FieldType::Unknown(s) => s,
        }
    }

    /// Types whose value LaunchDarkly sets itself; a user-supplied value is a warning.
    pub fn is_set_by_launchdarkly(self) -> bool {
        matches!(
            self,
            FieldType::Generated | FieldType::Oauth | FieldType::PublicKey
        )
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Metadata of one field (form variable) of a generated config struct.
#[derive(Debug, Clone, Copy)]
pub struct FieldMeta {
    /// The key in `configValues` (exact manifest spelling).
    pub key: &'static str,
    /// The Rust field name in the generated struct.
    pub rust_name: &'static str,
    /// The form label (the manifest's `name`).
    pub label: &'static str,
    pub ty: FieldType,
    pub is_secret: bool,
    pub is_optional: bool,
    pub is_hidden: bool,
    /// Required: not optional and no default. A field hidden by a `dependsOn` rule is not required.
    /// Precisely (ldic-codegen's `plan::is_required`, the same rule as the schema's `required`):
    /// not `isOptional`, no `defaultValue` (or multiselect default options), not `isHidden`, no
    /// `dependsOn` rule, and not set by LaunchDarkly (`generated`, `oauth`, `publicKey`).
    pub required: bool,
    /// The default value as JSON text (`"\"https://api.datadoghq.com\""`, `"false"`), if any.
    pub default_json: Option<&'static str>,
    /// Allowed values: `allowedValues` of an enum, option values of a multiselect.
    pub allowed_values: &'static [&'static str],
    /// Labels of multiselect options, parallel to `allowed_values` (empty otherwise).
    pub option_labels: &'static [&'static str],
    pub placeholder: Option<&'static str>,
    pub depends_on: &'static [DependsOn],
}

impl FieldMeta {
    /// The default value parsed, if any.
    pub fn default_value(&self) -> Option<serde_json::Value> {
        self.default_json
            .and_then(|json| serde_json::from_str(json).ok())
    }
}

/// A `dependsOn` rule: whether this field is shown depends on another variable's value.
#[derive(Debug, Clone, Copy)]
pub struct DependsOn {
    /// The other variable's key.
    pub variable_key: &'static str,
    /// The list the other variable lives in.
    pub variable_list: FormListKind,
    pub action: DependsOnAction,
    /// All conditions must hold for the action to apply.
    pub conditions: &'static [Condition],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependsOnAction {
    HideField,
    ShowField,
}

#[derive(Debug, Clone, Copy)]
pub struct Condition {
    pub operator: ConditionOperator,
    pub value: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// One form-variable list of one integration, and the generated struct for it.
#[derive(Debug)]
pub struct FormList {
    pub integration_key: &'static str,
    pub kind: FormListKind,
    /// Name of the generated struct, e.g. `DatadogConfig`.
    pub type_name: &'static str,
    /// Fields in manifest order.
    pub fields: &'static [FieldMeta],
    /// The JSON Schema (draft 2020-12) of the list, as JSON text.
    pub schema_json: &'static str,
}

impl FormList {
    /// The field with this exact key.
    pub fn field(&self, key: &str) -> Option<&'static FieldMeta> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// One integration of the catalog.
#[derive(Debug)]
pub struct Integration {
    /// The integration key (`datadog`, `roost.ai`).
    pub key: &'static str,
    /// The manifest's product name.
    pub name: &'static str,
    /// The manifest's version.
    pub version: &'static str,
    /// Link to the upstream manifest at the pinned commit; empty when the catalog was generated
    /// from facts the LaunchDarkly API served (no public manifest to link to).
    pub manifest_url: &'static str,
    /// Capability names the manifest declares, sorted.
    pub capabilities: &'static [&'static str],
    /// Form-variable lists in [`FormListKind`] order.
    pub lists: &'static [&'static FormList],
}

impl Integration {
    /// The list of this kind, if the manifest declares it.
    pub fn list(&self, kind: FormListKind) -> Option<&'static FormList> {
        self.lists.iter().copied().find(|l| l.kind == kind)
    }

    /// Whether the manifest declares this capability.
    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities.contains(&name)
    }

    /// The list that `configValues` of an integration configuration is checked against.
    ///
    /// The top-level `formVariables` when the manifest declares them; otherwise the one
    /// capability list that configures the integration (approval environment variables,
    /// feature store, flag cleanup), in [`FormListKind`] order. `None` when the integration
    /// has no form variables at all: `configValues` must then be empty.
    pub fn config_values_list(&self) -> Option<&'static FormList> {
        self.list(FormListKind::FormVariables).or_else(|| {
            self.lists
                .iter()
                .copied()
                .find(|l| l.kind != FormListKind::ApprovalForm)
        })
    }
}

/// Implemented by every generated config struct.
pub trait IntegrationConfig:
    serde::Serialize + serde::de::DeserializeOwned + fmt::Debug + Clone + PartialEq
{
    /// The integration key this struct configures.
    const INTEGRATION_KEY: &'static str;
    /// Which form-variable list of the manifest this struct is.
    const LIST: FormListKind;

    /// The list's metadata: fields and JSON Schema.
    fn form_list() -> &'static FormList;

    /// The integration this struct belongs to.
    fn integration() -> &'static Integration;

    /// The JSON Schema (draft 2020-12) of the list, as JSON text.
    fn json_schema() -> &'static str {
        Self::form_list().schema_json
    }

    /// Field metadata in manifest order.
    fn fields() -> &'static [FieldMeta] {
        Self::form_list().fields
    }
}

/// Calls [`ConfigTypeVisitor::visit`] once per generated config struct (see
/// `ldic_catalog::visit_config_types`): generic code over every struct of the catalog, such as
/// the property test proving each struct and its JSON Schema agree.
pub trait ConfigTypeVisitor {
    fn visit<T: IntegrationConfig>(&mut self);
}

/// A string that is not one of a generated enum's values (the `FromStr` error of generated enums).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumValue {
    /// The generated enum's name.
    pub type_name: &'static str,
    /// The rejected text.
    pub value: String,
    /// The values the enum accepts.
    pub allowed: &'static [&'static str],
}

impl fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a {}; expected one of: ",
            self.value, self.type_name
        )?;
        for (idx, allowed) in self.allowed.iter().enumerate() {
            if idx > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{allowed:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownEnumValue {}
