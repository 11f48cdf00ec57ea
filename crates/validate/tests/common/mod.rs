//! What the tests share: a valid value for any field, the values the agreement tests draw from,
//! and the base field of hand-built lists.

use ldic_catalog::{FieldMeta, FieldType, FormList, Integration};
use serde_json::{Value, json};
use std::borrow::Cow::Borrowed;

/// A value of `f`'s type that its schema accepts (a string with non-ASCII characters where any
/// string goes).
pub fn valid_value(f: &FieldMeta) -> Value {
    match f.ty {
        FieldType::Uri => json!("https://example.com/hook?x=1#y"),
        FieldType::Boolean => json!(true),
        FieldType::Enum => json!(f.allowed().last().unwrap_or("x")),
        FieldType::Multiselect => json!(f.allowed().rev().collect::<Vec<_>>()),
        FieldType::EnvironmentSelector => json!({"a": [1, 2.5, null, {"b": "c"}]}),
        _ => json!("x y \u{e9} \u{1F600}"),
    }
}

/// Values to draw from: valid and invalid ones of every type, every allowed value alone and in
/// arrays, and near misses of the first allowed values (case, trailing slash, typos).
pub fn value_pool(list: &FormList) -> Vec<Value> {
    let mut pool = vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(7),
        json!(-1.5),
        json!(""),
        json!("x"),
        json!("yes"),
        json!("true"),
        json!("false"),
        json!("not a uri"),
        json!("https://example.com/a b"),
        json!("https://example.com/"),
        json!("mailto:a@example.com"),
        json!("relative/path"),
        json!("not-an-allowed-value"),
        json!([]),
        json!({}),
        json!([1]),
        json!([1, 1]),
        json!(["x", 1]),
        json!({"k": "v"}),
        json!("${env:A}"),
        json!("${env:}"),
        json!("${nope"),
        json!(["${env:A}"]),
        json!(["${env:A}", "${env:A}"]),
        json!(["${env:1}"]),
        json!(["${env:1}", "x", "x"]),
    ];
    for f in list.fields.iter() {
        pool.push(valid_value(f));
        if let Some(d) = f.default_value() {
            pool.push(d);
        }
        for v in f.allowed() {
            pool.push(json!(v));
            pool.push(json!([v]));
            pool.push(json!([v, v]));
        }
        for v in f.allowed().take(4) {
            pool.push(json!(v));
            pool.push(json!(v.to_uppercase()));
            pool.push(json!(v.to_lowercase()));
            pool.push(json!(format!("{v}/")));
            pool.push(json!(format!("{v}x")));
            pool.push(json!(v.chars().skip(1).collect::<String>()));
            pool.push(json!([v, v]));
            pool.push(json!([v, "zz"]));
            pool.push(json!(["zz", v, "zz"]));
        }
    }
    pool
}

/// Every integration of the built-in catalog; a catalog of a few integrations (not generated)
/// fails the test instead of passing it vacuously.
pub fn catalog() -> Vec<&'static Integration> {
    let all: Vec<_> = ldic_catalog::all().collect();
    assert!(
        all.len() > 100,
        "the catalog has {} integrations: run `cargo xtask codegen`",
        all.len()
    );
    all
}

/// A field of a hand-built list: an optional string, visible, with no rules.
pub const FIELD: FieldMeta = FieldMeta {
    key: Borrowed(""),
    rust_name: Borrowed(""),
    label: Borrowed(""),
    ty: FieldType::String,
    is_secret: false,
    is_optional: true,
    is_hidden: false,
    required: false,
    default_json: None,
    allowed_values: Borrowed(&[]),
    option_labels: Borrowed(&[]),
    placeholder: None,
    depends_on: Borrowed(&[]),
};
