//! The REST client for `/api/v2/integration-configurations`: validate first, then send.
//!
//! Creating an integration configuration by hand means matching an untyped JSON map to a
//! manifest no compiler checks. This client takes a typed config struct from the catalog (the
//! integration key comes from its type), validates the whole request before anything leaves the
//! process, and sends it with the headers, timeouts and retry rules LaunchDarkly expects:
//!
//! - [`Client::create`] / [`Client::create_with`] (typed), [`Client::create_json`] (key + JSON),
//!   [`Client::list`], [`Client::get`], [`Client::update`] (JSON Patch, validated against the
//!   patched current configuration), [`Client::update_planned`] (the same against a
//!   configuration read earlier, without reading it again; a configuration changed since is
//!   [`Error::Conflict`]), [`Client::delete`];
//! - secret values are write-only: LaunchDarkly does not return them, and [`is_secret_field`]
//!   says which remote values must not be compared;
//! - every request carries `Authorization`, `LD-API-Version: beta`, `Accept`, `Content-Type`
//!   (with a body) and `User-Agent: ldic/<version>`, and has a timeout;
//! - errors are typed ([`Error`]); 429 answers are waited out per `Retry-After` or
//!   `X-Ratelimit-Reset`; a create that may have reached the server is never resent
//!   ([`Error::OutcomeUnknown`] says how to check); GET and DELETE retry transient failures;
//! - the API token ([`ApiToken`]) and secret config values never appear in Debug output or errors.
//!
//! [`blocking::Client`] offers the same calls synchronously, for scripts (it adds no dependency:
//! a current-thread tokio runtime per client).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod blocking;
mod check;
mod client;
mod endpoint;
mod error;
pub mod model;
pub mod retry;
mod scrub;
mod secrets;
mod token;

pub use client::{API_VERSION, Client, ClientBuilder, CreateRequest, DEFAULT_TIMEOUT, USER_AGENT};
pub use endpoint::{BaseUrl, Instance, InvalidBaseUrl};
pub use error::{Error, Operation};
pub use ldic_validate::{Code, Diagnostic, Report, Severity};
pub use model::{
    CapabilityConfig, ConfigValues, ErrorRep, IntegrationConfiguration,
    IntegrationConfigurationCollection, IntegrationConfigurationPost, PatchOperation,
};
pub use retry::RetryPolicy;
pub use secrets::is_secret_field;
pub use token::ApiToken;
