//! Runs one validation path over the bench's sample documents in a loop, for a profiler:
//!
//! ```sh
//! cargo build --profile bench -p ldic-benches --bin ldic-validate-loop
//! perf record -g target/release/ldic-validate-loop invalid text 20000
//! perf report --no-children
//! ```
//!
//! Arguments: the documents (`valid`, `invalid`, `valid-forms`, `invalid-forms`, `valid-empty`,
//! `invalid-empty`, or `invalid:<integration key>`), the path (`parse`: `from_str::<Value>` alone;
//! `value`: parse, then `validate_config_values`; `text`: `validate_config_values_str`; `kept`: the
//! same through a `Validator` kept per integration; `floor`: parse, then a clone of the document's
//! report computed beforehand, what owning the diagnostics alone costs; `floor-compact`: the same
//! with the report's text in one buffer, what a report owning no text per diagnostic would cost;
//! `lookup`: `Validator::for_key` alone, what a call by integration key pays before checking;
//! `dump`: print each document and its report, to see what a path is measured on), and how many
//! rounds over the documents.
//! Under `valgrind --tool=callgrind` the difference between two round counts gives the
//! instructions per document of a path, a measure the load of a shared machine does not move.

use anyhow::Context;
use ldic_benches::samples;
use ldic_validate::Validator;
use serde_json::Value;
use std::hint::black_box;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [which, path, rounds] = args.as_slice() else {
        anyhow::bail!("usage: ldic-validate-loop DOCUMENTS PATH ROUNDS (see the source)");
    };
    let rounds: u32 = rounds.parse().context("ROUNDS")?;
    let (class, filter) = which.split_once(':').unwrap_or((which, ""));
    let docs: Vec<Doc> = samples()
        .into_iter()
        .filter(|s| match class {
            _ if !filter.is_empty() => s.integration.key == filter,
            "valid-forms" | "invalid-forms" => s.list.is_some(),
            "valid-empty" | "invalid-empty" => s.list.is_none(),
            _ => true,
        })
        .map(|s| {
            let text = if class.starts_with("valid") {
                s.valid
            } else {
                s.invalid
            };
            let validator = Validator::for_integration(s.integration);
            let report = serde_json::from_str(&text)
                .map(|v| validator.validate_config_values(&v))
                .unwrap_or_default();
            let compact = CompactReport::of(&report);
            Doc {
                validator,
                text,
                report,
                compact,
            }
        })
        .collect();
    anyhow::ensure!(!docs.is_empty(), "no documents match {which}");
    let start = Instant::now();
    let mut diagnostics = 0usize;
    for _ in 0..rounds {
        for Doc {
            validator,
            text,
            report,
            compact,
        } in &docs
        {
            let text = black_box(text.as_str());
            diagnostics += match path.as_str() {
                "parse" => usize::from(serde_json::from_str::<Value>(text).is_ok()),
                "value" => {
                    let key = validator.integration().key.as_ref();
                    let v: Value = serde_json::from_str(text)?;
                    ldic_validate::validate_config_values(key, &v)
                        .diagnostics
                        .len()
                }
                "text" => {
                    let key = validator.integration().key.as_ref();
                    ldic_validate::validate_config_values_str(key, text)?
                        .diagnostics
                        .len()
                }
                "kept" => validator
                    .validate_config_values_str(text)?
                    .diagnostics
                    .len(),
                "lookup" => {
                    let key = validator.integration().key.as_ref();
                    usize::from(Validator::for_key(black_box(key)).is_ok())
                }
                "floor" => {
                    let v: Value = serde_json::from_str(text)?;
                    black_box(&v);
                    black_box(report.clone()).diagnostics.len()
                }
                "floor-compact" => {
                    let v: Value = serde_json::from_str(text)?;
                    black_box(&v);
                    black_box(compact.clone()).diagnostics.len()
                }
                "dump" => {
                    println!("{}\n{}", text, serde_json::to_string_pretty(report)?);
                    0
                }
                other => anyhow::bail!("unknown path {other}"),
            };
        }
    }
    let per_doc = start.elapsed() / (rounds * docs.len() as u32);
    println!(
        "{} documents x {rounds} rounds, {path}: {per_doc:?} per document ({diagnostics} diagnostics)",
        docs.len()
    );
    Ok(())
}

/// One sample document with what the paths read: its integration's validator, its text, and its
/// report (computed once) in both shapes the floors clone.
struct Doc {
    validator: Validator<'static>,
    text: String,
    report: ldic_validate::Report,
    compact: CompactReport,
}

/// A report whose diagnostics own no text: every pointer, message, suggestion and fix value is
/// a span of one buffer, so a report is two allocations whatever its number of diagnostics. Not
/// a type of ldic: what the `floor-compact` path clones, the least a report could cost to own.
#[derive(Clone, Default)]
#[allow(dead_code)] // cloned, never read: the path measures owning it
struct CompactReport {
    diagnostics: Vec<CompactDiagnostic>,
    text: String,
}

#[derive(Clone)]
#[allow(dead_code)] // cloned, never read: the path measures owning it
struct CompactDiagnostic {
    severity: ldic_validate::Severity,
    code: ldic_validate::Code,
    on_key: bool,
    pointer: std::ops::Range<u32>,
    message: std::ops::Range<u32>,
    suggestion: Option<std::ops::Range<u32>>,
    fix: Option<std::ops::Range<u32>>,
}

impl CompactReport {
    fn of(report: &ldic_validate::Report) -> CompactReport {
        let mut text = String::new();
        let mut span = |s: &str| {
            let start = text.len() as u32;
            text.push_str(s);
            start..text.len() as u32
        };
        let diagnostics = report
            .diagnostics
            .iter()
            .map(|d| CompactDiagnostic {
                severity: d.severity,
                code: d.code,
                on_key: d.on_key,
                pointer: span(&d.pointer),
                message: span(&d.message),
                suggestion: d.suggestion.as_deref().map(&mut span),
                fix: d.fix.as_ref().map(|f| span(&format!("{:?}", f.edit))),
            })
            .collect();
        CompactReport { diagnostics, text }
    }
}
