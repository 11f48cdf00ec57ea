//! What `#[serde(flatten)] unknown_fields: UnknownFields` costs when reading a generated struct.
//!
//! Every generated struct keeps the members it does not know in a flattened `unknown_fields`
//! (ARCHITECTURE.md, "Unknown fields"). With a flattened field, serde's derive reads the object
//! as a map, matches each key against the struct's own and buffers every other member as
//! `Content` until the end, then hands the buffer to `UnknownFields`; without one, it skips
//! unknown members. This bench measures that difference on the same texts:
//!
//! - `value`: `serde_json::from_str::<serde_json::Value>`, the baseline of every group;
//! - `generated`: `serde_json::from_str` into the generated struct (with the flattened field);
//! - `without flatten (hand-written copy)`: the same into a copy of the struct written here, with
//!   the generated struct's field types, renames and `deserialize_with`, and no `unknown_fields`.
//!
//! Groups: `typed-forms` (the valid document of every integration with a `configValues` list,
//! as in `--bench validate`, all at once; `value` and `generated` only), `typed-datadog` and
//! `typed-dynatrace-v2` (one valid document each, the three ways), and `typed-unknown-members`
//! (the Datadog document with two members no version knows: `generated` buffers them and keeps
//! them, the copy skips them).
//!
//! Before measuring, each copy must read its document to the same JSON as the generated struct,
//! and the document must hold every field of the list, so the copy reads what the struct reads.

use criterion::Criterion;
use ldic_benches::summary::{Summary, fmt_duration, median};
use ldic_benches::{is_measuring, samples};
use ldic_catalog::{ConfigTypeVisitor, IntegrationConfig, Secret, Uri};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::hint::black_box;

/// Baseline for `typed-datadog`: `ldic_catalog::datadog::DatadogConfig` as generated, without
/// the flattened `unknown_fields` (so it skips unknown members instead of keeping them).
#[derive(Debug, Serialize, Deserialize)]
struct BaselineDatadogConfigWithoutFlatten {
    #[serde(rename = "apiKey")]
    api_key: Secret,
    #[serde(
        rename = "hostURL",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "ldic_catalog::serde_support::present"
    )]
    host_url: Option<ldic_catalog::datadog::HostUrl>,
    #[serde(
        rename = "hideMemberDetails",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "ldic_catalog::serde_support::present"
    )]
    hide_member_details: Option<bool>,
}

/// Baseline for `typed-dynatrace-v2`: `ldic_catalog::dynatrace_v2::DynatraceV2Config` as
/// generated, without the flattened `unknown_fields`.
#[derive(Debug, Serialize, Deserialize)]
struct BaselineDynatraceV2ConfigWithoutFlatten {
    #[serde(rename = "apiToken")]
    api_token: Secret,
    #[serde(rename = "url")]
    url: Uri,
    #[serde(
        rename = "entity",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "ldic_catalog::serde_support::present"
    )]
    entity: Option<ldic_catalog::dynatrace_v2::Entity>,
    #[serde(
        rename = "tag",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "ldic_catalog::serde_support::present"
    )]
    tag: Option<String>,
}

fn value(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok()
}

fn read<T: DeserializeOwned>(text: &str) -> bool {
    serde_json::from_str::<T>(text).is_ok()
}

type Read = fn(&str) -> bool;

/// `from_str` into each generated struct, by the address of its `FormList`.
#[derive(Default)]
struct GeneratedReaders(HashMap<usize, Read>);

impl ConfigTypeVisitor for GeneratedReaders {
    fn visit<T: IntegrationConfig>(&mut self) {
        let key = std::ptr::from_ref(T::form_list()) as usize;
        self.0.insert(key, read::<T> as Read);
    }
}

/// The valid document of every integration with a `configValues` list, with the reader of its
/// generated struct; an error if a struct rejects its valid document.
fn forms() -> anyhow::Result<Vec<(String, Read)>> {
    let mut readers = GeneratedReaders::default();
    ldic_catalog::visit_config_types(&mut readers);
    let mut out = Vec::new();
    for sample in samples() {
        let Some(list) = sample.list else { continue };
        let key = std::ptr::from_ref(list) as usize;
        let read =
            readers.0.get(&key).copied().ok_or_else(|| {
                anyhow::anyhow!("{}: no generated struct", sample.integration.key)
            })?;
        anyhow::ensure!(
            read(&sample.valid),
            "{}: the generated struct rejects the valid document",
            sample.integration.key
        );
        out.push((sample.valid, read));
    }
    Ok(out)
}

/// The valid document of `T`'s integration, after checking that it holds every field of the
/// list and that `T` and the copy `C` read it to the same JSON.
fn document<T: IntegrationConfig, C: Serialize + DeserializeOwned>() -> anyhow::Result<String> {
    let key = T::INTEGRATION_KEY;
    let text = samples()
        .into_iter()
        .find(|s| s.integration.key == key)
        .map(|s| s.valid)
        .ok_or_else(|| anyhow::anyhow!("{key}: no sample document"))?;
    let doc: Value = serde_json::from_str(&text)?;
    for field in T::form_list().fields.iter() {
        anyhow::ensure!(
            doc.get(field.key.as_ref()).is_some(),
            "{key}: the sample document lacks {}, the copy would not be exercised",
            field.key
        );
    }
    let generated = serde_json::to_value(serde_json::from_str::<T>(&text)?)?;
    let copy = serde_json::to_value(serde_json::from_str::<C>(&text)?)?;
    anyhow::ensure!(
        generated == doc && copy == doc,
        "{key}: the generated struct and the hand-written copy read the document differently"
    );
    Ok(text)
}

/// `text` with two members no version of the catalog knows, added at the end of the object.
fn with_unknown_members(text: &str) -> anyhow::Result<String> {
    let mut doc: Value = serde_json::from_str(text)?;
    let map = doc
        .as_object_mut()
        .ok_or_else(|| anyhow::anyhow!("the document is not an object"))?;
    map.insert("newOptionalField".to_owned(), Value::from("added upstream"));
    map.insert(
        "newNestedField".to_owned(),
        serde_json::json!({"enabled": true, "tags": ["a", "b"]}),
    );
    Ok(serde_json::to_string_pretty(&doc)?)
}

fn configured() -> Criterion {
    ldic_benches::configured(30, 3)
}

/// Group `typed-forms`: every integration's valid document, `value` against `generated`.
fn bench_forms(c: &mut Criterion, forms: &[(String, Read)]) {
    let mut g = c.benchmark_group("typed-forms");
    g.bench_function("value", |b| {
        b.iter(|| {
            for (text, _) in forms {
                black_box(value(black_box(text)));
            }
        });
    });
    g.bench_function("generated", |b| {
        b.iter(|| {
            for (text, read) in forms {
                black_box(read(black_box(text)));
            }
        });
    });
    g.finish();
}

/// One document, the three ways: group `group`.
fn bench_one<T: DeserializeOwned, C: DeserializeOwned>(c: &mut Criterion, group: &str, text: &str) {
    let mut g = c.benchmark_group(group);
    g.bench_function("value", |b| b.iter(|| value(black_box(text))));
    g.bench_function("generated", |b| b.iter(|| read::<T>(black_box(text))));
    g.bench_function("without flatten (hand-written copy)", |b| {
        b.iter(|| read::<C>(black_box(text)));
    });
    g.finish();
}

/// The three ratios of a group read the three ways.
fn summarize_one(s: &mut Summary, group: &str, what: &str) {
    s.ratio(
        &format!("{what}, generated struct (flatten) vs Value"),
        (group, "generated"),
        (group, "value"),
        None,
    );
    s.ratio(
        &format!("{what}, hand-written copy without flatten vs Value"),
        (group, "without flatten (hand-written copy)"),
        (group, "value"),
        None,
    );
    s.ratio(
        &format!("{what}, generated (flatten) vs copy without flatten: the cost of flatten"),
        (group, "generated"),
        (group, "without flatten (hand-written copy)"),
        None,
    );
}

fn main() -> anyhow::Result<()> {
    if !is_measuring() {
        println!("typed: nothing to do outside `cargo bench`");
        return Ok(());
    }
    use ldic_catalog::datadog::DatadogConfig;
    use ldic_catalog::dynatrace_v2::DynatraceV2Config;
    let forms = forms()?;
    let datadog = document::<DatadogConfig, BaselineDatadogConfigWithoutFlatten>()?;
    let dynatrace = document::<DynatraceV2Config, BaselineDynatraceV2ConfigWithoutFlatten>()?;
    let unknown = with_unknown_members(&datadog)?;
    let kept = serde_json::from_str::<DatadogConfig>(&unknown)?;
    anyhow::ensure!(
        kept.unknown_fields.len() == 2,
        "the generated struct does not keep the two unknown members"
    );

    let mut c = configured();
    bench_forms(&mut c, &forms);
    bench_one::<DatadogConfig, BaselineDatadogConfigWithoutFlatten>(
        &mut c,
        "typed-datadog",
        &datadog,
    );
    bench_one::<DynatraceV2Config, BaselineDynatraceV2ConfigWithoutFlatten>(
        &mut c,
        "typed-dynatrace-v2",
        &dynatrace,
    );
    bench_one::<DatadogConfig, BaselineDatadogConfigWithoutFlatten>(
        &mut c,
        "typed-unknown-members",
        &unknown,
    );
    c.final_summary();

    let mut s = Summary::new("typed");
    s.line(format!(
        "typed-forms: the valid documents of the {} integrations with a configValues list, all at once",
        forms.len()
    ));
    s.ratio(
        "all forms, generated structs (flatten) vs Value",
        ("typed-forms", "generated"),
        ("typed-forms", "value"),
        None,
    );
    s.line(format!(
        "typed-datadog: {} bytes, 3 fields; typed-dynatrace-v2: {} bytes, 4 fields",
        datadog.len(),
        dynatrace.len()
    ));
    summarize_one(&mut s, "typed-datadog", "datadog");
    summarize_one(&mut s, "typed-dynatrace-v2", "dynatrace-v2");
    s.line(format!(
        "typed-unknown-members: the datadog document plus 2 unknown members ({} bytes); generated keeps them, the copy skips them",
        unknown.len()
    ));
    summarize_one(&mut s, "typed-unknown-members", "datadog + 2 unknown");
    if let Some(d) = median("typed-datadog", "generated") {
        s.line(format!(
            "datadog, generated struct: {} per document",
            fmt_duration(d)
        ));
    }
    s.finish();
    Ok(())
}
