//! `ldic catalog update` / `reset` against a mock of `GET /api/v2/integration-manifests`
//! (`ldic_test_support::http`: wiremock, or a raw socket for broken HTTP). Every run stores its catalog in a temp directory
//! (`--catalog`, or a temp `XDG_CACHE_HOME` for the default directory), never the user's cache.
//! Fault tests check the error and that the stored catalog is left exactly as it was; every run
//! checks that the token appears in no output.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use ldic_test_support::files::dir_files;
use ldic_test_support::http::{ManifestsApi, manifest_item, raw_server};
use ldic_test_support::{Run, workspace_root};
use serde_json::{Value, json};

const TOKEN: &str = "cli-update-token-7b2d41";

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
    Run::from(cmd.output().unwrap()).hiding(&[TOKEN])
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

/// A catalog stored once from hand-written items: (temp root, catalog dir, its content).
fn stored_once() -> (tempfile::TempDir, PathBuf, Vec<(String, Vec<u8>)>) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("catalog");
    let server = ManifestsApi::start(TOKEN);
    server.serve(
        200,
        &json!({"items": [manifest_item("acme-sink", &["eu", "us"])]}),
    );
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let state = dir_files(&dir);
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
    assert_eq!(dir_files(dir), before, "the stored catalog changed");
    // Nothing left beside it (no temp directory).
    let beside: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

// One sequence (~85 lines): update, lint, reset and lint again on the same catalog directory;
// each step's result depends on the one before.
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
    let server = ManifestsApi::start(TOKEN);
    server.serve(
        200,
        &json!({"items": [manifest_item("acme-sink", &["eu", "us"]), broken_item()]}),
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
        let server = ManifestsApi::start(TOKEN);
        server.serve(status, &json!({"message": format!("bad token {TOKEN}")}));
        let run = update(root.path(), &dir, &server.uri(), &[]);
        assert_failed_unchanged(&run, &dir, &before, &[needle, "LD_API_KEY"]);
    }
}

#[test]
fn a_429_is_retried_then_succeeds() {
    let (root, dir, _) = stored_once();
    let server = ManifestsApi::start(TOKEN);
    server.rate_limit_once();
    server.serve(
        200,
        &json!({"items": [manifest_item("acme-sink", &["eu", "us", "apac"])]}),
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
    let server = ManifestsApi::start(TOKEN);
    server.fail_with(500);
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_failed_unchanged(&run, &dir, &before, &["answered 500", "after 4 attempts"]);
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

    let server = ManifestsApi::start(TOKEN);
    let deep = format!("{{\"items\":{}{}}}", "[".repeat(200), "]".repeat(200));
    server.serve_text(200, &deep);
    let run = update(root.path(), &dir, &server.uri(), &[]);
    assert_failed_unchanged(&run, &dir, &before, &["nests arrays/objects deeper"]);
}

#[test]
fn a_read_only_catalog_directory_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt as _;
    let (root, dir, before) = stored_once();
    let server = ManifestsApi::start(TOKEN);
    server.serve(
        200,
        &json!({"items": [manifest_item("acme-sink", &["eu", "us", "apac"])]}),
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
