//! How bad a problem is: one scale for the manifest rules (`ldic-manifest`), the validator's
//! diagnostics (`ldic-validate`) and the CLI's findings, so that a warning means the same
//! thing wherever ldic reports one.

use std::fmt;

/// How bad a problem is. A warning is reported and what it is about is still used (a manifest
/// still generates its types; a configuration still passes unless `--deny-warnings`); an error
/// makes it unusable (a manifest is skipped, a configuration is invalid). Serialized, and shown,
/// as `warning` / `error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; what it is about is still used.
    Warning,
    /// What it is about cannot be used as it is.
    Error,
}

impl Severity {
    /// `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Severity;

    #[test]
    fn errors_outrank_warnings_and_read_back_as_written() {
        assert!(Severity::Error > Severity::Warning);
        for s in [Severity::Warning, Severity::Error] {
            let json = serde_json::to_string(&s).expect("serializes");
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(
                serde_json::from_str::<Severity>(&json).expect("reads back"),
                s
            );
        }
    }
}
