//! Upstream's own `manifest.schema.json` (from the snapshot) accepts the valid rules fixture and
//! reports the violations of the schema-violation fixture (moved from ldic-manifest's tests: it
//! needs the snapshot).

#![allow(clippy::unwrap_used)]

use ldic_manifest::rules::{ManifestRules, Rule, Severity};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = ldic_test_support::fixture(&format!("manifests/rules/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (LDIC_UPSTREAM_DIR or ../shared/integration-framework)"
)]
fn upstream_schema_accepts_the_valid_fixture_and_reports_violations() {
    let dir = ldic_test_support::upstream_dir().unwrap();
    let rules = ManifestRules::load(&dir, &dir.join("manifest.schema.json")).unwrap();
    let ok = rules.check("valid.json", &fixture("valid"));
    assert!(ok.is_empty(), "{ok:#?}");

    let bad = rules.check("bad.json", &fixture("schema-violation"));
    let schema: Vec<_> = bad.iter().filter(|v| v.rule == Rule::Schema).collect();
    // key with a space, missing description, unknown type "number" (twice: missing description too)
    assert!(
        schema.iter().any(|v| v.pointer == "/formVariables/0/key"),
        "{schema:#?}"
    );
    assert!(
        schema
            .iter()
            .any(|v| v.pointer == "/formVariables/0" && v.expected.contains("description")),
        "{schema:#?}"
    );
    assert!(
        schema.iter().any(|v| v.pointer == "/formVariables/1/type"),
        "{schema:#?}"
    );
    assert!(schema.iter().all(|v| v.severity() == Severity::Error));
}
