//! The LaunchDarkly API as the source: `GET /api/v2/integration-manifests` with the token of
//! `LD_API_KEY`.
//!
//! The request itself (base URL rules, bounds, retries, errors) is [`ldic_manifests_http`], which
//! `ldic catalog update` uses too; this module adds xtask's user agent, the bounds its flags set,
//! and the error for a missing token. The response is parsed and turned into facts by
//! [`ldic_manifest::api`], which a run-time catalog can reuse.

use std::time::{Duration, SystemTime};

use anyhow::bail;
use url::Url;

pub use ldic_manifests_http::{
    DEFAULT_BASE_URL, DEFAULT_MAX_BYTES, TOKEN_ENV, endpoint, parse_base_url,
};

const USER_AGENT: &str = concat!("ldic-xtask/", env!("CARGO_PKG_VERSION"));

/// How to fetch: the bounds are parameters so the tests can make them small.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_bytes: u64,
    /// First wait between attempts when the server gives no `Retry-After` (doubles each time).
    pub retry_base: Duration,
}

/// The token from [`TOKEN_ENV`].
pub fn token_from_env() -> anyhow::Result<String> {
    match ldic_manifests_http::token_from_env() {
        Some(t) => Ok(t),
        None => bail!(
            "{TOKEN_ENV} is not set: put a LaunchDarkly API access token there (one that can \
             read integrations) to fetch from the API"
        ),
    }
}

/// GET the manifests and return the body, bounded and retried (see [`ldic_manifests_http`]).
pub fn fetch_body(base: &Url, token: &str, opts: &Options) -> anyhow::Result<Vec<u8>> {
    let mut options = ldic_manifests_http::FetchOptions::new(token, USER_AGENT);
    options.max_bytes = opts.max_bytes;
    options.retry_base = opts.retry_base;
    let body = ldic_manifests_http::fetch_manifests(base, &options, |note| {
        eprintln!("note: {note}");
    })?;
    Ok(body)
}

/// Now, as an RFC 3339 UTC date-time to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_rfc3339_utc() {
        let now = now_rfc3339();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    }
}
