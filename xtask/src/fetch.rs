//! `cargo xtask fetch`: upstream manifests -> validated -> `manifests/` facts, with a change report.
//!
//! The source is a git URL (default: the upstream GitHub repository), a local git repository, a
//! plain directory holding a snapshot of the upstream tree, or with `--api` the LaunchDarkly API
//! (`GET /api/v2/integration-manifests`, one account's view; see [`api`]). Git sources are cloned into a cache
//! under `target/ldic-upstream/` and checked out at the commit pinned in `manifests/upstream.lock`
//! (or `--rev`, or the branch head with `--update`). The tree is validated, facts are extracted
//! and `manifests/` is replaced atomically. The heavy lifting lives in `ldic-manifest`; this module
//! wires sources, the CLI and the printing.

mod api;
mod git;
mod plain;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use ldic_manifest::facts::UpstreamLock;
use ldic_manifest::load::{LoadError, Loaded};
use ldic_manifest::rules::Severity;
use ldic_manifest::store;
use ldic_manifest::tree::UpstreamTree;

/// Output format of the change report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Git URL, local git repository, or plain directory holding the upstream tree.
    /// Default: the source recorded in manifests/upstream.lock, else the upstream GitHub repository.
    #[arg(long, conflicts_with_all = ["api", "base_url"])]
    source: Option<String>,
    /// Read the manifests from the LaunchDarkly API (token from LD_API_KEY) instead of the
    /// repository. The result reflects one account and is not what the published crates ship.
    #[arg(long, conflicts_with_all = ["rev", "update"])]
    api: bool,
    /// With --api: the LaunchDarkly instance (default: the lock's, else https://app.launchdarkly.com).
    #[arg(long, requires = "api")]
    base_url: Option<String>,
    /// Commit, branch or tag to check out (for a plain directory: the upstream commit it was
    /// taken from; default: the one its SNAPSHOT.md names).
    #[arg(long)]
    rev: Option<String>,
    /// Move to the head of the default branch (or of --rev when it names a branch) and rewrite the lock.
    #[arg(long)]
    update: bool,
    /// Format of the change report.
    #[arg(long, value_enum, default_value = "text")]
    report_format: ReportFormat,
    /// Facts directory to compare with and write (default: manifests/ in the workspace).
    #[arg(long, hide = true)]
    manifests_dir: Option<PathBuf>,
    /// Clone cache directory (default: target/ldic-upstream in the workspace).
    #[arg(long, hide = true)]
    cache_dir: Option<PathBuf>,
    /// Test seam: a program run after the tree is loaded and before it is checked for changes
    /// (the fault tests change the source there).
    #[arg(long, hide = true)]
    after_load_hook: Option<PathBuf>,
    /// With --api: the largest response accepted, in bytes.
    #[arg(long, hide = true, default_value_t = api::DEFAULT_MAX_BYTES)]
    max_response_bytes: u64,
    /// With --api: first wait between attempts without Retry-After, in milliseconds.
    #[arg(long, hide = true, default_value_t = 1000)]
    retry_base_ms: u64,
}

/// Where the tree to read comes from, after classifying `--source`.
#[derive(Debug)]
enum Source {
    /// A directory with `integrations/` that is not a git repository.
    Plain(PathBuf),
    /// A git URL or a local git repository (cloned into the cache either way).
    Git(String),
}

fn classify(source: &str) -> Source {
    let path = Path::new(source);
    // A `.git` that git2 cannot open (owned by another user, damaged) is still a repository:
    // cloning it gives the real error instead of "a plain directory".
    if path.is_dir() && !path.join(".git").exists() && git2::Repository::open(path).is_err() {
        return Source::Plain(path.to_path_buf());
    }
    if path.is_dir() {
        // A local repository: clone it by absolute path so the cache does not depend on the cwd.
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        return Source::Git(abs.to_string_lossy().into_owned());
    }
    Source::Git(source.to_owned())
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let manifests_dir = args
        .manifests_dir
        .clone()
        .unwrap_or_else(|| root.join("manifests"));
    let cache_dir = args
        .cache_dir
        .clone()
        .unwrap_or_else(|| root.join("target").join("ldic-upstream"));
    let previous = store::read_facts_dir(&manifests_dir)
        .with_context(|| "cannot read the current facts".to_owned())?;

    // With no --source, the lock says where the facts came from last time.
    let api_by_lock = args.source.is_none() && previous.lock.as_ref().is_some_and(|l| l.is_api());
    if args.api || api_by_lock {
        return run_api(&manifests_dir, &previous, &args);
    }
    let (tree, lock) = resolve_git_or_plain(&args, &previous, &cache_dir)?;
    let loaded = load_stable(
        &tree,
        &lock,
        &manifests_dir,
        args.after_load_hook.as_deref(),
    )?;
    write_and_report(
        &manifests_dir,
        &previous,
        &lock,
        &loaded.facts,
        &loaded.warnings,
        args.report_format,
    )
}

/// The tree to read and its lock: `--source`, else the lock's source, else upstream's
/// repository; a plain directory as it is, a git source cloned or fetched into `cache_dir`.
fn resolve_git_or_plain(
    args: &Args,
    previous: &store::FactsSet,
    cache_dir: &Path,
) -> anyhow::Result<(UpstreamTree, UpstreamLock)> {
    let source = args
        .source
        .clone()
        .or_else(|| previous.lock.as_ref().map(|l| l.source.clone()))
        .unwrap_or_else(|| UpstreamLock::DEFAULT_SOURCE.to_owned());
    match classify(&source) {
        Source::Plain(dir) => {
            if args.update {
                anyhow::bail!(
                    "--update needs a git source; {} is a plain directory",
                    dir.display()
                );
            }
            plain::resolve(&dir, args.rev.as_deref())
        }
        Source::Git(url) => git::resolve(
            &url,
            cache_dir,
            git::Target::from_args(args.rev.as_deref(), args.update, previous.lock.as_ref()),
        ),
    }
}

/// Validates the tree and extracts its facts, refusing (with `manifests_dir` left unchanged) a
/// tree that breaks the rules or that changed while it was read. `hook` is the fault tests'
/// seam, run between the read and the second look.
fn load_stable(
    tree: &UpstreamTree,
    lock: &UpstreamLock,
    manifests_dir: &Path,
    hook: Option<&Path>,
) -> anyhow::Result<Loaded> {
    // What the tree held before it was read; compared again after loading, so that a source
    // changing mid-run (an editor, a concurrent fetch in the cache) cannot give facts that match
    // neither state, or a lock whose content hash is not that of the facts.
    let before = match &lock.content_hash {
        Some(hash) => hash.clone(),
        None => tree.content_hash()?,
    };
    let loaded = match ldic_manifest::load::load_tree(tree) {
        Ok(loaded) => loaded,
        Err(LoadError::Violations(violations)) => {
            for v in &violations {
                eprintln!("{v}");
            }
            anyhow::bail!(
                "{} manifest(s) break the rules; {} left unchanged",
                violations
                    .iter()
                    .filter(|v| v.severity() == Severity::Error)
                    .map(|v| &v.manifest)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                manifests_dir.display()
            );
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(hook) = hook {
        std::process::Command::new(hook)
            .status()
            .with_context(|| format!("cannot run {}", hook.display()))?;
    }
    let after = tree.content_hash()?;
    if after != before {
        anyhow::bail!(
            "{} changed while it was being read; {} left unchanged: run fetch again once the source is stable",
            tree.root().display(),
            manifests_dir.display()
        );
    }
    Ok(loaded)
}

/// The common end of every source: replace the facts directory atomically, print the report.
fn write_and_report(
    manifests_dir: &Path,
    previous: &store::FactsSet,
    lock: &UpstreamLock,
    facts: &[ldic_manifest::facts::IntegrationFacts],
    warnings: &[ldic_manifest::rules::Violation],
    format: ReportFormat,
) -> anyhow::Result<ExitCode> {
    let files = store::render_facts_set(lock, facts);
    let report = report::Report::new(previous, lock, facts, warnings);
    store::write_facts_dir(manifests_dir, &files)?;
    print!("{}", report.render(format));
    Ok(ExitCode::SUCCESS)
}

/// `--api`: fetch, extract leniently (unusable items become warnings), write.
fn run_api(
    manifests_dir: &Path,
    previous: &store::FactsSet,
    args: &Args,
) -> anyhow::Result<ExitCode> {
    let raw_base = args
        .base_url
        .clone()
        .or_else(|| previous.lock.as_ref().and_then(|l| l.base_url.clone()))
        .unwrap_or_else(|| api::DEFAULT_BASE_URL.to_owned());
    let base = api::parse_base_url(&raw_base)?;
    let token = api::token_from_env()?;
    let options = api::Options {
        max_bytes: args.max_response_bytes,
        retry_base: std::time::Duration::from_millis(args.retry_base_ms),
    };
    let unchanged = || format!("{} left unchanged", manifests_dir.display());
    let body = api::fetch_body(&base, &token, &options).with_context(unchanged)?;
    let items = ldic_manifest::api::parse_response(&body)
        .with_context(|| format!("GET {}", api::endpoint(&base)))
        .with_context(unchanged)?;
    let loaded = ldic_manifest::api::extract_items(&items);
    if loaded.facts.is_empty() {
        for w in &loaded.warnings {
            eprintln!("warning: {w}");
        }
        anyhow::bail!(
            "the API served no usable integration ({} item(s)); {}",
            items.len(),
            unchanged()
        );
    }
    let lock = UpstreamLock::from_api(base.as_str(), api::now_rfc3339(), &loaded.facts);
    write_and_report(
        manifests_dir,
        previous,
        &lock,
        &loaded.facts,
        &loaded.warnings,
        args.report_format,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_repository_git2_cannot_open_is_still_a_git_source() {
        // Regression: a repository owned by another user (git2 refuses to open it) was taken
        // for a plain directory, and `--update` failed with a misleading message.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let src = dir.path().to_str().unwrap();
        assert!(matches!(classify(src), Source::Git(_)));
        let plain = tempfile::tempdir().unwrap();
        assert!(matches!(
            classify(plain.path().to_str().unwrap()),
            Source::Plain(_)
        ));
    }
}
