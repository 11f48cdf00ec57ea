//! End-to-end tests of `cargo xtask fetch --api` against a mock of
//! `GET /api/v2/integration-manifests` (`ldic_test_support::http`: wiremock, or a raw socket for
//! broken HTTP).
//!
//! The big test serves the upstream snapshot's manifests (key added) plus hand-written items and
//! compares with what the git source extracts from the same snapshot. The fault tests check the
//! error and that the facts directory is left exactly as it was. Every run writes to its own temp
//! directory, never the workspace's `manifests/`.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use ldic_manifest::store::read_facts_dir;
use ldic_test_support::Run;
use ldic_test_support::files::{copy_dir, dir_files};
use ldic_test_support::http::{ManifestsApi, manifest_item, raw_server};
use serde_json::{Value, json};

const TOKEN: &str = "api-test-token-4f1c9e";

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
    Run::from(cmd.output().unwrap()).hiding(&[TOKEN])
}

fn api(base: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--api", "--base-url", base];
    args.extend_from_slice(extra);
    xtask(&args, out, Some(TOKEN))
}

/// Every file of the facts directory, and the names beside it.
type DirState = (Vec<(String, Vec<u8>)>, Vec<String>);

/// The [`DirState`] of `out`, to prove nothing changed.
fn dir_state(out: &Path) -> DirState {
    let mut beside: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    beside.sort();
    (dir_files(&out.join("manifests")), beside)
}

/// A facts directory written by a first API fetch of two items.
fn fetched_once(server: &ManifestsApi) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    server.serve(
        200,
        &json!({"items": [manifest_item("acme", &["eu", "us"]), manifest_item("globex", &["a"])]}),
    );
    let run = api(&server.uri(), out.path(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    out
}

/// A facts directory written by a first API fetch ([`fetched_once`], from a server of its own),
/// and its state.
fn fetched_before() -> (tempfile::TempDir, DirState) {
    let out = fetched_once(&ManifestsApi::start(TOKEN));
    let before = dir_state(out.path());
    (out, before)
}

fn assert_failed_unchanged(run: &Run, before: &DirState, out: &Path, wanted: &[&str]) {
    assert_ne!(run.code, 0, "should fail: {}", run.stdout);
    for w in wanted {
        assert!(run.stderr.contains(w), "{w:?} not in: {}", run.stderr);
    }
    assert!(run.stderr.contains("left unchanged"), "{}", run.stderr);
    assert_eq!(&dir_state(out), before, "the facts directory changed");
}

#[test]
fn first_fetch_writes_facts_lock_and_report() {
    let server = ManifestsApi::start(TOKEN);
    let out = fetched_once(&server);
    let set = read_facts_dir(&out.path().join("manifests")).unwrap();
    assert_eq!(
        set.integrations.keys().collect::<Vec<_>>(),
        vec!["acme", "globex"]
    );
    let lock = set.lock.clone().unwrap();
    assert!(lock.is_api());
    assert_eq!(lock.base_url.as_deref(), Some(server.uri().as_str()));
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
    let server = ManifestsApi::start(TOKEN);
    let out = fetched_once(&server);
    let server = ManifestsApi::start(TOKEN);
    server.serve(
        200,
        &json!({"items": [
            manifest_item("acme", &["eu", "us", "apac"]),
            manifest_item("globex", &["a"]),
            manifest_item("initech", &["x"]),
            {"key": "broken", "name": "Broken", "version": "1.0.0",
             "formVariables": [{"key": "mode", "name": "Mode", "type": "enum"}]},
        ]}),
    );
    let run = api(&server.uri(), out.path(), &["--report-format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
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
    let run = api(&server.uri(), out.path(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stderr, run.stdout);
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
    let server = ManifestsApi::start(TOKEN);
    let out = fetched_once(&server);
    let run = xtask(&[], out.path(), Some(TOKEN));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(server.requests(), 2);
}

#[test]
fn auth_failures_name_what_to_check() {
    let server = ManifestsApi::start(TOKEN);
    let out = fetched_once(&server);
    let before = dir_state(out.path());
    for (status, wanted) in [(401, ["401", "LD_API_KEY"]), (403, ["403", "role"])] {
        let server = ManifestsApi::start(TOKEN);
        server.serve(status, &json!({"code": "unauthorized", "message": "nope"}));
        let run = api(&server.uri(), out.path(), &[]);
        assert_failed_unchanged(&run, &before, out.path(), &wanted);
        assert_eq!(server.requests(), 1, "{status} is not retried");
    }
    // No token at all: nothing is sent.
    let run = xtask(&["--api", "--base-url", &server.uri()], out.path(), None);
    assert!(
        run.code != 0 && run.stderr.contains("LD_API_KEY is not set"),
        "{}",
        run.stderr
    );
    // Plain http to a host that is not loopback: refused before any request.
    let run = api("http://example.com", out.path(), &[]);
    assert!(
        run.code != 0 && run.stderr.contains("unencrypted"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_429_is_retried_after_what_retry_after_says() {
    let server = ManifestsApi::start(TOKEN);
    server.rate_limit_once();
    server.serve(200, &json!({"items": [manifest_item("acme", &["eu"])]}));
    let out = tempfile::tempdir().unwrap();
    let run = api(&server.uri(), out.path(), &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("429"), "{}", run.stderr);
    assert_eq!(server.requests(), 2);
    assert!(out.path().join("manifests/acme.json").is_file());
}

#[test]
fn a_persistent_500_gives_up_after_bounded_attempts() {
    let (out, before) = fetched_before();
    let server = ManifestsApi::start(TOKEN);
    server.serve(500, &json!({"message": "boom"}));
    let run = api(&server.uri(), out.path(), &[]);
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
    let (out, before) = fetched_before();

    // Cut mid-document (the HTTP framing is complete).
    let server = ManifestsApi::start(TOKEN);
    server.serve_text(200, r#"{"items":[{"key":"ac"#);
    let run = api(&server.uri(), out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["not complete JSON"]);

    // Deeply nested.
    let server = ManifestsApi::start(TOKEN);
    let deep = format!("{{\"items\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
    server.serve_text(200, &deep);
    let run = api(&server.uri(), out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["deeper than 64 levels"]);

    // Declared larger than the bound.
    let server = ManifestsApi::start(TOKEN);
    server.serve(
        200,
        &json!({"items": [manifest_item("acme", &["eu"]), manifest_item("big", &["x"; 100])]}),
    );
    let run = api(&server.uri(), out.path(), &["--max-response-bytes", "1000"]);
    assert_failed_unchanged(
        &run,
        &before,
        out.path(),
        &["larger than 1000 bytes", "declared"],
    );

    // No usable item at all: refusing beats emptying the directory.
    let server = ManifestsApi::start(TOKEN);
    server.serve(200, &json!({"items": [{"name": "no key"}]}));
    let run = api(&server.uri(), out.path(), &[]);
    assert_failed_unchanged(&run, &before, out.path(), &["no usable integration"]);
}

#[test]
fn broken_http_framing_is_refused() {
    let (out, before) = fetched_before();

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

// ~90 lines: one fetch from git and one from the API over the same snapshot, then their outputs
// compared file by file; the steps share the two directories.
#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (../shared/integration-framework or LDIC_UPSTREAM_DIR)"
)]
fn the_snapshot_served_by_the_api_gives_the_git_sourced_facts() {
    let snapshot = ldic_test_support::upstream_dir().unwrap();
    let git_out = tempfile::tempdir().unwrap();
    let run = xtask(
        &["--source", snapshot.to_str().unwrap()],
        git_out.path(),
        None,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let git = read_facts_dir(&git_out.path().join("manifests")).unwrap();

    let mut items = ldic_test_support::snapshot_items(&snapshot);
    // An existing integration with an added allowed value: the first top-level enum.
    let (changed_key, _) = ldic_test_support::add_allowed_value(&mut items, "ldic-added-value");
    // A new integration with prose, one without any prose field, one with an unusable variable.
    let mut with_prose = manifest_item("ldic-new-hook", &["eu", "us"]);
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

    let server = ManifestsApi::start(TOKEN);
    server.serve(200, &json!({ "items": items }));
    let api_out = tempfile::tempdir().unwrap();
    copy_dir(
        &git_out.path().join("manifests"),
        &api_out.path().join("manifests"),
    );
    let run = api(&server.uri(), api_out.path(), &["--report-format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
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
