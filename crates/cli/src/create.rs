//! `ldic create FILE`: lint the file, resolve `${env:NAME}` references, and send each
//! configuration to LaunchDarkly (or, with `--dry-run`, print the requests, secrets redacted).
//!
//! Nothing is sent when any configuration of the file has an error, or when a referenced
//! environment variable is not set: a file is created whole or not at all (up to LaunchDarkly
//! refusing one of several configurations, which stops at that one and says what was created).

use crate::config::EnvPolicy;
use crate::lint::{self, FileLint, ParsedConfig};
use crate::output;
use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use anyhow::Context as _;
use ldic::catalog::Integration;
use serde_json::Value;
use std::io::Write as _;
use std::path::Path;

/// Environment variable holding the API token.
pub const TOKEN_ENV: &str = "LD_API_KEY";
const REDACTED: &str = "[redacted]";

/// One request to send. Its `Debug` shows only the redacted body.
pub struct Request {
    pub integration_key: String,
    /// The body with references resolved: what is sent.
    pub body: Value,
    /// The body as printed: sensitive values redacted.
    pub shown: Value,
}

pub fn run(file: &Path, dry_run: bool, base_url: &str) -> anyhow::Result<u8> {
    run_with(file, dry_run, base_url, &EnvPolicy::default())
}

/// [`run`] with the names `${env:NAME}` may reference restricted by `policy.allow`. References
/// are always resolved and the resolved values validated before the first request; a problem
/// points at the reference in the file.
pub fn run_with(
    file: &Path,
    dry_run: bool,
    base_url: &str,
    policy: &EnvPolicy,
) -> anyhow::Result<u8> {
    let base = ldic_client::BaseUrl::parse(base_url)?;
    let policy = EnvPolicy {
        resolve: true,
        ..policy.clone()
    };
    let linted = match lint::lint_file_with(file, &policy) {
        Ok(f) => f,
        Err(e) => anyhow::bail!("cannot read {}: {}", e.display, e.message),
    };
    if linted.errors() > 0 {
        // Only unset variables: an environment error (exit 2), shown at the references.
        let environment_only = linted
            .findings
            .iter()
            .filter(|f| f.severity == ldic::Severity::Error)
            .all(|f| f.code == crate::codes::FindingCode::UnsetEnvReference);
        report_problems(linted);
        let _ = writeln!(anstream::stderr(), "nothing was sent");
        return Ok(if environment_only {
            EXIT_USAGE
        } else {
            EXIT_PROBLEMS
        });
    }
    let requests = requests_of(&linted)?;
    if dry_run {
        print_dry_run(&base, &requests)?;
        return Ok(EXIT_OK);
    }
    send_all(&base, &requests)
}

/// One request per configuration of the linted file, references resolved; an error (nothing
/// sent) naming every unset variable, or when the file holds no configuration.
fn requests_of(linted: &FileLint) -> anyhow::Result<Vec<Request>> {
    let mut requests = Vec::new();
    let mut missing = Vec::new();
    for config in &linted.parsed {
        match build(config) {
            Ok(r) => requests.push(r),
            Err(names) => missing.extend(names),
        }
    }
    if !missing.is_empty() {
        missing.dedup();
        anyhow::bail!(
            "environment variable{} not set: {}; nothing was sent",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        );
    }
    if requests.is_empty() {
        anyhow::bail!("{} holds no configuration to create", linted.display);
    }
    Ok(requests)
}

/// `--dry-run`: each request as it would be sent (token and sensitive values redacted).
fn print_dry_run(base: &ldic_client::BaseUrl, requests: &[Request]) -> anyhow::Result<()> {
    let mut out = String::new();
    for r in requests {
        out.push_str(&format!(
            "POST {}\nAuthorization: {REDACTED}\nLD-API-Version: {}\nContent-Type: application/json\nUser-Agent: {}\n\n{}\n\n",
            endpoint(base, &r.integration_key),
            ldic_client::API_VERSION,
            ldic_client::USER_AGENT,
            serde_json::to_string_pretty(&r.shown)?,
        ));
    }
    crate::print_out(&out)?;
    let _ = writeln!(
        anstream::stderr(),
        "dry run: {} request{} not sent",
        requests.len(),
        if requests.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Sends the requests in order, printing each created id; stops at the first refusal, saying
/// how many were created before it.
fn send_all(base: &ldic_client::BaseUrl, requests: &[Request]) -> anyhow::Result<u8> {
    let Some(token) = ldic_client::ApiToken::from_env(TOKEN_ENV) else {
        anyhow::bail!("set {TOKEN_ENV} to a LaunchDarkly API access token");
    };
    let client = ldic_client::Client::builder(token)
        .base_url(base.as_url().as_str())
        .catalog(crate::active_catalog::shared())
        .build_blocking()
        .context("cannot set up the LaunchDarkly client")?;
    for (i, r) in requests.iter().enumerate() {
        match client.create_json(&r.integration_key, &r.body) {
            Ok(created) => {
                crate::print_out(&format!("{}\n", created.id))?;
                let _ = writeln!(
                    anstream::stderr(),
                    "created {} configuration {:?}: {}",
                    r.integration_key,
                    created.name,
                    created.id
                );
            }
            Err(e) => {
                let _ = writeln!(anstream::stderr(), "error: {e}");
                if i > 0 {
                    let _ = writeln!(
                        anstream::stderr(),
                        "the {i} configuration(s) before this one were created; the rest were not sent"
                    );
                }
                return Ok(match e {
                    ldic_client::Error::Invalid(_) | ldic_client::Error::Api { .. } => {
                        EXIT_PROBLEMS
                    }
                    _ => EXIT_USAGE,
                });
            }
        }
    }
    Ok(EXIT_OK)
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("integration_key", &self.integration_key)
            .field("shown", &self.shown)
            .finish_non_exhaustive()
    }
}

fn report_problems(linted: FileLint) {
    let outcome = output::Outcome {
        files: vec![linted],
        path_errors: Vec::new(),
        skipped: 0,
    };
    let _ = write!(anstream::stderr(), "{}", output::human(&outcome, false));
}

/// `{base}/api/v2/integration-configurations/keys/{key}`, where a create is POSTed.
fn endpoint(base: &ldic_client::BaseUrl, key: &str) -> String {
    let mut url = base.as_url().clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty()
            .extend(["api", "v2", "integration-configurations", "keys", key]);
    }
    url.to_string()
}

/// The request of one configuration; `Err` lists the referenced variables that are not set.
/// File-only keys (`$schema`, `x-*`, `_id`) are never sent; sensitive values
/// ([`ldic::file::is_sensitive`]) are redacted in what is shown.
pub fn build(config: &ParsedConfig) -> Result<Request, Vec<String>> {
    let split = ldic::file::split_configuration(&config.value);
    let key = split.integration_key.unwrap_or_default().to_owned();
    let mut body = split.body;
    let mut shown = body.clone();
    let mut missing = Vec::new();
    if let (Some(Value::Object(values)), Some(Value::Object(shown_values))) =
        (body.get_mut("configValues"), shown.get_mut("configValues"))
    {
        let list = config.integration.and_then(Integration::config_values_list);
        for (field, value) in shown_values.iter_mut() {
            if ldic::file::is_sensitive(list.and_then(|l| l.field(field)), value) {
                *value = Value::String(REDACTED.to_owned());
            }
        }
        let unresolved = ldic::file::resolve_env_references(values, |name| {
            (!ldic::file::forbidden_env_name(name))
                .then(|| std::env::var(name).ok())
                .flatten()
        });
        for u in unresolved {
            missing.push(format!(
                "{} (at {}/configValues{})",
                u.name, config.prefix, u.pointer
            ));
        }
    }
    if missing.is_empty() {
        Ok(Request {
            integration_key: key,
            body: Value::Object(body),
            shown: Value::Object(shown),
        })
    } else {
        Err(missing)
    }
}
