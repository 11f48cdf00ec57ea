//! Validation from JSON text: a fast path for valid `configValues` documents.
//!
//! Most documents a tool checks are valid, and for those the whole answer is "no diagnostics".
//! The fast path reads the text once with serde, borrowing strings and building no `Value`,
//! and checks each member against a [`FastPlan`] built once per list from its compiled JSON
//! Schema (the checks the schema makes) and its field metadata (the rules it cannot make).
//!
//! It can only answer "no diagnostics". Whenever it meets anything it is not sure about (an
//! unknown or repeated key, a wrong type, a value outside an enum, a field that could draw a
//! metadata warning, a missing required field, a schema keyword it does not know, invalid JSON)
//! it stops and the caller falls back to parsing a `Value` and running the full check, so a
//! report from text is always the report of `validate_config_values` on the parsed text.

use crate::EnvReferences;
use crate::file::{EnvRef, env_ref};
use ldic_catalog::FormList;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// What the fast path checks for one list: its schema's properties, in schema order.
pub(crate) struct FastPlan {
    props: Vec<Prop>,
    /// Bit `i`: property `i` must be present, or the full check decides.
    must_be_present: u64,
}

struct Prop {
    key: String,
    check: Check,
    /// A value here may draw a metadata diagnostic (hidden field, `dependsOn` rule, field set
    /// by LaunchDarkly): the full check decides.
    unsure_if_present: bool,
    /// A string-valued field, where an `${env:NAME}` reference may stand for the value.
    string_valued: bool,
}

/// The check of one property's value, from its subschema.
enum Check {
    /// No assertion keyword: any JSON value.
    Any,
    /// `{"type": "string"}`.
    String,
    /// `{"type": "boolean"}`.
    Boolean,
    /// `{"type": "string", "enum": [strings]}`.
    Enum(Vec<String>),
    /// `{"type": "array", "items": {"type": "string", "enum": [strings]}, "uniqueItems": true}`,
    /// at most 128 allowed values.
    UniqueEnumArray(Vec<String>),
    /// Any other self-contained subschema (e.g. `"format": "uri"`): compiled alone with the
    /// options of the list's schema, it decides on the value, parsed as a `Value`.
    Subschema(jsonschema::Validator),
    /// A subschema the fast path cannot check alone (references): the full check decides.
    Unsure,
}

/// Keywords without an effect on validity.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$comment",
];

impl FastPlan {
    /// The plan of `list` whose (compiling) schema is `schema`; `None` when the top level of
    /// the schema holds a keyword the fast path does not handle (every document falls back).
    pub(crate) fn build(list: &FormList, schema: &Value) -> Option<FastPlan> {
        let top = schema.as_object()?;
        for (keyword, v) in top {
            match keyword.as_str() {
                "$comment" | "$id" | "$schema" | "title" | "description" | "properties"
                | "required" => {}
                "type" if v == "object" => {}
                "additionalProperties" if v == &Value::Bool(false) => {}
                _ => return None,
            }
        }
        let empty = serde_json::Map::new();
        let properties = match top.get("properties") {
            Some(p) => p.as_object()?,
            None => &empty,
        };
        if properties.len() > 64 {
            return None;
        }
        let props: Vec<Prop> = properties
            .iter()
            .map(|(key, sub)| Prop {
                key: key.clone(),
                check: check_of(sub),
                unsure_if_present: list.field(key).is_some_and(|f| {
                    !f.depends_on.is_empty() || f.is_hidden || f.ty.is_set_by_launchdarkly()
                }),
                string_valued: list
                    .field(key)
                    .is_some_and(crate::config_values::is_string_valued),
            })
            .collect();
        let bit = |key: &str| props.iter().position(|p| p.key == key).map(|i| 1u64 << i);
        let mut must_be_present = 0u64;
        if let Some(required) = top.get("required") {
            for name in required.as_array()? {
                must_be_present |= bit(name.as_str()?)?;
            }
        }
        for field in list.fields.iter() {
            // The metadata's rule (`config_values::metadata_diagnostics`): an absent field
            // that is required when shown is missing when visible; with a `dependsOn` rule its
            // visibility depends on the document, so it must be present (and, present, it is
            // unsure anyway: such a field always falls back).
            if field.is_required_when_shown() && (!field.depends_on.is_empty() || !field.is_hidden)
            {
                must_be_present |= bit(&field.key)?;
            }
        }
        Some(FastPlan {
            props,
            must_be_present,
        })
    }
}

fn check_of(sub: &Value) -> Check {
    let Some(obj) = sub.as_object() else {
        return match sub {
            Value::Bool(true) => Check::Any,
            _ => Check::Unsure,
        };
    };
    let assertions: Vec<(&str, &Value)> = obj
        .iter()
        .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let get = |name: &str| assertions.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let ty = get("type").and_then(Value::as_str);
    let simple = match (assertions.len(), ty) {
        (0, _) => Some(Check::Any),
        (1, Some("string")) => Some(Check::String),
        (1, Some("boolean")) => Some(Check::Boolean),
        (2, Some("string")) => get("enum").and_then(string_enum).map(Check::Enum),
        (3, Some("array")) if get("uniqueItems") == Some(&Value::Bool(true)) => get("items")
            .and_then(|items| match check_of(items) {
                Check::Enum(allowed) if allowed.len() <= 128 => {
                    Some(Check::UniqueEnumArray(allowed))
                }
                _ => None,
            }),
        _ => None,
    };
    if let Some(check) = simple {
        return check;
    }
    if has_reference(sub) {
        return Check::Unsure;
    }
    match crate::config_values::compile_schema(sub) {
        Ok(validator) => Check::Subschema(validator),
        Err(_) => Check::Unsure,
    }
}

/// The strings of an `enum` made only of strings.
fn string_enum(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// Whether a subschema uses a `$` keyword other than `$comment` (`$ref`, `$id`, anchors...),
/// i.e. could mean something else when compiled alone.
fn has_reference(v: &Value) -> bool {
    match v {
        Value::Object(obj) => obj
            .iter()
            .any(|(k, v)| (k.starts_with('$') && k != "$comment") || has_reference(v)),
        Value::Array(items) => items.iter().any(has_reference),
        _ => false,
    }
}

/// Whether `text` is a `configValues` document with no diagnostic at all, decided in one pass:
/// `true` only when sure. `plan` is `None` for an integration without form variables, whose
/// only valid document is `{}`.
pub(crate) fn is_clean(plan: Option<&FastPlan>, text: &str, references: EnvReferences) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = match plan {
        Some(plan) => de.deserialize_map(DocumentVisitor(
            plan,
            references == EnvReferences::Unresolved,
        )),
        None => de.deserialize_map(EmptyObjectVisitor),
    };
    read.is_ok() && de.end().is_ok()
}

/// The error that stops the fast path (never shown: the caller falls back).
fn unsure<E: de::Error>() -> E {
    E::custom("not decided by the fast path")
}

/// The plan, and whether `${env:NAME}` references are read as references.
struct DocumentVisitor<'p>(&'p FastPlan, bool);

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of configuration fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let plan = self.0;
        let mut seen = 0u64;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let Some(idx) = plan.props.iter().position(|p| p.key == *key) else {
                return Err(unsure());
            };
            let bit = 1u64 << idx;
            let prop = &plan.props[idx];
            if seen & bit != 0 || prop.unsure_if_present {
                return Err(unsure());
            }
            seen |= bit;
            map.next_value_seed(CheckSeed(&prop.check, self.1 && prop.string_valued))?;
        }
        if seen & plan.must_be_present != plan.must_be_present {
            return Err(unsure());
        }
        Ok(())
    }
}

struct EmptyObjectVisitor;

impl<'de> Visitor<'de> for EmptyObjectVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an empty object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match map.next_key::<IgnoredAny>()? {
            Some(_) => Err(unsure()),
            None => Ok(()),
        }
    }
}

/// An object key, borrowed from the text unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A value's check, and whether a reference may stand for the value.
struct CheckSeed<'p>(&'p Check, bool);

impl<'de> DeserializeSeed<'de> for CheckSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let references = self.1;
        match self.0 {
            // Parsed as a `Value` (not skipped) so that what the `Value` path refuses (a
            // number out of range, a lone surrogate) is refused here too.
            Check::Any => {
                let value = Value::deserialize(d)?;
                match reference(references, &value) {
                    Some(EnvRef::Malformed) => Err(unsure()),
                    _ => Ok(()),
                }
            }
            Check::String => d.deserialize_str(StringVisitor(None, references)).map(drop),
            Check::Boolean => d.deserialize_bool(BoolVisitor),
            Check::Enum(allowed) => d
                .deserialize_str(StringVisitor(Some(allowed), references))
                .map(drop),
            Check::UniqueEnumArray(allowed) => {
                d.deserialize_seq(UniqueEnumArrayVisitor(allowed, references))
            }
            Check::Subschema(validator) => {
                let value = Value::deserialize(d)?;
                match reference(references, &value) {
                    Some(EnvRef::Variable(_)) => Ok(()),
                    Some(_) => Err(unsure()),
                    None if validator.is_valid(&value) => Ok(()),
                    None => Err(unsure()),
                }
            }
            Check::Unsure => Err(unsure()),
        }
    }
}

/// When references are read as such and `value` is a string that is or starts like one: what
/// it is.
fn reference(references: bool, value: &Value) -> Option<EnvRef<'_>> {
    let s = value.as_str().filter(|_| references)?;
    Some(env_ref(s)).filter(|r| *r != EnvRef::Literal)
}

/// The index [`StringVisitor`] gives a well-formed reference.
const REFERENCE: usize = usize::MAX;

/// A string; with allowed values, one of them, as its index (0 without); with references read
/// as such, a well-formed reference is [`REFERENCE`].
struct StringVisitor<'p>(Option<&'p [String]>, bool);

impl<'de> Visitor<'de> for StringVisitor<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
        if self.1 {
            match env_ref(s) {
                EnvRef::Literal => {}
                EnvRef::Variable(_) => return Ok(REFERENCE),
                EnvRef::Malformed => return Err(unsure()),
            }
        }
        match self.0 {
            None => Ok(0),
            Some(allowed) => allowed.iter().position(|a| a == s).ok_or_else(unsure),
        }
    }
}

impl<'de> DeserializeSeed<'de> for StringVisitor<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
}

struct UniqueEnumArrayVisitor<'p>(&'p [String], bool);

impl<'de> Visitor<'de> for UniqueEnumArrayVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of allowed values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut seen = 0u128;
        while let Some(idx) = seq.next_element_seed(StringVisitor(Some(self.0), self.1))? {
            if idx == REFERENCE {
                // Two references may resolve to the same value: the full check decides.
                return Err(unsure());
            }
            let bit = 1u128 << idx;
            if seen & bit != 0 {
                return Err(unsure());
            }
            seen |= bit;
        }
        Ok(())
    }
}
