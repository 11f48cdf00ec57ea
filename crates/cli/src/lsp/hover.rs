//! Hover: a `configValues` key shows its field (label, type, required and secret flags,
//! default, allowed values); an `integrationKey` value shows the integration. Never a value
//! of the document: a secret field's hover is its flags. A document that parses is read through
//! its span maps; one that does not (being typed) through completion's tolerant reading.

use super::catalog;
use super::cursor::{self, Slot};
use super::documents::{Document, Linted};
use super::position::Utf16Index;
use crate::config::INTEGRATION_KEY;
use crate::lint::Format;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The hover at `position`, if it is on a field key or an integration key.
pub fn hover(doc: &Document, linted: &Linted, position: Position) -> Option<Hover> {
    let text = &doc.text;
    let index = Utf16Index::new(text);
    let offset = index.offset(position);
    let format = doc.format();
    if linted.file.parsed.is_empty() {
        return while_broken(doc, &index, offset);
    }
    let documents = linted.file.parsed.iter().map(|c| c.document).collect();
    for document in crate::lint::documents(text, format, documents) {
        let map = document.span_map();
        let configs = linted.file.parsed.iter();
        for config in configs.filter(|c| c.document == document.index()) {
            let Some(key) = config.value.get(INTEGRATION_KEY).and_then(|k| k.as_str()) else {
                continue;
            };
            let contains = |span: &std::ops::Range<usize>| {
                span.start <= offset && offset < span.end.max(span.start + 1)
            };
            let at_key = format!("{}/{INTEGRATION_KEY}", config.prefix);
            if let Some(node) = map.get(&at_key)
                && (contains(&node.value) || node.key.as_ref().is_some_and(contains))
            {
                return markdown(
                    catalog::integration_markdown(key)?,
                    index.range(node.value.clone()),
                );
            }
            let fields = format!("{}/configValues/", config.prefix);
            for (pointer, node) in map.iter() {
                let Some(field) = pointer.strip_prefix(&fields).filter(|f| !f.contains('/')) else {
                    continue;
                };
                let Some(span) = node.key.as_ref().filter(|k| contains(k)) else {
                    continue;
                };
                let field = ldic::catalog::pointer::unescape_token(field);
                return markdown(
                    catalog::field_markdown(key, &field)?,
                    index.range(span.clone()),
                );
            }
        }
    }
    None
}

/// Hover in a document that does not parse (being typed): the word at the cursor, read with
/// completion's tolerant reading of the text around it.
fn while_broken(doc: &Document, index: &Utf16Index<'_>, offset: usize) -> Option<Hover> {
    let text = &doc.text;
    let is_word = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = text.get(start..end).filter(|w| !w.is_empty())?;
    let cursor = match doc.format() {
        Format::Json => cursor::json(text, end),
        Format::Yaml => cursor::yaml(text, end),
    }?;
    let value = match &cursor.slot {
        Slot::Key if cursor.in_config_values() => {
            catalog::field_markdown(cursor.integration_key.as_deref()?, word)?
        }
        Slot::Value { key } if key == INTEGRATION_KEY && cursor.at_configuration() => {
            catalog::integration_markdown(word)?
        }
        _ => return None,
    };
    markdown(value, index.range(start..end))
}

fn markdown(value: String, range: lsp_types::Range) -> Option<Hover> {
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    })
}
