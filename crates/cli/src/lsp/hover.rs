//! Hover: a `configValues` key shows its field (label, type, required and secret flags,
//! default, allowed values); an `integrationKey` value shows the integration. Never a value
//! of the document: a secret field's hover is its flags.

use super::catalog;
use super::documents::{Document, Linted};
use super::position::Utf16Index;
use crate::config::INTEGRATION_KEY;
use crate::lint::Format;
use crate::{json, yaml};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The hover at `position`, if it is on a field key or an integration key.
pub fn hover(doc: &Document, linted: &Linted, position: Position) -> Option<Hover> {
    let text = &doc.text;
    let index = Utf16Index::new(text);
    let offset = index.offset(position);
    let format = doc.format();
    let mut documents: Vec<usize> = linted.file.parsed.iter().map(|c| c.document).collect();
    documents.dedup();
    for document in documents {
        let map = match format {
            Format::Json => json::span_map(text),
            Format::Yaml => yaml::span_map(text, document),
        };
        for config in linted.file.parsed.iter().filter(|c| c.document == document) {
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

fn markdown(value: String, range: lsp_types::Range) -> Option<Hover> {
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    })
}
