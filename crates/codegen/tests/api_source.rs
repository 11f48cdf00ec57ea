//! Facts fetched from the LaunchDarkly API (`cargo xtask fetch --api`) have no public manifest:
//! the generated docs must not link to the repository, and say where the facts came from.

#![allow(clippy::unwrap_used)]

use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};

fn facts() -> IntegrationFacts {
    IntegrationFacts::new("acme", "Acme", "1.0.0")
}

fn generated(lock: &UpstreamLock) -> String {
    ldic_codegen::generate_catalog(&[facts()], lock, &ldic_codegen::Layout::catalog())
        .unwrap()
        .into_iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .map(|f| f.contents)
        .collect()
}

#[test]
fn api_sourced_facts_get_no_repository_link_and_git_sourced_ones_do() {
    let api = UpstreamLock {
        source: UpstreamLock::API_SOURCE.into(),
        commit: String::new(),
        commit_date: String::new(),
        base_url: Some("https://example.com".into()),
        fetched_at: Some("2026-01-02T03:04:05Z".into()),
        content_hash: Some("sha256:00".into()),
    };
    let text = generated(&api);
    assert!(!text.contains(UpstreamLock::DEFAULT_SOURCE), "{text}");
    assert!(
        text.contains("manifest_url: ::std::borrow::Cow::Borrowed(\"\")"),
        "{text}"
    );
    assert!(text.contains("LaunchDarkly API"), "{text}");
    assert!(text.contains("2026-01-02T03:04:05Z"), "{text}");

    let git = UpstreamLock::from_git(
        UpstreamLock::DEFAULT_SOURCE,
        "0".repeat(40),
        "2025-01-01".into(),
    );
    let text = generated(&git);
    assert!(
        text.contains(&git.blob_url("integrations/acme/manifest.json")),
        "{text}"
    );
}
