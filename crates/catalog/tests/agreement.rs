//! Property test, per generated struct: the typed struct and its JSON Schema agree.
//!
//! For every struct of the catalog (via `visit_config_types`), proptest generates JSON objects
//! from the field *metadata* (not from the schema or the struct): a plausible object, then at
//! most one mutation (drop a required field, make one field invalid for its type, add an unknown
//! key). For each object:
//!
//! - the schema (format assertions on) accepts it  <=>  it deserializes into the struct, holds
//!   no member the struct does not know, and no enum or multiselect value is one the catalog does
//!   not know (rule `catch-all`);
//! - when it deserializes, serializing the struct gives back exactly the same object, which the
//!   schema accepts unless it holds an unknown member or value.
//!
//! Documented rules where the two cannot agree, each with its own test below:
//! - `uri-dialect`: `Uri` checks WHATWG URL syntax (`url` crate), `format: uri` checks RFC 3986.
//!   They agree on the generated URLs and non-URLs; strings such as `https://example.com/a b`
//!   are accepted by the struct and rejected by the schema.
//! - `catch-all`: a generated enum reads any string, keeping a value it does not know in its
//!   catch-all variant (a value a newer manifest allows must not fail the whole struct), and a
//!   generated struct keeps a member it does not know in `unknown_fields` (a field a newer
//!   manifest added must not fail it either); both are written back unchanged, and the schema
//!   (and the validator: `not-allowed`, `unknown-field`) rejects them.
//!
//! Structs read only objects (their `unknown_fields` is `#[serde(flatten)]`, so serde's
//! sequence form of a struct is gone): an array is rejected by both, like the schema's
//! `type: object` (`arrays_are_rejected_by_struct_and_schema_alike`).
//! - `secret-uri`: an `isSecret` `uri` is typed `Secret` (redaction wins), so its URL syntax is
//!   checked only by the schema; only valid URLs and non-strings are generated for it.

use jsonschema::Validator;
use ldic_catalog::{ConfigTypeVisitor, FieldMeta, FieldType, IntegrationConfig};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

fn validator(schema_json: &str) -> Validator {
    let schema: Value = serde_json::from_str(schema_json).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-z0-9 ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn valid_url() -> BoxedStrategy<Value> {
    "(https?)://[a-z]{1,10}(\\.[a-z]{2,5}){0,2}(:[1-9][0-9]{1,3})?(/[a-zA-Z0-9_-]{0,8}){0,3}"
        .prop_map(Value::String)
        .boxed()
}

fn not_a_string() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(["x"])),
        Just(json!({"x": 1})),
    ]
    .boxed()
}

/// A value of the field's type, or `None` when the type has no valid value (an empty enum).
fn valid_value(field: &FieldMeta) -> Option<BoxedStrategy<Value>> {
    let allowed: Vec<Value> = field.allowed_values.iter().map(|v| json!(v)).collect();
    Some(match field.ty {
        FieldType::String
        | FieldType::DynamicEnum
        | FieldType::Generated
        | FieldType::Oauth
        | FieldType::PublicKey => "\\PC{0,12}".prop_map(Value::String).boxed(),
        FieldType::Uri => valid_url(),
        FieldType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        FieldType::Enum => {
            if allowed.is_empty() {
                return None;
            }
            prop::sample::select(allowed).boxed()
        }
        FieldType::Multiselect => {
            let n = allowed.len();
            prop::sample::subsequence(allowed, 0..=n)
                .prop_map(Value::Array)
                .boxed()
        }
        FieldType::EnvironmentSelector | FieldType::Unknown(_) => any_json(),
    })
}

/// A value the field's type rejects, or `None` when every value is valid (any-JSON fields).
fn invalid_value(field: &FieldMeta) -> Option<BoxedStrategy<Value>> {
    let not_allowed = format!("{}-not-allowed", field.allowed().next().unwrap_or("x"));
    Some(match field.ty {
        FieldType::String
        | FieldType::DynamicEnum
        | FieldType::Generated
        | FieldType::Oauth
        | FieldType::PublicKey => not_a_string(),
        // Rule secret-uri: a secret uri is a `Secret`; only non-strings are invalid for both.
        FieldType::Uri if field.is_secret => not_a_string(),
        FieldType::Uri => prop_oneof![
            not_a_string(),
            // No scheme: neither WHATWG nor RFC 3986 accepts these.
            "[a-z ]{0,10}".prop_map(Value::String),
            "[a-z]{1,6}\\.example/[a-z]{0,4}".prop_map(Value::String),
        ]
        .boxed(),
        FieldType::Boolean => prop_oneof![
            Just(json!("true")),
            Just(json!(0)),
            Just(Value::Null),
            Just(json!([true])),
        ]
        .boxed(),
        FieldType::Enum => prop_oneof![not_a_string(), Just(json!(not_allowed))].boxed(),
        FieldType::Multiselect => {
            let mut options = vec![
                Just(Value::Null).boxed(),
                Just(json!("a string")).boxed(),
                Just(json!([not_allowed])).boxed(),
                Just(json!([1])).boxed(),
            ];
            if let Some(first) = field.allowed_values.first() {
                options.push(Just(json!([first, first])).boxed());
            }
            proptest::strategy::Union::new(options).boxed()
        }
        FieldType::EnvironmentSelector | FieldType::Unknown(_) => return None,
    })
}

/// How the generated object is changed before the check.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    DropField(prop::sample::Index),
    InvalidField(prop::sample::Index),
    UnknownKey(String),
}

fn object_strategy(fields: &'static [FieldMeta]) -> BoxedStrategy<Value> {
    // Per field: (value if present in the base object, an invalid value if the type has one).
    let per_field: Vec<BoxedStrategy<(Option<Value>, Option<Value>)>> = fields
        .iter()
        .map(|field| {
            let present = match valid_value(field) {
                Some(valid) if field.required => valid.prop_map(Some).boxed(),
                Some(valid) => proptest::option::weighted(0.6, valid).boxed(),
                None => Just(None).boxed(),
            };
            let invalid = match invalid_value(field) {
                Some(invalid) => invalid.prop_map(Some).boxed(),
                None => Just(None).boxed(),
            };
            (present, invalid).boxed()
        })
        .collect();
    let mutation = prop_oneof![
        2 => Just(Mutation::None),
        1 => any::<prop::sample::Index>().prop_map(Mutation::DropField),
        3 => any::<prop::sample::Index>().prop_map(Mutation::InvalidField),
        1 => "[a-zA-Z_-]{1,12}".prop_map(Mutation::UnknownKey),
    ];
    (per_field, mutation)
        .prop_map(move |(values, mutation)| {
            let mut object = serde_json::Map::new();
            for (field, (present, _)) in fields.iter().zip(&values) {
                if let Some(value) = present {
                    object.insert(field.key.to_string(), value.clone());
                }
            }
            if !fields.is_empty() {
                match &mutation {
                    Mutation::None => {}
                    Mutation::DropField(idx) => {
                        object.remove(fields[idx.index(fields.len())].key.as_ref());
                    }
                    Mutation::InvalidField(idx) => {
                        let i = idx.index(fields.len());
                        if let (_, Some(invalid)) = &values[i] {
                            object.insert(fields[i].key.to_string(), invalid.clone());
                        }
                    }
                    Mutation::UnknownKey(_) => {}
                }
            }
            if let Mutation::UnknownKey(key) = &mutation
                && !fields.iter().any(|f| f.key.as_ref() == key.as_str())
            {
                object.insert(key.clone(), json!("unexpected"));
            }
            Value::Object(object)
        })
        .boxed()
}

/// Whether `object` has a member that is not a field (what the struct keeps in
/// `unknown_fields`), or an enum or multiselect member holding a string that is not one of the
/// field's allowed values (what the struct keeps in a catch-all variant).
fn holds_unknown(fields: &[FieldMeta], object: &Value) -> bool {
    let unknown_member = object.as_object().is_some_and(|members| {
        members
            .keys()
            .any(|k| !fields.iter().any(|f| f.key == k.as_str()))
    });
    unknown_member || holds_unknown_value(fields, object)
}

/// Whether an enum or multiselect member of `object` holds a string that is not one of the
/// field's allowed values.
fn holds_unknown_value(fields: &[FieldMeta], object: &Value) -> bool {
    let unknown = |field: &FieldMeta, value: &Value| {
        value
            .as_str()
            .is_some_and(|s| !field.allowed().any(|a| a == s))
    };
    fields
        .iter()
        .any(|field| match (&field.ty, object.get(&*field.key)) {
            (FieldType::Enum, Some(value)) => unknown(field, value),
            (FieldType::Multiselect, Some(Value::Array(items))) => {
                items.iter().any(|item| unknown(field, item))
            }
            _ => false,
        })
}

#[derive(Default)]
struct Agreement {
    structs: usize,
    accepted: usize,
    rejected: usize,
    caught: usize,
    failures: Vec<String>,
}

impl ConfigTypeVisitor for Agreement {
    fn visit<T: IntegrationConfig>(&mut self) {
        let name = std::any::type_name::<T>();
        let validator = validator(T::json_schema());
        let mut runner = TestRunner::new(Config {
            cases: 48,
            failure_persistence: None,
            ..Config::default()
        });
        let accepted = std::cell::Cell::new(0usize);
        let rejected = std::cell::Cell::new(0usize);
        let caught = std::cell::Cell::new(0usize);
        let result = runner.run(&object_strategy(T::fields()), |value| {
            let schema_ok = validator.is_valid(&value);
            let typed = serde_json::from_value::<T>(value.clone());
            let unknown = holds_unknown(T::fields(), &value);
            if schema_ok != (typed.is_ok() && !unknown) {
                return Err(TestCaseError::fail(format!(
                    "schema says {}, struct says {:?} for {value}",
                    if schema_ok { "valid" } else { "invalid" },
                    typed.as_ref().map(|_| "ok").map_err(ToString::to_string)
                )));
            }
            if let Ok(config) = typed {
                accepted.set(accepted.get() + 1);
                let back = serde_json::to_value(&config)
                    .map_err(|e| TestCaseError::fail(format!("serialize: {e}")))?;
                prop_assert_eq!(&back, &value, "serializing gives back the object");
                prop_assert_eq!(
                    validator.is_valid(&back),
                    !unknown,
                    "the schema accepts the serialized struct unless it holds an unknown member or value"
                );
                if unknown {
                    caught.set(caught.get() + 1);
                }
            } else {
                rejected.set(rejected.get() + 1);
            }
            Ok(())
        });
        if let Err(err) = result {
            self.failures.push(format!("{name}: {err}"));
        }
        self.structs += 1;
        self.accepted += accepted.get();
        self.rejected += rejected.get();
        self.caught += caught.get();
    }
}

#[test]
fn every_struct_agrees_with_its_schema() {
    let mut agreement = Agreement::default();
    ldic_catalog::visit_config_types(&mut agreement);
    assert!(
        agreement.failures.is_empty(),
        "struct and schema disagree:\n{}",
        agreement.failures.join("\n")
    );
    assert!(agreement.structs >= 129, "every struct is checked");
    // The property is not vacuous: both outcomes occur.
    assert!(
        agreement.accepted > 1000,
        "accepted: {}",
        agreement.accepted
    );
    assert!(
        agreement.rejected > 1000,
        "rejected: {}",
        agreement.rejected
    );
    assert!(
        agreement.caught > 10,
        "read into a catch-all variant or unknown_fields: {}",
        agreement.caught
    );
}

/// Structs read only objects, as the schema does: an array (serde's sequence form of a struct,
/// which the flattened `unknown_fields` turns off) is rejected by both.
struct ObjectsOnly {
    checked: usize,
}

impl ConfigTypeVisitor for ObjectsOnly {
    fn visit<T: IntegrationConfig>(&mut self) {
        let validator = validator(T::json_schema());
        let values: Vec<Value> = T::fields().iter().map(|_| json!("x")).collect();
        for array in [json!([]), Value::Array(values)] {
            assert!(
                !validator.is_valid(&array),
                "{}",
                std::any::type_name::<T>()
            );
            assert!(
                serde_json::from_value::<T>(array).is_err(),
                "{} read an array",
                std::any::type_name::<T>()
            );
        }
        self.checked += 1;
    }
}

#[test]
fn arrays_are_rejected_by_struct_and_schema_alike() {
    let mut rule = ObjectsOnly { checked: 0 };
    ldic_catalog::visit_config_types(&mut rule);
    assert!(rule.checked >= 129, "every struct is checked");
}

/// A member the struct does not know is kept with its value (whatever its JSON type), written
/// back unchanged, and never shown by `Debug`; the schema rejects it.
struct UnknownMembersKept {
    checked: usize,
}

impl ConfigTypeVisitor for UnknownMembersKept {
    fn visit<T: IntegrationConfig>(&mut self) {
        let name = std::any::type_name::<T>();
        // A document of required fields only (their valid sample values), plus new members.
        let mut object = serde_json::Map::new();
        for field in T::fields().iter().filter(|f| f.required) {
            object.insert(
                field.key.to_string(),
                ldic_test_support::sample::valid_value(field),
            );
        }
        assert!(
            serde_json::from_value::<T>(Value::Object(object.clone())).is_ok(),
            "{name}: the required fields' samples"
        );
        object.insert("ldicNewField".into(), json!("canary-9f3a-new"));
        object.insert("ldicNewList".into(), json!([1, {"nested": true}]));
        let document = Value::Object(object);
        let typed: T = serde_json::from_value(document.clone())
            .unwrap_or_else(|e| panic!("{name}: an unknown member failed the struct: {e}"));
        let shown = format!("{typed:?}");
        assert!(shown.contains("ldicNewField"), "{name}: {shown}");
        assert!(
            !shown.contains("canary-9f3a-new"),
            "{name} shows an unknown value: {shown}"
        );
        assert_eq!(
            serde_json::to_value(&typed).ok(),
            Some(document.clone()),
            "{name}"
        );
        assert!(!validator(T::json_schema()).is_valid(&document), "{name}");
        self.checked += 1;
    }
}

#[test]
fn unknown_members_are_kept_written_back_and_never_shown() {
    let mut rule = UnknownMembersKept { checked: 0 };
    ldic_catalog::visit_config_types(&mut rule);
    assert!(rule.checked >= 100, "checked {}", rule.checked);
}

#[test]
fn rule_uri_dialect_whatwg_and_rfc3986_differ_on_spaces_in_paths() {
    let text = "https://example.com/a b";
    assert!(
        ldic_catalog::Uri::parse(text).is_ok(),
        "WHATWG percent-encodes the space"
    );
    let schema = json!({"type": "string", "format": "uri"});
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compiles");
    assert!(
        !validator.is_valid(&json!(text)),
        "RFC 3986 rejects the space"
    );
}
