//! The client against a real HTTP server on loopback (wiremock): methods, paths, headers,
//! bodies, and every answer the API documents, plus the failures it does not document.

#![allow(clippy::unwrap_used)] // tests may unwrap: a failure is the test failing

mod common;

use common::*;
use ldic_catalog::Secret;
use ldic_client::{
    ApiToken, Client, Code, CreateRequest, Error, IntegrationConfiguration, Operation,
    PatchOperation,
};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// Answers every request with method `m` with `template`.
async fn answer(server: &MockServer, m: &str, template: ResponseTemplate) {
    Mock::given(method(m))
        .respond_with(template)
        .mount(server)
        .await;
}

/// A server answering every request with method `m` with `template`.
async fn answering(m: &str, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    answer(&server, m, template).await;
    server
}

/// Matches the POSTs that create Datadog configurations.
fn posts_to_datadog() -> MockBuilder {
    Mock::given(method("POST")).and(path(KEYS_DATADOG))
}

/// A mock answering requests with method `m` and `path` with `template`.
fn on(m: &str, p: &str, template: ResponseTemplate) -> Mock {
    Mock::given(method(m)).and(path(p)).respond_with(template)
}

/// Answers only the first request with method `m` and `path` with `template`, before anything
/// else mounted.
async fn answer_first(server: &MockServer, m: &str, p: &str, template: ResponseTemplate) {
    on(m, p, template)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
}

/// Answers requests with method `m` and `path` with `template`, and fails the test unless
/// exactly one arrives.
async fn answer_once(server: &MockServer, m: &str, p: &str, template: ResponseTemplate) {
    on(m, p, template).expect(1).mount(server).await;
}

/// Creates the typed Datadog configuration through `server`.
async fn create_datadog(server: &MockServer) -> Result<IntegrationConfiguration, Error> {
    client(server).create("Production Datadog", datadog()).await
}

/// The error of creating the typed Datadog configuration through `server`.
async fn create_error(server: &MockServer) -> Error {
    create_datadog(server).await.unwrap_err()
}

/// A server answering every GET with the configuration `cfg-1`.
async fn serving_cfg_1() -> MockServer {
    answering(
        "GET",
        ResponseTemplate::new(200).set_body_json(rep("cfg-1")),
    )
    .await
}

/// The error of patching `cfg-1` with `patch` through `server`.
async fn update_error(server: &MockServer, patch: &[PatchOperation]) -> Error {
    client(server).update("cfg-1", patch).await.unwrap_err()
}

/// `err` carries a validation report holding an error with `code`, at `pointer` when given.
#[track_caller]
fn assert_reports(err: &Error, code: Code, pointer: Option<&str>) {
    assert!(
        err.report().is_some_and(|r| r
            .errors()
            .any(|d| d.code == code && pointer.is_none_or(|p| d.pointer == p))),
        "{err:?}"
    );
}

fn assert_no_secret(err: &Error) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
    assert!(!shown.contains(SECRET), "secret leaked: {shown}");
}

#[tokio::test]
async fn typed_create_sends_headers_and_body_and_reads_201() {
    let server = MockServer::start().await;
    posts_to_datadog()
        .and(header("authorization", TOKEN))
        .and(header("ld-api-version", "beta"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            format!("ldic/{}", env!("CARGO_PKG_VERSION")).as_str(),
        ))
        .and(body_json(create_body("Production Datadog")))
        .respond_with(ResponseTemplate::new(201).set_body_json(rep("cfg-1")))
        .expect(1)
        .mount(&server)
        .await;

    let created = create_datadog(&server).await.unwrap();
    assert_eq!(created.id, "cfg-1");
    assert_eq!(created.integration_key.as_deref(), Some("datadog"));
    assert_eq!(created.created_at, Some(1_700_000_000_000));
    assert_eq!(created.tags, ["prod"]);
    assert_eq!(
        created.config_values.get("hostURL"),
        Some(&json!("https://api.datadoghq.com"))
    );
    assert_eq!(
        created.access.map(|a| a.denied.len()),
        Some(1),
        "_access is read"
    );
    // The response's Debug shows configValues keys, never values.
    let shown = format!("{:?}", created.config_values);
    assert!(
        shown.contains("apiKey") && !shown.contains("8c2a"),
        "{shown}"
    );
}

#[tokio::test]
async fn typed_create_takes_the_key_from_the_type() {
    let server = MockServer::start().await;
    posts_to_datadog()
        .and(body_json(json!({
            "name": "From a struct",
            "enabled": false,
            "tags": ["a", "b"],
            "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.eu"}
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(rep("cfg-typed")))
        .expect(1)
        .mount(&server)
        .await;
    let config = HandWrittenDatadog {
        api_key: Secret::new(SECRET),
        host_url: Some("https://api.datadoghq.eu".into()),
    };
    let request = CreateRequest::new("From a struct", config)
        .enabled(false)
        .tags(["a", "b"]);
    assert!(!format!("{request:?}").contains(SECRET));
    let created = client(&server).create_with(&request).await.unwrap();
    assert_eq!(created.id, "cfg-typed");
}

#[tokio::test]
async fn invalid_request_sends_nothing_and_returns_the_report() {
    let server = MockServer::start().await;
    let c = client(&server);

    // Typed: a value outside the enum, and an empty name.
    let typed = HandWrittenDatadog {
        api_key: Secret::new(SECRET),
        host_url: Some("https://example.com".into()),
    };
    let err = c.create("", typed).await.unwrap_err();
    let report = err.report().expect("an Invalid error with a report");
    assert!(report.errors().any(|d| d.pointer == "/name"), "{report}");
    assert_reports(&err, Code::NotAllowed, Some("/configValues/hostURL"));
    assert_no_secret(&err);

    // Untyped: a key the catalog does not have.
    let err = c
        .create_json("no-such-integration", &create_body("x"))
        .await
        .unwrap_err();
    assert_reports(&err, Code::UnknownIntegration, None);
    assert_no_secret(&err);

    assert!(requests(&server).await.is_empty(), "no request may be sent");
}

#[tokio::test]
async fn untyped_create_validates_against_the_catalog_and_sends_the_body() {
    let server = MockServer::start().await;
    let body = json!({
        "name": "Untyped",
        "enabled": true,
        "tags": ["prod"],
        "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.com"}
    });
    posts_to_datadog()
        .and(header("ld-api-version", "beta"))
        .and(body_json(body.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(rep("cfg-u")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(c.create_json("datadog", &body).await.unwrap().id, "cfg-u");
    let err = c
        .create_json(
            "datadog",
            &json!({"name": "x", "configValues": {"apiKey": 5}}),
        )
        .await
        .unwrap_err();
    assert!(err.report().is_some_and(|r| !r.is_ok()), "{err:?}");
    assert_no_secret(&err);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn status_400_keeps_code_and_message_without_echoed_secrets() {
    let server = MockServer::start().await;
    let echo = format!("invalid configValues {{\"apiKey\":\"{SECRET}\"}} for token {TOKEN}");
    answer_once(
        &server,
        "POST",
        KEYS_DATADOG,
        ResponseTemplate::new(400).set_body_json(error_body("invalid_request", &echo)),
    )
    .await;
    let err = create_error(&server).await;
    match &err {
        Error::Api {
            status,
            code,
            message,
        } => {
            assert_eq!(*status, 400);
            assert_eq!(code, "invalid_request");
            assert!(message.starts_with("invalid configValues"), "{message}");
            assert!(message.contains("[redacted]"), "{message}");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_no_secret(&err);
}

#[tokio::test]
async fn status_401_403_404_409_are_api_errors() {
    for (status, code) in [
        (401, "unauthorized"),
        (403, "forbidden"),
        (404, "not_found"),
        (409, "conflict"),
    ] {
        let server = MockServer::start().await;
        answer_once(
            &server,
            "POST",
            KEYS_DATADOG,
            ResponseTemplate::new(status).set_body_json(error_body(code, "no can do")),
        )
        .await;
        let err = create_error(&server).await;
        assert!(
            matches!(&err, Error::Api { status: s, code: c, message } if *s == status && c == code && message == "no can do"),
            "{status}: {err:?}"
        );
        assert_eq!(err.status(), Some(status));
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn get_404_is_an_api_error_and_not_retried() {
    let server = MockServer::start().await;
    answer_once(
        &server,
        "GET",
        "/api/v2/integration-configurations/nope",
        ResponseTemplate::new(404).set_body_json(error_body("not_found", "Unknown resource")),
    )
    .await;
    let err = client(&server).get("nope").await.unwrap_err();
    assert_matches!(err, Error::Api { status: 404, .. });
}

#[tokio::test]
async fn status_429_then_201_waits_and_succeeds() {
    let server = MockServer::start().await;
    posts_to_datadog()
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(error_body("rate_limited", "slow down")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    answer_once(
        &server,
        "POST",
        KEYS_DATADOG,
        ResponseTemplate::new(201).set_body_json(rep("cfg-2")),
    )
    .await;
    let created = create_datadog(&server).await.unwrap();
    assert_eq!(created.id, "cfg-2");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].body, sent[1].body,
        "the same body is resent after a 429"
    );
}

#[tokio::test]
async fn status_429_honours_x_ratelimit_reset_in_epoch_ms() {
    let server = MockServer::start().await;
    // A reset time in the past: retry at once.
    let reset_passed = ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "1000");
    answer_first(&server, "GET", KEYS_DATADOG, reset_passed).await;
    Mock::given(method("GET"))
        .and(path(KEYS_DATADOG))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [rep("a"), rep("b")], "_links": {}})),
        )
        .mount(&server)
        .await;
    let list = client(&server).list("datadog").await.unwrap();
    assert_eq!(
        list.items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn status_429_forever_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    posts_to_datadog()
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let err = create_error(&server).await;
    assert_matches!(err, Error::RateLimited { attempts: 3, retry_after: Some(d) } if d.is_zero());
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn status_429_asking_for_too_long_a_wait_returns_at_once() {
    let server = answering(
        "GET",
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
    )
    .await;
    let err = client(&server).get("x").await.unwrap_err();
    assert_matches!(err, Error::RateLimited { attempts: 1, retry_after: Some(d) } if d.as_secs() == 3600);
    assert_eq!(requests(&server).await.len(), 1);
}

/// A server answering requests with method `m` with `status` and a configuration, five
/// seconds late: too late for [`slow_client`].
async fn answering_too_late(m: &str, status: u16) -> MockServer {
    answering(
        m,
        ResponseTemplate::new(status)
            .set_body_json(rep("late"))
            .set_delay(Duration::from_secs(5)),
    )
    .await
}

fn slow_client(server: &MockServer) -> Client {
    builder_at(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
}

#[tokio::test]
async fn post_too_slow_for_the_timeout_is_not_resent_and_says_how_to_check() {
    let server = answering_too_late("POST", 201).await;
    let err = slow_client(&server)
        .create("Production Datadog", datadog())
        .await
        .unwrap_err();
    match &err {
        Error::OutcomeUnknown {
            operation, check, ..
        } => {
            assert_eq!(*operation, Operation::Create);
            assert!(check.contains("list(\"datadog\")"), "{check}");
            assert!(check.contains(KEYS_DATADOG), "{check}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert!(err.to_string().contains("may already exist"), "{err}");
    assert_no_secret(&err);
    assert_eq!(requests(&server).await.len(), 1, "a POST is never resent");
}

#[tokio::test]
async fn get_too_slow_for_the_timeout_is_retried_then_a_transport_error() {
    let server = answering_too_late("GET", 200).await;
    let err = slow_client(&server).get("late").await.unwrap_err();
    assert_matches!(
        err,
        Error::Transport {
            timed_out: true,
            ..
        }
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn status_500_after_post_is_not_retried() {
    let server = answering(
        "POST",
        ResponseTemplate::new(500).set_body_json(error_body("internal", "oops")),
    )
    .await;
    let err = create_error(&server).await;
    assert_matches!(&err, Error::OutcomeUnknown { operation: Operation::Create, reason, .. } if reason == "HTTP 500");
    assert_eq!(requests(&server).await.len(), 1, "a POST is never resent");
}

#[tokio::test]
async fn get_retries_a_transient_500() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "GET",
        "/api/v2/integration-configurations/cfg-3",
        ResponseTemplate::new(503),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/integration-configurations/cfg-3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rep("cfg-3")))
        .mount(&server)
        .await;
    assert_eq!(client(&server).get("cfg-3").await.unwrap().id, "cfg-3");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn malformed_json_answer_is_unexpected_body() {
    let server = answering(
        "POST",
        ResponseTemplate::new(201).set_body_raw(
            format!("{{\"_id\": \"x\", \"apiKey\": \"{SECRET}\""),
            "application/json",
        ),
    )
    .await;
    answer(
        &server,
        "GET",
        ResponseTemplate::new(200).set_body_json(json!({"_id": 5})),
    )
    .await;
    let c = client(&server);
    let err = c.create("Production Datadog", datadog()).await.unwrap_err();
    assert_matches!(err, Error::UnexpectedBody { status: 201, .. });
    assert_no_secret(&err);
    let err = c.get("x").await.unwrap_err();
    assert_matches!(err, Error::UnexpectedBody { status: 200, .. });
}

#[tokio::test]
async fn list_get_and_delete_use_their_paths() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/integration-configurations/keys/roost.ai"))
        .and(header("ld-api-version", "beta"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [], "_links": {"self": {"href": "x"}}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/integration-configurations/cfg-9"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let list = c.list("roost.ai").await.unwrap();
    assert!(list.items.is_empty());
    assert!(list.links.contains_key("self"));
    c.delete("cfg-9").await.unwrap();
}

#[tokio::test]
async fn update_checks_the_patched_configuration_then_sends_the_patch() {
    let server = MockServer::start().await;
    let patch = vec![
        PatchOperation::replace("/name", "Renamed"),
        PatchOperation::replace("/configValues/apiKey", SECRET),
    ];
    answer_once(
        &server,
        "GET",
        "/api/v2/integration-configurations/cfg-1",
        ResponseTemplate::new(200).set_body_json(rep("cfg-1")),
    )
    .await;
    let mut updated = rep("cfg-1");
    updated["name"] = json!("Renamed");
    Mock::given(method("PATCH"))
        .and(path("/api/v2/integration-configurations/cfg-1"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::to_value(&patch).unwrap()))
        .respond_with(ResponseTemplate::new(200).set_body_json(updated))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server).update("cfg-1", &patch).await.unwrap();
    assert_eq!(result.name, "Renamed");
}

#[tokio::test]
async fn update_to_an_invalid_configuration_sends_no_patch() {
    let server = serving_cfg_1().await;
    let err = update_error(
        &server,
        &[PatchOperation::replace(
            "/configValues/hostURL",
            "https://example.com",
        )],
    )
    .await;
    assert_reports(&err, Code::NotAllowed, Some("/configValues/hostURL"));
    let err = update_error(&server, &[PatchOperation::remove("/name")]).await;
    assert_reports(&err, Code::MissingRequired, None);
    let err = update_error(&server, &[PatchOperation::remove("/configValues/notThere")]).await;
    assert_matches!(err, Error::PatchDoesNotApply { .. });
    assert!(
        requests(&server)
            .await
            .iter()
            .all(|r| r.method.as_str() == "GET"),
        "only the current configuration is fetched"
    );
}

#[tokio::test]
async fn status_500_after_patch_is_not_retried() {
    let server = serving_cfg_1().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let err = update_error(&server, &[PatchOperation::replace("/name", "x")]).await;
    assert_matches!(&err, Error::OutcomeUnknown { operation: Operation::Update, check, .. } if check.contains("get(\"cfg-1\")"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_not_outcome_unknown() {
    // Bind then drop a listener: its port refuses connections.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = builder_at(&format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let err = c.create("Production Datadog", datadog()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                timed_out: false,
                ..
            }
        ),
        "nothing was sent, so this is not OutcomeUnknown: {err:?}"
    );
    assert_no_secret(&err);
}

#[test]
fn blocking_client_creates() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    rt.block_on(
        posts_to_datadog()
            .and(header("ld-api-version", "beta"))
            .respond_with(ResponseTemplate::new(201).set_body_json(rep("cfg-b")))
            .expect(1)
            .mount(&server),
    );
    let c = builder_at(&server.uri()).build_blocking().unwrap();
    assert_eq!(
        c.create("Production Datadog", datadog()).unwrap().id,
        "cfg-b"
    );
    let err = c.create("", datadog()).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(rt.block_on(requests(&server)).len(), 1);
}

#[test]
fn debug_of_the_client_never_shows_the_token() {
    let c = Client::builder(ApiToken::new(TOKEN)).build().unwrap();
    let shown = format!("{c:?} {c:#?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("5f1e"), "{shown}");
}

#[test]
fn bad_base_url_fails_to_build() {
    let err = Client::builder(TOKEN)
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert_matches!(err, Error::InvalidBaseUrl(_));
}

#[test]
fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    for url in ["http://app.launchdarkly.com", "http://10.1.2.3:8080/ld"] {
        let err = Client::builder(TOKEN).base_url(url).build().unwrap_err();
        assert_matches!(&err, Error::InvalidBaseUrl(e) if e.reason.contains("unencrypted"));
        assert!(!format!("{err} {err:?}").contains(TOKEN));
        let c = Client::builder(TOKEN)
            .allow_insecure_http(true)
            .base_url(url)
            .build()
            .unwrap();
        assert_eq!(
            c.base_url().as_url().host_str(),
            Some(url.split('/').nth(2).unwrap().split(':').next().unwrap())
        );
    }
    // The order of the builder calls does not matter.
    assert!(
        Client::builder(TOKEN)
            .base_url("http://example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    for local in [
        "http://127.0.0.1:1",
        "http://localhost:1",
        "http://[::1]:1",
        "https://example.com",
    ] {
        assert!(
            Client::builder(TOKEN).base_url(local).build().is_ok(),
            "{local}"
        );
    }
}

/// Server `origin` answers every request with a redirect to server `elsewhere`.
async fn redirecting_pair(status: u16) -> (MockServer, MockServer) {
    let origin = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [], "_links": {}})))
        .expect(0)
        .mount(&elsewhere)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(rep("cfg-1")))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let location = format!("{}{KEYS_DATADOG}?token=x", elsewhere.uri());
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).insert_header("location", location.as_str()))
        .mount(&origin)
        .await;
    (origin, elsewhere)
}

#[tokio::test]
async fn a_redirect_is_never_followed_so_the_token_stays_with_the_base_url() {
    for status in [301, 302, 307, 308] {
        let (origin, elsewhere) = redirecting_pair(status).await;
        let c = client(&origin);
        let err = c.list("datadog").await.unwrap_err();
        assert_matches!(
            &err,
            Error::Api { status: s, code, message }
                if *s == status && code == "redirect" && message.contains(&elsewhere.uri())
        );
        assert!(
            !err.to_string().contains("token=x"),
            "no path or query of the target: {err}"
        );
        let err = c.create("Production Datadog", datadog()).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_no_secret(&err);
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "HTTP {status}: a request (and the token) reached the other server"
        );
        assert_eq!(
            origin.received_requests().await.unwrap().len(),
            2,
            "not retried"
        );
    }
}

/// A loopback server that reads each request and closes the connection without answering;
/// returns its base URL and a counter of the requests it read.
fn hang_up_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::Read;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        // Bounded: at most a few connections, then the thread ends with the test process.
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let mut read = Vec::new();
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                read.extend_from_slice(&buf[..n]);
                if read.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

#[tokio::test]
async fn connection_closed_after_a_post_is_not_resent() {
    let (url, count) = hang_up_server();
    let c = builder_at(&url).build().unwrap();
    let err = c.create("Production Datadog", datadog()).await.unwrap_err();
    assert_matches!(&err, Error::OutcomeUnknown { operation: Operation::Create, check, .. } if check.contains("list(\"datadog\")"));
    assert_no_secret(&err);
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn connection_closed_on_a_get_is_retried() {
    let (url, count) = hang_up_server();
    let c = builder_at(&url).build().unwrap();
    let err = c.get("cfg-1").await.unwrap_err();
    assert_matches!(err, Error::Transport { .. });
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn generated_datadog_config_creates_with_its_key() {
    use ldic_catalog::datadog::{DatadogConfig, HostUrl};
    let server = MockServer::start().await;
    posts_to_datadog()
        .and(header("authorization", TOKEN))
        .and(body_json(json!({
            "name": "Generated",
            "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.eu", "hideMemberDetails": true}
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(rep("cfg-gen")))
        .expect(1)
        .mount(&server)
        .await;
    let config = DatadogConfig::new(Secret::new(SECRET))
        .with_host_url(HostUrl::HttpsApiDatadoghqEu)
        .with_hide_member_details(true);
    let created = client(&server).create("Generated", config).await.unwrap();
    assert_eq!(created.id, "cfg-gen");
}
