//! The client's errors, as typed values a caller can match on.
//!
//! None of them holds the API token or a secret value of the request: messages taken from the
//! server are scrubbed of every secret value the request carried before they are kept (a server
//! that echoes the request body in an error must not make ldic leak it), and transport errors
//! keep only their description.

use crate::endpoint::InvalidBaseUrl;
use ldic_validate::Report;
use std::time::Duration;

/// Which request could not be resent safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Creating a configuration (POST).
    Create,
    /// Updating a configuration (PATCH).
    Update,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Operation::Create => "create",
            Operation::Update => "update",
        })
    }
}

/// Everything that can go wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request does not validate; nothing was sent.
    #[error("the request does not validate; nothing was sent:\n{0}")]
    Invalid(Report),

    /// LaunchDarkly answered with an error status (400, 401, 403, 404, 409, ...).
    #[error("LaunchDarkly answered HTTP {status} ({code}): {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The error body's `code` (`invalid_request`, `unauthorized`, ...), or `unknown`.
        code: String,
        /// The error body's `message`, scrubbed of the request's secret values.
        message: String,
    },

    /// A planned update was refused because the configuration is no longer the one the patch
    /// was planned against: its `test` operations failed on LaunchDarkly, or LaunchDarkly
    /// answered 409 (`optimistic_locking_error`). Nothing was changed; read the configuration
    /// again and plan again. Only [`Client::update_planned`](crate::Client::update_planned)
    /// returns it.
    ///
    /// Only a patch with `test` operations can conflict. LaunchDarkly does not document which
    /// status a failed `test` gets: a 409 is taken as a conflict; a 400 is taken as one only
    /// when reading the configuration again (one GET, after the failure only) shows that a
    /// `test` no longer holds (otherwise it stays [`Error::Api`]).
    #[error(
        "configuration {id} changed since the update was planned (LaunchDarkly answered HTTP \
         {status} ({code}): {message}); nothing was changed: read it again and plan again"
    )]
    Conflict {
        /// The configuration's `_id`.
        id: String,
        /// The HTTP status.
        status: u16,
        /// The error body's `code`, or `unknown`.
        code: String,
        /// The error body's `message`, scrubbed of the request's secret values.
        message: String,
    },

    /// Still rate limited (HTTP 429) after the retry policy's attempts.
    #[error(
        "rate limited by LaunchDarkly (HTTP 429) after {attempts} attempt(s){}",
        retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default()
    )]
    RateLimited {
        /// How many requests were made.
        attempts: u32,
        /// How long the last answer asked to wait, when it said.
        retry_after: Option<Duration>,
    },

    /// The request did not get an answer: connection refused, DNS, TLS, timeout.
    #[error("could not reach LaunchDarkly: {message}")]
    Transport {
        /// What failed, with secrets scrubbed.
        message: String,
        /// Whether the request timed out.
        timed_out: bool,
    },

    /// A create or update may have reached LaunchDarkly (timeout after sending, connection reset,
    /// server error), so it was not resent: resending could apply it twice.
    #[error(
        "the {operation} request may have reached LaunchDarkly ({reason}) and was not resent; \
         the configuration may {}. Check with {check} before trying again",
        if *operation == Operation::Create { "already exist" } else { "already be changed" }
    )]
    OutcomeUnknown {
        /// Which write.
        operation: Operation,
        /// What happened: `timed out`, `HTTP 502`, `connection closed`.
        reason: String,
        /// How to check: the list or get call (and its HTTP request) that shows the current state.
        check: String,
    },

    /// A success status with a body that is not the documented JSON shape.
    #[error("unexpected response body (HTTP {status}): {message}")]
    UnexpectedBody {
        /// The HTTP status.
        status: u16,
        /// What did not match, with secrets scrubbed.
        message: String,
    },

    /// A JSON Patch that does not apply to the current configuration; nothing was sent.
    #[error("the patch does not apply to the current configuration; nothing was sent: {message}")]
    PatchDoesNotApply {
        /// Why it does not apply.
        message: String,
    },

    /// A request body that could not be serialized; nothing was sent.
    #[error("could not serialize the request body: {message}")]
    Serialize {
        /// The serializer's error.
        message: String,
    },

    /// The base URL cannot be used.
    #[error(transparent)]
    InvalidBaseUrl(#[from] InvalidBaseUrl),

    /// The HTTP client or the blocking runtime could not be set up.
    #[error("could not set up the HTTP client: {message}")]
    Setup {
        /// What failed.
        message: String,
    },
}

impl Error {
    /// The validation report, when the request did not validate.
    pub fn report(&self) -> Option<&Report> {
        match self {
            Error::Invalid(report) => Some(report),
            _ => None,
        }
    }

    /// Whether the configuration changed since the update was planned ([`Error::Conflict`]).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Conflict { .. })
    }

    /// The HTTP status LaunchDarkly answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Conflict { status, .. }
            | Error::UnexpectedBody { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }
}
