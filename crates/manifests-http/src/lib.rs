//! The one bounded, retrying `GET /api/v2/integration-manifests` of LaunchDarkly's API, shared by
//! `cargo xtask fetch --api` and `ldic catalog update`.
//!
//! It is a crate of its own because neither user can hold it for the other: xtask must not depend
//! on ldic-client (which is built on the generated catalog xtask regenerates, so a broken catalog
//! would stop the tool that repairs it), and ldic-manifest, which parses the answer, should not
//! pull an HTTP stack into every crate that reads manifests. Only the I/O lives here; the body is
//! parsed by `ldic_manifest::api`.
//!
//! Bounds: the body size (checked on the declared length and while reading), a timeout per
//! request, no redirects, and at most [`FetchOptions::max_attempts`] attempts on 429/5xx and
//! connection failures, waiting what `Retry-After` says up to [`MAX_RETRY_WAIT`]. The token is
//! sent only over https or to a loopback host ([`parse_base_url`]); it never appears in an error
//! (a server echoing it is redacted), and neither do credentials of a base URL.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use url::{Host, Url};

/// Where the callers read the token from (named in the hints of errors).
pub const TOKEN_ENV: &str = "LD_API_KEY";
/// The commercial LaunchDarkly instance.
pub const DEFAULT_BASE_URL: &str = "https://app.launchdarkly.com";
/// Largest response accepted by default (the whole public catalog is about 1 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Attempts on 429, 5xx and connection failures before giving up, by default.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;
/// Longest wait between attempts, whatever `Retry-After` asks for.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest part of an error body read for the message.
const ERROR_BODY_BYTES: u64 = 4096;
/// Characters of an error body quoted in the message.
const ERROR_SNIPPET_CHARS: usize = 200;

/// A base URL the token may not be sent to. The URL is shown without its credentials (and not at
/// all when it does not parse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// Not a URL.
    #[error("--base-url is not a URL: {0}")]
    NotAUrl(url::ParseError),
    /// `user:password@` in the URL.
    #[error("--base-url {shown}: must not carry credentials (the token comes from {env})", env = TOKEN_ENV)]
    Credentials {
        /// The URL without its credentials.
        shown: String,
    },
    /// A query or fragment.
    #[error("--base-url {shown}: must not have a query or fragment")]
    QueryOrFragment {
        /// The URL.
        shown: String,
    },
    /// `http` to a host that is not loopback.
    #[error(
        "--base-url {shown}: plain http would send the API token unencrypted; use https (http \
         only to a loopback host)"
    )]
    PlainHttp {
        /// The URL.
        shown: String,
    },
    /// Neither `http` nor `https`.
    #[error("--base-url {shown}: scheme {scheme:?} is not http(s)")]
    Scheme {
        /// The URL.
        shown: String,
        /// Its scheme.
        scheme: String,
    },
}

/// A base URL the token may be sent to: `http(s)`, no credentials, query or fragment, and `http`
/// only to a loopback host (a local proxy or test server).
pub fn parse_base_url(raw: &str) -> Result<Url, BaseUrlError> {
    // A URL that does not parse is not echoed: it may carry credentials.
    let url = Url::parse(raw).map_err(BaseUrlError::NotAUrl)?;
    let shown = {
        let mut u = url.clone();
        let _ = u.set_username("");
        let _ = u.set_password(None);
        u.to_string()
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BaseUrlError::Credentials { shown });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BaseUrlError::QueryOrFragment { shown });
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(BaseUrlError::PlainHttp { shown }),
        other => Err(BaseUrlError::Scheme {
            scheme: other.to_owned(),
            shown,
        }),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// `<base>/api/v2/integration-manifests`, keeping a path prefix of the base URL.
pub fn endpoint(base: &Url) -> Url {
    let mut url = base.clone();
    let path = format!(
        "{}/api/v2/integration-manifests",
        base.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url
}

/// The token of [`TOKEN_ENV`], trimmed, if set and not blank.
pub fn token_from_env() -> Option<String> {
    match std::env::var(TOKEN_ENV) {
        Ok(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        _ => None,
    }
}

/// How to fetch. The bounds are fields so that tests can make them small; [`FetchOptions::new`]
/// gives the defaults. `Debug` never shows the token.
#[derive(Clone)]
#[non_exhaustive]
pub struct FetchOptions {
    /// The API access token, sent as `Authorization`.
    pub token: String,
    /// The caller's `User-Agent`.
    pub user_agent: String,
    /// Largest response body read.
    pub max_bytes: u64,
    /// First wait between attempts when the server gives no `Retry-After` (doubles each time).
    pub retry_base: Duration,
    /// Attempts in all, the first included.
    pub max_attempts: u32,
}

impl FetchOptions {
    /// The defaults: [`DEFAULT_MAX_BYTES`], a 500 ms first retry wait, [`DEFAULT_MAX_ATTEMPTS`].
    pub fn new(token: impl Into<String>, user_agent: impl Into<String>) -> Self {
        FetchOptions {
            token: token.into(),
            user_agent: user_agent.into(),
            max_bytes: DEFAULT_MAX_BYTES,
            retry_base: Duration::from_millis(500),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

impl fmt::Debug for FetchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchOptions")
            .field("token", &"<redacted>")
            .field("user_agent", &self.user_agent)
            .field("max_bytes", &self.max_bytes)
            .field("retry_base", &self.retry_base)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

/// Why the manifests could not be fetched. No variant holds the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The token cannot be an HTTP header value.
    #[error("{env} holds characters not allowed in an HTTP header", env = TOKEN_ENV)]
    TokenNotAHeader,
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client")]
    Client(#[source] reqwest::Error),
    /// The async runtime could not be started.
    #[error("cannot start the HTTP runtime")]
    Runtime(#[source] std::io::Error),
    /// No answer (after the retries, for connection failures and timeouts).
    #[error("GET {url}: {error}")]
    Transport {
        /// The endpoint.
        url: Url,
        /// What failed.
        error: reqwest::Error,
    },
    /// The body is larger than allowed.
    #[error("GET {url}: the response is larger than {max} bytes{}: refused", declared_note(*.declared))]
    TooLarge {
        /// The endpoint.
        url: Url,
        /// The bound.
        max: u64,
        /// The declared length, when that is what was too large.
        declared: Option<u64>,
    },
    /// The body ended early or could not be read.
    #[error(
        "GET {url}: the response body could not be read completely (truncated or \
         interrupted): {error}"
    )]
    Truncated {
        /// The endpoint.
        url: Url,
        /// What failed.
        error: reqwest::Error,
    },
    /// A final non-success status; the message says what to check.
    #[error("GET {url} answered {status}: {}{}", status_hint(*.status, *.attempts), server_said(.snippet))]
    Status {
        /// The endpoint.
        url: Url,
        /// The last status.
        status: StatusCode,
        /// Attempts made.
        attempts: u32,
        /// At most 200 characters of the body on one line, the token redacted.
        snippet: String,
    },
}

fn declared_note(declared: Option<u64>) -> String {
    declared
        .map(|d| format!(" ({d} declared)"))
        .unwrap_or_default()
}

fn server_said(snippet: &str) -> String {
    if snippet.is_empty() {
        String::new()
    } else {
        format!(" (server said: {snippet})")
    }
}

/// What to check after a final non-success status.
fn status_hint(status: StatusCode, attempts: u32) -> String {
    match status {
        StatusCode::UNAUTHORIZED => format!(
            "the token was refused: check that {TOKEN_ENV} holds a valid, unexpired LaunchDarkly \
             API access token for this instance (--base-url)"
        ),
        StatusCode::FORBIDDEN => format!(
            "the token may not read integration manifests: check the role or custom role of the \
             token in {TOKEN_ENV}"
        ),
        StatusCode::NOT_FOUND => {
            "no such endpoint: check that --base-url is a LaunchDarkly instance".to_owned()
        }
        s if s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error() => {
            format!("still failing after {attempts} attempts: try again later")
        }
        _ => "unexpected answer".to_owned(),
    }
}

/// GET the manifests of the instance at `base` (see [`parse_base_url`]) and return the body,
/// bounded and retried as the crate docs say. Each retry is announced to `on_retry` (one line,
/// without the token), for the caller to print.
pub fn fetch_manifests(
    base: &Url,
    opts: &FetchOptions,
    mut on_retry: impl FnMut(&str),
) -> Result<Vec<u8>, FetchError> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // reqwest is built without a bundled provider (see crates/client); Err only means
        // another thread installed one first.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let mut authorization =
        HeaderValue::from_str(&opts.token).map_err(|_| FetchError::TokenNotAHeader)?;
    authorization.set_sensitive(true);
    let client = reqwest::Client::builder()
        .user_agent(opts.user_agent.as_str())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(FetchError::Client)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(FetchError::Runtime)?;
    let url = endpoint(base);
    runtime.block_on(fetch_with_retries(
        &client,
        &url,
        &authorization,
        opts,
        &mut on_retry,
    ))
}

async fn fetch_with_retries(
    client: &reqwest::Client,
    url: &Url,
    authorization: &HeaderValue,
    opts: &FetchOptions,
    on_retry: &mut dyn FnMut(&str),
) -> Result<Vec<u8>, FetchError> {
    let max_attempts = opts.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        let sent = client
            .get(url.clone())
            .header(AUTHORIZATION, authorization.clone())
            .header("LD-API-Version", "beta")
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) if (e.is_connect() || e.is_timeout()) && attempt < max_attempts => {
                on_retry(&format!("GET {url} failed ({e}); retrying"));
                tokio::time::sleep(retry_delay(None, attempt, opts.retry_base)).await;
                attempt += 1;
                continue;
            }
            Err(error) => {
                return Err(FetchError::Transport {
                    url: url.clone(),
                    error,
                });
            }
        };
        let status = response.status();
        if status.is_success() {
            return read_bounded(response, opts.max_bytes)
                .await
                .map_err(|e| match e {
                    ReadError::TooLarge(declared) => FetchError::TooLarge {
                        url: url.clone(),
                        max: opts.max_bytes,
                        declared,
                    },
                    ReadError::Body(error) => FetchError::Truncated {
                        url: url.clone(),
                        error,
                    },
                });
        }
        let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
        if retryable && attempt < max_attempts {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let wait = retry_delay(retry_after.as_deref(), attempt, opts.retry_base);
            on_retry(&format!(
                "GET {url} answered {status}; retrying in {} ms ({attempt}/{max_attempts})",
                wait.as_millis()
            ));
            tokio::time::sleep(wait).await;
            attempt += 1;
            continue;
        }
        return Err(FetchError::Status {
            url: url.clone(),
            status,
            attempts: attempt,
            snippet: error_snippet(response, &opts.token).await,
        });
    }
}

/// At most 200 characters of an error body on one line, with the token (should a server echo
/// it) redacted.
async fn error_snippet(response: reqwest::Response, token: &str) -> String {
    let Ok(bytes) = read_bounded(response, ERROR_BODY_BYTES).await else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = if token.is_empty() {
        text.into_owned()
    } else {
        text.replace(token, "<redacted>")
    };
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(ERROR_SNIPPET_CHARS).collect()
}

/// The wait before attempt `attempt + 1`: `Retry-After` (seconds or an HTTP date) when given,
/// else `base * 2^(attempt-1)`; never more than [`MAX_RETRY_WAIT`].
pub fn retry_delay(retry_after: Option<&str>, attempt: u32, base: Duration) -> Duration {
    let asked = retry_after.and_then(|v| {
        let v = v.trim();
        v.parse::<u64>().map(Duration::from_secs).ok().or_else(|| {
            httpdate::parse_http_date(v)
                .ok()
                .map(|t| t.duration_since(SystemTime::now()).unwrap_or_default())
        })
    });
    let backoff = || base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    asked.unwrap_or_else(backoff).min(MAX_RETRY_WAIT)
}

enum ReadError {
    /// Too large; the declared length when that is what said so.
    TooLarge(Option<u64>),
    Body(reqwest::Error),
}

async fn read_bounded(mut response: reqwest::Response, max: u64) -> Result<Vec<u8>, ReadError> {
    if let Some(declared) = response.content_length()
        && declared > max
    {
        return Err(ReadError::TooLarge(Some(declared)));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Body)? {
        if body.len() as u64 + chunk.len() as u64 > max {
            return Err(ReadError::TooLarge(None));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_the_token_may_go_to() {
        assert!(parse_base_url("https://app.launchdarkly.com").is_ok());
        assert!(parse_base_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_base_url("http://localhost:1").is_ok());
        assert!(parse_base_url("http://[::1]:1").is_ok());
        let err = parse_base_url("http://example.com")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unencrypted"), "{err}");
        let err = parse_base_url("https://user:hunter2@example.com")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("credentials") && !err.contains("hunter2"),
            "{err}"
        );
        assert!(parse_base_url("https://example.com/?q=1").is_err());
        assert!(parse_base_url("ftp://example.com").is_err());
        let err = parse_base_url("https://user:hunter2@example.com:99999")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not a URL") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[test]
    fn endpoint_keeps_a_path_prefix() {
        let u = |s| endpoint(&Url::parse(s).unwrap()).to_string();
        assert_eq!(
            u("https://example.com"),
            "https://example.com/api/v2/integration-manifests"
        );
        assert_eq!(
            u("https://example.com/proxy/"),
            "https://example.com/proxy/api/v2/integration-manifests"
        );
    }

    #[test]
    fn retry_after_is_honoured_and_bounded() {
        let base = Duration::from_millis(100);
        assert_eq!(retry_delay(Some("2"), 1, base), Duration::from_secs(2));
        assert_eq!(retry_delay(Some("100000"), 1, base), MAX_RETRY_WAIT);
        assert_eq!(retry_delay(None, 1, base), base);
        assert_eq!(retry_delay(None, 3, base), base * 4);
        assert_eq!(retry_delay(Some("garbage"), 2, base), base * 2);
        // A date in the past: no wait.
        assert_eq!(
            retry_delay(Some("Wed, 21 Oct 2015 07:28:00 GMT"), 1, base),
            Duration::ZERO
        );
        assert_eq!(
            retry_delay(None, 40, Duration::from_secs(1)),
            MAX_RETRY_WAIT
        );
    }

    #[test]
    fn status_errors_say_what_to_check_and_never_the_token() {
        let url = Url::parse("https://example.com/api/v2/integration-manifests").unwrap();
        let err = |status, snippet: &str| {
            FetchError::Status {
                url: url.clone(),
                status,
                attempts: 4,
                snippet: snippet.to_owned(),
            }
            .to_string()
        };
        let e = err(StatusCode::UNAUTHORIZED, "");
        assert!(
            e.contains("the token was refused") && e.contains(TOKEN_ENV),
            "{e}"
        );
        assert!(!e.contains("server said"), "{e}");
        let e = err(StatusCode::INTERNAL_SERVER_ERROR, "oops");
        assert!(
            e.contains("answered 500") && e.contains("after 4 attempts"),
            "{e}"
        );
        assert!(e.ends_with("(server said: oops)"), "{e}");
        let opts = FetchOptions::new("api-hunter2", "ua");
        assert!(!format!("{opts:?}").contains("hunter2"));
    }
}
