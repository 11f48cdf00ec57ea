//! A generated struct read from JSON with members it does not know (a field a newer manifest
//! added, read back from the API; or a typo in a file) keeps them instead of failing, and the
//! typed validation path reports each exactly as the document path does (`unknown-field`, with
//! the did-you-mean), so nothing unknown is ever sent unnoticed.

#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic::catalog::datadog::DatadogConfig;
use ldic::{Code, validate_typed};
use serde_json::json;

#[test]
fn unknown_members_are_kept_and_reported_like_the_value_path() {
    let document = json!({
        "apiKey": "dd-key",
        "hostUrl": "https://api.datadoghq.eu",
        "newSecretToken": "canary-new-2b7c"
    });
    let config: DatadogConfig = serde_json::from_value(document.clone()).unwrap();
    assert_eq!(
        config.unknown_fields.keys().collect::<Vec<_>>(),
        ["hostUrl", "newSecretToken"]
    );
    assert_eq!(config.host_url, None, "the typo is not the field");
    assert!(!format!("{config:?}").contains("canary-new-2b7c"));
    assert_eq!(serde_json::to_value(&config).unwrap(), document);

    let typed = validate_typed(&config);
    let value = ldic::validate_list(&ldic::catalog::datadog::FORM_VARIABLES, &document);
    assert_eq!(typed.diagnostics, value.diagnostics);
    let unknown: Vec<(&str, Option<&str>)> = typed
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownField)
        .map(|d| (d.pointer.as_str(), d.suggestion.as_deref()))
        .collect();
    assert_eq!(unknown.len(), 2, "{typed}");
    assert_eq!(unknown[0].0, "/hostUrl");
    assert!(
        unknown[0].1.is_some_and(|s| s.contains("hostURL")),
        "{unknown:?}"
    );
    assert_eq!(unknown[1].0, "/newSecretToken");
    assert!(!typed.to_string().contains("canary-new-2b7c"));
}

#[test]
fn a_struct_built_in_rust_has_no_unknown_member_and_validates() {
    let config = DatadogConfig::new("dd-key");
    assert!(config.unknown_fields.is_empty());
    assert!(validate_typed(&config).is_ok());
}
