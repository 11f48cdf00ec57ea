//! Byte offsets of a text <-> LSP positions (line, UTF-16 code unit), as LSP requires.
//!
//! ldic's spans are byte ranges of the document; an editor counts columns in UTF-16 code units
//! (the protocol's default encoding, the one every client supports). Out-of-range positions are
//! clamped (to the end of their line, or of the text), never a panic.

use lsp_types::{Position, Range};

/// Line starts of a text, for position arithmetic in both directions.
#[derive(Debug)]
pub struct Utf16Index<'a> {
    text: &'a str,
    /// Byte offset where each line starts (after each `\n`).
    starts: Vec<usize>,
}

impl<'a> Utf16Index<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Utf16Index { text, starts }
    }

    /// The position of a byte offset (clamped to the text, moved back to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte range.
    pub fn range(&self, span: std::ops::Range<usize>) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position: a line past the end is the end of the text, a character
    /// past the end of its line is the end of the line, one inside a surrogate pair is the
    /// character's start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
            if units > position.character as usize {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The byte range of a range (start and end ordered).
    pub fn span(&self, range: Range) -> std::ops::Range<usize> {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        a.min(b)..a.max(b)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units.
        let text = "a\u{e9}\u{1f600}b\r\nx";
        let index = Utf16Index::new(text);
        let b = text.find('b').unwrap_or_default();
        assert_eq!(index.position(b), Position::new(0, 4));
        assert_eq!(index.offset(Position::new(0, 4)), b);
        assert_eq!(
            index.offset(Position::new(0, 3)),
            3,
            "inside the pair: its start"
        );
        assert_eq!(
            index.offset(Position::new(0, 99)),
            b + 1,
            "end of line, before \\r"
        );
        assert_eq!(index.position(text.len()), Position::new(1, 1));
        assert_eq!(index.offset(Position::new(7, 0)), text.len());
        assert_eq!(
            index.position(2),
            Position::new(0, 1),
            "inside é: its start"
        );
    }

    #[test]
    fn round_trip_on_every_boundary() {
        let text = "{\n  \"n\u{e9}\": \"\u{1f600}x\"\n}\n";
        let index = Utf16Index::new(text);
        for (i, _) in text.char_indices() {
            assert_eq!(index.offset(index.position(i)), i, "{i}");
        }
    }
}
