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

use crate::Text;
use crate::compiled::{Plan, compiled, is_string_valued};
use crate::diagnostic::push;
use crate::file::{EnvRef, env_ref};
use crate::pointer;
use crate::suggest::NameIndex;
use crate::violations::{self, Mapping};
use crate::visibility::{Visibility, fixed_visibility, visibility};
use crate::walker;
use crate::{CheckOptions, Code, Diagnostic, Engine, EnvReferences};
use ldic_catalog::{FieldMeta, FormList};
use serde_json::{Map, Value};

/// Check the `configValues` object of `list`; diagnostics get `base` as their pointer prefix.
/// Returns whether what it added to `out` is already in document order (the walker's answer
/// is; the reference path's is sorted by the caller).
pub(crate) fn check(
    list: &FormList,
    value: &Value,
    base: &str,
    options: CheckOptions,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let references = options.env_references == EnvReferences::Unresolved;
    let Some(obj) = value.as_object() else {
        out.push(Diagnostic::error(
            Code::WrongType,
            Text::new(base),
            format!(
                "expected an object of configuration fields, found {}",
                crate::json_type::json_type_of(value)
            ),
        ));
        return true;
    };
    let compiled = compiled(list);
    let validator = match &compiled.validator {
        Ok(validator) => validator,
        Err(why) => {
            out.push(Diagnostic::error(
                Code::SchemaViolation,
                Text::new(base),
                format!(
                    "cannot check the {} of \"{}\": {why}; this is a bug in ldic's catalog",
                    list.kind, list.integration_key
                ),
            ));
            check_metadata(list, obj, base, references, out);
            return false;
        }
    };
    if let (Some(plan), Engine::Walker) = (&compiled.plan, options.engine) {
        let start = out.len();
        let walk = Walk {
            plan,
            list,
            obj,
            base,
            references,
        };
        if walk.check(out).is_some() {
            return true;
        }
        out.truncate(start);
    }
    let index;
    let fields = match &compiled.plan {
        Some(plan) => &plan.fields,
        None => {
            index = NameIndex::of(list.fields.iter().map(|f| f.key.clone()));
            &index
        }
    };
    let mapping = Mapping {
        list,
        fields,
        base,
        references,
    };
    violations::reference_diagnostics(&mapping, validator, value, out);
    check_metadata(list, obj, base, references, out);
    false
}

/// Whether the error walker alone decides the check of `value` (a plan, and nothing the
/// walker is unsure of), for tests and benchmarks.
pub(crate) fn walker_decides(list: &FormList, value: &Value, options: CheckOptions) -> bool {
    let (Some(obj), compiled) = (value.as_object(), compiled(list)) else {
        return false;
    };
    compiled.plan.as_ref().is_some_and(|plan| {
        let walk = Walk {
            plan,
            list,
            obj,
            base: "",
            references: options.env_references == EnvReferences::Unresolved,
        };
        walk.check(&mut Vec::new()).is_some()
    })
}

/// What the schema cannot say, for the whole object: `${env:NAME}` syntax, then the metadata
/// rules, field by field (the caller sorts into document order).
fn check_metadata(
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    references: bool,
    out: &mut Vec<Diagnostic>,
) {
    if references {
        for (key, value) in obj {
            env_reference_diagnostics(list.field(key), key, value, base, out);
        }
    }
    for field in list.fields.iter() {
        if obj.contains_key(field.key.as_ref()) {
            present_field_diagnostics(field, list, obj, base, out);
        } else {
            let message = || violations::missing_required_message(field, &list.integration_key);
            absent_field_diagnostics(field, list, obj, base, message, out);
        }
    }
}

/// The whole check of an object with the error walker, member by member, in document order:
/// the missing required fields (at the object) first, then each member's problems.
struct Walk<'a> {
    plan: &'a Plan,
    list: &'a FormList,
    obj: &'a Map<String, Value>,
    base: &'a str,
    references: bool,
}

impl Walk<'_> {
    /// `None`: the walker is unsure, the reference path decides (`out` is then cut back by the
    /// caller).
    fn check(&self, out: &mut Vec<Diagnostic>) -> Option<()> {
        let (plan, obj) = (self.plan, self.obj);
        let members = Members {
            plan,
            list: self.list,
            base: self.base,
            references: self.references,
        };
        let start = out.len();
        let mut present = 0u64;
        // A small object is searched in order: cheaper than hashing the key.
        let has_key = |k: &str| match obj.len() {
            0..=8 => obj.keys().any(|m| m == k),
            _ => obj.contains_key(k),
        };
        for (key, value) in obj {
            let prop = plan.position(key);
            if let Some(p) = prop {
                present |= 1 << p;
            }
            members.check(prop, key, value, has_key, Some(obj), out)?;
        }
        let is_present = |i: usize, field: &FieldMeta| match plan.prop_of_field.get(i) {
            Some(Some(p)) => present & (1 << p) != 0,
            _ => obj.contains_key(field.key.as_ref()),
        };
        members.finish(start, is_present, Some(obj), out)
    }
}

/// The checks of the members of one `configValues` object with a plan, shared by the walk over
/// a parsed object ([`Walk`]) and the walk over its text ([`crate::text`]), so that both report
/// the same diagnostics in the same order.
pub(crate) struct Members<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) list: &'a FormList,
    pub(crate) base: &'a str,
    pub(crate) references: bool,
}

impl Members<'_> {
    /// What the mapping of the `jsonschema` crate's errors needs, for a property's subschema.
    pub(crate) fn mapping(&self) -> Mapping<'_> {
        Mapping {
            list: self.list,
            fields: &self.plan.fields,
            base: self.base,
            references: self.references,
        }
    }

    /// Everything reported about the member `key` (property `prop` of the plan, if it is one)
    /// holding `value`, pushed to `out` in document order: its schema problems, a malformed
    /// reference, then, given the object (`obj`), the metadata's warnings (a field set by
    /// LaunchDarkly or hidden). Without `obj` the caller has made sure that no such warning
    /// applies (the property is not [`Prop::unsure_if_present`](crate::compiled::Prop)).
    /// `has_key` says which keys the object holds. `None`: the reference path decides.
    pub(crate) fn check(
        &self,
        prop: Option<usize>,
        key: &str,
        value: &Value,
        has_key: impl Fn(&str) -> bool,
        obj: Option<&Map<String, Value>>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<()> {
        let (plan, list, base) = (self.plan, self.list, self.base);
        let first = out.len();
        walker::member_diagnostics(self, prop, key, value, has_key, out)?;
        let field = match prop {
            Some(p) => plan.props[p].field.and_then(|f| list.fields.get(f)),
            // A key that is not a property names a field only if some field has none.
            None if plan.field_without_prop => list.field(key),
            None => None,
        };
        if self.references {
            env_reference_diagnostics(field, key, value, base, out);
        }
        if let (Some(field), Some(obj)) = (field, obj) {
            present_field_diagnostics(field, list, obj, base, out);
        }
        if out.len() - first > 1 {
            // Problems of the member itself before those of its items.
            let prefix = pointer::pushed_len(base, key);
            pointer::sort_below(value, prefix, &mut out[first..]);
        }
        Some(())
    }

    /// Once every member is checked (their diagnostics pushed from `start` on): the fields
    /// absent from the object (`is_present` of a field's index and metadata says which are
    /// not) that are missing, moved before the members' problems. Without the object (`obj`),
    /// a field whose visibility depends on the document is left to the full check (`None`).
    pub(crate) fn finish(
        &self,
        start: usize,
        is_present: impl Fn(usize, &FieldMeta) -> bool,
        obj: Option<&Map<String, Value>>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<()> {
        let (plan, list) = (self.plan, self.list);
        let members_end = out.len();
        for (i, field) in list.fields.iter().enumerate() {
            if is_present(i, field) || !field.is_required_when_shown() {
                continue;
            }
            let visible = match obj {
                Some(obj) => visibility(field, list, obj),
                None => fixed_visibility(field)?,
            };
            if visible == Visibility::Visible {
                let message = plan.missing_required_message(i).unwrap_or_else(|| {
                    violations::missing_required_message(field, &list.integration_key)
                });
                push(
                    out,
                    Diagnostic::error(Code::MissingRequired, Text::new(self.base), message),
                );
            }
        }
        // The object's own problems come before its members'.
        let object_problems = out.len() - members_end;
        out[start..].rotate_right(object_problems);
        Some(())
    }
}

/// [`Code::InvalidEnvReference`] for a malformed reference in the member `key` (of `field`, if
/// it is a field) when the field is string-valued: the value, or each item of an array.
fn env_reference_diagnostics(
    field: Option<&FieldMeta>,
    key: &str,
    value: &Value,
    base: &str,
    out: &mut Vec<Diagnostic>,
) {
    if !field.is_some_and(is_string_valued) {
        return;
    }
    let malformed = |v: &Value| v.as_str().is_some_and(|s| env_ref(s) == EnvRef::Malformed);
    let diagnostic = |at: Text| {
        Diagnostic::error(
            Code::InvalidEnvReference,
            at,
            "the value starts like an environment reference but is not one",
        )
        .with_suggestion("write it as \"${env:NAME}\", NAME of letters, digits and _")
    };
    let at = pointer::push(base, key);
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if malformed(item) {
                    push(out, diagnostic(pointer::push_index(&at, i)));
                }
            }
        }
        v if malformed(v) => push(out, diagnostic(at)),
        _ => {}
    }
}

/// A value for `field`, present in `obj`: a warning when LaunchDarkly sets the field or the form
/// hides it.
fn present_field_diagnostics(
    field: &FieldMeta,
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    out: &mut Vec<Diagnostic>,
) {
    if field.ty.is_set_by_launchdarkly() {
        push(
            out,
            Diagnostic::warning(
                Code::SetByLaunchDarkly,
                pointer::push(base, &field.key),
                format!(
                    "\"{}\" is a {} field: LaunchDarkly sets its value, so the value given here may be replaced",
                    field.key, field.ty
                ),
            )
            .with_suggestion(format!("remove \"{}\"", field.key)),
        );
    } else if visibility(field, list, obj) == Visibility::Hidden {
        let why = if field.depends_on.is_empty() {
            "is hidden in LaunchDarkly's form".to_owned()
        } else {
            let deps = field.depends_on.iter().map(|d| d.variable_key.as_ref());
            format!("is hidden by the value of {}", violations::quote_list(deps))
        };
        push(
            out,
            Diagnostic::warning(
                Code::HiddenField,
                pointer::push(base, &field.key),
                format!(
                    "\"{}\" {why}, so the value given here may be ignored",
                    field.key
                ),
            )
            .with_suggestion(format!("remove \"{}\"", field.key)),
        );
    }
}

/// `field` absent from `obj`: missing when it is required and shown.
/// `message` is the field's [`violations::missing_required_message`], asked only when it is
/// missing.
fn absent_field_diagnostics(
    field: &FieldMeta,
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    message: impl FnOnce() -> Text,
    out: &mut Vec<Diagnostic>,
) {
    if field.is_required_when_shown() && visibility(field, list, obj) == Visibility::Visible {
        push(
            out,
            Diagnostic::error(Code::MissingRequired, Text::new(base), message()),
        );
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
                pointer: pointer::push("", &f.key).into(),
                field: f.key.to_string(),
                value: f.default_value()?,
            })
        })
        .collect()
}
