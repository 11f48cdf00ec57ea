//! `ldic plan`, `ldic apply` and `ldic import`: thin commands over the `ldic-sync` engine.
//! This module holds what they share: reading the desired state the way `lint` reads files,
//! connecting to LaunchDarkly, and listing the remote configurations.

pub mod apply;
pub mod import;
pub mod plan;

use crate::config::EnvPolicy;
use crate::create::TOKEN_ENV;
use crate::lint::{self, FileLint};
use crate::output;
use anyhow::Context as _;
use ldic_sync::{Desired, Options, Plan, Source, Target};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;

/// Where LaunchDarkly is, for every command that talks to it.
#[derive(Debug, Clone, clap::Args)]
pub struct RemoteArgs {
    /// LaunchDarkly base URL. The API token (LD_API_KEY) is sent only over https, or over http
    /// to a loopback host.
    #[arg(
        long,
        env = "LD_BASE_URL",
        default_value = "https://app.launchdarkly.com"
    )]
    pub base_url: String,
    /// Allow an http:// base URL that is not a loopback host (the token is sent in clear).
    #[arg(long)]
    pub allow_insecure_http: bool,
}

/// The files and scope of `plan` and `apply`.
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    /// Files and directories, read like `ldic lint` reads them. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Also delete remote configurations of the files' integration keys that no file describes.
    #[arg(long)]
    pub prune: bool,
    /// Limit to one integration key or one configuration (`KEY/NAME`); repeatable.
    #[arg(long, value_name = "KEY[/NAME]")]
    pub target: Vec<Target>,
    /// Send secret fields on update too (they are write-only, so never compared).
    #[arg(long)]
    pub rotate_secrets: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(flatten)]
    pub env: crate::config::EnvArgs,
}

impl PlanArgs {
    fn options(&self) -> Options {
        Options {
            prune: self.prune,
            rotate_secrets: self.rotate_secrets,
            targets: self.target.clone(),
        }
    }
}

/// The blocking client, token from LD_API_KEY.
pub fn connect(args: &RemoteArgs) -> anyhow::Result<ldic_client::blocking::Client> {
    let Some(token) = ldic_client::ApiToken::from_env(TOKEN_ENV) else {
        anyhow::bail!("set {TOKEN_ENV} to a LaunchDarkly API access token");
    };
    ldic_client::Client::builder(token)
        .base_url(&args.base_url)
        .allow_insecure_http(args.allow_insecure_http)
        .catalog(crate::active_catalog::shared())
        .build_blocking()
        .context("cannot set up the LaunchDarkly client")
}

/// The desired state read from files, or why there is none.
#[derive(Debug)]
pub enum Read {
    Desired(Vec<Desired>),
    /// A file is invalid (exit 1): the lint report was printed.
    Invalid,
}

/// Read and validate every file (the way `lint` does, references checked as `policy` says);
/// `${env:NAME}` resolved from the environment. Any invalid file: its problems are printed and
/// nothing else happens.
pub fn read_desired(paths: &[PathBuf], policy: &EnvPolicy) -> anyhow::Result<Read> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let (files, path_errors) = lint::collect(&paths);
    if let Some(e) = path_errors.first() {
        anyhow::bail!("cannot read {}: {}", e.display, e.message);
    }
    let mut linted: Vec<FileLint> = Vec::new();
    for file in &files {
        match lint::lint_candidate_with(&file.path, !file.named, policy) {
            Ok(Some(f)) => linted.push(f),
            Ok(None) => {}
            Err(e) => anyhow::bail!("cannot read {}: {}", e.display, e.message),
        }
    }
    let (bad, good): (Vec<FileLint>, Vec<FileLint>) =
        linted.into_iter().partition(|f| f.errors() > 0);
    if !bad.is_empty() {
        let outcome = output::Outcome {
            files: bad,
            path_errors: Vec::new(),
            skipped: 0,
        };
        let _ = write!(anstream::stderr(), "{}", output::human(&outcome, true));
        let _ = writeln!(
            anstream::stderr(),
            "ldic: {} invalid file(s); nothing was planned or sent",
            outcome.files.len()
        );
        return Ok(Read::Invalid);
    }
    let mut desired = Vec::new();
    for file in &good {
        let several_documents = file.parsed.iter().any(|p| p.document > 0);
        for config in &file.parsed {
            let shown = if several_documents {
                format!("{}[{}]", file.display, config.document)
            } else {
                file.display.clone()
            };
            let source = Source::new(shown, config.prefix.clone());
            desired.push(Desired::from_file_config(&config.value, source, |name| {
                std::env::var(name).ok()
            })?);
        }
    }
    Ok(Read::Desired(desired))
}

/// The plan of the desired state against LaunchDarkly, listing each integration key once.
pub fn make_plan(
    desired: &[Desired],
    args: &PlanArgs,
    client: &ldic_client::blocking::Client,
) -> anyhow::Result<Result<Plan, ldic_sync::PlanError>> {
    let options = args.options();
    let keys: BTreeSet<&str> = desired
        .iter()
        .map(|d| d.integration_key.as_str())
        .filter(|k| {
            options.targets.is_empty() || options.targets.iter().any(|t| t.integration_key == *k)
        })
        .collect();
    let state = ldic_sync::list_remote(client, keys)
        .map_err(|(key, e)| anyhow::anyhow!("cannot list the configurations of {key}: {e}"))?;
    Ok(ldic_sync::plan_in(
        crate::active_catalog::active(),
        desired,
        &state,
        &options,
    ))
}

/// What `plan` and `apply` do first: read the files (references as `resolve` says), connect,
/// list and plan. `Ok(Err(code))`: a file is invalid or a configuration cannot be planned (both
/// reported); exit with `code`.
pub fn plan_files(
    args: &PlanArgs,
    resolve: bool,
) -> anyhow::Result<Result<(Plan, ldic_client::blocking::Client), u8>> {
    let desired = match read_desired(&args.paths, &args.env.policy(resolve)?)? {
        Read::Desired(d) => d,
        Read::Invalid => return Ok(Err(crate::EXIT_PROBLEMS)),
    };
    let client = connect(&args.remote)?;
    match make_plan(&desired, args, &client)? {
        Ok(plan) => Ok(Ok((plan, client))),
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "error: {e}");
            Ok(Err(crate::EXIT_PROBLEMS))
        }
    }
}
