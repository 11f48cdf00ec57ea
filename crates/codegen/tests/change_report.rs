//! The change report's verdict agrees with the generated code: a change between two facts lists
//! is [`Impact::Breaking`] exactly when the schema generated from the new list rejects a document
//! the schema of the old list accepted, or the generated Rust API of the new list lacks an item
//! of the old one (a field with its type, `new` with its parameters, a `with_`/`_or_default`
//! method, an enum variant); additions to the API are compatible because generated structs and
//! enums are `#[non_exhaustive]`. This is the semver of `ldic-catalog` (ARCHITECTURE.md, "Semver").
//!
//! Every mutation below is applied to every variable of a fixture list it fits (property-style,
//! exhaustive over a small list), the schemas are compared on documents built from the
//! variables' values, and the Rust APIs as sets of items from the codegen plan. Type and
//! `isSecret` changes are left out: they are always breaking (`Uri`/`String`, `Secret`), even
//! where the schema accepts the same documents and the Rust type stays the same.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use ldic_codegen::{plan, schema};
use ldic_manifest::diff::{Impact, diff};
use ldic_manifest::facts::{
    Condition, ConditionOperator, DependsOn, DependsOnAction, FieldType, FormListFacts,
    FormListKind, FormVariableFacts, IntegrationFacts, MultiselectOption,
};
use serde_json::{Value, json};

/// A required variable labelled with its key.
fn var(key: &str, ty: FieldType) -> FormVariableFacts {
    FormVariableFacts::new(key, key, ty)
}

fn option(value: &str) -> MultiselectOption {
    MultiselectOption {
        value: value.into(),
        label: value.to_uppercase(),
    }
}

fn shown_when_flag() -> DependsOn {
    DependsOn {
        variable_key: "flag".into(),
        variable_location: "formVariables".into(),
        action: DependsOnAction::ShowField,
        conditions: vec![Condition {
            operator: ConditionOperator::EqualTo,
            value: "true".into(),
        }],
    }
}

/// One variable of each kind the required rule and the schema care about.
fn fixture() -> Vec<FormVariableFacts> {
    let mut note = var("note", FieldType::String);
    note.is_optional = true;
    let mut region = var("region", FieldType::Enum);
    region.allowed_values = vec!["us".into(), "eu".into()];
    let mut level = var("level", FieldType::Enum);
    level.allowed_values = vec!["low".into(), "high".into()];
    level.default_value = Some(json!("low"));
    let mut tags = var("tags", FieldType::Multiselect);
    tags.multiselect_options = vec![option("a"), option("b")];
    let mut picks = var("picks", FieldType::Multiselect);
    picks.multiselect_options = vec![option("x"), option("y")];
    picks.multiselect_default_options = vec!["x".into()];
    let mut flag = var("flag", FieldType::Boolean);
    flag.default_value = Some(json!(false));
    let mut shown = var("shown", FieldType::String);
    shown.depends_on = vec![shown_when_flag()];
    let mut secret_hidden = var("hiddenThing", FieldType::String);
    secret_hidden.is_hidden = true;
    vec![
        var("token", FieldType::String),
        note,
        region,
        level,
        tags,
        picks,
        flag,
        shown,
        secret_hidden,
        var("externalId", FieldType::Generated),
        var("endpoint", FieldType::Uri),
    ]
}

fn integration(vars: Vec<FormVariableFacts>) -> IntegrationFacts {
    let mut facts = IntegrationFacts::new("mutated", "Mutated", "1.0.0");
    facts.form_lists = vec![FormListFacts {
        kind: FormListKind::FormVariables,
        variables: vars,
    }];
    facts
}

fn list_schema(vars: &[FormVariableFacts]) -> jsonschema::Validator {
    let facts = [integration(vars.to_vec())];
    let catalog = plan::plan_catalog(&facts).expect("the fixture plans");
    let integration = &catalog.integrations[0];
    let schema = schema::list_schema(integration, &integration.lists[0]);
    jsonschema::validator_for(&schema).expect("a generated schema compiles")
}

/// The public Rust API generated for a list, one string per item, from the codegen plan. A
/// change removes or changes an item exactly when this set loses a member.
fn rust_api(vars: &[FormVariableFacts]) -> BTreeSet<String> {
    let facts = [integration(vars.to_vec())];
    let catalog = plan::plan_catalog(&facts).expect("the fixture plans");
    let list = &catalog.integrations[0].lists[0];
    let type_of = |f: &plan::FieldPlan<'_>| {
        let name = f.enum_type.as_ref().map_or("", |e| e.name.as_str());
        format!("{:?}{name}", f.shape)
    };
    let mut api = BTreeSet::new();
    let params: Vec<String> = list
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("{}: {}", f.rust_name, type_of(f)))
        .collect();
    api.insert(format!("fn new({})", params.join(", ")));
    if params.is_empty() {
        api.insert("impl Default".to_owned());
    }
    for f in &list.fields {
        let ty = type_of(f);
        let field_ty = if f.required {
            ty.clone()
        } else {
            format!("Option<{ty}>")
        };
        api.insert(format!("field {}: {field_ty}", f.rust_name));
        if let Some(setter) = &f.setter {
            api.insert(format!("fn {setter}({ty})"));
        }
        if let Some(accessor) = &f.default_accessor {
            api.insert(format!("fn {accessor}() -> {ty}"));
        }
        if let Some(e) = &f.enum_type {
            api.insert(format!("enum {} catch-all {}", e.name, e.catch_all));
            for v in &e.variants {
                api.insert(format!("variant {}::{}", e.name, v.name));
            }
        }
    }
    api
}

/// Values a document may give a variable, valid or not for some version of the list.
fn candidate_values(v: &FormVariableFacts) -> Vec<Value> {
    let mut out = vec![json!("text"), json!(true), json!(false), json!([])];
    out.extend(v.allowed_values.iter().map(|a| json!(a)));
    out.extend(v.multiselect_options.iter().map(|o| json!([o.value])));
    out.push(json!("https://example.com/hook"));
    out
}

/// A value the old list accepts for `v` (no error at `v`'s own property).
fn some_valid(v: &FormVariableFacts, validator: &jsonschema::Validator) -> Option<Value> {
    candidate_values(v).into_iter().find(|value| {
        let doc = json!({ v.key.as_str(): value });
        validator
            .iter_errors(&doc)
            .all(|e| e.instance_path().as_str().is_empty())
    })
}

/// Documents to compare the schemas on: the required fields alone, and that plus any one
/// variable (of either list) set to any candidate value.
fn documents(old: &[FormVariableFacts], new: &[FormVariableFacts]) -> Vec<Value> {
    let old_validator = list_schema(old);
    let mut base = serde_json::Map::new();
    for v in old.iter().filter(|v| v.is_required()) {
        if let Some(value) = some_valid(v, &old_validator) {
            base.insert(v.key.clone(), value);
        }
    }
    let mut docs = vec![Value::Object(base.clone())];
    for v in old.iter().chain(new) {
        for value in candidate_values(v) {
            let mut doc = base.clone();
            doc.insert(v.key.clone(), value);
            docs.push(Value::Object(doc));
        }
    }
    docs
}

type Mutation = (&'static str, fn(&mut Vec<FormVariableFacts>, usize) -> bool);

/// Each mutation edits variable `i` (or inserts at `i`) and says whether it applied.
// A table of ~100 lines: one row per kind of upstream change.
fn mutations() -> Vec<Mutation> {
    vec![
        ("make required", |vs, i| {
            let v = &mut vs[i];
            let applies = v.is_optional || v.default_value.is_some();
            v.is_optional = false;
            v.default_value = None;
            v.multiselect_default_options.clear();
            applies
        }),
        ("make optional", |vs, i| {
            !std::mem::replace(&mut vs[i].is_optional, true)
        }),
        ("drop default", |vs, i| {
            vs[i].multiselect_default_options.clear();
            vs[i].default_value.take().is_some()
        }),
        ("hide", |vs, i| {
            !std::mem::replace(&mut vs[i].is_hidden, true)
        }),
        ("unhide", |vs, i| {
            std::mem::replace(&mut vs[i].is_hidden, false)
        }),
        ("drop dependsOn", |vs, i| {
            !std::mem::take(&mut vs[i].depends_on).is_empty()
        }),
        ("add dependsOn", |vs, i| {
            let applies = vs[i].depends_on.is_empty() && vs[i].key != "flag";
            if applies {
                vs[i].depends_on.push(shown_when_flag());
            }
            applies
        }),
        ("remove variable", |vs, i| {
            // `flag` is what dependsOn rules name; removing it is out of this test's scope.
            let applies = vs[i].key != "flag";
            if applies {
                vs.remove(i);
            }
            applies
        }),
        ("add optional variable", |vs, i| {
            let mut added = var("addedOptional", FieldType::String);
            added.is_optional = true;
            vs.insert(i, added);
            true
        }),
        ("add required variable", |vs, i| {
            vs.insert(i, var("addedRequired", FieldType::Boolean));
            true
        }),
        ("add variable shown by a rule", |vs, i| {
            let mut added = var("addedShown", FieldType::String);
            added.depends_on.push(shown_when_flag());
            vs.insert(i, added);
            true
        }),
        ("remove allowed value", |vs, i| {
            let applies = vs[i].allowed_values.len() > 1;
            if applies {
                vs[i].allowed_values.remove(0);
                if vs[i].default_value.as_ref() == Some(&json!("low")) {
                    vs[i].default_value = Some(json!("high"));
                }
            }
            applies
        }),
        ("add allowed value", |vs, i| {
            let applies = vs[i].ty == FieldType::Enum;
            vs[i].allowed_values.push("added".into());
            applies
        }),
        ("remove multiselect option", |vs, i| {
            let applies = vs[i].multiselect_options.len() > 1;
            if applies {
                let removed = vs[i].multiselect_options.remove(1);
                vs[i]
                    .multiselect_default_options
                    .retain(|d| *d != removed.value);
            }
            applies
        }),
        ("add multiselect option", |vs, i| {
            let applies = vs[i].ty == FieldType::Multiselect;
            vs[i].multiselect_options.push(option("added"));
            applies
        }),
        ("add multiselect default", |vs, i| {
            let applies =
                vs[i].ty == FieldType::Multiselect && vs[i].multiselect_default_options.is_empty();
            if applies {
                let first = vs[i].multiselect_options[0].value.clone();
                vs[i].multiselect_default_options.push(first);
            }
            applies
        }),
    ]
}

#[test]
fn breaking_exactly_when_the_new_schema_rejects_a_document_or_the_rust_api_loses_an_item() {
    let old = fixture();
    let old_validator = list_schema(&old);
    let old_api = rust_api(&old);
    let mut checked = 0;
    let mut breaking_seen = 0;
    let mut rust_only = 0;
    for (name, mutate) in mutations() {
        for i in 0..old.len() {
            let mut new = old.clone();
            if !mutate(&mut new, i) {
                continue;
            }
            let new_validator = list_schema(&new);
            let rejected: Vec<Value> = documents(&old, &new)
                .into_iter()
                .filter(|doc| old_validator.is_valid(doc) && !new_validator.is_valid(doc))
                .collect();
            let before = BTreeMap::from([("mutated".to_owned(), integration(old.clone()))]);
            let after = BTreeMap::from([("mutated".to_owned(), integration(new.clone()))]);
            let changes = diff(&before, &after);
            let breaking = changes.iter().any(|c| c.impact == Impact::Breaking);
            let new_api = rust_api(&new);
            let lost: Vec<&String> = old_api.difference(&new_api).collect();
            assert_eq!(
                breaking,
                !rejected.is_empty() || !lost.is_empty(),
                "{name} at {:?}: the report says {}, the new schema rejects {rejected:?}, \
                 the Rust API loses {lost:?}",
                old[i].key,
                changes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            checked += 1;
            breaking_seen += usize::from(breaking);
            rust_only += usize::from(rejected.is_empty() && !lost.is_empty());
        }
    }
    // Some changes break only the Rust API (a field that became optional, a removed default).
    assert!(rust_only > 3, "only {rust_only} Rust-only breaking changes");
    // The mutations cover both verdicts many times over.
    assert!(checked > 60, "only {checked} mutations applied");
    assert!(breaking_seen > 15 && checked - breaking_seen > 15);
}
