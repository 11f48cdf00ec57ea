//! Small serde helpers the generated structs name in `deserialize_with`.
//!
//! They make the typed structs exactly as strict as the generated JSON Schemas: an optional field
//! that is present must hold a value of its type (`null` is not "absent"), and a multiselect may
//! not repeat an option (`uniqueItems`).

use serde::{Deserialize, Deserializer};

/// For `Option<T>` fields with `#[serde(default)]`: a present value must be a `T`; `null` is an
/// error for every `T` that rejects `null` (so `Option<String>` no longer accepts `null`).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A list whose items must be pairwise different.
pub fn unique<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialEq,
{
    let items = Vec::<T>::deserialize(deserializer)?;
    for (idx, item) in items.iter().enumerate() {
        if items[..idx].contains(item) {
            return Err(serde::de::Error::custom(format!(
                "item {idx} repeats an earlier item; options must be unique"
            )));
        }
    }
    Ok(items)
}

/// [`unique`] for an optional list, with [`present`]'s treatment of `null`.
pub fn present_unique<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialEq,
{
    unique(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::present")]
        name: Option<String>,
        #[serde(default, deserialize_with = "super::present_unique")]
        tags: Option<Vec<String>>,
    }

    #[test]
    fn absent_is_none_but_null_is_an_error() {
        let absent: Probe = serde_json::from_str("{}").expect("absent fields are fine");
        assert!(absent.name.is_none() && absent.tags.is_none());
        assert!(serde_json::from_str::<Probe>(r#"{"name":null}"#).is_err());
        assert!(serde_json::from_str::<Probe>(r#"{"tags":null}"#).is_err());
    }

    #[test]
    fn repeated_items_are_rejected() {
        assert!(serde_json::from_str::<Probe>(r#"{"tags":["a","b"]}"#).is_ok());
        assert!(serde_json::from_str::<Probe>(r#"{"tags":["a","a"]}"#).is_err());
    }
}
