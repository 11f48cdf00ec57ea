//! What the cursor is on, for completion, read from text that may not parse: a document being
//! typed is broken most of the time (`"ho` with no closing quote, a key with no colon yet).
//!
//! JSON is read by a tolerant scan of the tokens of the whole text (strings, brackets, `:` and
//! `,`), which keeps the stack of objects and arrays around the cursor and, past it, the rest
//! of the enclosing objects (their other keys, and the configuration's `integrationKey` even
//! when it comes after `configValues`). YAML is read line by line by indentation, block style
//! only (flow mappings inside YAML are not completed).

use crate::config::INTEGRATION_KEY;
use std::ops::Range;

/// Where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A member key of the object at `path`.
    Key,
    /// The value of member `key` of the object at `path`.
    Value { key: String },
    /// An element of the array that is the value of member `key` of the object at `path`.
    Element { key: String },
}

/// The cursor's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Object keys from the root to the object the slot is in; array elements are `-`.
    pub path: Vec<String>,
    pub slot: Slot,
    /// What is typed of the word at the cursor (a completion replaces it).
    pub partial: Range<usize>,
    /// Whether the cursor is inside quotes (a completion then adds none).
    pub quoted: bool,
    /// For a key: the object's other keys; for an element: the array's other strings.
    pub siblings: Vec<String>,
    /// The `integrationKey` of the configuration around the cursor.
    pub integration_key: Option<String>,
}

/// An array element in [`Cursor::path`].
pub const ELEMENT: &str = "-";

impl Cursor {
    /// Whether `path` is a configuration object: the root, or an element of a root array.
    pub fn at_configuration(&self) -> bool {
        match self.path.as_slice() {
            [] => true,
            [e] => e == ELEMENT,
            _ => false,
        }
    }

    /// Whether `path` is a configuration's `configValues` object.
    pub fn in_config_values(&self) -> bool {
        match self.path.as_slice() {
            [k] => k == "configValues",
            [e, k] => e == ELEMENT && k == "configValues",
            _ => false,
        }
    }
}

// ---------------------------------------------------------------- JSON

#[derive(Debug)]
struct Frame {
    id: usize,
    object: bool,
    segment: String,
    key: Option<String>,
    expect_key: bool,
    /// Object keys, or an array's string elements.
    strings: Vec<String>,
    integration_key: Option<String>,
}

struct Found {
    cursor: Cursor,
    /// The frame whose strings are the siblings, and the configuration's frame.
    siblings_of: Option<usize>,
    config: Option<usize>,
}

/// The cursor at byte `offset` of a JSON text.
pub fn json(text: &str, offset: usize) -> Option<Cursor> {
    let bytes = text.as_bytes();
    let offset = offset.min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut found: Option<Found> = None;
    let mut next_id = 0usize;
    let mut i = 0usize;
    let finish = |found: &mut Option<Found>, frame: &Frame| {
        if let Some(f) = found.as_mut() {
            if f.siblings_of == Some(frame.id) {
                f.cursor.siblings.clone_from(&frame.strings);
            }
            if f.config == Some(frame.id) {
                f.cursor.integration_key.clone_from(&frame.integration_key);
            }
        }
    };
    loop {
        if found.is_none() && i >= offset {
            found = json_found(&stack, offset..offset, false);
        }
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => {
                let (end, value) = read_string(text, i);
                if found.is_none() && offset > i && offset <= end.content {
                    found = json_found(&stack, i + 1..offset, true);
                }
                record_string(&mut stack, value);
                i = end.next;
            }
            b'{' | b'[' => {
                open_frame(&mut stack, next_id, b == b'{');
                next_id += 1;
                i += 1;
            }
            b'}' | b']' => {
                if let Some(frame) = stack.pop() {
                    finish(&mut found, &frame);
                }
                i += 1;
            }
            b':' => {
                if let Some(top) = stack.last_mut() {
                    top.expect_key = false;
                }
                i += 1;
            }
            b',' => {
                if let Some(top) = stack.last_mut()
                    && top.object
                {
                    top.expect_key = true;
                    top.key = None;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| b" \t\r\n,:[]{}\"".contains(c))
                    .map_or(bytes.len(), |n| i + n);
                if found.is_none() && offset > i && offset <= end {
                    found = json_found(&stack, i..offset, false);
                }
                i = end.max(i + 1);
            }
        }
    }
    for frame in stack.iter().rev() {
        finish(&mut found, frame);
    }
    found.map(|f| f.cursor)
}

/// A string read in the container on top of the stack: a key, the configuration's
/// `integrationKey`, or an array's element.
fn record_string(stack: &mut [Frame], value: String) {
    let Some(top) = stack.last_mut() else { return };
    if top.object && top.expect_key {
        top.strings.push(value.clone());
        top.key = Some(value);
    } else if top.object {
        if top.key.as_deref() == Some(INTEGRATION_KEY) {
            top.integration_key = Some(value);
        }
    } else {
        top.strings.push(value);
    }
}

/// An object or array opens: a frame named after the member or element it is.
fn open_frame(stack: &mut Vec<Frame>, id: usize, object: bool) {
    let segment = match stack.last() {
        Some(top) if top.object => top.key.clone().unwrap_or_default(),
        Some(_) => ELEMENT.to_owned(),
        None => String::new(),
    };
    stack.push(Frame {
        id,
        object,
        segment,
        key: None,
        expect_key: object,
        strings: Vec::new(),
        integration_key: None,
    });
}

struct StringEnd {
    /// Where the content ends (the closing quote, or the end of the line when unterminated).
    content: usize,
    /// Where scanning goes on.
    next: usize,
}

/// The JSON string starting at the quote at `start` (tolerant: an unterminated one ends at the
/// end of its line), and its value with escapes kept as written but `\"` read.
fn read_string(text: &str, start: usize) -> (StringEnd, String) {
    let bytes = text.as_bytes();
    let mut j = start + 1;
    while let Some(&c) = bytes.get(j) {
        match c {
            b'\\' => j += 2,
            b'"' => {
                let value = text
                    .get(start + 1..j)
                    .unwrap_or_default()
                    .replace("\\\"", "\"");
                return (
                    StringEnd {
                        content: j,
                        next: j + 1,
                    },
                    value,
                );
            }
            b'\n' => break,
            _ => j += 1,
        }
    }
    let j = j.min(bytes.len());
    let value = text.get(start + 1..j).unwrap_or_default().to_owned();
    (
        StringEnd {
            content: j,
            next: j,
        },
        value,
    )
}

fn json_found(stack: &[Frame], partial: Range<usize>, quoted: bool) -> Option<Found> {
    let top = stack.last()?;
    let segments = || stack.iter().skip(1).map(|f| f.segment.clone());
    let (path, slot, siblings_of) = if top.object {
        let slot = if top.expect_key {
            Slot::Key
        } else {
            Slot::Value {
                key: top.key.clone().unwrap_or_default(),
            }
        };
        (segments().collect(), slot, Some(top.id))
    } else {
        let mut path: Vec<String> = segments().collect();
        path.pop();
        let slot = Slot::Element {
            key: top.segment.clone(),
        };
        (path, slot, Some(top.id))
    };
    let config = match stack.first() {
        Some(root) if root.object => Some(root.id),
        Some(_) => stack.get(1).filter(|f| f.object).map(|f| f.id),
        None => None,
    };
    Some(Found {
        cursor: Cursor {
            path,
            slot,
            partial,
            quoted,
            siblings: Vec::new(),
            integration_key: None,
        },
        siblings_of,
        config,
    })
}

// ---------------------------------------------------------------- YAML

/// One line of a YAML text, read for its structure.
#[derive(Debug)]
struct Line<'t> {
    start: usize,
    text: &'t str,
    indent: usize,
    /// Starts with `- `: a sequence item.
    item: bool,
    /// Where the content after the indentation (and `- `) starts in `text`, and its indent.
    content_at: usize,
}

impl<'t> Line<'t> {
    fn new(start: usize, text: &'t str) -> Self {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let indent = text.len() - text.trim_start_matches(' ').len();
        let rest = &text[indent..];
        let (item, content_at) = if rest == "-" || rest.starts_with("- ") {
            let after = rest.get(1..).unwrap_or("");
            (
                true,
                indent + 1 + (after.len() - after.trim_start_matches(' ').len()),
            )
        } else {
            (false, indent)
        };
        Line {
            start,
            text,
            indent,
            item,
            content_at,
        }
    }

    fn content(&self) -> &'t str {
        self.text.get(self.content_at..).unwrap_or("")
    }

    /// Blank, a comment or a document marker: no structure.
    fn is_blank(&self) -> bool {
        let c = self.text.trim();
        c.is_empty() || c.starts_with('#')
    }

    fn is_document_marker(&self) -> bool {
        self.text.starts_with("---") || self.text.starts_with("...")
    }

    /// `key: value` of the content (`value` without a trailing comment, maybe empty).
    fn member(&self) -> Option<(String, &'t str)> {
        let content = self.content();
        let (key, value) = match content.find(": ") {
            Some(i) => (&content[..i], &content[i + 2..]),
            None => (content.strip_suffix(':')?, ""),
        };
        let value = value.split(" #").next().unwrap_or("").trim();
        Some((unquote(key.trim()).to_owned(), value))
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q) {
            return inner.strip_suffix(q).unwrap_or(inner);
        }
    }
    s
}

/// The cursor at byte `offset` of a YAML text (block style).
pub fn yaml(text: &str, offset: usize) -> Option<Cursor> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for l in text.split('\n') {
        lines.push(Line::new(start, l));
        start += l.len() + 1;
    }
    let at = lines.iter().rposition(|l| l.start <= offset)?;
    let line = &lines[at];
    let typed = text.get(line.start..offset)?;
    if typed.trim_start().starts_with('#') || line.is_document_marker() {
        return None;
    }
    let content_start = line.start + line.content_at.min(typed.len());
    let typed_content = text.get(content_start..offset).unwrap_or("");
    let (slot, partial, quoted, key_indent) = if let Some(i) = typed_content.find(": ") {
        let key = unquote(typed_content[..i].trim()).to_owned();
        let value_at = content_start + i + 2;
        let value = text.get(value_at..offset).unwrap_or("");
        let skip = value.len() - value.trim_start().len();
        let value_at = value_at + skip;
        let value = value.trim_start();
        if let Some(flow) = value.strip_prefix('[') {
            let last = flow.rfind(',').map_or(0, |p| p + 1);
            let item = &flow[last..];
            let at = value_at + 1 + last + (item.len() - item.trim_start().len());
            let (at, quoted) = open_quote(text, at, offset);
            (Slot::Element { key }, at..offset, quoted, line.content_at)
        } else {
            let (at, quoted) = open_quote(text, value_at, offset);
            (Slot::Value { key }, at..offset, quoted, line.content_at)
        }
    } else if line.item
        && let Some(parent) = item_parent(&lines, at)
    {
        let (key, _) = lines[parent].member()?;
        let (at, quoted) = open_quote(text, content_start, offset);
        let cursor_path = parents(&lines, parent, lines[parent].content_at);
        return Some(finish_yaml(
            &lines,
            cursor_path,
            Slot::Element { key },
            at..offset,
            quoted,
            (at, lines[parent].content_at),
        ));
    } else {
        let (at, quoted) = open_quote(text, content_start, offset);
        (Slot::Key, at..offset, quoted, line.content_at)
    };
    let mut path = parents(&lines, at, key_indent);
    if line.item && key_indent > line.indent {
        path.push((ELEMENT.to_owned(), at, line.indent));
    }
    Some(finish_yaml(
        &lines,
        path,
        slot,
        partial,
        quoted,
        (at, key_indent),
    ))
}

/// Past an opening quote at `at` (before `offset`): where the word starts, and whether quoted.
fn open_quote(text: &str, at: usize, offset: usize) -> (usize, bool) {
    match text.get(at..offset).and_then(|s| s.chars().next()) {
        Some('"' | '\'') => (at + 1, true),
        _ => (at, false),
    }
}

/// The `key:` line a sequence item at line `at` belongs to (same or smaller indent).
fn item_parent(lines: &[Line<'_>], at: usize) -> Option<usize> {
    let indent = lines[at].indent;
    for i in (0..at).rev() {
        let l = &lines[i];
        if l.is_document_marker() {
            return None;
        }
        if l.is_blank() || l.indent > indent || (l.indent == indent && l.item) {
            continue;
        }
        return l.member().filter(|(_, v)| v.is_empty()).map(|_| i);
    }
    None
}

/// The chain of `key:` lines (and sequence items) above line `at` whose content is at `indent`:
/// (segment, line, indent of that line's content), root first.
fn parents(lines: &[Line<'_>], at: usize, indent: usize) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut current = indent;
    for i in (0..at).rev() {
        let l = &lines[i];
        if l.is_document_marker() {
            break;
        }
        if l.is_blank() || l.indent >= current {
            continue;
        }
        if l.item {
            if l.content_at < current
                && let Some((key, "")) = l.member()
            {
                out.push((key, i, l.content_at));
            }
            out.push((ELEMENT.to_owned(), i, l.indent));
        } else if let Some((key, "")) = l.member() {
            out.push((key, i, l.indent));
        } else {
            continue;
        }
        current = l.indent;
    }
    out.reverse();
    out
}

/// The members (key, raw value) of the block mapping whose keys are at `indent`, around line
/// `at` (a sequence item's first member included).
fn block_members(lines: &[Line<'_>], at: usize, indent: usize) -> Vec<(String, String)> {
    // A line past the end (text that ends inside a flow collection) has no members around it.
    let at = at.min(lines.len());
    let mut out = Vec::new();
    let mut take = |l: &Line<'_>| {
        if l.content_at == indent
            && let Some((k, v)) = l.member()
        {
            out.push((k, unquote(v).to_owned()));
        }
    };
    for l in lines[..at].iter().rev() {
        if l.is_document_marker() {
            break;
        }
        if l.is_blank() {
            continue;
        }
        if l.content_at < indent || (l.item && l.content_at == indent) {
            if l.item && l.content_at == indent {
                take(l);
            }
            break;
        }
        take(l);
    }
    for l in lines.iter().skip(at + 1) {
        if l.is_document_marker()
            || (!l.is_blank() && (l.content_at < indent || (l.item && l.indent < indent)))
        {
            break;
        }
        if !l.is_blank() {
            take(l);
        }
    }
    out
}

fn finish_yaml(
    lines: &[Line<'_>],
    path: Vec<(String, usize, usize)>,
    slot: Slot,
    partial: Range<usize>,
    quoted: bool,
    (at, indent): (usize, usize),
) -> Cursor {
    let siblings = match &slot {
        Slot::Key => block_members(lines, at, indent)
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
        _ => Vec::new(),
    };
    // The configuration object is where `configValues` is a member, or the cursor's own object.
    let config_at = path
        .iter()
        .rposition(|(s, _, _)| s == "configValues")
        .map(|p| (path[p].1, path[p].2));
    let (line, indent) = config_at.unwrap_or((at, indent));
    let integration_key = block_members(lines, line, indent)
        .into_iter()
        .chain(
            lines
                .get(line)
                .and_then(|l| l.member())
                .map(|(k, v)| (k, unquote(v).to_owned())),
        )
        .find(|(k, _)| k == INTEGRATION_KEY)
        .map(|(_, v)| v);
    Cursor {
        path: path.into_iter().map(|(s, _, _)| s).collect(),
        slot,
        partial,
        quoted,
        siblings,
        integration_key,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    /// The cursor at the `|` of `marked`.
    fn value(key: &str) -> Slot {
        Slot::Value {
            key: key.to_owned(),
        }
    }

    fn element(key: &str) -> Slot {
        Slot::Element {
            key: key.to_owned(),
        }
    }

    fn at(marked: &str, yaml_text: bool) -> Cursor {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        if yaml_text {
            yaml(&text, offset).unwrap()
        } else {
            json(&text, offset).unwrap()
        }
    }

    #[test]
    fn json_key_in_config_values_with_the_integration_after_it() {
        let c = at(
            r#"{"configValues": {"apiKey": "x", "ho|"}, "integrationKey": "datadog"}"#,
            false,
        );
        assert_eq!(c.path, ["configValues"]);
        assert_eq!(c.slot, Slot::Key);
        assert!(c.quoted && c.in_config_values());
        assert_eq!(c.siblings, ["apiKey", "ho"]);
        assert_eq!(c.integration_key.as_deref(), Some("datadog"));
    }

    #[test]
    fn json_values_elements_and_arrays_of_configurations() {
        let c = at(r#"[{"name": "a"}, {"integrationKey": "da|"#, false);
        assert_eq!(c.path, [ELEMENT]);
        assert_eq!(c.slot, value(INTEGRATION_KEY));
        assert!(c.at_configuration());
        let c = at(
            r#"{"integrationKey": "x", "configValues": {"channels": ["a", |]}}"#,
            false,
        );
        assert_eq!(c.slot, element("channels"));
        assert_eq!(c.path, ["configValues"]);
        assert_eq!(c.siblings, ["a"]);
        assert_eq!(c.integration_key.as_deref(), Some("x"));
        let c = at(r#"{"configValues": {"hostURL": |}}"#, false);
        assert_eq!(c.slot, value("hostURL"));
        assert!(!c.quoted);
    }

    #[test]
    fn yaml_keys_values_and_items() {
        let text = "integrationKey: datadog\nconfigValues:\n  apiKey: x\n  ho|\nname: n\n";
        let c = at(text, true);
        assert_eq!(c.path, ["configValues"]);
        assert_eq!(c.slot, Slot::Key);
        assert_eq!(c.siblings, ["apiKey"]);
        assert_eq!(c.integration_key.as_deref(), Some("datadog"));

        let c = at(
            "- name: a\n  integrationKey: datadog\n  configValues:\n    hostURL: 'https|\n",
            true,
        );
        assert_eq!(c.path, [ELEMENT, "configValues"]);
        assert_eq!(c.slot, value("hostURL"));
        assert!(c.quoted && c.in_config_values());
        assert_eq!(c.integration_key.as_deref(), Some("datadog"));

        let c = at("- integrationKey: |\n", true);
        assert_eq!(c.slot, value(INTEGRATION_KEY));
        assert!(c.at_configuration());

        let c = at(
            "configValues:\n  channels:\n    - a\n    - |\nintegrationKey: x\n",
            true,
        );
        assert_eq!(c.slot, element("channels"));
        assert_eq!(c.path, ["configValues"]);
        assert_eq!(c.integration_key.as_deref(), Some("x"));

        let c = at(
            "integrationKey: x\nconfigValues:\n  channels: [a, b|\n",
            true,
        );
        assert_eq!(c.slot, element("channels"));
        assert_eq!(
            &"integrationKey: x\nconfigValues:\n  channels: [a, b"[c.partial.clone()],
            "b"
        );
    }
}
