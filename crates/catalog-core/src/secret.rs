//! A string whose value never appears in Debug or Display output.
//!
//! Generated structs use [`Secret`] for every `isSecret` form variable. It serializes the real
//! value (it has to reach LaunchDarkly), but formatting it prints `[redacted]`, so a config struct
//! can be logged, debug-printed or put in an error without leaking the secret.

use std::fmt;

/// A secret string: serialized as-is, redacted in `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// What Debug and Display print instead of the value.
    pub const REDACTED: &'static str = "[redacted]";

    /// A secret holding `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Named so that every read of it is easy to find in review.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Consume the secret and return its value.
    pub fn into_exposed(self) -> String {
        self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", Self::REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let s = Secret::new("canary-9f2c");
        assert!(!format!("{s:?}").contains("canary-9f2c"));
        assert!(!format!("{s}").contains("canary-9f2c"));
        assert!(!format!("{s:#?}").contains("canary-9f2c"));
    }

    #[test]
    fn serializes_the_real_value() {
        let s = Secret::new("tok");
        assert_eq!(serde_json::to_string(&s).ok().as_deref(), Some("\"tok\""));
        let back: Secret = serde_json::from_str("\"tok\"").unwrap_or_default();
        assert_eq!(back.expose(), "tok");
    }
}
