//! A catalog loaded at run time from `manifests/` against the generated one: the same facts give
//! the same metadata, the same schemas and the same reports, for every integration, on valid and
//! mutated documents. Also: an integration only a loaded catalog knows validates through it, and
//! a broken facts directory is a typed error naming the file and the JSON pointer.
//!
//! `manifests/` is part of the repository, so nothing here is ever skipped; the tests fail on an
//! empty catalog on purpose.

#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_catalog::{Catalog, FactsDirError, FormList, Integration};
use ldic_test_support::sample::{user_fields, valid_value};
use ldic_validate::{Code, EnvReferences, Validator};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

static LOADED: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::load_dir(ldic_test_support::workspace_root().join("manifests"))
        .expect("manifests/ loads as a catalog")
});

fn pairs() -> Vec<(&'static Integration, &'static Integration)> {
    let builtin = Catalog::builtin();
    assert!(
        builtin.len() > 100,
        "the built-in catalog is the generated one"
    );
    builtin
        .iter()
        .map(|b| {
            (
                b,
                LOADED.get(&b.key).expect("every generated key is loaded"),
            )
        })
        .collect()
}

#[test]
fn loading_manifests_gives_the_generated_metadata_and_schemas() {
    assert_eq!(LOADED.len(), Catalog::builtin().len(), "same integrations");
    assert!(!LOADED.is_builtin());
    assert!(LOADED.lock().is_some_and(|l| !l.commit.is_empty()));
    for (built_in, loaded) in pairs() {
        let key = &built_in.key;
        assert_eq!(built_in.key, loaded.key);
        assert_eq!(built_in.name, loaded.name, "{key}");
        assert_eq!(built_in.version, loaded.version, "{key}");
        assert_eq!(built_in.manifest_url, loaded.manifest_url, "{key}");
        assert_eq!(built_in.capabilities, loaded.capabilities, "{key}");
        assert_eq!(built_in.lists.len(), loaded.lists.len(), "{key}");
        for (b, l) in built_in.lists.iter().zip(loaded.lists.iter()) {
            assert_eq!(b.kind, l.kind, "{key}");
            assert_eq!(b.integration_key, l.integration_key, "{key}");
            assert_eq!(b.type_name, l.type_name, "{key}");
            // Cow's Debug is its content's: borrowed and owned metadata print alike.
            assert_eq!(
                format!("{:?}", b.fields),
                format!("{:?}", l.fields),
                "{key}"
            );
            assert_eq!(b.schema_json, l.schema_json, "{key} {}: schema", b.kind);
        }
        assert_eq!(
            built_in.config_values_list().map(|l| l.kind),
            loaded.config_values_list().map(|l| l.kind),
            "{key}"
        );
    }
}

/// Every way one document is checked, as text to compare.
fn all_reports(validator: Validator<'_>, body: &Value) -> String {
    let cv = &body["configValues"];
    let text = cv.to_string();
    let unresolved = validator.with_env_references(EnvReferences::Unresolved);
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        validator.validate(body),
        validator.validate_config_values(cv),
        validator
            .validate_config_values_str(&text)
            .map_err(|e| e.to_string()),
        unresolved.validate(body),
        validator.defaults(cv),
        validator.fast_path_accepts(&text),
    )
}

fn minimal(list: Option<&FormList>) -> Map<String, Value> {
    list.map(|l| {
        user_fields(l)
            .filter(|f| f.required)
            .map(|f| (f.key.to_string(), valid_value(f)))
            .collect()
    })
    .unwrap_or_default()
}

fn body(config_values: Map<String, Value>) -> Value {
    json!({"name": "n", "configValues": config_values, "capabilityConfig": {}})
}

fn agree(built_in: &'static Integration, loaded: &'static Integration, body: &Value) {
    let want = all_reports(Validator::for_integration(built_in), body);
    let got = all_reports(Validator::for_key_in(&LOADED, &loaded.key).unwrap(), body);
    assert_eq!(want, got, "{}: {body}", built_in.key);
}

#[test]
fn valid_documents_give_identical_reports() {
    let mut checked = 0;
    for (built_in, loaded) in pairs() {
        let list = built_in.config_values_list();
        agree(built_in, loaded, &body(minimal(list)));
        let full: Map<String, Value> = list
            .map(|l| {
                user_fields(l)
                    .map(|f| (f.key.to_string(), valid_value(f)))
                    .collect()
            })
            .unwrap_or_default();
        agree(built_in, loaded, &body(full));
        checked += 1;
    }
    assert!(checked > 100);
}

/// Values a mutation puts in a document: every JSON type, near misses of allowed values,
/// references, and each field's valid and allowed values.
fn value_pool(list: Option<&FormList>) -> Vec<Value> {
    let mut pool = vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1.5),
        json!(""),
        json!("x"),
        json!("not a uri"),
        json!("https://example.com/"),
        json!([]),
        json!({}),
        json!(["a", "a"]),
        json!("${env:A}"),
        json!("${env:}"),
    ];
    for f in list.iter().flat_map(|l| l.fields.iter()) {
        pool.push(valid_value(f));
        for v in f.allowed().take(4) {
            pool.push(json!(v));
            pool.push(json!([v, v]));
            pool.push(json!(v.to_uppercase()));
        }
    }
    pool
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Random mutations of a minimal document of a random integration: the loaded catalog's
    /// reports are the generated catalog's, in every way of checking.
    #[test]
    fn mutated_documents_give_identical_reports(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<bool>()),
            0..6,
        ),
        whole in any::<prop::sample::Index>(),
    ) {
        let all = pairs();
        let (built_in, loaded) = all[which.index(all.len())];
        let list = built_in.config_values_list();
        let mut keys: Vec<String> = list
            .iter()
            .flat_map(|l| l.fields.iter().map(|f| f.key.to_string()))
            .collect();
        keys.extend(["zzUnknown".to_owned(), "apikey".to_owned()]);
        let pool = value_pool(list);
        let mut cv = minimal(list);
        for (k, v, remove) in edits {
            let k = &keys[k.index(keys.len())];
            if remove {
                cv.remove(k);
            } else {
                cv.insert(k.clone(), pool[v.index(pool.len())].clone());
            }
        }
        agree(built_in, loaded, &body(cv.clone()));
        // The document itself of a wrong type, and a body member of a wrong type.
        let mut odd = body(cv);
        odd["enabled"] = pool[whole.index(pool.len())].clone();
        agree(built_in, loaded, &odd);
        agree(built_in, loaded, &json!({"configValues": pool[whole.index(pool.len())].clone()}));
    }
}

fn unknown_integration_dir() -> std::path::PathBuf {
    ldic_test_support::fixture("catalog/unknown-integration")
}

#[test]
fn an_integration_only_the_loaded_catalog_knows_validates_through_it() {
    let catalog = Catalog::load_dir(unknown_integration_dir()).unwrap();
    assert_eq!(catalog.len(), 2);
    assert!(
        catalog.describe().contains("LaunchDarkly API"),
        "{}",
        catalog.describe()
    );
    let integration = catalog.get("acme-audit-sink").unwrap();
    assert_eq!(
        integration.manifest_url, "",
        "API facts have no public manifest"
    );

    let valid =
        json!({"name": "n", "configValues": {"endpoint": "https://example.com/in", "token": "t"}});
    assert!(
        ldic_validate::validate("acme-audit-sink", &valid)
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownIntegration)
    );
    let validator = Validator::for_key_in(&catalog, "acme-audit-sink").unwrap();
    assert!(
        validator.validate(&valid).is_empty(),
        "{}",
        validator.validate(&valid)
    );
    assert_eq!(
        validator.defaults(&valid["configValues"]).unwrap()[0].field,
        "region"
    );

    let invalid = json!({"name": "n", "configValues": {"endpoint": "not a uri", "region": "mars"}});
    let codes: Vec<Code> = validator
        .validate(&invalid)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(
        codes,
        [Code::MissingRequired, Code::InvalidUri, Code::NotAllowed],
        "{}",
        validator.validate(&invalid)
    );
    // A key neither catalog has: the suggestion names the loaded catalog's keys.
    let unknown = Validator::for_key_in(&catalog, "acme-audit-snk").unwrap_err();
    assert!(
        unknown
            .suggestion
            .as_deref()
            .unwrap_or("")
            .contains("acme-audit-sink"),
        "{unknown:?}"
    );
}

fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(unknown_integration_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn a_broken_facts_directory_is_an_error_naming_file_and_pointer() {
    // Truncated mid-file.
    let dir = copy_fixture();
    let file = dir.path().join("acme-audit-sink.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &text[..text.len() / 2]).unwrap();
    let err = Catalog::load_dir(dir.path()).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("acme-audit-sink.json"), "{shown}");
    match &err {
        ldic_catalog::CatalogError::FactsDir(FactsDirError::Invalid { path, pointer, .. }) => {
            assert_eq!(path, &file);
            assert!(pointer.starts_with("/formLists/0/variables"), "{pointer}");
        }
        other => panic!("expected an invalid-file error, got {other:?}"),
    }

    // A member of the wrong type, deep inside.
    std::fs::write(
        &file,
        text.replace("\"isSecret\": true", "\"isSecret\": \"yes\""),
    )
    .unwrap();
    match Catalog::load_dir(dir.path()).unwrap_err() {
        ldic_catalog::CatalogError::FactsDir(FactsDirError::Invalid {
            pointer, message, ..
        }) => {
            assert_eq!(pointer, "/formLists/0/variables/1/isSecret");
            assert!(message.contains("boolean"), "{message}");
        }
        other => panic!("expected an invalid-file error, got {other:?}"),
    }

    // A facts format this ldic does not read.
    std::fs::write(&file, text.replace("\"format\": 1", "\"format\": 99")).unwrap();
    let err = Catalog::load_dir(dir.path()).unwrap_err();
    assert!(
        matches!(
            err,
            ldic_catalog::CatalogError::FactsDir(FactsDirError::Format { found: 99, .. })
        ),
        "{err:?}"
    );

    // No lock: not a catalog.
    std::fs::write(&file, &text).unwrap();
    std::fs::remove_file(dir.path().join("upstream.lock")).unwrap();
    let err = Catalog::load_dir(dir.path()).unwrap_err();
    assert!(err.to_string().contains("upstream.lock"), "{err}");
}
