//! End-to-end tests of `cargo xtask fetch --api` against a mock of
//! `GET /api/v2/integration-manifests` (wiremock, or a raw socket for broken HTTP).
//!
//! The big test serves the upstream snapshot's manifests (key added) plus hand-written items and
//! compares with what the git source extracts from the same snapshot. The fault tests check the
//! error and that the facts directory is left exactly as it was. Every run writes to its own temp
//! directory, never the workspace's `manifests/`.

#![allow(clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use ldic_manifest::store::read_facts_dir;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "api-test-token-4f1c9e";
const ENDPOINT: &str = "/api/v2/integration-manifests";

struct Server {
    runtime: tokio::runtime::Runtime,
    mock: MockServer,
}

impl Server {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // wiremock serves from its own thread: blocking calls below do not stall it.
        let mock = runtime.block_on(MockServer::start());
        Server { runtime, mock }
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.mock));
    }

    fn serve(&self, status: u16, body: &Value) {
        self.mount(
            Mock::given(method("GET"))
                .and(path(ENDPOINT))
                .and(header("Authorization", TOKEN))
                .respond_with(ResponseTemplate::new(status).set_body_json(body)),
        );
    }

    fn requests(&self) -> usize {
        self.runtime
            .block_on(self.mock.received_requests())
            .map(|r| r.len())
            .unwrap_or_default()
    }
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn xtask(args: &[&str], out: &Path, token: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.arg("fetch")
        .args(args)
        .arg("--manifests-dir")
        .arg(out.join("manifests"))
        .arg("--cache-dir")
        .arg(out.join("cache"))
        .arg("--retry-base-ms")
        .arg("10")
        .env_remove("LD_API_KEY");
    if let Some(token) = token {
        cmd.env("LD_API_KEY", token);
    }
    let output = cmd.output().unwrap();
    let run = Run {
        ok: output.status.success(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token leaked: {}{}",
        run.stdout,
        run.stderr
    );
    run
}

fn api(base: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--api", "--base-url", base];
    args.extend_from_slice(extra);
    xtask(&args, out, Some(TOKEN))
}

/// A small hand-written item.
fn item(key: &str, allowed: &[&str]) -> Value {
    json!({
        "key": key, "name": format!("{key} hook"), "version": "1.0.0",
        "formVariables": [
            {"key": "apiKey", "name": "API key", "type": "string", "isSecret": true},
            {"key": "region", "name": "Region", "type": "enum", "allowedValues": allowed,
             "defaultValue": allowed[0], "isOptional": true}
        ],
        "capabilities": {"auditLogEventsHook": {"endpoint": {"url": "https://example.com/{{apiKey}}", "method": "POST"}}}
    })
}

/// Every file of a directory (and whether anything lies beside it), to prove nothing changed.
fn dir_state(out: &Path) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let dir = out.join("manifests");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    let mut beside: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    beside.sort();
    (files, beside)
}

/// A facts directory written by a first API fetch of two items.
fn fetched_once(server: &Server) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    server.serve(
        200,
        &json!({"items": [item("acme", &["eu", "us"]), item("globex", &["a"])]}),
    );
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    out
}

fn assert_failed_unchanged(
    run: &Run,
    before: &(Vec<(String, Vec<u8>)>, Vec<String>),
    out: &Path,
    wanted: &[&str],
) {
    assert!(!run.ok, "should fail: {}", run.stdout);
    for w in wanted {
        assert!(run.stderr.contains(w), "{w:?} not in: {}", run.stderr);
    }
    assert!(run.stderr.contains("left unchanged"), "{}", run.stderr);
    assert_eq!(&dir_state(out), before, "the facts directory changed");
}

#[test]
fn first_fetch_writes_facts_lock_and_report() {
    let server = Server::start();
    let out = fetched_once(&server);
    let set = read_facts_dir(&out.path().join("manifests")).unwrap();
    assert_eq!(
        set.integrations.keys().collect::<Vec<_>>(),
        vec!["acme", "globex"]
    );
    let lock = set.lock.clone().unwrap();
    assert!(lock.is_api());
    assert_eq!(lock.base_url.as_deref(), Some(server.mock.uri().as_str()));
    assert!(lock.commit.is_empty() && lock.commit_date.is_empty());
    let facts: Vec<_> = set.integrations.values().cloned().collect();
    assert_eq!(
        lock.content_hash.as_deref(),
        Some(ldic_manifest::api::facts_content_hash(&facts).as_str())
    );
    let at = lock.fetched_at.unwrap();
    assert!(at.len() == 20 && at.ends_with('Z'), "{at}");
    let text = std::fs::read_to_string(out.path().join("manifests/upstream.lock")).unwrap();
    assert!(!text.contains("commit"), "{text}");
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_refetch_reports_added_integrations_compatible_changes_and_warnings() {
    let server = Server::start();
    let out = fetched_once(&server);
    let server = Server::start();
    server.serve(
        200,
        &json!({"items": [
            item("acme", &["eu", "us", "apac"]),
            item("globex", &["a"]),
            item("initech", &["x"]),
            {"key": "broken", "name": "Broken", "version": "1.0.0",
             "formVariables": [{"key": "mode", "name": "Mode", "type": "enum"}]},
        ]}),
    );
    let run = api(&server.mock.uri(), out.path(), &["--report-format", "json"]);
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    let has = |integration: &str, kind: &str, impact: &str| {
        changes
            .iter()
            .any(|c| c["integration"] == integration && c["kind"] == kind && c["impact"] == impact)
    };
    assert!(
        has("initech", "integration-added", "compatible"),
        "{changes:#?}"
    );
    assert!(
        has("acme", "allowed-value-added", "compatible"),
        "{changes:#?}"
    );
    assert_eq!(report["breaking"], 0);
    assert_eq!(report["integrations"], 3);
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0]["manifest"], "broken");
    assert_eq!(warnings[0]["pointer"], "/formVariables/0/allowedValues");
    assert!(
        warnings[0]["expected"]
            .as_str()
            .unwrap()
            .contains("skipped")
    );
    assert_eq!(report["from"]["source"], "api");
    let set = read_facts_dir(&out.path().join("manifests")).unwrap();
    assert!(!set.integrations.contains_key("broken"));

    // The same content again: no changes, whatever the fetch time.
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert!(run.ok, "{}{}", run.stderr, run.stdout);
    assert!(run.stdout.contains("no changes"), "{}", run.stdout);
    assert!(run.stdout.contains("LaunchDarkly API"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("warning: broken#/formVariables/0/allowedValues"),
        "{}",
        run.stdout
    );
}

#[test]
fn without_source_the_lock_of_an_api_fetch_means_the_api_again() {
    let server = Server::start();
    let out = fetched_once(&server);
    let run = xtask(&[], out.path(), Some(TOKEN));
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    assert_eq!(server.requests(), 2);
}

#[test]
fn auth_failures_name_what_to_check() {
    let server = Server::start();
    let out = fetched_once(&server);
    let before = dir_state(out.path());
    for (status, wanted) in [(401, ["401", "LD_API_KEY"]), (403, ["403", "role"])] {
        let server = Server::start();
        server.serve(status, &json!({"code": "unauthorized", "message": "nope"}));
        let run = api(&server.mock.uri(), out.path(), &[]);
        assert_failed_unchanged(&run, &before, out.path(), &wanted);
        assert_eq!(server.requests(), 1, "{status} is not retried");
    }
    // No token at all: nothing is sent.
    let run = xtask(
        &["--api", "--base-url", &server.mock.uri()],
        out.path(),
        None,
    );
    assert!(
        !run.ok && run.stderr.contains("LD_API_KEY is not set"),
        "{}",
        run.stderr
    );
    // Plain http to a host that is not loopback: refused before any request.
    let run = api("http://example.com", out.path(), &[]);
    assert!(
        !run.ok && run.stderr.contains("unencrypted"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_429_is_retried_after_what_retry_after_says() {
    let server = Server::start();
    server.mount(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.serve(200, &json!({"items": [item("acme", &["eu"])]}));
    let out = tempfile::tempdir().unwrap();
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("429"), "{}", run.stderr);
    assert_eq!(server.requests(), 2);
    assert!(out.path().join("manifests/acme.json").is_file());
}

#[test]
fn a_persistent_500_gives_up_after_bounded_attempts() {
    let server = Server::start();
    let out = fetched_once(&server);
    let before = dir_state(out.path());
    let server = Server::start();
    server.serve(500, &json!({"message": "boom"}));
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert_failed_unchanged(
        &run,
        &before,
        out.path(),
        &["500", "after 4 attempts", "boom"],
    );
    assert_eq!(server.requests(), 4);
}

#[test]
fn unreadable_bodies_are_refused_and_nothing_is_written() {
    let server = Server::start();
    let out = fetched_once(&server);
    let before = dir_state(out.path());

    // Cut mid-document (the HTTP framing is complete).
    let server = Server::start();
    server.mount(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"items":[{"key":"ac"#)),
    );
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["not complete JSON"]);

    // Deeply nested.
    let server = Server::start();
    let deep = format!("{{\"items\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
    server.mount(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(200).set_body_string(deep)),
    );
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["deeper than 64 levels"]);

    // Declared larger than the bound.
    let server = Server::start();
    server.serve(
        200,
        &json!({"items": [item("acme", &["eu"]), item("big", &["x"; 100])]}),
    );
    let run = api(
        &server.mock.uri(),
        out.path(),
        &["--max-response-bytes", "1000"],
    );
    assert_failed_unchanged(
        &run,
        &before,
        out.path(),
        &["larger than 1000 bytes", "declared"],
    );

    // No usable item at all: refusing beats emptying the directory.
    let server = Server::start();
    server.serve(200, &json!({"items": [{"name": "no key"}]}));
    let run = api(&server.mock.uri(), out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["no usable integration"]);
}

/// A one-shot HTTP server answering `response` (raw bytes) and closing.
fn raw_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(&response);
        }
    });
    format!("http://{addr}")
}

#[test]
fn broken_http_framing_is_refused() {
    let server = Server::start();
    let out = fetched_once(&server);
    let before = dir_state(out.path());

    // Content-Length promises more than is sent before the connection closes.
    let base = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"items\":[".to_vec(),
    );
    let run = api(&base, out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["truncated"]);

    // No Content-Length (read to the end): the bound applies while reading.
    let mut oversized = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"items\":[".to_vec();
    oversized.extend(std::iter::repeat_n(b' ', 5000));
    oversized.extend_from_slice(b"]}");
    let base = raw_server(oversized);
    let run = api(&base, out.path(), &["--max-response-bytes", "1000"]);
    assert_failed_unchanged(&run, &before, out.path(), &["larger than 1000 bytes"]);
}

fn snapshot_dir() -> Option<PathBuf> {
    ldic_test_support::upstream_dir()
}

/// The snapshot's manifests as API items (key added), sorted by key.
fn snapshot_items(snapshot: &Path) -> Vec<Value> {
    let mut items = Vec::new();
    for entry in std::fs::read_dir(snapshot.join("integrations")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
            continue;
        };
        let mut manifest: Value = serde_json::from_str(&text).unwrap();
        let key = dir.file_name().unwrap().to_str().unwrap().to_owned();
        manifest["key"] = Value::String(key);
        items.push(manifest);
    }
    items.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    items
}

#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (../shared/integration-framework or LDIC_UPSTREAM_DIR)"
)]
fn the_snapshot_served_by_the_api_gives_the_git_sourced_facts() {
    let snapshot = snapshot_dir().unwrap();
    let git_out = tempfile::tempdir().unwrap();
    let run = xtask(
        &["--source", snapshot.to_str().unwrap()],
        git_out.path(),
        None,
    );
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    let git = read_facts_dir(&git_out.path().join("manifests")).unwrap();

    let mut items = snapshot_items(&snapshot);
    // An existing integration with an added allowed value: the first top-level enum.
    let (changed_key, pointer) = items
        .iter()
        .find_map(|m| {
            let vars = m["formVariables"].as_array()?;
            let i = vars.iter().position(|v| v["type"] == "enum")?;
            Some((
                m["key"].as_str()?.to_owned(),
                format!("/formVariables/{i}/allowedValues"),
            ))
        })
        .unwrap();
    let target = items
        .iter_mut()
        .find(|m| m["key"] == changed_key.as_str())
        .unwrap();
    target
        .pointer_mut(&pointer)
        .unwrap()
        .as_array_mut()
        .unwrap()
        .push(json!("ldic-added-value"));
    // A new integration with prose, one without any prose field, one with an unusable variable.
    let mut with_prose = item("ldic-new-hook", &["eu", "us"]);
    with_prose["description"] = json!("Prose that is never copied.");
    with_prose["overview"] = json!("More prose.");
    items.push(with_prose);
    items.push(
        json!({"key": "ldic-no-prose", "name": "No prose", "version": "0.1.0",
        "formVariables": [{"key": "url", "name": "URL", "type": "uri"}]}),
    );
    items.push(
        json!({"key": "ldic-unusable", "name": "Unusable", "version": "1.0.0",
        "formVariables": [{"key": "m", "name": "M", "type": "multiselect"}]}),
    );

    let server = Server::start();
    server.serve(200, &json!({ "items": items }));
    let api_out = tempfile::tempdir().unwrap();
    copy_dir(
        &git_out.path().join("manifests"),
        &api_out.path().join("manifests"),
    );
    let run = api(
        &server.mock.uri(),
        api_out.path(),
        &["--report-format", "json"],
    );
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    let fetched = read_facts_dir(&api_out.path().join("manifests")).unwrap();

    for (key, facts) in &git.integrations {
        let from_api = &fetched.integrations[key];
        if *key == changed_key {
            assert_ne!(from_api, facts);
        } else {
            assert_eq!(from_api, facts, "{key}");
        }
    }
    assert!(fetched.integrations.contains_key("ldic-new-hook"));
    assert!(fetched.integrations.contains_key("ldic-no-prose"));
    assert!(!fetched.integrations.contains_key("ldic-unusable"));
    assert_eq!(fetched.integrations.len(), git.integrations.len() + 2);
    let text =
        std::fs::read_to_string(api_out.path().join("manifests/ldic-new-hook.json")).unwrap();
    assert!(!text.contains("Prose"), "{text}");

    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    let kinds: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["integration"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["impact"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (changed_key.as_str(), "allowed-value-added", "compatible"),
            ("ldic-new-hook", "integration-added", "compatible"),
            ("ldic-no-prose", "integration-added", "compatible"),
        ],
        "{changes:#?}"
    );
    let warnings = report["warnings"].as_array().unwrap();
    let unusable: Vec<_> = warnings
        .iter()
        .filter(|w| w["manifest"] == "ldic-unusable")
        .collect();
    assert_eq!(unusable.len(), 1, "{warnings:#?}");
    assert_eq!(
        unusable[0]["pointer"],
        "/formVariables/0/multiselectOptions"
    );
    assert_eq!(
        report["from"]["commit"],
        git.lock.as_ref().unwrap().commit.as_str()
    );
    assert_eq!(report["to"]["source"], "api");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
