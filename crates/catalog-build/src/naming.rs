//! Rust names from arbitrary manifest strings.
//!
//! Manifest keys, integration keys and enum values are free-form (`base-url`, `URL`, `roost.ai`,
//! `https://api.datadoghq.com`, `Override disabled`, `type`). [`rust_name`] turns any string into a
//! valid, lint-clean Rust identifier, and [`NameSpace`] resolves collisions (two strings that give
//! the same identifier) deterministically by suffixing the later one. The rules, in order:
//!
//! 1. Every non-ASCII character becomes a word `u<hex code point>`; ASCII punctuation and spaces
//!    separate words (`roost.ai` -> `roost`, `ai`).
//! 2. The words are joined in the requested case with `heck` (`hostURL` -> `host_url` / `HostUrl`).
//! 3. Nothing left (`""`, `"-"`) -> `empty` / `Empty`.
//! 4. A leading digit gets a prefix: `_` in snake case (`9lives` -> `_9lives`), `N` in camel case
//!    (`1` -> `N1`).
//! 5. A Rust keyword (strict, reserved or weak-but-problematic) gets a trailing `_`
//!    (`type` -> `type_`, `self` -> `self_`, `Self` -> `Self_`).
//! 6. A name already taken in its namespace gets the smallest free suffix `_2`, `_3`, ... (snake)
//!    or `2`, `3`, ... (camel; `_2` when the name ends in a digit), in input order; a trailing
//!    `_` of the taken name is dropped first (`self_` -> `self_2`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// The case of an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: modules, fields, methods.
    Snake,
    /// `UpperCamelCase`: types and enum variants.
    UpperCamel,
}

/// Keywords that cannot be used as plain identifiers (edition 2024), plus `Self`.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A valid Rust identifier for `raw` in `case` (rules 1-5 of the module docs). Never fails.
pub fn rust_name(raw: &str, case: Case) -> String {
    let mut spaced = String::with_capacity(raw.len());
    for ch in raw.chars() {
        if ch.is_ascii_alphanumeric() {
            spaced.push(ch);
        } else if ch.is_ascii() {
            spaced.push(' ');
        } else {
            spaced.push_str(&format!(" u{:x} ", u32::from(ch)));
        }
    }
    let mut name = match case {
        Case::Snake => spaced.to_snake_case(),
        Case::UpperCamel => spaced.to_upper_camel_case(),
    };
    if name.is_empty() {
        name = match case {
            Case::Snake => "empty".to_owned(),
            Case::UpperCamel => "Empty".to_owned(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(
            0,
            match case {
                Case::Snake => "_",
                Case::UpperCamel => "N",
            },
        );
    }
    // What is left is ASCII letters, digits and `_`, not starting with a digit: an identifier
    // unless it is a keyword (`ldic-codegen`'s tests parse every generated name with syn).
    if KEYWORDS.contains(&name.as_str()) || name == "_" {
        name.push('_');
    }
    name
}

/// A set of names in one Rust namespace (the fields of a struct, the variants of an enum, the
/// types of a module, the modules of the catalog) that hands out unique names.
#[derive(Debug, Clone, Default)]
pub struct NameSpace {
    taken: BTreeSet<String>,
}

impl NameSpace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameSpace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Take the identifier for `raw` (rule 6 on collision). Deterministic in call order.
    pub fn claim(&mut self, raw: &str, case: Case) -> String {
        let base = rust_name(raw, case);
        self.claim_exact(base, case)
    }

    /// Take `base` (already a valid identifier) or its first free suffixed form.
    pub fn claim_exact(&mut self, base: String, case: Case) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        // `self_` + 2 -> `self_2`, not `self__2` (which the snake-case lint rejects).
        let stem = base.trim_end_matches('_');
        let separator = match case {
            Case::Snake => "_",
            Case::UpperCamel if stem.ends_with(|c: char| c.is_ascii_digit()) => "_",
            Case::UpperCamel => "",
        };
        let mut n: u32 = 2;
        loop {
            let candidate = format!("{stem}{separator}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snake(s: &str) -> String {
        rust_name(s, Case::Snake)
    }
    fn camel(s: &str) -> String {
        rust_name(s, Case::UpperCamel)
    }

    #[test]
    fn manifest_keys_become_snake_case_fields() {
        assert_eq!(snake("base-url"), "base_url");
        assert_eq!(snake("skip-ca-verification"), "skip_ca_verification");
        assert_eq!(snake("URL"), "url");
        assert_eq!(snake("detail_column"), "detail_column");
        assert_eq!(snake("hostURL"), "host_url");
        assert_eq!(snake("apiKey"), "api_key");
    }

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("ref"), "ref_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("gen"), "gen_");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("type"), "Type");
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(snake("9lives"), "_9lives");
        assert_eq!(snake("1st-party"), "_1st_party");
        assert_eq!(camel("1"), "N1");
        assert_eq!(camel("3d-secure"), "N3dSecure");
    }

    #[test]
    fn integration_keys_become_modules_and_type_prefixes() {
        assert_eq!(snake("roost.ai"), "roost_ai");
        assert_eq!(camel("roost.ai"), "RoostAi");
        assert_eq!(snake("servicenow-normal"), "servicenow_normal");
        assert_eq!(camel("servicenow-normal"), "ServicenowNormal");
    }

    #[test]
    fn enum_values_with_urls_spaces_and_nothing() {
        assert_eq!(camel("https://api.datadoghq.com"), "HttpsApiDatadoghqCom");
        assert_eq!(camel("Override disabled"), "OverrideDisabled");
        assert_eq!(camel("ap-northeast-1"), "ApNortheast1");
        assert_eq!(camel("AWS_LAMBDA_FUNCTION"), "AwsLambdaFunction");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("--"), "Empty");
        assert_eq!(snake(""), "empty");
    }

    #[test]
    fn non_ascii_is_spelled_out() {
        assert_eq!(snake("café"), "caf_ue9");
        assert_eq!(camel("ü"), "Ufc");
    }

    #[test]
    fn every_result_is_a_valid_identifier() {
        let inputs = [
            "",
            " ",
            "_",
            "__",
            "9",
            "a b",
            "é",
            "🦀",
            "r#type",
            "Self",
            "self",
            "super",
            "::",
            "https://x.example/a?b=c",
            "UPPER",
            "x-",
            "-x",
        ];
        for input in inputs {
            for case in [Case::Snake, Case::UpperCamel] {
                let name = rust_name(input, case);
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{input:?} -> {name:?} is not an identifier"
                );
            }
        }
    }

    #[test]
    fn collisions_are_resolved_in_call_order() {
        let mut fields = NameSpace::new();
        assert_eq!(fields.claim("hostUrl", Case::Snake), "host_url");
        assert_eq!(fields.claim("host-url", Case::Snake), "host_url_2");
        assert_eq!(fields.claim("host_url", Case::Snake), "host_url_3");
        assert_eq!(fields.claim("host_url_2", Case::Snake), "host_url_2_2");

        let mut variants = NameSpace::new();
        assert_eq!(variants.claim("a-b", Case::UpperCamel), "AB");
        assert_eq!(variants.claim("a_b", Case::UpperCamel), "AB2");
        assert_eq!(variants.claim("eu-1", Case::UpperCamel), "Eu1");
        assert_eq!(variants.claim("eu_1", Case::UpperCamel), "Eu1_2");

        let mut keywords = NameSpace::new();
        assert_eq!(keywords.claim("self", Case::Snake), "self_");
        assert_eq!(keywords.claim("Self", Case::Snake), "self_2");
        assert_eq!(keywords.claim("self", Case::UpperCamel), "Self_");
        assert_eq!(keywords.claim("Self", Case::UpperCamel), "Self2");
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let mut types = NameSpace::with_reserved(&["Option", "String"]);
        assert_eq!(types.claim("option", Case::UpperCamel), "Option2");
        assert_eq!(types.claim("string", Case::UpperCamel), "String2");
    }
}
