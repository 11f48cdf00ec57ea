//! Loopback HTTP servers for the tests of `ldic catalog update` and `cargo xtask fetch --api`,
//! which both read `GET /api/v2/integration-manifests` (an endpoint the stateful fake,
//! `ldic-fake`, does not serve: it has no state to model, only answers to script).
//!
//! [`raw_server`] answers with exact bytes (broken HTTP framing); `ManifestsApi` (feature
//! `mock-api`) is a wiremock server driven from blocking tests; `Echo` (feature `mock-api`) is
//! the hostile server of the secret-canary tests (the client's and the CLI's), quoting each
//! request back.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;

/// The path both commands read.
pub const MANIFESTS_ENDPOINT: &str = "/api/v2/integration-manifests";

/// A one-shot HTTP server on loopback: reads one request, answers `response` (raw bytes, so
/// the framing may be broken on purpose) and closes. Returns its base URL.
pub fn raw_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local address: {e}"));
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(&response);
        }
    });
    format!("http://{addr}")
}

/// A small hand-written manifest item as `GET /api/v2/integration-manifests` lists it: a secret
/// `apiKey` and an optional enum `region` of `allowed` values (default the first), an audit-log
/// hook, and no prose (no description, overview or icons: the API may omit them).
pub fn manifest_item(key: &str, allowed: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "key": key, "name": format!("{key} hook"), "version": "1.0.0",
        "formVariables": [
            {"key": "apiKey", "name": "API key", "type": "string", "isSecret": true},
            {"key": "region", "name": "Region", "type": "enum", "allowedValues": allowed,
             "defaultValue": allowed.first(), "isOptional": true}
        ],
        "capabilities": {"auditLogEventsHook": {"endpoint": {"url": "https://example.com/{{apiKey}}", "method": "POST"}}}
    })
}

#[cfg(feature = "mock-api")]
pub use mock::{Echo, ManifestsApi};

#[cfg(feature = "mock-api")]
mod mock {
    use super::MANIFESTS_ENDPOINT;
    use serde_json::{Value, json};
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    /// A wiremock responder standing in for a hostile LaunchDarkly: it answers every request
    /// with `status` and a body quoting the whole request (its body and its `Authorization`
    /// header), so a test can check that no error built from the answer shows a secret.
    #[derive(Debug, Clone, Copy)]
    pub struct Echo {
        /// The status of every answer.
        pub status: u16,
        /// A JSON error body (`code`, `message`, and a success-looking `_id`/`enabled` of the
        /// wrong shape) when true, else plain text.
        pub json: bool,
    }

    impl Respond for Echo {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let body = String::from_utf8_lossy(&request.body).into_owned();
            let auth = request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let echo = format!("you sent {body} with {auth}");
            if self.json {
                ResponseTemplate::new(self.status).set_body_json(json!({
                    "code": format!("invalid_request {auth}"),
                    "message": echo,
                    // A success-looking body whose shape is wrong, quoting a secret where a
                    // boolean belongs (the decoding error would quote it).
                    "_id": body,
                    "enabled": auth,
                }))
            } else {
                ResponseTemplate::new(self.status).set_body_string(echo)
            }
        }
    }

    /// A wiremock server for `GET /api/v2/integration-manifests`, usable from blocking tests:
    /// wiremock serves from its own thread, and this owns the runtime that mounts answers.
    #[derive(Debug)]
    pub struct ManifestsApi {
        runtime: tokio::runtime::Runtime,
        mock: MockServer,
        token: String,
    }

    impl ManifestsApi {
        /// A server whose [`serve`](Self::serve) answers only requests carrying `token` as
        /// `Authorization`.
        pub fn start(token: &str) -> Self {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
            let mock = runtime.block_on(MockServer::start());
            ManifestsApi {
                runtime,
                mock,
                token: token.to_owned(),
            }
        }

        /// The base URL to give `--base-url`.
        pub fn uri(&self) -> String {
            self.mock.uri()
        }

        /// Answers every `GET` of the endpoint carrying the token with `status` and `body`.
        pub fn serve(&self, status: u16, body: &Value) {
            self.mount(
                Mock::given(method("GET"))
                    .and(path(MANIFESTS_ENDPOINT))
                    .and(header("Authorization", self.token.as_str()))
                    .respond_with(ResponseTemplate::new(status).set_body_json(body)),
            );
        }

        /// Answers every `GET` of the endpoint with `status` and `text` as it is (not
        /// necessarily JSON).
        pub fn serve_text(&self, status: u16, text: &str) {
            self.mount(
                Mock::given(method("GET"))
                    .and(path(MANIFESTS_ENDPOINT))
                    .respond_with(ResponseTemplate::new(status).set_body_string(text)),
            );
        }

        /// Answers every `GET` of the endpoint with `status` and `Retry-After: 0`, no body.
        pub fn fail_with(&self, status: u16) {
            self.mount(
                Mock::given(method("GET"))
                    .and(path(MANIFESTS_ENDPOINT))
                    .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "0")),
            );
        }

        /// The next `GET` of the endpoint (only that one) is answered 429 with
        /// `Retry-After: 0`, before anything else mounted.
        pub fn rate_limit_once(&self) {
            self.mount(
                Mock::given(method("GET"))
                    .and(path(MANIFESTS_ENDPOINT))
                    .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
                    .up_to_n_times(1)
                    .with_priority(1),
            );
        }

        /// How many requests the server received.
        pub fn requests(&self) -> usize {
            self.runtime
                .block_on(self.mock.received_requests())
                .map(|r| r.len())
                .unwrap_or_default()
        }

        fn mount(&self, mock: Mock) {
            self.runtime.block_on(mock.mount(&self.mock));
        }
    }
}
