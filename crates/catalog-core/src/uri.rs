//! A URL-valued form variable (`type: uri`) that keeps the text the user wrote.
//!
//! `url::Url` would normalize on the way through (`https://host` becomes `https://host/`), which
//! changes what reaches LaunchDarkly and breaks templates that append a path. [`Uri`] checks the
//! text with `url::Url::parse` (WHATWG URL syntax; an absolute URL is required) and then stores
//! and serializes it unchanged.

use std::fmt;

/// An absolute URL, validated by `url::Url::parse`, serialized exactly as written.
///
/// Equality, ordering and hashing use the text as written.
#[derive(Clone)]
pub struct Uri {
    text: String,
    url: url::Url,
}

impl PartialEq for Uri {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Uri {}

impl std::hash::Hash for Uri {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// Why a string is not a valid [`Uri`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUri {
    reason: String,
}

impl fmt::Display for InvalidUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid absolute URL: {}", self.reason)
    }
}

impl std::error::Error for InvalidUri {}

impl Uri {
    /// Check `text` and keep it verbatim.
    pub fn parse(text: impl Into<String>) -> Result<Self, InvalidUri> {
        let text = text.into();
        match url::Url::parse(&text) {
            Ok(url) => Ok(Uri { text, url }),
            Err(err) => Err(InvalidUri {
                reason: err.to_string(),
            }),
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed (normalized) URL.
    pub fn url(&self) -> &url::Url {
        &self.url
    }
}

impl fmt::Debug for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uri({:?})", self.text)
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Uri {
    type Err = InvalidUri;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uri::parse(s)
    }
}

impl TryFrom<&str> for Uri {
    type Error = InvalidUri;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Uri::parse(s)
    }
}

impl TryFrom<String> for Uri {
    type Error = InvalidUri;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uri::parse(s)
    }
}

impl From<url::Url> for Uri {
    fn from(url: url::Url) -> Self {
        Uri {
            text: url.as_str().to_owned(),
            url,
        }
    }
}

impl serde::Serialize for Uri {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Uri {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Uri::parse(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_verbatim() {
        let uri = Uri::parse("https://example.com").expect("valid");
        assert_eq!(uri.as_str(), "https://example.com");
        assert_eq!(
            serde_json::to_string(&uri).ok().as_deref(),
            Some("\"https://example.com\"")
        );
        assert_eq!(uri.url().as_str(), "https://example.com/");
    }

    #[test]
    fn rejects_relative_and_garbage() {
        for bad in [
            "",
            "example.com",
            "/path",
            "not a url",
            "http://exa mple.com",
        ] {
            assert!(Uri::parse(bad).is_err(), "{bad:?} should be rejected");
            assert!(serde_json::from_value::<Uri>(serde_json::json!(bad)).is_err());
        }
    }
}
