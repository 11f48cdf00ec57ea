//! End-to-end runs of the built `ldic` binary: every subcommand, output format and exit code.
#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::ldic;
use ldic_test_support::{fixture, workspace_root};
use serde_json::{Value, json};
use std::path::Path;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("run ldic");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn lint_json(args: &[&str]) -> (i32, Value) {
    let r = run(ldic().arg("lint").arg("--format=json").args(args));
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    (r.code, v)
}

fn findings(v: &Value) -> Vec<Value> {
    v["findings"].as_array().cloned().unwrap_or_default()
}

/// The finding with this code and pointer.
fn finding<'a>(all: &'a [Value], code: &str, pointer: &str) -> &'a Value {
    all.iter()
        .find(|f| f["code"] == code && f["pointer"] == pointer)
        .unwrap_or_else(|| panic!("no {code} at {pointer:?} in {all:#?}"))
}

/// 1-based (line, column) of `needle` on the first line of `text` that contains `line_marker`.
fn pos_of(text: &str, line_marker: &str, needle: &str) -> (u64, u64) {
    for (i, line) in text.lines().enumerate() {
        if line.contains(line_marker) {
            let byte = line.find(needle).expect("needle on the marked line");
            return ((i + 1) as u64, (line[..byte].chars().count() + 1) as u64);
        }
    }
    panic!("no line contains {line_marker:?}");
}

fn at(f: &Value) -> (u64, u64) {
    (
        f["line"].as_u64().expect("line"),
        f["column"].as_u64().expect("column"),
    )
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read fixture")
}

// ---------------------------------------------------------------------------------------------
// lint: positions

#[test]
fn nested_json_values_get_their_line_and_column() {
    let path = fixture("cli/nested.json");
    let text = read(&path);
    let (code, v) = lint_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let all = findings(&v);
    let host = finding(&all, "not-allowed", "/1/configValues/hostURL");
    assert_eq!(at(host), pos_of(&text, "datadoghq.co\"", "\"https"));
    let hide = finding(&all, "wrong-type", "/1/configValues/hideMemberDetails");
    assert_eq!(at(hide), pos_of(&text, "\"hideMemberDetails\"", "\"no\""));
    let tag = finding(&all, "wrong-type", "/1/tags/1");
    assert_eq!(at(tag), pos_of(&text, "\"tags\"", "3"));
}

#[test]
fn nested_yaml_values_get_their_line_and_column() {
    let path = fixture("cli/nested.yaml");
    let text = read(&path);
    let (code, v) = lint_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let all = findings(&v);
    let host = finding(&all, "not-allowed", "/1/configValues/hostURL");
    assert_eq!(host["document"], 0);
    assert_eq!(at(host), pos_of(&text, "datadoghq.co", "https"));
    let hide = finding(&all, "wrong-type", "/1/configValues/hideMemberDetails");
    assert_eq!(at(hide), pos_of(&text, "hideMemberDetails", "\"no\""));
    let tag = finding(&all, "wrong-type", "/1/tags/1");
    assert_eq!(at(tag), pos_of(&text, "- 3", "3"));
    // Second YAML document; an unknown field is reported at its key.
    let typo = finding(&all, "unknown-field", "/configValues/datasetNmae");
    assert_eq!(typo["document"], 1);
    assert_eq!(at(typo), pos_of(&text, "datasetNmae", "datasetNmae"));
    assert!(
        typo["suggestion"]
            .as_str()
            .unwrap_or("")
            .contains("datasetName"),
        "{typo}"
    );
}

#[test]
fn missing_required_field_points_at_the_object_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("missing.yaml");
    std::fs::write(
        &file,
        "integrationKey: honeycomb\nname: n\nconfigValues:\n  datasetName: x\n",
    )
    .unwrap();
    let (_, v) = lint_json(&[file.to_str().unwrap()]);
    let all = findings(&v);
    let f = all
        .iter()
        .find(|f| f["code"] == "missing-required")
        .expect("missing-required");
    assert_eq!(at(f), (3, 1));
    assert!(f["message"].as_str().unwrap().contains("apiKey"), "{f}");
}

// ---------------------------------------------------------------------------------------------
// lint: examples, exit codes, flags

#[test]
fn examples_lint_with_the_typical_mistakes_reported() {
    let r = run(ldic().args(["lint", "examples/"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("ldic lint:"), "{}", r.stderr);
    // Every finding is in the mistakes files; the other examples are clean.
    let (_, v) = lint_json(&["examples/"]);
    let all = findings(&v);
    assert!(!all.is_empty());
    for f in &all {
        let file = f["file"].as_str().unwrap();
        assert!(
            file.starts_with("examples/mistakes/"),
            "unexpected finding in {file}: {f}"
        );
    }
    let codes: Vec<&str> = all.iter().filter_map(|f| f["code"].as_str()).collect();
    for expected in [
        "literal-secret",
        "unknown-field",
        "wrong-type",
        "unknown-integration",
        "missing-required",
        "invalid-uri",
        "not-allowed",
        "duplicate-key",
    ] {
        assert!(codes.contains(&expected), "{expected} not in {codes:?}");
    }
    let yaml = read(&workspace_root().join("examples/mistakes/typical-mistakes.yaml"));
    let typo = finding(&all, "unknown-field", "/configValues/hostUrl");
    assert_eq!(at(typo), pos_of(&yaml, "hostUrl", "hostUrl"));
    assert!(typo["suggestion"].as_str().unwrap().contains("hostURL"));
    let unknown = all
        .iter()
        .find(|f| f["code"] == "unknown-integration")
        .unwrap();
    assert!(
        unknown["suggestion"]
            .as_str()
            .unwrap()
            .contains("new-relic-apm"),
        "{unknown}"
    );
}

#[test]
fn valid_examples_exit_zero() {
    let r = run(ldic().args([
        "lint",
        "examples/datadog.yaml",
        "examples/honeycomb.json",
        "examples/observability.yaml",
        "examples/audit-webhooks.json",
        "examples/msteams-environments.yaml",
    ]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("0 errors, 0 warnings"), "{}", r.stderr);
}

#[test]
fn human_output_has_snippet_caret_code_and_suggestion() {
    let r = run(ldic().args(["lint", "examples/mistakes/typical-mistakes.yaml"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("error[unknown-field]"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("examples/mistakes/typical-mistakes.yaml:6:3"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("^^^^^^^"), "{}", r.stdout);
    assert!(
        r.stdout.contains("help: did you mean \"hostURL\"?"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains('\u{1b}'), "no colour off a terminal");
}

#[test]
fn color_always_colours_and_no_color_is_the_default_off_a_terminal() {
    let r = run(ldic().args(["--color=always", "lint", "tests/fixtures/cli/nested.json"]));
    assert!(r.stdout.contains('\u{1b}'), "{}", r.stdout);
    let r = run(ldic()
        .env_remove("NO_COLOR")
        .args(["lint", "tests/fixtures/cli/nested.json"]));
    assert!(!r.stdout.contains('\u{1b}'));
}

#[test]
fn plain_human_output_is_the_coloured_output_without_its_colour() {
    // Off a terminal the snippets are rendered plain, not styled and stripped: the same text.
    let args = [
        "lint",
        "examples/mistakes/typical-mistakes.yaml",
        "tests/fixtures/cli",
    ];
    let plain = run(ldic().args(args));
    let coloured = run(ldic().arg("--color=always").args(args));
    assert!(plain.stdout.contains("error["), "{}", plain.stdout);
    assert!(coloured.stdout.contains('\u{1b}'), "{}", coloured.stdout);
    assert_eq!(
        anstream::adapter::strip_str(&coloured.stdout).to_string(),
        plain.stdout
    );
    assert_eq!(coloured.code, plain.code);
}

#[test]
fn literal_secret_is_a_warning_and_never_printed() {
    let path = "tests/fixtures/cli/literal-secret.yaml";
    let r = run(ldic().args(["lint", path]));
    assert_eq!(r.code, 0, "a warning alone passes: {}", r.stdout);
    assert!(r.stdout.contains("warning[literal-secret]"), "{}", r.stdout);
    assert!(
        r.stdout.contains("${env:HONEYCOMB_API_KEY}"),
        "{}",
        r.stdout
    );
    let r = run(ldic().args(["lint", "--deny-warnings", path]));
    assert_eq!(r.code, 1);
    for format in ["human", "json", "sarif", "github"] {
        let r = run(ldic().args(["lint", "--format", format, path]));
        assert!(
            !r.stdout.contains("canary-literal-4f1e9a")
                && !r.stderr.contains("canary-literal-4f1e9a"),
            "{format} output shows the secret"
        );
    }
}

#[test]
fn quiet_prints_errors_only() {
    let r = run(ldic().args(["lint", "--quiet", "tests/fixtures/cli/literal-secret.yaml"]));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.trim(), "");
    assert_eq!(r.stderr, "");
    let r = run(ldic().args(["lint", "-q", "tests/fixtures/cli/nested.json"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("error["));
    assert!(!r.stdout.contains("warning["));
    assert_eq!(r.stderr, "");
}

#[test]
fn unparseable_file_is_a_diagnostic_and_other_files_are_still_linted() {
    let (code, v) = lint_json(&[
        "tests/fixtures/cli/broken.json",
        "tests/fixtures/cli/nested.json",
    ]);
    assert_eq!(code, 1);
    let all = findings(&v);
    let parse = finding(&all, "parse-error", "");
    assert_eq!(parse["file"], "tests/fixtures/cli/broken.json");
    assert_eq!(at(parse), (4, 3), "at the token after the missing comma");
    assert!(
        all.iter()
            .any(|f| f["file"] == "tests/fixtures/cli/nested.json")
    );
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn missing_path_exits_2_after_linting_the_rest() {
    let r = run(ldic().args(["lint", "no/such/file.yaml", "tests/fixtures/cli/valid.yaml"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("no/such/file.yaml"), "{}", r.stdout);
    assert!(r.stderr.contains("in 0 of 1 file"), "{}", r.stderr);
}

#[test]
fn usage_error_exits_2() {
    let r = run(ldic().args(["lint", "--format", "xml"]));
    assert_eq!(r.code, 2);
    let r = run(ldic().args(["frobnicate"]));
    assert_eq!(r.code, 2);
}

#[test]
fn directories_honour_ignore_files_and_skip_non_configurations() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("configs/generated")).unwrap();
    std::fs::write(
        root.join("configs/ok.yaml"),
        read(&fixture("cli/valid.yaml")),
    )
    .unwrap();
    std::fs::write(
        root.join("configs/generated/bad.json"),
        read(&fixture("cli/broken.json")),
    )
    .unwrap();
    std::fs::write(root.join("configs/package.json"), "{\"name\": \"web\"}").unwrap();
    std::fs::write(root.join("configs/notes.txt"), "integrationKey: nope").unwrap();
    std::fs::write(root.join(".ldicignore"), "generated/\n").unwrap();
    let r = run(ldic().current_dir(root).args(["lint", "."]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("in 0 of 1 file (1 file without integrationKey skipped)"),
        "{}",
        r.stderr
    );
    // Named explicitly, a file is linted even without integrationKey, unless --configs-only.
    let r = run(ldic()
        .current_dir(root)
        .args(["lint", "configs/package.json"]));
    assert_eq!(r.code, 1);
    let r = run(ldic()
        .current_dir(root)
        .args(["lint", "--configs-only", "configs/package.json"]));
    assert_eq!(r.code, 0);
    std::fs::remove_file(root.join(".ldicignore")).unwrap();
    let r = run(ldic().current_dir(root).args(["lint", "."]));
    assert_eq!(r.code, 1);
}

#[test]
fn hostile_yaml_and_json_are_refused_without_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let items = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    bomb.push_str("integrationKey: datadog\n");
    std::fs::write(dir.path().join("bomb.yaml"), bomb).unwrap();
    std::fs::write(
        dir.path().join("deep.json"),
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("deep.yaml"),
        format!(
            "integrationKey: x\nv: {}{}\n",
            "[".repeat(200_000),
            "]".repeat(200_000)
        ),
    )
    .unwrap();
    let (code, v) = lint_json(&[
        dir.path().join("bomb.yaml").to_str().unwrap(),
        dir.path().join("deep.json").to_str().unwrap(),
        dir.path().join("deep.yaml").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.iter().all(|f| f["code"] == "parse-error"));
}

// ---------------------------------------------------------------------------------------------
// lint: formats

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    // The rtm.5 schema's `run.language` pattern has a stray `]` that the crate's meta-schema
    // check rejects as a regex; it is corrected here (as later schema revisions did). ldic
    // emits no `language`, so this does not weaken the check of its output.
    let text = read(&fixture("cli/sarif-2.1.0-rtm.5.json")).replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("SARIF schema compiles");
    let r = run(ldic().args([
        "lint",
        "--format=sarif",
        "examples/",
        "tests/fixtures/cli/broken.json",
    ]));
    assert_eq!(r.code, 1);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for result in results {
        let idx = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], result["ruleId"]);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    // A clean run is valid SARIF too.
    let r = run(ldic().args(["lint", "--format=sarif", "tests/fixtures/cli/valid.yaml"]));
    assert_eq!(r.code, 0);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(validator.is_valid(&sarif));
    assert_eq!(sarif["runs"][0]["results"], json!([]));
}

#[test]
fn github_output_is_workflow_commands() {
    let r = run(ldic().args([
        "lint",
        "--format=github",
        "examples/mistakes/typical-mistakes.yaml",
    ]));
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
    }
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::error file=examples/mistakes/typical-mistakes.yaml,line=6,col=3,endLine=6,endColumn=10,title=ldic unknown-field::"
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn json_output_has_summary_and_findings() {
    let (code, v) = lint_json(&["examples/mistakes/typical-mistakes.json"]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["configurations"], 1);
    let all = findings(&v);
    assert_eq!(
        v["summary"]["errors"].as_u64().unwrap() as usize,
        all.iter().filter(|f| f["severity"] == "error").count()
    );
    let dup = finding(&all, "duplicate-key", "/configValues/datasetName");
    assert_eq!(at(dup), (8, 5));
    let enabled = finding(&all, "wrong-type", "/enabled");
    assert_eq!(at(enabled), (4, 14));
    assert_eq!(enabled["endLine"], 4);
}

// ---------------------------------------------------------------------------------------------
// schema, list, explain

#[test]
fn schema_of_one_integration_accepts_valid_and_rejects_wrong_files() {
    let r = run(ldic().args(["schema", "datadog"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: Value = serde_json::from_str(&r.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let good = json!({"integrationKey": "datadog", "name": "d",
        "configValues": {"apiKey": "${env:K}", "hostURL": "https://api.datadoghq.eu"}});
    assert!(validator.is_valid(&good));
    assert!(validator.is_valid(&json!([good.clone(), good.clone()])));
    let mut bad = good.clone();
    bad["configValues"]["hostURL"] = json!("https://nope.example");
    assert!(!validator.is_valid(&bad));
    let mut other = good.clone();
    other["integrationKey"] = json!("honeycomb");
    assert!(!validator.is_valid(&other));
    let r = run(ldic().args(["schema", "datadgo"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean \"datadog\"?"),
        "{}",
        r.stderr
    );
}

#[test]
fn schema_out_writes_every_schema_and_a_combined_one() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(ldic().arg("schema").arg("--out").arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let count = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(count, ldic::catalog::all().len() + 1);
    assert!(dir.path().join("datadog.schema.json").is_file());
    let combined: Value =
        serde_json::from_str(&read(&dir.path().join("ldic.schema.json"))).unwrap();
    let validator = jsonschema::validator_for(&combined).expect("combined schema compiles");
    let good_dd =
        json!({"integrationKey": "datadog", "name": "d", "configValues": {"apiKey": "${env:K}"}});
    let good_hc = json!({"integrationKey": "honeycomb", "name": "h",
        "configValues": {"apiKey": "${env:K}", "datasetName": "p"}});
    assert!(validator.is_valid(&good_dd));
    assert!(validator.is_valid(&json!([good_dd.clone(), good_hc.clone()])));
    // Dispatch: honeycomb's fields are wrong for datadog.
    let mut swapped = good_hc.clone();
    swapped["integrationKey"] = json!("datadog");
    assert!(!validator.is_valid(&swapped));
    assert!(
        !validator.is_valid(&json!({"integrationKey": "no-such", "name": "x", "configValues": {}}))
    );
    // No temporary files left behind.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name.ends_with(".schema.json"), "{name}");
    }
}

#[test]
fn list_shows_every_integration() {
    let r = run(ldic().args(["list"]));
    assert_eq!(r.code, 0);
    let dd = r
        .stdout
        .lines()
        .find(|l| l.starts_with("datadog "))
        .expect("datadog row");
    assert!(dd.contains("Datadog"), "{dd}");
    assert!(dd.contains("trigger"), "{dd}");
    let r = run(ldic().args(["list", "--format=json"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), ldic::catalog::all().len());
    let dd = items.iter().find(|i| i["key"] == "datadog").unwrap();
    assert_eq!(dd["fields"], 3);
}

#[test]
fn explain_prints_a_field_table() {
    let r = run(ldic().args(["explain", "datadog"]));
    assert_eq!(r.code, 0);
    let header = r
        .stdout
        .lines()
        .find(|l| l.starts_with("KEY"))
        .expect("header");
    for col in ["LABEL", "TYPE", "REQUIRED", "SECRET", "DEFAULT", "ALLOWED"] {
        assert!(header.contains(col), "{header}");
    }
    let api = r
        .stdout
        .lines()
        .find(|l| l.starts_with("apiKey "))
        .expect("apiKey row");
    let cells: Vec<&str> = api
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells, ["apiKey", "Datadog API key", "string", "yes", "yes"]);
    let host = r
        .stdout
        .lines()
        .find(|l| l.starts_with("hostURL "))
        .expect("hostURL row");
    assert!(host.contains("https://api.datadoghq.eu"), "{host}");
    assert!(
        host.contains("\"https://api.datadoghq.com\""),
        "default shown: {host}"
    );
    let r = run(ldic().args(["explain", "nope-nope"]));
    assert_eq!(r.code, 2);
}

#[test]
fn help_snapshot() {
    let r = run(ldic().arg("--help"));
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("help", r.stdout);
    let r = run(ldic().args(["lint", "--help"]));
    insta::assert_snapshot!("lint_help", r.stdout);
    let r = run(ldic().args(["lsp", "--help"]));
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("lsp_help", r.stdout);
    let r = run(ldic().args(["catalog", "--help"]));
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("catalog_help", r.stdout);
    let r = run(ldic().args(["catalog", "update", "--help"]));
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("catalog_update_help", r.stdout);
}

#[test]
fn pre_commit_hook_entry_runs() {
    let hooks = read(&workspace_root().join(".pre-commit-hooks.yaml"));
    assert!(hooks.contains("- id: ldic-lint"), "{hooks}");
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("entry line");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("ldic"));
    let args: Vec<&str> = words.collect();
    // pre-commit passes every changed JSON/YAML file: a workflow file is skipped, a
    // configuration with an error fails the hook.
    let dir = tempfile::tempdir().unwrap();
    let workflow = dir.path().join("ci.yml");
    std::fs::write(&workflow, "on: push\njobs: {}\n").unwrap();
    let r = run(ldic().args(&args).arg(&workflow));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run(ldic()
        .args(&args)
        .arg(&workflow)
        .arg("tests/fixtures/cli/nested.yaml"));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
}

const TEAMS_CANARY: &str =
    "https://contoso.webhook.office.com/webhookb2/canary-4471/IncomingWebhook/1/2";

/// The same configurations in JSON and YAML: a reference in a uri field (valid without the
/// environment), a literal credential-bearing URL, a plain URL (no credential), the token
/// variable, file-only keys.
fn env_files(dir: &Path) -> [String; 2] {
    let json = dir.join("teams.json");
    std::fs::write(
        &json,
        format!(
            r#"[
  {{"$schema": "./schemas/ldic.schema.json", "x-team": "ops", "integrationKey": "msteams", "name": "a", "configValues": {{"url": "${{env:LDIC_T_URL}}"}}}},
  {{"integrationKey": "msteams", "name": "b", "configValues": {{"url": "{TEAMS_CANARY}"}}}},
  {{"integrationKey": "datadog", "name": "c", "configValues": {{"apiKey": "${{env:LDIC_T_DD}}", "hostURL": "https://api.datadoghq.eu"}}}},
  {{"integrationKey": "msteams", "name": "d", "configValues": {{"url": "${{env:LD_API_KEY}}"}}}}
]
"#
        ),
    )
    .unwrap();
    let yaml = dir.join("teams.yaml");
    std::fs::write(
        &yaml,
        format!(
            "- $schema: ./schemas/ldic.schema.json\n  x-team: ops\n  integrationKey: msteams\n  name: a\n  configValues:\n    url: ${{env:LDIC_T_URL}}\n- integrationKey: msteams\n  name: b\n  configValues:\n    url: {TEAMS_CANARY}\n- integrationKey: datadog\n  name: c\n  configValues:\n    apiKey: ${{env:LDIC_T_DD}}\n    hostURL: https://api.datadoghq.eu\n- integrationKey: msteams\n  name: d\n  configValues:\n    url: ${{env:LD_API_KEY}}\n"
        ),
    )
    .unwrap();
    [json, yaml].map(|p| p.to_string_lossy().into_owned())
}

#[test]
fn env_references_credential_urls_and_file_only_keys_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for file in env_files(dir.path()) {
        let (code, v) = lint_json(&[&file]);
        assert_eq!(code, 1, "{v:#}");
        let all = findings(&v);
        let codes: Vec<(&str, &str)> = all
            .iter()
            .map(|f| (f["code"].as_str().unwrap(), f["pointer"].as_str().unwrap()))
            .collect();
        assert_eq!(
            codes,
            [
                ("literal-secret", "/1/configValues/url"),
                ("forbidden-env-reference", "/3/configValues/url")
            ],
            "{file}"
        );
        for format in ["human", "json", "sarif", "github"] {
            let r = run(ldic()
                .args(["lint", "--format", format, &file])
                .env("LD_API_KEY", "tok-canary-0b9"));
            assert_eq!(r.code, 1, "{format}");
            for canary in ["canary-4471", "tok-canary-0b9"] {
                assert!(
                    !r.stdout.contains(canary) && !r.stderr.contains(canary),
                    "{format}: {canary} printed:\n{}{}",
                    r.stdout,
                    r.stderr
                );
            }
            assert!(r.stdout.contains("literal-secret"), "{format}");
        }
    }
}

#[test]
fn resolve_env_checks_resolved_values_and_names_unset_variables() {
    let dir = tempfile::tempdir().unwrap();
    for file in env_files(dir.path()) {
        // Unset: an error naming the variable, at the reference.
        let r = run(ldic().args(["lint", "--format=json", "--resolve-env", &file]));
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let all = findings(&v);
        let unset = finding(&all, "unset-env-reference", "/0/configValues/url");
        assert!(unset["message"].as_str().unwrap().contains("LDIC_T_URL"));
        finding(&all, "unset-env-reference", "/2/configValues/apiKey");
        // Set to a value that is not a URL: invalid-uri at the reference, value never shown.
        for format in ["human", "json", "sarif", "github"] {
            let r = run(ldic()
                .args(["lint", "--resolve-env", "--format", format, &file])
                .env("LDIC_T_URL", "no-uri-canary-31")
                .env("LDIC_T_DD", "dd-canary-32"));
            assert_eq!(r.code, 1);
            assert!(r.stdout.contains("invalid-uri"), "{format}: {}", r.stdout);
            assert!(!r.stdout.contains("unset-env-reference"));
            for canary in ["no-uri-canary-31", "dd-canary-32"] {
                assert!(!r.stdout.contains(canary) && !r.stderr.contains(canary));
            }
        }
        let r = run(ldic()
            .args(["lint", "--format=json", "--resolve-env", &file])
            .env("LDIC_T_URL", "https://example.com/x")
            .env("LDIC_T_DD", "k"));
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert!(
            !findings(&v)
                .iter()
                .any(|f| f["pointer"] == "/0/configValues/url"),
            "{v:#}"
        );
    }
}

#[test]
fn env_allow_restricts_the_names_references_may_use() {
    let dir = tempfile::tempdir().unwrap();
    for file in env_files(dir.path()) {
        let (_, v) = lint_json(&["--env-allow", "LDIC_T_U*", &file]);
        let all = findings(&v);
        let f = finding(&all, "env-reference-not-allowed", "/2/configValues/apiKey");
        assert!(f["message"].as_str().unwrap().contains("LDIC_T_DD"));
        assert!(!all.iter().any(|f| f["pointer"] == "/0/configValues/url"));
        // The token variable stays forbidden whatever the allow-list says.
        let (_, v) = lint_json(&["--env-allow", "*", &file]);
        finding(
            &findings(&v),
            "forbidden-env-reference",
            "/3/configValues/url",
        );
    }
    let r = run(ldic().args(["lint", "--env-allow", "[", "examples/"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn schemas_allow_file_only_keys_and_env_references_in_string_valued_fields() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(ldic().arg("schema").arg("--out").arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for file in ["ldic.schema.json", "datadog.schema.json"] {
        let schema: Value = serde_json::from_str(&read(&dir.path().join(file))).unwrap();
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let good = json!({"$schema": "./schemas/ldic.schema.json", "_id": "abc",
            "x-shared": {"anything": [1]}, "integrationKey": "datadog", "name": "d",
            "configValues": {"apiKey": "${env:K}", "hostURL": "${env:DD_HOST}"}});
        assert!(validator.is_valid(&good), "{file}");
        for (at, bad) in [
            ("/y-other", json!(1)),
            ("/configValues/hostURL", json!("${env:}")),
            ("/configValues/hideMemberDetails", json!("${env:B}")),
        ] {
            let mut doc = good.clone();
            let (parent, key) = at.rsplit_once('/').unwrap();
            doc.pointer_mut(parent).unwrap()[key] = bad;
            assert!(!validator.is_valid(&doc), "{file}: {at}");
        }
    }
    let teams: Value =
        serde_json::from_str(&read(&dir.path().join("msteams.schema.json"))).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&teams)
        .unwrap();
    let doc =
        |url: &str| json!({"integrationKey": "msteams", "name": "t", "configValues": {"url": url}});
    assert!(validator.is_valid(&doc("${env:TEAMS_URL}")));
    assert!(!validator.is_valid(&doc("not a url")));
}

#[test]
fn yaml_merge_keys_share_values_and_diagnostics_point_at_the_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared.yaml");
    let text = "- &production\n  integrationKey: datadog\n  name: Datadog (production)\n  x-shared: &shared\n    apiKey: merged-canary-7e1\n    hostURL: https://api.datadoghq.eu\n  configValues:\n    <<: *shared\n    hideMemberDetails: maybe\n- <<: *production\n  name: Datadog (staging)\n  configValues:\n    <<: *shared\n    hostURL: https://nope.example\n";
    std::fs::write(&file, text).unwrap();
    let file = file.to_string_lossy().into_owned();
    let (code, v) = lint_json(&[&file]);
    assert_eq!(code, 1, "{v:#}");
    let all = findings(&v);
    // The merged secret is a literal in each configuration, reported where it is written.
    let secret = finding(&all, "literal-secret", "/0/configValues/apiKey");
    assert_eq!(at(secret), pos_of(text, "merged-canary", "merged-canary"));
    assert!(secret["message"].as_str().unwrap().contains("<<: *shared"));
    let staging = finding(&all, "literal-secret", "/1/configValues/apiKey");
    assert_eq!(at(staging), at(secret));
    // Explicit keys win: staging's own hostURL is checked, production's is not merged over it.
    let host = finding(&all, "not-allowed", "/1/configValues/hostURL");
    assert_eq!(at(host), pos_of(text, "nope.example", "https"));
    // The whole configuration merged from production keeps its own mistakes there too.
    finding(&all, "wrong-type", "/0/configValues/hideMemberDetails");
    assert!(
        !all.iter()
            .any(|f| f["pointer"] == "/1/configValues/hideMemberDetails"),
        "staging's explicit configValues replaces production's"
    );
    for format in ["human", "json", "sarif", "github"] {
        let r = run(ldic().args(["lint", "--format", format, &file]));
        assert!(
            !r.stdout.contains("merged-canary") && !r.stderr.contains("merged-canary"),
            "{format}"
        );
    }
    let r = run(ldic().args(["create", "--dry-run", &file]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains("merged-canary") && !r.stderr.contains("merged-canary"));
}

// One project tree (~110 lines): the settings interact (an override of a severity the table
// sets, a suppression under an excluded path), so they are checked together on one tree.
#[test]
fn ldic_toml_is_found_upward_and_sets_severities_overrides_suppressions_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("configs/legacy")).unwrap();
    std::fs::write(
        root.join("ldic.toml"),
        "paths = [\"configs\"]\nenv-allow = [\"DD_*\"]\n\n[severity]\nliteral-secret = \"error\"\n\n[[overrides]]\npaths = [\"configs/legacy/**\"]\nseverity = { unknown-field = \"warning\", literal-secret = \"off\" }\n\n[[ignore]]\npath = \"configs/a.json\"\npointer = \"/configValues/hostUrl\"\ncode = \"unknown-field\"\n",
    )
    .unwrap();
    let dd = |extra: &str| {
        format!(
            "{{\"integrationKey\": \"datadog\", \"name\": \"d\", \"configValues\": {{\"apiKey\": \"lit-canary-55\"{extra}}}}}\n"
        )
    };
    std::fs::write(root.join("configs/a.json"), dd(", \"hostUrl\": \"x\"")).unwrap();
    std::fs::write(
        root.join("configs/legacy/b.json"),
        dd(", \"hostUrl\": \"x\""),
    )
    .unwrap();
    std::fs::write(
        root.join("configs/c.yaml"),
        "integrationKey: datadog\nname: c\nconfigValues:\n  apiKey: ${env:OTHER}   # ldic: ignore[env-reference-not-allowed]\n  hostUrl: x\n",
    )
    .unwrap();
    // No path: the settings' default paths, found from the current directory.
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.current_dir(root)
        .env("NO_COLOR", "1")
        .env_remove("LD_API_KEY")
        .args(["lint", "--format=json"]);
    let r = run(&mut cmd);
    assert!(r.stderr.contains("settings from"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(String, String, String)> = findings(&v)
        .iter()
        .map(|f| {
            (
                f["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("a.json", "literal-secret", "error"),
        ("c.yaml", "unknown-field", "error"),
        ("b.json", "unknown-field", "warning"),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
    .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want;
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "{:#}", v);
    assert!(!r.stdout.contains("lit-canary-55"));
    // Command-line flags win: --env-allow replaces the settings' list.
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.current_dir(root).env("NO_COLOR", "1").args([
        "lint",
        "--format=json",
        "--env-allow",
        "NONE",
        "configs/c.yaml",
    ]);
    let v: Value = serde_json::from_str(&run(&mut cmd).stdout).unwrap();
    assert_eq!(
        findings(&v).len(),
        1,
        "the inline suppression still applies: {v:#}"
    );
    // Errors in the settings file: exit 2, with the position.
    std::fs::write(
        root.join("ldic.toml"),
        "[severity]\nno-such-code = \"off\"\n",
    )
    .unwrap();
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.current_dir(root)
        .env("NO_COLOR", "1")
        .args(["lint", "configs"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("line 2, column 1") && r.stderr.contains("no-such-code"),
        "{}",
        r.stderr
    );
    let other = root.join("other.toml");
    std::fs::write(&other, "unknown-key = 1\n").unwrap();
    let r = run(ldic()
        .args(["lint", "--config"])
        .arg(&other)
        .arg("examples/datadog.yaml"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown-key") && r.stderr.contains("line 1"),
        "{}",
        r.stderr
    );
}

/// A directory of many files, clean and broken, JSON and YAML, nested, plus one that is not
/// UTF-8 and one without `integrationKey`: enough that threads finish out of order.
fn many_files(dir: &Path) {
    let sources: Vec<std::path::PathBuf> = ["examples", "examples/mistakes"]
        .iter()
        .flat_map(|d| std::fs::read_dir(workspace_root().join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    assert!(sources.len() >= 6, "{sources:?}");
    for copy in 0..12 {
        let sub = dir
            .join(format!("team-{}", copy % 4))
            .join(format!("set-{copy}"));
        std::fs::create_dir_all(&sub).unwrap();
        for source in &sources {
            let name = source.file_name().unwrap();
            std::fs::copy(source, sub.join(name)).unwrap();
        }
    }
    std::fs::write(
        dir.join("team-0/latin1.json"),
        b"{\"integrationKey\": \"caf\xe9\"}",
    )
    .unwrap();
    std::fs::write(
        dir.join("team-1/package.json"),
        "{\"name\": \"not a configuration\"}",
    )
    .unwrap();
}

#[test]
fn lint_output_is_the_same_on_one_thread_and_on_many_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path());
    for format in ["human", "json", "sarif", "github"] {
        let lint = |threads: &str, by_env: bool| {
            let mut cmd = ldic();
            cmd.current_dir(dir.path())
                .arg("lint")
                .arg(format!("--format={format}"));
            if by_env {
                cmd.env("LDIC_THREADS", threads);
            } else {
                cmd.arg(format!("--threads={threads}"))
                    .env_remove("LDIC_THREADS");
            }
            run(&mut cmd)
        };
        let one = lint("1", false);
        assert_eq!(one.code, 1, "{format}: {}", one.stderr);
        assert!(one.stdout.len() > 10_000, "{format}: the run has output");
        for (threads, by_env) in [("4", false), ("3", true)] {
            let many = lint(threads, by_env);
            assert_eq!(many.code, one.code, "{format}, {threads} threads");
            assert!(
                many.stdout == one.stdout,
                "{format}, {threads} threads: stdout differs"
            );
            assert_eq!(many.stderr, one.stderr, "{format}, {threads} threads");
        }
    }
    assert!(
        run(ldic().args(["lint", "--threads=0", "examples"])).code == 2,
        "0 is not a count"
    );
}

/// Byte offset of a 1-based (line, character column) in `text`.
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(usize::try_from(line).unwrap() - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(usize::try_from(column).unwrap() - 1)
            .map_or(rest.len(), |(i, _)| i)
}

#[test]
fn sarif_fixes_are_the_edits_lint_fix_makes() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["typical-mistakes.json", "typical-mistakes.yaml"] {
        let source = workspace_root().join("examples/mistakes").join(name);
        let text = std::fs::read_to_string(&source).unwrap();
        let sarif_copy = dir.path().join(format!("sarif-{name}"));
        let fix_copy = dir.path().join(format!("fix-{name}"));
        std::fs::write(&sarif_copy, &text).unwrap();
        std::fs::write(&fix_copy, &text).unwrap();

        let r = run(ldic().arg("lint").arg("--format=sarif").arg(&sarif_copy));
        let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
        let mut replacements: Vec<(usize, usize, String)> = Vec::new();
        for result in sarif["runs"][0]["results"].as_array().unwrap() {
            for fix in result["fixes"].as_array().into_iter().flatten() {
                if fix["description"]["text"] != "fixable with `ldic lint --fix`" {
                    continue; // a suggested fix: --fix alone leaves it
                }
                let replacement = &fix["artifactChanges"][0]["replacements"][0];
                let region = &replacement["deletedRegion"];
                let at = |l: &str, c: &str| {
                    offset_of(
                        &text,
                        region[l].as_u64().unwrap(),
                        region[c].as_u64().unwrap(),
                    )
                };
                replacements.push((
                    at("startLine", "startColumn"),
                    at("endLine", "endColumn"),
                    replacement["insertedContent"]["text"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                ));
            }
        }
        assert!(!replacements.is_empty(), "{name}: a safe fix in SARIF");
        replacements.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
        let mut by_sarif = text.clone();
        for (start, end, inserted) in replacements {
            by_sarif.replace_range(start..end, &inserted);
        }

        run(ldic().arg("lint").arg("--fix").arg(&fix_copy));
        let by_fix = std::fs::read_to_string(&fix_copy).unwrap();
        assert_ne!(by_fix, text, "{name}: --fix changed something");
        assert_eq!(by_sarif, by_fix, "{name}");
    }
}
