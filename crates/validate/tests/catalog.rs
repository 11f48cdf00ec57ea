//! The engine against every integration of the generated catalog: a generated valid body gives
//! no diagnostics, each kind of mistake gives exactly the expected one, and no secret value
//! planted in any secret field ever appears in a report.
//!
//! These tests fail on an empty catalog on purpose: they must never pass vacuously.

#![allow(clippy::unwrap_used, clippy::type_complexity)] // tests may unwrap

use ldic_catalog::{FieldMeta, FieldType, FormList, Integration};
// Only `catalog` of the shared helpers is used here.
#[allow(dead_code)]
mod common;

use common::catalog;
use ldic_test_support::sample::{user_fields, valid_value};
use ldic_validate::{Code, Report, Severity, Validator, validate_list};
use serde_json::{Map, Value, json};

fn required(f: &FieldMeta) -> bool {
    !f.is_optional && f.default_json.is_none()
}

/// A value of the wrong JSON type, for fields whose schema has a type.
fn wrong_type_value(f: &FieldMeta) -> Option<Value> {
    match f.ty {
        FieldType::EnvironmentSelector | FieldType::Unknown(_) => None,
        FieldType::Boolean => Some(json!("yes")),
        FieldType::Multiselect => Some(json!("x")),
        _ => Some(json!(12345)),
    }
}

fn minimal(list: &FormList) -> Map<String, Value> {
    user_fields(list)
        .filter(|f| required(f))
        .map(|f| (f.key.to_string(), valid_value(f)))
        .collect()
}

fn full(list: &FormList) -> Map<String, Value> {
    user_fields(list)
        .map(|f| (f.key.to_string(), valid_value(f)))
        .collect()
}

fn body(integration: &Integration, config_values: Map<String, Value>) -> Value {
    let mut b = json!({
        "name": format!("{} (test)", integration.name),
        "configValues": config_values,
        "enabled": true,
        "tags": ["ldic-test"],
    });
    if integration.has_capability("auditLogEventsHook") {
        b["capabilityConfig"] = json!({"auditLogEventsHook": {"statements": [
            {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}
        ]}});
    }
    b
}

fn assert_one(report: &Report, code: Code, severity: Severity, pointer: &str, what: &str) {
    assert_eq!(
        report.diagnostics.len(),
        1,
        "{what}: expected exactly one {code}, got:\n{report}"
    );
    let d = &report.diagnostics[0];
    assert_eq!(
        (d.code, d.severity, d.pointer.as_str()),
        (code, severity, pointer),
        "{what}: {d}"
    );
}

#[test]
fn every_schema_compiles() {
    for list in catalog().iter().flat_map(|i| i.lists.iter()) {
        assert!(
            ldic_validate::precompile(list),
            "{} {}: schema does not compile",
            list.integration_key,
            list.kind
        );
    }
}

#[test]
fn generated_valid_bodies_have_no_diagnostics() {
    for i in catalog() {
        let v = Validator::for_integration(i);
        let list = i.config_values_list();
        for (what, cv) in [
            ("minimal", list.map(minimal).unwrap_or_default()),
            ("full", list.map(full).unwrap_or_default()),
        ] {
            let b = body(i, cv);
            let report = ldic_validate::validate(&i.key, &b);
            assert!(report.is_empty(), "{} {what}: {b}\n{report}", i.key);
            assert_eq!(report, v.validate(&b));
        }
        for list in i.lists.iter() {
            let report = validate_list(list, &Value::Object(full(list)));
            assert!(report.is_empty(), "{} {}: {report}", i.key, list.kind);
        }
    }
}

// ~140 lines: one pass over the catalog, a short section per kind of mistake, each counted in
// `checked` so the final assertion proves every kind was exercised somewhere.
#[test]
fn each_kind_of_mistake_gives_exactly_one_diagnostic() {
    let mut checked = [0usize; 8];
    for i in catalog() {
        let key: &str = &i.key;
        let list = i.config_values_list();

        let mut cv = list.map(minimal).unwrap_or_default();
        cv.insert("zzUnknownField".into(), json!("x"));
        let r = ldic_validate::validate(key, &body(i, cv));
        assert_one(
            &r,
            Code::UnknownField,
            Severity::Error,
            "/configValues/zzUnknownField",
            key,
        );
        checked[0] += 1;

        let hook = json!({"statements": [{"effect": "allow", "resources": ["proj/*:flag/*"], "actions": ["*"]}]});
        let mut b = body(i, list.map(minimal).unwrap_or_default());
        b["capabilityConfig"] = json!({ "auditLogEventsHook": hook });
        let r = ldic_validate::validate(key, &b);
        if i.has_capability("auditLogEventsHook") {
            let at = "/capabilityConfig/auditLogEventsHook/statements/0/resources/0";
            assert_one(&r, Code::InvalidResource, Severity::Error, at, key);
        } else {
            assert_one(
                &r,
                Code::UnsupportedCapability,
                Severity::Error,
                "/capabilityConfig/auditLogEventsHook",
                key,
            );
        }
        checked[1] += 1;

        let Some(list) = list else { continue };
        for f in user_fields(list).filter(|f| required(f)) {
            let mut cv = minimal(list);
            cv.remove(f.key.as_ref());
            let r = ldic_validate::validate(key, &body(i, cv));
            assert_one(
                &r,
                Code::MissingRequired,
                Severity::Error,
                "/configValues",
                &format!("{key}.{}", f.key),
            );
            assert!(r.diagnostics[0].message.contains(f.key.as_ref()));
            checked[2] += 1;
        }
        let at = |f: &FieldMeta| {
            format!(
                "/configValues/{}",
                ldic_catalog::pointer::escape_token(&f.key)
            )
        };
        let with = |f: &FieldMeta, v: Value| {
            let mut cv = full(list);
            cv.insert(f.key.to_string(), v);
            ldic_validate::validate(key, &body(i, cv))
        };
        for f in user_fields(list) {
            let what = format!("{key}.{}", f.key);
            if let Some(wrong) = wrong_type_value(f) {
                assert_one(
                    &with(f, wrong),
                    Code::WrongType,
                    Severity::Error,
                    &at(f),
                    &what,
                );
                checked[3] += 1;
            }
            match f.ty {
                FieldType::Enum => {
                    let r = with(f, json!("zz-not-allowed"));
                    assert_one(&r, Code::NotAllowed, Severity::Error, &at(f), &what);
                    let message = &r.diagnostics[0].message;
                    let n = f.allowed_values.len();
                    if n > 10 {
                        // A long list is counted, and its three closest values shown.
                        assert!(
                            message.contains(&format!(" {n} allowed values; closest: "))
                                && message.matches('"').count() == 6
                                && message.contains(&format!("`ldic explain {key}`")),
                            "{what}: counts the allowed values: {message}"
                        );
                    } else {
                        assert!(
                            f.allowed().all(|v| message.contains(&format!("\"{v}\""))),
                            "{what}: lists the allowed values: {message}"
                        );
                    }
                    checked[4] += 1;
                }
                FieldType::Uri => {
                    assert_one(
                        &with(f, json!("not a uri")),
                        Code::InvalidUri,
                        Severity::Error,
                        &at(f),
                        &what,
                    );
                    checked[5] += 1;
                }
                FieldType::Multiselect if !f.allowed_values.is_empty() => {
                    let v = &f.allowed_values[0];
                    let r = with(f, json!([v, v]));
                    assert_one(
                        &r,
                        Code::DuplicateItem,
                        Severity::Error,
                        &format!("{}/1", at(f)),
                        &what,
                    );
                    checked[6] += 1;
                }
                _ => {}
            }
        }
        for f in list.fields.iter().filter(|f| f.ty.is_set_by_launchdarkly()) {
            let r = with(f, json!("x"));
            assert_one(
                &r,
                Code::SetByLaunchDarkly,
                Severity::Warning,
                &at(f),
                &format!("{key}.{}", f.key),
            );
            assert!(r.is_ok());
            checked[7] += 1;
        }
    }
    // Every kind was exercised somewhere in the catalog (no kind passes vacuously).
    assert!(checked.iter().all(|&n| n > 0), "kinds checked: {checked:?}");
}

#[test]
fn unknown_integration_names_the_nearest_keys() {
    let first = catalog()[0].key.clone();
    let typo = format!("{first}x");
    let r = ldic_validate::validate(&typo, &json!({}));
    assert_one(&r, Code::UnknownIntegration, Severity::Error, "", &typo);
    let suggestion = r.diagnostics[0].suggestion.clone().unwrap_or_default();
    assert!(suggestion.contains(&format!("\"{first}\"")), "{suggestion}");
}

/// A random token: different in every run, so no hard-coded string can make the test pass.
fn canary(n: u64) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    format!("cnry{:016x}", h.finish())
}

#[test]
fn secret_values_never_appear_in_any_rendering() {
    let mut secret_fields = 0;
    let mut n = 0u64;
    for i in catalog() {
        for list in i.lists.iter() {
            for f in list.fields.iter().filter(|f| f.is_secret) {
                secret_fields += 1;
                n += 1;
                let text = canary(n);
                let number = 900_000_000_000 + n * 7919;
                let shapes = [
                    json!(text),
                    json!(number),
                    json!({ "value": text, text.clone(): 1 }),
                    json!([text, number]),
                ];
                for shape in shapes {
                    let mut cv = full(list);
                    cv.insert(f.key.to_string(), shape.clone());
                    // Misspell it too: the value under an unknown key must not leak either.
                    cv.insert(format!("{}X", f.key), shape.clone());
                    let mut reports = vec![validate_list(list, &Value::Object(cv.clone()))];
                    if i.config_values_list()
                        .is_some_and(|l| std::ptr::eq(l, list))
                    {
                        reports.push(ldic_validate::validate(&i.key, &body(i, cv)));
                    }
                    for report in reports {
                        assert!(!report.is_empty(), "{}.{}: planted a mistake", i.key, f.key);
                        for rendering in [
                            format!("{report}"),
                            format!("{report:?}"),
                            format!("{report:#?}"),
                            serde_json::to_string(&report).unwrap_or_default(),
                        ] {
                            assert!(
                                !rendering.contains(&text),
                                "{}.{}: leaked:\n{rendering}",
                                i.key,
                                f.key
                            );
                            assert!(
                                !rendering.contains(&number.to_string()),
                                "{}.{}: leaked:\n{rendering}",
                                i.key,
                                f.key
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(
        secret_fields > 0,
        "the catalog has no secret fields: the canary test would be vacuous"
    );
}

/// A value no manifest allows, as a newer upstream would add one.
const NEWER_VALUE: &str = "zz-added-by-a-newer-manifest";

/// For every enum and multiselect field of every generated struct: a value the catalog does not
/// know reads into the enum's catch-all variant, and the typed path reports exactly what the
/// `Value` path reports for the same document: one `not-allowed` at that value.
#[derive(Default)]
struct CatchAllAgreement {
    enums: usize,
    multiselects: usize,
    failures: Vec<String>,
}

impl CatchAllAgreement {
    fn check<T: ldic_catalog::IntegrationConfig>(&mut self, field: &FieldMeta) {
        let list = T::form_list();
        let mut object = full(list);
        let pointer = ldic_catalog::pointer::child("", &field.key);
        let (value, pointer) = if field.ty == FieldType::Multiselect {
            let mut items = match valid_value(field) {
                Value::Array(items) => items,
                _ => Vec::new(),
            };
            items.push(json!(NEWER_VALUE));
            let at = format!("{pointer}/{}", items.len() - 1);
            (Value::Array(items), at)
        } else {
            (json!(NEWER_VALUE), pointer)
        };
        object.insert(field.key.to_string(), value);
        let document = Value::Object(object);
        let what = format!("{} {}", list.type_name, field.key);
        let typed: T = match serde_json::from_value(document.clone()) {
            Ok(typed) => typed,
            Err(err) => return self.failures.push(format!("{what}: does not read: {err}")),
        };
        if serde_json::to_value(&typed).ok().as_ref() != Some(&document) {
            return self
                .failures
                .push(format!("{what}: not written back unchanged"));
        }
        let by_type = ldic_validate::validate_typed(&typed);
        let by_value = validate_list(list, &document);
        let got: Vec<(Code, &str)> = by_type
            .diagnostics
            .iter()
            .map(|d| (d.code, d.pointer.as_str()))
            .collect();
        if by_type != by_value || got != [(Code::NotAllowed, pointer.as_str())] {
            self.failures
                .push(format!("{what}: typed:\n{by_type}\nvalue:\n{by_value}"));
        }
        match field.ty {
            FieldType::Multiselect => self.multiselects += 1,
            _ => self.enums += 1,
        }
    }
}

impl ldic_catalog::ConfigTypeVisitor for CatchAllAgreement {
    fn visit<T: ldic_catalog::IntegrationConfig>(&mut self) {
        for field in user_fields(T::form_list()) {
            if matches!(field.ty, FieldType::Enum | FieldType::Multiselect) {
                self.check::<T>(field);
            }
        }
    }
}

#[test]
fn unknown_enum_values_read_and_the_typed_path_reports_them_like_the_value_path() {
    let mut agreement = CatchAllAgreement::default();
    ldic_catalog::visit_config_types(&mut agreement);
    assert!(
        agreement.failures.is_empty(),
        "{}",
        agreement.failures.join("\n")
    );
    assert!(
        agreement.enums > 5 && agreement.multiselects > 0,
        "enums {}, multiselects {}",
        agreement.enums,
        agreement.multiselects
    );
}
