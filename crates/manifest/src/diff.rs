//! What changed between two sets of facts, as seen by users of the generated structs.
//!
//! `cargo xtask fetch` compares the facts it is about to write with the committed `manifests/`
//! and prints these changes. Each is marked [`Impact::Breaking`] when code or a configuration
//! that worked before may stop compiling or validating (an integration, list, variable or allowed
//! value removed, a type changed, a variable that became required or optional, a secret flag
//! flipped, a new required variable, a default removed), and [`Impact::Compatible`] otherwise
//! (additions of optional things and of allowed values, a changed default). Pure: no I/O.
//!
//! The verdict is the semver of `ldic-catalog`: a breaking change needs a major release of the
//! generated crate, a compatible one a minor release (its structs and enums are
//! `#[non_exhaustive]`, built with `new` and `with_<field>`, and every enum keeps unknown values
//! in a catch-all variant, so additions compile and read). "Required" is
//! [`ldic_catalog_core::is_required`], the rule the generator writes into the schema's
//! `required` and the structs' non-`Option` fields (the parameters of `new`), so a change is
//! breaking exactly when the new schema rejects a document the old one accepted or the
//! generated Rust API loses or changes an item: a field's type (type, `isSecret`, `Option` or
//! not), `new`'s parameters, a variant, a `with_`/`_or_default` method (ldic-codegen's
//! `tests/change_report.rs` checks both over mutations of a facts list). A field that only a
//! `dependsOn` rule or `isHidden` keeps from being required is optional for the generated code;
//! the validator checks it when it is shown.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::facts::{FormListFacts, FormListKind, FormVariableFacts, IntegrationFacts};

/// Whether a change can break users of the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Code or documents accepted before may be rejected now.
    Breaking,
    /// Everything accepted before is still accepted.
    Compatible,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
        })
    }
}

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new integration.
    IntegrationAdded,
    /// An integration is gone.
    IntegrationRemoved,
    /// An integration gained a form-variable list.
    ListAdded,
    /// An integration lost a form-variable list.
    ListRemoved,
    /// A list gained a variable (breaking when it is required).
    VariableAdded,
    /// A list lost a variable.
    VariableRemoved,
    /// A variable's type changed.
    TypeChanged,
    /// A variable became required.
    BecameRequired,
    /// A variable became optional.
    BecameOptional,
    /// A variable's `isSecret` changed (the generated field's type changes).
    SecretChanged,
    /// An enum gained an allowed value.
    AllowedValueAdded,
    /// An enum lost an allowed value.
    AllowedValueRemoved,
    /// A multiselect gained an option.
    MultiselectOptionAdded,
    /// A multiselect lost an option.
    MultiselectOptionRemoved,
    /// A variable's default changed.
    DefaultChanged,
}

impl ChangeKind {
    fn describe(self) -> &'static str {
        match self {
            ChangeKind::IntegrationAdded => "integration added",
            ChangeKind::IntegrationRemoved => "integration removed",
            ChangeKind::ListAdded => "form-variable list added",
            ChangeKind::ListRemoved => "form-variable list removed",
            ChangeKind::VariableAdded => "variable added",
            ChangeKind::VariableRemoved => "variable removed",
            ChangeKind::TypeChanged => "type changed",
            ChangeKind::BecameRequired => "optional -> required",
            ChangeKind::BecameOptional => "required -> optional",
            ChangeKind::SecretChanged => "isSecret changed",
            ChangeKind::AllowedValueAdded => "allowed value added",
            ChangeKind::AllowedValueRemoved => "allowed value removed",
            ChangeKind::MultiselectOptionAdded => "multiselect option added",
            ChangeKind::MultiselectOptionRemoved => "multiselect option removed",
            ChangeKind::DefaultChanged => "default changed",
        }
    }
}

/// One change. `list` and `variable` say where; `from`/`to` carry the old and new value where
/// there is one (a type, a default, an allowed value, the required flag of an added variable).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The integration key.
    pub integration: String,
    /// The list, for a change inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<FormListKind>,
    /// The variable key, for a change to one variable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// What changed.
    pub kind: ChangeKind,
    /// Whether it can break users.
    pub impact: Impact,
    /// The old value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Value>,
    /// The new value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Value>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.impact, self.integration)?;
        if let Some(list) = self.list {
            write!(f, " {}", list.manifest_pointer())?;
        }
        if let Some(var) = &self.variable {
            write!(f, " {var}")?;
        }
        write!(f, ": {}", self.kind.describe())?;
        match (&self.from, &self.to) {
            (Some(from), Some(to)) => write!(f, " ({from} -> {to})"),
            (None, Some(to)) => write!(f, " ({to})"),
            (Some(from), None) => write!(f, " (was {from})"),
            (None, None) => Ok(()),
        }
    }
}

/// Changes from `old` to `new` (both keyed by integration key), in key order.
pub fn diff(
    old: &BTreeMap<String, IntegrationFacts>,
    new: &BTreeMap<String, IntegrationFacts>,
) -> Vec<Change> {
    let mut out = Vec::new();
    for (key, before) in old {
        match new.get(key) {
            None => out.push(change(
                key,
                None,
                None,
                ChangeKind::IntegrationRemoved,
                Impact::Breaking,
            )),
            Some(after) => diff_integration(key, before, after, &mut out),
        }
    }
    for key in new.keys().filter(|k| !old.contains_key(*k)) {
        out.push(change(
            key,
            None,
            None,
            ChangeKind::IntegrationAdded,
            Impact::Compatible,
        ));
    }
    out.sort_by(|a, b| a.integration.cmp(&b.integration));
    out
}

fn change(
    integration: &str,
    list: Option<FormListKind>,
    variable: Option<&str>,
    kind: ChangeKind,
    impact: Impact,
) -> Change {
    Change {
        integration: integration.to_owned(),
        list,
        variable: variable.map(str::to_owned),
        kind,
        impact,
        from: None,
        to: None,
    }
}

fn diff_integration(
    key: &str,
    before: &IntegrationFacts,
    after: &IntegrationFacts,
    out: &mut Vec<Change>,
) {
    let lists = |f: &IntegrationFacts| -> BTreeMap<FormListKind, FormListFacts> {
        f.form_lists.iter().map(|l| (l.kind, l.clone())).collect()
    };
    let (old_lists, new_lists) = (lists(before), lists(after));
    for kind in FormListKind::ALL {
        match (old_lists.get(&kind), new_lists.get(&kind)) {
            (Some(_), None) => out.push(change(
                key,
                Some(kind),
                None,
                ChangeKind::ListRemoved,
                Impact::Breaking,
            )),
            (None, Some(list)) => {
                out.push(change(
                    key,
                    Some(kind),
                    None,
                    ChangeKind::ListAdded,
                    Impact::Compatible,
                ));
                // Variables of a new list matter too: a required one is new work for users.
                for var in &list.variables {
                    out.push(variable_added(key, kind, var));
                }
            }
            (Some(a), Some(b)) => diff_list(key, kind, a, b, out),
            (None, None) => {}
        }
    }
}

fn variable_added(key: &str, kind: FormListKind, var: &FormVariableFacts) -> Change {
    let required = var.is_required();
    Change {
        to: Some(Value::String(
            if required { "required" } else { "optional" }.to_owned(),
        )),
        ..change(
            key,
            Some(kind),
            Some(&var.key),
            ChangeKind::VariableAdded,
            if required {
                Impact::Breaking
            } else {
                Impact::Compatible
            },
        )
    }
}

fn diff_list(
    key: &str,
    kind: FormListKind,
    a: &FormListFacts,
    b: &FormListFacts,
    out: &mut Vec<Change>,
) {
    let by_key = |l: &FormListFacts| -> BTreeMap<String, FormVariableFacts> {
        l.variables
            .iter()
            .map(|v| (v.key.clone(), v.clone()))
            .collect()
    };
    let (old_vars, new_vars) = (by_key(a), by_key(b));
    // Manifest order of the new list, then removed ones in old order, for a readable report.
    for var in &a.variables {
        if !new_vars.contains_key(&var.key) {
            out.push(change(
                key,
                Some(kind),
                Some(&var.key),
                ChangeKind::VariableRemoved,
                Impact::Breaking,
            ));
        }
    }
    for var in &b.variables {
        match old_vars.get(&var.key) {
            None => out.push(variable_added(key, kind, var)),
            Some(old) => diff_variable(key, kind, old, var, out),
        }
    }
}

fn diff_variable(
    key: &str,
    kind: FormListKind,
    a: &FormVariableFacts,
    b: &FormVariableFacts,
    out: &mut Vec<Change>,
) {
    let at = |k: ChangeKind, impact: Impact, from: Option<Value>, to: Option<Value>| Change {
        from,
        to,
        ..change(key, Some(kind), Some(&b.key), k, impact)
    };
    let s = |x: &str| Some(Value::String(x.to_owned()));
    if a.ty != b.ty {
        out.push(at(
            ChangeKind::TypeChanged,
            Impact::Breaking,
            s(a.ty.as_str()),
            s(b.ty.as_str()),
        ));
    }
    match (a.is_required(), b.is_required()) {
        (false, true) => out.push(at(ChangeKind::BecameRequired, Impact::Breaking, None, None)),
        // Documents still validate, but the Rust field becomes an `Option` and leaves `new`.
        (true, false) => out.push(at(ChangeKind::BecameOptional, Impact::Breaking, None, None)),
        _ => {}
    }
    if a.is_secret != b.is_secret {
        out.push(at(
            ChangeKind::SecretChanged,
            Impact::Breaking,
            Some(Value::Bool(a.is_secret)),
            Some(Value::Bool(b.is_secret)),
        ));
    }
    // An allowed value or a multiselect option: removing one is breaking, adding one is not.
    value_set_changes(
        &a.allowed_values,
        &b.allowed_values,
        [
            ChangeKind::AllowedValueRemoved,
            ChangeKind::AllowedValueAdded,
        ],
        &at,
        out,
    );
    value_set_changes(
        &option_values(a),
        &option_values(b),
        [
            ChangeKind::MultiselectOptionRemoved,
            ChangeKind::MultiselectOptionAdded,
        ],
        &at,
        out,
    );
    let (old_default, new_default) = (a.effective_default(), b.effective_default());
    if old_default != new_default {
        // A removed default removes the `<field>_or_default` accessor of an optional field (a
        // field that becomes required instead is reported above).
        let impact = if new_default.is_none() {
            Impact::Breaking
        } else {
            Impact::Compatible
        };
        out.push(at(
            ChangeKind::DefaultChanged,
            impact,
            Some(old_default.unwrap_or(Value::Null)),
            Some(new_default.unwrap_or(Value::Null)),
        ));
    }
}

/// The values of a multiselect's options.
fn option_values(f: &FormVariableFacts) -> Vec<String> {
    f.multiselect_options
        .iter()
        .map(|o| o.value.clone())
        .collect()
}

/// One change per value of `old` missing from `new` (`kinds[0]`, breaking), then one per value
/// of `new` missing from `old` (`kinds[1]`, compatible), in list order.
fn value_set_changes(
    old: &[String],
    new: &[String],
    [removed, added]: [ChangeKind; 2],
    at: &impl Fn(ChangeKind, Impact, Option<Value>, Option<Value>) -> Change,
    out: &mut Vec<Change>,
) {
    let s = |x: &str| Some(Value::String(x.to_owned()));
    for v in old.iter().filter(|v| !new.contains(v)) {
        out.push(at(removed, Impact::Breaking, s(v), None));
    }
    for v in new.iter().filter(|v| !old.contains(v)) {
        out.push(at(added, Impact::Compatible, None, s(v)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FieldType;

    /// A required variable labelled with its key.
    fn var(key: &str, ty: FieldType) -> FormVariableFacts {
        FormVariableFacts::new(key, key, ty)
    }

    fn integration(key: &str, vars: Vec<FormVariableFacts>) -> IntegrationFacts {
        let mut facts = IntegrationFacts::new(key, key, "1.0.0");
        facts.form_lists = vec![FormListFacts {
            kind: FormListKind::FormVariables,
            variables: vars,
        }];
        facts
    }

    fn set(items: Vec<IntegrationFacts>) -> BTreeMap<String, IntegrationFacts> {
        items.into_iter().map(|f| (f.key.clone(), f)).collect()
    }

    fn kinds(changes: &[Change]) -> Vec<(ChangeKind, Impact, Option<&str>)> {
        changes
            .iter()
            .map(|c| (c.kind, c.impact, c.variable.as_deref()))
            .collect()
    }

    #[test]
    fn identical_sets_have_no_changes() {
        let a = set(vec![integration("a", vec![var("k", FieldType::String)])]);
        assert!(diff(&a, &a.clone()).is_empty());
    }

    #[test]
    fn what_changes_the_generated_rust_api_is_breaking_even_when_documents_still_validate() {
        let mut level = var("level", FieldType::Boolean);
        level.is_optional = true;
        level.default_value = Some(Value::Bool(false));
        let old = set(vec![integration(
            "a",
            vec![var("token", FieldType::String), level.clone()],
        )]);
        let mut token = var("token", FieldType::String);
        token.is_optional = true;
        level.default_value = None;
        let new = set(vec![integration("a", vec![token, level])]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            vec![
                // `token: String` becomes `Option<String>` and leaves `new`.
                (ChangeKind::BecameOptional, Impact::Breaking, Some("token")),
                // `level_or_default()` goes away.
                (ChangeKind::DefaultChanged, Impact::Breaking, Some("level")),
            ]
        );
    }

    #[test]
    fn integrations_added_and_removed() {
        let old = set(vec![integration("gone", vec![])]);
        let new = set(vec![integration("fresh", vec![])]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            vec![
                (ChangeKind::IntegrationAdded, Impact::Compatible, None),
                (ChangeKind::IntegrationRemoved, Impact::Breaking, None),
            ]
        );
    }

    #[test]
    fn variable_level_changes_and_their_impact() {
        let mut region = var("region", FieldType::Enum);
        region.allowed_values = vec!["eu".into(), "us".into()];
        region.is_optional = true;
        region.default_value = Some(Value::String("us".into()));
        let mut token = var("token", FieldType::String);
        token.is_optional = true;
        let old = set(vec![integration(
            "a",
            vec![
                var("gone", FieldType::String),
                var("host", FieldType::String),
                region.clone(),
                token.clone(),
            ],
        )]);
        let mut region2 = region;
        region2.allowed_values = vec!["us".into(), "apac".into()];
        region2.default_value = Some(Value::String("apac".into()));
        let mut token2 = token;
        token2.is_optional = false;
        token2.is_secret = true;
        let mut extra = var("extra", FieldType::Boolean);
        extra.is_optional = true;
        let new = set(vec![integration(
            "a",
            vec![
                var("host", FieldType::Uri),
                region2,
                token2,
                extra,
                var("needed", FieldType::String),
            ],
        )]);
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            vec![
                (ChangeKind::VariableRemoved, Impact::Breaking, Some("gone")),
                (ChangeKind::TypeChanged, Impact::Breaking, Some("host")),
                (
                    ChangeKind::AllowedValueRemoved,
                    Impact::Breaking,
                    Some("region")
                ),
                (
                    ChangeKind::AllowedValueAdded,
                    Impact::Compatible,
                    Some("region")
                ),
                (
                    ChangeKind::DefaultChanged,
                    Impact::Compatible,
                    Some("region")
                ),
                (ChangeKind::BecameRequired, Impact::Breaking, Some("token")),
                (ChangeKind::SecretChanged, Impact::Breaking, Some("token")),
                (ChangeKind::VariableAdded, Impact::Compatible, Some("extra")),
                (ChangeKind::VariableAdded, Impact::Breaking, Some("needed")),
            ]
        );
        assert_eq!(
            changes[1].to_string(),
            "breaking: a /formVariables host: type changed (\"string\" -> \"uri\")"
        );
        let json = serde_json::to_value(&changes[2]).unwrap();
        assert_eq!(json["kind"], "allowed-value-removed");
        assert_eq!(json["list"], "formVariables");
        assert_eq!(json["from"], "eu");
    }

    #[test]
    fn list_added_and_removed() {
        let old = set(vec![integration("a", vec![])]);
        let mut with_env = integration("a", vec![]);
        with_env.form_lists = vec![FormListFacts {
            kind: FormListKind::ApprovalEnvironment,
            variables: vec![var("host", FieldType::String)],
        }];
        let new = set(vec![with_env]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            vec![
                (ChangeKind::ListRemoved, Impact::Breaking, None),
                (ChangeKind::ListAdded, Impact::Compatible, None),
                (ChangeKind::VariableAdded, Impact::Breaking, Some("host")),
            ]
        );
    }
}
