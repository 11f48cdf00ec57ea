//! JSON configuration files: a fast parse that sees duplicated keys, and a lazy span map.
//!
//! `serde_json::Value` keeps the last of two equal keys and says nothing, but in a configuration
//! file a duplicated key is a bug (which value LaunchDarkly takes is ambiguous). So the parse runs
//! serde_json's deserializer with a seed that notes every duplicated member's JSON pointer while it
//! builds the `Value`: one pass, serde_json's speed and its recursion limit (deep nesting is an
//! error, not a stack overflow).
//!
//! Positions are only needed for files that have diagnostics, so [`span_map`] is a separate,
//! iterative scan over the (already known valid) text, run lazily.

use crate::spans::{NodeSpan, SpanMap, push_pointer_segment};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A JSON file parsed into one value, with the pointers of duplicated object members.
#[derive(Debug)]
pub struct ParsedJson {
    pub value: Value,
    /// JSON pointers of members whose key appeared more than once in the same object.
    pub duplicates: Vec<String>,
}

/// Why a JSON text did not parse, and where (byte offset into the text).
#[derive(Debug)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
}

/// Parse JSON text, noting duplicated keys.
pub fn parse(text: &str) -> Result<ParsedJson, JsonError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let mut ctx = Ctx::default();
    let mut de = serde_json::Deserializer::from_str(body);
    let value = ValueSeed(&mut ctx)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| JsonError {
            offset: bom + offset_of(body, e.line(), e.column()),
            message: describe(&e),
        })?;
    Ok(ParsedJson {
        value,
        duplicates: ctx.duplicates,
    })
}

/// Check that `text` parses as [`parse`] would, without building anything: the same deserializer
/// calls (so the same errors, positions and recursion limit), no allocation for the values.
/// A file that is a top-level array is checked this way first, then linted element by element.
pub fn validate(text: &str) -> Result<(), JsonError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let mut de = serde_json::Deserializer::from_str(body);
    CheckSeed
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| JsonError {
            offset: bom + offset_of(body, e.line(), e.column()),
            message: describe(&e),
        })
}

/// The byte ranges of the elements of a top-level array, in order; `None` when the text (which
/// [`validate`] accepted) is not an array.
pub fn top_level_elements(text: &str) -> Option<Elements<'_>> {
    let b = text.as_bytes();
    let start = skip_ws(b, if text.starts_with('\u{feff}') { 3 } else { 0 });
    (b.get(start) == Some(&b'[')).then_some(Elements { b, pos: start + 1 })
}

/// See [`top_level_elements`]: a scan over valid JSON (strings and nesting only).
#[derive(Debug)]
pub struct Elements<'t> {
    b: &'t [u8],
    pos: usize,
}

impl Iterator for Elements<'_> {
    type Item = std::ops::Range<usize>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        let start = skip_ws(b, self.pos);
        if matches!(b.get(start), None | Some(b']')) {
            return None;
        }
        let mut pos = start;
        let mut depth = 0usize;
        while let Some(&c) = b.get(pos) {
            match c {
                b'"' => pos = string_end(b, pos),
                b'{' | b'[' => {
                    depth += 1;
                    pos += 1;
                }
                b'}' | b']' if depth == 0 => break,
                b'}' | b']' => {
                    depth -= 1;
                    pos += 1;
                    if depth == 0 {
                        break;
                    }
                }
                b',' if depth == 0 => break,
                _ if depth == 0 => {
                    pos = scalar_end(b, pos);
                    break;
                }
                _ => pos += 1,
            }
        }
        let next = skip_ws(b, pos);
        self.pos = if b.get(next) == Some(&b',') {
            next + 1
        } else {
            next
        };
        Some(start..pos)
    }
}

/// Deserializes anything, keeping nothing (see [`validate`]).
struct CheckSeed;

impl<'de> DeserializeSeed<'de> for CheckSeed {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CheckSeed {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(CheckSeed)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        while access.next_key_seed(KeySeed)?.is_some() {
            access.next_value_seed(CheckSeed)?;
        }
        Ok(())
    }
}

/// A member key, parsed as [`parse`] parses it (a string), kept nowhere.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(CheckSeed)
    }
}

/// serde_json's message without its " at line L column C" tail (the CLI prints positions itself).
fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(idx) => text[..idx].to_owned(),
        None => text,
    }
}

/// Byte offset of serde_json's (1-based line, 1-based byte column) position, clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(idx) => start += idx + 1,
            None => return text.len(),
        }
    }
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // serde_json may report the last character it consumed; point at the offending token.
    let rest = &text[offset..];
    offset + (rest.len() - rest.trim_start().len())
}

#[derive(Default)]
struct Ctx {
    /// The JSON pointer of the value being built.
    path: String,
    duplicates: Vec<String>,
}

struct ValueSeed<'a>(&'a mut Ctx);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let ctx = self.0;
        let base = ctx.path.len();
        let mut items = Vec::new();
        loop {
            ctx.path.push('/');
            ctx.path.push_str(itoa(items.len()).as_str());
            let next = seq.next_element_seed(ValueSeed(ctx))?;
            ctx.path.truncate(base);
            match next {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let ctx = self.0;
        let base = ctx.path.len();
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            push_pointer_segment(&mut ctx.path, &key);
            let value = access.next_value_seed(ValueSeed(ctx))?;
            if map.contains_key(&key) {
                ctx.duplicates.push(ctx.path.clone());
            }
            ctx.path.truncate(base);
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

fn itoa(n: usize) -> String {
    n.to_string()
}

/// The span of every value (and member key) of a JSON text that [`parse`] accepted, by pointer.
///
/// An iterative scan (no recursion, so no depth limit is needed here). On a duplicated key the
/// later member wins, as in the parsed value, and the first key's span is kept in
/// [`NodeSpan::first_key`].
pub fn span_map(text: &str) -> SpanMap {
    span_map_at(text, if text.starts_with('\u{feff}') { 3 } else { 0 }, "")
}

/// The span map of the one value starting at byte `start` of `text` (an element of a top-level
/// array), its pointers under `prefix` (`/3`) and its spans in bytes of the whole text.
pub fn span_map_at(text: &str, start: usize, prefix: &str) -> SpanMap {
    let mut scan = Scan {
        text,
        map: SpanMap::default(),
        stack: Vec::new(),
        path: prefix.to_owned(),
        pending_key: None,
        pos: start,
        state: State::Value,
    };
    let b = text.as_bytes();
    loop {
        scan.pos = skip_ws(b, scan.pos);
        let Some(&c) = b.get(scan.pos) else { break };
        let go_on = match scan.state {
            State::Value => {
                scan.value(c);
                true
            }
            State::AfterValue => scan.after_value(c),
            State::KeyOrEnd | State::ValueOrEnd if c == b'}' || c == b']' => {
                scan.pos += 1;
                scan.stack.pop();
                scan.state = State::AfterValue;
                true
            }
            State::ValueOrEnd => {
                if let Some(frame) = scan.stack.last_mut() {
                    scan.path.push_str("/0");
                    frame.next_index = 1;
                }
                scan.state = State::Value;
                true
            }
            State::KeyOrEnd | State::Key => scan.key(c),
        };
        if !go_on {
            break;
        }
    }
    scan.map
}

/// The state of [`span_map_at`]'s scan.
struct Scan<'t> {
    text: &'t str,
    map: SpanMap,
    stack: Vec<Frame>,
    /// The pointer of the value being scanned.
    path: String,
    pending_key: Option<std::ops::Range<usize>>,
    pos: usize,
    state: State,
}

impl Scan<'_> {
    /// A value starts at `pos` with `c`.
    fn value(&mut self, c: u8) {
        let b = self.text.as_bytes();
        let start = self.pos;
        let end = match c {
            b'{' | b'[' => start + 1,
            b'"' => string_end(b, start),
            _ => scalar_end(b, start),
        };
        self.map
            .insert(self.path.clone(), self.pending_key.take(), start..end);
        self.pos = end;
        self.state = match c {
            b'{' | b'[' => {
                self.stack.push(Frame {
                    object: c == b'{',
                    base_len: self.path.len(),
                    next_index: 0,
                });
                if c == b'{' {
                    State::KeyOrEnd
                } else {
                    State::ValueOrEnd
                }
            }
            _ => State::AfterValue,
        };
    }

    /// After a value: a comma or the end of its container; `false` at the end of the scan.
    fn after_value(&mut self, c: u8) -> bool {
        let Some(frame) = self.stack.last_mut() else {
            return false;
        };
        self.path.truncate(frame.base_len);
        match c {
            b',' => {
                self.pos += 1;
                if frame.object {
                    self.state = State::Key;
                } else {
                    self.path.push('/');
                    self.path.push_str(&itoa(frame.next_index));
                    frame.next_index += 1;
                    self.state = State::Value;
                }
            }
            b'}' | b']' => {
                self.pos += 1;
                self.stack.pop();
            }
            _ => return false,
        }
        true
    }

    /// A member key and its colon; `false` if the text is not what [`parse`] accepted.
    fn key(&mut self, c: u8) -> bool {
        if c != b'"' {
            return false;
        }
        let (b, pos) = (self.text.as_bytes(), self.pos);
        let end = string_end(b, pos);
        let raw = &self.text[pos..end];
        let key = if raw.contains('\\') {
            serde_json::from_str::<String>(raw).unwrap_or_default()
        } else {
            raw.get(1..raw.len().saturating_sub(1))
                .unwrap_or_default()
                .to_owned()
        };
        push_pointer_segment(&mut self.path, &key);
        self.pending_key = Some(pos..end);
        self.pos = skip_ws(b, end);
        if b.get(self.pos) != Some(&b':') {
            return false;
        }
        self.pos += 1;
        self.state = State::Value;
        true
    }
}

#[derive(Clone, Copy)]
enum State {
    Value,
    AfterValue,
    KeyOrEnd,
    ValueOrEnd,
    Key,
}

struct Frame {
    object: bool,
    base_len: usize,
    next_index: usize,
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while matches!(b.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// End (exclusive) of the string literal starting at `pos` (on its opening quote).
fn string_end(b: &[u8], mut pos: usize) -> usize {
    pos += 1;
    while let Some(&c) = b.get(pos) {
        match c {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            _ => pos += 1,
        }
    }
    b.len()
}

fn scalar_end(b: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = b.get(pos) {
        if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
            break;
        }
        pos += 1;
    }
    pos
}

impl NodeSpan {
    #[cfg(test)]
    fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.value.clone()]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_duplicates_with_pointers() {
        let text = r#"{"a": 1, "b": {"c": [1, {"d": 1, "d": 2}]}, "a": 3}"#;
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.value["a"], 3);
        assert_eq!(parsed.value["b"]["c"][1]["d"], 2);
        assert_eq!(parsed.duplicates, vec!["/b/c/1/d", "/a"]);
    }

    #[test]
    fn escapes_pointer_segments() {
        let parsed = parse(r#"{"a/b~c": {"x": 1, "x": 2}}"#).unwrap();
        assert_eq!(parsed.duplicates, vec!["/a~1b~0c/x"]);
    }

    #[test]
    fn syntax_error_has_an_offset() {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}";
        let err = parse(text).unwrap_err();
        assert_eq!(&text[err.offset..err.offset + 1], "2");
        assert!(err.message.contains("expected `:`"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("recursion limit"), "{}", err.message);
    }

    #[test]
    fn span_map_finds_nested_values_and_keys() {
        let text = "{\n  \"name\": \"x\",\n  \"configValues\": {\"host\": \"h\", \"list\": [1, {\"k\": true}]},\n  \"e\": [], \"o\": {}\n}";
        let map = span_map(text);
        assert_eq!(map.get("/name").unwrap().text(text), "\"x\"");
        let host = map.get("/configValues/host").unwrap();
        assert_eq!(&text[host.key.clone().unwrap()], "\"host\"");
        assert_eq!(host.text(text), "\"h\"");
        assert_eq!(
            map.get("/configValues/list/1/k").unwrap().text(text),
            "true"
        );
        assert_eq!(map.get("/configValues/list/0").unwrap().text(text), "1");
        assert_eq!(map.get("/e").unwrap().text(text), "[");
        assert_eq!(map.get("/o").unwrap().text(text), "{");
        assert_eq!(map.get("").unwrap().text(text), "{");
    }

    #[test]
    fn span_map_keeps_last_and_first_key_of_a_duplicate() {
        let text = r#"{"a": 1, "a": 22}"#;
        let map = span_map(text);
        let a = map.get("/a").unwrap();
        assert_eq!(a.text(text), "22");
        assert_eq!(a.key.clone().unwrap().start, 9);
        assert_eq!(a.first_key.clone().unwrap().start, 1);
    }

    #[test]
    fn validate_refuses_what_parse_refuses_with_the_same_error() {
        for bad in [
            "{\"a\": 1,}",
            "[1, 2",
            "{\"a\" 1}",
            "[1e400]",
            "{\"\\ud800x\": 1}",
            "[\"\\q\"]",
            &"[".repeat(200),
            &format!("{}{}", "[".repeat(127), "]".repeat(127)),
            "[1] x",
            "",
        ] {
            let (v, p) = (validate(bad), parse(bad));
            assert_eq!(v.is_err(), p.is_err(), "{bad}");
            if let (Err(v), Err(p)) = (v, p) {
                assert_eq!((v.offset, v.message), (p.offset, p.message), "{bad}");
            }
        }
        assert!(validate("\u{feff}[{\"a\": [1, {\"b\": null}]}, 2.5, \"s\"]").is_ok());
    }

    #[test]
    fn top_level_elements_and_their_span_maps() {
        let text = "[ 1 , {\"a\": [2, \"],\"]}, \"x,]\", [],\n{}\n]";
        let ranges: Vec<_> = top_level_elements(text).unwrap().collect();
        let parts: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(parts, ["1", "{\"a\": [2, \"],\"]}", "\"x,]\"", "[]", "{}"]);
        assert!(top_level_elements("{\"a\": [1]}").is_none());
        assert_eq!(top_level_elements(" [ ] ").unwrap().count(), 0);
        let map = span_map_at(text, ranges[1].start, "/1");
        let a1 = map.get("/1/a/1").unwrap();
        assert_eq!(&text[a1.value.clone()], "\"],\"");
        assert_eq!(
            &text[map.get("/1/a").unwrap().key.clone().unwrap()],
            "\"a\""
        );
        assert!(
            map.get("/2").is_none(),
            "the scan stops at the element's end"
        );
        let whole = span_map(text);
        assert_eq!(whole.get("/1/a/1"), map.get("/1/a/1"));
    }

    #[test]
    fn span_map_decodes_escaped_keys() {
        let text = r#"{"a\u0062": [true]}"#;
        let map = span_map(text);
        assert_eq!(map.get("/ab/0").unwrap().text(text), "true");
    }
}
