//! The async client: one method per operation of the integration-configurations API.
//!
//! Each method builds the request, checks it (creates and updates are validated first and not
//! sent when invalid), sends it through [`Client::execute`], which applies the retry policy, and
//! decodes the answer into the typed models or a typed [`Error`].

use crate::ApiToken;
use crate::check::{check, check_typed};
use crate::endpoint::{BaseUrl, Instance};
use crate::error::{Error, Operation};
use crate::model::{
    CapabilityConfig, ConfigValues, ErrorRep, IntegrationConfiguration,
    IntegrationConfigurationCollection, IntegrationConfigurationPost, PatchOperation,
};
use crate::retry::RetryPolicy;
use crate::scrub::Scrubber;
use crate::secrets::assume_unchanged_secrets_valid;
use ldic_catalog::{Catalog, FormList, IntegrationConfig};
use ldic_validate::Report;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// `User-Agent` of every request: `ldic/<version>`.
pub const USER_AGENT: &str = concat!("ldic/", env!("CARGO_PKG_VERSION"));
/// The API version header every request carries (the integration-configurations API is beta).
pub const API_VERSION: &str = "beta";
/// Default timeout of one request (connect, send and read the whole answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

const API_PATH: [&str; 3] = ["api", "v2", "integration-configurations"];

/// Configures a [`Client`]: instance or base URL, timeout, retry policy.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    token: ApiToken,
    base_url: Result<BaseUrl, crate::InvalidBaseUrl>,
    allow_insecure_http: bool,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    catalog: Arc<Catalog>,
}

impl ClientBuilder {
    /// The catalog requests are validated against (default: the built-in one). With a catalog
    /// loaded at run time ([`Catalog::load_dir`]), an integration only that catalog knows is
    /// validated and sent, not refused as unknown.
    pub fn catalog(mut self, catalog: Arc<Catalog>) -> Self {
        self.catalog = catalog;
        self
    }

    /// One of the LaunchDarkly instances (commercial by default).
    pub fn instance(mut self, instance: Instance) -> Self {
        self.base_url = Ok(BaseUrl::from(instance));
        self
    }

    /// Any base URL (a proxy, a test server). An invalid URL makes [`build`](Self::build) fail,
    /// and so does a plain `http` URL to a host that is not loopback, unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set (see [`BaseUrl::parse`]).
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = BaseUrl::parse_allowing_insecure_http(url);
        self
    }

    /// Accepts a plain `http` base URL to any host (default: false, only `https` or loopback
    /// `http`). The API token is then sent unencrypted: only on an explicit request of the user.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Timeout of one request, from sending to the end of the answer. Default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout of establishing a connection. Default 10 s (never more than the request timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How 429s and transient failures are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client; fails on a base URL that may not carry the token or an HTTP stack that cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url?;
        if !self.allow_insecure_http {
            BaseUrl::parse(base_url.as_url().as_str())?;
        }
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // Never follow a redirect: the token must not go anywhere but the base URL.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout.min(self.timeout))
            .build()
            .map_err(|e| Error::Setup {
                message: e.to_string(),
            })?;
        let mut authorization =
            HeaderValue::from_str(self.token.expose()).map_err(|_| Error::Setup {
                message: "the API token contains characters not allowed in an HTTP header"
                    .to_owned(),
            })?;
        authorization.set_sensitive(true);
        let retry = RetryPolicy {
            max_attempts: self.retry.max_attempts.max(1),
            ..self.retry
        };
        Ok(Client {
            http,
            base_url,
            authorization,
            token: self.token,
            retry,
            catalog: self.catalog,
        })
    }

    /// Builds a [`blocking::Client`](crate::blocking::Client).
    pub fn build_blocking(self) -> Result<crate::blocking::Client, Error> {
        crate::blocking::Client::from_async(self.build()?)
    }
}

/// reqwest is built without a bundled crypto provider (`rustls-no-provider`, to avoid building
/// aws-lc); rustls's `ring` provider is installed as the process default unless the program
/// installed one already.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one in the meantime: that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The async REST client for `/api/v2/integration-configurations`.
///
/// Cheap to clone (the connection pool is shared). See the crate docs for an example.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: BaseUrl,
    /// The token as a header value, marked sensitive (redacted in reqwest's Debug).
    authorization: HeaderValue,
    token: ApiToken,
    retry: RetryPolicy,
    /// What requests are validated against.
    catalog: Arc<Catalog>,
}

/// A typed create request: the configuration struct fixes the integration key.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest<C> {
    /// The configuration's name.
    pub name: String,
    /// The typed `configValues`; its type names the integration.
    pub config: C,
    /// Whether the configuration is enabled (LaunchDarkly's default when `None`).
    pub enabled: Option<bool>,
    /// Tags of the configuration.
    pub tags: Option<Vec<String>>,
    /// Capability settings (approvals, audit-log event hook statements).
    pub capability_config: Option<CapabilityConfig>,
}

impl<C: IntegrationConfig> CreateRequest<C> {
    /// A request with a name and a configuration, everything else left to LaunchDarkly's defaults.
    pub fn new(name: impl Into<String>, config: C) -> Self {
        CreateRequest {
            name: name.into(),
            config,
            enabled: None,
            tags: None,
            capability_config: None,
        }
    }

    /// Sets `enabled`.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// Sets the tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the capability settings.
    pub fn capability_config(mut self, capability_config: CapabilityConfig) -> Self {
        self.capability_config = Some(capability_config);
        self
    }

    /// The JSON body of the create request.
    pub fn to_body(&self) -> Result<Value, Error> {
        let serialize_error = |e: serde_json::Error| Error::Serialize {
            message: e.to_string(),
        };
        let config_values = match serde_json::to_value(&self.config).map_err(serialize_error)? {
            Value::Object(map) => ConfigValues::new(map),
            _ => {
                return Err(Error::Serialize {
                    message: format!(
                        "{} did not serialize to a JSON object",
                        std::any::type_name::<C>()
                    ),
                });
            }
        };
        let post = IntegrationConfigurationPost {
            name: self.name.clone(),
            enabled: self.enabled,
            tags: self.tags.clone(),
            config_values,
            capability_config: self.capability_config.clone(),
        };
        serde_json::to_value(&post).map_err(serialize_error)
    }
}

/// Whether a request may be sent again after it may have reached the server.
#[derive(Debug, Clone, Copy)]
enum Resend {
    /// GET, DELETE: transient failures are retried.
    Allowed,
    /// POST, PATCH: only resent when LaunchDarkly certainly did not process it (429, no
    /// connection). Otherwise the error says the outcome is unknown and how to check.
    Never { operation: Operation },
}

/// An answer with a success status.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl Client {
    /// A client for the commercial instance with default settings.
    pub fn new(token: impl Into<ApiToken>) -> Result<Client, Error> {
        Client::builder(token).build()
    }

    /// A builder for a client with other settings (base URL, timeouts, retries).
    pub fn builder(token: impl Into<ApiToken>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: Ok(BaseUrl::from(Instance::Commercial)),
            allow_insecure_http: false,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            catalog: Arc::new(Catalog::default()),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// Validates a create body for an integration key of the built-in catalog without sending
    /// anything: the check [`create_json`](Self::create_json) makes, with its warnings.
    pub fn check(integration_key: &str, body: &Value) -> Report {
        check(Catalog::builtin(), integration_key, body)
    }

    /// The catalog this client validates against ([`ClientBuilder::catalog`]).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// [`Client::check`] against this client's catalog.
    pub fn check_in_catalog(&self, integration_key: &str, body: &Value) -> Report {
        check(&self.catalog, integration_key, body)
    }

    /// Creates a configuration from a typed config struct; the integration key comes from the
    /// struct's type. Validates first: an invalid request returns [`Error::Invalid`] and sends
    /// nothing.
    pub async fn create<C: IntegrationConfig>(
        &self,
        name: impl Into<String>,
        config: C,
    ) -> Result<IntegrationConfiguration, Error> {
        self.create_with(&CreateRequest::new(name, config)).await
    }

    /// [`create`](Self::create) with `enabled`, `tags` or `capabilityConfig`.
    pub async fn create_with<C: IntegrationConfig>(
        &self,
        request: &CreateRequest<C>,
    ) -> Result<IntegrationConfiguration, Error> {
        let body = request.to_body()?;
        let report = check_typed::<C>(&body);
        let list = C::integration().config_values_list();
        self.send_create(C::INTEGRATION_KEY, list, &body, report)
            .await
    }

    /// Creates a configuration from an integration key of the catalog and a JSON body
    /// (`IntegrationConfigurationPost`). Validates first: an invalid request (or a key the
    /// catalog does not have) returns [`Error::Invalid`] and sends nothing. Warnings do not stop
    /// the request; use [`Client::check`] to see them.
    pub async fn create_json(
        &self,
        integration_key: &str,
        body: &Value,
    ) -> Result<IntegrationConfiguration, Error> {
        let report = check(&self.catalog, integration_key, body);
        let list = self
            .catalog
            .get(integration_key)
            .and_then(|i| i.config_values_list());
        self.send_create(integration_key, list, body, report).await
    }

    async fn send_create(
        &self,
        integration_key: &str,
        list: Option<&FormList>,
        body: &Value,
        report: Report,
    ) -> Result<IntegrationConfiguration, Error> {
        if !report.is_ok() {
            return Err(Error::Invalid(report));
        }
        let scrubber = Scrubber::new(&self.token).with_config_values(list, body);
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Serialize {
            message: e.to_string(),
        })?;
        let url = self.keys_url(integration_key);
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        let check = format!(
            "`list(\"{integration_key}\")` (GET {url}) and look for a configuration named {name:?}"
        );
        let answer = self
            .execute(
                Call::write(Method::POST, url, bytes, Operation::Create, check),
                &scrubber,
            )
            .await?;
        decode(&answer, &scrubber)
    }

    /// Every configuration of one integration.
    pub async fn list(
        &self,
        integration_key: &str,
    ) -> Result<IntegrationConfigurationCollection, Error> {
        let scrubber = Scrubber::new(&self.token);
        let answer = self
            .execute(
                Call::read(Method::GET, self.keys_url(integration_key)),
                &scrubber,
            )
            .await?;
        decode(&answer, &scrubber)
    }

    /// One configuration by ID.
    pub async fn get(&self, id: &str) -> Result<IntegrationConfiguration, Error> {
        let scrubber = Scrubber::new(&self.token);
        let answer = self.get_answer(id, &scrubber).await?;
        decode(&answer, &scrubber)
    }

    /// Applies a JSON Patch to a configuration. The current configuration is fetched first and
    /// the patch applied to it locally; the result is validated like a create body (secret
    /// fields the patch does not change count as valid: LaunchDarkly does not return their
    /// values), and the patch is sent only when it applies and the result is valid.
    pub async fn update(
        &self,
        id: &str,
        patch: &[PatchOperation],
    ) -> Result<IntegrationConfiguration, Error> {
        let token_scrubber = Scrubber::new(&self.token);
        let current_answer = self.get_answer(id, &token_scrubber).await?;
        let document: Value = decode(&current_answer, &token_scrubber)?;
        let current: IntegrationConfiguration = decode(&current_answer, &token_scrubber)?;
        let integration_key = current
            .integration_key
            .ok_or_else(|| Error::UnexpectedBody {
                status: current_answer.status.as_u16(),
                message:
                    "the configuration has no `_integrationKey`, so the patch cannot be checked"
                        .to_owned(),
            })?;
        self.send_patch(id, &integration_key, document, patch).await
    }

    /// Applies a JSON Patch planned against `current` (the configuration as the caller read it
    /// from LaunchDarkly, e.g. from [`list`](Self::list)), without reading it again: the patch
    /// is applied to `current` locally, the result validated as in [`update`](Self::update),
    /// and the PATCH sent once (never resent after it may have reached LaunchDarkly:
    /// [`Error::OutcomeUnknown`]).
    ///
    /// Start the patch with `test` operations on the values it replaces (as `current` has
    /// them) so that a configuration changed by someone else since `current` was read is not
    /// overwritten: that refusal is [`Error::Conflict`] (see there how it is recognised), and
    /// nothing is changed. A patch that does not apply to `current` (including a failing
    /// `test`) is [`Error::PatchDoesNotApply`] and sends nothing.
    pub async fn update_planned(
        &self,
        current: &IntegrationConfiguration,
        patch: &[PatchOperation],
    ) -> Result<IntegrationConfiguration, Error> {
        let Some(integration_key) = current.integration_key.as_deref() else {
            return Err(Error::PatchDoesNotApply {
                message: "the planned configuration has no `_integrationKey`, so the patch \
                          cannot be checked"
                    .to_owned(),
            });
        };
        let document = serde_json::to_value(current).map_err(|e| Error::Serialize {
            message: e.to_string(),
        })?;
        match self
            .send_patch(&current.id, integration_key, document, patch)
            .await
        {
            Err(Error::Api {
                status,
                code,
                message,
            }) if has_tests(patch) && (status == 409 || status == 400) => {
                let conflict = status == 409 || self.tests_fail_now(&current.id, patch).await;
                Err(if conflict {
                    Error::Conflict {
                        id: current.id.clone(),
                        status,
                        code,
                        message,
                    }
                } else {
                    Error::Api {
                        status,
                        code,
                        message,
                    }
                })
            }
            other => other,
        }
    }

    /// After a 400 to a patch with `test` operations: whether one of them fails on the
    /// configuration as it is now (false when it cannot be read).
    async fn tests_fail_now(&self, id: &str, patch: &[PatchOperation]) -> bool {
        let scrubber = Scrubber::new(&self.token);
        let Ok(answer) = self.get_answer(id, &scrubber).await else {
            return false;
        };
        let Ok(mut now) = decode::<Value>(&answer, &scrubber) else {
            return false;
        };
        let tests: Vec<&PatchOperation> = patch.iter().filter(|op| op.op == "test").collect();
        serde_json::to_value(tests)
            .ok()
            .and_then(|tests| serde_json::from_value::<json_patch::Patch>(tests).ok())
            .is_some_and(|tests| json_patch::patch(&mut now, &tests).is_err())
    }

    /// Applies `patch` to `document` (the current configuration) locally, validates the result,
    /// and sends the PATCH once.
    async fn send_patch(
        &self,
        id: &str,
        integration_key: &str,
        mut document: Value,
        patch: &[PatchOperation],
    ) -> Result<IntegrationConfiguration, Error> {
        let before = create_body_of(&document);
        let patch_value = serde_json::to_value(patch).map_err(|e| Error::Serialize {
            message: e.to_string(),
        })?;
        let scrubber = Scrubber::new(&self.token).with_patch_values(patch);
        let json_patch: json_patch::Patch =
            serde_json::from_value(patch_value.clone()).map_err(|e| Error::PatchDoesNotApply {
                message: scrubber.scrub(&e.to_string()),
            })?;
        json_patch::patch(&mut document, &json_patch).map_err(|e| Error::PatchDoesNotApply {
            message: scrubber.scrub(&e.to_string()),
        })?;
        let after = create_body_of(&document);
        let mut candidate = after.clone();
        let list = self
            .catalog
            .get(integration_key)
            .and_then(|i| i.config_values_list());
        assume_unchanged_secrets_valid(list, &before, &mut candidate);
        let report = check(&self.catalog, integration_key, &candidate);
        if !report.is_ok() {
            return Err(Error::Invalid(report));
        }

        let scrubber = scrubber.with_config_values(list, &after);
        let url = self.id_url(id);
        let check = format!("`get(\"{id}\")` (GET {url})");
        let bytes = serde_json::to_vec(&patch_value).map_err(|e| Error::Serialize {
            message: e.to_string(),
        })?;
        let answer = self
            .execute(
                Call::write(Method::PATCH, url, bytes, Operation::Update, check),
                &scrubber,
            )
            .await?;
        decode(&answer, &scrubber)
    }

    /// Deletes a configuration by ID.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let scrubber = Scrubber::new(&self.token);
        self.execute(Call::read(Method::DELETE, self.id_url(id)), &scrubber)
            .await
            .map(|_| ())
    }

    async fn get_answer(&self, id: &str, scrubber: &Scrubber) -> Result<Answer, Error> {
        self.execute(Call::read(Method::GET, self.id_url(id)), scrubber)
            .await
    }

    fn keys_url(&self, integration_key: &str) -> Url {
        let mut segments = API_PATH.to_vec();
        segments.extend(["keys", integration_key]);
        self.base_url.join(&segments)
    }

    fn id_url(&self, id: &str) -> Url {
        let mut segments = API_PATH.to_vec();
        segments.push(id);
        self.base_url.join(&segments)
    }

    /// Sends a request under the retry policy (see [`crate::retry`]) and returns a success
    /// answer, or the typed error of the last attempt.
    async fn execute(&self, call: Call, scrubber: &Scrubber) -> Result<Answer, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.send_once(&call).await;
            match self.next_step(&call, attempt, outcome, scrubber) {
                Step::Wait(delay) => tokio::time::sleep(delay).await,
                Step::Done(result) => return result,
            }
        }
    }

    /// One attempt: the status, headers and whole body, or the transport error.
    async fn send_once(
        &self,
        call: &Call,
    ) -> Result<(StatusCode, HeaderMap, Vec<u8>), reqwest::Error> {
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header("LD-API-Version", API_VERSION)
            .header(ACCEPT, "application/json");
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await?;
        Ok((status, headers, bytes.to_vec()))
    }

    /// What to do after attempt number `attempt`: wait and try again, or finish.
    fn next_step(
        &self,
        call: &Call,
        attempt: u32,
        outcome: Result<(StatusCode, HeaderMap, Vec<u8>), reqwest::Error>,
        scrubber: &Scrubber,
    ) -> Step {
        let policy = &self.retry;
        let more_attempts = attempt < policy.max_attempts;
        let (status, headers, bytes) = match outcome {
            Ok(answer) => answer,
            Err(e) => return transport_step(call, attempt, more_attempts, policy, &e, scrubber),
        };
        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait = RetryPolicy::rate_limit_delay(&headers, SystemTime::now());
            let too_long = wait.is_some_and(|w| w > policy.max_rate_limit_wait);
            if !more_attempts || too_long {
                return Step::Done(Err(Error::RateLimited {
                    attempts: attempt,
                    retry_after: wait,
                }));
            }
            return Step::Wait(match wait {
                Some(wait) => wait + policy.jitter(),
                None => policy.backoff(attempt),
            });
        }
        if status.is_server_error() {
            return match call.resend {
                Resend::Never { operation } => Step::Done(Err(Error::OutcomeUnknown {
                    operation,
                    reason: format!("HTTP {}", status.as_u16()),
                    check: call.check.clone(),
                })),
                Resend::Allowed if more_attempts && is_transient(status) => {
                    Step::Wait(policy.backoff(attempt))
                }
                Resend::Allowed => Step::Done(Err(api_error(status, &bytes, scrubber))),
            };
        }
        if status.is_redirection() {
            return Step::Done(Err(redirect_error(status, &headers)));
        }
        if !status.is_success() {
            return Step::Done(Err(api_error(status, &bytes, scrubber)));
        }
        Step::Done(Ok(Answer {
            status,
            body: bytes,
        }))
    }
}

/// One request as the retry loop sees it.
struct Call {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    resend: Resend,
    /// How the user can find out whether a write whose outcome is unknown happened.
    check: String,
}

impl Call {
    /// A request without a body that may be resent (GET, DELETE).
    fn read(method: Method, url: Url) -> Self {
        Call {
            method,
            url,
            body: None,
            resend: Resend::Allowed,
            check: String::new(),
        }
    }

    /// A write (POST, PATCH) that is never resent blindly; `check` says how to find out
    /// whether it happened.
    fn write(method: Method, url: Url, body: Vec<u8>, operation: Operation, check: String) -> Self {
        Call {
            method,
            url,
            body: Some(body),
            resend: Resend::Never { operation },
            check,
        }
    }
}

/// The retry loop's next move.
enum Step {
    Wait(Duration),
    Done(Result<Answer, Error>),
}

/// After a transport error: a failed connect never sent the request, so it is always safe to
/// try again; anything else only for requests that may be resent.
fn transport_step(
    call: &Call,
    attempt: u32,
    more_attempts: bool,
    policy: &RetryPolicy,
    e: &reqwest::Error,
    scrubber: &Scrubber,
) -> Step {
    let nothing_sent = e.is_connect();
    let retry = nothing_sent || matches!(call.resend, Resend::Allowed);
    if retry && more_attempts {
        return Step::Wait(policy.backoff(attempt));
    }
    let reason = describe_transport_error(e, scrubber);
    Step::Done(Err(match call.resend {
        Resend::Never { operation } if !nothing_sent => Error::OutcomeUnknown {
            operation,
            reason,
            check: call.check.clone(),
        },
        _ => Error::Transport {
            message: reason,
            timed_out: e.is_timeout(),
        },
    }))
}

fn has_tests(patch: &[PatchOperation]) -> bool {
    patch.iter().any(|op| op.op == "test")
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

/// The fields of a configuration that make up a create body: what validation checks.
fn create_body_of(document: &Value) -> Value {
    let mut body = serde_json::Map::new();
    for key in [
        "name",
        "enabled",
        "tags",
        "configValues",
        "capabilityConfig",
    ] {
        if let Some(value) = document.get(key) {
            body.insert(key.to_owned(), value.clone());
        }
    }
    Value::Object(body)
}

fn decode<T: DeserializeOwned>(answer: &Answer, scrubber: &Scrubber) -> Result<T, Error> {
    serde_json::from_slice(&answer.body).map_err(|e| Error::UnexpectedBody {
        status: answer.status.as_u16(),
        message: scrubber.scrub(&e.to_string()),
    })
}

/// An error status as [`Error::Api`]. Only the error body's `code` and `message` are kept
/// (scrubbed); a body of another shape is not echoed.
fn api_error(status: StatusCode, body: &[u8], scrubber: &Scrubber) -> Error {
    let rep = serde_json::from_slice::<ErrorRep>(body).unwrap_or_default();
    let code = if rep.code.is_empty() {
        "unknown".to_owned()
    } else {
        scrubber.scrub(&rep.code)
    };
    let message = if rep.message.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("no error message")
            .to_owned()
    } else {
        scrubber.scrub(&rep.message)
    };
    Error::Api {
        status: status.as_u16(),
        code,
        message,
    }
}

/// A redirect is not followed (the request would carry the token to wherever it points): the
/// error names where it pointed, without path or query (which could carry anything).
fn redirect_error(status: StatusCode, headers: &HeaderMap) -> Error {
    let target = headers
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| Url::parse(l).ok())
        .map(|u| u.origin().ascii_serialization())
        .filter(|origin| origin != "null");
    Error::Api {
        status: status.as_u16(),
        code: "redirect".to_owned(),
        message: format!(
            "LaunchDarkly answered with a redirect{}; ldic does not follow redirects, so that \
             the API token is only ever sent to the base URL: use the final URL as the base URL",
            target.map(|t| format!(" to {t}")).unwrap_or_default()
        ),
    }
}

fn describe_transport_error(e: &reqwest::Error, scrubber: &Scrubber) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the connection failed while reading the answer"
    } else {
        "the connection failed"
    };
    // The chain of sources says why (DNS, TLS, reset); the URL holds no secret.
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    scrubber.scrub(&format!("{what}{detail}"))
}
