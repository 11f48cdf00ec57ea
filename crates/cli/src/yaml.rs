//! YAML configuration files: documents as JSON values, with bounds, and a lazy span map.
//!
//! Built on the `saphyr-parser` event stream (a YAML 1.2 parser that gives every event a source
//! span). The builder is iterative and refuses what would hurt the linter: nesting deeper than
//! [`MAX_DEPTH`], and alias expansion past [`MAX_NODES`] values per document (the "billion
//! laughs" bomb). Plain scalars resolve with the YAML 1.2 core schema (`true`, `null`, `12`,
//! `1.5`); quoted and block scalars are strings. A duplicated mapping key is reported, as in JSON.
//! YAML 1.1 merge keys are understood (`<<: *anchor`, `<<: [*a, *b]`: explicit keys win, earlier
//! merges win over later ones); a merged value is placed, in the span map, where it was written.

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

/// Converts the parser's character indexes to byte offsets: equal in ASCII text; else from a
/// cursor that moves from the last position asked (the parser's positions come nearly in order,
/// so this is linear overall, with no table of every character's offset).
#[derive(Debug, Clone)]
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    /// (character index, byte offset) of the last position converted.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let (mut at_char, mut at_byte) = self.cursor.get();
        if char_index >= at_char {
            for c in self.text[at_byte..].chars() {
                if at_char == char_index {
                    break;
                }
                at_char += 1;
                at_byte += c.len_utf8();
            }
        } else {
            for c in self.text[..at_byte].chars().rev() {
                at_char -= 1;
                at_byte -= c.len_utf8();
                if at_char == char_index {
                    break;
                }
            }
        }
        self.cursor.set((at_char, at_byte));
        at_byte
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
        /// The pending key is the merge key `<<`.
        merging: bool,
        /// Mappings brought in by merge keys, in order (earlier wins).
        merges: Vec<Map<String, Value>>,
    },
}

/// The YAML 1.1 merge key: a plain, untagged `<<`.
const MERGE_KEY: &str = "<<";

/// Apply a mapping's merge keys: explicit keys win, earlier merges win over later ones.
fn apply_merges(map: &mut Map<String, Value>, merges: Vec<Map<String, Value>>) {
    for merged in merges {
        for (k, v) in merged {
            if !map.contains_key(&k) {
                map.insert(k, v);
            }
        }
    }
}

/// Parse every document of a YAML stream.
pub fn parse(text: &str) -> Result<ParsedYaml, YamlError> {
    let mut documents = Vec::new();
    let mut duplicates = Vec::new();
    for doc in Documents::new(text) {
        let doc = doc?;
        duplicates.extend(doc.duplicates.into_iter().map(|p| (doc.index, p)));
        documents.push(doc.value);
    }
    Ok(ParsedYaml {
        documents,
        duplicates,
    })
}

/// One document of a YAML stream: its value, its duplicated keys, and its events (kept so that
/// its span map is built from the same single pass over the text, see [`Document::span_map`]).
#[derive(Debug)]
pub struct Document<'t> {
    /// The document's index in the stream.
    pub index: usize,
    pub value: Value,
    /// Pointers of duplicated mapping keys.
    pub duplicates: Vec<String>,
    events: Vec<(Event<'t>, Span)>,
    /// Bytes from its first node to the end of its last.
    range: std::ops::Range<usize>,
    /// The stream's offsets, the cursor at the document's start.
    offsets: Offsets<'t>,
}

impl Document<'_> {
    /// Bytes from the document's first node to the end of its last (empty for an empty one).
    pub fn range(&self) -> std::ops::Range<usize> {
        self.range.clone()
    }

    /// The byte ranges of the document's anchored nodes (`&name`): an edit there would change
    /// every alias of it.
    pub fn anchored_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let byte = |m: &saphyr_parser::Marker| self.offsets.byte(m.index());
        let mut stack: Vec<(usize, usize)> = Vec::new();
        let mut out = Vec::new();
        for (event, span) in &self.events {
            match event {
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                    stack.push((byte(&span.start), *anchor));
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some((start, anchor)) = stack.pop()
                        && anchor > 0
                    {
                        out.push(start..byte(&span.end).max(start + 1));
                    }
                }
                Event::Scalar(_, _, anchor, _) if *anchor > 0 => {
                    let start = byte(&span.start);
                    out.push(start..byte(&span.end).max(start + 1));
                }
                _ => {}
            }
        }
        out
    }

    /// The span map of this document.
    ///
    /// A value reached through an alias has no position of its own; its pointer falls back to
    /// the alias (see [`SpanMap::find`]). A value a merge key brought in (`<<: *anchor`) is
    /// placed where it was written, under the anchor, and remembers the alias that brought it in.
    pub fn span_map(&self) -> SpanMap {
        let mut builder = SpanBuilder::with_offsets(self.offsets.clone());
        for (event, span) in &self.events {
            if !builder.event(event, span) {
                break;
            }
        }
        builder.map
    }
}

/// The documents of a YAML stream, one at a time: the parser runs once over the text, and a
/// document's value and events are dropped when the caller is done with it (a stream of many
/// documents is linted in memory bounded by its largest document, see [`MAX_NODES`]).
pub struct Documents<'t> {
    text: &'t str,
    offsets: Offsets<'t>,
    parser: Parser<'t, saphyr_parser::StrInput<'t>>,
    index: usize,
    failed: bool,
}

impl<'t> Documents<'t> {
    pub fn new(text: &'t str) -> Self {
        Documents {
            text,
            offsets: Offsets::new(text),
            parser: Parser::new_from_str(text),
            index: 0,
            failed: false,
        }
    }

    /// The next document, or the error that ends the stream.
    fn next_document(&mut self) -> Option<Result<Document<'t>, YamlError>> {
        let mut builder = ValueBuilder::default();
        let mut events: Vec<(Event<'t>, Span)> = Vec::new();
        let mut started = false;
        loop {
            let (event, span) = match self.parser.next()? {
                Ok(e) => e,
                Err(e) => {
                    return Some(Err(YamlError {
                        offset: self.offsets.byte(e.marker().index()),
                        message: e.info().to_owned(),
                    }));
                }
            };
            match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
                Event::DocumentStart(_) => started = true,
                Event::DocumentEnd if started => {
                    let index = self.index;
                    self.index += 1;
                    let offsets = self.offsets.clone();
                    let range = match (events.first(), events.last()) {
                        (Some((_, first)), Some((_, last))) => {
                            let start = offsets.byte(first.start.index());
                            let end = self.offsets.byte(last.end.index());
                            start..end.max(start)
                        }
                        _ => 0..0,
                    };
                    return Some(Ok(Document {
                        index,
                        value: builder.root.take().unwrap_or(Value::Null),
                        duplicates: builder.duplicates,
                        events,
                        range,
                        offsets,
                    }));
                }
                Event::DocumentEnd => {}
                event => {
                    if let Err(e) = builder.event(&event, &span, self.text, &self.offsets) {
                        return Some(Err(e));
                    }
                    events.push((event, span));
                }
            }
        }
    }
}

impl std::fmt::Debug for Documents<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<'t> Iterator for Documents<'t> {
    type Item = Result<Document<'t>, YamlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_document();
        self.failed = matches!(next, Some(Err(_)));
        next
    }
}

/// Builds one document's value from its events, within the bounds.
#[derive(Default)]
struct ValueBuilder {
    stack: Vec<Frame>,
    /// anchor id -> (value, number of values in it)
    anchors: HashMap<usize, (Value, usize)>,
    nodes: usize,
    root: Option<Value>,
    duplicates: Vec<String>,
}

impl ValueBuilder {
    /// Take one event of the document (not a stream or document event).
    fn event(
        &mut self,
        event: &Event<'_>,
        span: &Span,
        text: &str,
        offsets: &Offsets<'_>,
    ) -> Result<(), YamlError> {
        let fail = |message: String| YamlError {
            offset: offsets.byte(span.start.index()),
            message,
        };
        let mut is_merge_key = false;
        let (value, anchor, count) = match event {
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                return self.open(event, *anchor, tag.as_deref()).map_err(fail);
            }
            Event::SequenceEnd | Event::MappingEnd => match self.close() {
                Some(done) => done,
                None => return Ok(()),
            },
            Event::Scalar(text, style, anchor, tag) => {
                self.nodes += 1;
                is_merge_key = *style == ScalarStyle::Plain && tag.is_none() && text == MERGE_KEY;
                (
                    scalar(text, *style, tag.as_deref()).map_err(fail)?,
                    *anchor,
                    1,
                )
            }
            Event::Alias(id) => {
                let Some((value, count)) = self.anchors.get(id) else {
                    return Err(fail("alias to an unknown anchor".to_owned()));
                };
                if self.nodes + count > MAX_NODES {
                    return Err(fail(format!(
                        "aliases expand this document past {MAX_NODES} values; refusing it"
                    )));
                }
                self.nodes += count;
                (value.clone(), 0, *count)
            }
            _ => return Ok(()),
        };
        if self.nodes > MAX_NODES {
            return Err(fail(format!("document holds more than {MAX_NODES} values")));
        }
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), count));
        }
        let raw = || text[offsets.range(span)].to_owned();
        self.attach(value, is_merge_key, raw).map_err(fail)
    }

    /// A mapping or sequence starts.
    fn open(
        &mut self,
        event: &Event<'_>,
        anchor: usize,
        tag: Option<&saphyr_parser::Tag>,
    ) -> Result<(), String> {
        let is_seq = matches!(event, Event::SequenceStart(..));
        let expected = if is_seq { "seq" } else { "map" };
        if let Some(tag) = tag
            && !(tag.is_yaml_core_schema() && tag.suffix == expected)
        {
            return Err(unsupported_tag(tag));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        self.nodes += 1;
        let nodes_at_start = self.nodes;
        self.stack.push(if is_seq {
            Frame::Seq {
                items: Vec::new(),
                anchor,
                nodes_at_start,
            }
        } else {
            Frame::Map {
                map: Map::new(),
                anchor,
                nodes_at_start,
                key: None,
                merging: false,
                merges: Vec::new(),
            }
        });
        Ok(())
    }

    /// A mapping or sequence ends: its value, anchor and number of values.
    fn close(&mut self) -> Option<(Value, usize, usize)> {
        match self.stack.pop()? {
            Frame::Seq {
                items,
                anchor,
                nodes_at_start,
            } => Some((Value::Array(items), anchor, self.nodes - nodes_at_start + 1)),
            Frame::Map {
                mut map,
                anchor,
                nodes_at_start,
                merges,
                ..
            } => {
                apply_merges(&mut map, merges);
                Some((Value::Object(map), anchor, self.nodes - nodes_at_start + 1))
            }
        }
    }

    /// Attach a finished value to its parent (`raw`: the value's text, for a non-string key).
    fn attach(
        &mut self,
        value: Value,
        is_merge_key: bool,
        raw: impl FnOnce() -> String,
    ) -> Result<(), String> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                key: key @ None,
                merging,
                ..
            }) if is_merge_key => {
                *key = Some(MERGE_KEY.to_owned());
                *merging = true;
            }
            Some(Frame::Map {
                key,
                merging: merging @ true,
                merges,
                ..
            }) => {
                *key = None;
                *merging = false;
                match value {
                    Value::Object(m) => merges.push(m),
                    Value::Array(items) if items.iter().all(Value::is_object) => {
                        merges.extend(items.into_iter().filter_map(|i| match i {
                            Value::Object(m) => Some(m),
                            _ => None,
                        }));
                    }
                    _ => {
                        return Err("a merge key (<<) takes a mapping or a list of mappings, such as *anchor or [*a, *b]".to_owned());
                    }
                }
            }
            Some(Frame::Map {
                key: slot @ None, ..
            }) => {
                *slot = Some(match value {
                    Value::String(s) => s,
                    // A plain scalar key like `1` or `true`: keep its text.
                    Value::Bool(_) | Value::Number(_) | Value::Null => raw(),
                    Value::Array(_) | Value::Object(_) => {
                        return Err("a mapping key must be a string, not a collection".to_owned());
                    }
                });
            }
            Some(Frame::Map { map, key, .. }) => {
                let key = key.take().unwrap_or_default();
                if map.contains_key(&key) {
                    self.duplicates.push(pointer_of(&self.stack, &key));
                }
                if let Some(Frame::Map { map, .. }) = self.stack.last_mut() {
                    map.insert(key, value);
                }
            }
        }
        Ok(())
    }
}

/// A scalar's value: plain scalars resolve with the core schema, others are strings; a tag must
/// agree with the value.
fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> Result<Value, String> {
    let is_str_tag = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
    let value = if style == ScalarStyle::Plain && !is_str_tag {
        resolve_plain(text)
    } else {
        Value::String(text.to_owned())
    };
    match tag {
        Some(tag) if !tag_matches(tag, &value) => Err(unsupported_tag(tag)),
        _ => Ok(value),
    }
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

/// A collection open while building a span map.
enum SpanFrame {
    Seq {
        base: usize,
        next: usize,
        /// Items of a `<<: [*a, *b]` list merge into the mapping at this pointer.
        merge_into: Option<String>,
        anchor: Option<(usize, usize)>,
    },
    Map {
        base: usize,
        key: Option<std::ops::Range<usize>>,
        /// The pending key is the merge key.
        merging: bool,
        anchor: Option<(usize, usize)>,
    },
}

/// One node recorded in a span map: (pointer, key span, value span).
type LoggedNode = (
    String,
    Option<std::ops::Range<usize>>,
    std::ops::Range<usize>,
);

struct SpanBuilder<'t> {
    text: &'t str,
    offsets: Offsets<'t>,
    map: SpanMap,
    stack: Vec<SpanFrame>,
    path: String,
    /// Every node recorded, in order (anchors are ranges of it).
    log: Vec<LoggedNode>,
    /// anchor id -> (pointer of the anchored node, first and end index in `log`).
    anchors: HashMap<usize, (String, usize, usize)>,
}

impl<'t> SpanBuilder<'t> {
    fn with_offsets(offsets: Offsets<'t>) -> Self {
        SpanBuilder {
            text: offsets.text,
            offsets,
            map: SpanMap::default(),
            stack: Vec::new(),
            path: String::new(),
            log: Vec::new(),
            anchors: HashMap::new(),
        }
    }

    /// Handle one event of the document; `false` stops (a collection as a key).
    fn event(&mut self, event: &Event<'_>, span: &Span) -> bool {
        if matches!(event, Event::SequenceEnd | Event::MappingEnd) {
            self.end_collection();
            return true;
        }
        let mut range = self.offsets.range(span);
        if let Event::Scalar(
            _,
            style @ (ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted),
            ..,
        ) = event
        {
            // The parser's span of a quoted scalar may run past the closing quote.
            range.end = quoted_end(self.text, range.start, *style == ScalarStyle::DoubleQuoted)
                .unwrap_or(range.end);
        }
        // Is this node a mapping key?
        if let Some(SpanFrame::Map {
            key: key @ None,
            base,
            merging,
            ..
        }) = self.stack.last_mut()
        {
            if let Event::Scalar(k, style, _, tag) = event {
                self.path.truncate(*base);
                push_pointer_segment(&mut self.path, k);
                *merging = *style == ScalarStyle::Plain && tag.is_none() && k == MERGE_KEY;
            }
            *key = Some(range);
            // A collection as key: parse() refused it; stop.
            return matches!(event, Event::Scalar(..) | Event::Alias(..));
        }
        let (key_span, merge_into) = self.enter_value();
        self.record(self.path.clone(), key_span, range.clone());
        let anchor_id = match event {
            Event::SequenceStart(a, _) | Event::MappingStart(a, _) | Event::Scalar(_, _, a, _) => {
                *a
            }
            _ => 0,
        };
        let anchor = (anchor_id > 0).then(|| (anchor_id, self.log.len() - 1));
        match event {
            Event::SequenceStart(..) => self.stack.push(SpanFrame::Seq {
                base: self.path.len(),
                next: 0,
                merge_into,
                anchor,
            }),
            Event::MappingStart(..) => self.stack.push(SpanFrame::Map {
                base: self.path.len(),
                key: None,
                merging: false,
                anchor,
            }),
            _ => {
                if let Some((id, start)) = anchor {
                    self.anchors
                        .insert(id, (self.path.clone(), start, self.log.len()));
                }
                if let (Event::Alias(id), Some(into)) = (event, merge_into) {
                    self.merge(*id, &into, range);
                }
                self.truncate_to_parent();
            }
        }
        true
    }

    /// A value starts in the innermost collection: its key's span (in a mapping; the path is
    /// already the member's) or its index pushed on the path (in a sequence), and the mapping
    /// it merges into, when it is a merge key's value or an item of one.
    fn enter_value(&mut self) -> (Option<std::ops::Range<usize>>, Option<String>) {
        match self.stack.last_mut() {
            Some(SpanFrame::Map {
                key, merging, base, ..
            }) => {
                let merge_into = std::mem::take(merging).then(|| self.path[..*base].to_owned());
                (key.take(), merge_into)
            }
            Some(SpanFrame::Seq {
                base,
                next,
                merge_into,
                ..
            }) => {
                self.path.truncate(*base);
                self.path.push('/');
                self.path.push_str(&next.to_string());
                *next += 1;
                (None, merge_into.clone())
            }
            None => (None, None),
        }
    }

    fn end_collection(&mut self) {
        let anchor = match self.stack.pop() {
            Some(SpanFrame::Seq { anchor, .. } | SpanFrame::Map { anchor, .. }) => anchor,
            None => None,
        };
        if let Some((id, start)) = anchor
            && let Some((pointer, ..)) = self.log.get(start)
        {
            let pointer = pointer.clone();
            self.anchors.insert(id, (pointer, start, self.log.len()));
        }
        self.truncate_to_parent();
    }

    fn truncate_to_parent(&mut self) {
        if let Some(SpanFrame::Seq { base, .. } | SpanFrame::Map { base, .. }) = self.stack.last() {
            self.path.truncate(*base);
        }
    }

    fn record(
        &mut self,
        pointer: String,
        key: Option<std::ops::Range<usize>>,
        value: std::ops::Range<usize>,
    ) {
        self.map.insert(pointer.clone(), key.clone(), value.clone());
        self.log.push((pointer, key, value));
    }

    /// Place the members of anchor `id` under the mapping at `into`, as a merge key does.
    fn merge(&mut self, id: usize, into: &str, alias: std::ops::Range<usize>) {
        let Some((prefix, start, end)) = self.anchors.get(&id).cloned() else {
            return;
        };
        let alias_text = self.text.get(alias.clone()).unwrap_or("*").to_owned();
        let nodes: Vec<LoggedNode> = self.log.get(start..end).unwrap_or_default().to_vec();
        for (pointer, key, value) in nodes {
            let Some(rel) = pointer
                .strip_prefix(prefix.as_str())
                .filter(|r| !r.is_empty())
            else {
                continue;
            };
            let target = format!("{into}{rel}");
            if self.map.insert_merged(
                target.clone(),
                key.clone(),
                value.clone(),
                (alias_text.clone(), alias.clone()),
            ) {
                self.log.push((target, key, value));
            }
        }
    }
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
    fn merge_keys_follow_yaml_1_1() {
        // Explicit keys win wherever they are written; earlier merges win over later ones.
        let v = one(
            "a: &a {x: 1, y: 1, z: 1}\nb: &b {y: 2, w: 2}\nc:\n  x: 0\n  <<: [*a, *b]\n  z: 3\nd: {<<: *b, '<<': lit}\n",
        );
        assert_eq!(v["c"], serde_json::json!({"x": 0, "z": 3, "y": 1, "w": 2}));
        // A quoted `<<` is an ordinary key.
        assert_eq!(v["d"], serde_json::json!({"<<": "lit", "y": 2, "w": 2}));
        // Nested: a merged mapping that itself merges.
        let v = one("a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b}\n");
        assert_eq!(v["c"], serde_json::json!({"y": 2, "x": 1}));
        for bad in ["a: {<<: 1}\n", "a: &a [1]\nb: {<<: *a}\n", "b: {<<: [1]}\n"] {
            let err = parse(bad).unwrap_err();
            assert!(err.message.contains("merge key"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn merged_values_are_placed_where_they_are_written() {
        let text = "- &p\n  name: a\n  configValues: &v\n    url: u1\n    k: 1\n- <<: *p\n  configValues:\n    <<: *v\n    k: 2\n";
        let map = span_map(text, 0);
        let url = map.get("/1/configValues/url").unwrap();
        assert_eq!(&text[url.value.clone()], "u1");
        let (alias, at) = url.merged_from.clone().unwrap();
        assert_eq!((alias.as_str(), &text[at]), ("*v", "*v"));
        let k = map.get("/1/configValues/k").unwrap();
        assert!(k.merged_from.is_none());
        assert_eq!(&text[k.value.clone()], "2");
        let name = map.get("/1/name").unwrap();
        assert_eq!(name.merged_from.as_ref().unwrap().0, "*p");
    }

    /// The span map of document `doc` of `text`.
    fn span_map(text: &str, doc: usize) -> SpanMap {
        Documents::new(text).nth(doc).unwrap().unwrap().span_map()
    }

    /// A span map's nodes, sorted, every range moved `by` bytes.
    fn shifted(map: &SpanMap, by: usize) -> Vec<(String, crate::spans::NodeSpan)> {
        let r = |r: &std::ops::Range<usize>| r.start + by..r.end + by;
        let mut nodes: Vec<_> = map
            .iter()
            .map(|(p, n)| {
                let node = crate::spans::NodeSpan {
                    key: n.key.as_ref().map(r),
                    value: r(&n.value),
                    first_key: n.first_key.as_ref().map(r),
                    earlier: n
                        .earlier
                        .iter()
                        .map(|(k, v)| (k.as_ref().map(r), r(v)))
                        .collect(),
                    merged_from: n.merged_from.as_ref().map(|(a, at)| (a.clone(), r(at))),
                };
                (p.to_owned(), node)
            })
            .collect();
        nodes.sort_by(|x, y| x.0.cmp(&y.0));
        nodes
    }

    #[test]
    fn documents_of_a_stream_are_placed_as_if_each_were_alone() {
        // Each document's span map and anchored nodes, from the one pass over the stream, are
        // those of the same text parsed on its own, moved to where it starts (non-ASCII text
        // before it included).
        let text = "a: &x {k: 1}\nb: *x\n---\n- \u{e9}t\u{e9}: 2\n  c: [1, &y 2]\n---\n---\nz: {<<: {m: 1}, \u{e9}: [&w x, *w]}\n";
        let parsed = parse(text).unwrap();
        let docs: Vec<Document<'_>> = Documents::new(text).map(Result::unwrap).collect();
        assert_eq!(docs.len(), parsed.documents.len());
        let mut start = 0;
        let mut anchored = 0;
        for (i, part) in text.split("---\n").enumerate() {
            let doc = &docs[i];
            assert_eq!((doc.index, &doc.value), (i, &parsed.documents[i]));
            if part.is_empty() {
                assert_eq!(doc.value, Value::Null);
            } else {
                let alone = Documents::new(part).next().unwrap().unwrap();
                assert!(alone.span_map().iter().count() > 1, "document {i}");
                assert_eq!(
                    shifted(&doc.span_map(), 0),
                    shifted(&alone.span_map(), start),
                    "document {i}"
                );
                let moved: Vec<_> = alone
                    .anchored_ranges()
                    .iter()
                    .map(|r| r.start + start..r.end + start)
                    .collect();
                assert_eq!(doc.anchored_ranges(), moved, "document {i}");
                anchored += moved.len();
            }
            start += part.len() + "---\n".len();
        }
        assert_eq!(anchored, 3, "&x, &y and &w");
        assert_eq!(
            text[docs[1].range()].trim_end(),
            "- \u{e9}t\u{e9}: 2\n  c: [1, &y 2]"
        );
        // An error in a later document ends the stream after the earlier ones.
        let mut docs = Documents::new("a: 1\n---\nb: [\n");
        assert!(docs.next().unwrap().is_ok());
        assert!(docs.next().unwrap().is_err());
        assert!(docs.next().is_none());
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
