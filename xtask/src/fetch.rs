//! `cargo xtask fetch`: upstream manifests -> validated -> `manifests/` facts, with a change report.
//!
//! The source is a git URL (default: the upstream GitHub repository), a local git repository, or a
//! plain directory holding a snapshot of the upstream tree. Git sources are cloned into a cache
//! under `target/ldic-upstream/` and checked out at the commit pinned in `manifests/upstream.lock`
//! (or `--rev`, or the branch head with `--update`). The tree is validated, facts are extracted
//! and `manifests/` is replaced atomically. The heavy lifting lives in `ldic-manifest`; this module
//! wires sources, the CLI and the printing.

mod git;
mod plain;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use ldic_manifest::facts::UpstreamLock;
use ldic_manifest::load::LoadError;
use ldic_manifest::rules::Severity;
use ldic_manifest::store;

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
    #[arg(long)]
    source: Option<String>,
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

    let source = args
        .source
        .clone()
        .or_else(|| previous.lock.as_ref().map(|l| l.source.clone()))
        .unwrap_or_else(|| UpstreamLock::DEFAULT_SOURCE.to_owned());

    let (tree, lock) = match classify(&source) {
        Source::Plain(dir) => {
            if args.update {
                anyhow::bail!(
                    "--update needs a git source; {} is a plain directory",
                    dir.display()
                );
            }
            plain::resolve(&dir, args.rev.as_deref())?
        }
        Source::Git(url) => git::resolve(
            &url,
            &cache_dir,
            git::Target::from_args(args.rev.as_deref(), args.update, previous.lock.as_ref()),
        )?,
    };

    // What the tree held before it was read; compared again after loading, so that a source
    // changing mid-run (an editor, a concurrent fetch in the cache) cannot give facts that match
    // neither state, or a lock whose content hash is not that of the facts.
    let before = match &lock.content_hash {
        Some(hash) => hash.clone(),
        None => tree.content_hash()?,
    };
    let loaded = match ldic_manifest::load::load_tree(&tree) {
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
    if let Some(hook) = &args.after_load_hook {
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
    let files = store::render_facts_set(&lock, &loaded.facts);
    let report = report::Report::new(&previous, &lock, &loaded.facts, &loaded.warnings);
    store::write_facts_dir(&manifests_dir, &files)?;
    print!("{}", report.render(args.report_format));
    Ok(ExitCode::SUCCESS)
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
