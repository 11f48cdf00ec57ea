//! Every semantic rule has a hand-written fixture that breaks it (and only it), and the
//! diagnostic names the manifest, the JSON pointer and what was expected. The schema layer is
//! checked against the real upstream schema when the snapshot is present.

#![allow(clippy::unwrap_used)]

use ldic_manifest::rules::{ManifestRules, Rule, Severity, check_semantics};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = ldic_test_support::fixture(&format!("manifests/rules/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// (fixture = rule code, pointer of the single expected violation, text the expectation names)
const CASES: &[(Rule, &str, &str)] = &[
    (
        Rule::DefaultWithoutOptional,
        "/formVariables/0/isOptional",
        "isOptional: true",
    ),
    (
        Rule::DefaultType,
        "/formVariables/0/defaultValue",
        "a boolean",
    ),
    (
        Rule::EnumAllowedValues,
        "/formVariables/0/allowedValues",
        "non-empty allowedValues",
    ),
    (
        Rule::EnumDefaultNotAllowed,
        "/formVariables/0/defaultValue",
        "[\"eu\", \"us\"]",
    ),
    (
        Rule::MultiselectOptions,
        "/formVariables/0/multiselectOptions",
        "non-empty multiselectOptions",
    ),
    (
        Rule::MultiselectDefaultNotOption,
        "/formVariables/0/multiselectDefaultOptions/0",
        "[\"info\"]",
    ),
    (
        Rule::MultiselectProperty,
        "/formVariables/0/allowedValues",
        "no allowedValues on a multiselect",
    ),
    (
        Rule::EnvironmentSelectorProperty,
        "/capabilities/approval/environmentFormVariables/0/allowedValues",
        "no allowedValues on an environmentSelector",
    ),
    (
        Rule::SecretNotString,
        "/formVariables/0/isSecret",
        "only on a string",
    ),
    (
        Rule::DynamicOptions,
        "/formVariables/0/dynamicOptions",
        "dynamicOptions on a dynamicEnum",
    ),
    (
        Rule::DuplicateKey,
        "/capabilities/featureStore/formVariables/1/key",
        "/capabilities/featureStore/formVariables/0",
    ),
    (
        Rule::DependsOnUnknown,
        "/formVariables/1/dependsOn/0/variableKey",
        "no \"missing\"",
    ),
    (
        Rule::TemplateUnknownVariable,
        "/capabilities/auditLogEventsHook/endpoint/url",
        "\"{{host}}\"",
    ),
];

#[test]
fn every_semantic_rule_has_a_breaking_fixture() {
    for (rule, pointer, expected) in CASES {
        let path = format!("fixtures/{}.json", rule.code());
        let found = check_semantics(&path, &fixture(rule.code()));
        assert_eq!(found.len(), 1, "{}: {found:#?}", rule.code());
        let v = &found[0];
        assert_eq!(v.rule, *rule);
        assert_eq!(v.manifest, path);
        assert_eq!(v.pointer, *pointer, "{}", rule.code());
        assert!(
            v.expected.contains(expected),
            "{}: {}",
            rule.code(),
            v.expected
        );
        let line = v.to_string();
        assert!(line.contains(&format!("{path}#{pointer}")), "{line}");
        assert!(line.contains(rule.code()), "{line}");
    }
    // Every rule except the two that are not about form variables, and the one only API items
    // can break (tests in api.rs), is covered above.
    for rule in Rule::ALL {
        let covered = CASES.iter().any(|(r, _, _)| *r == rule);
        assert!(
            covered || matches!(rule, Rule::Schema | Rule::InvalidJson | Rule::UnknownType),
            "no fixture for {}",
            rule.code()
        );
    }
}

#[test]
fn a_manifest_using_every_feature_correctly_breaks_no_rule() {
    let found = check_semantics("valid.json", &fixture("valid"));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn violations_are_all_reported_at_once() {
    let mut manifest = fixture("default-type");
    let extra = fixture("enum-allowed-values")["formVariables"][0].clone();
    manifest["formVariables"]
        .as_array_mut()
        .unwrap()
        .push(extra);
    let found = check_semantics("m.json", &manifest);
    let rules: Vec<_> = found.iter().map(|v| (v.rule, v.pointer.as_str())).collect();
    assert_eq!(
        rules,
        vec![
            (Rule::DefaultType, "/formVariables/0/defaultValue"),
            (Rule::EnumAllowedValues, "/formVariables/1/allowedValues"),
        ]
    );
}

#[test]
fn severities_follow_the_documented_policy() {
    assert_eq!(Rule::Schema.severity(), Severity::Error);
    assert_eq!(Rule::DuplicateKey.severity(), Severity::Error);
    assert_eq!(Rule::EnumDefaultNotAllowed.severity(), Severity::Error);
    assert_eq!(Rule::DefaultWithoutOptional.severity(), Severity::Warning);
    assert_eq!(Rule::TemplateUnknownVariable.severity(), Severity::Warning);
}

#[test]
fn refs_into_schemas_resolve_from_local_files() {
    // A hand-written schema split like upstream's: manifest.schema.json -> schemas/... -> ../...
    let dir = ldic_test_support::fixture("manifests/upstream/schema");
    let rules = ManifestRules::load(&dir, &dir.join("manifest.schema.json")).unwrap();
    let manifest = serde_json::json!({
        "name": "Acme", "version": "1.0.0",
        "formVariables": [{"key": "a b", "name": "A", "type": "string"}],
        "capabilities": {"featureStore": {"formVariables": [{"key": "t", "name": "T", "type": "text"}]}}
    });
    let found = rules.check("m.json", &manifest);
    let pointers: Vec<_> = found.iter().map(|v| v.pointer.as_str()).collect();
    // One level of $ref (schemas/definitions.json) and two (capabilities/featureStore.json -> ../definitions.json).
    assert_eq!(
        pointers,
        vec![
            "/capabilities/featureStore/formVariables/0/type",
            "/formVariables/0/key"
        ],
        "{found:#?}"
    );
}

#[test]
fn refs_outside_the_tree_are_never_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let schema = serde_json::json!({
        "$id": "https://launchdarkly.com/schemas/v1.0/manifest.schema.json#",
        "properties": {"name": {"$ref": "https://example.com/elsewhere.json"}}
    });
    let err = ManifestRules::from_schema(dir.path(), &dir.path().join("s.json"), &schema)
        .unwrap_err()
        .to_string();
    assert!(err.contains("example.com/elsewhere.json"), "{err}");
}
