//! The error walker against the reference path, for every integration of the catalog: the
//! report of a `configValues` document (and of a whole request body) checked with the walker
//! must be exactly the report of the `jsonschema`-based reference path (`is_valid`, then
//! `iter_errors` mapped): the same diagnostics with the same codes, pointers, messages,
//! suggestions, fixes and severities, in the same order. Documents: valid ones, and valid ones
//! mutated (values replaced by valid and invalid ones of every type, near misses of allowed
//! values, misspelt and unknown keys, removed members, repeated items, `${env:NAME}`
//! references), read with and without references.
//!
//! These tests fail on an empty catalog on purpose: they must never pass vacuously.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(dead_code)] // each test crate uses part of what the tests share
mod common;

use common::{catalog, valid_value, value_pool};

use ldic_catalog::{FormList, Integration};
use ldic_validate::{EnvReferences, Validator};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// A document with a valid value for every field (`all`), or for the fields a user fills in.
fn document(list: &FormList, all: bool) -> Map<String, Value> {
    list.fields
        .iter()
        .filter(|f| {
            all || (!f.is_hidden && f.depends_on.is_empty() && !f.ty.is_set_by_launchdarkly())
        })
        .map(|f| (f.key.to_string(), valid_value(f)))
        .collect()
}

/// Keys to draw from: the list's fields, near misses of them, unknown ones.
fn key_pool(list: &FormList) -> Vec<String> {
    let mut keys = vec!["zzUnknown".to_owned(), String::new(), "a/b~c".to_owned()];
    for f in list.fields.iter() {
        let k = f.key.to_string();
        keys.push(k.clone());
        keys.push(k.to_uppercase());
        keys.push(k.to_lowercase());
        keys.push(format!("{k}{}", k.chars().last().unwrap_or('x')));
        keys.push(k.chars().skip(1).collect());
        keys.push(k.replace(char::is_uppercase, "_"));
    }
    keys
}

/// Asserts the walker and the reference agree on `doc` of integration `i`, as `configValues` and
/// in a request body, with references read as `mode` says. Returns whether the walker decided.
fn assert_agree(i: &Integration, doc: &Value, mode: EnvReferences) -> bool {
    let walker = Validator::for_integration(i).with_env_references(mode);
    let reference = walker.with_reference_engine();
    let got = walker.validate_config_values(doc);
    let want = reference.validate_config_values(doc);
    assert_eq!(
        got, want,
        "{}: the walker and the reference differ on {doc}",
        i.key
    );
    let body = json!({"name": "n", "configValues": doc.clone()});
    assert_eq!(
        walker.validate(&body),
        reference.validate(&body),
        "{}: the walker and the reference differ on the body of {doc}",
        i.key
    );
    walker.walker_decides(doc)
}

#[test]
fn valid_documents_agree_and_the_walker_decides_them() {
    let mut decided = 0;
    let mut lists = 0;
    for i in catalog() {
        let Some(list) = i.config_values_list() else {
            assert!(!assert_agree(i, &json!({}), EnvReferences::Literal));
            continue;
        };
        lists += 1;
        for all in [false, true] {
            let doc = Value::Object(document(list, all));
            for mode in [EnvReferences::Literal, EnvReferences::Unresolved] {
                decided += usize::from(assert_agree(i, &doc, mode));
            }
        }
    }
    // The walker is not dead code: it decides the documents of every list with a plan.
    assert_eq!(
        decided,
        lists * 4,
        "the walker left documents to the reference"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Valid documents of every integration, mutated a few times, agree.
    #[test]
    fn mutated_documents_agree(
        which in any::<prop::sample::Index>(),
        all in any::<bool>(),
        mutations in prop::collection::vec(
            (0u8..4, any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            0..6,
        ),
        unresolved in any::<bool>(),
    ) {
        let integrations = catalog();
        let i = integrations[which.index(integrations.len())];
        let mode = if unresolved { EnvReferences::Unresolved } else { EnvReferences::Literal };
        let Some(list) = i.config_values_list() else {
            let doc = match mutations.first() {
                None => json!({}),
                Some((_, k, _)) => json!({["a", "zz", ""][k.index(3)]: 1}),
            };
            assert_agree(i, &doc, mode);
            return Ok(());
        };
        let keys = key_pool(list);
        let values = value_pool(list);
        let mut doc = document(list, all);
        for (op, k, v) in mutations {
            let present: Vec<String> = doc.keys().cloned().collect();
            match op {
                // Replace the value of a present member.
                0 if !present.is_empty() => {
                    let key = &present[k.index(present.len())];
                    doc.insert(key.clone(), values[v.index(values.len())].clone());
                }
                // Remove a member.
                1 if !present.is_empty() => {
                    doc.shift_remove(&present[k.index(present.len())]);
                }
                // Add (or replace) any key, known or not.
                _ => {
                    doc.insert(keys[k.index(keys.len())].clone(), values[v.index(values.len())].clone());
                }
            }
        }
        assert_agree(i, &Value::Object(doc), mode);
    }
}

/// The walker decides nearly every mutated document (the reference path is the exception: an
/// array of unique values holding something other than strings).
#[test]
fn the_walker_decides_mistakes() {
    let mut decided = 0usize;
    let mut checked = 0usize;
    for i in catalog() {
        let Some(list) = i.config_values_list() else {
            continue;
        };
        let values = value_pool(list);
        for f in list.fields.iter() {
            for v in &values {
                let mut doc = document(list, false);
                doc.insert(f.key.to_string(), v.clone());
                doc.insert(format!("{}x", f.key), json!(1));
                checked += 1;
                decided +=
                    usize::from(assert_agree(i, &Value::Object(doc), EnvReferences::Literal));
            }
        }
    }
    assert!(checked > 1000, "only {checked} documents");
    assert!(
        decided * 100 >= checked * 95,
        "the walker decided only {decided} of {checked} documents"
    );
}
