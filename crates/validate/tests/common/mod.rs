//! What the agreement tests share: a valid value for any field.

use ldic_catalog::{FieldMeta, FieldType};
use serde_json::{Value, json};

/// A value of `f`'s type that its schema accepts (a string with non-ASCII characters where any
/// string goes).
pub fn valid_value(f: &FieldMeta) -> Value {
    match f.ty {
        FieldType::Uri => json!("https://example.com/hook?x=1#y"),
        FieldType::Boolean => json!(true),
        FieldType::Enum => json!(f.allowed().last().unwrap_or("x")),
        FieldType::Multiselect => json!(f.allowed().rev().collect::<Vec<_>>()),
        FieldType::EnvironmentSelector => json!({"a": [1, 2.5, null, {"b": "c"}]}),
        _ => json!("x y \u{e9} \u{1F600}"),
    }
}
