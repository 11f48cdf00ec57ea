//! Secret canaries end to end through the `ldic` binary.
//!
//! Every secret field of every integration gets a random canary value (fresh each run), in every
//! shape a user can give it: a literal string, an object, an array, a number, twice in one object,
//! beside a syntax error, in JSON and YAML, one configuration per line so that every snippet shows
//! its neighbours. The files go through every subcommand and every output format, `create
//! --dry-run`, and `create` against a loopback server that echoes the request (body and token) in
//! its errors. No byte of output, log or error may contain a canary.

#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic::catalog::{FieldMeta, FormList, Integration};
use ldic_test_support::http::Echo;
use serde_json::{Map, Value, json};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher as _, Hasher as _};
use std::path::Path;
use wiremock::{Mock, MockServer};

/// A random 64-bit number (std's per-process random hash keys; no extra dependency).
fn random() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(0x5eed);
    h.finish()
}

/// Every canary minted by a test, to look for in every output.
#[derive(Default)]
struct Canaries(Vec<String>);

impl Canaries {
    /// A string canary: `CNRY` + 16 hex digits.
    fn string(&mut self) -> String {
        let c = format!("CNRY{:016x}", random());
        self.0.push(c.clone());
        c
    }

    /// A numeric canary (a secret given as a number): 17 digits, starting with 9.
    fn number(&mut self) -> u64 {
        let n = 90_000_000_000_000_000 + random() % 9_000_000_000_000_000;
        self.0.push(n.to_string());
        n
    }

    #[track_caller]
    fn assert_absent(&self, what: &str, text: &str) {
        for c in &self.0 {
            assert!(
                !text.contains(c.as_str()),
                "{what} leaks canary {c}:\n{text}"
            );
        }
    }
}

fn secret_fields(i: &Integration) -> Vec<&FieldMeta> {
    i.config_values_list()
        .map(|l| l.fields.iter().filter(|f| f.is_secret).collect())
        .unwrap_or_default()
}

fn with_secrets() -> Vec<&'static Integration> {
    let all: Vec<_> = ldic::catalog::all()
        .filter(|i| !secret_fields(i).is_empty())
        .collect();
    assert!(all.len() > 20, "the catalog has secret fields to test");
    all
}

struct Run {
    code: i32,
    out: String,
}

fn ldic(args: &[&str], env: &[(String, String)]) -> Run {
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.env_remove("LD_API_KEY")
        .env_remove("LD_BASE_URL")
        .env("NO_COLOR", "1")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        out: format!(
            "{}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn line(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// The lint files: every secret in every shape, one configuration per line, each line also
/// holding a mistake so that its snippet is shown.
fn write_lint_files(dir: &Path, c: &mut Canaries) {
    let mut literal = Vec::new();
    let mut shapes = Vec::new();
    let mut duplicates = Vec::new();
    let mut yaml = String::new();
    for i in with_secrets() {
        let mut values = Map::new();
        for f in secret_fields(i) {
            values.insert(f.key.to_string(), json!(c.string()));
        }
        values.insert("ldicUnknownField".into(), json!(true));
        literal.push(line(
            &json!({"integrationKey": i.key, "name": "n", "tags": 7, "configValues": values}),
        ));
        for f in secret_fields(i) {
            for shape in [
                json!({"v": c.string(), "w": [c.string()]}),
                json!([c.string(), {"x": c.string()}]),
                json!(c.number()),
                json!(true),
            ] {
                shapes.push(line(&json!({"integrationKey": i.key, "enabled": "no",
                    "configValues": {f.key.as_ref(): shape, "ldicUnknownField": 1}})));
            }
            // The same secret twice in one object, then the whole configValues twice.
            let (a, b, d) = (c.string(), c.string(), c.string());
            duplicates.push(format!(
                "{{\"integrationKey\": {}, \"configValues\": {{{k}: \"{a}\", {k}: \"{b}\"}}, \"configValues\": {{{k}: \"{d}\", \"ldicUnknownField\": 1}}}}",
                line(&json!(i.key)),
                k = line(&json!(f.key)),
            ));
            // YAML: block, flow, an anchor on the secret and aliases of it, a nested secret.
            let (s1, s2, s3, s4) = (c.string(), c.string(), c.string(), c.string());
            yaml.push_str(&format!(
                "---\nintegrationKey: {key}\nname: n\nconfigValues:\n  {k}: &s{n} {s1}\n  ldicUnknownField: *s{n}\n---\nintegrationKey: {key}\nconfigValues: {{{k}: '{s2}', ldicUnknownField: 1}}\n---\nintegrationKey: {key}\nconfigValues:\n  {k}:\n    nested: \"{s3}\"\n    list: [{s4}]\n  ldicUnknownField: 1\n",
                key = line(&json!(i.key)),
                k = line(&json!(f.key)),
                n = c.0.len(),
            ));
        }
    }
    let array = |lines: &[String]| format!("[\n{}\n]\n", lines.join(",\n"));
    std::fs::write(dir.join("literal.json"), array(&literal)).unwrap();
    std::fs::write(dir.join("shapes.json"), array(&shapes)).unwrap();
    std::fs::write(dir.join("duplicates.json"), array(&duplicates)).unwrap();
    std::fs::write(dir.join("secrets.yaml"), yaml).unwrap();
    // Syntax errors right after a secret.
    let (s1, s2, s3) = (c.string(), c.string(), c.string());
    std::fs::write(
        dir.join("broken.json"),
        format!(
            "{{\"integrationKey\": \"datadog\", \"configValues\": {{\"apiKey\": \"{s1}\" ,, }}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.yaml"),
        format!("integrationKey: datadog\nconfigValues: {{apiKey: {s2}, ]\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("broken-tag.yaml"),
        format!("integrationKey: datadog\nconfigValues:\n  apiKey: !vault {s3}\n"),
    )
    .unwrap();
}

#[test]
fn lint_never_prints_a_secret_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Canaries::default();
    write_lint_files(dir.path(), &mut c);
    let d = dir.path().to_str().unwrap();
    for args in [
        vec!["lint", d],
        vec!["--color", "always", "lint", d],
        vec!["lint", "--quiet", d],
        vec!["lint", "--format", "json", d],
        vec!["lint", "--format", "sarif", d],
        vec!["lint", "--format", "github", d],
    ] {
        let r = ldic(&args, &[]);
        assert_eq!(r.code, 1, "{args:?}: the files have errors");
        c.assert_absent(&format!("ldic {args:?}"), &r.out);
    }
    // Sanity: the human output shows snippets of these lines (masked), not nothing.
    let r = ldic(&["lint", d], &[]);
    assert!(r.out.contains("ldicUnknownField"), "{}", r.out);
    assert!(r.out.contains("****"), "masked values are shown as stars");
}

/// Values of every user field (hidden, dependsOn and LaunchDarkly-set fields left out) that
/// validate; secrets via `${env:...}` references (every second one a literal).
fn valid_config(
    i: &'static Integration,
    list: &'static FormList,
    c: &mut Canaries,
    env: &mut Vec<(String, String)>,
) -> Value {
    let mut values = Map::new();
    for f in ldic_test_support::sample::user_fields(list) {
        let v = if f.is_secret {
            let secret = c.string();
            if env.len().is_multiple_of(2) {
                let name = format!("LDIC_CANARY_{}", env.len());
                env.push((name.clone(), secret));
                json!(format!("${{env:{name}}}"))
            } else {
                env.push((format!("LDIC_UNUSED_{}", env.len()), String::new()));
                json!(secret)
            }
        } else {
            ldic_test_support::sample::valid_value(f)
        };
        values.insert(f.key.to_string(), v);
    }
    let mut config = json!({"integrationKey": i.key, "name": format!("{} canary", i.key),
        "configValues": values});
    if i.has_capability("auditLogEventsHook") {
        config["capabilityConfig"] = json!({"auditLogEventsHook": {"statements": [
            {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}
        ]}});
    }
    config
}

/// Valid configurations of every integration with a user-set secret, one file each.
fn valid_files(
    dir: &Path,
    c: &mut Canaries,
    env: &mut Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for i in with_secrets() {
        let Some(list) = i.config_values_list() else {
            continue;
        };
        let config = valid_config(i, list, c, env);
        if !ldic::validate(&i.key, &config_body(&config)).is_ok() {
            continue;
        }
        let path = dir.join(format!("{}.json", i.key));
        std::fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
        files.push((i.key.to_string(), path.to_string_lossy().into_owned()));
    }
    files
}

fn config_body(config: &Value) -> Value {
    let mut body = config.clone();
    body.as_object_mut().unwrap().remove("integrationKey");
    if let Some(values) = body["configValues"].as_object_mut() {
        for v in values.values_mut() {
            if v.as_str().is_some_and(|s| s.starts_with("${env:")) {
                *v = json!("resolved");
            }
        }
    }
    body
}

#[test]
fn create_dry_run_and_every_other_subcommand_never_print_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Canaries::default();
    let mut env = Vec::new();
    let files = valid_files(dir.path(), &mut c, &mut env);
    assert!(
        files.len() * 10 >= with_secrets().len() * 8,
        "most integrations with secrets get a valid file ({} of {})",
        files.len(),
        with_secrets().len()
    );
    env.push(("LD_API_KEY".into(), c.string()));
    for (key, file) in &files {
        let r = ldic(&["create", "--dry-run", file], &env);
        assert_eq!(r.code, 0, "{key}: {}", r.out);
        assert!(r.out.contains("[redacted]"), "{key}: {}", r.out);
        c.assert_absent(&format!("create --dry-run {key}"), &r.out);
        let r = ldic(&["lint", "--format", "json", file], &env);
        c.assert_absent(&format!("lint {key}"), &r.out);
    }
    // A file with errors: the report goes to stderr, nothing is sent.
    let lint_dir = tempfile::tempdir().unwrap();
    write_lint_files(lint_dir.path(), &mut c);
    for name in [
        "literal.json",
        "shapes.json",
        "duplicates.json",
        "secrets.yaml",
    ] {
        let file = lint_dir.path().join(name);
        let r = ldic(&["create", "--dry-run", file.to_str().unwrap()], &env);
        assert_eq!(r.code, 1, "{name}: {}", r.out);
        c.assert_absent(&format!("create --dry-run {name}"), &r.out);
    }
    // The subcommands that read no file, with canaries in the environment.
    let some_key = files.first().map(|(k, _)| k.as_str()).unwrap_or("datadog");
    for args in [
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["explain", some_key],
        vec!["schema", some_key],
        vec!["--help"],
    ] {
        let r = ldic(&args, &env);
        assert_eq!(r.code, 0, "{args:?}: {}", r.out);
        c.assert_absent(&format!("ldic {args:?}"), &r.out);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_errors_never_print_a_secret_even_when_the_server_echoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Canaries::default();
    let mut env = Vec::new();
    let files = valid_files(dir.path(), &mut c, &mut env);
    env.push(("LD_API_KEY".into(), c.string()));
    for (status, json, expected_exit) in [
        (400, true, 1),
        (401, true, 1),
        (409, false, 1),
        (422, true, 1),
        (500, true, 2),
        (503, false, 2),
        (201, true, 2),
        (201, false, 2),
    ] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(Echo { status, json })
            .mount(&server)
            .await;
        // Every integration through the 400 echo; one for the other answers.
        let take = if status == 400 { files.len() } else { 1 };
        for (key, file) in files.iter().take(take) {
            let mut args: Vec<String> = vec!["create".into(), file.clone()];
            args.extend(["--base-url".into(), server.uri()]);
            let env = env.clone();
            let r = tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                ldic(&args, &env)
            })
            .await
            .unwrap();
            assert_eq!(r.code, expected_exit, "{key} HTTP {status}: {}", r.out);
            c.assert_absent(&format!("create {key} answered {status}"), &r.out);
        }
        // The server did receive the secrets: the test would catch an echo.
        let received = server.received_requests().await.unwrap_or_default();
        let seen: String = received
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect();
        assert!(
            c.0.iter().any(|canary| seen.contains(canary.as_str())),
            "the requests carried secrets"
        );
    }
}
