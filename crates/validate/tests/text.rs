//! Validation from text against validation of the parsed `Value`, for every integration of the
//! catalog: `validate_config_values_str` must give exactly the report (or the parse error) of
//! `serde_json::from_str::<Value>` + `validate_config_values`, on valid documents, every kind of
//! mistake, repeated and escaped keys, whitespace, non-objects and text that is not JSON; and
//! whenever its one pass over the text decides, valid or not, that is the full check's report,
//! and the pass must decide the documents it is meant to (it must not quietly fall back).
//!
//! These tests fail on an empty catalog on purpose: they must never pass vacuously.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{FIELD, catalog, valid_value, value_pool};

use ldic_catalog::{
    CompiledSlot, FieldMeta, FieldType, FormList, FormListKind, FormLists, Integration,
};
use ldic_validate::{
    Code, EnvReferences, Report, Validator, validate_config_values, validate_config_values_str,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::borrow::Cow::Borrowed;

/// The reference: parse, then check the `Value`.
fn by_value(key: &str, text: &str) -> Result<Report, String> {
    serde_json::from_str::<Value>(text)
        .map(|v| validate_config_values(key, &v))
        .map_err(|e| e.to_string())
}

/// Who decided a report from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The one pass over the text, finding nothing.
    Clean,
    /// The one pass over the text, finding diagnostics.
    Diagnostics,
    /// The full check of the parsed `Value` (or the parse error).
    FullCheck,
}

/// Asserts the text path agrees with the `Value` path on `text`, and that a report the one
/// pass decides is that report. Returns who decided.
fn assert_same(key: &str, text: &str) -> Pass {
    assert_same_reading(key, text, EnvReferences::Literal)
}

/// [`assert_same`] with references read as `mode` says.
fn assert_same_reading(key: &str, text: &str, mode: EnvReferences) -> Pass {
    let validator = Validator::for_key(key).map(|v| v.with_env_references(mode));
    let got = match validator {
        Ok(v) => v
            .validate_config_values_str(text)
            .map_err(|e| e.to_string()),
        Err(_) => validate_config_values_str(key, text).map_err(|e| e.to_string()),
    };
    let want = match validator {
        Ok(v) => serde_json::from_str::<Value>(text)
            .map(|value| v.validate_config_values(&value))
            .map_err(|e| e.to_string()),
        Err(_) => by_value(key, text),
    };
    assert_eq!(
        got, want,
        "{key}: text path and Value path differ on:\n{text}"
    );
    let decided = validator.as_ref().is_ok_and(|v| v.text_pass_decides(text));
    let clean = validator.as_ref().is_ok_and(|v| v.fast_path_accepts(text));
    assert!(!clean || decided, "{key}: clean but not decided:\n{text}");
    if clean {
        assert!(
            want.as_ref().is_ok_and(Report::is_empty),
            "{key}: the one pass accepted a document with diagnostics:\n{text}\n{want:?}"
        );
    }
    match (decided, clean) {
        (true, true) => Pass::Clean,
        (true, false) => Pass::Diagnostics,
        (false, _) => Pass::FullCheck,
    }
}

/// Fields a user is expected to fill in (not hidden, not set by LaunchDarkly, no dependsOn).
fn user_fields(list: &FormList) -> impl Iterator<Item = &FieldMeta> {
    list.fields
        .iter()
        .filter(|f| !f.is_hidden && f.depends_on.is_empty() && !f.ty.is_set_by_launchdarkly())
}

fn required(f: &FieldMeta) -> bool {
    !f.is_optional && f.default_json.is_none()
}

/// Members as text, in order, repeats allowed: `{"k": v, ...}`.
fn object_text(members: &[(String, Value)]) -> String {
    let inner: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn members(list: &FormList, only_required: bool) -> Vec<(String, Value)> {
    user_fields(list)
        .filter(|f| !only_required || required(f))
        .map(|f| (f.key.to_string(), valid_value(f)))
        .collect()
}

/// `"k"` written with every character as a `\uXXXX` escape.
fn escaped(s: &str) -> String {
    let mut out = String::from("\"");
    for unit in s.encode_utf16() {
        out.push_str(&format!("\\u{unit:04x}"));
    }
    out.push('"');
    out
}

#[test]
fn valid_documents_agree_and_are_decided_by_the_one_pass() {
    let mut fast = 0;
    let mut docs = 0;
    for i in catalog() {
        let Some(list) = i.config_values_list() else {
            for text in ["{}", " { } ", "\n\t{\r\n}\n"] {
                docs += 1;
                fast += usize::from(assert_same(&i.key, text) == Pass::Clean);
            }
            continue;
        };
        for only_required in [true, false] {
            let m = members(list, only_required);
            let obj: serde_json::Map<String, Value> = m.iter().cloned().collect();
            let value = Value::Object(obj);
            for text in [
                object_text(&m),
                serde_json::to_string(&value).unwrap(),
                serde_json::to_string_pretty(&value).unwrap(),
                format!(
                    "\t\r\n {} \n\t",
                    serde_json::to_string_pretty(&value).unwrap()
                ),
            ] {
                docs += 1;
                fast += usize::from(assert_same(&i.key, &text) == Pass::Clean);
            }
            // The same document with every key and every string value escaped.
            let escaped_text = format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::String(s) => escaped(s),
                            other => other.to_string(),
                        };
                        format!("{}:{v}", escaped(k))
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            );
            docs += 1;
            fast += usize::from(assert_same(&i.key, &escaped_text) == Pass::Clean);
        }
    }
    // The one pass is not dead code: it decides nearly every valid document of the catalog.
    assert!(
        fast * 10 >= docs * 9,
        "the one pass decided only {fast} of {docs} valid documents"
    );
}

// ~105 lines: one pass over the catalog, a short section per kind of mistake, counted so the
// final assertion proves the sections ran.
#[test]
fn every_kind_of_mistake_agrees() {
    let mut checked = 0;
    for i in catalog() {
        let key: &str = &i.key;
        let Some(list) = i.config_values_list() else {
            let deep = format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200));
            let texts = [
                (r#"{"a": 1}"#, Pass::Diagnostics),
                (r#"{"": {}}"#, Pass::Diagnostics),
                (r#"{"\u0061": 1, "b": [1, {"c": null}]}"#, Pass::Diagnostics),
                (r#"{"a/b~c": 1}"#, Pass::Diagnostics),
                ("[]", Pass::FullCheck),
                ("null", Pass::FullCheck),
                (r#"{"a": 1, "a": 2}"#, Pass::FullCheck),
                (r#"{"a": 1, "\u0061": 2}"#, Pass::FullCheck),
                (r#"{"a": 1e400}"#, Pass::FullCheck),
                (r#"{"a": "\ud800"}"#, Pass::FullCheck),
                (r#"{"a": 1} x"#, Pass::FullCheck),
                (&deep, Pass::FullCheck),
            ];
            for (text, pass) in texts {
                assert_eq!(assert_same(key, text), pass, "{key}: {text}");
                checked += 1;
            }
            continue;
        };
        let full = members(list, false);
        let with = |field: &str, v: Value| {
            let mut m: Vec<(String, Value)> =
                full.iter().filter(|(k, _)| k != field).cloned().collect();
            m.push((field.to_owned(), v));
            object_text(&m)
        };
        let mut texts = vec![with("zzUnknownField", json!("x"))];
        for f in list.fields.iter() {
            // Missing.
            texts.push(object_text(
                &full
                    .iter()
                    .filter(|(k, _)| k != &f.key)
                    .cloned()
                    .collect::<Vec<_>>(),
            ));
            // Wrong types, empty and odd values, set-by-LaunchDarkly, hidden and dependsOn
            // fields (present at all).
            for v in [
                json!(12345),
                json!(1.5),
                json!(null),
                json!(true),
                json!("yes"),
                json!(""),
                json!("not a uri"),
                json!("zz-not-allowed"),
                json!([]),
                json!(["zz-not-allowed"]),
                json!({}),
                valid_value(f),
            ] {
                texts.push(with(&f.key, v));
            }
            if let Some(first) = f.allowed_values.first() {
                texts.push(with(&f.key, json!(first)));
                texts.push(with(&f.key, json!([first, first])));
                texts.push(with(&f.key, json!([first, 1])));
            }
            // Repeated keys: valid then invalid, invalid then valid, valid twice.
            let mut m = full.clone();
            m.push((f.key.to_string(), json!(12345)));
            texts.push(object_text(&m));
            let mut m = vec![(f.key.to_string(), json!(12345))];
            m.extend(full.iter().cloned());
            texts.push(object_text(&m));
            let mut m = full.clone();
            m.push((f.key.to_string(), valid_value(f)));
            texts.push(object_text(&m));
        }
        for text in texts {
            assert_same(key, &text);
            checked += 1;
        }
        // Non-objects and text that is not JSON.
        let good = object_text(&full);
        for text in [
            "[]".to_owned(),
            "\"x\"".to_owned(),
            "1".to_owned(),
            "null".to_owned(),
            "true".to_owned(),
            String::new(),
            "{".to_owned(),
            format!("{good} x"),
            format!("{good},"),
            good.trim_end_matches('}').to_owned(),
            good.replacen(':', "", 1),
            good.replacen('}', ",}", 1),
        ] {
            assert_same(key, &text);
            checked += 1;
        }
        // Values the parser itself refuses, under every field (number out of range, lone
        // surrogate, control character in a string).
        for f in list.fields.iter() {
            for bad in ["1e400", "\"\\ud800\"", "\"a\u{1}b\"", "[1,]", "{\"a\" 1}"] {
                let mut m: Vec<String> = full
                    .iter()
                    .filter(|(k, _)| k != &f.key)
                    .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
                    .collect();
                m.push(format!("{}: {bad}", serde_json::to_string(&f.key).unwrap()));
                let text = format!("{{{}}}", m.join(", "));
                assert!(by_value(key, &text).is_err(), "{key}: {text}");
                assert_same(key, &text);
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} documents checked");
}

#[test]
fn unknown_integration_agrees() {
    for text in ["{}", r#"{"a": 1}"#, "[]", "{", "1e400"] {
        assert_same("no-such-integration", text);
    }
    assert!(validate_config_values_str("no-such-integration", "{").is_err());
}

/// Every safe fix of `report` (over the document `doc` of `key`), applied to the parsed value,
/// removes its diagnostic; the applied fix never writes a value into a secret field.
fn assert_safe_fixes_remove_their_diagnostic(
    key: &str,
    list: &FormList,
    doc: &Value,
    report: &Report,
) {
    for d in &report.diagnostics {
        let Some(fix) = &d.fix else { continue };
        if let ldic_validate::Edit::ReplaceValue { .. } = fix.edit {
            let field = d.pointer.split('/').nth(1).unwrap_or("");
            assert!(
                !list.field(field).is_some_and(|f| f.is_secret),
                "{key}: a fix writes into secret field {field}"
            );
        }
        if fix.applicability != ldic_validate::Applicability::Safe {
            continue;
        }
        let mut fixed = doc.clone();
        assert!(
            fix.apply_to_value(&mut fixed, &d.pointer),
            "{key}: {d} does not apply"
        );
        let after = validate_config_values(key, &fixed);
        assert!(
            !after
                .diagnostics
                .iter()
                .any(|a| a.code == d.code && a.pointer == d.pointer && a.on_key == d.on_key),
            "{key}: the safe fix of {d} leaves it in {after}"
        );
    }
}

/// A mistake first, then the other members (the one pass reads on past a mistake, and past
/// its first doubt), and after such a mistake text that is not JSON, or JSON the skipped
/// reading accepts but a `Value` does not (an out-of-range number, a lone surrogate, deep
/// nesting): each agrees with the `Value` path, and none of the broken ones is decided by the
/// one pass.
// Long: one table of first members and one of broken tails, crossed over every list.
#[test]
fn a_mistake_followed_by_more_members_and_bad_json_agrees() {
    let firsts = [
        json!(12345),
        json!(-1),
        json!(1.5),
        json!(18446744073709551616.0),
        json!(null),
        json!(true),
        json!("zz-not-allowed"),
        json!("${env:}"),
        json!([[["x"]], {"a": [1, {}]}]),
        json!({"a": {"b": ["c", null]}, "d": 1}),
    ];
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let tails: Vec<String> = [
        ", \"zzTail\": 1e400}",
        ", \"zzTail\": \"\\ud800\"}",
        ", \"zzTail\": \"\\q\"}",
        ", \"zzTail\": 01}",
        "} x",
        ",}",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!(", \"zzTail\": {deep}}}")])
    .collect();
    let mut checked = 0;
    for (key, list) in lists() {
        let full = members(list, false);
        let names = list
            .fields
            .iter()
            .map(|f| f.key.to_string())
            .chain(["zzUnknownField".to_owned()]);
        for name in names {
            let others: Vec<(String, Value)> =
                full.iter().filter(|(k, _)| *k != name).cloned().collect();
            let mut values = firsts.to_vec();
            if let Some(first) = list.field(&name).and_then(|f| f.allowed().next()) {
                values.extend([
                    json!([first, first, "zz"]),
                    json!(["zz", first]),
                    json!([1, first]),
                    json!([null, first]),
                    json!([[first], first]),
                    json!([{"a": first}, first]),
                    json!(["${env:V}", first]),
                ]);
            }
            for (n, v) in values.into_iter().enumerate() {
                let mut m = vec![(name.clone(), v)];
                m.extend(others.iter().cloned());
                let text = object_text(&m);
                let literal = assert_same(key, &text);
                let references = assert_same_reading(key, &text, EnvReferences::Unresolved);
                if name == "zzUnknownField" {
                    // The pass reads on past the unknown member and decides.
                    assert_eq!(literal, Pass::Diagnostics, "{key}: {text}");
                    assert_eq!(references, Pass::Diagnostics, "{key}: {text}");
                }
                checked += 1;
                if n < 2 || name == "zzUnknownField" {
                    let open = text.strip_suffix('}').unwrap();
                    for tail in &tails {
                        let bad = format!("{open}{tail}");
                        assert!(by_value(key, &bad).is_err(), "{key}: not JSON: {bad}");
                        assert_eq!(assert_same(key, &bad), Pass::FullCheck, "{key}: {bad}");
                        assert_eq!(
                            assert_same_reading(key, &bad, EnvReferences::Unresolved),
                            Pass::FullCheck,
                            "{key}: {bad}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} documents checked");
}

fn lists() -> Vec<(&'static str, &'static FormList)> {
    catalog()
        .into_iter()
        .filter_map(|i| i.config_values_list().map(|l| (i.key.as_ref(), l)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random small objects over each list's keys (plus unknown ones, repeats allowed) agree.
    #[test]
    fn random_objects_agree(
        which in any::<prop::sample::Index>(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..8),
        base_full in any::<bool>(),
    ) {
        let all = lists();
        let (key, list) = all[which.index(all.len())];
        let mut keys: Vec<&str> = list.fields.iter().map(|f| f.key.as_ref()).collect();
        keys.extend(["zzUnknown", ""]);
        let twisted: Vec<String> = list.fields.iter().take(4).map(|f| f.key.to_uppercase()).collect();
        keys.extend(twisted.iter().map(String::as_str));
        let pool = value_pool(list);
        let mut m = if base_full { members(list, false) } else { members(list, true) };
        for (k, v) in picks {
            let k = keys[k.index(keys.len())];
            let v = pool[v.index(pool.len())].clone();
            // Half replace the member (no repeat), half append (may repeat).
            if let Some(slot) = m.iter_mut().find(|(mk, _)| mk == k).filter(|_| v.is_string()) {
                slot.1 = v;
            } else {
                m.push((k.to_owned(), v));
            }
        }
        assert_same(key, &object_text(&m));
        if let Ok(doc) = serde_json::from_str::<Value>(&object_text(&m)) {
            let report = validate_config_values(key, &doc);
            assert_safe_fixes_remove_their_diagnostic(key, list, &doc, &report);
        }
        let mode = EnvReferences::Unresolved;
        assert_same_reading(key, &object_text(&m), mode);
    }
}

/// With references read as such, a valid document whose string-valued fields are all
/// references is decided clean by the one pass and agrees.
#[test]
fn documents_of_references_agree_and_are_decided_by_the_one_pass() {
    let mut fast = 0usize;
    for (key, list) in lists() {
        let m: Vec<(String, Value)> = members(list, false)
            .into_iter()
            .map(|(k, v)| {
                let f = list.field(&k).unwrap();
                let reference = json!(format!("${{env:V_{}}}", k.len()));
                let v = match f.ty {
                    FieldType::String
                    | FieldType::Uri
                    | FieldType::Enum
                    | FieldType::DynamicEnum => reference,
                    FieldType::Multiselect if !f.allowed_values.is_empty() => {
                        json!([f.allowed_values[0], "${env:V}"])
                    }
                    _ => v,
                };
                (k, v)
            })
            .collect();
        let text = object_text(&m);
        if assert_same_reading(key, &text, EnvReferences::Unresolved) == Pass::Clean {
            fast += 1;
        }
        let v = Validator::for_key(key)
            .unwrap()
            .with_env_references(EnvReferences::Unresolved);
        let report = v.validate_config_values(&serde_json::from_str(&text).unwrap());
        assert!(
            report.is_empty(),
            "{key}: references must be valid values:\n{text}\n{report}"
        );
    }
    assert!(
        fast > 0,
        "no document of references was decided by the one pass"
    );
}

/// Documents with the usual mistakes at once (a misspelt field, a value of the wrong type, a
/// missing required field; for an integration without fields, members at all) are decided by
/// the one pass over the text, without the full check, and agree with it: the one pass is what
/// makes an invalid document cost about its parse, so it must not quietly fall back.
#[test]
fn usual_mistakes_are_decided_from_the_text() {
    let (mut docs, mut decided) = (0usize, 0usize);
    let mut undecided = Vec::new();
    for i in catalog() {
        let key: &str = &i.key;
        let text = match i.config_values_list() {
            None => r#"{"unexpectedField": "value", "other": [1, {"a": null}]}"#.to_owned(),
            Some(list) => {
                let mut m = members(list, false);
                if let Some(at) = m.iter().position(|(k, _)| required(list.field(k).unwrap())) {
                    m.remove(at);
                }
                if let Some((k, _)) = m.first_mut() {
                    let last = k.chars().last().unwrap_or('x');
                    k.push(last);
                }
                if let Some((_, v)) = m.iter_mut().skip(1).find(|(_, v)| v.is_string()) {
                    *v = json!(12345);
                }
                m.push(("zzUnknownField".to_owned(), json!({"nested": [true]})));
                object_text(&m)
            }
        };
        assert_same(key, &text);
        let validator = Validator::for_key(key).unwrap();
        let report = validator.validate_config_values_str(&text).unwrap();
        assert!(!report.is_empty(), "{key}: no mistake found in\n{text}");
        docs += 1;
        if validator.text_pass_decides(&text) {
            decided += 1;
        } else {
            undecided.push(key.to_owned());
        }
    }
    assert!(docs > 100, "only {docs} integrations");
    eprintln!("decided from the text: {decided} of {docs}; not: {undecided:?}");
    assert!(
        decided * 20 >= docs * 19,
        "only {decided} of {docs} documents decided from the text; not: {undecided:?}"
    );
}

/// Values of every kind a check meets (wrong types, values outside the allowed ones, repeated
/// items, references well-formed or not), in each field a user fills in, in an otherwise valid
/// document: decided by the one pass over the text (not left to the full check) and equal to
/// the full check's report, with references read as literals and as references.
#[test]
fn each_kind_of_check_is_decided_from_the_text() {
    let mut checked = 0;
    for (key, list) in lists() {
        let full = members(list, false);
        let with = |field: &str, v: Value| {
            let mut m: Vec<(String, Value)> =
                full.iter().filter(|(k, _)| k != field).cloned().collect();
            m.push((field.to_owned(), v));
            object_text(&m)
        };
        for f in user_fields(list) {
            let mut values = vec![json!(12345), json!(null), json!({"a": [1]})];
            // An array holding something other than strings where unique strings belong is
            // left to the schema crate (equality of any JSON): not decided here.
            if f.ty != FieldType::Multiselect {
                values.push(json!([[]]));
            }
            match f.ty {
                FieldType::Boolean => values.push(json!("true")),
                FieldType::Uri => values.push(json!("not a uri")),
                _ => {}
            }
            let allowed: Vec<&str> = f.allowed().collect();
            if let [a, b, ..] = allowed[..] {
                let c = allowed.get(2).copied().unwrap_or(b);
                values.extend([
                    json!("zz-not-allowed"),
                    json!([a, b, "zz", a]),
                    json!([a, b, c, b]),
                    json!([a, a]),
                    json!([a, "${env:A}", "${env:A}"]),
                    json!([a, "${env:bad"]),
                ]);
            }
            values.extend([json!("${env:"), json!("${env:V}")]);
            for v in values {
                let text = with(&f.key, v);
                let literal = assert_same(key, &text);
                let references = assert_same_reading(key, &text, EnvReferences::Unresolved);
                for (pass, mode) in [(literal, "literal"), (references, "references")] {
                    assert_ne!(pass, Pass::FullCheck, "{key} ({mode}): {text}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} documents checked");
}

/// An unknown member differing from a field only in case gets the safe rename as its fix,
/// unless the object also holds the field, before or after it: decided from the text either
/// way, and the fix as the full check decides it.
#[test]
fn a_rename_fix_onto_a_key_of_the_object_is_dropped() {
    let mut checked = 0;
    for (key, list) in lists() {
        let full = members(list, false);
        let Some((k, v)) = full.iter().find(|(k, _)| k.to_uppercase() != **k).cloned() else {
            continue;
        };
        let upper = k.to_uppercase();
        let others: Vec<(String, Value)> = full.iter().filter(|(m, _)| *m != k).cloned().collect();
        let cases = [
            (
                vec![(upper.clone(), v.clone()), (k.clone(), v.clone())],
                false,
            ),
            (
                vec![(k.clone(), v.clone()), (upper.clone(), v.clone())],
                false,
            ),
            (vec![(upper.clone(), v.clone())], true),
        ];
        for (front, has_fix) in cases {
            let mut m = front;
            m.extend(others.iter().cloned());
            let text = object_text(&m);
            assert_eq!(assert_same(key, &text), Pass::Diagnostics, "{key}: {text}");
            let report = Validator::for_key(key)
                .unwrap()
                .validate_config_values_str(&text)
                .unwrap();
            let unknown = report
                .diagnostics
                .iter()
                .find(|d| d.code == Code::UnknownField)
                .unwrap();
            assert_eq!(unknown.fix.is_some(), has_fix, "{key}: {text}\n{report:?}");
            checked += 1;
        }
        // The field's key escaped (holding 12345, a mistake unless the field takes any JSON);
        // an unknown key escaped.
        let mut m = vec![
            (k.clone(), json!(12345)),
            ("zzUnknown".to_owned(), json!(1)),
        ];
        m.extend(others.iter().cloned());
        let text = object_text(&m)
            .replacen(&format!("\"{k}\""), &escaped(&k), 1)
            .replacen("\"zzUnknown\"", &escaped("zzUnknown"), 1);
        assert_eq!(
            text.matches("\\u").count(),
            k.len() + "zzUnknown".len(),
            "{text}"
        );
        assert_eq!(assert_same(key, &text), Pass::Diagnostics, "{key}: {text}");
        checked += 1;
    }
    assert!(checked > 100, "only {checked} documents checked");
}

/// Many unknown keys are left to the full check (the one pass tells up to 33 apart by
/// searching them in order, which would be slow for thousands), and agree.
#[test]
fn many_unknown_keys_are_left_to_the_full_check() {
    let (key, list) = lists()[0];
    let full = members(list, false);
    let with_unknown = |n: usize| {
        let mut m = full.clone();
        m.extend((0..n).map(|i| (format!("zzUnknown{i}"), json!(i))));
        object_text(&m)
    };
    assert_eq!(assert_same(key, &with_unknown(2000)), Pass::FullCheck);
    assert_eq!(assert_same(key, &with_unknown(34)), Pass::FullCheck);
    assert_eq!(assert_same(key, &with_unknown(33)), Pass::Diagnostics);
    assert_eq!(assert_same(key, &with_unknown(3)), Pass::Diagnostics);
    let no_fields = catalog()
        .into_iter()
        .find(|i| i.config_values_list().is_none())
        .unwrap();
    let many: Vec<(String, Value)> = (0..2000).map(|i| (format!("k{i}"), json!(i))).collect();
    assert_eq!(
        assert_same(&no_fields.key, &object_text(&many)),
        Pass::FullCheck
    );
}

/// With the reference engine (the `jsonschema` crate's errors) the text path of an integration
/// with fields is the parse and that engine's check, never the one pass.
#[test]
fn the_reference_engine_checks_text_by_parsing_it() {
    for (key, list) in lists() {
        let mut m = members(list, false);
        m.push(("zzUnknown".to_owned(), json!(1)));
        let text = object_text(&m);
        let reference = Validator::for_key(key).unwrap().with_reference_engine();
        assert!(!reference.text_pass_decides(&text), "{key}");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            reference.validate_config_values_str(&text).unwrap(),
            reference.validate_config_values(&parsed),
            "{key}: {text}"
        );
    }
}

const TAGS_SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
    "when": {"type": "string", "format": "date"}
  }
}"#;

/// The `formVariables` list of the hand-built integration `key`.
const fn form_list(
    key: &'static str,
    fields: &'static [FieldMeta],
    schema: &'static str,
) -> FormList {
    FormList {
        integration_key: Borrowed(key),
        kind: FormListKind::FormVariables,
        type_name: Borrowed("TestConfig"),
        fields: Borrowed(fields),
        schema_json: Borrowed(schema),
        compiled: CompiledSlot::new(),
    }
}

/// A hand-built integration `key` whose only list is `list`.
const fn integration(key: &'static str, list: &'static [&'static FormList]) -> Integration {
    Integration {
        key: Borrowed(key),
        name: Borrowed(key),
        version: Borrowed("1.0.0"),
        manifest_url: Borrowed(""),
        capabilities: Borrowed(&[]),
        lists: FormLists::Static(list),
    }
}

static TAGS_FIELDS: [FieldMeta; 2] = [
    FieldMeta {
        key: Borrowed("tags"),
        ty: FieldType::Multiselect,
        allowed_values: Borrowed(&[Borrowed("a"), Borrowed("b")]),
        ..FIELD
    },
    FieldMeta {
        key: Borrowed("when"),
        ..FIELD
    },
];

static TAGS_LIST: FormList = form_list("test-tags", &TAGS_FIELDS, TAGS_SCHEMA);
static TAGS: Integration = integration("test-tags", &[&TAGS_LIST]);

/// A property checked by its subschema compiled alone (an array of allowed strings without
/// `uniqueItems`, a `date`): a reference where the subschema wants another type is still the
/// wrong type, and the one pass over the text says so as the full check does.
#[test]
fn a_reference_where_a_subschema_wants_another_type_is_reported() {
    let validator =
        Validator::for_integration(&TAGS).with_env_references(EnvReferences::Unresolved);
    let cases = [
        (r#"{"tags": "${env:TAGS}"}"#, vec![Code::WrongType]),
        (
            r#"{"tags": ["a", "${env:"]}"#,
            vec![Code::InvalidEnvReference],
        ),
        (r#"{"tags": ["a", "b", "a"]}"#, vec![]),
        (r#"{"tags": ["zz"]}"#, vec![Code::NotAllowed]),
        (r#"{"when": "${env:WHEN}"}"#, vec![]),
        (r#"{"when": "${env:"}"#, vec![Code::InvalidEnvReference]),
        (r#"{"when": 1}"#, vec![Code::WrongType]),
    ];
    for (text, codes) in cases {
        let parsed: Value = serde_json::from_str(text).unwrap();
        let want = validator.validate_config_values(&parsed);
        let got = validator.validate_config_values_str(text).unwrap();
        assert_eq!(got, want, "{text}");
        let got_codes: Vec<Code> = got.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(got_codes, codes, "{text}: {got}");
        assert!(validator.text_pass_decides(text), "{text}");
    }
}

const LEGACY_SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "properties": {"token": {"type": "string"}}
}"#;

static LEGACY_FIELDS: [FieldMeta; 2] = [
    FieldMeta {
        key: Borrowed("token"),
        ..FIELD
    },
    // A field the schema has no property for.
    FieldMeta {
        key: Borrowed("legacyPath"),
        is_hidden: true,
        ..FIELD
    },
];

static LEGACY_LIST: FormList = form_list("test-legacy", &LEGACY_FIELDS, LEGACY_SCHEMA);
static LEGACY: Integration = integration("test-legacy", &[&LEGACY_LIST]);

/// A key naming a field the schema has no property for (unknown to the schema, but a field
/// whose metadata rules apply: here, a hidden one) is left to the full check; any other unknown
/// key of that list is decided by the one pass. Both agree with the full check.
#[test]
fn a_key_naming_a_field_without_a_property_is_left_to_the_full_check() {
    let validator = Validator::for_integration(&LEGACY);
    let cases = [
        (r#"{"token": "t", "legacyPath": "/x"}"#, false),
        (r#"{"legacyPath": "/x"}"#, false),
        (r#"{"token": "t", "zz": 1}"#, true),
        (r#"{"tokenn": "t"}"#, true),
    ];
    for (text, decided) in cases {
        let parsed: Value = serde_json::from_str(text).unwrap();
        let want = validator.validate_config_values(&parsed);
        assert_eq!(
            validator.validate_config_values_str(text).unwrap(),
            want,
            "{text}"
        );
        assert!(!want.is_empty(), "{text}");
        assert_eq!(validator.text_pass_decides(text), decided, "{text}: {want}");
    }
}
