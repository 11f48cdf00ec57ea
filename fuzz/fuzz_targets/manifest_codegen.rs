//! Manifest parsing + the upstream rules + facts extraction + codegen of the facts.
//!
//! The input is a `manifest.json`. It goes the way `cargo xtask fetch` takes it: the rules
//! (the upstream schema when the snapshot is found, else the semantic rules alone), then, when no
//! error was found, the typed model, facts extraction, the facts' round trip through their stored
//! form, and `ldic_codegen::generate_catalog` on those facts.
#![no_main]

use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use ldic_manifest::rules::{ManifestRules, Severity, check_semantics};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const PATH: &str = "integrations/fuzz/manifest.json";

/// The upstream rules, when a snapshot is around (`LDIC_UPSTREAM_DIR` or the shared checkout).
fn rules() -> Option<&'static ManifestRules> {
    static RULES: OnceLock<Option<ManifestRules>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            let dir = std::env::var_os("LDIC_UPSTREAM_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                        .join("../../shared/integration-framework")
                });
            ManifestRules::load(&dir, &dir.join("manifest.schema.json")).ok()
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let violations = match rules() {
        Some(rules) => rules.check(PATH, &value),
        None => check_semantics(PATH, &value),
    };
    for v in &violations {
        let _ = v.to_string();
    }
    if violations.iter().any(|v| v.severity() == Severity::Error) {
        return;
    }
    let Ok(manifest) = serde_json::from_value::<ldic_manifest::model::Manifest>(value) else {
        return;
    };
    let facts = ldic_manifest::extract::extract("fuzz", PATH, &manifest);
    let stored = ldic_manifest::store::render(&facts);
    let back: IntegrationFacts = serde_json::from_str(&stored).expect("stored facts read back");
    assert_eq!(back, facts, "facts survive their stored form");
    let lock = UpstreamLock::from_git(
        UpstreamLock::DEFAULT_SOURCE,
        "0".repeat(40),
        "2025-01-01".to_owned(),
    );
    let _ = ldic_codegen::generate_catalog(&[facts], &lock, &ldic_codegen::Layout::catalog());
});
