//! `ldic catalog update` / `reset` against a mock of `GET /api/v2/integration-manifests`
//! (wiremock, or a raw socket for broken HTTP). Every run stores its catalog in a temp directory
//! (`--catalog`, or a temp `XDG_CACHE_HOME` for the default directory), never the user's cache.
//! Fault tests check the error and that the stored catalog is left exactly as it was; every run
//! checks that the token appears in no output.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use ldic_test_support::workspace_root;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "cli-update-token-7b2d41";
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
    fn uri(&self) -> String {
        self.mock.uri()
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `ldic` with the user cache pointed at `cache` and no catalog named unless `args` does.
fn ldic(cache: &Path, args: &[&str], token: Option<&str>) -> Run {
    let mut cmd = cargo_bin_cmd!("ldic");
    cmd.current_dir(workspace_root())
        .env_remove("LD_API_KEY")
        .env_remove("LD_BASE_URL")
        .env_remove("LDIC_CATALOG_DIR")
        .env("XDG_CACHE_HOME", cache)
        .env("HOME", cache)
        .env("NO_COLOR", "1")
        .args(args);
    if let Some(token) = token {
        cmd.env("LD_API_KEY", token);
    }
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token leaked: {}{}",
        run.stdout,
        run.stderr
    );
    run
}

fn update(cache: &Path, dir: &Path, base: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "catalog",
        "update",
        "--catalog",
        dir.to_str().unwrap(),
        "--base-url",
        base,
    ];
    args.extend_from_slice(extra);
    ldic(cache, &args, Some(TOKEN))
}

/// A small hand-written item (no description, overview or icons: the API may omit prose).
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

/// An item whose only form variable is unusable (an enum without allowed values).
fn broken_item() -> Value {
    json!({"key": "broken", "name": "Broken", "version": "1.0.0",
           "formVariables": [{"key": "mode", "name": "Mode", "type": "enum"}]})
}

/// A configuration of `acme-sink`, an integration only the API serves.
fn acme_file(dir: &Path) -> PathBuf {
    let path = dir.join("acme.json");
    std::fs::write(
        &path,
        r#"{"integrationKey": "acme-sink", "name": "Acme", "configValues": {"apiKey": "${env:ACME_TOKEN}", "region": "eu"}}"#,
    )
    .unwrap();
    path
}

/// Every file of a directory, to prove nothing changed.
fn dir_state(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A catalog stored once from hand-written items: (temp root, catalog dir, its content).
fn stored_once() -> (tempfile::TempDir, PathBuf, Vec<(String, Vec<u8>)>) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("catalog");
    let server = Server::start();
    server.serve(200, &json!({"items": [item("acme-sink", &["eu", "us"])]}));
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let state = dir_state(&dir);
    (root, dir, state)
}

fn assert_failed_unchanged(run: &Run, dir: &Path, before: &[(String, Vec<u8>)], needles: &[&str]) {
    assert_ne!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for n in needles {
        assert!(run.stderr.contains(n), "missing {n:?} in {}", run.stderr);
    }
    assert!(
        run.stderr.contains("left unchanged") || run.stderr.contains("nothing was fetched"),
        "{}",
        run.stderr
    );
    assert_eq!(dir_state(dir), before, "the stored catalog changed");
    // Nothing left beside it (no temp directory).
    let beside: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn a_new_integration_is_unknown_before_update_and_lints_after_then_reset_brings_back_the_builtin() {
    let root = tempfile::tempdir().unwrap();
    let cache = root.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    let file = acme_file(root.path());
    let file = file.to_str().unwrap();

    let run = ldic(&cache, &["lint", file], None);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("unknown-integration"), "{}", run.stdout);

    // No --catalog: the default directory in the (temp) user cache.
    let server = Server::start();
    server.serve(
        200,
        &json!({"items": [item("acme-sink", &["eu", "us"]), broken_item()]}),
    );
    let run = ldic(
        &cache,
        &["catalog", "update", "--base-url", &server.uri()],
        Some(TOKEN),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let stored = cache.join("ldic").join("catalog");
    assert!(stored.join("upstream.lock").is_file());
    assert!(stored.join("acme-sink.json").is_file());
    assert!(
        !stored.join("broken.json").exists(),
        "the unusable item was kept"
    );
    assert!(
        run.stderr
            .contains("warning: broken#/formVariables/0/allowedValues"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("compatible: acme-sink: integration added"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("reflects one account"),
        "{}",
        run.stdout
    );

    let run = ldic(&cache, &["lint", file], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("stored by `ldic catalog update`"),
        "{}",
        run.stderr
    );
    let run = ldic(&cache, &["catalog", "status"], None);
    assert!(
        run.stdout.contains("reflects one account"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(stored.to_str().unwrap()),
        "{}",
        run.stdout
    );

    let run = ldic(&cache, &["catalog", "reset"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("removed the catalog in"),
        "{}",
        run.stdout
    );
    assert!(!stored.exists());
    let run = ldic(&cache, &["lint", file], None);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("unknown-integration"), "{}", run.stdout);
    let run = ldic(&cache, &["catalog", "status"], None);
    assert!(
        run.stdout.contains("the built-in catalog"),
        "{}",
        run.stdout
    );
}

#[test]
fn reset_of_a_directory_without_a_catalog_removes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "x").unwrap();
    let run = ldic(
        root.path(),
        &["catalog", "reset", "--catalog", dir.to_str().unwrap()],
        None,
    );
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("does not hold a catalog"),
        "{}",
        run.stderr
    );
    assert!(dir.join("keep.txt").is_file());
}

#[test]
fn auth_failures_are_clear_errors_and_keep_the_old_catalog() {
    let (root, dir, before) = stored_once();
    for (status, needle) in [(401, "the token was refused"), (403, "may not read")] {
        let server = Server::start();
        server.serve(status, &json!({"message": format!("bad token {TOKEN}")}));
        let run = update(root.path(), &dir, &server.uri(), &[]);
        assert_failed_unchanged(&run, &dir, &before, &[needle, "LD_API_KEY"]);
    }
}

#[test]
fn a_429_is_retried_then_succeeds() {
    let (root, dir, _) = stored_once();
    let server = Server::start();
    server.mount(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.serve(
        200,
        &json!({"items": [item("acme-sink", &["eu", "us", "apac"])]}),
    );
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("answered 429"), "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("acme-sink.json")).unwrap();
    assert!(text.contains("apac"), "{text}");
}

#[test]
fn a_persistent_500_gives_up_and_keeps_the_old_catalog() {
    let (root, dir, before) = stored_once();
    let server = Server::start();
    server.mount(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(500).insert_header("Retry-After", "0")),
    );
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_failed_unchanged(&run, &dir, &before, &["answered 500", "after 4 attempts"]);
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
fn truncated_oversized_and_deeply_nested_bodies_are_refused() {
    let (root, dir, before) = stored_once();

    let base = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"items\":[".to_vec(),
    );
    let run = update(root.path(), &dir, &base, &[]);
    assert_failed_unchanged(&run, &dir, &before, &["truncated"]);

    let mut oversized = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"items\":[".to_vec();
    oversized.extend(std::iter::repeat_n(b' ', 5000));
    oversized.extend_from_slice(b"]}");
    let base = raw_server(oversized);
    let run = update(root.path(), &dir, &base, &["--max-response-bytes", "1000"]);
    assert_failed_unchanged(&run, &dir, &before, &["larger than 1000 bytes"]);

    let server = Server::start();
    let deep = format!("{{\"items\":{}{}}}", "[".repeat(200), "]".repeat(200));
    server.mount(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(200).set_body_string(deep)),
    );
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_failed_unchanged(&run, &dir, &before, &["nests arrays/objects deeper"]);
}

#[test]
fn a_read_only_catalog_directory_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt as _;
    let (root, dir, before) = stored_once();
    let server = Server::start();
    server.serve(
        200,
        &json!({"items": [item("acme-sink", &["eu", "us", "apac"])]}),
    );
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = update(root.path(), &dir, &server.uri(), &[]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_failed_unchanged(&run, &dir, &before, &["is read-only"]);
}

#[test]
fn a_token_is_never_sent_over_plain_http_to_another_host() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("catalog");
    let run = update(root.path(), &dir, "http://example.com", &[]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("unencrypted"), "{}", run.stderr);
    assert!(!dir.exists());
}
