//! When to try a request again, and how long to wait first.
//!
//! A small loop in `client.rs` rather than a backoff crate: the decision depends on the method
//! (a create is never resent after it may have reached the server) and on the response (a 429's
//! `Retry-After` or `X-Ratelimit-Reset`), which is simpler to read and test as one function of
//! those inputs ([`RetryPolicy::rate_limit_delay`], [`RetryPolicy::backoff`]) than as adapters
//! around a generic retry combinator.
//!
//! - 429, any method: LaunchDarkly did not process the request, so it is always safe to resend.
//!   Wait what the answer asks (plus jitter), at most `max_attempts` times in all.
//! - GET and DELETE: a transport failure or a 500/502/503/504 is retried with exponential
//!   backoff and jitter. DELETE is idempotent: a repeated delete of a deleted configuration
//!   answers 404, which the client reports as such.
//! - POST and PATCH: never resent after they may have reached the server.

use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often and how long the client retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: u32,
    /// First backoff delay; doubled on each retry, up to `max_delay`.
    pub base_delay: Duration,
    /// Upper bound of one backoff delay.
    pub max_delay: Duration,
    /// Longest wait the client accepts from a 429; when the server asks for more, the client
    /// returns [`Error::RateLimited`](crate::Error::RateLimited) at once.
    pub max_rate_limit_wait: Duration,
    /// Upper bound of the random delay added to every wait, so that clients do not retry in step.
    pub max_jitter: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_rate_limit_wait: Duration::from_secs(60),
            max_jitter: Duration::from_millis(500),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The exponential backoff before retry number `retry` (1 for the first retry), with jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let delay = self.base_delay.saturating_mul(factor).min(self.max_delay);
        delay + self.jitter()
    }

    /// How long a 429 answer asks to wait: `Retry-After` (seconds or an HTTP date) first, else
    /// `X-Ratelimit-Reset` (epoch milliseconds). `None` when neither header is usable.
    pub fn rate_limit_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        if let Some(value) = header("retry-after") {
            if let Ok(seconds) = value.parse::<u64>() {
                return Some(Duration::from_secs(seconds));
            }
            if let Ok(at) = httpdate::parse_http_date(value) {
                return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
            }
        }
        let reset_ms = header("x-ratelimit-reset")?.parse::<u64>().ok()?;
        let at = UNIX_EPOCH + Duration::from_millis(reset_ms);
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    }

    /// A random delay in `0..=max_jitter`.
    pub(crate) fn jitter(&self) -> Duration {
        let max = u64::try_from(self.max_jitter.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=max))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_in_seconds() {
        let now = SystemTime::now();
        assert_eq!(
            RetryPolicy::rate_limit_delay(&headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn retry_after_as_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let at = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            RetryPolicy::rate_limit_delay(&headers(&[("retry-after", &at)]), now),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            RetryPolicy::rate_limit_delay(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn ratelimit_reset_in_epoch_milliseconds() {
        let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);
        let h = headers(&[("x-ratelimit-reset", "1700000002500")]);
        assert_eq!(
            RetryPolicy::rate_limit_delay(&h, now),
            Some(Duration::from_millis(2500))
        );
    }

    #[test]
    fn retry_after_wins_and_garbage_is_ignored() {
        let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);
        let h = headers(&[("retry-after", "2"), ("x-ratelimit-reset", "1700000009000")]);
        assert_eq!(
            RetryPolicy::rate_limit_delay(&h, now),
            Some(Duration::from_secs(2))
        );
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(RetryPolicy::rate_limit_delay(&h, now), None);
        assert_eq!(RetryPolicy::rate_limit_delay(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_bounds() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            max_jitter: Duration::from_millis(10),
            ..RetryPolicy::default()
        };
        for (retry, base) in [(1, 100), (2, 200), (3, 350), (10, 350), (40, 350)] {
            let d = p.backoff(retry);
            assert!(
                d >= Duration::from_millis(base) && d <= Duration::from_millis(base + 10),
                "retry {retry}: {d:?}"
            );
        }
    }
}
