//! Validation from JSON text, valid or not, in one pass that builds no `Value` of the document.
//!
//! A tool checking a document from text should pay about what parsing it costs. The walk here
//! reads the text once with serde, borrowing keys and strings, and checks each member against
//! the list's [`Plan`] (built once per list from its compiled JSON Schema and its field
//! metadata) as it is read. Strings, booleans, values among allowed ones and arrays of them are
//! checked as read, with no allocation; a member whose check needs a `Value` (a URI, another
//! subschema, any JSON) is read into one, that member alone. A member that does not pass is
//! handed, as a `Value`, to the same per-member checks as the walk over a parsed object
//! ([`Members`]), so its diagnostics are built by the same code in the same order; an unknown
//! member gets the same constructor's diagnostic, its rename fix dropped once the whole object
//! shows that the target key is there.
//!
//! The walk gives up, and the caller parses a `Value` and runs the full check, on anything it
//! cannot decide exactly as that check would: a repeated key (the parsed object keeps the last
//! value), more unknown keys than it tells apart cheaply, a property the plan cannot restate, a
//! field that could draw a metadata warning (hidden, `dependsOn`, set by LaunchDarkly), an
//! absent required field whose visibility depends on the document, a key naming a field the
//! schema lacks, a unique array holding something other than strings, a document that is not
//! an object, and text that is not JSON (so do lists without a plan, and the reference
//! engine, before reading). Once it gives up it reads the rest with `IgnoredAny` (syntax only)
//! instead of building a serde error, which costs more than the reading; text that is not JSON
//! still stops it with the parser's error. Values it skips while still deciding are read by
//! [`Skip`], which refuses exactly what a `Value` refuses (a lone surrogate, a number out of
//! range, nesting too deep). So a report from text is always the report of
//! `validate_config_values` on the parsed text; `crates/validate/tests/text.rs` holds them equal.

use crate::compiled::{Check, Plan};
use crate::config_values::Members;
use crate::diagnostic::push;
use crate::file::{EnvRef, env_ref};
use crate::fix::{Edit, Fix};
use crate::suggest::NameIndex;
use crate::{Diagnostic, EnvReferences, violations};
use ldic_catalog::{FieldMeta, FormList, Integration};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
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

/// The diagnostics of the `configValues` document `text` of `list` (planned by `plan`), in one
/// pass: `Some` (empty for a valid document) when the walk decides, `None` when the full check
/// must (see the module documentation).
pub(crate) fn check(
    plan: &Plan,
    list: &FormList,
    text: &str,
    references: EnvReferences,
) -> Option<Vec<Diagnostic>> {
    let members = Members {
        plan,
        list,
        base: "",
        references: references == EnvReferences::Unresolved,
    };
    let mut out = Vec::new();
    read_document(text, DocumentVisitor(&members, &mut out)).then_some(out)
}

/// The diagnostics of the `configValues` document `text` of `integration`, which has no form
/// variables (every member is unknown), in one pass; `None` when the full check must decide (a
/// repeated key, a document that is not an object, text that is not JSON).
pub(crate) fn check_without_fields(
    integration: &Integration,
    text: &str,
) -> Option<Vec<Diagnostic>> {
    let mut out = Vec::new();
    read_document(text, NoFieldsVisitor(integration, &mut out)).then_some(out)
}

/// Reads `text` as one object with `visitor` (which answers whether it decided), then checks
/// nothing follows it. The visitors answer a `bool` and leave their diagnostics in a list of
/// the caller's: a large answer, dropped on every error path of the parser, would weigh on the
/// compiler's inlining of the reading loop (measured: +15% instructions on valid documents).
fn read_document<'de, V: Visitor<'de, Value = bool>>(text: &'de str, visitor: V) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = de.deserialize_map(visitor);
    matches!(read, Ok(true)) && de.end().is_ok()
}

/// Reads the rest of a map without looking at it: the full check decides.
fn skip_entries<'de, A: MapAccess<'de>>(mut map: A) -> Result<bool, A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(false)
}

/// A value read only for its syntax, refusing exactly what reading it into a `Value` refuses
/// (strings are decoded, numbers parsed, nesting counted), and allocating nothing.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
}

/// The members of an object of an integration without form variables.
struct NoFieldsVisitor<'i, 'o>(&'i Integration, &'o mut Vec<Diagnostic>);

impl<'de> Visitor<'de> for NoFieldsVisitor<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an empty object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let out = self.1;
        let mut keys = Unknown::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if !keys.admits(&key) {
                map.next_value::<IgnoredAny>()?;
                return skip_entries(map);
            }
            map.next_value::<Skip>()?;
            out.push(crate::body::member_without_fields(self.0, "", &key));
            keys.push(key, out.len() - 1);
        }
        Ok(true)
    }
}

/// The members of a `configValues` object, checked against the plan as they are read.
struct DocumentVisitor<'m, 'p, 'o>(&'m Members<'p>, &'o mut Vec<Diagnostic>);

impl<'de> Visitor<'de> for DocumentVisitor<'_, '_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of configuration fields")
    }

    // Inlined into the parser's `deserialize_map`: the reading loop of every document (measured
    // with callgrind: 5% fewer instructions on valid documents with fields).
    #[inline(always)]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let members = self.0;
        let plan = members.plan;
        let out = self.1;
        // Properties present, by index; unknown keys, with the index of their diagnostic.
        let mut seen = 0u64;
        let mut unknown = Unknown::default();
        let mut failed: Failed = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let Some(idx) = plan.position(&key) else {
                if !unknown_member(members, &mut map, key, &mut unknown, out)? {
                    return skip_entries(map);
                }
                continue;
            };
            let bit = 1u64 << idx;
            let prop = &plan.props[idx];
            if seen & bit != 0 || prop.unsure_if_present || matches!(prop.check, Check::Unsure) {
                map.next_value::<IgnoredAny>()?;
                return skip_entries(map);
            }
            seen |= bit;
            let references = members.references && prop.string_valued;
            if !map.next_value_seed(CheckSeed(&prop.check, references, &mut failed))?
                && member_failed(members, idx, &key, failed.take(), out).is_none()
            {
                return skip_entries(map);
            }
        }
        if unknown.is_empty() && seen & plan.must_be_present == plan.must_be_present {
            // Every field that could be missing is present (what `finish` would find).
            return Ok(true);
        }
        Ok(conclude(members, seen, &unknown, out).is_some())
    }
}

/// The most unknown keys (beyond the first) the one pass tells apart.
const MAX_UNKNOWN_KEYS: usize = 32;

/// The unknown keys of an object being read, each with the index of its diagnostic: the first
/// held inline (a document with a mistake usually has one), the others in a list.
#[derive(Default)]
struct Unknown<'de> {
    first: Option<(Cow<'de, str>, usize)>,
    others: Vec<(Cow<'de, str>, usize)>,
}

impl<'de> Unknown<'de> {
    fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    fn contains(&self, key: &str) -> bool {
        self.iter().any(|(k, _)| k == key)
    }

    /// Whether `key` can be added: not one of the keys already (a parsed object keeps the last
    /// value of a repeated key), and not one too many for the linear search of the others
    /// (a document of many unknown keys is left to the full check, whose object hashes them).
    fn admits(&self, key: &str) -> bool {
        self.others.len() < MAX_UNKNOWN_KEYS && !self.contains(key)
    }

    fn push(&mut self, key: Cow<'de, str>, at: usize) {
        match self.first {
            None => self.first = Some((key, at)),
            Some(_) => self.others.push((key, at)),
        }
    }

    /// Each key, with the index of its diagnostic, in document order.
    fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        self.first
            .iter()
            .chain(&self.others)
            .map(|(k, at)| (k.as_ref(), *at))
    }
}

/// The member `key`, which is not a property of the plan: its value read, its diagnostic
/// pushed (with a fix that [`conclude`] drops if it renames onto a key of the object, before
/// or after this one).
/// `false`: the full check decides (a field the schema lacks draws metadata checks; a repeated
/// key keeps the last value in a parsed object).
#[cold]
fn unknown_member<'de, A: MapAccess<'de>>(
    members: &Members<'_>,
    map: &mut A,
    key: Cow<'de, str>,
    unknown: &mut Unknown<'de>,
    out: &mut Vec<Diagnostic>,
) -> Result<bool, A::Error> {
    let (plan, list) = (members.plan, members.list);
    if (plan.field_without_prop && list.field(&key).is_some()) || !unknown.admits(&key) {
        map.next_value::<IgnoredAny>()?;
        return Ok(false);
    }
    map.next_value::<Skip>()?;
    let at = out.len();
    push(
        out,
        violations::unknown_field(list, &plan.fields, "", &key, |_| false),
    );
    unknown.push(key, at);
    Ok(true)
}

/// The diagnostics of the property `idx`, named `key`, whose value did not pass its check (left
/// in `failed`), from the per-member checks; `None`: the full check decides.
#[cold]
fn member_failed(
    members: &Members<'_>,
    idx: usize,
    key: &str,
    failed: Failed,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let value = failed?;
    members.check(Some(idx), key, &value, |_| false, None, out)
}

/// Once the object is read (properties `seen`, `unknown` keys): the unknown members' fixes
/// that rename onto a key the object holds are dropped, and the missing fields are reported
/// first. `None`: the full check decides.
#[inline(never)]
fn conclude(
    members: &Members<'_>,
    seen: u64,
    unknown: &Unknown<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let plan = members.plan;
    let has_key = |k: &str| match plan.position(k) {
        Some(p) => seen & (1 << p) != 0,
        None => unknown.contains(k),
    };
    for (_, at) in unknown.iter() {
        let Some(d) = out.get_mut(at) else { continue };
        if let Some(Fix {
            edit: Edit::RenameKey { to },
            ..
        }) = &d.fix
            && has_key(to)
        {
            d.fix = None;
        }
    }
    let is_present = |i: usize, _: &FieldMeta| match plan.prop_of_field.get(i) {
        Some(Some(p)) => seen & (1 << p) != 0,
        // A key naming a field without a property left the document to the full check.
        _ => false,
    };
    members.finish(0, is_present, None, out)
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

/// Where a check's visitor leaves a value it could not pass (read into a `Value` for the
/// per-member checks to decide); a passing value, the common case, leaves nothing.
type Failed = Option<Value>;

/// A value's check, whether a reference may stand for the value, and where a value that does
/// not pass is left. Reads `true` when the value passes.
struct CheckSeed<'p, 'f>(&'p Check, bool, &'f mut Failed);

impl<'de> DeserializeSeed<'de> for CheckSeed<'_, '_> {
    type Value = bool;

    // Inlined into the reading loop, as the visitor's `visit_map` is (fewer instructions per
    // member; the inliner leaves both out of line on its own).
    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        let (references, failed) = (self.1, self.2);
        let mut pass_unless = |fails: bool, value: Value| {
            if fails {
                *failed = Some(value);
            }
            !fails
        };
        Ok(match self.0 {
            Check::Any => {
                let value = Value::deserialize(d)?;
                let fails = references && has_malformed_reference(&value);
                pass_unless(fails, value)
            }
            Check::String => d
                .deserialize_any(StringVisitor {
                    allowed: None,
                    references,
                    reference_passes: true,
                    failed,
                })?
                .is_some(),
            Check::Boolean => d.deserialize_any(BoolVisitor(failed))?,
            Check::Enum(allowed) => d
                .deserialize_any(StringVisitor {
                    allowed: Some(allowed),
                    references,
                    reference_passes: true,
                    failed,
                })?
                .is_some(),
            Check::UniqueEnumArray(allowed) => d.deserialize_any(UniqueEnumArrayVisitor {
                allowed,
                references,
                failed,
            })?,
            // A reference stands for a URI (the walker leaves its syntax to the reference check).
            Check::Uri(validator) => {
                let value = Value::deserialize(d)?;
                let fails = match reference(references, &value) {
                    Some(EnvRef::Variable(_)) => false,
                    Some(_) => true,
                    None => !validator.is_valid(&value),
                };
                pass_unless(fails, value)
            }
            // Whatever the subschema says of a reference (a string where an array belongs is
            // still the wrong type) is for the per-member checks to decide.
            Check::Subschema(validator) => {
                let value = Value::deserialize(d)?;
                let fails =
                    !validator.is_valid(&value) || (references && has_malformed_reference(&value));
                pass_unless(fails, value)
            }
            // Never read here (the walk gives up on such a property before its value); not
            // passing is the answer that cannot be wrong.
            Check::Unsure => pass_unless(true, Value::deserialize(d)?),
        })
    }
}

/// When references are read as such and `value` is a string that is or starts like one: what
/// it is.
fn reference(references: bool, value: &Value) -> Option<EnvRef<'_>> {
    let s = value.as_str().filter(|_| references)?;
    Some(env_ref(s)).filter(|r| *r != EnvRef::Literal)
}

/// Whether `value` is, or (an array) holds, a string that starts like a reference but is not
/// one: what the reference syntax check reports.
fn has_malformed_reference(value: &Value) -> bool {
    let malformed = |v: &Value| v.as_str().is_some_and(|s| env_ref(s) == EnvRef::Malformed);
    match value {
        Value::Array(items) => items.iter().any(malformed),
        v => malformed(v),
    }
}

/// The index [`StringVisitor`] gives a well-formed reference.
const REFERENCE: usize = usize::MAX;

/// The visit methods of a check's visitor for the JSON types the check does not accept: each
/// reads its value (an array or object to its end) into a `Value` left in `self.failed`, and
/// answers `$fails`.
macro_rules! fail_otherwise {
    ($fails:expr; $($method:ident($ty:ty)),*) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            *self.failed = Some(Value::from(v));
            Ok($fails)
        })*
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            *self.failed = Some(Value::Null);
            Ok($fails)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            *self.failed = Some(Value::deserialize(MapAccessDeserializer::new(map))?);
            Ok($fails)
        }
    };
}

/// A string; with allowed values, one of them: its index among them (0 without), or
/// [`REFERENCE`] for a well-formed reference when references are read as such and
/// `reference_passes`. `None` otherwise (another type, a value outside the allowed ones, a
/// malformed reference), the value read left in `failed`.
struct StringVisitor<'p, 'f> {
    allowed: Option<&'p NameIndex>,
    references: bool,
    reference_passes: bool,
    failed: &'f mut Failed,
}

impl<'de> Visitor<'de> for StringVisitor<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<usize>, E> {
        if self.references {
            match env_ref(s) {
                EnvRef::Literal => {}
                EnvRef::Variable(_) if self.reference_passes => return Ok(Some(REFERENCE)),
                EnvRef::Variable(_) | EnvRef::Malformed => {
                    *self.failed = Some(Value::from(s));
                    return Ok(None);
                }
            }
        }
        let read = match self.allowed {
            None => Some(0),
            Some(allowed) => allowed.position(s),
        };
        if read.is_none() {
            *self.failed = Some(Value::from(s));
        }
        Ok(read)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<usize>, A::Error> {
        *self.failed = Some(Value::deserialize(SeqAccessDeserializer::new(seq))?);
        Ok(None)
    }

    fail_otherwise!(None; visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_f64(f64));
}

impl<'de> DeserializeSeed<'de> for StringVisitor<'_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_any(self)
    }
}

struct BoolVisitor<'f>(&'f mut Failed);

impl<'de> Visitor<'de> for BoolVisitor<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        *self.0 = Some(Value::deserialize(SeqAccessDeserializer::new(seq))?);
        Ok(false)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        BoolFailed { failed: self.0 }.visit_str(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        BoolFailed { failed: self.0 }.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        BoolFailed { failed: self.0 }.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        BoolFailed { failed: self.0 }.visit_f64(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        BoolFailed { failed: self.0 }.visit_unit()
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        BoolFailed { failed: self.0 }.visit_map(map)
    }
}

/// Any value where a boolean belongs.
struct BoolFailed<'f> {
    failed: &'f mut Failed,
}

impl<'de> Visitor<'de> for BoolFailed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }

    fail_otherwise!(false; visit_str(&str), visit_i64(i64), visit_u64(u64), visit_f64(f64));
}

/// The most items of a unique array of allowed strings: no more allowed values than this.
const MAX_UNIQUE_ITEMS: usize = 128;

struct UniqueEnumArrayVisitor<'p, 'f> {
    allowed: &'p NameIndex,
    references: bool,
    failed: &'f mut Failed,
}

impl<'de> Visitor<'de> for UniqueEnumArrayVisitor<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of allowed values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let allowed = self.allowed;
        // The items read so far (allowed, none repeated), to rebuild the array if one is not.
        let mut read = [0u8; MAX_UNIQUE_ITEMS];
        let mut n = 0;
        let mut seen = 0u128;
        let mut item_failed: Failed = None;
        loop {
            let item = StringVisitor {
                allowed: Some(allowed),
                references: self.references,
                // Two references may resolve to the same value: the per-member checks decide.
                reference_passes: false,
                failed: &mut item_failed,
            };
            let Some(got) = seq.next_element_seed(item)? else {
                return Ok(true);
            };
            if let Some(i) = got {
                let bit = u32::try_from(i).ok().and_then(|s| 1u128.checked_shl(s));
                if let (Some(bit), Ok(byte)) = (bit, u8::try_from(i))
                    && seen & bit == 0
                    && n < MAX_UNIQUE_ITEMS
                {
                    seen |= bit;
                    read[n] = byte;
                    n += 1;
                    continue;
                }
            }
            // Not an allowed value, or a repeat: the array as read, for the per-member checks
            // (or, should an item not be known again, nothing: the full check decides).
            let name = |i: usize| allowed.name(i).map(Value::from);
            let current = match (got, item_failed.take()) {
                (_, Some(value)) => Some(value),
                (Some(i), None) => name(i),
                (None, None) => None,
            };
            let read: Option<Vec<Value>> = read[..n]
                .iter()
                .map(|&i| name(usize::from(i)))
                .chain([current])
                .collect();
            match read {
                Some(mut items) => {
                    while let Some(value) = seq.next_element::<Value>()? {
                        items.push(value);
                    }
                    *self.failed = Some(Value::Array(items));
                }
                None => while seq.next_element::<IgnoredAny>()?.is_some() {},
            }
            return Ok(false);
        }
    }

    fail_otherwise!(false; visit_bool(bool), visit_str(&str), visit_i64(i64), visit_u64(u64), visit_f64(f64));
}
