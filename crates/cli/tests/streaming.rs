//! `ldic lint` a configuration at a time (issue 16): a file of many configurations is linted in
//! memory bounded by its size, and gives the findings its configurations give one by one.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_cli::lint::{self, FindingSink, Format, StreamOptions};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

/// Address space a debug `ldic lint` of a one-configuration file needs is about 25 MB; the
/// constant of the bound, with room to spare.
const CONSTANT_MB: u64 = 40;

/// One Datadog configuration whose `hostURL` is not an allowed value: one error each.
fn wrong_host_json(i: usize) -> String {
    format!(
        "{{\"integrationKey\": \"datadog\", \"name\": \"n{i}\", \"configValues\": {{\"apiKey\": \"${{env:DD_API_KEY}}\", \"hostURL\": \"https://nope\"}}}}"
    )
}

fn wrong_host_yaml(i: usize) -> String {
    format!(
        "---\nintegrationKey: datadog\nname: n{i}\nconfigValues:\n  apiKey: ${{env:DD_API_KEY}}\n  hostURL: https://nope\n"
    )
}

/// `ldic lint --format json FILE` under an address-space limit of `mb` megabytes.
#[cfg(unix)]
fn lint_limited(path: &Path, mb: u64) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mb * 1024))
        .arg(assert_cmd::cargo::cargo_bin!("ldic"))
        .args(["lint", "--quiet", "--format", "json"])
        .arg(path)
        .env("NO_COLOR", "1")
        .env_remove("LDIC_CATALOG_DIR")
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_file_whose_every_configuration_has_an_error_is_linted_within_three_times_its_size() {
    // 20,000 configurations, about 2.5 MB (JSON) and 2.1 MB (YAML). Before streaming, linting
    // the JSON one needed about 150 MB of address space (span maps and findings of the whole
    // file); now it needs about 30 MB.
    const N: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("every-one-wrong.json");
    let items: Vec<String> = (0..N).map(wrong_host_json).collect();
    std::fs::write(&json, format!("[\n{}\n]\n", items.join(",\n"))).unwrap();
    let yaml = dir.path().join("every-one-wrong.yaml");
    std::fs::write(&yaml, (0..N).map(wrong_host_yaml).collect::<String>()).unwrap();
    for (path, format) in [(&json, Format::Json), (&yaml, Format::Yaml)] {
        let size_mb = std::fs::metadata(path).unwrap().len().div_ceil(1 << 20);
        let limit = CONSTANT_MB + 3 * size_mb;
        let out = lint_limited(path, limit);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format:?} under {limit} MB: {stderr}"
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["summary"]["configurations"], N);
        assert_eq!(doc["summary"]["errors"], N);
        let findings = doc["findings"].as_array().unwrap();
        assert_eq!(findings.len(), N);
        for (i, f) in findings.iter().enumerate() {
            assert_eq!(f["code"], "not-allowed", "{f}");
            let (document, pointer) = match format {
                Format::Json => (0, format!("/{i}/configValues/hostURL")),
                Format::Yaml => (i, "/configValues/hostURL".to_owned()),
            };
            assert_eq!(
                (f["document"].as_u64(), f["pointer"].as_str()),
                (Some(document as u64), Some(pointer.as_str()))
            );
        }
    }
}

/// Every finding handed over, with the masked text each was handed with.
#[derive(Default)]
struct Gather {
    findings: Vec<(lint::Finding, String)>,
}

impl FindingSink for Gather {
    fn findings(&mut self, masked: &str, findings: Vec<lint::Finding>) {
        for f in findings {
            let line = f
                .location
                .as_ref()
                .map(|l| line_of(masked, l.span.start).to_owned())
                .unwrap_or_default();
            self.findings.push((f, line));
        }
    }

    fn discard(&mut self) {
        self.findings.clear();
    }
}

fn line_of(text: &str, offset: usize) -> &str {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[start..].lines().next().unwrap_or("")
}

/// What a finding says, without where the file puts it: (code, severity, message without its
/// "(first at line N)", suggestion, fix, the masked text of its line, its column).
fn gist(
    f: &lint::Finding,
    line: &str,
) -> (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    usize,
) {
    let message = match f.message.find(" (first at line ") {
        Some(i) => f.message[..i].to_owned(),
        None => f.message.clone(),
    };
    (
        f.code.to_string(),
        format!("{:?}", f.severity),
        message,
        f.suggestion.clone(),
        format!("{:?}", f.fix),
        line.trim_start_matches(['[', ' ', ',']).to_owned(),
        f.location.as_ref().map_or(0, |l| l.column),
    )
}

fn streamed(text: &str, format: Format) -> Vec<(lint::Finding, String)> {
    let mut sink = Gather::default();
    let options = StreamOptions {
        policy: &Default::default(),
        edits: true,
        masked_lines: true,
        keep_configs: false,
    };
    lint::lint_streamed(text, format, &options, &mut sink);
    sink.findings
}

/// Configurations with a mix of mistakes (each on its own lines, secrets among them).
fn configuration() -> impl Strategy<Value = Value> {
    let host = prop_oneof![
        Just(Value::from("https://api.datadoghq.eu")),
        Just(Value::from("https://nope")),
        Just(Value::from(3)),
    ];
    let key = prop_oneof![
        Just(Value::from("${env:DD_API_KEY}")),
        Just(Value::from("literal-s3cr3t")),
    ];
    let integration = prop_oneof![Just("datadog"), Just("no-such-integration"), Just("")];
    (integration, host, key, any::<bool>(), any::<bool>()).prop_map(
        |(integration, host, key, enabled_text, unknown)| {
            let mut config = serde_json::json!({
                "name": "n",
                "configValues": {"apiKey": key, "hostURL": host},
            });
            if !integration.is_empty() {
                config["integrationKey"] = Value::from(integration);
            }
            if enabled_text {
                config["enabled"] = Value::from("true");
            }
            if unknown {
                config["configValues"]["hostUrl"] = Value::from("x");
            }
            config
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A JSON array or a multi-document YAML of N configurations gives, configuration by
    /// configuration, the findings (codes, messages, fixes, masked snippet lines, columns) of N
    /// files of one each, at the pointer (JSON) or document (YAML) of each.
    #[test]
    fn a_file_of_n_configurations_finds_what_n_files_of_one_find(
        configs in prop::collection::vec(configuration(), 1..6),
    ) {
        let pretty: Vec<String> = configs
            .iter()
            .map(|c| serde_json::to_string_pretty(c).unwrap())
            .collect();
        let yaml_of = |c: &Value| {
            let mut out = String::new();
            for (k, v) in c.as_object().unwrap() {
                match v {
                    Value::Object(m) => {
                        out.push_str(&format!("{k}:\n"));
                        for (k2, v2) in m {
                            out.push_str(&format!("  {k2}: {v2}\n"));
                        }
                    }
                    v => out.push_str(&format!("{k}: {v}\n")),
                }
            }
            out
        };
        for format in [Format::Json, Format::Yaml] {
            let (whole, singles): (String, Vec<String>) = match format {
                Format::Json => (format!("[\n{}\n]\n", pretty.join(",\n")), pretty.clone()),
                Format::Yaml => {
                    let docs: Vec<String> = configs.iter().map(yaml_of).collect();
                    let whole = docs.iter().map(|d| format!("---\n{d}")).collect();
                    (whole, docs)
                }
            };
            let mut expected = Vec::new();
            for (i, single) in singles.iter().enumerate() {
                for (f, line) in streamed(single, format) {
                    let (document, pointer) = match format {
                        Format::Json => (0, format!("/{i}{}", f.pointer)),
                        Format::Yaml => (i, f.pointer.clone()),
                    };
                    expected.push((document, pointer, gist(&f, &line)));
                }
            }
            let got: Vec<_> = streamed(&whole, format)
                .iter()
                .map(|(f, line)| (f.document, f.pointer.clone(), gist(f, line)))
                .collect();
            prop_assert_eq!(&got, &expected, "{:?}:\n{}", format, whole);
            // The same file held whole (`create`, `plan`, the language server) finds the same.
            let held: Vec<_> = lint::lint_text("f".into(), Path::new(match format {
                Format::Json => "f.json",
                Format::Yaml => "f.yaml",
            }), whole.clone())
                .findings
                .iter()
                .map(|f| (f.document, f.pointer.clone(), f.code.as_str()))
                .collect();
            let got_codes: Vec<_> = got.iter().map(|(d, p, g)| (*d, p.clone(), g.0.as_str())).collect();
            let held_codes: Vec<_> = held.iter().map(|(d, p, c)| (*d, p.clone(), *c)).collect();
            prop_assert_eq!(got_codes, held_codes);
        }
    }
}
