//! Small serde helpers the generated structs name in `deserialize_with`.
//!
//! They make the typed structs exactly as strict as the generated JSON Schemas: an optional field
//! that is present must hold a value of its type (`null` is not "absent"), and a multiselect may
//! not repeat an option (`uniqueItems`). [`enum_value`] is the other way round: a generated enum
//! reads any string, so a value a newer manifest allows is kept in the catch-all variant instead
//! of failing the whole struct (the validator reports it as `not-allowed`).

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

/// Deserialize a generated enum from its manifest spelling with `from_value`, which maps a
/// spelling the enum does not know to its catch-all variant: any string is accepted, anything
/// else is an error.
pub fn enum_value<'de, D, T>(deserializer: D, from_value: fn(&str) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct EnumVisitor<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(EnumVisitor(from_value))
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

    #[derive(Debug, PartialEq)]
    enum Probed {
        Known,
        Unknown(String),
    }

    fn probed(value: &str) -> Probed {
        match value {
            "known" => Probed::Known,
            other => Probed::Unknown(other.to_owned()),
        }
    }

    #[test]
    fn enum_values_read_any_string_and_nothing_else() {
        let read = |text: &str| {
            let mut de = serde_json::Deserializer::from_str(text);
            super::enum_value(&mut de, probed)
        };
        assert_eq!(read(r#""known""#).expect("a string"), Probed::Known);
        assert_eq!(
            read(r#""new\u0021""#).expect("a string"),
            Probed::Unknown("new!".to_owned())
        );
        assert!(read("1").is_err());
        assert!(read("null").is_err());
    }

    #[test]
    fn repeated_items_are_rejected() {
        assert!(serde_json::from_str::<Probe>(r#"{"tags":["a","b"]}"#).is_ok());
        assert!(serde_json::from_str::<Probe>(r#"{"tags":["a","a"]}"#).is_err());
    }
}
