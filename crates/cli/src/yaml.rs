//! YAML configuration files: documents as JSON values, with bounds, and a lazy span map.
//!
//! Built on the `saphyr-parser` event stream (a YAML 1.2 parser that gives every event a source
//! span). The builder is iterative and refuses what would hurt the linter: nesting deeper than
//! [`MAX_DEPTH`], and alias expansion past [`MAX_NODES`] values per document (the "billion
//! laughs" bomb). Plain scalars resolve with the YAML 1.2 core schema (`true`, `null`, `12`,
//! `1.5`); quoted and block scalars are strings. A duplicated mapping key is reported, as in JSON.

use crate::spans::{SpanMap, push_pointer_segment};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// Deepest nesting of mappings and sequences accepted (the same bound serde_json applies).
pub const MAX_DEPTH: usize = 128;
/// Most values one document may expand to, aliases included.
pub const MAX_NODES: usize = 100_000;

/// The documents of a YAML stream, with the pointers of duplicated keys (document index, pointer).
#[derive(Debug)]
pub struct ParsedYaml {
    pub documents: Vec<Value>,
    pub duplicates: Vec<(usize, String)>,
}

/// Why a YAML text was refused, and where (byte offset).
#[derive(Debug)]
pub struct YamlError {
    pub offset: usize,
    pub message: String,
}

/// Converts the parser's character indexes to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    /// Byte offset of each character; empty for ASCII text, where they are equal.
    table: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        Offsets { text, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.text.len())
        } else {
            self.table
                .get(char_index)
                .copied()
                .unwrap_or(self.text.len())
        }
    }

    fn range(&self, span: &Span) -> std::ops::Range<usize> {
        self.byte(span.start.index())..self.byte(span.end.index())
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        nodes_at_start: usize,
    },
    Map {
        map: Map<String, Value>,
        anchor: usize,
        nodes_at_start: usize,
        key: Option<String>,
    },
}

/// Parse every document of a YAML stream.
pub fn parse(text: &str) -> Result<ParsedYaml, YamlError> {
    let offsets = Offsets::new(text);
    let mut documents = Vec::new();
    let mut duplicates = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // anchor id -> (value, number of values in it)
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Value> = None;
    let fail = |span: &Span, message: String| YamlError {
        offset: offsets.byte(span.start.index()),
        message,
    };

    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            offset: offsets.byte(e.marker().index()),
            message: e.info().to_owned(),
        })?;
        let (value, anchor, count) = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                anchors.clear();
                nodes = 0;
                root = None;
                continue;
            }
            Event::DocumentEnd => {
                documents.push(root.take().unwrap_or(Value::Null));
                continue;
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let expected = if matches!(event, Event::SequenceStart(..)) {
                    "seq"
                } else {
                    "map"
                };
                if let Some(tag) = tag
                    && !(tag.is_yaml_core_schema() && tag.suffix == expected)
                {
                    return Err(fail(&span, unsupported_tag(tag)));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(
                        &span,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                nodes += 1;
                if matches!(event, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq {
                        items: Vec::new(),
                        anchor,
                        nodes_at_start: nodes,
                    });
                } else {
                    stack.push(Frame::Map {
                        map: Map::new(),
                        anchor,
                        nodes_at_start: nodes,
                        key: None,
                    });
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    anchor,
                    nodes_at_start,
                }) => (Value::Array(items), anchor, nodes - nodes_at_start + 1),
                Some(Frame::Map {
                    map,
                    anchor,
                    nodes_at_start,
                    ..
                }) => (Value::Object(map), anchor, nodes - nodes_at_start + 1),
                None => continue,
            },
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                let is_str_tag = tag
                    .as_ref()
                    .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::String(text.into_owned())
                };
                if let Some(tag) = &tag
                    && !tag_matches(tag, &value)
                {
                    return Err(fail(&span, unsupported_tag(tag)));
                }
                (value, anchor, 1)
            }
            Event::Alias(id) => {
                let Some((value, count)) = anchors.get(&id) else {
                    return Err(fail(&span, "alias to an unknown anchor".to_owned()));
                };
                if nodes + count > MAX_NODES {
                    return Err(fail(
                        &span,
                        format!(
                            "aliases expand this document past {MAX_NODES} values; refusing it"
                        ),
                    ));
                }
                nodes += count;
                (value.clone(), 0, *count)
            }
        };
        if nodes > MAX_NODES {
            return Err(fail(
                &span,
                format!("document holds more than {MAX_NODES} values"),
            ));
        }
        if anchor > 0 {
            anchors.insert(anchor, (value.clone(), count));
        }
        // Attach the finished value to its parent.
        let doc_index = documents.len();
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { key: None, .. }) => {
                let key = match value {
                    Value::String(s) => s,
                    Value::Bool(_) | Value::Number(_) | Value::Null => {
                        // A plain scalar key like `1` or `true`: keep its text.
                        let raw = &text[offsets.range(&span)];
                        raw.to_owned()
                    }
                    Value::Array(_) | Value::Object(_) => {
                        return Err(fail(
                            &span,
                            "a mapping key must be a string, not a collection".to_owned(),
                        ));
                    }
                };
                if let Some(Frame::Map { key: slot, .. }) = stack.last_mut() {
                    *slot = Some(key);
                }
            }
            Some(Frame::Map { map, key, .. }) => {
                let key = key.take().unwrap_or_default();
                if map.contains_key(&key) {
                    duplicates.push((doc_index, pointer_of(&stack, &key)));
                }
                if let Some(Frame::Map { map, .. }) = stack.last_mut() {
                    map.insert(key, value);
                }
            }
        }
    }
    Ok(ParsedYaml {
        documents,
        duplicates,
    })
}

/// Whether a scalar's tag agrees with the value it resolved to. Only the YAML core schema tags
/// are understood; any other tag (`!vault`, `!!binary`) changes what the value means in a way
/// ldic cannot honour, so it is refused rather than silently read as plain text.
fn tag_matches(tag: &saphyr_parser::Tag, value: &Value) -> bool {
    if !tag.is_yaml_core_schema() {
        return false;
    }
    match tag.suffix.as_str() {
        "str" => value.is_string(),
        "bool" => value.is_boolean(),
        "int" => value.is_i64() || value.is_u64(),
        "float" => value.is_number(),
        "null" => value.is_null(),
        _ => false,
    }
}

fn unsupported_tag(tag: &saphyr_parser::Tag) -> String {
    let shown = if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    format!(
        "the YAML tag {shown} is not supported here (ldic reads plain YAML values; only core tags that agree with the value, like !!str, are accepted)"
    )
}

/// The pointer of member `key` of the innermost mapping on the stack.
fn pointer_of(stack: &[Frame], key: &str) -> String {
    let mut p = String::new();
    let parents = stack.len().saturating_sub(1);
    for frame in &stack[..parents] {
        match frame {
            Frame::Seq { items, .. } => {
                p.push('/');
                p.push_str(&items.len().to_string());
            }
            Frame::Map { key, .. } => push_pointer_segment(&mut p, key.as_deref().unwrap_or("")),
        }
    }
    push_pointer_segment(&mut p, key);
    p
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let looks_numeric = s
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'));
    if looks_numeric {
        if let Some(hex) = s.strip_prefix("0x") {
            if let Ok(n) = u64::from_str_radix(hex, 16) {
                return Value::from(n);
            }
        } else if let Some(oct) = s.strip_prefix("0o") {
            if let Ok(n) = u64::from_str_radix(oct, 8) {
                return Value::from(n);
            }
        } else if s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'+')
        {
            if let Ok(n) = s.parse::<i64>() {
                return Value::from(n);
            }
            if let Ok(n) = s.parse::<u64>() {
                return Value::from(n);
            }
        } else if s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
            && let Ok(f) = s.parse::<f64>()
            && let Some(n) = Number::from_f64(f)
        {
            return Value::Number(n);
        }
    }
    Value::String(s.to_owned())
}

/// The span map of document `doc` of a YAML text that [`parse`] accepted.
///
/// A value reached through an alias has no position of its own; its pointer falls back to the
/// alias (see [`SpanMap::find`]).
pub fn span_map(text: &str, doc: usize) -> SpanMap {
    enum F {
        Seq {
            base: usize,
            next: usize,
        },
        Map {
            base: usize,
            key: Option<std::ops::Range<usize>>,
        },
    }
    let offsets = Offsets::new(text);
    let mut map = SpanMap::default();
    let mut stack: Vec<F> = Vec::new();
    let mut path = String::new();
    let mut current_doc: Option<usize> = None;
    let mut seen_docs = 0usize;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        match event {
            Event::DocumentStart(_) => {
                current_doc = Some(seen_docs);
                seen_docs += 1;
                continue;
            }
            Event::DocumentEnd => {
                if current_doc == Some(doc) {
                    break;
                }
                current_doc = None;
                continue;
            }
            _ if current_doc != Some(doc) => continue,
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                if let Some(F::Seq { base, .. } | F::Map { base, .. }) = stack.last() {
                    path.truncate(*base);
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            _ => {}
        }
        let mut range = offsets.range(&span);
        if let Event::Scalar(
            _,
            style @ (ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted),
            ..,
        ) = &event
        {
            // The parser's span of a quoted scalar may run past the closing quote.
            range.end = quoted_end(text, range.start, *style == ScalarStyle::DoubleQuoted)
                .unwrap_or(range.end);
        }
        // Is this node a mapping key?
        if let Some(F::Map {
            key: key @ None,
            base,
        }) = stack.last_mut()
        {
            if let Event::Scalar(k, ..) = &event {
                path.truncate(*base);
                push_pointer_segment(&mut path, k);
            }
            *key = Some(range);
            if !matches!(event, Event::Scalar(..) | Event::Alias(..)) {
                // A collection as key: parse() refused it; skip its contents.
                break;
            }
            continue;
        }
        let key_span = match stack.last_mut() {
            Some(F::Map { key, .. }) => key.take(),
            Some(F::Seq { base, next }) => {
                path.truncate(*base);
                path.push('/');
                path.push_str(&next.to_string());
                *next += 1;
                None
            }
            None => None,
        };
        map.insert(path.clone(), key_span, range);
        match event {
            Event::SequenceStart(..) => stack.push(F::Seq {
                base: path.len(),
                next: 0,
            }),
            Event::MappingStart(..) => stack.push(F::Map {
                base: path.len(),
                key: None,
            }),
            _ => {
                if let Some(F::Seq { base, .. } | F::Map { base, .. }) = stack.last() {
                    path.truncate(*base);
                }
            }
        }
    }
    map
}

/// End (exclusive) of the quoted scalar opening at `start`.
fn quoted_end(text: &str, start: usize, double: bool) -> Option<usize> {
    let b = text.as_bytes();
    let quote = if double { b'"' } else { b'\'' };
    if b.get(start) != Some(&quote) {
        return None;
    }
    let mut pos = start + 1;
    while let Some(&c) = b.get(pos) {
        if double && c == b'\\' {
            pos += 2;
        } else if c == quote {
            if !double && b.get(pos + 1) == Some(&quote) {
                pos += 2;
            } else {
                return Some(pos + 1);
            }
        } else {
            pos += 1;
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    fn one(text: &str) -> Value {
        let mut p = parse(text).unwrap();
        assert_eq!(p.documents.len(), 1);
        p.documents.remove(0)
    }

    #[test]
    fn core_schema_scalars() {
        let v =
            one("a: true\nb: ~\nc: 12\nd: -1.5\ne: '12'\nf: hello world\ng: 0x1f\nh: !!str 7\n");
        assert_eq!(
            v,
            serde_json::json!({"a": true, "b": null, "c": 12, "d": -1.5, "e": "12",
                "f": "hello world", "g": 31, "h": "7"})
        );
    }

    #[test]
    fn multi_document_and_duplicates() {
        let p = parse("a: 1\n---\nb:\n  c: 1\n  c: 2\n").unwrap();
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[1]["b"]["c"], 2);
        assert_eq!(p.duplicates, vec![(1, "/b/c".to_owned())]);
    }

    #[test]
    fn aliases_expand_within_bounds() {
        let v = one("base: &b {x: 1}\ncopy: *b\n");
        assert_eq!(v["copy"]["x"], 1);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&text).is_err());
        let mut block = String::new();
        for i in 0..200 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        let err = parse(&block).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{}", err.message);
    }

    #[test]
    fn tags_other_than_agreeing_core_tags_are_refused() {
        let v =
            one("a: !!str 7\nb: !!int 7\nc: !!bool true\nd: !!map {x: !!seq [1]}\ne: !!float 1\n");
        assert_eq!(
            v,
            serde_json::json!({"a": "7", "b": 7, "c": true, "d": {"x": [1]}, "e": 1})
        );
        for bad in [
            "k: !vault |\n  $ANSIBLE_VAULT;1.1\n",
            "k: !!binary aGVsbG8=\n",
            "k: !!int \"7\"\n",
            "k: !!bool yes\n",
            "k: !custom [1]\n",
            "k: !!seq {a: 1}\n",
            "!!set {a}\n",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.message.contains("YAML tag"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn syntax_error_has_a_position() {
        let text = "a: 1\nb: [1, 2\n";
        let err = parse(text).unwrap_err();
        assert!(err.offset <= text.len());
        assert!(!err.message.is_empty());
    }

    #[test]
    fn span_map_finds_nested_values_and_keys_per_document() {
        let text = "name: x\n---\nname: \u{e9}t\u{e9}\nconfigValues:\n  host: \"h\"\n  list:\n    - 1\n    - k: true\n";
        let map = span_map(text, 1);
        assert_eq!(
            &text[map.get("/name").unwrap().value.clone()],
            "\u{e9}t\u{e9}"
        );
        let host = map.get("/configValues/host").unwrap();
        assert_eq!(&text[host.key.clone().unwrap()], "host");
        assert_eq!(&text[host.value.clone()], "\"h\"");
        let k = map.get("/configValues/list/1/k").unwrap();
        assert_eq!(&text[k.value.clone()], "true");
        assert_eq!(
            &text[map.get("/configValues/list/0").unwrap().value.clone()],
            "1"
        );
        let first = span_map(text, 0);
        let quoted = "a: \"x\\\"y\"   # c\nb: 'it''s'  # d\n";
        let q = span_map(quoted, 0);
        assert_eq!(&quoted[q.get("/a").unwrap().value.clone()], "\"x\\\"y\"");
        assert_eq!(&quoted[q.get("/b").unwrap().value.clone()], "'it''s'");
        assert_eq!(&text[first.get("/name").unwrap().value.clone()], "x");
    }
}
