//! What each engine [`Code`] means, in one sentence: the text SARIF rules, `docs/codes.md` and
//! the CLI's listings show. One table here, so the CLI does not keep its own copy.

use crate::diagnostic::Code;

impl Code {
    /// What the code means, in one short sentence.
    pub fn description(self) -> &'static str {
        match self {
            Code::UnknownIntegration => "The integration key is not in the catalog.",
            Code::UnknownField => "A field the integration does not declare.",
            Code::MissingRequired => "A required field is missing.",
            Code::WrongType => "A value of the wrong JSON type.",
            Code::NotAllowed => "A value outside the allowed values.",
            Code::InvalidUri => "A URI field that is not an absolute URI.",
            Code::DuplicateItem => "The same item twice in an array that must hold unique items.",
            Code::EmptyValue => "A value that must not be empty is empty.",
            Code::HiddenField => "A value for a field that a dependsOn rule hides.",
            Code::SetByLaunchDarkly => "A value for a field LaunchDarkly sets itself.",
            Code::DefaultApplies => "A field is absent and its default applies.",
            Code::UnsupportedCapability => {
                "A capabilityConfig entry for a capability the integration does not have."
            }
            Code::InvalidStatement => "A policy statement that breaks the statement rules.",
            Code::InvalidResource => "A resource specifier that does not parse.",
            Code::SchemaViolation => "Something else the JSON Schema rejects.",
            Code::InvalidEnvReference => {
                "A value starts like an ${env:NAME} reference but is not one."
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_sentence() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let text = code.description();
            assert!(text.ends_with('.'), "{code}: {text}");
            assert!(seen.insert(text), "{code} repeats {text:?}");
        }
    }
}
