//! The members of a `configValues` object that a generated struct does not know.
//!
//! Generated structs are regenerated whenever upstream changes, and a configuration read back
//! from LaunchDarkly can hold a field that a newer manifest added (LaunchDarkly fills in the
//! defaults of absent fields, so every configuration of that integration has it). Failing the
//! whole struct on such a field would make every compatible upstream change (a new optional
//! field) break readers still on the previous release. So, like a generated enum's catch-all
//! variant for a value it does not know, a generated struct keeps the fields it does not know
//! here (`#[serde(flatten)]`) and writes them back unchanged.
//!
//! Unknown is not valid: the typed path (`ldic::validate_typed`) serializes the struct, unknown
//! fields included, and reports each as `unknown-field` (with its did-you-mean) exactly as the
//! validator does for a document, so a typo is still an error before anything is sent.
//!
//! Their values are never shown: a field this version does not know may be a secret one.

use serde_json::{Map, Value};
use std::fmt;

/// Fields of a `configValues` object that its generated struct does not know, in the order
/// they were read. `Debug` shows their keys, never their values.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct UnknownFields(Map<String, Value>);

impl UnknownFields {
    /// Whether there are none (a struct read from a document of its own catalog version).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Their keys, in the order they were read.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The value of the unknown field `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Adds (or replaces) a field, returning the value it replaces. Its key should be one this
    /// struct does not know: serializing a struct that has a field twice gives an object with
    /// a repeated key.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.0.insert(key.into(), value)
    }

    /// Removes a field, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key)
    }

    /// The fields as a JSON object map.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnknownFields")
            .field(&self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_shows_keys_never_values_and_serde_is_the_object() {
        let fields: UnknownFields =
            serde_json::from_value(json!({"newToken": "canary-5e1f", "mode": "fast"})).unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["newToken", "mode"]);
        let shown = format!("{fields:?} {fields:#?}");
        assert!(
            shown.contains("newToken") && !shown.contains("canary-5e1f"),
            "{shown}"
        );
        assert!(!shown.contains("fast"), "{shown}");
        assert_eq!(
            serde_json::to_value(&fields).unwrap(),
            json!({"newToken": "canary-5e1f", "mode": "fast"})
        );
        assert!(UnknownFields::default().is_empty());
    }
}
