//! From a JSON pointer to a place in a file: the span map, and line/column arithmetic.
//!
//! Both parsers (JSON and YAML) produce the same [`SpanMap`]: for every value of a document, the
//! byte range of the value and of its member key. A diagnostic's pointer is looked up there; a
//! pointer to something absent (a missing required field) falls back to its nearest ancestor.

use std::collections::HashMap;
use std::ops::Range;

/// Where one value of a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSpan {
    /// The member key, when the value is an object member.
    pub key: Option<Range<usize>>,
    /// The value (for an object or array: its first character).
    pub value: Range<usize>,
    /// When the key appears more than once in its object: the first occurrence's key.
    pub first_key: Option<Range<usize>>,
    /// Earlier occurrences of a duplicated member, (key, value), first first: the parsed value
    /// keeps the last one, but the text still holds these (and masking must find them).
    pub earlier: Vec<(Option<Range<usize>>, Range<usize>)>,
    /// For a value a YAML merge key (`<<: *anchor`) brought in: the alias that did (its text,
    /// such as `*shared`, and its span). `key` and `value` are where the value was written.
    pub merged_from: Option<(String, Range<usize>)>,
}

/// JSON pointer -> span, for one document.
#[derive(Debug, Default)]
pub struct SpanMap {
    nodes: HashMap<String, NodeSpan>,
}

/// What a lookup found: the span to mark, and whether it is the exact node or an ancestor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub span: Range<usize>,
    pub exact: bool,
    pub first_key: Option<Range<usize>>,
    /// The merge key's alias that brought the value in (see [`NodeSpan::merged_from`]).
    pub merged_from: Option<(String, Range<usize>)>,
}

impl SpanMap {
    pub fn insert(&mut self, pointer: String, key: Option<Range<usize>>, value: Range<usize>) {
        if self
            .nodes
            .get(&pointer)
            .is_some_and(|old| old.merged_from.is_some())
        {
            // An explicit key wins over a merged one, and replaces what was merged below it.
            let below = format!("{pointer}/");
            self.nodes.retain(|p, node| {
                p != &pointer && !(node.merged_from.is_some() && p.starts_with(&below))
            });
        }
        let (first_key, earlier) = match self.nodes.remove(&pointer) {
            Some(old) => {
                let first_key = old.first_key.clone().or_else(|| old.key.clone());
                let mut earlier = old.earlier;
                earlier.push((old.key, old.value));
                (first_key, earlier)
            }
            None => (None, Vec::new()),
        };
        self.nodes.insert(
            pointer,
            NodeSpan {
                key,
                value,
                first_key,
                earlier,
                merged_from: None,
            },
        );
    }

    /// Record a value brought in by a merge key, unless `pointer` already has one (explicit
    /// keys and earlier merges win).
    pub fn insert_merged(
        &mut self,
        pointer: String,
        key: Option<Range<usize>>,
        value: Range<usize>,
        alias: (String, Range<usize>),
    ) -> bool {
        if self.nodes.contains_key(&pointer) {
            return false;
        }
        self.nodes.insert(
            pointer,
            NodeSpan {
                key,
                value,
                first_key: None,
                earlier: Vec::new(),
                merged_from: Some(alias),
            },
        );
        true
    }

    /// Every node, with its pointer (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NodeSpan)> {
        self.nodes.iter().map(|(p, node)| (p.as_str(), node))
    }

    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        self.nodes.get(pointer)
    }

    /// The span for a diagnostic at `pointer`: the key when `on_key` (or when only an ancestor
    /// exists: the member that should hold the missing value), else the value.
    pub fn find(&self, pointer: &str, on_key: bool) -> Option<Found> {
        if let Some(node) = self.nodes.get(pointer) {
            let span = if on_key {
                node.key.clone().unwrap_or(node.value.clone())
            } else {
                node.value.clone()
            };
            return Some(Found {
                span,
                exact: true,
                first_key: node.first_key.clone(),
                merged_from: node.merged_from.clone(),
            });
        }
        let mut p = pointer;
        while let Some(idx) = p.rfind('/') {
            p = &p[..idx];
            if let Some(node) = self.nodes.get(p) {
                return Some(Found {
                    span: node.key.clone().unwrap_or(node.value.clone()),
                    exact: false,
                    first_key: None,
                    merged_from: node.merged_from.clone(),
                });
            }
        }
        None
    }
}

/// Append `/segment` to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer_segment(pointer: &mut String, segment: &str) {
    ldic::catalog::pointer::push_token(pointer, segment);
}

/// The pointer `base` + `/segment`.
pub fn child_pointer(base: &str, segment: &str) -> String {
    ldic::catalog::pointer::child(base, segment)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The line of `text` holding byte `offset` (without its line break) and where it starts.
pub fn line_of(text: &str, offset: usize) -> (&str, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    (line.strip_suffix('\r').unwrap_or(line), start)
}

/// Line starts of a text, for many [`line_col`] lookups: O(log lines) each instead of a scan
/// from the start of the text (which made a file with many findings quadratic).
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Whether each line is ASCII (column = byte distance).
    ascii: Vec<bool>,
    /// Where `text` starts in the file, and the file's (0-based line, characters before it on
    /// that line) there: a part of a file is indexed alone ([`LineIndex::part`]).
    base: usize,
    base_line: usize,
    base_column: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        Self::part(text, 0, (0, 0))
    }

    /// The index of `part`, which starts at byte `base` of its file, on the file's 0-based line
    /// `at.0` after `at.1` characters: positions are the file's.
    pub fn part(part: &'a str, base: usize, at: (usize, usize)) -> Self {
        let text = part;
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                ascii.push(line_ascii);
                starts.push(i + 1);
                line_ascii = true;
            } else if !b.is_ascii() {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        LineIndex {
            text,
            starts,
            ascii,
            base,
            base_line: at.0,
            base_column: at.1,
        }
    }

    /// The same as [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.saturating_sub(self.base).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line];
        let column = if self.ascii[line] {
            offset - start
        } else {
            self.text[start..offset].chars().count()
        };
        if line == 0 {
            (self.base_line + 1, self.base_column + column + 1)
        } else {
            (self.base_line + line + 1, column + 1)
        }
    }
}

/// A position moving forward through a file: its 0-based line and the characters before it on
/// that line, advanced in one pass (the parts of a file are linted in order).
#[derive(Debug, Default, Clone, Copy)]
pub struct Cursor {
    offset: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    /// Move to `offset` (not before the current one) of `text`; the (line, column) there.
    pub fn advance(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len()).max(self.offset);
        for &b in &text.as_bytes()[self.offset..offset] {
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

/// Clip a span to its first line and make it at least one character (for a caret).
pub fn clip_to_line(text: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    let end = match text[start..end].find('\n') {
        Some(idx) => start + idx,
        None => end,
    };
    if end > start {
        start..end
    } else {
        let next = text[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n')
            .map_or(start, |c| start + c.len_utf8());
        start..next
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\n\u{e9}x\n\n{\"k\": 1}\r\nlast";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            assert_eq!(index.line_col(offset), line_col(text, offset), "{offset}");
        }
        assert_eq!(LineIndex::new("").line_col(0), (1, 1));
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\n\u{e9}x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn find_falls_back_to_the_nearest_ancestor_key() {
        let mut map = SpanMap::default();
        map.insert(String::new(), None, 0..1);
        map.insert("/configValues".into(), Some(2..16), 18..19);
        let f = map.find("/configValues/apiKey", false).unwrap();
        assert_eq!((f.span, f.exact), (2..16, false));
        let f = map.find("/configValues", false).unwrap();
        assert_eq!((f.span, f.exact), (18..19, true));
        let f = map.find("/configValues", true).unwrap();
        assert_eq!(f.span, 2..16);
        assert_eq!(map.find("/name", false).unwrap().span, 0..1);
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(child_pointer("/a", "b/c~d"), "/a/b~1c~0d");
    }

    #[test]
    fn clip_keeps_one_line_and_one_char() {
        let text = "{\n  \"a\": 1\n}";
        assert_eq!(clip_to_line(text, 0..text.len()), 0..1);
        assert_eq!(clip_to_line(text, 4..4), 4..5);
    }
}
