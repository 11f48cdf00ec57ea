//! `ldic create FILE`: lint the file, resolve `${env:NAME}` references, and send each
//! configuration to LaunchDarkly (or, with `--dry-run`, print the requests, secrets redacted).
//!
//! Nothing is sent when any configuration of the file has an error, or when a referenced
//! environment variable is not set: a file is created whole or not at all (up to LaunchDarkly
//! refusing one of several configurations, which stops at that one and says what was created).

use crate::config::{EnvRef, INTEGRATION_KEY, env_ref};
use crate::lint::{self, FileLint, ParsedConfig};
use crate::output;
use crate::spans::child_pointer;
use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use anyhow::Context as _;
use ldic::catalog::Integration;
use serde_json::{Map, Value};
use std::io::Write as _;
use std::path::Path;

/// Environment variable holding the API token.
pub const TOKEN_ENV: &str = "LD_API_KEY";
const REDACTED: &str = "[redacted]";

/// One request to send.
struct Request {
    integration_key: String,
    /// The body with references resolved: what is sent.
    body: Value,
    /// The body as printed: secret and env-resolved values redacted.
    shown: Value,
}

pub fn run(file: &Path, dry_run: bool, base_url: &str) -> anyhow::Result<u8> {
    let base = ldic_client::BaseUrl::parse(base_url)?;
    let linted = match lint::lint_file(file) {
        Ok(f) => f,
        Err(e) => anyhow::bail!("cannot read {}: {}", e.display, e.message),
    };
    if linted.errors() > 0 {
        report_problems(linted);
        let _ = writeln!(anstream::stderr(), "nothing was sent");
        return Ok(EXIT_PROBLEMS);
    }
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

    if dry_run {
        let mut out = String::new();
        for r in &requests {
            out.push_str(&format!(
                "POST {}\nAuthorization: {REDACTED}\nLD-API-Version: {}\nContent-Type: application/json\nUser-Agent: {}\n\n{}\n\n",
                endpoint(&base, &r.integration_key),
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
        return Ok(EXIT_OK);
    }

    let Some(token) = ldic_client::ApiToken::from_env(TOKEN_ENV) else {
        anyhow::bail!("set {TOKEN_ENV} to a LaunchDarkly API access token");
    };
    let client = ldic_client::Client::builder(token)
        .base_url(base.as_url().as_str())
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
fn build(config: &ParsedConfig) -> Result<Request, Vec<String>> {
    let mut body: Map<String, Value> = config.value.clone();
    let key = match body.remove(INTEGRATION_KEY) {
        Some(Value::String(k)) => k,
        _ => String::new(),
    };
    let mut shown = body.clone();
    let mut missing = Vec::new();
    if let (Some(Value::Object(values)), Some(Value::Object(shown_values))) =
        (body.get_mut("configValues"), shown.get_mut("configValues"))
    {
        for (field, value) in values.iter_mut() {
            let mut redact = is_secret(config.integration, field);
            if let Value::String(s) = value
                && let EnvRef::Variable(name) = env_ref(s)
            {
                redact = true;
                match std::env::var(name) {
                    Ok(resolved) => *value = Value::String(resolved),
                    Err(_) => missing.push(format!(
                        "{name} (at {})",
                        child_pointer(&format!("{}/configValues", config.prefix), field)
                    )),
                }
            }
            if redact && let Some(v) = shown_values.get_mut(field) {
                *v = Value::String(REDACTED.to_owned());
            }
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

fn is_secret(integration: Option<&'static Integration>, field: &str) -> bool {
    integration
        .and_then(Integration::config_values_list)
        .and_then(|l| l.field(field))
        .is_some_and(|f| f.is_secret)
}
