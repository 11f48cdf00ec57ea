//! The shipped documentation of diagnostic codes (`docs/codes.md`) has a section for every code
//! ldic can report, and nothing else: SARIF rules point at these sections.
#![allow(clippy::unwrap_used)]

use ldic_cli::codes::FindingCode;
use std::path::PathBuf;

fn codes_md() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/codes.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The GitHub anchors of the `### code` headings, in order.
fn anchors(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(|h| h.trim().to_owned())
        .collect()
}

fn every_code() -> Vec<&'static str> {
    FindingCode::all().map(FindingCode::as_str).collect()
}

#[test]
fn every_code_has_a_section_and_every_section_is_a_code() {
    let found = anchors(&codes_md());
    let all = every_code();
    for code in &all {
        assert!(
            found.iter().any(|a| a == code),
            "docs/codes.md has no `### {code}` section"
        );
    }
    for anchor in &found {
        assert!(
            all.contains(&anchor.as_str()),
            "docs/codes.md: `### {anchor}` is not a code"
        );
        // A heading that is a bare kebab-case code is its own GitHub anchor.
        assert!(
            anchor.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{anchor}"
        );
        assert_eq!(
            found.iter().filter(|a| *a == anchor).count(),
            1,
            "{anchor} twice"
        );
    }
}

#[test]
fn sarif_rules_point_at_the_code_sections() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = ldic_test_support::ldic_cmd!()
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "sarif", "examples/"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.is_empty(), "examples/mistakes has problems");
    let found = anchors(&codes_md());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.contains(&format!("docs/codes.md#{id}")), "{help}");
        assert!(found.iter().any(|a| a == id), "{id}");
    }
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("github.com/"), "no invented repository");
}
