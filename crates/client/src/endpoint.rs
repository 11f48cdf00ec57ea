//! Where the client sends requests: the three LaunchDarkly instances, or any base URL.
//!
//! The presets exist so that a federal or EU customer never has to spell (or mistype) the host;
//! [`BaseUrl::parse`] accepts anything else (a proxy, a local fake in tests).
//!
//! Where the API token may go is decided here, so that every caller has the same rule: a base
//! URL is `https`, or `http` to a loopback host only (`127.0.0.0/8`, `::1`, `localhost`: a local
//! proxy or test server, the token never crosses the network in clear). Any other `http` URL is
//! refused unless the caller opts in with [`BaseUrl::parse_allowing_insecure_http`] (or
//! [`ClientBuilder::allow_insecure_http`](crate::ClientBuilder::allow_insecure_http)).

use reqwest::Url;
use std::fmt;
use url::Host;

/// A LaunchDarkly instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Instance {
    /// `https://app.launchdarkly.com`
    #[default]
    Commercial,
    /// `https://app.launchdarkly.us` (LaunchDarkly federal)
    Federal,
    /// `https://app.eu.launchdarkly.com`
    Eu,
}

impl Instance {
    /// The instance's base URL.
    pub const fn url(self) -> &'static str {
        match self {
            Instance::Commercial => "https://app.launchdarkly.com",
            Instance::Federal => "https://app.launchdarkly.us",
            Instance::Eu => "https://app.eu.launchdarkly.com",
        }
    }
}

/// The base URL requests go to; `/api/v2/...` is appended to its path.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

/// A base URL that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid base URL {url:?}: {reason}")]
pub struct InvalidBaseUrl {
    /// The URL as given, with any credentials (`user:password@`) replaced by `***@`.
    pub url: String,
    /// Why it cannot be used.
    pub reason: String,
}

impl BaseUrl {
    /// An `https` URL, or an `http` URL to a loopback host (`127.0.0.0/8`, `::1`,
    /// `localhost`), without query, fragment or credentials. Any other `http` URL is refused:
    /// the API token would travel unencrypted (see
    /// [`parse_allowing_insecure_http`](Self::parse_allowing_insecure_http)).
    pub fn parse(url: &str) -> Result<Self, InvalidBaseUrl> {
        let parsed = Self::parse_allowing_insecure_http(url)?;
        if parsed.0.scheme() == "http" && !parsed.is_loopback() {
            return Err(InvalidBaseUrl {
                url: without_userinfo(url),
                reason: "plain http would send the API token unencrypted: use https (http is \
                         accepted for a loopback host only), or allow insecure http explicitly"
                    .to_owned(),
            });
        }
        Ok(parsed)
    }

    /// Like [`parse`](Self::parse), but also accepts `http` to any host. Only for a caller
    /// that explicitly asked for it (the CLI's `--allow-insecure-http`): the API token is then
    /// sent in clear.
    pub fn parse_allowing_insecure_http(url: &str) -> Result<Self, InvalidBaseUrl> {
        let invalid = |reason: &str| InvalidBaseUrl {
            url: without_userinfo(url),
            reason: reason.to_owned(),
        };
        let parsed = Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if parsed.cannot_be_a_base() || parsed.host().is_none() {
            return Err(invalid("the URL has no host"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("the URL must not have a query or fragment"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid(
                "the URL must not hold credentials; pass the API token separately",
            ));
        }
        Ok(BaseUrl(parsed))
    }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `::1`) or `localhost`.
    pub fn is_loopback(&self) -> bool {
        match self.0.host() {
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            Some(Host::Domain(name)) => {
                name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.")
            }
            None => false,
        }
    }

    /// Whether requests to this base URL are encrypted (`https`).
    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// The URL.
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// The base URL with these path segments appended (each percent-encoded as needed).
    pub(crate) fn join(&self, segments: &[&str]) -> Url {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

impl From<Instance> for BaseUrl {
    fn from(instance: Instance) -> Self {
        // Constant URLs, checked by the `presets_name_the_three_instances` test.
        #[allow(clippy::expect_used)]
        BaseUrl(Url::parse(instance.url()).expect("instance URLs are valid"))
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.0)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// `url` with the userinfo of its authority (`user:password@`) replaced by `***@`, decided on
/// the text so that it also works for a URL that does not parse: an error message must never
/// carry a credential.
fn without_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_len].rfind('@') {
        Some(at) => format!("{}***{}", &url[..authority_start], &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn presets_name_the_three_instances() {
        assert_eq!(
            BaseUrl::from(Instance::Commercial)
                .join(&["api", "v2"])
                .as_str(),
            "https://app.launchdarkly.com/api/v2"
        );
        assert_eq!(
            BaseUrl::from(Instance::Federal).as_url().host_str(),
            Some("app.launchdarkly.us")
        );
        assert_eq!(
            BaseUrl::from(Instance::Eu).as_url().host_str(),
            Some("app.eu.launchdarkly.com")
        );
    }

    #[test]
    fn an_invalid_url_never_shows_its_credentials() {
        for (url, shown) in [
            (
                "https://user:hunter2@example.com/",
                "https://***@example.com/",
            ),
            ("http://user:hunter2@10.0.0.1", "http://***@10.0.0.1"),
            // Does not parse (bad port), still redacted.
            (
                "https://u:hunter2@example.com:99999/x",
                "https://***@example.com:99999/x",
            ),
        ] {
            let err = BaseUrl::parse(url).unwrap_err();
            assert_eq!(err.url, shown);
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        // An `@` after the authority is not userinfo.
        assert_eq!(
            without_userinfo("https://example.com/a@b?c@d"),
            "https://example.com/a@b?c@d"
        );
    }

    #[test]
    fn join_keeps_a_path_prefix_and_encodes_segments() {
        let base = BaseUrl::parse("http://127.0.0.1:8080/proxy/ld/").unwrap();
        assert_eq!(
            base.join(&["keys", "roost.ai", "a b/c"]).as_str(),
            "http://127.0.0.1:8080/proxy/ld/keys/roost.ai/a%20b%2Fc"
        );
    }

    #[test]
    fn http_is_accepted_for_loopback_hosts_only() {
        for ok in [
            "https://app.launchdarkly.com",
            "https://proxy.internal:8443/ld",
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://[::1]:3000/",
            "http://localhost:1234",
            "http://LOCALHOST",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        for insecure in [
            "http://app.launchdarkly.com",
            "http://10.0.0.1:8080",
            "http://128.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://0.0.0.0:80",
        ] {
            let err = BaseUrl::parse(insecure).unwrap_err();
            assert!(err.reason.contains("unencrypted"), "{insecure}: {err}");
            let allowed = BaseUrl::parse_allowing_insecure_http(insecure).unwrap();
            assert!(!allowed.is_https() && !allowed.is_loopback(), "{insecure}");
        }
        // Opting in to http does not relax the other rules.
        assert!(BaseUrl::parse_allowing_insecure_http("http://u:p@example.com").is_err());
    }

    #[test]
    fn rejects_unusable_urls() {
        for bad in [
            "ftp://example.com",
            "not a url",
            "https://user:pw@example.com",
            "https://example.com/?q=1",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
