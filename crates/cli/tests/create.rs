//! `ldic create` against a loopback fake LaunchDarkly (wiremock), and `--dry-run`.
#![allow(clippy::unwrap_used)] // tests may unwrap

use serde_json::{Value, json};
use std::path::Path;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "api-canary-token-77aa";
const SECRET: &str = "dd-canary-secret-5c2b";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run `ldic` off the async runtime's threads.
async fn ldic(args: Vec<String>, env: Vec<(&'static str, String)>) -> Run {
    tokio::task::spawn_blocking(move || {
        let mut cmd = ldic_test_support::ldic_cmd!();
        cmd.env_remove("LD_API_KEY")
            .env_remove("LD_BASE_URL")
            .env("NO_COLOR", "1")
            .args(&args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run ldic");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .expect("join")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p.to_string_lossy().into_owned()
}

const DATADOG: &str = "integrationKey: datadog\nname: Datadog (prod)\ntags: [prod]\nconfigValues:\n  apiKey: ${env:LDIC_TEST_DD_KEY}\n  hostURL: https://api.datadoghq.eu\n";

fn created(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "_id": id,
        "name": "Datadog (prod)",
        "_integrationKey": "datadog",
        "tags": ["prod"],
        "configValues": {"apiKey": "****", "hostURL": "https://api.datadoghq.eu"},
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_sends_the_resolved_body_and_prints_the_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/integration-configurations/keys/datadog"))
        .and(header("authorization", TOKEN))
        .respond_with(created("65f0c0ffee"))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "dd.yaml", DATADOG);
    let r = ldic(
        vec!["create".into(), file, "--base-url".into(), server.uri()],
        vec![
            ("LD_API_KEY", TOKEN.into()),
            ("LDIC_TEST_DD_KEY", SECRET.into()),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "65f0c0ffee\n");
    assert!(!r.stderr.contains(SECRET) && !r.stderr.contains(TOKEN));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({"name": "Datadog (prod)", "tags": ["prod"],
            "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.eu"}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn base_url_from_the_environment_and_api_refusal_exits_1() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"code": "invalid_request", "message": "name already used"})),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "dd.yaml", DATADOG);
    let r = ldic(
        vec!["create".into(), file],
        vec![
            ("LD_API_KEY", TOKEN.into()),
            ("LD_BASE_URL", server.uri()),
            ("LDIC_TEST_DD_KEY", SECRET.into()),
        ],
    )
    .await;
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("400"), "{}", r.stderr);
    assert!(!r.stderr.contains(SECRET) && !r.stderr.contains(TOKEN));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_file_or_missing_variable_or_token_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created("never"))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        "integrationKey: datadog\nname: x\nconfigValues:\n  apiKey: ${env:LDIC_TEST_DD_KEY}\n  hostUrl: x\n",
    );
    let env = || {
        vec![
            ("LD_API_KEY", TOKEN.to_owned()),
            ("LDIC_TEST_DD_KEY", SECRET.to_owned()),
        ]
    };
    let r = ldic(
        vec!["create".into(), bad, "--base-url".into(), server.uri()],
        env(),
    )
    .await;
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown-field"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was sent"), "{}", r.stderr);

    let good = write(dir.path(), "dd.yaml", DATADOG);
    let r = ldic(
        vec![
            "create".into(),
            good.clone(),
            "--base-url".into(),
            server.uri(),
        ],
        vec![("LD_API_KEY", TOKEN.into())],
    )
    .await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("LDIC_TEST_DD_KEY"), "{}", r.stderr);

    let r = ldic(
        vec!["create".into(), good, "--base-url".into(), server.uri()],
        vec![("LDIC_TEST_DD_KEY", SECRET.into())],
    )
    .await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("LD_API_KEY"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_request_with_secrets_redacted_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created("never"))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    // A literal secret too: it is a lint warning, and redacted in the dry run.
    let file = write(
        dir.path(),
        "two.json",
        r#"[{"integrationKey": "datadog", "name": "a", "configValues": {"apiKey": "${env:LDIC_TEST_DD_KEY}"}},
            {"integrationKey": "honeycomb", "name": "b", "configValues": {"apiKey": "hc-literal-canary", "datasetName": "prod"}}]"#,
    );
    let r = ldic(
        vec![
            "create".into(),
            "--dry-run".into(),
            file,
            "--base-url".into(),
            server.uri(),
        ],
        vec![
            ("LD_API_KEY", TOKEN.into()),
            ("LDIC_TEST_DD_KEY", SECRET.into()),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for canary in [SECRET, TOKEN, "hc-literal-canary"] {
        assert!(
            !r.stdout.contains(canary) && !r.stderr.contains(canary),
            "{canary} leaked"
        );
    }
    let dd = format!(
        "POST {}/api/v2/integration-configurations/keys/datadog\n",
        server.uri()
    );
    assert!(r.stdout.contains(&dd), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("/api/v2/integration-configurations/keys/honeycomb\n")
    );
    assert!(r.stdout.contains("Authorization: [redacted]"));
    assert!(
        r.stdout.contains("\"datasetName\": \"prod\""),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout.matches("\"apiKey\": \"[redacted]\"").count(),
        2,
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("dry run: 2 requests not sent"));
}

const TEAMS_URL: &str =
    "https://contoso.webhook.office.com/webhookb2/canary-teams-0f3e/IncomingWebhook/1/2";

/// A Teams configuration (uri field from the environment) and a PagerDuty one (enum and
/// multiselect items from the environment), with file-only keys, in JSON and YAML.
fn env_everywhere(dir: &Path, yaml: bool) -> String {
    if yaml {
        write(
            dir,
            "env.yaml",
            "- integrationKey: msteams\n  $schema: ./schemas/ldic.schema.json\n  x-note: {owner: ops}\n  _id: abc\n  name: Teams\n  configValues:\n    url: ${env:LDIC_TEST_TEAMS_URL}\n- integrationKey: pagerduty-guardian-edition\n  name: PD\n  configValues:\n    integrationKey: ${env:LDIC_TEST_PD_KEY}\n    severity: ${env:LDIC_TEST_SEVERITY}\n    eventFilter: [measured-rollout-reverted, \"${env:LDIC_TEST_EVENT}\"]\n",
        )
    } else {
        write(
            dir,
            "env.json",
            r#"[{"$schema": "./schemas/ldic.schema.json", "x-note": 1, "integrationKey": "msteams", "name": "Teams", "configValues": {"url": "${env:LDIC_TEST_TEAMS_URL}"}},
 {"integrationKey": "pagerduty-guardian-edition", "name": "PD", "configValues": {"integrationKey": "${env:LDIC_TEST_PD_KEY}", "severity": "${env:LDIC_TEST_SEVERITY}", "eventFilter": ["measured-rollout-reverted", "${env:LDIC_TEST_EVENT}"]}}]"#,
        )
    }
}

fn env_values(severity: &str) -> Vec<(&'static str, String)> {
    vec![
        ("LD_API_KEY", TOKEN.into()),
        ("LDIC_TEST_TEAMS_URL", TEAMS_URL.into()),
        ("LDIC_TEST_PD_KEY", SECRET.into()),
        ("LDIC_TEST_SEVERITY", severity.into()),
        ("LDIC_TEST_EVENT", "measured-rollout-regression".into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_in_uri_enum_and_multiselect_fields_are_resolved_and_file_only_keys_never_sent()
{
    for yaml in [false, true] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(created("65f0c0ffee"))
            .expect(2)
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let file = env_everywhere(dir.path(), yaml);
        let r = ldic(
            vec!["create".into(), file, "--base-url".into(), server.uri()],
            env_values("critical"),
        )
        .await;
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        for canary in [TEAMS_URL, SECRET, TOKEN, "canary-teams"] {
            assert!(!r.stdout.contains(canary) && !r.stderr.contains(canary));
        }
        let requests = server.received_requests().await.unwrap();
        let bodies: Vec<Value> = requests
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        assert_eq!(
            bodies[0],
            json!({"name": "Teams", "configValues": {"url": TEAMS_URL}})
        );
        assert_eq!(
            bodies[1]["configValues"],
            json!({"integrationKey": SECRET, "severity": "critical",
                "eventFilter": ["measured-rollout-reverted", "measured-rollout-regression"]})
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolved_value_of_the_wrong_kind_is_shown_at_the_reference_and_nothing_is_sent() {
    for yaml in [false, true] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(created("never"))
            .expect(0)
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let file = env_everywhere(dir.path(), yaml);
        let mut env = env_values("canary-severity-9d1");
        env[1].1 = "not a url canary-teams-0f3e".into();
        let r = ldic(
            vec!["create".into(), file, "--base-url".into(), server.uri()],
            env,
        )
        .await;
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("invalid-uri"), "{}", r.stderr);
        assert!(r.stderr.contains("not-allowed"), "{}", r.stderr);
        assert!(
            r.stderr.contains("${env:LDIC_TEST_TEAMS_URL}"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("${env:LDIC_TEST_SEVERITY}"),
            "{}",
            r.stderr
        );
        for canary in ["canary-severity-9d1", "canary-teams", SECRET, TOKEN] {
            assert!(
                !r.stdout.contains(canary) && !r.stderr.contains(canary),
                "{canary}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_redacts_env_values_and_credential_urls() {
    let dir = tempfile::tempdir().unwrap();
    let file = env_everywhere(dir.path(), true);
    let r = ldic(
        vec!["create".into(), "--dry-run".into(), file],
        env_values("critical"),
    )
    .await;
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("$schema") && !r.stdout.contains("x-note"));
    assert!(r.stdout.contains("\"url\": \"[redacted]\""), "{}", r.stdout);
    for canary in [TEAMS_URL, SECRET, TOKEN, "canary-teams"] {
        assert!(!r.stdout.contains(canary) && !r.stderr.contains(canary));
    }
    // A literal credential-bearing URL: a warning, and redacted too.
    let literal = write(
        dir.path(),
        "literal.yaml",
        &format!("integrationKey: msteams\nname: T\nconfigValues:\n  url: {TEAMS_URL}\n"),
    );
    let r = ldic(vec!["create".into(), "--dry-run".into(), literal], vec![]).await;
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("canary-teams") && !r.stderr.contains("canary-teams"));
    assert!(r.stdout.contains("\"url\": \"[redacted]\""), "{}", r.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_variable_and_names_outside_env_allow_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created("never"))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let token_ref = write(
        dir.path(),
        "t.yaml",
        "integrationKey: msteams\nname: T\nconfigValues:\n  url: ${env:LD_API_KEY}\n",
    );
    let r = ldic(
        vec![
            "create".into(),
            token_ref,
            "--base-url".into(),
            server.uri(),
        ],
        vec![("LD_API_KEY", TOKEN.into())],
    )
    .await;
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("forbidden-env-reference"), "{}", r.stderr);
    assert!(!r.stderr.contains(TOKEN));

    let file = env_everywhere(dir.path(), false);
    let r = ldic(
        vec![
            "create".into(),
            file,
            "--base-url".into(),
            server.uri(),
            "--env-allow".into(),
            "LDIC_TEST_TEAMS_*".into(),
        ],
        env_values("critical"),
    )
    .await;
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stderr.matches("env-reference-not-allowed").count(),
        3,
        "{}",
        r.stderr
    );
}
