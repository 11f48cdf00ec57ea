//! Secret canaries through every error path of the client, for every integration with a secret.
//!
//! A random canary goes into every secret field (and the API token is one too); a loopback server
//! answers each way a request can fail, echoing the request's body and Authorization header in
//! the answer. Neither the error's Display nor its Debug may contain a canary.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_client::{Client, PatchOperation, RetryPolicy};
use ldic_test_support::http::Echo;
use serde_json::{Map, Value, json};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher as _, Hasher as _};
use std::time::Duration;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn canary() -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(7);
    format!("CNRY{:016x}", h.finish())
}

fn client(server: &MockServer, token: &str) -> Client {
    Client::builder(token)
        .base_url(&server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_rate_limit_wait: Duration::from_millis(10),
            max_jitter: Duration::from_millis(1),
        })
        .build()
        .unwrap()
}

/// A create body with a canary in every secret field (all fields filled so that most validate).
fn body_with_canaries(i: &ldic_catalog::Integration, canaries: &mut Vec<String>) -> Option<Value> {
    let list = i.config_values_list()?;
    let mut values = Map::new();
    for f in ldic_test_support::sample::user_fields(list) {
        let v = if f.is_secret {
            let c = canary();
            canaries.push(c.clone());
            json!(c)
        } else {
            ldic_test_support::sample::valid_value(f)
        };
        values.insert(f.key.to_string(), v);
    }
    let mut body = json!({"name": "canary", "configValues": values});
    if i.has_capability("auditLogEventsHook") {
        body["capabilityConfig"] = json!({"auditLogEventsHook": {"statements": [
            {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}
        ]}});
    }
    Some(body)
}

#[track_caller]
fn assert_clean(what: &str, err: &ldic_client::Error, canaries: &[String]) {
    let text = format!("{err}\n{err:?}");
    for c in canaries {
        assert!(!text.contains(c.as_str()), "{what} leaks {c}: {text}");
    }
}

// ~125 lines: every error path of the client against one echoing server and one list of
// canaries, so a new path is added as a few lines beside the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_error_path_shows_a_secret_even_when_the_server_echoes_it() {
    let token = canary();
    let mut canaries = vec![token.clone()];
    let bodies: Vec<(&'static str, Value)> = ldic_catalog::all()
        .filter(|i| {
            i.config_values_list()
                .is_some_and(|l| l.fields.iter().any(|f| f.is_secret))
        })
        .filter_map(|i| body_with_canaries(i, &mut canaries).map(|b| (i.key.as_ref(), b)))
        .collect();
    let valid = bodies
        .iter()
        .filter(|(k, b)| Client::check(k, b).is_ok())
        .count();
    assert!(
        valid * 10 >= bodies.len() * 8,
        "{valid} of {} validate",
        bodies.len()
    );

    for (status, json) in [
        (400, true),
        (401, true),
        (404, false),
        (409, true),
        (429, true),
        (500, true),
        (502, false),
        (201, true),
        (201, false),
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(Echo { status, json })
            .mount(&server)
            .await;
        let c = client(&server, &token);
        for (key, body) in &bodies {
            let Err(e) = c.create_json(key, body).await else {
                panic!("{key}: HTTP {status} is not a success");
            };
            assert_clean(&format!("create {key} -> {status}"), &e, &canaries);
        }
        // GET, list and DELETE echo the token.
        for e in [
            c.get("some-id").await.err(),
            c.list("datadog").await.err(),
            c.delete("some-id").await.err(),
        ]
        .into_iter()
        .flatten()
        {
            assert_clean(&format!("read -> {status}"), &e, &canaries);
        }
        assert_clean(
            "client Debug",
            &ldic_client::Error::Setup {
                message: format!("{c:?}"),
            },
            &canaries,
        );
    }

    // Invalid requests (a secret of the wrong shape, unknown fields holding secrets): not sent,
    // and the report does not quote them.
    let server = MockServer::start().await;
    let c = client(&server, &token);
    for (key, body) in &bodies {
        let mut bad = body.clone();
        let secret = canary();
        canaries.push(secret.clone());
        bad["configValues"]["ldicUnknown"] = json!(secret);
        bad["tags"] = json!([secret, secret]);
        let e = c.create_json(key, &bad).await.unwrap_err();
        assert!(e.report().is_some(), "{key}: {e}");
        assert_clean(&format!("invalid {key}"), &e, &canaries);
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    // Update: the current configuration holds the secrets; the PATCH is answered 400 with an
    // echo; a patch that does not apply quotes nothing either.
    let server = MockServer::start().await;
    let (key, body) = bodies
        .iter()
        .find(|(k, b)| Client::check(k, b).is_ok())
        .unwrap();
    let mut current = body.clone();
    current["_id"] = json!("cfg-1");
    current["_integrationKey"] = json!(key);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(current.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(Echo {
            status: 400,
            json: true,
        })
        .mount(&server)
        .await;
    let c = client(&server, &token);
    let secret_field = current["configValues"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v.as_str().is_some_and(|s| s.starts_with("CNRY")))
        .map(|(k, _)| k.clone())
        .unwrap();
    let new_secret = canary();
    canaries.push(new_secret.clone());
    for (what, at) in [
        ("update -> 400", format!("/configValues/{secret_field}")),
        (
            "patch does not apply",
            format!("/configValues/{secret_field}/deeper/x"),
        ),
    ] {
        let e = c
            .update("cfg-1", &[PatchOperation::replace(at, new_secret.clone())])
            .await
            .unwrap_err();
        assert_clean(what, &e, &canaries);
    }
}
