//! Completion: a configuration's members, `integrationKey` values, the `configValues` keys of
//! the configuration's integration that are not there yet, and the values of enum, multiselect
//! and boolean fields.
//! Works on text that does not parse (see [`super::cursor`]). Never offers a secret's value.

use super::catalog::{self, Choice};
use super::cursor::{self, Cursor, Slot};
use super::documents::Document;
use super::position::Utf16Index;
use crate::config::INTEGRATION_KEY;
use crate::lint::Format;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Position, TextEdit};

/// The completions at `position` of `doc` (empty when nothing applies).
pub fn complete(doc: &Document, position: Position) -> Vec<CompletionItem> {
    let text = &doc.text;
    let index = Utf16Index::new(text);
    let offset = index.offset(position);
    let format = doc.format();
    let cursor = match format {
        Format::Json => cursor::json(text, offset),
        Format::Yaml => cursor::yaml(text, offset),
    };
    let Some(cursor) = cursor else {
        return Vec::new();
    };
    let (choices, kind, shape) = match &cursor.slot {
        Slot::Value { key } if key == INTEGRATION_KEY && cursor.at_configuration() => (
            catalog::integration_choices(),
            CompletionItemKind::MODULE,
            Shape::String,
        ),
        Slot::Key if cursor.at_configuration() => {
            let members = absent(catalog::configuration_choices(), &cursor, text);
            (members, CompletionItemKind::PROPERTY, Shape::Key)
        }
        Slot::Key if cursor.in_config_values() => {
            let Some(integration) = &cursor.integration_key else {
                return Vec::new();
            };
            let fields = absent(catalog::field_choices(integration), &cursor, text);
            (fields, CompletionItemKind::FIELD, Shape::Key)
        }
        Slot::Value { key } | Slot::Element { key } if cursor.in_config_values() => {
            let Some(integration) = &cursor.integration_key else {
                return Vec::new();
            };
            let (mut choices, multiselect) = catalog::value_choices(integration, key);
            let element = matches!(cursor.slot, Slot::Element { .. });
            if element != multiselect {
                return Vec::new();
            }
            if element {
                choices.retain(|c| !cursor.siblings.contains(&c.value));
            }
            let shape = if catalog::is_boolean(integration, key) {
                Shape::Literal
            } else {
                Shape::String
            };
            (choices, CompletionItemKind::ENUM_MEMBER, shape)
        }
        _ => return Vec::new(),
    };
    let range = index.range(cursor.partial.clone());
    choices
        .into_iter()
        .map(|choice| item(choice, kind, shape, format, &cursor, range))
        .collect()
}

/// The keys of `choices` the object does not have yet (the word being typed does not count).
fn absent(choices: Vec<Choice>, cursor: &Cursor, text: &str) -> Vec<Choice> {
    let typed = text.get(cursor.partial.clone());
    choices
        .into_iter()
        .filter(|c| {
            !cursor
                .siblings
                .iter()
                .any(|s| *s == c.value && typed != Some(s.as_str()))
        })
        .collect()
}

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A member key (`"key": ` in JSON, `key: ` in YAML when not quoted).
    Key,
    /// A string value.
    String,
    /// `true` / `false`.
    Literal,
}

fn item(
    choice: Choice,
    kind: CompletionItemKind,
    shape: Shape,
    format: Format,
    cursor: &Cursor,
    range: lsp_types::Range,
) -> CompletionItem {
    let quoted_json = || serde_json::to_string(&choice.value).unwrap_or_default();
    let new_text = match (shape, format, cursor.quoted) {
        (_, _, true) | (Shape::Literal, _, _) => choice.value.clone(),
        (Shape::Key, Format::Json, false) => format!("{}: ", quoted_json()),
        (Shape::Key, Format::Yaml, false) => format!("{}: ", yaml_scalar(&choice.value)),
        (Shape::String, Format::Json, false) => quoted_json(),
        (Shape::String, Format::Yaml, false) => yaml_scalar(&choice.value),
    };
    CompletionItem {
        label: choice.value.clone(),
        kind: Some(kind),
        detail: Some(choice.detail),
        filter_text: Some(choice.value),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
        ..CompletionItem::default()
    }
}

/// `s` as a YAML scalar: plain when that reads back as the same string, else JSON-quoted.
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && !matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}
