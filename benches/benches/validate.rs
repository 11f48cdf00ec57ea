//! Validation from text against the cost of parsing the text.
//!
//! For a valid and an invalid `configValues` document of every integration (see
//! `ldic_benches::samples`), four ways to go from text to an answer:
//!
//! - `parse`: `serde_json::from_str::<Value>` alone, the baseline;
//! - `ldic`: parse, then `ldic_validate::validate_config_values` (every diagnostic);
//! - `jsonschema`: parse, then plain `jsonschema` `iter_errors` on the generated schema file
//!   (`crates/catalog/schemas/*.json`): what a user could do without ldic;
//! - `ldic from text (one pass)`: `ldic_validate::validate_config_values_str` on the text,
//!   the same report; most documents, valid or not, are decided in one borrowing pass without
//!   a `Value` of the document, anything that pass cannot decide falls back to parse + validate;
//! - `ldic from text, validator kept`: the same through a `Validator` the caller keeps (no key
//!   lookup per call), what a tool checking many documents of one integration does;
//! - `report clone (floor)` (invalid documents only): parse, then a clone of the document's
//!   report, computed beforehand: what returning the diagnostics alone costs (fixed, inline and
//!   shared texts are not copied; text naming the document and fix values are), with no
//!   checking at all;
//! - `key lookup alone (floor)` (the `{}` documents): `Validator::for_key`, what every call
//!   taking an integration key pays before checking anything;
//! - `typed` (valid documents only): `serde_json::from_str` into the generated struct, the cost
//!   a typed fast path would start from.
//!
//! Criterion measures each over all integrations at once (one class per group; then the 49
//! integrations with a `configValues` list, and the 80 without, whose document is `{}`); a quick scan
//! then times every integration alone to find the worst ratios, and criterion measures the
//! worst of each class. The summary prints every ratio with its target.

use criterion::Criterion;
use ldic_benches::summary::{Summary, fmt_duration};
use ldic_benches::{Sample, is_measuring, quick_median, samples, workspace_root};
use ldic_catalog::{ConfigTypeVisitor, IntegrationConfig};
use serde_json::Value;
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

type TypedParse = fn(&str) -> bool;

/// `from_str` into each generated struct, by the address of its `FormList`.
#[derive(Default)]
struct TypedParsers(HashMap<usize, TypedParse>);

fn typed_parse<T: IntegrationConfig>(text: &str) -> bool {
    serde_json::from_str::<T>(text).is_ok()
}

impl ConfigTypeVisitor for TypedParsers {
    fn visit<T: IntegrationConfig>(&mut self) {
        let key = std::ptr::from_ref(T::form_list()) as usize;
        self.0.insert(key, typed_parse::<T> as TypedParse);
    }
}

/// One integration's documents with everything the four ways need.
struct Case {
    sample: Sample,
    /// The report of the invalid document, for `report clone (floor)`.
    invalid_report: ldic_validate::Report,
    validator: ldic_validate::Validator<'static>,
    schema: Option<jsonschema::Validator>,
    typed: Option<TypedParse>,
}

fn parse(text: &str) -> Value {
    serde_json::from_str::<Value>(text).unwrap_or(Value::Null)
}

fn ldic(case: &Case, text: &str) -> usize {
    let v = parse(text);
    ldic_validate::validate_config_values(&case.sample.integration.key, &v)
        .diagnostics
        .len()
}

fn ldic_text(case: &Case, text: &str) -> usize {
    ldic_validate::validate_config_values_str(&case.sample.integration.key, text)
        .map_or(usize::MAX, |r| r.diagnostics.len())
}

fn ldic_text_kept(case: &Case, text: &str) -> usize {
    case.validator
        .validate_config_values_str(text)
        .map_or(usize::MAX, |r| r.diagnostics.len())
}

/// Parse, then clone the report of the document (computed beforehand).
fn report_clone(case: &Case, text: &str) -> usize {
    black_box(parse(text));
    black_box(case.invalid_report.clone()).diagnostics.len()
}

fn plain_jsonschema(case: &Case, text: &str) -> usize {
    let v = parse(text);
    match &case.schema {
        Some(s) => s.iter_errors(&v).count(),
        // No form variables: the only rule is "an empty object".
        None => usize::from(v.as_object().is_none_or(|m| !m.is_empty())),
    }
}

fn typed(case: &Case, text: &str) -> bool {
    case.typed.is_some_and(|f| f(text))
}

/// The generated schema files, compiled as a user would, by their text.
fn schema_files() -> anyhow::Result<HashMap<String, jsonschema::Validator>> {
    let dir = workspace_root().join("crates/catalog/schemas");
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let schema: Value = serde_json::from_str(&text)?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        out.insert(text, validator);
    }
    Ok(out)
}

fn cases() -> anyhow::Result<Vec<Case>> {
    let mut schemas = schema_files()?;
    let mut parsers = TypedParsers::default();
    ldic_catalog::visit_config_types(&mut parsers);
    let mut out = Vec::new();
    for sample in samples() {
        let (schema, typed) = match sample.list {
            Some(list) => {
                let schema = schemas.remove(list.schema_json.as_ref()).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: no file in crates/catalog/schemas has the list's schema (stale catalog?)",
                        sample.integration.key
                    )
                })?;
                let key = std::ptr::from_ref(list) as usize;
                (Some(schema), parsers.0.get(&key).copied())
            }
            None => (None, None),
        };
        let validator = ldic_validate::Validator::for_integration(sample.integration);
        let invalid_report = validator.validate_config_values(&parse(&sample.invalid));
        out.push(Case {
            sample,
            invalid_report,
            validator,
            schema,
            typed,
        });
    }
    Ok(out)
}

fn configured() -> Criterion {
    ldic_benches::configured(20, 2)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Valid,
    Invalid,
}

impl Class {
    fn text(self, case: &Case) -> &str {
        match self {
            Class::Valid => &case.sample.valid,
            Class::Invalid => &case.sample.invalid,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Class::Valid => "valid",
            Class::Invalid => "invalid",
        }
    }
}

fn bench_class(c: &mut Criterion, cases: &[&Case], class: Class, suffix: &str) {
    let mut g = c.benchmark_group(format!("validate-{}{suffix}", class.name()));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for case in cases {
                black_box(parse(black_box(class.text(case))));
            }
        });
    });
    g.bench_function("ldic", |b| {
        b.iter(|| {
            for case in cases {
                black_box(ldic(case, black_box(class.text(case))));
            }
        });
    });
    g.bench_function("ldic from text (one pass)", |b| {
        b.iter(|| {
            for case in cases {
                black_box(ldic_text(case, black_box(class.text(case))));
            }
        });
    });
    g.bench_function("ldic from text, validator kept", |b| {
        b.iter(|| {
            for case in cases {
                black_box(ldic_text_kept(case, black_box(class.text(case))));
            }
        });
    });
    if suffix == "-empty" {
        // What any call taking an integration key pays before it checks anything.
        g.bench_function("key lookup alone (floor)", |b| {
            b.iter(|| {
                for case in cases {
                    let key = black_box(case.sample.integration.key.as_ref());
                    black_box(ldic_validate::Validator::for_key(key).is_ok());
                }
            });
        });
        g.finish();
        return;
    }
    g.bench_function("jsonschema", |b| {
        b.iter(|| {
            for case in cases {
                black_box(plain_jsonschema(case, black_box(class.text(case))));
            }
        });
    });
    if class == Class::Invalid {
        g.bench_function("report clone (floor)", |b| {
            b.iter(|| {
                for case in cases {
                    black_box(report_clone(case, black_box(class.text(case))));
                }
            });
        });
    }
    if class == Class::Valid && !suffix.is_empty() {
        g.bench_function("typed", |b| {
            b.iter(|| {
                for case in cases {
                    black_box(typed(case, black_box(class.text(case))));
                }
            });
        });
    }
    g.finish();
}

/// One integration's ratios from a quick scan:
/// (index, ldic/parse, jsonschema/parse, ldic from text/parse).
type ScanRow = (usize, f64, f64, f64);

/// Per-integration ratios of one class from a quick scan.
fn scan(cases: &[Case], class: Class) -> Vec<ScanRow> {
    let quick = |f: &mut dyn FnMut()| quick_median(f, 9, Duration::from_micros(300));
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let text = class.text(case);
            let p = quick(&mut || {
                black_box(parse(black_box(text)));
            });
            let l = quick(&mut || {
                black_box(ldic(case, black_box(text)));
            });
            let j = quick(&mut || {
                black_box(plain_jsonschema(case, black_box(text)));
            });
            let t = quick(&mut || {
                black_box(ldic_text(case, black_box(text)));
            });
            let p = p.as_secs_f64().max(1e-12);
            (
                i,
                l.as_secs_f64() / p,
                j.as_secs_f64() / p,
                t.as_secs_f64() / p,
            )
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(idx).copied().unwrap_or(f64::NAN)
}

/// The documents are what their class says, for ldic and for plain jsonschema, and the text
/// paths agree with the `Value` path: otherwise the figures would compare different work.
fn check_cases(cases: &[Case]) -> anyhow::Result<()> {
    for case in cases {
        let key: &str = &case.sample.integration.key;
        anyhow::ensure!(
            ldic(case, &case.sample.valid) == 0,
            "{key}: valid sample has diagnostics"
        );
        anyhow::ensure!(
            ldic(case, &case.sample.invalid) > 0,
            "{key}: invalid sample is clean"
        );
        anyhow::ensure!(
            plain_jsonschema(case, &case.sample.valid) == 0,
            "{key}: plain jsonschema rejects the valid sample"
        );
        for text in [&case.sample.valid, &case.sample.invalid] {
            anyhow::ensure!(
                ldic_text(case, text) == ldic(case, text)
                    && ldic_text_kept(case, text) == ldic(case, text),
                "{key}: the text path and the Value path disagree"
            );
        }
    }
    Ok(())
}

/// One class's quick per-integration scan, sorted worst first (by ldic/parse), then criterion
/// on the worst integration alone (group `validate-worst-<class>`).
fn bench_worst(c: &mut Criterion, cases: &[Case], class: Class) -> Vec<ScanRow> {
    let mut ratios = scan(cases, class);
    ratios.sort_by(|a, b| b.1.total_cmp(&a.1));
    let worst = &cases[ratios[0].0];
    let text = class.text(worst);
    let mut g = c.benchmark_group(format!("validate-worst-{}", class.name()));
    g.bench_function("parse", |b| {
        b.iter(|| black_box(parse(black_box(text))));
    });
    g.bench_function("ldic", |b| {
        b.iter(|| black_box(ldic(worst, black_box(text))));
    });
    g.bench_function("ldic from text (one pass)", |b| {
        b.iter(|| black_box(ldic_text(worst, black_box(text))));
    });
    g.finish();
    ratios
}

/// The summary of groups `validate-valid` and `validate-invalid` (all integrations).
fn summarize_all(s: &mut Summary) {
    s.ratio(
        "valid, ldic (parse + validate)",
        ("validate-valid", "ldic"),
        ("validate-valid", "parse"),
        Some(0.6),
    );
    s.ratio(
        "valid, ldic from text (validate_config_values_str, one pass)",
        ("validate-valid", "ldic from text (one pass)"),
        ("validate-valid", "parse"),
        Some(0.6),
    );
    s.ratio(
        "valid, ldic from text, validator kept",
        ("validate-valid", "ldic from text, validator kept"),
        ("validate-valid", "parse"),
        Some(0.6),
    );
    s.ratio(
        "valid, plain jsonschema iter_errors (parse + validate)",
        ("validate-valid", "jsonschema"),
        ("validate-valid", "parse"),
        None,
    );
    s.ratio(
        "valid, ldic vs plain jsonschema",
        ("validate-valid", "ldic"),
        ("validate-valid", "jsonschema"),
        None,
    );
    s.ratio(
        "invalid, ldic (parse + all diagnostics)",
        ("validate-invalid", "ldic"),
        ("validate-invalid", "parse"),
        Some(1.5),
    );
    s.ratio(
        "invalid, ldic from text (one pass, every diagnostic)",
        ("validate-invalid", "ldic from text (one pass)"),
        ("validate-invalid", "parse"),
        Some(1.5),
    );
    s.ratio(
        "invalid, ldic from text, validator kept",
        ("validate-invalid", "ldic from text, validator kept"),
        ("validate-invalid", "parse"),
        Some(1.5),
    );
    s.ratio(
        "invalid, owning the report alone (parse + a clone of the report; no check)",
        ("validate-invalid", "report clone (floor)"),
        ("validate-invalid", "parse"),
        None,
    );
    s.ratio(
        "invalid, plain jsonschema iter_errors",
        ("validate-invalid", "jsonschema"),
        ("validate-invalid", "parse"),
        None,
    );
    s.ratio(
        "invalid, ldic vs plain jsonschema",
        ("validate-invalid", "ldic"),
        ("validate-invalid", "jsonschema"),
        None,
    );
}

/// The summary of groups `validate-valid-forms` and `validate-invalid-forms` (the integrations
/// with a `configValues` list), `typed_ok` of them read by their generated struct.
fn summarize_forms(s: &mut Summary, all: usize, forms: usize, typed_ok: usize) {
    s.line(format!(
        "the {forms} integrations with a configValues list ({} have none: their document is {{}}):",
        all - forms
    ));
    for class in [Class::Valid, Class::Invalid] {
        let g = format!("validate-{}-forms", class.name());
        let target = if class == Class::Valid { 0.75 } else { 1.5 };
        s.ratio(
            &format!("  {}, ldic", class.name()),
            (&g, "ldic"),
            (&g, "parse"),
            Some(target),
        );
        s.ratio(
            &format!("  {}, ldic from text", class.name()),
            (&g, "ldic from text (one pass)"),
            (&g, "parse"),
            Some(target),
        );
        s.ratio(
            &format!("  {}, ldic from text, validator kept", class.name()),
            (&g, "ldic from text, validator kept"),
            (&g, "parse"),
            Some(target),
        );
        if class == Class::Invalid {
            s.ratio(
                "  invalid, owning the report alone (parse + clone)",
                (&g, "report clone (floor)"),
                (&g, "parse"),
                None,
            );
        }
        s.ratio(
            &format!("  {}, plain jsonschema", class.name()),
            (&g, "jsonschema"),
            (&g, "parse"),
            None,
        );
    }
    s.ratio(
        &format!(
            "  valid, typed from_str into the generated struct ({typed_ok} of {forms} accepted)"
        ),
        ("validate-valid-forms", "typed"),
        ("validate-valid-forms", "parse"),
        None,
    );
}

/// The summary of group `validate-valid-empty` (the integrations whose document is `{}`).
fn summarize_empty(s: &mut Summary, empty: usize) {
    s.line(format!(
        "the {empty} integrations without form variables (their valid document is {{}}):"
    ));
    for (name, function) in [
        ("  valid, ldic from text", "ldic from text (one pass)"),
        (
            "  valid, ldic from text, validator kept",
            "ldic from text, validator kept",
        ),
    ] {
        s.ratio(
            name,
            ("validate-valid-empty", function),
            ("validate-valid-empty", "parse"),
            Some(0.3),
        );
    }
    s.ratio(
        "  the key lookup alone (Validator::for_key, no check)",
        ("validate-valid-empty", "key lookup alone (floor)"),
        ("validate-valid-empty", "parse"),
        None,
    );
}

/// The summary of one class's per-integration scan and of its `validate-worst-<class>` group.
fn summarize_scan(s: &mut Summary, cases: &[Case], class: Class, ratios: &[ScanRow]) {
    // Per integration: the valid target of all documents; no invalid one above 5x.
    let target = if class == Class::Valid { 0.6 } else { 5.0 };
    let distribution = |s: &mut Summary, path: &str, ratio: fn(&ScanRow) -> f64| {
        let mut sorted: Vec<f64> = ratios.iter().map(ratio).collect();
        sorted.sort_by(f64::total_cmp);
        let over = sorted.iter().filter(|r| **r > target).count();
        s.line(format!(
            "{} documents, per integration (quick scan, {path}/parse): median {:.2}, p90 {:.2}, max {:.2}; {over} of {} over the {target} target",
            class.name(),
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.9),
            percentile(&sorted, 1.0),
            sorted.len(),
        ));
    };
    distribution(s, "ldic from text", |r| r.3);
    distribution(s, "ldic", |r| r.1);
    let worst: Vec<String> = ratios
        .iter()
        .take(5)
        .map(|(i, l, j, t)| {
            format!(
                "{} {l:.2} (from text {t:.2}, jsonschema {j:.2}, {} bytes)",
                cases[*i].sample.integration.key,
                class.text(&cases[*i]).len()
            )
        })
        .collect();
    s.line(format!("  worst 5: {}", worst.join("; ")));
    let group = format!("validate-worst-{}", class.name());
    s.ratio(
        &format!(
            "worst {} ({}), criterion",
            class.name(),
            cases[ratios[0].0].sample.integration.key
        ),
        (&group, "ldic"),
        (&group, "parse"),
        Some(target),
    );
    s.ratio(
        &format!(
            "worst {} ({}), ldic from text, criterion",
            class.name(),
            cases[ratios[0].0].sample.integration.key
        ),
        (&group, "ldic from text (one pass)"),
        (&group, "parse"),
        Some(target),
    );
}

fn main() -> anyhow::Result<()> {
    if !is_measuring() {
        println!("validate: nothing to do outside `cargo bench`");
        return Ok(());
    }
    let cases = cases()?;
    check_cases(&cases)?;
    let typed_ok = cases.iter().filter(|c| typed(c, &c.sample.valid)).count();

    let all: Vec<&Case> = cases.iter().collect();
    let forms: Vec<&Case> = cases.iter().filter(|c| c.sample.list.is_some()).collect();
    let empty: Vec<&Case> = cases.iter().filter(|c| c.sample.list.is_none()).collect();
    let mut c = configured();
    bench_class(&mut c, &all, Class::Valid, "");
    bench_class(&mut c, &all, Class::Invalid, "");
    bench_class(&mut c, &forms, Class::Valid, "-forms");
    bench_class(&mut c, &forms, Class::Invalid, "-forms");
    bench_class(&mut c, &empty, Class::Valid, "-empty");

    // Quick per-integration scan, then criterion on the worst of each class.
    let scans: Vec<(Class, Vec<ScanRow>)> = [Class::Valid, Class::Invalid]
        .into_iter()
        .map(|class| (class, bench_worst(&mut c, &cases, class)))
        .collect();
    c.final_summary();

    let mut s = Summary::new("validate");
    s.line(format!(
        "{} integrations; each class measured over all of them at once (sum of one call per document)",
        cases.len()
    ));
    summarize_all(&mut s);
    summarize_forms(&mut s, cases.len(), forms.len(), typed_ok);
    summarize_empty(&mut s, empty.len());
    for (class, ratios) in &scans {
        summarize_scan(&mut s, &cases, *class, ratios);
    }
    if let Some(d) = ldic_benches::summary::median("validate-valid", "parse") {
        s.line(format!(
            "parse of all valid documents: {} ({} per document)",
            fmt_duration(d),
            fmt_duration(d / cases.len() as u32)
        ));
    }
    s.finish();
    Ok(())
}
