//! `ldic plan` lists each integration key once, however many configurations of it the files hold
//! (issue 16): the request log of the stateful fake (`ldic-fake`) is counted.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_fake::{API_PREFIX, Fake};
use serde_json::json;

const TOKEN: &str = "api-token-for-plan-requests";

fn datadog_yaml(name: &str) -> String {
    format!(
        "integrationKey: datadog\nname: {name}\nconfigValues:\n  apiKey: ${{env:LDIC_TEST_DD_KEY}}\n  hostURL: https://api.datadoghq.eu\n"
    )
}

fn datadog_json(name: &str) -> serde_json::Value {
    json!({"integrationKey": "datadog", "name": name,
        "configValues": {"apiKey": "${env:LDIC_TEST_DD_KEY}", "hostURL": "https://api.datadoghq.com"}})
}

#[test]
fn plan_sends_one_list_request_per_integration_key_not_per_configuration() {
    let fake = Fake::start(TOKEN).unwrap();
    fake.seed(
        "datadog",
        json!({"name": "already there", "configValues": {"apiKey": "x"}}),
    );
    let dir = tempfile::tempdir().unwrap();
    // Six datadog configurations over three files (one alone, a multi-document YAML, a JSON
    // array), and two of a second key in a multi-document YAML.
    std::fs::write(dir.path().join("a.yaml"), datadog_yaml("a")).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        format!(
            "{}---\n{}---\n{}",
            datadog_yaml("b1"),
            datadog_yaml("b2"),
            datadog_yaml("b3")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c.json"),
        serde_json::to_string_pretty(&json!([datadog_json("c1"), datadog_json("c2")])).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("f.yaml"),
        "integrationKey: adfs\nname: f1\nconfigValues: {}\n---\nintegrationKey: adfs\nname: f2\nconfigValues: {}\n",
    )
    .unwrap();

    let out = ldic_test_support::ldic_cmd!()
        .current_dir(dir.path())
        .env("LD_API_KEY", TOKEN)
        .env("LDIC_TEST_DD_KEY", "dd-secret-for-plan")
        .env("LD_BASE_URL", fake.url())
        .env("NO_COLOR", "1")
        .args(["plan"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("b3") && stdout.contains("c2"), "{stdout}");
    assert_eq!(
        fake.count("GET", &format!("{API_PREFIX}/keys/datadog")),
        1,
        "six datadog configurations, one list request"
    );
    assert_eq!(
        fake.count("GET", &format!("{API_PREFIX}/keys/adfs")),
        1,
        "two adfs configurations, one list request"
    );
    assert_eq!(
        fake.requests().len(),
        2,
        "nothing but the two lists: {:?}",
        fake.requests()
    );
    assert!(fake.spec_violations().is_empty());
}
