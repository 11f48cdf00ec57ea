//! `ldic create` against the stateful fake of LaunchDarkly (`ldic-fake`: every request checked
//! against the OpenAPI spec when it is found, the request log with secret values masked), and
//! `--dry-run`.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_fake::{API_PREFIX, Fake, Fault, LoggedRequest, OBFUSCATED};
use ldic_test_support::Run;
use serde_json::{Value, json};
use std::path::Path;

const TOKEN: &str = "api-canary-token-77aa";
const SECRET: &str = "dd-canary-secret-5c2b";

/// Runs `ldic` with only the environment given (no `LD_API_KEY` or `LD_BASE_URL` of the caller).
fn ldic(args: Vec<String>, env: Vec<(&'static str, String)>) -> Run {
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.env_remove("LD_API_KEY")
        .env_remove("LD_BASE_URL")
        .env("NO_COLOR", "1")
        .args(&args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run ldic"))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p.to_string_lossy().into_owned()
}

fn fake() -> Fake {
    Fake::start(TOKEN).unwrap()
}

/// The POST requests the fake received (bodies with secret values masked).
fn posts(fake: &Fake) -> Vec<LoggedRequest> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

/// Every request matched the spec (when the fake has it).
fn no_violations(fake: &Fake) {
    assert_eq!(fake.spec_violations(), []);
}

const DATADOG: &str = "integrationKey: datadog\nname: Datadog (prod)\ntags: [prod]\nconfigValues:\n  apiKey: ${env:LDIC_TEST_DD_KEY}\n  hostURL: https://api.datadoghq.eu\n";

#[test]
fn create_sends_the_resolved_body_and_prints_the_id() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "dd.yaml", DATADOG);
    let r = ldic(
        vec!["create".into(), file, "--base-url".into(), fake.url()],
        vec![
            ("LD_API_KEY", TOKEN.into()),
            ("LDIC_TEST_DD_KEY", SECRET.into()),
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let stored = fake.stored_all();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        r.stdout,
        format!("{}\n", stored[0]["_id"].as_str().unwrap())
    );
    assert!(!r.stderr.contains(SECRET) && !r.stderr.contains(TOKEN));
    let requests = fake.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("POST", "/api/v2/integration-configurations/keys/datadog")
    );
    // The log masks secret values; the stored configuration holds the value sent.
    assert_eq!(
        requests[0].body,
        Some(json!({"name": "Datadog (prod)", "tags": ["prod"],
            "configValues": {"apiKey": OBFUSCATED, "hostURL": "https://api.datadoghq.eu"}}))
    );
    assert_eq!(stored[0]["configValues"]["apiKey"], SECRET);
    no_violations(&fake);
}

#[test]
fn base_url_from_the_environment_and_api_refusal_exits_1() {
    let fake = fake();
    fake.inject(Fault::answer(
        "POST",
        API_PREFIX,
        1,
        400,
        "invalid_request",
        "name already used",
    ));
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "dd.yaml", DATADOG);
    let r = ldic(
        vec!["create".into(), file],
        vec![
            ("LD_API_KEY", TOKEN.into()),
            ("LD_BASE_URL", fake.url()),
            ("LDIC_TEST_DD_KEY", SECRET.into()),
        ],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("400"), "{}", r.stderr);
    assert!(r.stderr.contains("name already used"), "{}", r.stderr);
    assert!(!r.stderr.contains(SECRET) && !r.stderr.contains(TOKEN));
    assert_eq!(fake.requests().len(), 1);
    assert!(fake.stored_all().is_empty());
}

#[test]
fn invalid_file_or_missing_variable_or_token_sends_nothing() {
    let fake = fake();
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
        vec!["create".into(), bad, "--base-url".into(), fake.url()],
        env(),
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown-field"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was sent"), "{}", r.stderr);

    let good = write(dir.path(), "dd.yaml", DATADOG);
    let r = ldic(
        vec![
            "create".into(),
            good.clone(),
            "--base-url".into(),
            fake.url(),
        ],
        vec![("LD_API_KEY", TOKEN.into())],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("LDIC_TEST_DD_KEY"), "{}", r.stderr);

    let r = ldic(
        vec!["create".into(), good, "--base-url".into(), fake.url()],
        vec![("LDIC_TEST_DD_KEY", SECRET.into())],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("LD_API_KEY"), "{}", r.stderr);
    assert_eq!(fake.requests(), []);
}

#[test]
fn dry_run_prints_the_request_with_secrets_redacted_and_sends_nothing() {
    let fake = fake();
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
            fake.url(),
        ],
        vec![
            ("LD_API_KEY", TOKEN.into()),
            ("LDIC_TEST_DD_KEY", SECRET.into()),
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for canary in [SECRET, TOKEN, "hc-literal-canary"] {
        assert!(
            !r.stdout.contains(canary) && !r.stderr.contains(canary),
            "{canary} leaked"
        );
    }
    let dd = format!(
        "POST {}/api/v2/integration-configurations/keys/datadog\n",
        fake.url()
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
    assert_eq!(fake.requests(), []);
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

#[test]
fn references_in_uri_enum_and_multiselect_fields_are_resolved_and_file_only_keys_never_sent() {
    for yaml in [false, true] {
        let fake = fake();
        let dir = tempfile::tempdir().unwrap();
        let file = env_everywhere(dir.path(), yaml);
        let r = ldic(
            vec!["create".into(), file, "--base-url".into(), fake.url()],
            env_values("critical"),
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        for canary in [TEAMS_URL, SECRET, TOKEN, "canary-teams"] {
            assert!(!r.stdout.contains(canary) && !r.stderr.contains(canary));
        }
        let bodies: Vec<Value> = posts(&fake).into_iter().map(|r| r.body.unwrap()).collect();
        assert_eq!(bodies.len(), 2, "{bodies:?}");
        assert_eq!(
            bodies[0],
            json!({"name": "Teams", "configValues": {"url": TEAMS_URL}})
        );
        assert_eq!(
            bodies[1]["configValues"],
            json!({"integrationKey": SECRET, "severity": "critical",
                "eventFilter": ["measured-rollout-reverted", "measured-rollout-regression"]})
        );
        no_violations(&fake);
    }
}

#[test]
fn a_resolved_value_of_the_wrong_kind_is_shown_at_the_reference_and_nothing_is_sent() {
    for yaml in [false, true] {
        let fake = fake();
        let dir = tempfile::tempdir().unwrap();
        let file = env_everywhere(dir.path(), yaml);
        let mut env = env_values("canary-severity-9d1");
        env[1].1 = "not a url canary-teams-0f3e".into();
        let r = ldic(
            vec!["create".into(), file, "--base-url".into(), fake.url()],
            env,
        );
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
        assert_eq!(fake.requests(), []);
    }
}

#[test]
fn dry_run_redacts_env_values_and_credential_urls() {
    let dir = tempfile::tempdir().unwrap();
    let file = env_everywhere(dir.path(), true);
    let r = ldic(
        vec!["create".into(), "--dry-run".into(), file],
        env_values("critical"),
    );
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
    let r = ldic(vec!["create".into(), "--dry-run".into(), literal], vec![]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("canary-teams") && !r.stderr.contains("canary-teams"));
    assert!(r.stdout.contains("\"url\": \"[redacted]\""), "{}", r.stdout);
}

#[test]
fn the_token_variable_and_names_outside_env_allow_are_refused() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let token_ref = write(
        dir.path(),
        "t.yaml",
        "integrationKey: msteams\nname: T\nconfigValues:\n  url: ${env:LD_API_KEY}\n",
    );
    let r = ldic(
        vec!["create".into(), token_ref, "--base-url".into(), fake.url()],
        vec![("LD_API_KEY", TOKEN.into())],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("forbidden-env-reference"), "{}", r.stderr);
    assert!(!r.stderr.contains(TOKEN));

    let file = env_everywhere(dir.path(), false);
    let r = ldic(
        vec![
            "create".into(),
            file,
            "--base-url".into(),
            fake.url(),
            "--env-allow".into(),
            "LDIC_TEST_TEAMS_*".into(),
        ],
        env_values("critical"),
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stderr.matches("env-reference-not-allowed").count(),
        3,
        "{}",
        r.stderr
    );
    assert_eq!(fake.requests(), []);
}
