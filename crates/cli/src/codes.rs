//! The codes a finding can have: the validation engine's ([`ldic::Code`]) and those of the checks
//! only the CLI makes (a file that does not parse, a duplicated key, a literal secret, the
//! `${env:NAME}` policy...). One type, so that findings, `ldic.toml`, inline suppressions and
//! every output name a code the same way, and each code's spelling and description are written
//! once.

use ldic::Code;
use std::cmp::Ordering;
use std::fmt;

/// The code of a finding. Its spelling ([`FindingCode::as_str`]) is part of the public interface
/// (outputs, `ldic.toml`, `# ldic: ignore[code]`) and never changes for an existing code.
/// Codes are ordered by spelling (the order SARIF lists its rules in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingCode {
    /// A code of the validation engine.
    Engine(Code),
    /// The file is not valid JSON or YAML (or not UTF-8).
    ParseError,
    /// The same key twice in one object.
    DuplicateKey,
    /// A secret field, or a URL carrying a credential, holds a literal value.
    LiteralSecret,
    /// A document or array element that is not a configuration object.
    NotAConfiguration,
    /// A file without any configuration.
    NoConfiguration,
    /// A reference to the variable holding ldic's own API token.
    ForbiddenEnvReference,
    /// A reference to a variable outside `--env-allow`.
    EnvReferenceNotAllowed,
    /// A reference to a variable that is not set (`--resolve-env`, `create`).
    UnsetEnvReference,
}

impl FindingCode {
    /// The codes of the checks only the CLI makes (a malformed `${env:NAME}` reference is the
    /// engine's [`Code::InvalidEnvReference`], wherever it is found).
    pub const CLI: &'static [FindingCode] = &[
        FindingCode::ParseError,
        FindingCode::DuplicateKey,
        FindingCode::LiteralSecret,
        FindingCode::NotAConfiguration,
        FindingCode::NoConfiguration,
        FindingCode::ForbiddenEnvReference,
        FindingCode::EnvReferenceNotAllowed,
        FindingCode::UnsetEnvReference,
    ];

    /// Every code: the engine's, then the CLI's own.
    pub fn all() -> impl Iterator<Item = FindingCode> {
        Code::ALL
            .iter()
            .copied()
            .map(FindingCode::Engine)
            .chain(Self::CLI.iter().copied())
    }

    /// The code spelled `name`, if there is one (codes read from `ldic.toml` and comments).
    pub fn parse(name: &str) -> Option<FindingCode> {
        Self::all().find(|c| c.as_str() == name)
    }

    /// The stable kebab-case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::Engine(code) => code.as_str(),
            FindingCode::ParseError => "parse-error",
            FindingCode::DuplicateKey => "duplicate-key",
            FindingCode::LiteralSecret => "literal-secret",
            FindingCode::NotAConfiguration => "not-a-configuration",
            FindingCode::NoConfiguration => "no-configuration",
            FindingCode::ForbiddenEnvReference => "forbidden-env-reference",
            FindingCode::EnvReferenceNotAllowed => "env-reference-not-allowed",
            FindingCode::UnsetEnvReference => "unset-env-reference",
        }
    }

    /// What the code means, in one short sentence (SARIF rules).
    pub fn description(self) -> &'static str {
        match self {
            FindingCode::Engine(code) => code.description(),
            FindingCode::ParseError => "The file is not valid JSON or YAML.",
            FindingCode::DuplicateKey => "The same key appears twice in one object.",
            FindingCode::LiteralSecret => {
                "A secret field, or a URL carrying a credential, holds a literal value instead of an ${env:NAME} reference."
            }
            FindingCode::NotAConfiguration => {
                "A document or array element is not a configuration object."
            }
            FindingCode::NoConfiguration => "The file holds no integration configuration.",
            FindingCode::ForbiddenEnvReference => {
                "An ${env:NAME} reference to the variable holding ldic's own LaunchDarkly API token."
            }
            FindingCode::EnvReferenceNotAllowed => {
                "An ${env:NAME} reference to a variable outside the allowed names (--env-allow)."
            }
            FindingCode::UnsetEnvReference => {
                "An ${env:NAME} reference to a variable that is not set."
            }
        }
    }
}

impl From<Code> for FindingCode {
    fn from(code: Code) -> Self {
        FindingCode::Engine(code)
    }
}

impl PartialEq<Code> for FindingCode {
    fn eq(&self, other: &Code) -> bool {
        *self == FindingCode::Engine(*other)
    }
}

impl Ord for FindingCode {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for FindingCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn spellings_are_unique_and_read_back() {
        let all: Vec<FindingCode> = FindingCode::all().collect();
        for (i, code) in all.iter().enumerate() {
            assert_eq!(FindingCode::parse(code.as_str()), Some(*code));
            assert!(
                all[..i].iter().all(|c| c.as_str() != code.as_str()),
                "{code} twice"
            );
        }
        assert_eq!(FindingCode::parse("no-such-code"), None);
        assert_eq!(
            serde_json::to_value(FindingCode::DuplicateKey).unwrap(),
            "duplicate-key"
        );
        assert_eq!(
            serde_json::to_value(FindingCode::from(Code::UnknownField)).unwrap(),
            "unknown-field"
        );
    }

    #[test]
    fn every_code_has_its_own_description() {
        let mut seen = std::collections::HashSet::new();
        for code in FindingCode::all() {
            assert!(seen.insert(code.description()), "{code}");
        }
    }
}
