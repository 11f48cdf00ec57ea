//! The vocabulary of the generated catalog.
//!
//! `ldic-catalog` is generated code; the types that code is written in live here, by hand, so
//! that generated and hand-written code never share a file and so that the validator and the
//! client can be written (and tested) against the catalog's shape without the generated data.
//!
//! The same types hold a catalog built into the binary and one loaded at run time: text and
//! lists are `Cow<'static, _>` (generated statics borrow, a loaded catalog owns), an
//! integration's lists are [`FormLists::Static`] or [`FormLists::Owned`], and the state a
//! validator compiles for a list lives in the list itself ([`CompiledSlot`]), so it is freed with
//! the list: reloading a catalog in a long-running process does not grow it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod json_type;
pub mod pointer;
pub mod required;
mod secret;
pub mod serde_support;
mod severity;
mod slot;
mod unknown_fields;
mod uri;

pub use json_type::JsonType;
pub use required::{RequiredFlags, is_required, is_required_when_shown};
pub use secret::Secret;
pub use severity::Severity;
pub use slot::CompiledSlot;
pub use unknown_fields::UnknownFields;
pub use uri::{InvalidUri, Uri};

use std::borrow::Cow;
use std::fmt;

/// Where in a manifest a list of form variables lives. Serialized (in `manifests/` facts) as
/// the camelCase variant name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
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

/// Everything ldic spells per list kind, in one table: (kind, `as_str`, manifest pointer,
/// `dependsOn.variableLocation`, struct-name suffix, Rust variant, static name, schema-file suffix).
type KindRow = (
    FormListKind,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const KIND_TABLE: [KindRow; 5] = [
    (
        FormListKind::FormVariables,
        "formVariables",
        "/formVariables",
        Some("formVariables"),
        "Config",
        "FormVariables",
        "FORM_VARIABLES",
        "",
    ),
    (
        FormListKind::ApprovalEnvironment,
        "environmentFormVariables",
        "/capabilities/approval/environmentFormVariables",
        Some("environmentFormVariables"),
        "EnvironmentConfig",
        "ApprovalEnvironment",
        "APPROVAL_ENVIRONMENT",
        ".environment",
    ),
    (
        FormListKind::ApprovalForm,
        "approvalFormVariables",
        "/capabilities/approval/approvalFormVariables",
        Some("approvalFormVariables"),
        "ApprovalConfig",
        "ApprovalForm",
        "APPROVAL_FORM",
        ".approval",
    ),
    (
        FormListKind::FeatureStore,
        "featureStore.formVariables",
        "/capabilities/featureStore/formVariables",
        None,
        "FeatureStoreConfig",
        "FeatureStore",
        "FEATURE_STORE",
        ".feature-store",
    ),
    (
        FormListKind::FlagCleanup,
        "flagCleanup.formVariables",
        "/capabilities/flagCleanup/formVariables",
        None,
        "FlagCleanupConfig",
        "FlagCleanup",
        "FLAG_CLEANUP",
        ".flag-cleanup",
    ),
];

impl FormListKind {
    /// All kinds, in the order lists are stored and generated.
    pub const ALL: [FormListKind; 5] = [
        FormListKind::FormVariables,
        FormListKind::ApprovalEnvironment,
        FormListKind::ApprovalForm,
        FormListKind::FeatureStore,
        FormListKind::FlagCleanup,
    ];

    fn row(self) -> &'static KindRow {
        &KIND_TABLE[self as usize]
    }

    /// The manifest location, as a `dependsOn.variableLocation` or capability path names it.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }

    /// JSON pointer of the list inside a manifest.
    pub fn manifest_pointer(self) -> &'static str {
        self.row().2
    }

    /// The name a `dependsOn.variableLocation` uses for this list, where it has one.
    pub fn variable_location(self) -> Option<&'static str> {
        self.row().3
    }

    /// The kind a `dependsOn.variableLocation` names.
    pub fn from_variable_location(location: &str) -> Option<FormListKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.variable_location() == Some(location))
    }

    /// Suffix of the generated struct name: `Datadog` + `Config`, `ServicenowNormal` + `EnvironmentConfig`.
    pub fn type_suffix(self) -> &'static str {
        self.row().4
    }

    /// The Rust variant name (what generated code writes after `FormListKind::`).
    pub fn variant_name(self) -> &'static str {
        self.row().5
    }

    /// The name of the generated `FormList` static of this kind.
    pub fn static_name(self) -> &'static str {
        self.row().6
    }

    /// What the schema file name of this kind adds after the integration key.
    pub fn schema_file_suffix(self) -> &'static str {
        self.row().7
    }
}

impl fmt::Display for FormListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a form variable: the one spelling of types in ldic (facts, generated metadata,
/// run-time catalogs). A type this version does not know is kept verbatim in
/// [`FieldType::Unknown`], never a parse failure. Serialized as the manifest spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldType {
    /// `string`: text (a secret when `isSecret`).
    String,
    /// `uri`: an absolute URI.
    Uri,
    /// `boolean`.
    Boolean,
    /// `enum`: one of `allowedValues`.
    Enum,
    /// `dynamicEnum`: text whose options LaunchDarkly reads from an endpoint.
    DynamicEnum,
    /// `multiselect`: a list of distinct option values.
    Multiselect,
    /// `environmentSelector`: an environment chosen in the UI (any JSON value).
    EnvironmentSelector,
    /// `generated`: a value LaunchDarkly generates.
    Generated,
    /// `oauth`: set by LaunchDarkly's OAuth flow.
    Oauth,
    /// `publicKey`: a key LaunchDarkly provides.
    PublicKey,
    /// A type unknown to this version; the value is accepted as any JSON value.
    Unknown(Cow<'static, str>),
}

impl FieldType {
    /// Every type ldic knows, in manifest order of the design notes.
    pub const KNOWN: [FieldType; 10] = [
        FieldType::String,
        FieldType::Uri,
        FieldType::Boolean,
        FieldType::Enum,
        FieldType::DynamicEnum,
        FieldType::Multiselect,
        FieldType::EnvironmentSelector,
        FieldType::Generated,
        FieldType::Oauth,
        FieldType::PublicKey,
    ];

    /// The known type with this manifest spelling (`None` for a type ldic does not know).
    pub fn parse_known(spelling: &str) -> Option<FieldType> {
        Self::KNOWN.into_iter().find(|t| t.as_str() == spelling)
    }

    /// The type with this manifest spelling; anything unrecognised is [`FieldType::Unknown`].
    pub fn parse(spelling: &str) -> FieldType {
        Self::parse_known(spelling)
            .unwrap_or_else(|| FieldType::Unknown(Cow::Owned(spelling.to_owned())))
    }

    /// The manifest spelling.
    pub fn as_str(&self) -> &str {
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
            FieldType::Unknown(s) => s.as_ref(),
        }
    }

    /// Types whose value LaunchDarkly sets itself; a user-supplied value is a warning.
    pub fn is_set_by_launchdarkly(&self) -> bool {
        matches!(
            self,
            FieldType::Generated | FieldType::Oauth | FieldType::PublicKey
        )
    }
}

impl serde::Serialize for FieldType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for FieldType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        Ok(FieldType::parse(&s))
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Metadata of one field (form variable) of a list.
#[derive(Debug, Clone)]
pub struct FieldMeta {
    /// The key in `configValues` (exact manifest spelling).
    pub key: Cow<'static, str>,
    /// The Rust field name in the generated struct (for a loaded integration, the name codegen
    /// would give it).
    pub rust_name: Cow<'static, str>,
    /// The form label (the manifest's `name`).
    pub label: Cow<'static, str>,
    /// The field's type.
    pub ty: FieldType,
    /// A secret: redacted everywhere ldic prints, a `Secret` in the generated struct.
    pub is_secret: bool,
    /// The manifest's `isOptional`.
    pub is_optional: bool,
    /// The manifest's `isHidden`: not shown in the form.
    pub is_hidden: bool,
    /// [`is_required`] of [`FieldMeta::required_flags`], computed by the generator: in the
    /// schema's `required` and a non-`Option` field of the generated struct.
    pub required: bool,
    /// The default value as JSON text (`"\"https://api.datadoghq.com\""`, `"false"`), if any.
    pub default_json: Option<Cow<'static, str>>,
    /// Allowed values: `allowedValues` of an enum, option values of a multiselect.
    pub allowed_values: Cow<'static, [Cow<'static, str>]>,
    /// Labels of multiselect options, parallel to `allowed_values` (empty otherwise).
    pub option_labels: Cow<'static, [Cow<'static, str>]>,
    /// Placeholder text of the form field.
    pub placeholder: Option<Cow<'static, str>>,
    /// Rules that show or hide the field depending on other variables.
    pub depends_on: Cow<'static, [DependsOn]>,
}

impl FieldMeta {
    /// The flags [`required`] decides on. `default_json` is the effective default
    /// (a multiselect's default options included), as the generator writes it.
    pub fn required_flags(&self) -> RequiredFlags {
        RequiredFlags {
            is_optional: self.is_optional,
            has_default: self.default_json.is_some(),
            is_hidden: self.is_hidden,
            has_depends_on: !self.depends_on.is_empty(),
            set_by_launchdarkly: self.ty.is_set_by_launchdarkly(),
        }
    }

    /// Must be present whenever shown ([`is_required_when_shown`]).
    pub fn is_required_when_shown(&self) -> bool {
        is_required_when_shown(self.required_flags())
    }

    /// The default value parsed, if any.
    pub fn default_value(&self) -> Option<serde_json::Value> {
        self.default_json
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    /// The allowed values as `&str` (see [`FieldMeta::allowed_values`]).
    pub fn allowed(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + Clone {
        self.allowed_values.iter().map(|v| v.as_ref())
    }
}

/// A `dependsOn` rule: whether this field is shown depends on another variable's value.
#[derive(Debug, Clone)]
pub struct DependsOn {
    /// The other variable's key.
    pub variable_key: Cow<'static, str>,
    /// The list the other variable lives in.
    pub variable_list: FormListKind,
    /// Show or hide.
    pub action: DependsOnAction,
    /// All conditions must hold for the action to apply.
    pub conditions: Cow<'static, [Condition]>,
}

/// What a `dependsOn` rule does when its conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DependsOnAction {
    /// Hide the field when the conditions hold.
    HideField,
    /// Show the field only when the conditions hold.
    ShowField,
}

impl DependsOnAction {
    /// The Rust variant name (what generated code writes after `DependsOnAction::`).
    pub fn variant_name(self) -> &'static str {
        match self {
            DependsOnAction::HideField => "HideField",
            DependsOnAction::ShowField => "ShowField",
        }
    }
}

/// One condition of a `dependsOn` rule.
#[derive(Debug, Clone)]
pub struct Condition {
    /// How the other variable's value is compared.
    pub operator: ConditionOperator,
    /// The value compared with, as the manifest writes it.
    pub value: Cow<'static, str>,
}

/// How a `dependsOn` condition compares the other variable's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConditionOperator {
    /// `lessThan` (numbers).
    LessThan,
    /// `lessThanOrEqualTo` (numbers).
    LessThanOrEqualTo,
    /// `greaterThan` (numbers).
    GreaterThan,
    /// `greaterThanOrEqualTo` (numbers).
    GreaterThanOrEqualTo,
    /// `equalTo`.
    EqualTo,
    /// `notEqual`.
    NotEqual,
    /// `contains` (a substring, or an item of a multiselect).
    Contains,
    /// `startsWith`.
    StartsWith,
    /// `endsWith`.
    EndsWith,
}

impl ConditionOperator {
    /// (operator, manifest spelling, Rust variant name).
    const TABLE: [(ConditionOperator, &'static str, &'static str); 9] = [
        (ConditionOperator::LessThan, "lessThan", "LessThan"),
        (
            ConditionOperator::LessThanOrEqualTo,
            "lessThanOrEqualTo",
            "LessThanOrEqualTo",
        ),
        (ConditionOperator::GreaterThan, "greaterThan", "GreaterThan"),
        (
            ConditionOperator::GreaterThanOrEqualTo,
            "greaterThanOrEqualTo",
            "GreaterThanOrEqualTo",
        ),
        (ConditionOperator::EqualTo, "equalTo", "EqualTo"),
        (ConditionOperator::NotEqual, "notEqual", "NotEqual"),
        (ConditionOperator::Contains, "contains", "Contains"),
        (ConditionOperator::StartsWith, "startsWith", "StartsWith"),
        (ConditionOperator::EndsWith, "endsWith", "EndsWith"),
    ];

    /// The manifest spelling (`equalTo`).
    pub fn as_str(self) -> &'static str {
        Self::TABLE[self as usize].1
    }

    /// The Rust variant name (what generated code writes after `ConditionOperator::`).
    pub fn variant_name(self) -> &'static str {
        Self::TABLE[self as usize].2
    }
}

/// One form-variable list of one integration (and, for a built-in integration, the generated
/// struct for it).
#[derive(Debug, Clone)]
pub struct FormList {
    /// The integration the list belongs to.
    pub integration_key: Cow<'static, str>,
    /// Where in the manifest the list is.
    pub kind: FormListKind,
    /// Name of the generated struct, e.g. `DatadogConfig` (for a loaded integration, the name
    /// codegen would give it; no such struct exists).
    pub type_name: Cow<'static, str>,
    /// Fields in manifest order.
    pub fields: Cow<'static, [FieldMeta]>,
    /// The JSON Schema (draft 2020-12) of the list, as JSON text.
    pub schema_json: Cow<'static, str>,
    /// What a validator compiled from this list (its schema, its fast path), filled on first
    /// use and dropped with the list. Generated statics start it empty
    /// ([`CompiledSlot::new`]); a clone starts empty too.
    pub compiled: CompiledSlot,
}

impl FormList {
    /// The field with this exact key.
    pub fn field(&self, key: &str) -> Option<&FieldMeta> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// The form-variable lists of an integration: references to generated statics, or lists a
/// catalog loaded at run time owns.
#[derive(Debug, Clone)]
pub enum FormLists {
    /// The lists of a generated integration.
    Static(&'static [&'static FormList]),
    /// The lists of an integration loaded at run time.
    Owned(Vec<FormList>),
}

impl FormLists {
    /// How many lists there are.
    pub fn len(&self) -> usize {
        match self {
            FormLists::Static(lists) => lists.len(),
            FormLists::Owned(lists) => lists.len(),
        }
    }

    /// Whether there is no list.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The list at `index`, in [`FormListKind`] order.
    pub fn get(&self, index: usize) -> Option<&FormList> {
        match self {
            FormLists::Static(lists) => lists.get(index).copied(),
            FormLists::Owned(lists) => lists.get(index),
        }
    }

    /// Every list, in [`FormListKind`] order.
    pub fn iter(&self) -> FormListsIter<'_> {
        FormListsIter {
            lists: self,
            next: 0,
        }
    }
}

impl<'a> IntoIterator for &'a FormLists {
    type Item = &'a FormList;
    type IntoIter = FormListsIter<'a>;

    fn into_iter(self) -> FormListsIter<'a> {
        self.iter()
    }
}

/// The iterator of [`FormLists::iter`].
#[derive(Debug, Clone)]
pub struct FormListsIter<'a> {
    lists: &'a FormLists,
    next: usize,
}

impl<'a> Iterator for FormListsIter<'a> {
    type Item = &'a FormList;

    fn next(&mut self) -> Option<&'a FormList> {
        let list = self.lists.get(self.next)?;
        self.next += 1;
        Some(list)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.lists.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for FormListsIter<'_> {}

/// One integration of a catalog.
#[derive(Debug, Clone)]
pub struct Integration {
    /// The integration key (`datadog`, `roost.ai`).
    pub key: Cow<'static, str>,
    /// The manifest's product name.
    pub name: Cow<'static, str>,
    /// The manifest's version.
    pub version: Cow<'static, str>,
    /// Link to the upstream manifest at the pinned commit; empty when the catalog was built
    /// from facts the LaunchDarkly API served (no public manifest to link to).
    pub manifest_url: Cow<'static, str>,
    /// Capability names the manifest declares, sorted.
    pub capabilities: Cow<'static, [Cow<'static, str>]>,
    /// Form-variable lists in [`FormListKind`] order.
    pub lists: FormLists,
}

impl Integration {
    /// The list of this kind, if the manifest declares it.
    pub fn list(&self, kind: FormListKind) -> Option<&FormList> {
        self.lists.iter().find(|l| l.kind == kind)
    }

    /// Whether the manifest declares this capability.
    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| c == name)
    }

    /// The list that `configValues` of an integration configuration is checked against.
    ///
    /// The top-level `formVariables` when the manifest declares them; otherwise the one
    /// capability list that configures the integration (approval environment variables,
    /// feature store, flag cleanup), in [`FormListKind`] order. `None` when the integration
    /// has no form variables at all: `configValues` must then be empty.
    pub fn config_values_list(&self) -> Option<&FormList> {
        self.list(FormListKind::FormVariables).or_else(|| {
            self.lists
                .iter()
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
        &Self::form_list().schema_json
    }

    /// Field metadata in manifest order.
    fn fields() -> &'static [FieldMeta] {
        &Self::form_list().fields
    }
}

/// Calls [`ConfigTypeVisitor::visit`] once per generated config struct (see
/// `ldic_catalog::visit_config_types`): generic code over every struct of the catalog, such as
/// the property test proving each struct and its JSON Schema agree.
pub trait ConfigTypeVisitor {
    /// Called once with each generated config struct.
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_in_variant_order() {
        for (idx, kind) in FormListKind::ALL.into_iter().enumerate() {
            assert_eq!(KIND_TABLE[idx].0, kind);
            assert_eq!(format!("{kind:?}"), kind.variant_name());
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(serde_json::from_value::<FormListKind>(json).unwrap(), kind);
        }
        for (idx, row) in ConditionOperator::TABLE.iter().enumerate() {
            assert_eq!(row.0 as usize, idx);
            assert_eq!(format!("{:?}", row.0), row.2);
            assert_eq!(serde_json::to_value(row.0).unwrap(), row.1);
        }
        for action in [DependsOnAction::HideField, DependsOnAction::ShowField] {
            assert_eq!(format!("{action:?}"), action.variant_name());
        }
    }

    #[test]
    fn variable_locations_round_trip() {
        for kind in FormListKind::ALL {
            if let Some(location) = kind.variable_location() {
                assert_eq!(FormListKind::from_variable_location(location), Some(kind));
            }
        }
        assert_eq!(FormListKind::from_variable_location("featureStore"), None);
    }
}
