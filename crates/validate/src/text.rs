//! Validation from JSON text: a fast path for valid `configValues` documents.
//!
//! Most documents a tool checks are valid, and for those the whole answer is "no diagnostics".
//! The fast path reads the text once with serde, borrowing strings and building no `Value`,
//! and checks each member against the list's [`Plan`] (built once per list from its compiled JSON
//! Schema: the checks the schema makes; and its field metadata: the rules it cannot make).
//!
//! It can only answer "no diagnostics". Whenever it meets anything it is not sure about (an
//! unknown or repeated key, a wrong type, a value outside an enum, a field that could draw a
//! metadata warning, a missing required field, a schema keyword it does not know, invalid JSON)
//! it stops and the caller falls back to parsing a `Value` and running the full check, so a
//! report from text is always the report of `validate_config_values` on the parsed text.

use crate::EnvReferences;
use crate::compiled::{Check, Plan};
use crate::file::{EnvRef, env_ref};
use crate::suggest::NameIndex;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Whether `text` is an empty object, `{}` with JSON whitespace around or inside: the only
/// valid document of an integration without form variables, decided without a parser.
pub(crate) fn is_empty_object(text: &str) -> bool {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = text.as_bytes();
    let Some(open) = bytes.iter().position(|b| !is_space(b)) else {
        return false;
    };
    let Some(close) = bytes.iter().rposition(|b| !is_space(b)) else {
        return false;
    };
    close > open
        && bytes[open] == b'{'
        && bytes[close] == b'}'
        && bytes[open + 1..close].iter().all(is_space)
}

/// Whether `text` is a `configValues` document of the list planned by `plan` with no
/// diagnostic at all, decided in one pass: `true` only when sure. (An integration without form
/// variables has no plan: its only valid document is `{}`, see [`is_empty_object`].)
pub(crate) fn is_clean(plan: &Plan, text: &str, references: EnvReferences) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = de.deserialize_map(DocumentVisitor(
        plan,
        references == EnvReferences::Unresolved,
    ));
    read.is_ok() && de.end().is_ok()
}

/// The error that stops the fast path (never shown: the caller falls back).
fn unsure<E: de::Error>() -> E {
    E::custom("not decided by the fast path")
}

/// The plan, and whether `${env:NAME}` references are read as references.
struct DocumentVisitor<'p>(&'p Plan, bool);

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of configuration fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let plan = self.0;
        let mut seen = 0u64;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let Some(idx) = plan.position(&key) else {
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
            Check::Subschema(validator) | Check::Uri(validator) => {
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
struct StringVisitor<'p>(Option<&'p NameIndex>, bool);

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
            Some(allowed) => allowed.position(s).ok_or_else(unsure),
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

struct UniqueEnumArrayVisitor<'p>(&'p NameIndex, bool);

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
