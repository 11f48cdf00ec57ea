//! `dependsOn` visibility: whether a field is shown in LaunchDarkly's form, given the document.
//!
//! A hidden field is not required, and a value for it draws a warning; a field whose rule reads a
//! variable of another list cannot be decided from this document alone. The full check, the
//! one pass over the text (fields without rules, [`fixed_visibility`]) and the defaults read
//! visibility from here.

use ldic_catalog::{ConditionOperator, DependsOnAction, FieldMeta, FormList};
use serde_json::{Map, Value};

/// Whether a field is shown in the form, given the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    Visible,
    Hidden,
    /// Decided by a variable of another list, which this document does not hold.
    Unknown,
}

/// The visibility of a field without `dependsOn` rules, which no document changes; `None` for a
/// field with rules (its visibility depends on the values of others).
pub(crate) fn fixed_visibility(field: &FieldMeta) -> Option<Visibility> {
    field.depends_on.is_empty().then_some(if field.is_hidden {
        Visibility::Hidden
    } else {
        Visibility::Visible
    })
}

/// Evaluate a field's `isHidden` flag and `dependsOn` rules against the document `values`
/// (the object of the field's own list).
pub(crate) fn visibility(
    field: &FieldMeta,
    list: &FormList,
    values: &Map<String, Value>,
) -> Visibility {
    if let Some(fixed) = fixed_visibility(field) {
        return fixed;
    }
    let mut has_show_rule = false;
    let mut shown = false;
    let mut hidden = false;
    for rule in field.depends_on.iter() {
        if rule.variable_list != list.kind {
            return Visibility::Unknown;
        }
        let actual = values.get(rule.variable_key.as_ref()).cloned().or_else(|| {
            list.field(&rule.variable_key)
                .and_then(FieldMeta::default_value)
        });
        let holds = rule
            .conditions
            .iter()
            .all(|c| condition_holds(c.operator, &c.value, actual.as_ref()));
        match rule.action {
            DependsOnAction::ShowField => {
                has_show_rule = true;
                shown |= holds;
            }
            DependsOnAction::HideField => hidden |= holds,
        }
    }
    let visible = if has_show_rule {
        shown
    } else {
        !field.is_hidden
    };
    if visible && !hidden {
        Visibility::Visible
    } else {
        Visibility::Hidden
    }
}

fn as_condition_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn condition_holds(op: ConditionOperator, expected: &str, actual: Option<&Value>) -> bool {
    use ConditionOperator as Op;
    let texts: Vec<String> = match actual {
        None => vec![String::new()],
        Some(Value::Array(items)) if op == Op::Contains => {
            return items.iter().any(|i| as_condition_text(i) == expected);
        }
        Some(v) => vec![as_condition_text(v)],
    };
    let text = texts.first().map(String::as_str).unwrap_or("");
    let numbers = || Some((text.parse::<f64>().ok()?, expected.parse::<f64>().ok()?));
    match op {
        Op::EqualTo => text == expected,
        Op::NotEqual => text != expected,
        Op::Contains => text.contains(expected),
        Op::StartsWith => text.starts_with(expected),
        Op::EndsWith => text.ends_with(expected),
        Op::LessThan => numbers().is_some_and(|(a, b)| a < b),
        Op::LessThanOrEqualTo => numbers().is_some_and(|(a, b)| a <= b),
        Op::GreaterThan => numbers().is_some_and(|(a, b)| a > b),
        Op::GreaterThanOrEqualTo => numbers().is_some_and(|(a, b)| a >= b),
    }
}
