//! `ldic catalog update` against a mock serving the whole upstream snapshot as API items (key
//! added) plus hand-written ones: the change report against the built-in catalog names exactly
//! the hand-written changes. Here rather than in ldic-cli because it needs the snapshot, which
//! only this unpublished crate's build script may look for; the CLI's own tests cover the
//! command end to end with hand-written items.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_cli::catalog_update::{UpdateOptions, update};
use ldic_test_support::http::ManifestsApi;
use serde_json::json;

const TOKEN: &str = "corpus-update-token-51c9e2";

#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (../shared/integration-framework or LDIC_UPSTREAM_DIR)"
)]
fn the_snapshot_plus_hand_written_items_reports_only_their_changes() {
    let snapshot = ldic_test_support::upstream_dir().unwrap();
    let mut items = ldic_test_support::snapshot_items(&snapshot);
    // An existing integration gains an allowed value.
    let (changed_key, changed_var) =
        ldic_test_support::add_allowed_value(&mut items, "ldic-test-value");
    // A new integration whose item has no prose, and one whose only variable is unusable.
    items.push(json!({
        "key": "acme-sink", "name": "acme-sink hook", "version": "1.0.0",
        "formVariables": [
            {"key": "apiKey", "name": "API key", "type": "string", "isSecret": true},
            {"key": "region", "name": "Region", "type": "enum", "allowedValues": ["eu", "us"],
             "defaultValue": "eu", "isOptional": true}
        ]
    }));
    items.push(
        json!({"key": "broken", "name": "Broken", "version": "1.0.0",
        "formVariables": [{"key": "mode", "name": "Mode", "type": "enum"}]}),
    );

    let server = ManifestsApi::start(TOKEN);
    server.serve(200, &json!({ "items": items }));
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("catalog");
    let report = update(
        &dir,
        &UpdateOptions {
            base_url: Some(server.uri()),
            max_bytes: 64 << 20,
            token: Some(ldic_client::ApiToken::new(TOKEN)),
        },
    )
    .unwrap();
    assert!(
        report.contains("compatible: acme-sink: integration added"),
        "{report}"
    );
    let added_value = format!(
        "compatible: {changed_key} /formVariables {changed_var}: allowed value added (\"ldic-test-value\")"
    );
    assert!(report.contains(&added_value), "{report}");
    assert!(report.contains("1 added, 0 removed, 1 changed"), "{report}");
    assert!(!report.contains(TOKEN));
    // The unusable item is skipped (a warning on stderr), the others are stored.
    let stored = ldic_catalog::Catalog::load_dir(&dir).unwrap();
    assert!(stored.get("acme-sink").is_some());
    assert!(stored.get(&changed_key).is_some());
    assert!(
        stored
            .get("broken")
            .and_then(|i| i.config_values_list())
            .is_none_or(|l| l.fields.is_empty()),
        "the unusable variable is not in the stored catalog"
    );
}
