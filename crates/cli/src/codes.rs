//! One-line descriptions of every diagnostic code, for SARIF rules and `--help`-like listings.

use crate::config::codes;
use ldic::Code;

/// What a code means, in one short sentence.
pub fn describe(code: &str) -> &'static str {
    for c in Code::ALL {
        if c.as_str() == code {
            return c.description();
        }
    }
    match code {
        codes::PARSE_ERROR => "The file is not valid JSON or YAML.",
        codes::DUPLICATE_KEY => "The same key appears twice in one object.",
        codes::LITERAL_SECRET => {
            "A secret field, or a URL carrying a credential, holds a literal value instead of an ${env:NAME} reference."
        }
        codes::INVALID_ENV_REFERENCE => {
            "A value starts like an ${env:NAME} reference but is not one."
        }
        codes::NOT_A_CONFIGURATION => "A document or array element is not a configuration object.",
        codes::NO_CONFIGURATION => "The file holds no integration configuration.",
        codes::FORBIDDEN_ENV_REFERENCE => {
            "An ${env:NAME} reference to the variable holding ldic's own LaunchDarkly API token."
        }
        codes::ENV_REFERENCE_NOT_ALLOWED => {
            "An ${env:NAME} reference to a variable outside the allowed names (--env-allow)."
        }
        codes::UNSET_ENV_REFERENCE => "An ${env:NAME} reference to a variable that is not set.",
        _ => "A problem found by ldic.",
    }
}
