//! The API access token, kept out of every Debug, Display and error.
//!
//! A dedicated type (rather than a `String`) so that the token cannot be printed by accident:
//! formatting it prints `[redacted]`, and the only way to read it is [`ApiToken::expose`], which the
//! client calls once, to build the `Authorization` header (marked sensitive).

use ldic_catalog::Secret;
use std::fmt;

/// A LaunchDarkly API access token (`api-...`). Redacted in `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(Secret);

impl ApiToken {
    /// A token from its text.
    pub fn new(token: impl Into<String>) -> Self {
        ApiToken(Secret::new(token))
    }

    /// The token value. Named so that every read of it is easy to find in review.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Reads the token from an environment variable (for example `LD_API_KEY`, which the `ldic` command uses).
    /// `None` when the variable is unset, empty or not Unicode.
    pub fn from_env(var: &str) -> Option<Self> {
        std::env::var(var)
            .ok()
            .filter(|t| !t.trim().is_empty())
            .map(|t| ApiToken::new(t.trim().to_owned()))
    }
}

impl From<String> for ApiToken {
    fn from(value: String) -> Self {
        ApiToken::new(value)
    }
}

impl From<&str> for ApiToken {
    fn from(value: &str) -> Self {
        ApiToken::new(value)
    }
}

impl From<Secret> for ApiToken {
    fn from(value: Secret) -> Self {
        ApiToken(value)
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiToken({})", Secret::REDACTED)
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Secret::REDACTED)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_token() {
        let t = ApiToken::new("api-canary-51d7");
        for shown in [format!("{t:?}"), format!("{t:#?}"), format!("{t}")] {
            assert!(!shown.contains("canary"), "{shown}");
        }
        assert_eq!(t.expose(), "api-canary-51d7");
    }
}
