//! Load a whole upstream tree: every manifest through the [`rules`](crate::rules), then
//! [`extract`](crate::extract)ed to facts.
//!
//! This is the library half of `cargo xtask fetch` once a tree is on disk: all violations of all
//! manifests are collected before deciding, so one run reports every problem. Any
//! [`Severity::Error`] fails the load; warnings travel with the facts to the report.

use crate::extract::extract;
use crate::facts::IntegrationFacts;
use crate::model::Manifest;
use crate::rules::{ManifestRules, Rule, SchemaError, Severity, Violation};
use crate::tree::{TreeError, UpstreamTree};

/// The facts of a tree that passed the rules, and the warnings it raised.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// One entry per integration, sorted by key.
    pub facts: Vec<IntegrationFacts>,
    /// Warnings (never errors), sorted by manifest and pointer.
    pub warnings: Vec<Violation>,
}

/// Why a tree could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The tree could not be read.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// The upstream schema could not be loaded.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// At least one error-severity violation; holds all violations (errors and warnings).
    #[error("{} manifest rule violation(s) (first: {})", count_errors(.0), first_error(.0))]
    Violations(Vec<Violation>),
}

fn count_errors(v: &[Violation]) -> usize {
    v.iter().filter(|v| v.severity() == Severity::Error).count()
}

fn first_error(v: &[Violation]) -> String {
    v.iter()
        .find(|v| v.severity() == Severity::Error)
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Validate every manifest of `tree` against its own `manifest.schema.json` and the semantic
/// rules, and extract the facts when no error was found.
pub fn load_tree(tree: &UpstreamTree) -> Result<Loaded, LoadError> {
    let rules = ManifestRules::load(tree.root(), &tree.schema_path())?;
    let mut violations = Vec::new();
    let mut facts = Vec::new();
    for file in tree.manifests()? {
        // The file as a whole is not a manifest ldic can read: one violation at its root.
        let unreadable = |expected: String| Violation {
            manifest: file.repo_path.clone(),
            pointer: String::new(),
            rule: Rule::InvalidJson,
            expected,
        };
        let parsed = std::fs::read_to_string(&file.path)
            .map_err(|e| format!("a readable UTF-8 file ({e})"))
            .and_then(|text| {
                serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("JSON ({e})"))
            });
        let value = match parsed {
            Ok(v) => v,
            Err(expected) => {
                violations.push(unreadable(expected));
                continue;
            }
        };
        let found = rules.check(&file.repo_path, &value);
        let has_error = found.iter().any(|v| v.severity() == Severity::Error);
        violations.extend(found);
        if has_error {
            continue;
        }
        match serde_json::from_value::<Manifest>(value) {
            Ok(m) => facts.push(extract(&file.key, &file.repo_path, &m)),
            Err(e) => violations.push(unreadable(format!("a manifest ldic can read ({e})"))),
        }
    }
    violations.sort();
    if violations.iter().any(|v| v.severity() == Severity::Error) {
        return Err(LoadError::Violations(violations));
    }
    Ok(Loaded {
        facts,
        warnings: violations,
    })
}
