//! What ldic's benchmarks share: sample documents for every integration, the lint corpus, where
//! the binaries and criterion's results are, and the ratio summary each bench prints.
//!
//! Documents are built from the catalog's field metadata (never copied from upstream), so every
//! integration gets one valid `configValues` document (no diagnostics at all) and one invalid
//! document holding several mistakes at once (unknown field, wrong type, value outside an enum,
//! bad URI, missing required field: whichever the integration's fields allow).

#![forbid(unsafe_code)]

use ldic_catalog::{FieldMeta, FieldType, FormList, Integration};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub mod corpus;
pub mod summary;

/// One integration's sample documents, as pretty-printed JSON text of `configValues`.
#[derive(Debug, Clone)]
pub struct Sample {
    pub integration: &'static Integration,
    /// The list `configValues` is checked against (`None`: the integration has no form variables).
    pub list: Option<&'static FormList>,
    /// A document ldic reports nothing about.
    pub valid: String,
    /// A document with several mistakes.
    pub invalid: String,
}

/// How secret string fields are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrets {
    /// A literal value (what an application passes to the validator).
    Literal,
    /// An `${env:NAME}` reference (what a configuration file in git holds).
    EnvReference,
}

/// A value of the field's type that the schema accepts, or `None` to leave the field out.
fn sample_value(integration_key: &str, field: &FieldMeta, secrets: Secrets) -> Option<Value> {
    let first_allowed = || field.allowed().next().map(str::to_owned);
    Some(match field.ty {
        FieldType::String if field.is_secret && secrets == Secrets::EnvReference => Value::String(
            format!("${{env:{}}}", env_name(integration_key, &field.key)),
        ),
        FieldType::String => Value::String(format!("sample-{}", field.key)),
        FieldType::Uri => Value::String(format!(
            "https://example.com/{}/{}",
            integration_key.replace('.', "-"),
            field.key
        )),
        FieldType::Boolean => Value::Bool(field.default_json.as_deref() == Some("true")),
        FieldType::Enum => Value::String(
            field
                .default_value()
                .and_then(|v| v.as_str().map(str::to_owned))
                .or_else(first_allowed)
                .unwrap_or_else(|| "value".to_owned()),
        ),
        FieldType::DynamicEnum => Value::String("option-1".to_owned()),
        FieldType::Multiselect => Value::Array(
            field
                .allowed()
                .take(2)
                .map(|v| Value::String(v.to_owned()))
                .collect(),
        ),
        FieldType::EnvironmentSelector => json!({}),
        FieldType::Generated | FieldType::Oauth | FieldType::PublicKey => return None,
        FieldType::Unknown(_) if field.required => Value::String("value".to_owned()),
        FieldType::Unknown(_) => return None,
    })
}

fn env_name(integration_key: &str, field_key: &str) -> String {
    format!("{integration_key}_{field_key}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The field key a diagnostic pointer names (`/hostURL/0` -> `hostURL`).
fn field_of(pointer: &str) -> Option<String> {
    pointer
        .split('/')
        .nth(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// A `configValues` object of `list` with every field the validator accepts filled in.
///
/// Fields that draw a diagnostic (e.g. hidden by a `dependsOn` rule) are dropped, a few rounds;
/// the result is checked by the caller.
pub fn valid_config_values(list: &'static FormList, secrets: Secrets) -> Map<String, Value> {
    let mut map = Map::new();
    for field in list.fields.iter() {
        if let Some(v) = sample_value(&list.integration_key, field, secrets) {
            map.insert(field.key.to_string(), v);
        }
    }
    for _ in 0..4 {
        let report = ldic_validate::validate_list(list, &Value::Object(map.clone()));
        if report.diagnostics.is_empty() {
            break;
        }
        for d in &report.diagnostics {
            if let Some(key) = field_of(&d.pointer) {
                map.remove(&key);
            } else if d.code == ldic_validate::Code::MissingRequired {
                // A field required only once another field holds some value: give it one.
                for field in list.fields.iter() {
                    if d.message.contains(&format!("\"{}\"", field.key))
                        && !map.contains_key(field.key.as_ref())
                    {
                        let v = sample_value(&list.integration_key, field, secrets)
                            .unwrap_or_else(|| Value::String("value".to_owned()));
                        map.insert(field.key.to_string(), v);
                    }
                }
            }
        }
    }
    map
}

/// `valid` with several mistakes: a misspelt field, a wrong type, a value outside an enum, a bad
/// URI and a missing required field, whichever the list's fields allow (at least the misspelt
/// field, so the document is never valid).
pub fn invalid_config_values(
    list: &'static FormList,
    valid: &Map<String, Value>,
) -> Map<String, Value> {
    let mut map = valid.clone();
    let mut touched: Vec<&str> = Vec::new();
    let present = |f: &&FieldMeta| valid.contains_key(f.key.as_ref());
    // Wrong type: a boolean given as text, else a string given as a number.
    if let Some(f) = list
        .fields
        .iter()
        .filter(present)
        .find(|f| f.ty == FieldType::Boolean)
        .or_else(|| {
            list.fields
                .iter()
                .filter(present)
                .find(|f| f.ty == FieldType::String && !f.is_secret)
        })
    {
        let wrong = if f.ty == FieldType::Boolean {
            Value::String("yes".to_owned())
        } else {
            json!(42)
        };
        map.insert(f.key.to_string(), wrong);
        touched.push(f.key.as_ref());
    }
    if let Some(f) = list
        .fields
        .iter()
        .filter(present)
        .find(|f| f.ty == FieldType::Enum && !touched.contains(&f.key.as_ref()))
    {
        map.insert(
            f.key.to_string(),
            Value::String("not-an-allowed-value".to_owned()),
        );
        touched.push(f.key.as_ref());
    }
    if let Some(f) = list
        .fields
        .iter()
        .filter(present)
        .find(|f| f.ty == FieldType::Uri && !touched.contains(&f.key.as_ref()))
    {
        map.insert(f.key.to_string(), Value::String("not a uri".to_owned()));
        touched.push(f.key.as_ref());
    }
    if let Some(f) = list
        .fields
        .iter()
        .filter(present)
        .find(|f| f.required && !touched.contains(&f.key.as_ref()))
    {
        map.remove(f.key.as_ref());
        touched.push(f.key.as_ref());
    }
    // A misspelt field: the first key with its last letter doubled.
    let typo = list
        .fields
        .first()
        .map(|f| {
            let mut k = f.key.to_string();
            if let Some(c) = k.chars().last() {
                k.push(c);
            }
            k
        })
        .unwrap_or_else(|| "unexpectedField".to_owned());
    map.insert(typo, Value::String("value".to_owned()));
    map
}

/// One sample per integration of the catalog, in key order.
pub fn samples() -> Vec<Sample> {
    ldic_catalog::all()
        .map(|integration| {
            let list = integration.config_values_list();
            let (valid, invalid) = match list {
                Some(list) => {
                    let valid = valid_config_values(list, Secrets::Literal);
                    let invalid = invalid_config_values(list, &valid);
                    (Value::Object(valid), Value::Object(invalid))
                }
                None => (json!({}), json!({"unexpectedField": "value"})),
            };
            Sample {
                integration,
                list,
                valid: pretty(&valid),
                invalid: pretty(&invalid),
            }
        })
        .collect()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The workspace root (this crate lives in `<root>/benches`).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// Where criterion writes its results (set explicitly by every bench so the summary finds them).
pub fn criterion_dir() -> PathBuf {
    target_dir().join("criterion")
}

/// The criterion set-up every bench shares: results under [`criterion_dir`], `samples` samples
/// measured for `seconds` each benchmark after half a second of warm-up, then the command line's
/// options (a filter, `--list`, ...).
pub fn configured(samples: usize, seconds: u64) -> criterion::Criterion {
    criterion::Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(samples)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(seconds))
        .configure_from_args()
}

/// Scratch space of the benches (corpus, git repositories), under the target directory.
pub fn scratch_dir() -> PathBuf {
    target_dir().join("ldic-bench")
}

/// Whether this bench binary was started by `cargo bench` to measure: cargo passes `--bench`.
/// Run any other way (`cargo test --benches`, which runs it without arguments, or with `--list`
/// or `--profile-time`), it skips its heavy setup (corpus, git repository, binaries) and
/// measures nothing.
pub fn is_measuring() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter().any(|a| a == "--bench")
        && !args
            .iter()
            .any(|a| a == "--test" || a == "--list" || a == "--profile-time")
}

/// Build the release binaries of `packages` (bench profile, so the bench's own dependencies are
/// reused) and return `<target>/release`. Cargo's `CARGO` is used when cargo started us.
pub fn build_binaries(packages: &[&str]) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(workspace_root())
        .args(["build", "--profile", "bench", "--quiet"]);
    for p in packages {
        cmd.args(["-p", p]);
    }
    let status = cmd.status()?;
    anyhow::ensure!(
        status.success(),
        "cargo build {packages:?} failed ({status})"
    );
    Ok(target_dir().join("release"))
}

/// The median of a few timed batches of `f`, per call. For quick scans over many inputs where
/// one criterion benchmark each would take too long; criterion measures the headline figures.
pub fn quick_median(mut f: impl FnMut(), batches: usize, batch_time: Duration) -> Duration {
    // Calibrate: how many calls fill one batch.
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        let e = t.elapsed();
        if e >= batch_time / 4 || n >= 1 << 20 {
            let per = e.as_secs_f64() / f64::from(n);
            n = ((batch_time.as_secs_f64() / per.max(1e-9)) as u32).clamp(1, 1 << 22);
            break;
        }
        n *= 2;
    }
    let mut times: Vec<f64> = (0..batches.max(1))
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() / f64::from(n)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Duration::from_secs_f64(times[times.len() / 2])
}

/// `uptime`'s load averages, for the record next to the figures.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_valid_sample_is_clean_and_every_invalid_one_is_not() {
        let mut unclean = Vec::new();
        for s in samples() {
            let valid: Value = serde_json::from_str(&s.valid).expect("valid JSON");
            let invalid: Value = serde_json::from_str(&s.invalid).expect("valid JSON");
            let key: &str = &s.integration.key;
            let r = ldic_validate::validate_config_values(key, &valid);
            if !r.diagnostics.is_empty() {
                unclean.push(format!("{key}: {:?}", r.diagnostics));
            }
            let r = ldic_validate::validate_config_values(key, &invalid);
            assert!(!r.is_ok(), "{key}: the invalid sample validates");
        }
        assert!(unclean.is_empty(), "{unclean:#?}");
    }
}
