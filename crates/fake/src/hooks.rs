//! What tests see of the fake and how they steer it: the request log, spec violations, and the
//! faults they inject (429s, 500s, connections dropped before or after a request is applied).

use serde_json::Value;

/// One request as the fake received it, with the values of secret fields masked.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedRequest {
    /// `GET`, `POST`, `PATCH`, `DELETE`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The JSON body with secret values replaced by [`OBFUSCATED`](crate::OBFUSCATED); a body
    /// that is not JSON is logged as a string saying so. `None` without a body.
    pub body: Option<Value>,
    /// The status answered, or `None` when the connection was dropped without an answer.
    pub status: Option<u16>,
    /// Whether the request changed the stored state (a create, an update or a delete that
    /// succeeded, including one whose answer was then dropped).
    pub applied: bool,
}

/// A request that does not match LaunchDarkly's OpenAPI spec (or that LaunchDarkly would refuse
/// before looking at it, such as one without `LD-API-Version: beta`). It was answered 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecViolation {
    pub method: String,
    pub path: String,
    /// What is wrong, with JSON pointers and never a value of the body.
    pub problem: String,
}

impl std::fmt::Display for SpecViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.method, self.path, self.problem)
    }
}

/// What an injected fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer 429 (body shaped like `RateLimitedErrorRep`) with `Retry-After: <seconds>` when
    /// given; the request is not applied.
    RateLimited { retry_after_secs: Option<u64> },
    /// Answer 500; the request is not applied.
    ServerError,
    /// Answer `status` with an error body `{"code": code, "message": message}` (what
    /// LaunchDarkly answers when it refuses a request for a reason the fake does not model,
    /// such as a 403 of a token without the role); the request is not applied.
    Answer {
        status: u16,
        code: String,
        message: String,
    },
    /// Close the TCP connection without an answer, before the request is applied.
    DropBeforeApply,
    /// Apply the request, then close the TCP connection without an answer: the client cannot
    /// know that its request took effect (the dangerous case for a POST).
    DropAfterApply,
}

/// A fault for the next `times` requests whose method and path match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The method to match (case-insensitive).
    pub method: String,
    /// Matches every path that starts with this (`/api/v2/integration-configurations` matches
    /// them all).
    pub path_prefix: String,
    pub kind: FaultKind,
    /// How many matching requests it still applies to.
    pub times: usize,
}

impl Fault {
    /// The next `times` matching requests answer 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limited(
        method: &str,
        path_prefix: &str,
        times: usize,
        retry_after_secs: Option<u64>,
    ) -> Self {
        Self::new(
            method,
            path_prefix,
            FaultKind::RateLimited { retry_after_secs },
            times,
        )
    }

    /// The next `times` matching requests answer 500.
    pub fn server_error(method: &str, path_prefix: &str, times: usize) -> Self {
        Self::new(method, path_prefix, FaultKind::ServerError, times)
    }

    /// The next `times` matching requests are answered `status` with the error body
    /// `{"code": code, "message": message}`, and not applied.
    pub fn answer(
        method: &str,
        path_prefix: &str,
        times: usize,
        status: u16,
        code: &str,
        message: &str,
    ) -> Self {
        Self::new(
            method,
            path_prefix,
            FaultKind::Answer {
                status,
                code: code.to_owned(),
                message: message.to_owned(),
            },
            times,
        )
    }

    /// The next matching request's connection is closed before the request is applied.
    pub fn drop_before_apply(method: &str, path_prefix: &str) -> Self {
        Self::new(method, path_prefix, FaultKind::DropBeforeApply, 1)
    }

    /// The next matching request is applied, then its connection is closed without an answer.
    pub fn drop_after_apply(method: &str, path_prefix: &str) -> Self {
        Self::new(method, path_prefix, FaultKind::DropAfterApply, 1)
    }

    pub fn new(method: &str, path_prefix: &str, kind: FaultKind, times: usize) -> Self {
        Fault {
            method: method.to_ascii_uppercase(),
            path_prefix: path_prefix.to_owned(),
            kind,
            times,
        }
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && self.method.eq_ignore_ascii_case(method)
            && path.starts_with(&self.path_prefix)
    }
}
