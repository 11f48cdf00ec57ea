//! `ldic plan` and `ldic apply` against a loopback LaunchDarkly (wiremock; the stateful fake
//! replaces it once it is on main), and the checks made before any request.
#![allow(clippy::unwrap_used)] // tests may unwrap

use serde_json::{Value, json};
use std::path::Path;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "api-canary-token-91ce";
const SECRET: &str = "dd-canary-secret-3e1f";
const LIST: &str = "/api/v2/integration-configurations/keys/datadog";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn ldic(dir: &Path, args: &[&str], base: &str) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (dir, base) = (dir.to_path_buf(), base.to_owned());
    tokio::task::spawn_blocking(move || {
        let out = ldic_test_support::ldic_cmd!()
            .current_dir(dir)
            .env("LD_API_KEY", TOKEN)
            .env("LDIC_TEST_DD_KEY", SECRET)
            .env("LD_BASE_URL", base)
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .unwrap()
}

const FILES: &str = "integrationKey: datadog\nname: Datadog (prod)\ntags: [prod, eu]\nconfigValues:\n  apiKey: ${env:LDIC_TEST_DD_KEY}\n  hostURL: https://api.datadoghq.eu\n---\nintegrationKey: datadog\nname: Datadog (staging)\nconfigValues:\n  apiKey: ${env:LDIC_TEST_DD_KEY}\n";

fn remote_prod(id: &str, name: &str) -> Value {
    json!({"_id": id, "name": name, "_integrationKey": "datadog", "enabled": true,
        "tags": ["prod"], "_links": {}, "_createdAt": 1,
        "configValues": {"apiKey": "****", "hostURL": "https://api.datadoghq.com", "hideMemberDetails": false}})
}

async fn server_with(items: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": items, "_links": {}})),
        )
        .mount(&server)
        .await;
    server
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("datadog.yaml"), FILES).unwrap();
    dir
}

fn no_canary(r: &Run) {
    for canary in [TOKEN, SECRET] {
        assert!(
            !r.stdout.contains(canary) && !r.stderr.contains(canary),
            "{}{}",
            r.stdout,
            r.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_human_and_json_outputs() {
    let server = server_with(vec![remote_prod("id-prod", "Datadog (prod)")]).await;
    let dir = setup();
    let human = ldic(dir.path(), &["plan", "."], &server.uri()).await;
    assert_eq!(human.code, 0, "{}", human.stderr);
    no_canary(&human);
    insta::assert_snapshot!("plan_human", human.stdout);
    let json_run = ldic(dir.path(), &["plan", "--format", "json"], &server.uri()).await;
    assert_eq!(json_run.code, 0, "{}", json_run.stderr);
    no_canary(&json_run);
    let doc: Value = serde_json::from_str(&json_run.stdout).unwrap();
    insta::assert_snapshot!("plan_json", serde_json::to_string_pretty(&doc).unwrap());
    let md = ldic(
        dir.path(),
        &["plan", "--format", "markdown", "--exit-code"],
        &server.uri(),
    )
    .await;
    assert_eq!(md.code, 1, "--exit-code with pending changes");
    assert!(md.stdout.starts_with("### ldic plan"), "{}", md.stdout);
    no_canary(&md);
    let gets = server.received_requests().await.unwrap();
    assert_eq!(gets.len(), 3, "one list request per run and key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_invalid_file_sends_nothing() {
    let server = server_with(vec![]).await;
    let dir = setup();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "integrationKey: datadog\nname: x\nconfigValues:\n  hostUrl: nope\n",
    )
    .unwrap();
    for args in [&["plan"][..], &["apply", "--yes"][..]] {
        let r = ldic(dir.path(), args, &server.uri()).await;
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("bad.yaml") && r.stderr.contains("nothing was planned or sent"),
            "{}",
            r.stderr
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambiguous_remote_names_exit_1_naming_both_ids() {
    let server = server_with(vec![
        remote_prod("id-one", "Datadog (prod)"),
        remote_prod("id-two", "Datadog (prod)"),
    ])
    .await;
    let dir = setup();
    let r = ldic(dir.path(), &["plan"], &server.uri()).await;
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("id-one") && r.stdout.contains("id-two"),
        "{}",
        r.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_creates_and_patches_with_test_operations() {
    let server = server_with(vec![remote_prod("id-prod", "Datadog (prod)")]).await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(remote_prod("id-new", "Datadog (staging)")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/integration-configurations/id-prod"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(remote_prod("id-prod", "Datadog (prod)")),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/integration-configurations/id-prod"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(remote_prod("id-prod", "Datadog (prod)")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = setup();
    let r = ldic(
        dir.path(),
        &["apply", "--yes", "--concurrency", "2"],
        &server.uri(),
    )
    .await;
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("Apply: 2 done, 0 failed, 0 unknown."),
        "{}",
        r.stdout
    );
    no_canary(&r);
    let requests = server.received_requests().await.unwrap();
    let post = requests
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(
        body["configValues"]["apiKey"], SECRET,
        "a create sends the secret"
    );
    let patch = requests
        .iter()
        .find(|r| r.method.as_str() == "PATCH")
        .unwrap();
    let ops: Value = serde_json::from_slice(&patch.body).unwrap();
    assert_eq!(
        ops,
        json!([
            {"op": "test", "path": "/tags", "value": ["prod"]},
            {"op": "test", "path": "/configValues/hostURL", "value": "https://api.datadoghq.com"},
            {"op": "replace", "path": "/tags", "value": ["eu", "prod"]},
            {"op": "replace", "path": "/configValues/hostURL", "value": "https://api.datadoghq.eu"}
        ]),
        "no secret on update without --rotate-secrets"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_made_before_any_request() {
    let server = server_with(vec![]).await;
    let dir = setup();
    let r = ldic(dir.path(), &["apply"], &server.uri()).await;
    assert_eq!(r.code, 2, "no terminal, no --yes");
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    let r = ldic(dir.path(), &["plan"], "http://example.invalid").await;
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("plain http would send the API token unencrypted"),
        "{}",
        r.stderr
    );
    let r = ldic(dir.path(), &["plan", "--target", "datadog/"], &server.uri()).await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());
}
