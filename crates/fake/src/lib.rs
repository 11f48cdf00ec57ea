//! An in-process, stateful fake of LaunchDarkly's integration-configurations API, for tests of
//! the client, the sync engine and the CLI (never published).
//!
//! [`Fake::start`] runs a real HTTP server on `127.0.0.1` (random port) on its own thread, so a
//! blocking test, an async test, or the `ldic` binary (given [`Fake::url`] as `--base-url`) can
//! talk to it. It serves the five endpoints:
//!
//! - `GET  /api/v2/integration-configurations/keys/{integrationKey}` (list)
//! - `POST /api/v2/integration-configurations/keys/{integrationKey}` (create, 201)
//! - `GET | PATCH | DELETE /api/v2/integration-configurations/{id}`
//!
//! and behaves as LaunchDarkly does where it matters to ldic: `Authorization` must be the
//! fake's token (401 otherwise), `LD-API-Version: beta` is required, an integration key unknown
//! to the catalog is 404, server-owned fields (`_id`, `_createdAt`, `_links`, `_access`,
//! `_integrationKey`) are the server's, absent `configValues` fields get their manifest default
//! on create, `enabled` defaults to true, duplicate names are allowed, secret fields are stored
//! as sent but every read answers [`OBFUSCATED`] in their place, and a JSON Patch (with `test`
//! operations) is applied atomically.
//!
//! Every request is checked against LaunchDarkly's OpenAPI spec: one that does not match is
//! answered 400 and recorded ([`Fake::spec_violations`], which a test asserts to be empty).
//!
//! Test hooks: the request log ([`Fake::requests`], [`Fake::count`]), seeding and reading the
//! stored (unobfuscated) state ([`Fake::seed`], [`Fake::stored`], [`Fake::edit`]), and faults
//! ([`Fault`]: 429 with `Retry-After`, 500, any other status with a given error body, a
//! connection dropped before or after the request is applied).

#![forbid(unsafe_code)]

mod hooks;
mod server;
mod spec;
mod state;

pub use hooks::{Fault, FaultKind, LoggedRequest, SpecViolation};
pub use state::API_PREFIX;

use serde_json::Value;
use server::Server;
use state::State;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// What the fake answers in place of a stored secret value, on every read.
///
/// LaunchDarkly also returns secret fields obfuscated, but its OpenAPI spec does not document
/// the obfuscated form, so this mask is the fake's choice and nothing may rely on recognising
/// it: code that compares remote state must treat the remote value of every secret field as
/// unknown.
pub const OBFUSCATED: &str = "********";

/// The status a PATCH whose `test` operation fails is answered with, unless
/// [`FakeBuilder::failed_test_status`] says otherwise.
///
/// LaunchDarkly's spec lists 400 (`invalid_request`) and 409 (`optimistic_locking_error`) for
/// PATCH but does not say which a failed `test` gets; the fake answers 400 `invalid_request` by
/// default (and changes nothing), and a test can ask for 409 to cover both.
pub const DEFAULT_FAILED_TEST_STATUS: u16 = 400;

/// Configures a [`Fake`] before it starts.
#[derive(Debug, Clone)]
pub struct FakeBuilder {
    token: String,
    failed_test_status: u16,
}

impl FakeBuilder {
    /// The status of a PATCH whose `test` operation fails: 400 (`invalid_request`, the default)
    /// or 409 (`optimistic_locking_error`).
    pub fn failed_test_status(mut self, status: u16) -> Self {
        self.failed_test_status = status;
        self
    }

    pub fn start(self) -> std::io::Result<Fake> {
        let state = Arc::new(Mutex::new(State::new(self.token, self.failed_test_status)));
        let server = Server::start(state.clone())?;
        Ok(Fake { state, server })
    }
}

/// A running fake; the server stops when it is dropped.
#[derive(Debug)]
pub struct Fake {
    state: Arc<Mutex<State>>,
    server: Server,
}

impl Fake {
    /// A fake that accepts exactly `token` as `Authorization`.
    pub fn builder(token: &str) -> FakeBuilder {
        FakeBuilder {
            token: token.to_owned(),
            failed_test_status: DEFAULT_FAILED_TEST_STATUS,
        }
    }

    /// Starts a fake with the default settings.
    pub fn start(token: &str) -> std::io::Result<Fake> {
        Self::builder(token).start()
    }

    /// The base URL to give the client or `--base-url`: `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// Whether requests are checked against the OpenAPI spec (the spec was found when the fake
    /// was built; see `build.rs`).
    pub fn checks_spec(&self) -> bool {
        spec::available()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores a configuration of `integration_key` as it is (no defaults, no checks), with
    /// fresh server-owned fields (any `_`-prefixed field given is replaced); returns its id.
    pub fn seed(&self, integration_key: &str, configuration: Value) -> String {
        self.state().insert(integration_key, configuration)
    }

    /// The stored configuration, unobfuscated (secret values as they were sent).
    pub fn stored(&self, id: &str) -> Option<Value> {
        self.state().configs.get(id).cloned()
    }

    /// Every stored configuration, unobfuscated, in creation order.
    pub fn stored_all(&self) -> Vec<Value> {
        self.state().configs.values().cloned().collect()
    }

    /// Changes a stored configuration in place, as someone using the LaunchDarkly UI would;
    /// false when there is no such id. The request log is not touched.
    pub fn edit(&self, id: &str, change: impl FnOnce(&mut Value)) -> bool {
        match self.state().configs.get_mut(id) {
            Some(config) => {
                change(config);
                true
            }
            None => false,
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state().log.clone()
    }

    /// How many requests with this method (case-insensitive) and a path starting with
    /// `path_prefix` were received.
    pub fn count(&self, method: &str, path_prefix: &str) -> usize {
        self.state()
            .log
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(path_prefix))
            .count()
    }

    /// Forgets the request log (not the spec violations).
    pub fn clear_requests(&self) {
        self.state().log.clear();
    }

    /// Requests that did not match the OpenAPI spec (each was answered 400).
    pub fn spec_violations(&self) -> Vec<SpecViolation> {
        self.state().violations.clone()
    }

    /// Adds a fault; faults are matched in the order they were injected.
    pub fn inject(&self, fault: Fault) {
        self.state().faults.push(fault);
    }

    /// Faults not used up yet.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.state().faults.clone()
    }
}
