//! JSON type names for the validator's messages: [`JsonType`] lives in `ldic-catalog-core` (re-exported by `ldic-catalog`; the
//! one spelling, shared with the manifest reader); this module maps jsonschema's type names onto
//! it and keeps the `json_type_of` shorthand.

pub use ldic_catalog::JsonType;
use serde_json::Value;

/// The type jsonschema names in a `type` error, in ldic's spelling.
pub(crate) fn from_schema(t: jsonschema::JsonType) -> JsonType {
    use jsonschema::JsonType as T;
    match t {
        T::Null => JsonType::Null,
        T::Boolean => JsonType::Boolean,
        T::Integer => JsonType::Integer,
        T::Number => JsonType::Number,
        T::String => JsonType::String,
        T::Array => JsonType::Array,
        T::Object => JsonType::Object,
    }
}

/// `a string`, `an integer`, `an object`: the JSON type of a value for messages, never the
/// value ([`JsonType::of`] named).
pub fn json_type_of(v: &Value) -> &'static str {
    JsonType::of(v).name()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_are_named_apart_from_other_numbers_and_schema_types_agree() {
        assert_eq!(json_type_of(&json!(1)), "an integer");
        assert_eq!(json_type_of(&json!(1.5)), "a number");
        assert_eq!(json_type_of(&json!("x")), "a string");
        assert_eq!(
            from_schema(jsonschema::JsonType::Integer).name(),
            "an integer"
        );
        assert_eq!(from_schema(jsonschema::JsonType::Null).to_string(), "null");
    }
}
