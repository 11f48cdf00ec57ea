//! The fake behaves as documented: each endpoint, obfuscation, defaults, duplicates, JSON Patch
//! with `test` operations, each fault, and spec violations. Requests are made with a minimal
//! HTTP/1.1 client over a plain TCP socket, so that a dropped connection is seen as exactly
//! that: zero bytes of answer.

#![allow(clippy::unwrap_used)] // tests may unwrap: a failure is the test failing
#![cfg_attr(not(openapi_spec), allow(dead_code))]

use ldic_fake::{API_PREFIX, Fake, Fault, OBFUSCATED};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;

const TOKEN: &str = "fake-test-token";
const SECRET: &str = "dd-canary-secret-93b1";

/// An HTTP answer, or `None` when the connection closed without one.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Call<'a> {
    method: &'a str,
    path: String,
    body: Option<String>,
    token: Option<&'a str>,
    api_version: Option<&'a str>,
}

fn call(method: &str, path: impl Into<String>) -> Call<'_> {
    Call {
        method,
        path: path.into(),
        body: None,
        token: Some(TOKEN),
        api_version: Some("beta"),
    }
}

impl Call<'_> {
    fn json(mut self, body: Value) -> Self {
        self.body = Some(body.to_string());
        self
    }

    fn send(self, fake: &Fake) -> Option<Answer> {
        let addr = fake.url().trim_start_matches("http://").to_owned();
        let mut stream = TcpStream::connect(&addr).unwrap();
        let mut request = format!(
            "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n",
            self.method, self.path
        );
        if let Some(token) = self.token {
            request += &format!("Authorization: {token}\r\n");
        }
        if let Some(version) = self.api_version {
            request += &format!("LD-API-Version: {version}\r\n");
        }
        let body = self.body.unwrap_or_default();
        if !body.is_empty() {
            request += "Content-Type: application/json\r\n";
        }
        request += &format!("Content-Length: {}\r\n\r\n{body}", body.len());
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        // A dropped connection may end in a reset rather than a clean close: both are "no answer".
        let _ = stream.read_to_end(&mut raw);
        if raw.is_empty() {
            return None;
        }
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.trim().to_owned(), v.trim().to_owned())
            })
            .collect();
        let body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(body).unwrap()
        };
        Some(Answer {
            status,
            headers,
            body,
        })
    }
}

fn keys(key: &str) -> String {
    format!("{API_PREFIX}/keys/{key}")
}

fn one(id: &str) -> String {
    format!("{API_PREFIX}/{id}")
}

fn fake() -> Fake {
    Fake::start(TOKEN).unwrap()
}

/// POSTs a Datadog configuration named `name` (only the secret `apiKey` set); `None` when the
/// connection closed without an answer.
fn post_datadog(fake: &Fake, name: &str) -> Option<Answer> {
    call("POST", keys("datadog"))
        .json(json!({"name": name, "configValues": {"apiKey": SECRET}}))
        .send(fake)
}

/// A fake with `fault` injected, and its answer to POSTing a Datadog configuration named `name`.
fn post_under(fault: Fault, name: &str) -> (Fake, Option<Answer>) {
    let fake = fake();
    fake.inject(fault);
    let answer = post_datadog(&fake, name);
    (fake, answer)
}

/// The first request the fake logged got no answer, and was `applied` or not.
#[track_caller]
fn assert_first_unanswered(fake: &Fake, applied: bool) {
    let logged = fake.requests();
    assert_eq!((logged[0].status, logged[0].applied), (None, applied));
}

/// The id of a configuration created with [`create_datadog`].
fn create_datadog_id(fake: &Fake, name: &str) -> String {
    create_datadog(fake, name)["_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn create_datadog(fake: &Fake, name: &str) -> Value {
    let answer = post_datadog(fake, name).unwrap();
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    answer.body
}

/// Every test ends by checking that all its requests matched the spec.
fn assert_no_violations(fake: &Fake) {
    assert!(fake.checks_spec(), "the fake was built without the spec");
    assert_eq!(fake.spec_violations(), []);
}

#[test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
fn the_five_endpoints_round_trip() {
    let fake = fake();
    let created = create_datadog(&fake, "Production");
    let id = created["_id"].as_str().unwrap().to_owned();
    assert_eq!(created["_integrationKey"], "datadog");
    assert_eq!(created["name"], "Production");
    for field in ["_links", "_createdAt", "_access"] {
        assert!(created.get(field).is_some(), "{field}");
    }

    let list = call("GET", keys("datadog")).send(&fake).unwrap();
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["_id"], id.as_str());
    assert!(list.body["_links"].is_object());
    let other = call("GET", keys("appdynamics")).send(&fake).unwrap();
    assert_eq!(
        other.body["items"],
        json!([]),
        "only the key's configurations"
    );

    let got = call("GET", one(&id)).send(&fake).unwrap();
    assert_eq!((got.status, got.body.clone()), (200, created.clone()));

    let patched = call("PATCH", one(&id))
        .json(json!([{"op": "replace", "path": "/name", "value": "Renamed"}]))
        .send(&fake)
        .unwrap();
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["name"], "Renamed");
    assert_eq!(fake.stored(&id).unwrap()["name"], "Renamed");

    let deleted = call("DELETE", one(&id)).send(&fake).unwrap();
    assert_eq!(deleted.status, 204);
    assert_eq!(call("GET", one(&id)).send(&fake).unwrap().status, 404);
    assert_eq!(call("DELETE", one(&id)).send(&fake).unwrap().status, 404);
    assert!(fake.stored_all().is_empty());
    assert_eq!(fake.count("GET", API_PREFIX), 4);
    assert_no_violations(&fake);
}

#[test]
fn a_wrong_or_missing_token_is_401_shaped_like_unauthorized_error_rep() {
    let fake = fake();
    for token in [Some("wrong"), None] {
        let answer = Call {
            token,
            ..call("GET", keys("datadog"))
        }
        .send(&fake)
        .unwrap();
        assert_eq!(answer.status, 401);
        assert_eq!(answer.body["code"], "unauthorized");
        assert!(answer.body["message"].is_string());
    }
}

#[test]
fn a_missing_api_version_is_400_and_a_violation() {
    let fake = fake();
    let answer = Call {
        api_version: None,
        ..call("GET", keys("datadog"))
    }
    .send(&fake)
    .unwrap();
    assert_eq!(answer.status, 400);
    let violations = fake.spec_violations();
    assert_eq!(violations.len(), 1);
    assert!(
        violations[0].problem.contains("LD-API-Version"),
        "{}",
        violations[0]
    );
}

#[test]
fn an_unknown_integration_key_is_404() {
    let fake = fake();
    assert_eq!(
        call("GET", keys("no-such-key")).send(&fake).unwrap().status,
        404
    );
    let post = call("POST", keys("no-such-key"))
        .json(json!({"name": "n", "configValues": {}}))
        .send(&fake)
        .unwrap();
    assert_eq!(post.status, 404);
    assert!(fake.stored_all().is_empty());
}

#[test]
fn create_fills_in_defaults_and_enabled() {
    let fake = fake();
    let created = create_datadog(&fake, "Defaults");
    assert_eq!(created["enabled"], true);
    assert_eq!(
        created["configValues"]["hostURL"],
        "https://api.datadoghq.com"
    );
    assert_eq!(created["configValues"]["hideMemberDetails"], false);
    assert_eq!(created["tags"], json!([]));
    // Given values are kept, including enabled: false.
    let answer = call("POST", keys("datadog"))
        .json(json!({"name": "n", "enabled": false, "tags": ["a"],
            "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.eu"}}))
        .send(&fake)
        .unwrap();
    assert_eq!(answer.body["enabled"], false);
    assert_eq!(answer.body["tags"], json!(["a"]));
    assert_eq!(
        answer.body["configValues"]["hostURL"],
        "https://api.datadoghq.eu"
    );
}

#[test]
fn create_refuses_an_unknown_or_missing_required_field() {
    let fake = fake();
    for values in [json!({}), json!({"apiKey": SECRET, "hostUrl": "x"})] {
        let answer = call("POST", keys("datadog"))
            .json(json!({"name": "n", "configValues": values}))
            .send(&fake)
            .unwrap();
        assert_eq!(answer.status, 400, "{values}");
        assert_eq!(answer.body["code"], "invalid_request");
    }
    assert!(fake.stored_all().is_empty());
}

#[test]
fn secrets_are_obfuscated_on_every_read_and_in_the_log() {
    let fake = fake();
    let created = create_datadog(&fake, "Secret");
    let id = created["_id"].as_str().unwrap().to_owned();
    assert_eq!(created["configValues"]["apiKey"], OBFUSCATED);
    let list = call("GET", keys("datadog")).send(&fake).unwrap();
    assert_eq!(list.body["items"][0]["configValues"]["apiKey"], OBFUSCATED);
    let got = call("GET", one(&id)).send(&fake).unwrap();
    assert_eq!(got.body["configValues"]["apiKey"], OBFUSCATED);
    let patched = call("PATCH", one(&id))
        .json(json!([{"op": "replace", "path": "/configValues/apiKey", "value": "rotated-canary"}]))
        .send(&fake)
        .unwrap();
    assert_eq!(patched.body["configValues"]["apiKey"], OBFUSCATED);
    // Stored as sent, readable through the test accessor only.
    assert_eq!(
        fake.stored(&id).unwrap()["configValues"]["apiKey"],
        "rotated-canary"
    );
    let log = format!("{:?}", fake.requests());
    assert!(
        !log.contains(SECRET) && !log.contains("rotated-canary"),
        "{log}"
    );
    assert!(log.contains(OBFUSCATED));
}

#[test]
fn duplicate_names_are_allowed_and_ids_are_unique() {
    let fake = fake();
    let a = create_datadog(&fake, "Same");
    let b = create_datadog(&fake, "Same");
    assert_ne!(a["_id"], b["_id"]);
    let list = call("GET", keys("datadog")).send(&fake).unwrap();
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
}

#[test]
fn a_patch_whose_tests_pass_is_applied() {
    let fake = fake();
    let id = create_datadog_id(&fake, "Tested");
    let answer = call("PATCH", one(&id))
        .json(json!([
            {"op": "test", "path": "/name", "value": "Tested"},
            {"op": "test", "path": "/configValues/hostURL", "value": "https://api.datadoghq.com"},
            {"op": "replace", "path": "/configValues/hostURL", "value": "https://api.datadoghq.eu"},
            {"op": "remove", "path": "/configValues/hideMemberDetails"},
        ]))
        .send(&fake)
        .unwrap();
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let stored = fake.stored(&id).unwrap();
    assert_eq!(
        stored["configValues"]["hostURL"],
        "https://api.datadoghq.eu"
    );
    assert!(stored["configValues"].get("hideMemberDetails").is_none());
}

#[test]
fn a_failed_test_changes_nothing_and_answers_the_configured_status() {
    for (fake, status, code) in [
        (fake(), 400, "invalid_request"),
        (
            Fake::builder(TOKEN)
                .failed_test_status(409)
                .start()
                .unwrap(),
            409,
            "optimistic_locking_error",
        ),
    ] {
        let id = create_datadog_id(&fake, "Before");
        let before = fake.stored(&id).unwrap();
        let answer = call("PATCH", one(&id))
            .json(json!([
                {"op": "replace", "path": "/name", "value": "After"},
                {"op": "test", "path": "/enabled", "value": false},
            ]))
            .send(&fake)
            .unwrap();
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (status, Some(code))
        );
        assert_eq!(
            fake.stored(&id).unwrap(),
            before,
            "atomic: the replace is undone"
        );
        assert!(!fake.requests().last().unwrap().applied);
    }
}

#[test]
fn a_patch_that_does_not_apply_or_leaves_an_invalid_configuration_changes_nothing() {
    let fake = fake();
    let id = create_datadog_id(&fake, "Keep");
    let before = fake.stored(&id).unwrap();
    for patch in [
        json!([{"op": "replace", "path": "/name", "value": "x"},
               {"op": "remove", "path": "/configValues/nothing"}]),
        json!([{"op": "remove", "path": "/configValues/apiKey"}]),
        json!([{"op": "replace", "path": "/_id", "value": "mine"}]),
        json!([{"op": "replace", "path": "/enabled", "value": "yes"}]),
    ] {
        let answer = call("PATCH", one(&id))
            .json(patch.clone())
            .send(&fake)
            .unwrap();
        assert_eq!(answer.status, 400, "{patch}");
    }
    assert_eq!(fake.stored(&id).unwrap(), before);
    assert_eq!(
        call("PATCH", one("nope"))
            .json(json!([]))
            .send(&fake)
            .unwrap()
            .status,
        404
    );
}

#[test]
fn seed_edit_and_stored_bypass_http() {
    let fake = fake();
    let id = fake.seed(
        "datadog",
        json!({"_id": "ignored", "name": "Seeded", "enabled": true, "tags": [],
               "configValues": {"apiKey": SECRET}}),
    );
    assert_ne!(id, "ignored");
    let got = call("GET", one(&id)).send(&fake).unwrap();
    assert_eq!(got.body["name"], "Seeded");
    assert_eq!(got.body["configValues"]["apiKey"], OBFUSCATED);
    assert!(fake.edit(&id, |c| c["name"] = json!("Edited in the UI")));
    assert!(!fake.edit("nope", |_| {}));
    assert_eq!(fake.stored(&id).unwrap()["name"], "Edited in the UI");
    assert_eq!(fake.requests().len(), 1, "seed and edit are not requests");
    fake.clear_requests();
    assert_eq!(fake.count("GET", "/"), 0);
}

#[test]
fn rate_limited_then_served() {
    let fake = fake();
    fake.inject(Fault::rate_limited("get", &keys("datadog"), 2, Some(1)));
    for _ in 0..2 {
        let answer = call("GET", keys("datadog")).send(&fake).unwrap();
        assert_eq!(answer.status, 429);
        assert_eq!(answer.header("retry-after"), Some("1"));
        assert_eq!(answer.body["code"], "rate_limited");
    }
    // Other methods and paths are not affected; the fault is used up after two.
    assert_eq!(call("GET", one("x")).send(&fake).unwrap().status, 404);
    assert_eq!(
        call("GET", keys("datadog")).send(&fake).unwrap().status,
        200
    );
    assert!(fake.pending_faults().is_empty());
}

#[test]
fn a_rate_limited_post_is_not_applied() {
    let (fake, answer) = post_under(Fault::rate_limited("POST", API_PREFIX, 1, None), "n");
    let answer = answer.unwrap();
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), None);
    assert!(fake.stored_all().is_empty());
}

#[test]
fn server_errors() {
    let (fake, answer) = post_under(Fault::server_error("POST", API_PREFIX, 1), "n");
    let answer = answer.unwrap();
    assert_eq!(answer.status, 500);
    assert!(fake.stored_all().is_empty());
    create_datadog(&fake, "then it works");
}

#[test]
fn an_answer_fault_gives_its_status_and_error_body_and_applies_nothing() {
    let (fake, answer) = post_under(
        Fault::answer(
            "POST",
            API_PREFIX,
            1,
            403,
            "forbidden",
            "the token lacks the role",
        ),
        "n",
    );
    let answer = answer.unwrap();
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.body,
        json!({"code": "forbidden", "message": "the token lacks the role"})
    );
    assert!(fake.stored_all().is_empty());
    assert!(fake.pending_faults().is_empty(), "used up after one");
    create_datadog(&fake, "then it works");
}

#[test]
fn a_connection_dropped_before_apply_gets_no_answer_and_changes_nothing() {
    let (fake, answer) = post_under(Fault::drop_before_apply("POST", API_PREFIX), "n");
    assert!(answer.is_none(), "{answer:?}");
    assert!(fake.stored_all().is_empty());
    assert_first_unanswered(&fake, false);
    // The server still serves new connections.
    create_datadog(&fake, "after");
}

#[test]
fn a_post_applied_then_dropped_gets_no_answer_but_exists() {
    let (fake, answer) = post_under(Fault::drop_after_apply("POST", API_PREFIX), "Ghost");
    assert!(answer.is_none(), "{answer:?}");
    let stored = fake.stored_all();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["name"], "Ghost");
    assert_first_unanswered(&fake, true);
}

#[test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
fn requests_that_do_not_match_the_spec_are_400_and_recorded() {
    let fake = fake();
    let cases = [
        call("POST", keys("datadog")).json(json!({"name": 1, "configValues": {"apiKey": SECRET}})),
        call("POST", keys("datadog")).json(json!({"name": "no configValues"})),
        call("POST", keys("datadog")),
        call("PATCH", one("x")).json(json!({"op": "replace"})),
        call("PATCH", one("x")).json(json!([{"path": "/name"}])),
        call("PUT", one("x")).json(json!({})),
        call("GET", format!("{API_PREFIX}/keys/datadog/extra")),
    ];
    let count = cases.len();
    for case in cases {
        let answer = case.send(&fake).unwrap();
        assert_eq!(answer.status, 400);
    }
    let violations = fake.spec_violations();
    assert_eq!(violations.len(), count, "{violations:?}");
    let text = format!("{violations:?}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(fake.stored_all().is_empty());
}
