//! The rules a manifest must pass before ldic extracts facts from it.
//!
//! Two layers, both run on every manifest and reported all at once:
//!
//! 1. **Schema**: the manifest against the upstream `manifest.schema.json` of the same tree
//!    (jsonschema crate). `$ref`s are resolved from the tree's own files (`schemas/...`) by
//!    [`LocalSchemaRetriever`]; nothing is fetched from the network.
//! 2. **Semantics**: the form-variable rules of the upstream test suite (defaultValue only with
//!    isOptional and of the variable's type, isSecret only on strings, dynamicOptions exactly on
//!    dynamicEnum), plus the ones ldic's generated code relies on (enum needs allowedValues and a
//!    default among them, multiselect needs options and carries no defaultValue/allowedValues/
//!    isSecret, environmentSelector carries none of those, unique keys, dependsOn names an existing
//!    variable, endpoint URL and header templates name existing variables).
//!
//! Upstream's test suite applies its form-variable rules to the top-level `formVariables` only;
//! ldic applies them to all five lists, so upstream can ship a manifest that breaks one.
//!
//! **Policy when upstream breaks a rule.** Each rule has a fixed [`Severity`]:
//! an [`Severity::Error`] is a violation after which the facts cannot be turned into sound
//! generated types (schema violations, unreadable JSON, duplicate keys, an enum without allowed
//! values or with a default outside them, a default of the wrong JSON type, a multiselect without
//! options or with defaults outside them, a dependsOn naming nothing, a multiselect or
//! environmentSelector carrying a default or allowed values). Any error aborts `cargo xtask
//! fetch` and `manifests/` is left untouched. A [`Severity::Warning`] is an upstream
//! inconsistency that does not change the generated types (a default without isOptional — a
//! default already makes the field not required —, isSecret on a non-string, a template naming
//! an unknown variable, dynamicOptions on a non-dynamicEnum); warnings are printed in the fetch
//! report and the facts are written as upstream states them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
#[cfg(feature = "upstream-schema")]
use std::path::{Component, Path};

use serde_json::Value;

use crate::facts::FormListKind;

/// How bad a violation is (the scale every part of ldic reports on); see the module docs for
/// the policy.
pub use ldic_catalog_core::Severity;

/// Which rule a violation breaks. [`Rule::code`] is stable and used in reports and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file is not JSON, or not a manifest ldic can read.
    InvalidJson,
    /// A violation of upstream `manifest.schema.json`.
    Schema,
    /// `defaultValue` without `isOptional: true`.
    DefaultWithoutOptional,
    /// `defaultValue` of a JSON type the variable's type cannot hold.
    DefaultType,
    /// An `enum` without (non-empty) `allowedValues`.
    EnumAllowedValues,
    /// An `enum` whose `defaultValue` is not one of its `allowedValues`.
    EnumDefaultNotAllowed,
    /// A `multiselect` without (non-empty) `multiselectOptions`.
    MultiselectOptions,
    /// A `multiselectDefaultOptions` entry that is not an option value.
    MultiselectDefaultNotOption,
    /// A `multiselect` with `defaultValue`, `allowedValues` or `isSecret`.
    MultiselectProperty,
    /// An `environmentSelector` with `defaultValue`, `allowedValues`, `isSecret` or multiselect options.
    EnvironmentSelectorProperty,
    /// `isSecret: true` on a variable whose type is not `string`.
    SecretNotString,
    /// `dynamicOptions` missing on a `dynamicEnum`, or present on another type.
    DynamicOptions,
    /// Two variables of one list share a key.
    DuplicateKey,
    /// `dependsOn` names a variable (or list) that does not exist.
    DependsOnUnknown,
    /// An endpoint URL or header template names a form variable that does not exist.
    TemplateUnknownVariable,
    /// A form-variable `type` this ldic does not know, in a manifest read without the
    /// repository's schema (the LaunchDarkly API, [`crate::api`]); the field accepts any value.
    UnknownType,
}

impl Rule {
    /// Every rule, for documentation and tests.
    pub const ALL: [Rule; 16] = [
        Rule::InvalidJson,
        Rule::Schema,
        Rule::DefaultWithoutOptional,
        Rule::DefaultType,
        Rule::EnumAllowedValues,
        Rule::EnumDefaultNotAllowed,
        Rule::MultiselectOptions,
        Rule::MultiselectDefaultNotOption,
        Rule::MultiselectProperty,
        Rule::EnvironmentSelectorProperty,
        Rule::SecretNotString,
        Rule::DynamicOptions,
        Rule::DuplicateKey,
        Rule::DependsOnUnknown,
        Rule::TemplateUnknownVariable,
        Rule::UnknownType,
    ];

    /// Stable kebab-case code.
    pub fn code(self) -> &'static str {
        match self {
            Rule::InvalidJson => "invalid-json",
            Rule::Schema => "schema",
            Rule::DefaultWithoutOptional => "default-without-optional",
            Rule::DefaultType => "default-type",
            Rule::EnumAllowedValues => "enum-allowed-values",
            Rule::EnumDefaultNotAllowed => "enum-default-not-allowed",
            Rule::MultiselectOptions => "multiselect-options",
            Rule::MultiselectDefaultNotOption => "multiselect-default-not-option",
            Rule::MultiselectProperty => "multiselect-property",
            Rule::EnvironmentSelectorProperty => "environment-selector-property",
            Rule::SecretNotString => "secret-not-string",
            Rule::DynamicOptions => "dynamic-options",
            Rule::DuplicateKey => "duplicate-key",
            Rule::DependsOnUnknown => "depends-on-unknown",
            Rule::TemplateUnknownVariable => "template-unknown-variable",
            Rule::UnknownType => "unknown-type",
        }
    }

    /// The severity of this rule (module docs: the policy).
    pub fn severity(self) -> Severity {
        match self {
            Rule::DefaultWithoutOptional
            | Rule::SecretNotString
            | Rule::TemplateUnknownVariable
            | Rule::DynamicOptions
            | Rule::UnknownType => Severity::Warning,
            Rule::InvalidJson
            | Rule::Schema
            | Rule::DefaultType
            | Rule::EnumAllowedValues
            | Rule::EnumDefaultNotAllowed
            | Rule::MultiselectOptions
            | Rule::MultiselectDefaultNotOption
            | Rule::MultiselectProperty
            | Rule::EnvironmentSelectorProperty
            | Rule::DuplicateKey
            | Rule::DependsOnUnknown => Severity::Error,
        }
    }
}

/// One broken rule: where (manifest path + JSON pointer) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Violation {
    /// Path of the manifest in the repository, e.g. `integrations/datadog/manifest.json`.
    pub manifest: String,
    /// JSON pointer of the offending value inside the manifest (`""` is the whole document).
    pub pointer: String,
    /// The rule broken.
    pub rule: Rule,
    /// What the rule expected there.
    pub expected: String,
}

impl Violation {
    /// The rule's severity.
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}#{} [{}]: expected {}",
            self.severity(),
            self.manifest,
            self.pointer,
            self.rule.code(),
            self.expected
        )
    }
}

/// The schema could not be loaded or compiled.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The schema file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The schema file is not JSON.
    #[error("{path}: not JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The schema does not compile.
    #[error("{path}: not a usable JSON Schema: {message}")]
    Compile {
        /// The file.
        path: PathBuf,
        /// Why it does not compile.
        message: String,
    },
}

/// Resolves `$ref`s of the upstream schema to files of the same tree, never the network.
///
/// The schema's `$id` is `https://launchdarkly.com/schemas/v1.0/manifest.schema.json#`; a ref
/// `schemas/definitions.json` therefore resolves to `https://launchdarkly.com/schemas/v1.0/
/// schemas/definitions.json`, which maps to `<tree>/schemas/definitions.json`. `file://` URIs
/// inside the tree are accepted too. Anything else (another host, a path leaving the tree) fails.
#[cfg(feature = "upstream-schema")]
#[derive(Debug, Clone)]
pub struct LocalSchemaRetriever {
    root: PathBuf,
    /// URI prefix (ending in `/`) that maps to `root`, taken from the schema's `$id`.
    base: Option<String>,
}

#[cfg(feature = "upstream-schema")]
impl LocalSchemaRetriever {
    /// A retriever for the tree at `root`, whose main schema has the given `$id`.
    pub fn new(root: impl Into<PathBuf>, schema_id: Option<&str>) -> Self {
        let base = schema_id.and_then(|id| {
            let id = id.split('#').next().unwrap_or(id);
            id.rfind('/').map(|i| id[..=i].to_owned())
        });
        LocalSchemaRetriever {
            root: root.into(),
            base,
        }
    }

    /// The local file a URI maps to, if it maps inside the tree.
    pub fn local_path(&self, uri: &str) -> Option<PathBuf> {
        let uri = uri.split('#').next().unwrap_or(uri);
        let rel = if let Some(rest) = self.base.as_deref().and_then(|b| uri.strip_prefix(b)) {
            PathBuf::from(rest)
        } else if let Some(path) = uri.strip_prefix("file://") {
            Path::new(path).strip_prefix(&self.root).ok()?.to_path_buf()
        } else {
            return None;
        };
        let escapes = rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
        (!escapes).then(|| self.root.join(rel))
    }
}

#[cfg(feature = "upstream-schema")]
impl jsonschema::Retrieve for LocalSchemaRetriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = self.local_path(uri.as_str()).ok_or_else(|| {
            format!("{uri}: not a file of the upstream tree (ldic never fetches schemas)")
        })?;
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?)
    }
}

/// The rules of one upstream tree: its compiled schema plus the semantic rules.
#[cfg(feature = "upstream-schema")]
#[derive(Debug)]
pub struct ManifestRules {
    validator: jsonschema::Validator,
}

#[cfg(feature = "upstream-schema")]
impl ManifestRules {
    /// Load and compile `schema_path` (normally `<tree>/manifest.schema.json`), resolving `$ref`s
    /// against the files under `tree_root`.
    pub fn load(tree_root: &Path, schema_path: &Path) -> Result<Self, SchemaError> {
        let text = std::fs::read_to_string(schema_path).map_err(|source| SchemaError::Io {
            path: schema_path.to_path_buf(),
            source,
        })?;
        let schema: Value = serde_json::from_str(&text).map_err(|source| SchemaError::Json {
            path: schema_path.to_path_buf(),
            source,
        })?;
        Self::from_schema(tree_root, schema_path, &schema)
    }

    /// Compile an already parsed schema (`schema_path` only names it in errors).
    pub fn from_schema(
        tree_root: &Path,
        schema_path: &Path,
        schema: &Value,
    ) -> Result<Self, SchemaError> {
        let retriever =
            LocalSchemaRetriever::new(tree_root, schema.get("$id").and_then(Value::as_str));
        let validator = jsonschema::options()
            .with_retriever(retriever)
            .build(schema)
            .map_err(|e| SchemaError::Compile {
                path: schema_path.to_path_buf(),
                message: e.to_string(),
            })?;
        Ok(ManifestRules { validator })
    }

    /// Every violation of `manifest` (its repository path is `manifest_path`): schema violations
    /// first (sorted by pointer), then the semantic rules.
    pub fn check(&self, manifest_path: &str, manifest: &Value) -> Vec<Violation> {
        let mut out: Vec<Violation> = self
            .validator
            .iter_errors(manifest)
            .map(|e| Violation {
                manifest: manifest_path.to_owned(),
                pointer: e.instance_path().to_string(),
                rule: Rule::Schema,
                expected: shorten(&format!("{} (schema {})", e, e.schema_path())),
            })
            .collect();
        // Evaluation order is an implementation detail of the validator: report in pointer order.
        out.sort();
        out.dedup();
        out.extend(check_semantics(manifest_path, manifest));
        out
    }
}

/// Keep schema messages readable: they can quote whole objects.
#[cfg(feature = "upstream-schema")]
fn shorten(s: &str) -> String {
    const MAX: usize = 300;
    if s.chars().count() <= MAX {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(MAX).collect();
    out.push_str("...");
    out
}

/// The semantic rules alone (no schema), on a parsed manifest.
pub fn check_semantics(manifest_path: &str, manifest: &Value) -> Vec<Violation> {
    let mut out = Violations {
        manifest: manifest_path,
        found: Vec::new(),
    };
    let lists = FormLists::of(manifest);
    for (kind, list) in &lists.0 {
        check_list(*kind, list, &lists, &mut out);
    }
    check_templates(manifest, &lists, &mut out);
    out.found
}

/// Where violations of one manifest are collected.
struct Violations<'a> {
    manifest: &'a str,
    found: Vec<Violation>,
}

impl Violations<'_> {
    fn push(&mut self, pointer: String, rule: Rule, expected: String) {
        self.found.push(Violation {
            manifest: self.manifest.to_owned(),
            pointer,
            rule,
            expected,
        });
    }
}

/// The form-variable lists a manifest has, by kind.
struct FormLists<'m>(Vec<(FormListKind, &'m Vec<Value>)>);

impl<'m> FormLists<'m> {
    fn of(manifest: &'m Value) -> Self {
        FormLists(
            FormListKind::ALL
                .iter()
                .filter_map(|k| {
                    manifest
                        .pointer(k.manifest_pointer())
                        .and_then(Value::as_array)
                        .map(|l| (*k, l))
                })
                .collect(),
        )
    }

    /// The variable keys of the list(s) of `kind`.
    fn keys(&self, kind: FormListKind) -> BTreeSet<&'m str> {
        self.0
            .iter()
            .filter(|(k, _)| *k == kind)
            .flat_map(|(_, l)| l.iter())
            .filter_map(|v| v.get("key").and_then(Value::as_str))
            .collect()
    }
}

/// Unique keys, the rules on each variable, and `dependsOn` targets that exist.
fn check_list(kind: FormListKind, list: &[Value], lists: &FormLists<'_>, out: &mut Violations<'_>) {
    let list_ptr = kind.manifest_pointer();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, var) in list.iter().enumerate() {
        let ptr = format!("{list_ptr}/{i}");
        let Some(obj) = var.as_object() else {
            continue; // the schema reports it
        };
        let key = obj.get("key").and_then(Value::as_str);
        if let Some(key) = key
            && let Some(first) = seen.get(key)
        {
            out.push(
                format!("{ptr}/key"),
                Rule::DuplicateKey,
                format!("a key unique in the list (\"{key}\" is also {list_ptr}/{first})"),
            );
        } else if let Some(key) = key {
            seen.insert(key, i);
        }
        check_variable(&ptr, obj, out);
        check_depends_on(&ptr, obj, lists, out);
    }
}

/// Every `dependsOn` rule of the variable at `ptr` names a variable of an existing list.
fn check_depends_on(
    ptr: &str,
    obj: &serde_json::Map<String, Value>,
    lists: &FormLists<'_>,
    out: &mut Violations<'_>,
) {
    let Some(deps) = obj.get("dependsOn").and_then(Value::as_array) else {
        return;
    };
    for (j, dep) in deps.iter().enumerate() {
        let (Some(dkey), Some(loc)) = (
            dep.get("variableKey").and_then(Value::as_str),
            dep.get("variableLocation").and_then(Value::as_str),
        ) else {
            continue;
        };
        match FormListKind::from_variable_location(loc) {
            Some(t) if lists.keys(t).contains(dkey) => {}
            Some(t) => out.push(
                format!("{ptr}/dependsOn/{j}/variableKey"),
                Rule::DependsOnUnknown,
                format!(
                    "the key of a variable in {} (no \"{dkey}\" there)",
                    t.manifest_pointer()
                ),
            ),
            None => out.push(
                format!("{ptr}/dependsOn/{j}/variableLocation"),
                Rule::DependsOnUnknown,
                format!("a form-variable list name (\"{loc}\" is none)"),
            ),
        }
    }
}

/// Templates: plain names resolve against formVariables (plus featureStore's list inside
/// capabilities.featureStore), `environment.x` against the approval environment list.
fn check_templates(manifest: &Value, lists: &FormLists<'_>, out: &mut Violations<'_>) {
    let top = lists.keys(FormListKind::FormVariables);
    let feature_store: BTreeSet<&str> = top
        .union(&lists.keys(FormListKind::FeatureStore))
        .copied()
        .collect();
    let environment = lists.keys(FormListKind::ApprovalEnvironment);
    let mut endpoints = Vec::new();
    find_endpoints(manifest, String::new(), &mut endpoints);
    for (ptr, endpoint) in endpoints {
        let plain = if ptr.starts_with("/capabilities/featureStore/") {
            &feature_store
        } else {
            &top
        };
        for (tptr, template) in endpoint_templates(&ptr, endpoint) {
            for name in template_variables(template) {
                let (list, wanted, known) = match name.split_once('.') {
                    None => ("formVariables", name.as_str(), plain),
                    Some(("environment", rest)) => {
                        let first = rest.split('.').next().unwrap_or(rest);
                        ("environmentFormVariables", first, &environment)
                    }
                    // context.*, oauth.* and other namespaces are provided by LaunchDarkly.
                    Some(_) => continue,
                };
                if !known.contains(wanted) {
                    out.push(
                        tptr.clone(),
                        Rule::TemplateUnknownVariable,
                        format!("\"{{{{{name}}}}}\" to name a variable of {list}"),
                    );
                }
            }
        }
    }
}

/// The templated strings of an endpoint: its `url` and its header values, with pointers.
fn endpoint_templates<'v>(ptr: &str, endpoint: &'v Value) -> Vec<(String, &'v str)> {
    let mut templates = Vec::new();
    if let Some(url) = endpoint.get("url").and_then(Value::as_str) {
        templates.push((format!("{ptr}/url"), url));
    }
    if let Some(headers) = endpoint.get("headers").and_then(Value::as_array) {
        for (h, header) in headers.iter().enumerate() {
            if let Some(value) = header.get("value").and_then(Value::as_str) {
                templates.push((format!("{ptr}/headers/{h}/value"), value));
            }
        }
    }
    templates
}

/// Rules on one form variable (an object at `ptr`).
fn check_variable(ptr: &str, obj: &serde_json::Map<String, Value>, out: &mut Violations<'_>) {
    let Some(ty) = obj.get("type").and_then(Value::as_str) else {
        return;
    };
    check_default(ptr, ty, obj, out);
    match ty {
        "enum" => check_enum(ptr, obj, out),
        "multiselect" => check_multiselect(ptr, obj, out),
        "environmentSelector" => check_absent(
            ptr,
            obj,
            &[
                "defaultValue",
                "allowedValues",
                "isSecret",
                "multiselectOptions",
                "multiselectDefaultOptions",
            ],
            Rule::EnvironmentSelectorProperty,
            "an environmentSelector",
            out,
        ),
        _ => {}
    }
    let flag = |name: &str| obj.get(name).and_then(Value::as_bool).unwrap_or(false);
    if ty != "string" && ty != "multiselect" && ty != "environmentSelector" && flag("isSecret") {
        out.push(
            format!("{ptr}/isSecret"),
            Rule::SecretNotString,
            format!("isSecret only on a string (this is a {ty})"),
        );
    }
    let dynamic = obj.contains_key("dynamicOptions");
    if ty == "dynamicEnum" && !dynamic {
        out.push(
            format!("{ptr}/dynamicOptions"),
            Rule::DynamicOptions,
            "dynamicOptions on a dynamicEnum".to_owned(),
        );
    } else if ty != "dynamicEnum" && dynamic {
        out.push(
            format!("{ptr}/dynamicOptions"),
            Rule::DynamicOptions,
            format!("dynamicOptions only on a dynamicEnum (this is a {ty})"),
        );
    }
}

/// A `defaultValue` needs `isOptional` and the JSON type of the variable's values.
fn check_default(
    ptr: &str,
    ty: &str,
    obj: &serde_json::Map<String, Value>,
    out: &mut Violations<'_>,
) {
    let Some(default) = obj.get("defaultValue") else {
        return;
    };
    if !obj
        .get("isOptional")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        out.push(
            format!("{ptr}/isOptional"),
            Rule::DefaultWithoutOptional,
            "isOptional: true on a variable with a defaultValue".to_owned(),
        );
    }
    let expected_json = match ty {
        "boolean" => Some("a boolean"),
        "string" | "uri" | "enum" | "dynamicEnum" | "generated" | "oauth" | "publicKey" => {
            Some("a string")
        }
        _ => None, // multiselect, environmentSelector: their own rules; unknown: unchecked
    };
    let matches = match ty {
        "boolean" => default.is_boolean(),
        _ => default.is_string(),
    };
    if let (Some(expected), false) = (expected_json, matches) {
        out.push(
            format!("{ptr}/defaultValue"),
            Rule::DefaultType,
            format!("{expected} (the variable is of type {ty})"),
        );
    }
}

/// An enum has allowed values, and its default is one of them.
fn check_enum(ptr: &str, obj: &serde_json::Map<String, Value>, out: &mut Violations<'_>) {
    let allowed: Option<Vec<&str>> = obj
        .get("allowedValues")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    match &allowed {
        Some(values) if !values.is_empty() => {
            if let Some(d) = obj.get("defaultValue").and_then(Value::as_str)
                && !values.contains(&d)
            {
                out.push(
                    format!("{ptr}/defaultValue"),
                    Rule::EnumDefaultNotAllowed,
                    format!("one of the allowedValues {values:?}"),
                );
            }
        }
        _ => out.push(
            format!("{ptr}/allowedValues"),
            Rule::EnumAllowedValues,
            "a non-empty allowedValues on an enum".to_owned(),
        ),
    }
}

/// A multiselect has options, its default options are among them, and it has none of the
/// single-value properties.
fn check_multiselect(ptr: &str, obj: &serde_json::Map<String, Value>, out: &mut Violations<'_>) {
    let options: Option<Vec<&str>> =
        obj.get("multiselectOptions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|o| o.get("value").and_then(Value::as_str))
                    .collect()
            });
    match &options {
        Some(values) if !values.is_empty() => {
            let defaults = obj
                .get("multiselectDefaultOptions")
                .and_then(Value::as_array);
            for (j, d) in defaults.into_iter().flatten().enumerate() {
                if !d.as_str().is_some_and(|d| values.contains(&d)) {
                    out.push(
                        format!("{ptr}/multiselectDefaultOptions/{j}"),
                        Rule::MultiselectDefaultNotOption,
                        format!("one of the multiselectOptions values {values:?}"),
                    );
                }
            }
        }
        _ => out.push(
            format!("{ptr}/multiselectOptions"),
            Rule::MultiselectOptions,
            "a non-empty multiselectOptions on a multiselect".to_owned(),
        ),
    }
    for name in ["defaultValue", "allowedValues", "isSecret"] {
        if obj.contains_key(name) {
            out.push(
                format!("{ptr}/{name}"),
                Rule::MultiselectProperty,
                format!("no {name} on a multiselect (use multiselectDefaultOptions)"),
            );
        }
    }
}

/// None of `names` is present on the variable (`what` names its type for the message).
fn check_absent(
    ptr: &str,
    obj: &serde_json::Map<String, Value>,
    names: &[&str],
    rule: Rule,
    what: &str,
    out: &mut Violations<'_>,
) {
    for name in names {
        if obj.contains_key(*name) {
            out.push(
                format!("{ptr}/{name}"),
                rule,
                format!("no {name} on {what}"),
            );
        }
    }
}

/// Every endpoint object (one with a string `url` and a `method`), with its pointer.
fn find_endpoints<'a>(value: &'a Value, ptr: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            if map.get("url").is_some_and(Value::is_string) && map.contains_key("method") {
                out.push((ptr.clone(), value));
            }
            for (k, v) in map {
                find_endpoints(v, ldic_catalog_core::pointer::child(&ptr, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_endpoints(v, format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The variable paths a Handlebars-style template reads: `{{name}}`, `{{{name}}}`,
/// `{{helper arg 'literal' other.path}}`, `{{#if name}}`. Helper names, literals, numbers,
/// `else`, `this`, `@data` and `_builtin` names are not variables. Literals may themselves contain
/// `{{...}}` (nested templates passed to a helper); those are not followed.
pub fn template_variables(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let mut body = rest[start + 2..].trim_start_matches('{');
        let mut tokens: Vec<(bool, String)> = Vec::new(); // (is_literal, text)
        let mut closed = false;
        loop {
            body = body.trim_start();
            if body.is_empty() {
                break;
            }
            if body.starts_with("}}") {
                body = body.trim_start_matches('}');
                closed = true;
                break;
            }
            let first = body.chars().next().unwrap_or(' ');
            if first == '\'' || first == '"' {
                let end = body[1..].find(first).map(|e| e + 2).unwrap_or(body.len());
                tokens.push((true, body[..end].to_owned()));
                body = &body[end..];
            } else {
                let end = body
                    .find(|c: char| c.is_whitespace() || c == '}')
                    .unwrap_or(body.len());
                tokens.push((false, body[..end].to_owned()));
                body = &body[end..];
                if end == 0 {
                    // A lone '}' not followed by another: skip it.
                    body = &body[1..];
                }
            }
        }
        rest = body;
        if !closed {
            break;
        }
        let helper_call = tokens.len() > 1
            || tokens
                .first()
                .is_some_and(|(_, t)| t.starts_with('#') || t.starts_with('/'));
        let args = if helper_call {
            &tokens[1..]
        } else {
            &tokens[..]
        };
        for (literal, token) in args {
            let is_variable = !literal
                && !token.is_empty()
                && token != "else"
                && token != "this"
                && !token.starts_with(['@', '_', '#', '/', '.'])
                && !token.starts_with(|c: char| c.is_ascii_digit() || c == '-')
                && token != "true"
                && token != "false"
                && !token.contains('=');
            if is_variable && !out.contains(token) {
                out.push(token.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_variables_cover_helpers_literals_and_nesting() {
        assert_eq!(template_variables("https://{{host}}/x"), vec!["host"]);
        assert_eq!(
            template_variables("{{{basicAuthHeaderValue user pass}}}"),
            vec!["user", "pass"]
        );
        assert_eq!(
            template_variables("{{#if domain}}{{domain}}{{else}}x{{/if}}/{{queryEncode 'lit'}}"),
            vec!["domain"]
        );
        assert_eq!(
            template_variables("{{sign 'PUT' '/n/{{network}}/i' hostname _featureStoreKey}}"),
            vec!["hostname"]
        );
        assert_eq!(
            template_variables("{{oauth.baseURI}}/{{context.approvalId}}"),
            vec!["oauth.baseURI", "context.approvalId"]
        );
        assert!(template_variables("no templates {here}").is_empty());
        assert!(template_variables("unterminated {{oops").is_empty());
    }

    #[test]
    fn retriever_maps_only_inside_the_tree() {
        let r = LocalSchemaRetriever::new(
            "/tree",
            Some("https://launchdarkly.com/schemas/v1.0/manifest.schema.json#"),
        );
        assert_eq!(
            r.local_path("https://launchdarkly.com/schemas/v1.0/schemas/definitions.json#/x"),
            Some(PathBuf::from("/tree/schemas/definitions.json"))
        );
        assert_eq!(r.local_path("https://example.com/evil.json"), None);
        assert_eq!(
            r.local_path("https://launchdarkly.com/schemas/v1.0/../../etc/passwd"),
            None
        );
    }
}
