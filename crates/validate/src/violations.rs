//! Error mapping: what each kind of schema violation is reported as.
//!
//! One constructor per kind of mistake (unknown field, wrong type, value not allowed, bad URI,
//! repeated item), used by both engines of the `configValues` check: the error walker
//! ([`crate::walker`]), which checks a document against the list's compiled plan, and the
//! reference path here, which maps the errors of the `jsonschema` crate's `iter_errors`. Both
//! build every message from the same functions, and a property test holds their reports equal.
//!
//! One mistake, one diagnostic: [`keep_most_basic`] keeps per pointer the most basic problem (a
//! wrong-type enum value is a wrong type, not also a value outside the enum) and drops problems
//! below a value that already has the wrong type.

use crate::Text;
use crate::fix::{Applicability, Edit, Fix};
use crate::json_type::{from_schema, json_type_of};
use crate::suggest::{Lookup, NameIndex};
use crate::{Code, Diagnostic, pointer};
use ldic_catalog::{FieldMeta, FieldType, FormList};
use serde_json::Value;

/// A list of allowed values longer than this is not spelled out in a message: the message gives
/// their number and the closest few ([`CLOSEST_SHOWN`]); `ldic explain` lists them all.
pub(crate) const SPELLED_OUT_MAX: usize = 10;
/// How many of a long list of allowed values a message shows.
pub(crate) const CLOSEST_SHOWN: usize = 3;

/// `"a", "b", "c"`.
pub(crate) fn quote_list<'a>(values: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let mut out = String::with_capacity(quoted_len(values.clone()));
    push_quoted(&mut out, values);
    out
}

/// The length of [`quote_list`]'s answer.
fn quoted_len<'a>(values: impl IntoIterator<Item = &'a str>) -> usize {
    values.into_iter().map(|v| v.len() + 4).sum()
}

/// [`quote_list`], appended to `out`.
fn push_quoted<'a>(out: &mut String, values: impl IntoIterator<Item = &'a str>) {
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(v);
        out.push('"');
    }
}

/// The message of a missing required field `field`: `missing required field "x"`, then for an
/// enum with allowed values all of them (`(one of "a", "b")`) or how many there are; built in
/// one string.
pub(crate) fn missing_required_message(field: &FieldMeta, integration_key: &str) -> Text {
    let head = "missing required field \"";
    let key: &str = &field.key;
    if field.ty != FieldType::Enum || field.allowed_values.is_empty() {
        return Text::concat(&[head, key, "\""]);
    }
    let n = field.allowed_values.len();
    if n > SPELLED_OUT_MAX {
        let mut count = itoa::Buffer::new();
        let count = count.format(n);
        return Text::concat(&[
            head,
            key,
            "\" (one of ",
            count,
            " allowed values; `ldic explain ",
            integration_key,
            "` lists all)",
        ]);
    }
    let tail = "\" (one of ";
    let size = head.len() + key.len() + tail.len() + quoted_len(field.allowed()) + 1;
    let mut out = String::with_capacity(size);
    out.push_str(head);
    out.push_str(key);
    out.push_str(tail);
    push_quoted(&mut out, field.allowed());
    out.push(')');
    out.into()
}

/// An unknown member `name` of the object at `object_at` (an object of `list`), with the nearest
/// field as suggestion and fix; `has_key` says which keys the object holds (a fix never renames
/// onto one of them).
pub(crate) fn unknown_field(
    list: &FormList,
    fields: &NameIndex,
    object_at: &str,
    name: &str,
    has_key: impl Fn(&str) -> bool,
) -> Diagnostic {
    let mut d = Diagnostic::error(
        Code::UnknownField,
        pointer::push(object_at, name),
        Text::concat(&[
            "unknown field \"",
            name,
            "\": not a field of ",
            &list.integration_key,
            " ",
            list.kind.as_str(),
        ]),
    )
    .on_key();
    let lookup = fields.look_up(name);
    if let Some(suggestion) = lookup.nearest.and_then(|i| fields.did_you_mean(i)) {
        d = d.with_suggestion(suggestion);
    }
    // The one field differing only in case is safe; else the nearest, suggested.
    let target = match (lookup.other_case, lookup.other_cases) {
        (Some(one), 1) => Some((Applicability::Safe, one)),
        _ => lookup.nearest.map(|n| (Applicability::Suggested, n)),
    };
    d.with_fix(target.and_then(|(applicability, i)| {
        // The catalog's own key: borrowed for the built-in catalog.
        let to = fields.kept(i)?;
        (!has_key(to)).then(|| Fix {
            applicability,
            edit: Edit::RenameKey { to: to.clone() },
        })
    }))
}

/// `expected <what>, found <type>` for the expectations the walker and the body checks state
/// most, as fixed text (no allocation); `None` for any other expectation.
fn fixed_wrong_type_message(expected: &str, found: &str) -> Option<&'static str> {
    macro_rules! by_found {
        ($expected:literal) => {
            match found {
                "null" => Some(concat!("expected ", $expected, ", found null")),
                "a boolean" => Some(concat!("expected ", $expected, ", found a boolean")),
                "an integer" => Some(concat!("expected ", $expected, ", found an integer")),
                "a number" => Some(concat!("expected ", $expected, ", found a number")),
                "a string" => Some(concat!("expected ", $expected, ", found a string")),
                "an array" => Some(concat!("expected ", $expected, ", found an array")),
                "an object" => Some(concat!("expected ", $expected, ", found an object")),
                _ => None,
            }
        };
    }
    match expected {
        "a string" => by_found!("a string"),
        "a boolean" => by_found!("a boolean"),
        "an array" => by_found!("an array"),
        "an object" => by_found!("an object"),
        "an object (empty for this integration)" => {
            by_found!("an object (empty for this integration)")
        }
        _ => None,
    }
}

/// `expected <expected>, found <the JSON type of found>`.
pub(crate) fn wrong_type_message(expected: &str, found: &Value) -> Text {
    let found = json_type_of(found);
    match fixed_wrong_type_message(expected, found) {
        Some(fixed) => Text::from_static(fixed),
        None => Text::concat(&["expected ", expected, ", found ", found]),
    }
}

/// A value of the wrong type: `expected` is what the schema wants (`a string`, or several
/// joined with `or`). `boolean_fix`: the schema wants a boolean alone and the field is not
/// secret, so `"true"`/`"false"` may be fixed.
pub(crate) fn wrong_type(
    at: impl Into<Text>,
    expected: &str,
    instance: &Value,
    boolean_fix: bool,
) -> Diagnostic {
    let fix = if boolean_fix {
        Fix::boolean(instance)
    } else {
        None
    };
    Diagnostic::error(Code::WrongType, at, wrong_type_message(expected, instance)).with_fix(fix)
}

/// A value outside `allowed`. Up to [`SPELLED_OUT_MAX`] allowed values are listed; beyond, the
/// message says how many there are and shows the closest. Unless the field is secret: the
/// nearest allowed value as suggestion, and as fix (safe when it differs only in case or a
/// trailing slash from exactly one allowed value).
pub(crate) fn not_allowed(
    at: impl Into<Text>,
    allowed: &NameIndex,
    instance: &Value,
    secret: bool,
    integration_key: &str,
) -> Diagnostic {
    let found = instance.as_str().filter(|_| !secret);
    let n = allowed.len();
    let mut count = itoa::Buffer::new();
    let count = count.format(n);
    let explain = ["(`ldic explain ", integration_key, "` lists all)"];
    // The closest values (long lists) start with the nearest, so one lookup gives both.
    let (message, lookup) = match found {
        _ if n <= SPELLED_OUT_MAX => (
            allowed.not_one_of().clone(),
            found.map(|s| allowed.look_up(s)),
        ),
        Some(s) => {
            let (closest, typos) = allowed.closest_n(s, CLOSEST_SHOWN);
            let head = [
                "the value is not one of the ",
                count,
                " allowed values; closest: ",
            ];
            let tail = [" ", explain[0], explain[1], explain[2]];
            let parts_len = |parts: &[&str]| parts.iter().map(|p| p.len()).sum::<usize>();
            let size = parts_len(&head) + quoted_len(closest.iter().copied()) + parts_len(&tail);
            let mut message = String::with_capacity(size);
            head.iter().for_each(|p| message.push_str(p));
            push_quoted(&mut message, closest.iter().copied());
            tail.iter().for_each(|p| message.push_str(p));
            let message = Text::from(message);
            let nearest = closest.first().copied().filter(|_| typos > 0);
            let first_ignoring_case = allowed.names().position(|c| c.eq_ignore_ascii_case(s));
            let lookup = Lookup {
                nearest: nearest.and_then(|c| allowed.position(c)),
                first_ignoring_case,
                ..Lookup::default()
            };
            (message, Some(lookup))
        }
        None => (
            Text::concat(&[
                "the value is not one of the ",
                count,
                " allowed values ",
                explain[0],
                explain[1],
                explain[2],
            ]),
            None,
        ),
    };
    let d = Diagnostic::error(Code::NotAllowed, at, message);
    let (Some(s), Some(lookup)) = (found, lookup) else {
        return d;
    };
    let nearest = lookup.nearest.and_then(|i| allowed.name(i));
    let Some(choice) = lookup.first_ignoring_case.or(lookup.nearest) else {
        return d;
    };
    Diagnostic {
        suggestion: allowed.did_you_mean(choice),
        ..d
    }
    .with_fix(choice_fix(s, allowed, nearest))
}

/// A replacement of the string `found` by one of `allowed`: safe when it differs only in case or
/// a trailing slash from exactly one of them, else the `nearest`, suggested.
fn choice_fix(found: &str, allowed: &NameIndex, nearest: Option<&str>) -> Option<Fix> {
    let bare = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
    let found_bare = bare(found);
    let mut same = allowed.names().filter(|c| {
        *c != found && c.trim_end_matches('/').len() == found_bare.len() && bare(c) == found_bare
    });
    let replace = |c: &str| Edit::ReplaceValue {
        value: Box::new(Value::String(c.to_owned())),
    };
    match (same.next(), same.next()) {
        (Some(one), None) => Some(Fix::safe(replace(one))),
        _ => nearest.map(|c| Fix::suggested(replace(c))),
    }
}

/// A string of a `format: uri` field that is not an absolute URI.
pub(crate) fn invalid_uri(at: impl Into<Text>) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidUri,
        at,
        "expected an absolute URI such as \"https://example.com/path\"; the value is not one",
    )
}

/// Item `dup` of the array at `array_at` repeats item `first`.
pub(crate) fn duplicate_item(array_at: &str, dup: usize, first: usize) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateItem,
        pointer::push_index(array_at, dup),
        format!("item {dup} repeats item {first}; each value may appear only once"),
    )
}

/// Rank of a diagnostic when several describe the same value: the most basic problem wins.
fn rank(code: Code) -> u8 {
    match code {
        Code::WrongType => 0,
        Code::NotAllowed => 1,
        Code::InvalidUri => 2,
        Code::EmptyValue => 3,
        Code::DuplicateItem => 4,
        _ => 5,
    }
}

/// One mistake, one diagnostic: per pointer keep the most basic problem, and drop problems
/// below a value that already has the wrong type. `found` in the order the errors came.
pub(crate) fn keep_most_basic(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(found.len());
    for d in found {
        let below_wrong_type = kept.iter().any(|k| {
            k.code == Code::WrongType
                && d.pointer.len() > k.pointer.len()
                && d.pointer.starts_with(k.pointer.as_str())
                && d.pointer.as_bytes().get(k.pointer.len()) == Some(&b'/')
        });
        if below_wrong_type {
            continue;
        }
        if let Some(existing) = kept
            .iter_mut()
            .find(|k| k.pointer == d.pointer && k.on_key == d.on_key)
        {
            if rank(d.code) < rank(existing.code) {
                *existing = d;
            }
            continue;
        }
        kept.push(d);
    }
    kept
}

/// What the mapping of one schema error needs to know.
pub(crate) struct Mapping<'a> {
    pub(crate) list: &'a FormList,
    /// The list's field keys, folded.
    pub(crate) fields: &'a NameIndex,
    /// Pointer of the checked object in the document.
    pub(crate) base: &'a str,
    /// `${env:NAME}` references are read as references.
    pub(crate) references: bool,
}

impl Mapping<'_> {
    /// The diagnostics of one `jsonschema` error whose instance is at `rel` (relative to the
    /// checked object), pushed to `found`; nothing for what other checks decide.
    pub(crate) fn map_error(
        &self,
        rel: &str,
        error: &jsonschema::ValidationError<'_>,
        found: &mut Vec<Diagnostic>,
    ) {
        use jsonschema::error::ValidationErrorKind as K;
        let at = format!("{}{rel}", self.base);
        let instance: &Value = error.instance();
        let field = rel
            .split('/')
            .nth(1)
            .map(ldic_catalog::pointer::unescape_token)
            .and_then(|k| self.list.field(&k));
        let secret = field.is_some_and(|f| f.is_secret);
        if self.references
            && field.is_some_and(crate::compiled::is_string_valued)
            && is_reference_like(instance)
            && !matches!(error.kind(), K::Type { .. })
        {
            // A reference stands for a value of the field's type; its syntax is checked by
            // `reference_diagnostics`.
            return;
        }
        let d = match error.kind() {
            K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
                let has_key = |k: &str| instance.as_object().is_some_and(|o| o.contains_key(k));
                for name in unexpected {
                    let d = unknown_field(self.list, self.fields, &at, name, has_key);
                    // No object, no fix (the rename needs the object's keys).
                    let d = if instance.is_object() {
                        d
                    } else {
                        d.with_fix(None)
                    };
                    found.push(d);
                }
                return;
            }
            K::Required { property } => {
                let name = property.as_str().unwrap_or("");
                if self.list.field(name).is_some() {
                    // Decided from the metadata, where dependsOn and set-by-LaunchDarkly are known.
                    return;
                }
                Diagnostic::error(
                    Code::MissingRequired,
                    at,
                    format!("missing required field \"{name}\""),
                )
            }
            K::Type { kind } => type_error(&at, kind, instance, secret),
            K::Enum { options } => {
                let options = options.as_array().map(Vec::as_slice).unwrap_or(&[]);
                let allowed = NameIndex::new(options.iter().filter_map(Value::as_str));
                not_allowed(at, &allowed, instance, secret, &self.list.integration_key)
            }
            K::Constant { expected_value } => {
                let allowed = NameIndex::new(expected_value.as_str());
                not_allowed(at, &allowed, instance, secret, &self.list.integration_key)
            }
            K::UniqueItems => {
                let (dup, first) = first_duplicate(instance).unwrap_or((0, 0));
                duplicate_item(&at, dup, first)
            }
            other => other_error(at, rel, other, instance),
        };
        found.push(d);
    }
}

/// A `type` error: the expected type (or types), and a boolean fix where a boolean alone is
/// expected outside a secret field.
fn type_error(
    at: &str,
    kind: &jsonschema::error::TypeKind,
    instance: &Value,
    secret: bool,
) -> Diagnostic {
    use jsonschema::error::TypeKind;
    let (expected, boolean) = match kind {
        TypeKind::Single(t) => (
            from_schema(*t).name().to_owned(),
            *t == jsonschema::JsonType::Boolean,
        ),
        TypeKind::Multiple(set) => (
            set.iter()
                .map(|t| from_schema(t).name())
                .collect::<Vec<_>>()
                .join(" or "),
            false,
        ),
    };
    wrong_type(Text::new(at), &expected, instance, boolean && !secret)
}

/// The errors of keywords ldic's schemas use rarely or never: URIs, other formats, empty
/// strings, `false` subschemas, anything else by its keyword.
fn other_error(
    at: String,
    rel: &str,
    kind: &jsonschema::error::ValidationErrorKind,
    instance: &Value,
) -> Diagnostic {
    use jsonschema::error::ValidationErrorKind as K;
    match kind {
        K::Format { format } if format == "uri" || format == "uri-reference" => invalid_uri(at),
        K::Format { format } => Diagnostic::error(
            Code::SchemaViolation,
            at,
            format!("the value is not a valid \"{format}\""),
        ),
        K::MinLength { limit: 1 } if instance.as_str() == Some("") => {
            Diagnostic::error(Code::EmptyValue, at, "must not be empty")
        }
        K::FalseSchema => {
            let name = rel.rsplit('/').next().unwrap_or("");
            Diagnostic::error(
                Code::UnknownField,
                at,
                format!("field \"{name}\" is not allowed here"),
            )
            .on_key()
        }
        other => Diagnostic::error(
            Code::SchemaViolation,
            at,
            format!("breaks the schema's \"{}\" rule", other.keyword()),
        ),
    }
}

/// Whether `v` is a string that is, or starts like, an `${env:NAME}` reference.
pub(crate) fn is_reference_like(v: &Value) -> bool {
    use crate::file::{EnvRef, env_ref};
    v.as_str().is_some_and(|s| env_ref(s) != EnvRef::Literal)
}

/// `(index of the repeat, index of the first occurrence)` of the first repeated item.
pub(crate) fn first_duplicate(v: &Value) -> Option<(usize, usize)> {
    let items = v.as_array()?;
    for (j, item) in items.iter().enumerate() {
        if let Some(i) = items[..j].iter().position(|x| x == item) {
            return Some((j, i));
        }
    }
    None
}

/// The reference check of the object `value` of `list` against its compiled schema: every error
/// of `jsonschema`'s `iter_errors` (after `is_valid` says there is one), mapped and reduced to
/// one diagnostic per mistake.
pub(crate) fn reference_diagnostics(
    mapping: &Mapping<'_>,
    validator: &jsonschema::Validator,
    value: &Value,
    out: &mut Vec<Diagnostic>,
) {
    if validator.is_valid(value) {
        return;
    }
    let mut found = Vec::new();
    for error in validator.iter_errors(value) {
        mapping.map_error(error.instance_path().as_str(), &error, &mut found);
    }
    out.extend(keep_most_basic(found));
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use serde_json::json;

    fn fix_of(found: &str, allowed: &[&str]) -> Option<Fix> {
        let index = NameIndex::new(allowed.iter().copied());
        not_allowed("/x", &index, &json!(found), false, "k").fix
    }

    #[test]
    fn choice_fixes_are_safe_only_for_case_or_a_trailing_slash() {
        let f = fix_of("US", &["us", "eu"]).unwrap();
        assert_eq!(f.applicability, Applicability::Safe);
        let f = fix_of("https://a.example.com/", &["https://a.example.com"]).unwrap();
        assert_eq!(f.applicability, Applicability::Safe);
        let f = fix_of("eux", &["us", "eu"]);
        assert!(f.is_some_and(|f| f.applicability == Applicability::Suggested));
        assert!(fix_of("zzzzzz", &["us", "eu"]).is_none());
    }

    #[test]
    fn fixed_wrong_type_messages_read_as_built_ones() {
        let values = [
            json!(null),
            json!(true),
            json!(1),
            json!(1.5),
            json!("x"),
            json!([]),
            json!({}),
        ];
        let common = ["a string", "a boolean", "an array", "an object"];
        for expected in common
            .iter()
            .chain(&["an object (empty for this integration)", "x"])
        {
            for v in &values {
                let built = format!("expected {expected}, found {}", json_type_of(v));
                assert_eq!(wrong_type_message(expected, v), built);
                let fixed = fixed_wrong_type_message(expected, json_type_of(v));
                assert!(fixed.is_none_or(|f| f == built), "{built}");
                // The expectations the walker states never allocate.
                assert_eq!(fixed.is_some(), *expected != "x", "{built}");
            }
        }
    }

    #[test]
    fn a_long_list_is_counted_and_its_three_closest_shown() {
        let values: Vec<String> = (0..12).map(|i| format!("VALUE_{i:02}")).collect();
        let index = NameIndex::new(values.iter().map(String::as_str));
        let d = not_allowed("/x", &index, &json!("VALUE_1"), false, "some-key");
        assert_eq!(
            d.message,
            "the value is not one of the 12 allowed values; closest: \"VALUE_01\", \"VALUE_10\", \"VALUE_11\" (`ldic explain some-key` lists all)"
        );
        assert_eq!(d.suggestion.as_deref(), Some("did you mean \"VALUE_01\"?"));
        // A secret value is never compared: no closest values, no suggestion, no fix.
        let d = not_allowed("/x", &index, &json!("VALUE_1"), true, "some-key");
        assert_eq!(
            d.message,
            "the value is not one of the 12 allowed values (`ldic explain some-key` lists all)"
        );
        assert!(d.suggestion.is_none() && d.fix.is_none());
        // Ten values are still spelled out.
        let index = NameIndex::new(values.iter().take(10).map(String::as_str));
        let d = not_allowed("/x", &index, &json!("zz"), false, "some-key");
        assert!(
            d.message
                .starts_with("the value is not one of the allowed values: \"VALUE_00\"")
        );
    }
}
