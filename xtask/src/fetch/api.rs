//! The LaunchDarkly API as the source: `GET /api/v2/integration-manifests` with the token of
//! `LD_API_KEY`.
//!
//! Only the I/O lives here (base URL rules, the request, bounds, retries); the response is parsed
//! and turned into facts by [`ldic_manifest::api`], which a run-time catalog can reuse. Bounds:
//! the body size ([`DEFAULT_MAX_BYTES`], checked on the declared length and while reading), the
//! nesting depth (in the library), a timeout per request, and at most [`MAX_ATTEMPTS`] attempts
//! on 429/5xx, waiting what `Retry-After` says up to [`MAX_RETRY_WAIT`]. The token is sent only
//! over https or to a loopback host, is never printed, and redirects are not followed.

use std::time::{Duration, SystemTime};

use anyhow::{Context as _, anyhow, bail};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use url::{Host, Url};

/// Where the token is read from.
pub const TOKEN_ENV: &str = "LD_API_KEY";
/// The commercial LaunchDarkly instance.
pub const DEFAULT_BASE_URL: &str = "https://app.launchdarkly.com";
/// Largest response accepted (the whole public catalog is about 1 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Attempts on 429, 5xx and connection failures before giving up.
pub const MAX_ATTEMPTS: u32 = 4;
/// Longest wait between attempts, whatever `Retry-After` asks for.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const USER_AGENT: &str = concat!("ldic-xtask/", env!("CARGO_PKG_VERSION"));

/// How to fetch: the bounds are parameters so the tests can make them small.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_bytes: u64,
    /// First wait between attempts when the server gives no `Retry-After` (doubles each time).
    pub retry_base: Duration,
}

/// A base URL the token may be sent to: `http(s)`, no credentials, query or fragment, and `http`
/// only to a loopback host (a local proxy or test server).
pub fn parse_base_url(raw: &str) -> anyhow::Result<Url> {
    // A URL that does not parse is not echoed: it may carry credentials.
    let url = Url::parse(raw).map_err(|e| anyhow!("--base-url is not a URL: {e}"))?;
    // Never echo credentials back: describe the URL without them.
    let shown = || {
        let mut u = url.clone();
        let _ = u.set_username("");
        let _ = u.set_password(None);
        u.to_string()
    };
    if !url.username().is_empty() || url.password().is_some() {
        bail!(
            "--base-url {}: must not carry credentials (the token comes from {TOKEN_ENV})",
            shown()
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        bail!("--base-url {}: must not have a query or fragment", shown());
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => bail!(
            "--base-url {}: plain http would send the API token unencrypted; use https (http \
             only to a loopback host)",
            shown()
        ),
        other => bail!("--base-url {}: scheme {other:?} is not http(s)", shown()),
    }
    Ok(url)
}

// The same rule as `ldic_client::BaseUrl`, written again on purpose: xtask must not depend on
// ldic-client, which depends on the generated catalog that xtask regenerates (a broken catalog
// would stop the tool that repairs it).
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

/// The token from [`TOKEN_ENV`].
pub fn token_from_env() -> anyhow::Result<String> {
    match std::env::var(TOKEN_ENV) {
        Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_owned()),
        _ => bail!(
            "{TOKEN_ENV} is not set: put a LaunchDarkly API access token there (one that can \
             read integrations) to fetch from the API"
        ),
    }
}

/// GET the manifests and return the body, bounded; retries as the module docs say.
pub fn fetch_body(base: &Url, token: &str, opts: &Options) -> anyhow::Result<Vec<u8>> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // reqwest is built without a bundled provider (see crates/client); Err only means
        // another thread installed one first.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let mut authorization = HeaderValue::from_str(token)
        .map_err(|_| anyhow!("{TOKEN_ENV} holds characters not allowed in an HTTP header"))?;
    authorization.set_sensitive(true);
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .context("cannot set up the HTTP client")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the HTTP runtime")?;
    let url = endpoint(base);
    runtime.block_on(fetch_with_retries(
        &client,
        &url,
        authorization,
        token,
        opts,
    ))
}

async fn fetch_with_retries(
    client: &reqwest::Client,
    url: &Url,
    authorization: HeaderValue,
    token: &str,
    opts: &Options,
) -> anyhow::Result<Vec<u8>> {
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
            Err(e) if (e.is_connect() || e.is_timeout()) && attempt < MAX_ATTEMPTS => {
                eprintln!("note: GET {url} failed ({e}); retrying");
                tokio::time::sleep(retry_delay(None, attempt, opts.retry_base)).await;
                attempt += 1;
                continue;
            }
            Err(e) => bail!("GET {url}: {e}"),
        };
        let status = response.status();
        if status.is_success() {
            return read_bounded(response, url, opts.max_bytes).await;
        }
        let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
        if retryable && attempt < MAX_ATTEMPTS {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let wait = retry_delay(retry_after.as_deref(), attempt, opts.retry_base);
            eprintln!(
                "note: GET {url} answered {status}; retrying in {} ms ({attempt}/{MAX_ATTEMPTS})",
                wait.as_millis()
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
            continue;
        }
        let snippet = error_snippet(response, token).await;
        bail!("{}", status_error(url, status, attempt, &snippet));
    }
}

/// The error for a final non-success status, saying what to check.
fn status_error(url: &Url, status: StatusCode, attempts: u32, snippet: &str) -> String {
    let hint = match status {
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
    };
    if snippet.is_empty() {
        format!("GET {url} answered {status}: {hint}")
    } else {
        format!("GET {url} answered {status}: {hint} (server said: {snippet})")
    }
}

/// At most 200 characters of an error body on one line, with the token (should a server echo
/// it) redacted.
async fn error_snippet(response: reqwest::Response, token: &str) -> String {
    let bytes = match read_bounded_inner(response, 4096).await {
        Ok(b) => b,
        Err(_) => return String::new(),
    };
    let text = String::from_utf8_lossy(&bytes).replace(token, "<redacted>");
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(200).collect()
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

async fn read_bounded(response: reqwest::Response, url: &Url, max: u64) -> anyhow::Result<Vec<u8>> {
    read_bounded_inner(response, max)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge(declared) => anyhow!(
                "GET {url}: the response is larger than {max} bytes{}: refused",
                declared
                    .map(|d| format!(" ({d} declared)"))
                    .unwrap_or_default()
            ),
            ReadError::Body(e) => anyhow!(
                "GET {url}: the response body could not be read completely (truncated or \
             interrupted): {e}"
            ),
        })
}

enum ReadError {
    TooLarge(Option<u64>),
    Body(reqwest::Error),
}

async fn read_bounded_inner(
    mut response: reqwest::Response,
    max: u64,
) -> Result<Vec<u8>, ReadError> {
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

/// Now, as an RFC 3339 UTC date-time to the second.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let (y, m, d) = super::git::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
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
    fn now_is_rfc3339_utc() {
        let now = now_rfc3339();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    }
}
