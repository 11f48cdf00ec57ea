//! Validation from JSON text: a fast path for valid `configValues` documents.
//!
//! Most documents a tool checks are valid, and for those the whole answer is "no diagnostics".
//! The fast path reads the text once with serde, borrowing strings and building no `Value`,
//! and checks each member against the list's [`Plan`] (built once per list from its compiled JSON
//! Schema: the checks the schema makes; and its field metadata: the rules it cannot make).
//!
//! It can only answer "no diagnostics". Whenever it meets anything it is not sure about (an
//! unknown or repeated key, a wrong type, a value outside an enum, a field that could draw a
//! metadata warning, a missing required field, a schema keyword it does not know) it reads the
//! rest with `IgnoredAny` (syntax only: lone surrogates, numbers out of range and depth go
//! unchecked there, so a document with a skipped part is always "unsure") instead of building a
//! serde error, which costs more than the reading; text that is not JSON, or not an object,
//! stops it with the parser's error. Either way the caller falls back to parsing a `Value` and
//! running the full check, so a report from text is always the report of
//! `validate_config_values` on the parsed text.

use crate::EnvReferences;
use crate::compiled::{Check, Plan};
use crate::file::{EnvRef, env_ref};
use crate::suggest::NameIndex;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
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
///
/// Once unsure, the pass reads the rest of the document with `IgnoredAny` instead of stopping
/// with an error: a serde error formats its message and finds its line, which costs more than
/// reading a configuration document to its end (the caller then parses it anyway). Text that is
/// not JSON still stops it with the parser's error.
pub(crate) fn is_clean(plan: &Plan, text: &str, references: EnvReferences) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = de.deserialize_map(DocumentVisitor(
        plan,
        references == EnvReferences::Unresolved,
    ));
    matches!(read, Ok(true)) && de.end().is_ok()
}

/// Reads the rest of a map without looking at it: the answer is already "unsure".
fn skip_entries<'de, A: MapAccess<'de>>(mut map: A) -> Result<bool, A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(false)
}

/// Reads the rest of a sequence without looking at it.
fn skip_elements<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The visit methods of a check's visitor for the JSON types the check does not accept: each
/// reads its value (an object to its end) and answers `$unsure`. Arrays are each visitor's
/// own `visit_seq`.
macro_rules! unsure_otherwise {
    ($unsure:expr; $($method:ident($ty:ty)),*) => {
        $(fn $method<E: de::Error>(self, _: $ty) -> Result<Self::Value, E> {
            Ok($unsure)
        })*
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($unsure)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_entries(map).map(|_| $unsure)
        }
    };
}

/// The plan, and whether `${env:NAME}` references are read as references.
struct DocumentVisitor<'p>(&'p Plan, bool);

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of configuration fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let plan = self.0;
        let mut seen = 0u64;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let Some(idx) = plan.position(&key) else {
                map.next_value::<IgnoredAny>()?;
                return skip_entries(map);
            };
            let bit = 1u64 << idx;
            let prop = &plan.props[idx];
            if seen & bit != 0 || prop.unsure_if_present {
                map.next_value::<IgnoredAny>()?;
                return skip_entries(map);
            }
            seen |= bit;
            if !map.next_value_seed(CheckSeed(&prop.check, self.1 && prop.string_valued))? {
                return skip_entries(map);
            }
        }
        Ok(seen & plan.must_be_present == plan.must_be_present)
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

/// A value's check, and whether a reference may stand for the value: `true` when the value
/// passes, `false` when unsure (the value read either way).
struct CheckSeed<'p>(&'p Check, bool);

impl<'de> DeserializeSeed<'de> for CheckSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        let references = self.1;
        match self.0 {
            // Parsed as a `Value` (not skipped) so that what the `Value` path refuses (a
            // number out of range, a lone surrogate) is refused here too.
            Check::Any => {
                let value = Value::deserialize(d)?;
                Ok(reference(references, &value) != Some(EnvRef::Malformed))
            }
            Check::String => d
                .deserialize_any(StringVisitor(None, references))
                .map(|idx| idx.is_some()),
            Check::Boolean => d.deserialize_any(BoolVisitor),
            Check::Enum(allowed) => d
                .deserialize_any(StringVisitor(Some(allowed), references))
                .map(|idx| idx.is_some()),
            Check::UniqueEnumArray(allowed) => {
                d.deserialize_any(UniqueEnumArrayVisitor(allowed, references))
            }
            Check::Subschema(validator) | Check::Uri(validator) => {
                let value = Value::deserialize(d)?;
                Ok(match reference(references, &value) {
                    Some(EnvRef::Variable(_)) => true,
                    Some(_) => false,
                    None => validator.is_valid(&value),
                })
            }
            Check::Unsure => IgnoredAny::deserialize(d).map(|_| false),
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
/// as such, a well-formed reference is [`REFERENCE`]. `None`: unsure (another type, a value
/// outside the allowed ones, a malformed reference).
struct StringVisitor<'p>(Option<&'p NameIndex>, bool);

impl<'de> Visitor<'de> for StringVisitor<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<usize>, E> {
        if self.1 {
            match env_ref(s) {
                EnvRef::Literal => {}
                EnvRef::Variable(_) => return Ok(Some(REFERENCE)),
                EnvRef::Malformed => return Ok(None),
            }
        }
        Ok(match self.0 {
            None => Some(0),
            Some(allowed) => allowed.position(s),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<usize>, A::Error> {
        skip_elements(seq).map(|()| None)
    }

    unsure_otherwise!(None; visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_f64(f64));
}

impl<'de> DeserializeSeed<'de> for StringVisitor<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_any(self)
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        skip_elements(seq).map(|()| false)
    }

    unsure_otherwise!(false; visit_str(&str), visit_i64(i64), visit_u64(u64), visit_f64(f64));
}

struct UniqueEnumArrayVisitor<'p>(&'p NameIndex, bool);

impl<'de> Visitor<'de> for UniqueEnumArrayVisitor<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of allowed values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut seen = 0u128;
        while let Some(idx) = seq.next_element_seed(StringVisitor(Some(self.0), self.1))? {
            // Not an allowed string; or a reference, since two references may resolve to the
            // same value (the full check decides); or a repeat.
            let bit = idx
                .filter(|i| *i != REFERENCE)
                .and_then(|i| 1u128.checked_shl(u32::try_from(i).ok()?));
            match bit {
                Some(bit) if seen & bit == 0 => seen |= bit,
                _ => return skip_elements(seq).map(|()| false),
            }
        }
        Ok(true)
    }

    unsure_otherwise!(false; visit_bool(bool), visit_str(&str), visit_i64(i64), visit_u64(u64), visit_f64(f64));
}
