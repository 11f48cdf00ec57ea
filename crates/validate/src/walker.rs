//! The error walker: the schema part of the `configValues` check, from the list's compiled
//! [`Plan`] instead of the `jsonschema` crate.
//!
//! One walk over the object's members collects every error: unknown members, wrong types,
//! values outside the allowed ones (suggestions from the allowed values folded when the plan was
//! built), repeated items, URIs (the property's subschema compiled alone decides; its only
//! possible errors are built here), and what any other subschema compiled alone reports. It gives
//! exactly the diagnostics of the reference path ([`crate::violations::reference_diagnostics`],
//! `is_valid` then `iter_errors`), built by the same constructors; where it cannot be sure of
//! that (a property the plan could not restate, an array of unique values holding something
//! other than strings) it answers `None` and the reference path decides.
//! `crates/validate/tests/walker.rs` holds the two equal over valid and mutated documents of
//! every integration.

use crate::compiled::{Check, Prop};
use crate::config_values::Members;
use crate::diagnostic::push;
use crate::suggest::NameIndex;
use crate::violations::{self, is_reference_like};
use crate::{Diagnostic, Text, pointer};
use serde_json::Value;

/// The schema diagnostics of the member `key` (property `prop` of the plan, if it is one) of an
/// object checked with `members`, in document order, pushed to `out`; `None` when the reference
/// path must decide. `has_key` says which keys the object holds (an unknown member's fix never
/// renames onto one of them).
pub(crate) fn member_diagnostics(
    members: &Members<'_>,
    prop: Option<usize>,
    key: &str,
    value: &Value,
    has_key: impl Fn(&str) -> bool,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let plan = members.plan;
    let Some(prop) = prop.and_then(|p| plan.props.get(p)) else {
        push(
            out,
            violations::unknown_field(members.list, &plan.fields, members.base, key, has_key),
        );
        return Some(());
    };
    Member { members, prop, key }.check(value, out)
}

/// One member of the object: its property, its key, and the object's checks.
struct Member<'a> {
    members: &'a Members<'a>,
    prop: &'a Prop,
    key: &'a str,
}

impl Member<'_> {
    /// The diagnostics of the member's `value`, pushed to `out`; `None`: the reference decides.
    fn check(&self, value: &Value, out: &mut Vec<Diagnostic>) -> Option<()> {
        let prop = self.prop;
        match &prop.check {
            Check::Any => {}
            Check::String => {
                if !value.is_string() {
                    push(out, self.wrong_type("a string", value));
                }
            }
            Check::Boolean => {
                if !value.is_boolean() {
                    push(
                        out,
                        violations::wrong_type(self.pointer(), "a boolean", value, !prop.secret),
                    );
                }
            }
            Check::Enum(allowed) => match value.as_str() {
                None => push(out, self.wrong_type("a string", value)),
                Some(s) if allowed.position(s).is_some() || self.skips(value) => {}
                Some(_) => push(out, self.not_allowed(self.pointer(), allowed, value)),
            },
            Check::UniqueEnumArray(allowed) => match value.as_array() {
                None => push(out, self.wrong_type("an array", value)),
                Some(items) => {
                    self.unique_items(&self.pointer(), allowed, items, out)?;
                }
            },
            Check::Uri(validator) => {
                if !validator.is_valid(value) {
                    if !value.is_string() {
                        push(out, self.wrong_type("a string", value));
                    } else if !self.skips(value) {
                        push(out, violations::invalid_uri(self.pointer()));
                    }
                }
            }
            Check::Subschema(validator) => {
                if !validator.is_valid(value) {
                    self.subschema(validator, value, out);
                }
            }
            Check::Unsure => return None,
        }
        Some(())
    }

    /// The member's pointer below the object's: the plan's own for the top of `configValues`.
    fn pointer(&self) -> Text {
        let base = self.members.base;
        if base.is_empty() {
            return self.prop.pointer.clone();
        }
        pointer::push(base, self.key)
    }

    fn wrong_type(&self, expected: &str, value: &Value) -> Diagnostic {
        violations::wrong_type(self.pointer(), expected, value, false)
    }

    fn not_allowed(&self, at: Text, allowed: &NameIndex, value: &Value) -> Diagnostic {
        violations::not_allowed(
            at,
            allowed,
            value,
            self.prop.secret,
            &self.members.list.integration_key,
        )
    }

    /// Whether a problem with `value` other than its type is left to the reference syntax check
    /// (an `${env:NAME}` reference in a string-valued field).
    fn skips(&self, value: &Value) -> bool {
        self.members.references && self.prop.string_valued && is_reference_like(value)
    }

    /// The items of a unique array of allowed strings: each item outside the allowed values,
    /// then the first repeated item unless that item already has a problem; `None` when an
    /// item is not a string (equality of other values is the schema crate's to decide).
    fn unique_items(
        &self,
        at: &str,
        allowed: &NameIndex,
        items: &[Value],
        out: &mut Vec<Diagnostic>,
    ) -> Option<()> {
        let start = out.len();
        let mut problem_at = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let s = item.as_str()?;
            if allowed.position(s).is_none() && !self.skips(item) {
                push(
                    out,
                    self.not_allowed(pointer::push_index(at, i), allowed, item),
                );
                problem_at.push(i);
            }
        }
        let repeat = first_repeat(items).filter(|(dup, _)| !problem_at.contains(dup));
        if let Some((dup, first)) = repeat {
            // In index order among the items' problems.
            let before = problem_at.iter().take_while(|i| **i < dup).count();
            out.insert(start + before, violations::duplicate_item(at, dup, first));
        }
        Some(())
    }

    /// What the property's subschema, compiled alone, reports for `value`.
    fn subschema(
        &self,
        validator: &jsonschema::Validator,
        value: &Value,
        out: &mut Vec<Diagnostic>,
    ) {
        let mapping = self.members.mapping();
        let member = pointer::push("", self.key);
        let mut found = Vec::new();
        for error in validator.iter_errors(value) {
            let rel = format!("{member}{}", error.instance_path().as_str());
            mapping.map_error(&rel, &error, &mut found);
        }
        out.extend(violations::keep_most_basic(found));
    }
}

/// `(index of the repeat, index of the first occurrence)` of the first repeated item.
fn first_repeat(items: &[Value]) -> Option<(usize, usize)> {
    (1..items.len()).find_map(|j| {
        items[..j]
            .iter()
            .position(|x| x == &items[j])
            .map(|i| (j, i))
    })
}
