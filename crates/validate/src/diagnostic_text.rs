//! The text of a diagnostic (its pointer, message and suggestion) as one cheap-to-own type.
//!
//! An invalid document's report is most of what checking it costs, and most of a report is
//! text. [`Text`] holds fixed text without copying it (a `&'static str`), short text (up to 23
//! bytes: most pointers) inline without an allocation, and longer text either shared or owned:
//! what the error walker's plan says before any document (a member's pointer, a missing
//! required field, the allowed values of a short list, a did-you-mean) is built once and handed
//! to every report by a reference count; text naming something of the document (an unknown
//! member) is owned by its diagnostic, in one allocation. Cloning a report copies only owned
//! text. It reads as a `&str` wherever one is expected.

use serde::{Serialize, Serializer};
use smol_str::SmolStr;
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// Text of a [`Diagnostic`](crate::Diagnostic): fixed, inline, shared or owned. Dereferences to
/// `str`; compares, orders, hashes and serializes as its text.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// Fixed, inline (up to 23 bytes) or shared (reference-counted): never copied on clone.
    Small(SmolStr),
    /// Text built for one diagnostic: one allocation of exactly its length.
    Owned(Box<str>),
}

impl Text {
    /// Fixed text, borrowed for good: no copy, no allocation.
    pub const fn from_static(text: &'static str) -> Text {
        Text(Repr::Small(SmolStr::new_static(text)))
    }

    /// A copy of `text`: inline when short, else one allocation of exactly its length.
    pub fn new(text: &str) -> Text {
        if text.len() <= INLINE {
            return Text(Repr::Small(SmolStr::new(text)));
        }
        Text(Repr::Owned(text.into()))
    }

    /// A copy of `text` to hand out many times: inline when short, else one reference-counted
    /// allocation, so that a clone only counts a reference.
    pub fn shared(text: &str) -> Text {
        Text(Repr::Small(SmolStr::new(text)))
    }

    /// `parts` joined: inline when short, else one allocation of exactly their length (the
    /// messages built for the mistakes of every document, without the formatting machinery).
    pub fn concat(parts: &[&str]) -> Text {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len <= INLINE {
            return Text(Repr::Small(parts.iter().copied().collect()));
        }
        let mut joined = String::with_capacity(len);
        parts.iter().for_each(|p| joined.push_str(p));
        Text(Repr::Owned(joined.into_boxed_str()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Small(small) => small.as_str(),
            Repr::Owned(owned) => owned,
        }
    }
}

/// The longest text held inline.
const INLINE: usize = 23;

impl Default for Text {
    fn default() -> Text {
        Text::from_static("")
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        Text::from_static(text)
    }
}

/// Owns the string's buffer (shrunk to its length if it has spare capacity), or copies a short
/// one inline.
impl From<String> for Text {
    fn from(text: String) -> Text {
        if text.len() <= INLINE {
            return Text::new(&text);
        }
        Text(Repr::Owned(text.into_boxed_str()))
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::new(text)
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Text {
        match text {
            Cow::Borrowed(fixed) => Text::from_static(fixed),
            Cow::Owned(owned) => Text::from(owned),
        }
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Text {
        if text.len() <= INLINE {
            return Text::new(&text);
        }
        Text(Repr::Owned(text))
    }
}

/// Moves an owned text's buffer into the `String`; copies any other.
impl From<Text> for String {
    fn from(text: Text) -> String {
        match text.0 {
            Repr::Owned(owned) => owned.into_string(),
            Repr::Small(small) => small.as_str().to_owned(),
        }
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_joins_short_long_and_very_long_text() {
        for parts in [
            &["", ""][..],
            &["/", "hostURL"],
            &[
                "unknown field \"",
                "apiKeyy",
                "\": not a field of x formVariables",
            ],
            &["é", "ü", "→"],
        ] {
            assert_eq!(Text::concat(parts), parts.concat());
        }
        let long = "x".repeat(INLINE);
        assert_eq!(Text::concat(&[&long, "é"]).as_str(), format!("{long}é"));
        let exactly_inline = Text::concat(&[&long[..INLINE - 2], "é"]);
        assert_eq!(exactly_inline, format!("{}é", &long[..INLINE - 2]));
        assert_eq!(Text::shared(&long).clone(), long);
    }

    #[test]
    fn text_reads_compares_and_serializes_as_its_string() {
        let fixed = Text::from("missing required field");
        let owned = Text::from(String::from("/a~1b"));
        assert_eq!(fixed, "missing required field");
        assert_eq!("/a~1b", owned);
        assert_eq!(owned.len(), 5);
        assert_eq!(format!("{owned} {owned:?}"), "/a~1b \"/a~1b\"");
        assert_eq!(
            serde_json::to_string(&owned).ok().as_deref(),
            Some("\"/a~1b\"")
        );
        assert_eq!(Text::from(Cow::Owned("x".to_owned())), Text::from("x"));
        assert!(Text::default().is_empty());
        // Long text given as a String, a Box<str> or a Cow is owned, and given back as is.
        let long = "unknown field \"someField\": not a field of some-key formVariables";
        for text in [
            Text::from(long.to_owned()),
            Text::from(Box::<str>::from(long)),
            Text::from(Cow::<'static, str>::Owned(long.to_owned())),
            Text::new(long),
        ] {
            assert_eq!(text, long);
            assert_eq!(String::from(text), long);
        }
        // Equal texts hash alike and are found by their `str` (`Borrow<str>`).
        let set: std::collections::HashSet<Text> =
            [Text::from("/a"), Text::new(long), Text::shared("/a")]
                .into_iter()
                .collect();
        assert_eq!(set.len(), 2);
        assert!(set.contains("/a") && set.contains(long));
        let mut sorted = [
            Text::new(long),
            Text::new("b"),
            Text::from("a"),
            Text::from("unknown"),
        ];
        sorted.sort();
        assert_eq!(sorted.map(String::from), ["a", "b", "unknown", long]);
    }

    #[test]
    fn a_shared_or_fixed_text_is_not_copied_on_clone() {
        let long = "missing required field \"someFieldKey\"";
        let shared = Text::shared(long);
        assert_eq!(shared.clone().as_ptr(), shared.as_ptr());
        let fixed = Text::from_static(long);
        assert_eq!(fixed.clone().as_ptr(), long.as_ptr());
        assert_eq!(Text::new(long).clone(), shared);
    }

    #[test]
    fn reports_share_the_texts_a_lists_plan_builds_once() {
        // Every integration with a required field whose `{}` the walker checks: two reports of
        // `{}` hold one message.
        let mut checked = 0;
        for integration in ldic_catalog::all() {
            let validator = crate::Validator::for_integration(integration);
            if !validator.walker_decides(&serde_json::json!({})) {
                continue;
            }
            let one = validator.validate_config_values(&serde_json::json!({}));
            let two = validator.validate_config_values(&serde_json::json!({}));
            assert_eq!(one, two);
            for (a, b) in one.diagnostics.iter().zip(&two.diagnostics) {
                if a.code == crate::Code::MissingRequired && a.message.len() > INLINE {
                    assert_eq!(a.message.as_ptr(), b.message.as_ptr(), "{}", a.message);
                    checked += 1;
                }
            }
        }
        assert!(checked > 0, "no integration has a required field");
    }

    #[test]
    fn reports_share_the_did_you_mean_a_lists_plan_builds_once() {
        // Every field key long enough for its did-you-mean to leave the inline storage, misspelt
        // by doubling its last letter.
        let mut checked = 0;
        for integration in ldic_catalog::all() {
            let Some(list) = integration.config_values_list() else {
                continue;
            };
            let validator = crate::Validator::for_integration(integration);
            for field in list.fields.iter().filter(|f| f.key.len() > 8) {
                let typo = format!("{}{}", field.key, &field.key[field.key.len() - 1..]);
                let doc = serde_json::json!({ typo: "x" });
                if !validator.walker_decides(&doc) {
                    continue;
                }
                let one = validator.validate_config_values(&doc);
                let two = validator.validate_config_values(&doc);
                let suggestion = |r: &crate::Report| {
                    r.diagnostics
                        .iter()
                        .find(|d| d.code == crate::Code::UnknownField)
                        .and_then(|d| d.suggestion.clone())
                };
                let (Some(a), Some(b)) = (suggestion(&one), suggestion(&two)) else {
                    continue;
                };
                assert_eq!(a, format!("did you mean \"{}\"?", field.key));
                assert_eq!(a.as_ptr(), b.as_ptr(), "{a}");
                checked += 1;
            }
        }
        assert!(checked > 0, "no field key is long enough");
    }

    #[test]
    fn a_report_reserves_room_at_its_first_diagnostic_and_a_clean_one_allocates_nothing() {
        let (mut clean, mut invalid) = (0, 0);
        for integration in ldic_catalog::all() {
            let validator = crate::Validator::for_integration(integration);
            let doc = serde_json::json!({});
            if integration.config_values_list().is_none() || !validator.walker_decides(&doc) {
                continue;
            }
            let report = validator.validate_config_values(&doc);
            if report.diagnostics.is_empty() {
                assert_eq!(report.diagnostics.capacity(), 0, "{}", integration.key);
                clean += 1;
            } else {
                assert!(report.diagnostics.capacity() >= 8, "{}", integration.key);
                invalid += 1;
            }
        }
        assert!(clean > 0 && invalid > 0, "{clean} clean, {invalid} invalid");
    }
}
