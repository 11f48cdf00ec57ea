//! `configValues` checks: the generated JSON Schema of a form-variable list, plus the rules a
//! schema cannot say.
//!
//! The schema part (unknown fields, wrong types, values outside an enum, bad URIs, duplicate
//! items) is checked by the error walker from the list's compiled plan ([`crate::walker`]), or,
//! where the plan cannot decide, by the compiled JSON Schema itself
//! ([`crate::violations::reference_diagnostics`]); both report one diagnostic per mistake,
//! never quoting the offending value. What the schema cannot express is checked here from the
//! field metadata: `dependsOn` show/hide rules (a hidden field is not required, and a value for
//! it is a warning; [`crate::visibility`]), required fields (so that a field hidden by a rule or
//! set by LaunchDarkly is never required), values for fields LaunchDarkly sets itself
//! (`generated`, `oauth`, `publicKey`, a warning), and the syntax of `${env:NAME}` references.

use crate::compiled::{compiled, is_string_valued};
use crate::file::{EnvRef, env_ref};
use crate::pointer;
use crate::suggest::NameIndex;
use crate::violations::{self, Mapping};
use crate::visibility::{Visibility, visibility};
use crate::{CheckOptions, Code, Diagnostic, Engine, EnvReferences};
use ldic_catalog::{FieldType, FormList};
use serde_json::{Map, Value};

/// Check the `configValues` object of `list`; diagnostics get `base` as their pointer prefix.
pub(crate) fn check(
    list: &FormList,
    value: &Value,
    base: &str,
    options: CheckOptions,
    out: &mut Vec<Diagnostic>,
) {
    let references = options.env_references == EnvReferences::Unresolved;
    let Some(obj) = value.as_object() else {
        out.push(Diagnostic::error(
            Code::WrongType,
            base,
            format!(
                "expected an object of configuration fields, found {}",
                crate::json_type::json_type_of(value)
            ),
        ));
        return;
    };
    let compiled = compiled(list);
    match &compiled.validator {
        Ok(validator) => {
            let walked = match (&compiled.plan, options.engine) {
                (Some(plan), Engine::Walker) => {
                    crate::walker::schema_diagnostics(plan, list, obj, base, references)
                }
                _ => None,
            };
            match walked {
                Some(found) => out.extend(found),
                None => {
                    let fields;
                    let fields = match &compiled.plan {
                        Some(plan) => &plan.fields,
                        None => {
                            fields = NameIndex::new(list.fields.iter().map(|f| f.key.as_ref()));
                            &fields
                        }
                    };
                    let mapping = Mapping {
                        list,
                        fields,
                        base,
                        references,
                    };
                    violations::reference_diagnostics(&mapping, validator, value, out);
                }
            }
        }
        Err(why) => out.push(Diagnostic::error(
            Code::SchemaViolation,
            base,
            format!(
                "cannot check the {} of \"{}\": {why}; this is a bug in ldic's catalog",
                list.kind, list.integration_key
            ),
        )),
    }
    if references {
        env_reference_diagnostics(list, obj, base, out);
    }
    metadata_diagnostics(list, obj, base, out);
}

/// [`Code::InvalidEnvReference`] for every malformed reference in a string-valued field.
fn env_reference_diagnostics(
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    out: &mut Vec<Diagnostic>,
) {
    let malformed = |v: &Value| v.as_str().is_some_and(|s| env_ref(s) == EnvRef::Malformed);
    let diagnostic = |at: String| {
        Diagnostic::error(
            Code::InvalidEnvReference,
            at,
            "the value starts like an environment reference but is not one",
        )
        .with_suggestion("write it as \"${env:NAME}\", NAME of letters, digits and _")
    };
    for (key, value) in obj {
        if !list.field(key).is_some_and(is_string_valued) {
            continue;
        }
        let at = pointer::push(base, key);
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if malformed(item) {
                        out.push(diagnostic(pointer::push_index(&at, i)));
                    }
                }
            }
            v if malformed(v) => out.push(diagnostic(at)),
            _ => {}
        }
    }
}

fn metadata_diagnostics(
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    out: &mut Vec<Diagnostic>,
) {
    for field in list.fields.iter() {
        let present = obj.contains_key(field.key.as_ref());
        let vis = visibility(field, list, obj);
        if present {
            let at = pointer::push(base, &field.key);
            if field.ty.is_set_by_launchdarkly() {
                out.push(Diagnostic::warning(
                    Code::SetByLaunchDarkly,
                    at,
                    format!(
                        "\"{}\" is a {} field: LaunchDarkly sets its value, so the value given here may be replaced",
                        field.key, field.ty
                    ),
                ).with_suggestion(format!("remove \"{}\"", field.key)));
            } else if vis == Visibility::Hidden {
                let why = if field.depends_on.is_empty() {
                    "is hidden in LaunchDarkly's form".to_owned()
                } else {
                    let deps: Vec<&str> = field
                        .depends_on
                        .iter()
                        .map(|d| d.variable_key.as_ref())
                        .collect();
                    format!("is hidden by the value of {}", violations::quote_list(deps))
                };
                out.push(
                    Diagnostic::warning(
                        Code::HiddenField,
                        at,
                        format!(
                            "\"{}\" {why}, so the value given here may be ignored",
                            field.key
                        ),
                    )
                    .with_suggestion(format!("remove \"{}\"", field.key)),
                );
            }
        } else if field.is_required_when_shown() && vis == Visibility::Visible {
            let mut msg = format!("missing required field \"{}\"", field.key);
            if field.ty == FieldType::Enum && !field.allowed_values.is_empty() {
                msg.push(' ');
                msg.push_str(&violations::missing_enum_hint(field, &list.integration_key));
            }
            out.push(Diagnostic::error(Code::MissingRequired, base, msg));
        }
    }
}

/// A default value that applies to an absent field.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedDefault {
    /// JSON pointer of the field, relative to the checked `configValues` object (`/region`).
    pub pointer: String,
    /// The field key.
    pub field: String,
    /// The default value (from the manifest; manifests are public, so never a user secret).
    pub value: Value,
}

impl AppliedDefault {
    /// This default as a [`Code::DefaultApplies`] warning, for tools that want to show defaults
    /// alongside the problems of a report. `validate` never adds these by itself.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::warning(
            Code::DefaultApplies,
            self.pointer.clone(),
            format!(
                "\"{}\" is absent, so its default {} applies",
                self.field, self.value
            ),
        )
    }
}

/// Defaults that apply to `obj`: absent fields that have a default and are not hidden or set by
/// LaunchDarkly.
pub(crate) fn defaults(list: &FormList, obj: &Map<String, Value>) -> Vec<AppliedDefault> {
    list.fields
        .iter()
        .filter(|f| !obj.contains_key(f.key.as_ref()) && !f.ty.is_set_by_launchdarkly())
        .filter(|f| visibility(f, list, obj) != Visibility::Hidden)
        .filter_map(|f| {
            Some(AppliedDefault {
                pointer: pointer::push("", &f.key),
                field: f.key.to_string(),
                value: f.default_value()?,
            })
        })
        .collect()
}
