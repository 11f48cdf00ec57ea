//! The engine against hand-built integrations (independent of the generated catalog): one table
//! row per diagnostic code, document order, all-at-once, defaults, and secrets.

#![allow(clippy::unwrap_used, clippy::type_complexity)] // tests may unwrap

use ldic_catalog::{
    CompiledSlot, Condition, ConditionOperator, DependsOn, DependsOnAction, FieldMeta, FieldType,
    FormList, FormListKind, FormLists, Integration,
};
use ldic_validate::{Code, Report, Severity, Validator, validate_list};
use serde_json::{Value, json};
use std::borrow::Cow::Borrowed;

#[allow(dead_code)] // each test crate uses part of what the tests share
mod common;
use common::FIELD;

const MODE_IS_ADVANCED: &[Condition] = &[Condition {
    operator: ConditionOperator::EqualTo,
    value: Borrowed("advanced"),
}];

static HOOK_FIELDS: [FieldMeta; 10] = [
    FieldMeta {
        key: Borrowed("apiKey"),
        label: Borrowed("API key"),
        is_secret: true,
        is_optional: false,
        required: true,
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("hostURL"),
        ty: FieldType::Uri,
        default_json: Some(Borrowed("\"https://api.example.com\"")),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("region"),
        ty: FieldType::Enum,
        is_optional: false,
        required: true,
        allowed_values: Borrowed(&[Borrowed("us"), Borrowed("eu")]),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("events"),
        ty: FieldType::Multiselect,
        allowed_values: Borrowed(&[Borrowed("a"), Borrowed("b"), Borrowed("c")]),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("verbose"),
        ty: FieldType::Boolean,
        default_json: Some(Borrowed("false")),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("mode"),
        ty: FieldType::Enum,
        allowed_values: Borrowed(&[Borrowed("basic"), Borrowed("advanced")]),
        default_json: Some(Borrowed("\"basic\"")),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("advancedToken"),
        is_secret: true,
        is_optional: false,
        is_hidden: true,
        depends_on: Borrowed(&[DependsOn {
            variable_key: Borrowed("mode"),
            variable_list: FormListKind::FormVariables,
            action: DependsOnAction::ShowField,
            conditions: Borrowed(MODE_IS_ADVANCED),
        }]),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("legacyPath"),
        depends_on: Borrowed(&[DependsOn {
            variable_key: Borrowed("mode"),
            variable_list: FormListKind::FormVariables,
            action: DependsOnAction::HideField,
            conditions: Borrowed(MODE_IS_ADVANCED),
        }]),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("externalId"),
        ty: FieldType::Generated,
        is_optional: false,
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("internal"),
        is_hidden: true,
        default_json: Some(Borrowed("\"\"")),
        ..FIELD
    },
];

const HOOK_SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "apiKey": {"type": "string", "writeOnly": true},
    "hostURL": {"type": "string", "format": "uri", "default": "https://api.example.com"},
    "region": {"type": "string", "enum": ["us", "eu"]},
    "events": {"type": "array", "uniqueItems": true, "items": {"type": "string", "enum": ["a", "b", "c"]}},
    "verbose": {"type": "boolean", "default": false},
    "mode": {"type": "string", "enum": ["basic", "advanced"], "default": "basic"},
    "advancedToken": {"type": "string", "writeOnly": true},
    "legacyPath": {"type": "string"},
    "externalId": {"type": "string", "readOnly": true},
    "internal": {"type": "string", "default": ""}
  },
  "required": ["apiKey", "region"]
}"#;

static HOOK_LIST: FormList = FormList {
    integration_key: Borrowed("test-hook"),
    kind: FormListKind::FormVariables,
    type_name: Borrowed("TestHookConfig"),
    fields: Borrowed(&HOOK_FIELDS),
    schema_json: Borrowed(HOOK_SCHEMA),
    compiled: CompiledSlot::new(),
};

static HOOK: Integration = Integration {
    key: Borrowed("test-hook"),
    name: Borrowed("Test Hook"),
    version: Borrowed("1.0.0"),
    manifest_url: Borrowed("https://example.com/test-hook/manifest.json"),
    capabilities: Borrowed(&[Borrowed("auditLogEventsHook")]),
    lists: FormLists::Static(&[&HOOK_LIST]),
};

static NO_FORMS: Integration = Integration {
    key: Borrowed("no-forms"),
    name: Borrowed("No Forms"),
    version: Borrowed("1.0.0"),
    manifest_url: Borrowed("https://example.com/no-forms/manifest.json"),
    capabilities: Borrowed(&[Borrowed("approval")]),
    lists: FormLists::Static(&[]),
};

static BROKEN_LIST: FormList = FormList {
    integration_key: Borrowed("broken"),
    kind: FormListKind::FormVariables,
    type_name: Borrowed("BrokenConfig"),
    fields: Borrowed(&[]),
    schema_json: Borrowed("{\"type\": 12}"),
    compiled: CompiledSlot::new(),
};

fn hook() -> Validator<'static> {
    Validator::for_integration(&HOOK)
}

fn valid_body() -> Value {
    json!({
        "name": "Production audit log",
        "configValues": {"apiKey": "k-1", "region": "us"},
        "enabled": true,
        "tags": ["ops"],
        "capabilityConfig": {
            "auditLogEventsHook": {
                "statements": [{
                    "effect": "allow",
                    "resources": ["proj/*:env/production:flag/*"],
                    "actions": ["*"]
                }]
            }
        }
    })
}

/// `valid_body()` with the JSON pointer `at` set to `value` (creating the member).
fn with(at: &str, value: Value) -> Value {
    let mut body = valid_body();
    let (parent, last) = at.rsplit_once('/').unwrap();
    let target = body.pointer_mut(parent).unwrap();
    match target {
        Value::Object(m) => {
            m.insert(last.to_owned(), value);
        }
        Value::Array(a) => a[last.parse::<usize>().unwrap()] = value,
        _ => panic!("{parent} is not a container"),
    }
    body
}

fn without(at: &str) -> Value {
    let mut body = valid_body();
    let (parent, last) = at.rsplit_once('/').unwrap();
    body.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(last);
    body
}

fn only(report: &Report) -> &ldic_validate::Diagnostic {
    assert_eq!(
        report.diagnostics.len(),
        1,
        "expected exactly one diagnostic:\n{report}"
    );
    &report.diagnostics[0]
}

#[test]
fn a_valid_body_has_no_diagnostics() {
    let report = hook().validate(&valid_body());
    assert!(report.is_empty(), "{report}");
    assert!(report.is_ok());
}

/// One row per code: the mistaken document, then the expected (code, severity, pointer,
/// suggestion). Each mistake must give exactly that one diagnostic.
// A table of ~360 lines: one row per code, read as a list; the check is the last ten lines.
#[test]
fn one_mistake_one_diagnostic_per_code() {
    let advanced = |v: Value| {
        let mut b = valid_body();
        b["configValues"]["mode"] = json!("advanced");
        b["configValues"]["advancedToken"] = json!("t");
        if let Value::Object(extra) = v {
            for (k, v) in extra {
                b["configValues"][k] = v;
            }
        }
        b
    };
    let rows: Vec<(&str, Value, Code, Severity, &str, Option<&str>)> = vec![
        (
            "unknown config field, case",
            with("/configValues/hosturl", json!("https://x.example")),
            Code::UnknownField,
            Severity::Error,
            "/configValues/hosturl",
            Some("did you mean \"hostURL\"?"),
        ),
        (
            "unknown config field, typo",
            with("/configValues/apiKye", json!("k")),
            Code::UnknownField,
            Severity::Error,
            "/configValues/apiKye",
            Some("did you mean \"apiKey\"?"),
        ),
        (
            "unknown body field",
            with("/configValue", json!({})),
            Code::UnknownField,
            Severity::Error,
            "/configValue",
            Some("did you mean \"configValues\"?"),
        ),
        (
            "unknown capability config",
            with("/capabilityConfig/auditLogEventHook", json!({})),
            Code::UnknownField,
            Severity::Error,
            "/capabilityConfig/auditLogEventHook",
            Some("did you mean \"auditLogEventsHook\"?"),
        ),
        (
            "unknown statement field",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/efect",
                json!("allow"),
            ),
            Code::UnknownField,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/efect",
            Some("did you mean \"effect\"?"),
        ),
        (
            "missing config field",
            without("/configValues/region"),
            Code::MissingRequired,
            Severity::Error,
            "/configValues",
            None,
        ),
        (
            "missing name",
            without("/name"),
            Code::MissingRequired,
            Severity::Error,
            "",
            None,
        ),
        (
            "missing configValues",
            without("/configValues"),
            Code::MissingRequired,
            Severity::Error,
            "",
            None,
        ),
        (
            "missing effect",
            without("/capabilityConfig/auditLogEventsHook/statements/0/effect"),
            Code::MissingRequired,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0",
            None,
        ),
        (
            "shown field is required",
            {
                let mut b = valid_body();
                b["configValues"]["mode"] = json!("advanced");
                b
            },
            Code::MissingRequired,
            Severity::Error,
            "/configValues",
            None,
        ),
        (
            "wrong type string",
            with("/configValues/apiKey", json!(5)),
            Code::WrongType,
            Severity::Error,
            "/configValues/apiKey",
            None,
        ),
        (
            "wrong type enum is one diagnostic",
            with("/configValues/region", json!(5)),
            Code::WrongType,
            Severity::Error,
            "/configValues/region",
            None,
        ),
        (
            "wrong type multiselect",
            with("/configValues/events", json!("a")),
            Code::WrongType,
            Severity::Error,
            "/configValues/events",
            None,
        ),
        (
            "wrong type multiselect item",
            with("/configValues/events", json!(["a", 3])),
            Code::WrongType,
            Severity::Error,
            "/configValues/events/1",
            None,
        ),
        (
            "wrong type boolean",
            with("/configValues/verbose", json!("yes")),
            Code::WrongType,
            Severity::Error,
            "/configValues/verbose",
            None,
        ),
        (
            "wrong type configValues",
            with("/configValues", json!([])),
            Code::WrongType,
            Severity::Error,
            "/configValues",
            None,
        ),
        (
            "wrong type enabled",
            with("/enabled", json!("yes")),
            Code::WrongType,
            Severity::Error,
            "/enabled",
            None,
        ),
        (
            "wrong type tag",
            with("/tags", json!(["ops", 1])),
            Code::WrongType,
            Severity::Error,
            "/tags/1",
            None,
        ),
        (
            "wrong type name",
            with("/name", json!(1)),
            Code::WrongType,
            Severity::Error,
            "/name",
            None,
        ),
        (
            "not allowed",
            with("/configValues/region", json!("mars")),
            Code::NotAllowed,
            Severity::Error,
            "/configValues/region",
            None,
        ),
        (
            "not allowed, case",
            with("/configValues/region", json!("US")),
            Code::NotAllowed,
            Severity::Error,
            "/configValues/region",
            Some("did you mean \"us\"?"),
        ),
        (
            "not allowed item",
            with("/configValues/events", json!(["a", "z"])),
            Code::NotAllowed,
            Severity::Error,
            "/configValues/events/1",
            None,
        ),
        (
            "not allowed effect",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/effect",
                json!("Allow"),
            ),
            Code::NotAllowed,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/effect",
            Some("did you mean \"allow\"?"),
        ),
        (
            "invalid uri",
            with("/configValues/hostURL", json!("api.example.com")),
            Code::InvalidUri,
            Severity::Error,
            "/configValues/hostURL",
            None,
        ),
        (
            "duplicate item",
            with("/configValues/events", json!(["a", "b", "a"])),
            Code::DuplicateItem,
            Severity::Error,
            "/configValues/events/2",
            None,
        ),
        (
            "empty name",
            with("/name", json!("  ")),
            Code::EmptyValue,
            Severity::Error,
            "/name",
            None,
        ),
        (
            "hidden by dependsOn",
            advanced(json!({"legacyPath": "/x"})),
            Code::HiddenField,
            Severity::Warning,
            "/configValues/legacyPath",
            Some("remove \"legacyPath\""),
        ),
        (
            "hidden unless shown",
            with("/configValues/advancedToken", json!("t")),
            Code::HiddenField,
            Severity::Warning,
            "/configValues/advancedToken",
            Some("remove \"advancedToken\""),
        ),
        (
            "hidden field",
            with("/configValues/internal", json!("x")),
            Code::HiddenField,
            Severity::Warning,
            "/configValues/internal",
            Some("remove \"internal\""),
        ),
        (
            "set by LaunchDarkly",
            with("/configValues/externalId", json!("x")),
            Code::SetByLaunchDarkly,
            Severity::Warning,
            "/configValues/externalId",
            Some("remove \"externalId\""),
        ),
        (
            "unsupported capability",
            with("/capabilityConfig/approvals", json!({})),
            Code::UnsupportedCapability,
            Severity::Error,
            "/capabilityConfig/approvals",
            Some("remove \"approvals\"; test-hook has: auditLogEventsHook"),
        ),
        (
            "resources and notResources",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/notResources",
                json!(["proj/*"]),
            ),
            Code::InvalidStatement,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/notResources",
            Some("remove \"notResources\" or \"resources\""),
        ),
        (
            "no actions",
            without("/capabilityConfig/auditLogEventsHook/statements/0/actions"),
            Code::InvalidStatement,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0",
            None,
        ),
        (
            "empty resources",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/resources",
                json!([]),
            ),
            Code::InvalidStatement,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/resources",
            None,
        ),
        (
            "bad action",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/actions",
                json!(["update flag"]),
            ),
            Code::InvalidStatement,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/actions/0",
            None,
        ),
        (
            "invalid resource",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/resources",
                json!(["proj/*:env/*:flags/*"]),
            ),
            Code::InvalidResource,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/resources/0",
            Some("did you mean \"flag\"?"),
        ),
        (
            "resource needs parent",
            with(
                "/capabilityConfig/auditLogEventsHook/statements/0/resources",
                json!(["flag/*"]),
            ),
            Code::InvalidResource,
            Severity::Error,
            "/capabilityConfig/auditLogEventsHook/statements/0/resources/0",
            Some("did you mean \"proj/*:env/*:flag/*\"?"),
        ),
    ];
    for (what, body, code, severity, pointer, suggestion) in rows {
        let report = hook().validate(&body);
        assert_eq!(
            report.diagnostics.len(),
            1,
            "{what}: expected one diagnostic, got:\n{report}"
        );
        let d = &report.diagnostics[0];
        assert_eq!(d.code, code, "{what}: {d}");
        assert_eq!(d.severity, severity, "{what}: {d}");
        assert_eq!(d.pointer, pointer, "{what}: {d}");
        assert_eq!(d.suggestion.as_deref(), suggestion, "{what}: {d}");
        assert!(
            body.pointer(&d.pointer).is_some(),
            "{what}: pointer {} must exist in the document",
            d.pointer
        );
        assert_eq!(
            d.on_key,
            code == Code::UnknownField
                || code == Code::UnsupportedCapability
                || what == "resources and notResources",
            "{what}: on_key"
        );
    }
}

#[test]
fn unknown_integration_has_its_own_code() {
    let err = Validator::for_key("definitely-not-an-integration").unwrap_err();
    assert_eq!(err.code, Code::UnknownIntegration);
    assert_eq!(err.pointer, "");
    let report = ldic_validate::validate("definitely-not-an-integration", &valid_body());
    assert_eq!(only(&report).code, Code::UnknownIntegration);
    assert!(!report.is_ok());
}

#[test]
fn a_broken_schema_is_a_schema_violation_not_a_panic() {
    let report = validate_list(&BROKEN_LIST, &json!({}));
    let d = only(&report);
    assert_eq!(d.code, Code::SchemaViolation);
    assert!(d.message.contains("bug in ldic"), "{d}");
}

#[test]
fn defaults_are_reported_and_applied_only_on_request() {
    let v = hook();
    let cv = json!({"apiKey": "k", "region": "eu"});
    let defaults = v.defaults(&cv).unwrap();
    let fields: Vec<&str> = defaults.iter().map(|d| d.field.as_str()).collect();
    // internal is hidden; externalId is set by LaunchDarkly; advancedToken/legacyPath have no default.
    assert_eq!(fields, vec!["hostURL", "verbose", "mode"]);
    assert_eq!(defaults[0].pointer, "/hostURL");
    assert_eq!(defaults[0].value, json!("https://api.example.com"));
    let d = defaults[1].to_diagnostic();
    assert_eq!(
        (d.code, d.severity),
        (Code::DefaultApplies, Severity::Warning)
    );
    // validate never applies or reports them.
    assert!(v.validate_config_values(&cv).is_empty());
    let mut applied = cv.clone();
    let inserted = v.apply_defaults(&mut applied).unwrap();
    assert_eq!(inserted.len(), 3);
    assert_eq!(applied["mode"], json!("basic"));
    assert_eq!(applied["verbose"], json!(false));
    assert!(v.validate_config_values(&applied).is_empty());
    // A default of a field hidden by dependsOn does not apply.
    let advanced = json!({"apiKey": "k", "region": "eu", "mode": "advanced", "advancedToken": "t"});
    assert!(
        v.defaults(&advanced)
            .unwrap()
            .iter()
            .all(|d| d.field != "legacyPath")
    );
    assert!(matches!(
        v.defaults(&json!([])),
        Err(ldic_validate::DefaultsError::NotAnObject { .. })
    ));
}

#[test]
fn every_problem_at_once_in_document_order() {
    let body = json!({
        "name": "",
        "capabilityConfig": {"approvals": {}, "auditLogEventsHook": {"statements": [
            {"effect": "permit", "resources": ["proj/*:env/*;qa_*:/flag/*"], "actions": ["*"]}
        ]}},
        "configValues": {"apiKey": 5, "region": "mars", "hostURL": "nope", "colour": "x"},
        "enabled": "yes",
        "tags": [1],
        "extra": true
    });
    let report = hook().validate(&body);
    let got: Vec<(Code, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    // serde_json is built with `preserve_order`: members iterate in the order the document has them.
    let expected = vec![
        (Code::EmptyValue, "/name"),
        (Code::UnsupportedCapability, "/capabilityConfig/approvals"),
        (
            Code::NotAllowed,
            "/capabilityConfig/auditLogEventsHook/statements/0/effect",
        ),
        (
            Code::InvalidResource,
            "/capabilityConfig/auditLogEventsHook/statements/0/resources/0",
        ),
        (Code::WrongType, "/configValues/apiKey"),
        (Code::NotAllowed, "/configValues/region"),
        (Code::InvalidUri, "/configValues/hostURL"),
        (Code::UnknownField, "/configValues/colour"),
        (Code::WrongType, "/enabled"),
        (Code::WrongType, "/tags/0"),
        (Code::UnknownField, "/extra"),
    ];
    assert_eq!(got, expected, "\n{report}");
}

#[test]
fn integration_without_form_variables_takes_empty_config_values() {
    let v = Validator::for_integration(&NO_FORMS);
    let ok = json!({"name": "n", "configValues": {}, "capabilityConfig": {"approvals": {"additionalFormVariables": [{"key": "k", "name": "K", "type": "string"}]}}});
    assert!(v.validate(&ok).is_empty(), "{}", v.validate(&ok));
    let report = v.validate(&json!({"name": "n", "configValues": {"x": 1}}));
    assert_eq!(only(&report).code, Code::UnknownField);
    let report = v.validate(&json!({"name": "n", "configValues": {}, "capabilityConfig": {"approvals": {"additionalFormVariables": [{"key": 1, "nmae": "K"}]}}}));
    let codes: Vec<Code> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::WrongType, Code::UnknownField], "{report}");
}

#[test]
fn config_values_alone_have_relative_pointers() {
    let report = hook().validate_config_values(&json!({"apiKey": "k", "region": "mars"}));
    assert_eq!(only(&report).pointer, "/region");
    let report = validate_list(&HOOK_LIST, &json!({"region": "eu"}));
    assert_eq!(only(&report).code, Code::MissingRequired);
    assert_eq!(only(&report).pointer, "");
}

#[test]
fn secrets_never_appear_in_any_rendering() {
    let canary = "canary-7f3e9a1c42";
    let canary_number = 918273645501_u64;
    for value in [
        json!(canary),
        json!(canary_number),
        json!({ "inner": canary, canary: 1 }),
        json!([canary, canary_number]),
    ] {
        for field in ["apiKey", "advancedToken"] {
            let mut body = valid_body();
            body["configValues"][field] = value.clone();
            // and other mistakes around it
            body["configValues"]["region"] = json!("mars");
            body["name"] = json!("");
            let report = hook().validate(&body);
            assert!(!report.is_empty());
            for text in [
                format!("{report}"),
                format!("{report:?}"),
                format!("{report:#?}"),
                serde_json::to_string(&report).unwrap(),
            ] {
                assert!(!text.contains(canary), "{field}: leaked in {text}");
                assert!(
                    !text.contains(&canary_number.to_string()),
                    "{field}: leaked in {text}"
                );
            }
        }
    }
}

#[test]
fn checks_are_thread_safe_and_deterministic() {
    let body = with("/configValues/region", json!("mars"));
    let expected = hook().validate(&body);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || hook().validate(&body))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

/// A hand-written stand-in for a generated struct: the typed path.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TestHookConfig {
    #[serde(rename = "apiKey")]
    api_key: ldic_catalog::Secret,
    region: String,
    #[serde(rename = "hostURL", skip_serializing_if = "Option::is_none")]
    host_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<Vec<String>>,
    #[serde(rename = "externalId", skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

impl ldic_catalog::IntegrationConfig for TestHookConfig {
    const INTEGRATION_KEY: &'static str = "test-hook";
    const LIST: FormListKind = FormListKind::FormVariables;
    fn form_list() -> &'static FormList {
        &HOOK_LIST
    }
    fn integration() -> &'static Integration {
        &HOOK
    }
}

#[test]
fn typed_path_checks_what_the_type_cannot_hold() {
    let mut config = TestHookConfig {
        api_key: "canary-typed-5521".into(),
        region: "eu".into(),
        host_url: Some("https://api.example.com".into()),
        events: Some(vec!["a".into(), "b".into()]),
        external_id: None,
    };
    assert!(ldic_validate::validate_typed(&config).is_empty());
    config.events = Some(vec!["a".into(), "a".into()]);
    config.host_url = Some("no scheme".into());
    config.external_id = Some("x".into());
    let report = ldic_validate::validate_typed(&config);
    let got: Vec<(Code, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Code::InvalidUri, "/hostURL"),
            (Code::DuplicateItem, "/events/1"),
            (Code::SetByLaunchDarkly, "/externalId"),
        ],
        "{report}"
    );
    assert!(!format!("{report:?}").contains("canary-typed-5521"));
}

#[test]
fn items_are_checked_even_when_both_lists_are_given() {
    let mut body = valid_body();
    body["capabilityConfig"]["auditLogEventsHook"]["statements"][0]["notResources"] =
        json!(["proj/*:env/*:flgs/*"]);
    let report = hook().validate(&body);
    let got: Vec<(Code, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    let st = "/capabilityConfig/auditLogEventsHook/statements/0";
    assert_eq!(
        got,
        vec![
            (
                Code::InvalidStatement,
                format!("{st}/notResources").as_str()
            ),
            (
                Code::InvalidResource,
                format!("{st}/notResources/0").as_str()
            ),
        ],
        "{report}"
    );
}

fn unresolved() -> Validator<'static> {
    hook().with_env_references(ldic_validate::EnvReferences::Unresolved)
}

#[test]
fn references_stand_for_values_in_every_string_valued_field() {
    let refs = [
        ("/configValues/hostURL", json!("${env:HOOK_URL}")),
        ("/configValues/region", json!("${env:REGION}")),
        ("/configValues/events", json!(["a", "${env:EVENT}"])),
        ("/configValues/apiKey", json!("${env:HOOK_KEY}")),
    ];
    for (at, value) in refs {
        let body = with(at, value.clone());
        let report = unresolved().validate(&body);
        assert!(report.is_empty(), "{at} {value}: {report}");
        // Read literally (what is about to be sent), the reference text is checked as a value.
        if at != "/configValues/apiKey" {
            let literal = hook().validate(&body);
            assert!(!literal.is_empty(), "{at}: a literal reference must fail");
        }
    }
}

#[test]
fn malformed_references_are_one_error_each_and_non_string_fields_keep_their_type() {
    for (at, value, want) in [
        (
            "/configValues/hostURL",
            json!("${env:}"),
            "/configValues/hostURL",
        ),
        (
            "/configValues/region",
            json!("${ENV:X}"),
            "/configValues/region",
        ),
        (
            "/configValues/events",
            json!(["${env:1}"]),
            "/configValues/events/0",
        ),
    ] {
        let report = unresolved().validate(&with(at, value));
        let d = only(&report);
        assert_eq!(
            (d.code, d.pointer.as_str()),
            (Code::InvalidEnvReference, want)
        );
    }
    // A multiselect given as one reference is still not an array.
    let d = only(&unresolved().validate(&with("/configValues/events", json!("${env:E}")))).clone();
    assert_eq!(d.code, Code::WrongType);
}
