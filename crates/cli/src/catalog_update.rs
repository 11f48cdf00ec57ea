//! `ldic catalog update` and `ldic catalog reset`: keep a catalog fetched from the LaunchDarkly
//! API (`GET /api/v2/integration-manifests`) in a facts directory, or remove it again.
//!
//! The response is read with the same bounds as `cargo xtask fetch --api` (a size cap checked on
//! the declared length and while reading, the nesting bound of [`ldic_manifest::api`], no
//! redirects, the token only over https or to a loopback host, 429/5xx retried a few times) and
//! extracted by [`ldic_manifest::api`], so both tools agree on what an item means. The HTTP code
//! is a small copy of xtask's on purpose: xtask may not depend on ldic-client (it regenerates the
//! catalog ldic-client is built on), while here the base-URL rule and the retry timing are
//! ldic-client's own ([`BaseUrl`], [`RetryPolicy`]). The directory is replaced atomically
//! ([`ldic_manifest::store::write_facts_dir`]); on any error the old catalog is left as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, anyhow, bail};
use ldic::catalog::Catalog;
use ldic_client::{BaseUrl, RetryPolicy};
use ldic_manifest::diff::{Impact, diff};
use ldic_manifest::facts::{
    DependsOn, FACTS_FORMAT_VERSION, FormListFacts, FormVariableFacts, IntegrationFacts,
    MultiselectOption, UpstreamLock,
};
use ldic_manifest::store::{self, LOCK_FILE};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::active_catalog::CATALOG_DIR_ENV;

/// Where the token is read from.
pub const TOKEN_ENV: &str = "LD_API_KEY";
/// The commercial LaunchDarkly instance.
pub const DEFAULT_BASE_URL: &str = "https://app.launchdarkly.com";
/// Largest response accepted (the whole public catalog is about 1 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Longest wait between attempts, whatever `Retry-After` asks for.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The directory `ldic catalog update` writes to when neither `--catalog` nor
/// `LDIC_CATALOG_DIR` names one: `<user cache dir>/ldic/catalog`.
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("ldic").join("catalog"))
}

/// The directory to update or reset: the one named (by `--catalog` or `LDIC_CATALOG_DIR`, which
/// clap merges), else [`default_dir`].
pub fn target_dir(named: Option<&Path>) -> anyhow::Result<PathBuf> {
    match named {
        Some(dir) => Ok(dir.to_path_buf()),
        None => default_dir().ok_or_else(|| {
            anyhow!("no user cache directory is known here: name one with --catalog DIR or {CATALOG_DIR_ENV}")
        }),
    }
}

/// Whether `dir` holds a stored catalog (its lock file).
pub fn holds_catalog(dir: &Path) -> bool {
    dir.join(LOCK_FILE).is_file()
}

/// What to fetch and with which bounds.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The API's base URL (`None`: LaunchDarkly's commercial instance).
    pub base_url: Option<String>,
    /// The largest response body read.
    pub max_bytes: u64,
    /// The API access token ([`token_from_env`]); never printed.
    pub token: Option<ldic::client::ApiToken>,
}

/// The token of [`TOKEN_ENV`], if set and not blank.
pub fn token_from_env() -> Option<ldic::client::ApiToken> {
    match std::env::var(TOKEN_ENV) {
        Ok(t) if !t.trim().is_empty() => Some(ldic::client::ApiToken::new(t.trim())),
        _ => None,
    }
}

/// `ldic catalog update`: fetch, extract, write `dir` atomically; returns the report for stdout.
/// Unusable items are warnings on stderr, naming the integration.
pub fn update(dir: &Path, opts: &UpdateOptions) -> anyhow::Result<String> {
    let kept = || format!("{} left unchanged", dir.display());
    let raw_base = opts.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
    let base = BaseUrl::parse(raw_base).map_err(|e| anyhow!("--base-url: {e}"))?;
    let token = match &opts.token {
        Some(t) => t.expose().to_owned(),
        None => bail!(
            "{TOKEN_ENV} is not set: put a LaunchDarkly API access token there (one that can \
             read integrations) to update the catalog"
        ),
    };
    check_writable(dir)?;
    let url = endpoint(base.as_url());
    let body = fetch_body(&url, &token, opts.max_bytes).with_context(kept)?;
    let items = ldic_manifest::api::parse_response(&body)
        .with_context(|| format!("GET {url}"))
        .with_context(kept)?;
    let loaded = ldic_manifest::api::extract_items(&items);
    for w in &loaded.warnings {
        // A warning of the update whatever the rule's severity: the item (or part of it) is
        // skipped and the others are kept.
        eprintln!(
            "warning: {}#{} [{}]: expected {}",
            w.manifest,
            w.pointer,
            w.rule.code(),
            w.expected
        );
    }
    if loaded.facts.is_empty() {
        bail!(
            "the API served no usable integration ({} item(s)); {}",
            items.len(),
            kept()
        );
    }
    let lock = UpstreamLock {
        source: UpstreamLock::API_SOURCE.to_owned(),
        commit: String::new(),
        commit_date: String::new(),
        base_url: Some(base.as_url().as_str().trim_end_matches('/').to_owned()),
        fetched_at: Some(now_rfc3339()),
        content_hash: Some(ldic_manifest::api::facts_content_hash(&loaded.facts)),
    };
    let files = store::render_facts_set(&lock, &loaded.facts);
    check_loadable(&files).with_context(kept)?;
    store::write_facts_dir(dir, &files)
        .map_err(|e| anyhow!("cannot write the catalog: {e}; {}", kept()))?;
    let mut out = format!(
        "wrote {} integration(s) to {} ({} item(s) skipped)\n",
        loaded.facts.len(),
        dir.display(),
        loaded.skipped.len()
    );
    out.push_str(&change_report(&loaded.facts));
    out.push_str(
        "note: fetched from the LaunchDarkly API, so it reflects one account (it may hold \
         integrations private to it)\n",
    );
    Ok(out)
}

/// Load the facts set from a scratch directory exactly as every later run will, so a set that
/// extracts but cannot be built into a catalog is refused before it replaces a working one.
fn check_loadable(files: &[(String, String)]) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    for (name, content) in files {
        let path = scratch.path().join(name);
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Catalog::load_dir(scratch.path())
        .map(drop)
        .map_err(|e| anyhow!("the fetched catalog cannot be used: {e}"))
}

/// A read-only catalog directory (or parent) is refused before anything is fetched, by its
/// permission bits, so the answer is the same for every user.
fn check_writable(dir: &Path) -> anyhow::Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    for d in std::iter::once(dir).chain(parent) {
        if let Ok(meta) = std::fs::metadata(d)
            && meta.permissions().readonly()
        {
            bail!(
                "{} is read-only: cannot store the catalog there (name another with --catalog \
                 DIR); nothing was fetched or changed",
                d.display()
            );
        }
    }
    Ok(())
}

/// `<base>/api/v2/integration-manifests`, keeping a path prefix of the base URL.
fn endpoint(base: &url::Url) -> url::Url {
    let mut url = base.clone();
    let path = format!(
        "{}/api/v2/integration-manifests",
        base.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url
}

/// The changes from the built-in catalog to `facts`, as lines.
///
/// The built-in catalog's facts are rebuilt from its field metadata ([`builtin_facts`]): that
/// metadata is what the generator wrote from the facts, and it holds everything the change report
/// compares (types, required/secret flags, allowed values and options, defaults, dependsOn
/// presence), so the report is the one `cargo xtask fetch` would print for the same facts.
pub fn change_report(facts: &[IntegrationFacts]) -> String {
    let old = builtin_facts(Catalog::builtin());
    let new: BTreeMap<String, IntegrationFacts> =
        facts.iter().map(|f| (f.key.clone(), f.clone())).collect();
    let changes = diff(&old, &new);
    let count = |pred: &dyn Fn(&ldic_manifest::diff::Change) -> bool| {
        changes.iter().filter(|c| pred(c)).count()
    };
    use ldic_manifest::diff::ChangeKind::{IntegrationAdded, IntegrationRemoved};
    let added = count(&|c| c.kind == IntegrationAdded);
    let removed = count(&|c| c.kind == IntegrationRemoved);
    let changed: std::collections::BTreeSet<&str> = changes
        .iter()
        .filter(|c| !matches!(c.kind, IntegrationAdded | IntegrationRemoved))
        .map(|c| c.integration.as_str())
        .collect();
    let breaking = count(&|c| c.impact == Impact::Breaking);
    let mut out = format!(
        "against the built-in catalog: {added} added, {removed} removed, {} changed integration(s); {} change(s), {breaking} breaking\n",
        changed.len(),
        changes.len()
    );
    for c in &changes {
        out.push_str(&format!("  {c}\n"));
    }
    out
}

/// The facts of every integration of `catalog`, rebuilt from its field metadata (see
/// [`change_report`]). Prose-free like all facts; the flags the catalog does not keep
/// (`disableAfterSaving`, `hideEmpty`, dynamic options) are not compared by the report.
pub fn builtin_facts(catalog: &Catalog) -> BTreeMap<String, IntegrationFacts> {
    catalog
        .iter()
        .map(|i| {
            let form_lists = i
                .lists
                .iter()
                .map(|l| FormListFacts {
                    kind: l.kind,
                    variables: l.fields.iter().map(field_facts).collect(),
                })
                .collect();
            let facts = IntegrationFacts {
                format: FACTS_FORMAT_VERSION,
                key: i.key.to_string(),
                name: i.name.to_string(),
                version: i.version.to_string(),
                manifest_path: format!("integrations/{}/manifest.json", i.key),
                capabilities: i.capabilities.iter().map(ToString::to_string).collect(),
                form_lists,
            };
            (facts.key.clone(), facts)
        })
        .collect()
}

fn field_facts(f: &ldic::catalog::FieldMeta) -> FormVariableFacts {
    let ty = f.ty.clone();
    let multiselect = ty == ldic::catalog::FieldType::Multiselect;
    let (allowed_values, multiselect_options) = if multiselect {
        let options = f
            .allowed()
            .enumerate()
            .map(|(n, value)| MultiselectOption {
                value: value.to_owned(),
                label: f
                    .option_labels
                    .get(n)
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            })
            .collect();
        (Vec::new(), options)
    } else {
        (f.allowed().map(str::to_owned).collect(), Vec::new())
    };
    FormVariableFacts {
        key: f.key.to_string(),
        label: f.label.to_string(),
        ty,
        is_secret: f.is_secret,
        is_optional: f.is_optional,
        is_hidden: f.is_hidden,
        disable_after_saving: false,
        hide_empty: false,
        default_value: f.default_value(),
        allowed_values,
        placeholder: f.placeholder.as_deref().map(str::to_owned),
        multiselect_options,
        multiselect_default_options: Vec::new(),
        depends_on: f
            .depends_on
            .iter()
            .map(|d| DependsOn {
                variable_key: d.variable_key.to_string(),
                variable_location: d.variable_list.variable_location().unwrap_or("").to_owned(),
                action: d.action,
                conditions: d
                    .conditions
                    .iter()
                    .map(|c| ldic_manifest::facts::Condition {
                        operator: c.operator,
                        value: c.value.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        has_dynamic_options: false,
    }
}

/// `ldic catalog reset`: remove the stored catalog in `dir`; returns what was done.
pub fn reset(dir: &Path) -> anyhow::Result<String> {
    if !dir.exists() {
        return Ok(format!(
            "no stored catalog in {}; the built-in catalog is used\n",
            dir.display()
        ));
    }
    if !holds_catalog(dir) {
        bail!(
            "{} does not hold a catalog ({LOCK_FILE} is missing): not removed",
            dir.display()
        );
    }
    std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    Ok(format!(
        "removed the catalog in {}; the built-in catalog is used again\n",
        dir.display()
    ))
}

/// GET `url` with the token, bounded and retried as the module docs say.
fn fetch_body(url: &url::Url, token: &str, max_bytes: u64) -> anyhow::Result<Vec<u8>> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // reqwest is built without a bundled provider (see crates/client); Err only means
        // another thread installed one first.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let mut authorization = HeaderValue::from_str(token)
        .map_err(|_| anyhow!("{TOKEN_ENV} holds characters not allowed in an HTTP header"))?;
    authorization.set_sensitive(true);
    let client = reqwest::Client::builder()
        .user_agent(ldic_client::USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .context("cannot set up the HTTP client")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the HTTP runtime")?;
    runtime.block_on(fetch_with_retries(
        &client,
        url,
        &authorization,
        token,
        max_bytes,
    ))
}

async fn fetch_with_retries(
    client: &reqwest::Client,
    url: &url::Url,
    authorization: &HeaderValue,
    token: &str,
    max_bytes: u64,
) -> anyhow::Result<Vec<u8>> {
    let policy = RetryPolicy::default();
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
            Err(e) if (e.is_connect() || e.is_timeout()) && attempt < policy.max_attempts => {
                eprintln!("note: GET {url} failed ({e}); retrying");
                tokio::time::sleep(policy.backoff(attempt)).await;
                attempt += 1;
                continue;
            }
            Err(e) => bail!("GET {url}: {e}"),
        };
        let status = response.status();
        if status.is_success() {
            return read_bounded(response, max_bytes)
                .await
                .map_err(|e| match e {
                    ReadError::TooLarge => {
                        anyhow!("GET {url}: the response is larger than {max_bytes} bytes: refused")
                    }
                    ReadError::Body(e) => anyhow!(
                        "GET {url}: the response body could not be read completely (truncated or \
                     interrupted): {e}"
                    ),
                });
        }
        let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
        if retryable && attempt < policy.max_attempts {
            let wait = RetryPolicy::rate_limit_delay(response.headers(), SystemTime::now())
                .unwrap_or_else(|| policy.backoff(attempt))
                .min(MAX_RETRY_WAIT);
            eprintln!(
                "note: GET {url} answered {status}; retrying in {} ms ({attempt}/{})",
                wait.as_millis(),
                policy.max_attempts
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
            continue;
        }
        let snippet = match read_bounded(response, 4096).await {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).replace(token, "<redacted>");
                let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                line.chars().take(200).collect()
            }
            Err(_) => String::new(),
        };
        bail!("{}", status_error(url, status, attempt, &snippet));
    }
}

/// The error for a final non-success status, saying what to check.
fn status_error(url: &url::Url, status: StatusCode, attempts: u32, snippet: &str) -> String {
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

enum ReadError {
    TooLarge,
    Body(reqwest::Error),
}

async fn read_bounded(mut response: reqwest::Response, max: u64) -> Result<Vec<u8>, ReadError> {
    if response.content_length().is_some_and(|n| n > max) {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Body)? {
        if body.len() as u64 + chunk.len() as u64 > max {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Now, as an RFC 3339 UTC date-time to the second.
fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let (y, m, d) = civil_from_days(days);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_has_no_changes_against_itself() {
        let facts: Vec<_> = builtin_facts(Catalog::builtin()).into_values().collect();
        assert!(!facts.is_empty());
        let report = change_report(&facts);
        assert!(
            report.starts_with("against the built-in catalog: 0 added, 0 removed, 0 changed"),
            "{report}"
        );
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
