//! Git sources: a URL or a local repository, cloned into a cache and checked out at one commit.
//!
//! The cache lives under `target/ldic-upstream/<source-slug>/`: cloned on first use, fetched
//! afterwards. A cache that git2 cannot open or fetch into (corrupt, or cloned from another
//! source) is deleted and cloned again. Which commit is checked out is a [`Target`]: the one
//! pinned in `manifests/upstream.lock`, an explicit `--rev`, or with `--update` the head of the
//! default branch (or of the `--rev` branch).

use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use git2::{Direction, ErrorClass, FetchOptions, Oid, Repository, build::CheckoutBuilder};
use ldic_manifest::facts::UpstreamLock;
use ldic_manifest::tree::UpstreamTree;

/// Which commit to check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The commit pinned in the lock.
    Pinned(String),
    /// A commit, branch or tag named on the command line.
    Rev(String),
    /// The head of the default branch (`--update`, or no lock yet).
    DefaultBranchHead,
}

impl Target {
    /// `--rev` wins; then `--update`; then the lock; with no lock at all, the branch head.
    pub fn from_args(rev: Option<&str>, update: bool, lock: Option<&UpstreamLock>) -> Self {
        match (rev, update, lock) {
            (Some(rev), _, _) => Target::Rev(rev.to_owned()),
            (None, true, _) => Target::DefaultBranchHead,
            (None, false, Some(lock)) => Target::Pinned(lock.commit.clone()),
            (None, false, None) => Target::DefaultBranchHead,
        }
    }
}

/// A file-system-safe name for the cache of `url`.
fn slug(url: &str) -> String {
    let s: String = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let tail: String = s
        .chars()
        .rev()
        .take(80)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // Different URLs with the same tail must not share a cache.
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{tail}-{hash:016x}")
}

/// One-line description of a git2 error.
fn describe(e: &git2::Error) -> String {
    e.message().replace('\n', " ")
}

fn is_network(e: &git2::Error) -> bool {
    matches!(
        e.class(),
        ErrorClass::Net | ErrorClass::Http | ErrorClass::Ssl | ErrorClass::Ssh | ErrorClass::Os
    ) || e.code() == git2::ErrorCode::Certificate
        || e.code() == git2::ErrorCode::Auth
}

/// An https URL needs the `https` feature (libgit2 over the system OpenSSL); without it, say which
/// command has it instead of libgit2's "unsupported URL protocol".
fn require_transport(url: &str) -> anyhow::Result<()> {
    if cfg!(feature = "https") || !url.starts_with("https://") {
        return Ok(());
    }
    bail!(
        "fetching {url} needs https, which xtask is built without by default (it links the \
         system OpenSSL: install its headers and pkg-config, e.g. `apt-get install libssl-dev \
         pkg-config`); run `cargo xtask-https fetch ...` instead, or `cargo xtask fetch --source \
         <a local clone or snapshot directory>`"
    )
}

/// Check out the target of `url` in the cache and describe it as a tree plus lock.
pub fn resolve(
    url: &str,
    cache_root: &Path,
    target: Target,
) -> anyhow::Result<(UpstreamTree, UpstreamLock)> {
    require_transport(url)?;
    let dir = cache_root.join(slug(url));
    let (repo, default_branch) = open_and_fetch(url, &dir)?;
    let commit = match &target {
        Target::Pinned(id) => {
            let oid = Oid::from_str(id)
                .map_err(|_| anyhow!("manifests/upstream.lock: {id:?} is not a commit id"))?;
            repo.find_commit(oid).map_err(|_| {
                anyhow!(
                    "pinned commit {id} (manifests/upstream.lock) is not in {url}; \
                     use --update for the branch head or --rev <commit>"
                )
            })?
        }
        Target::Rev(rev) => find_rev(&repo, rev)
            .ok_or_else(|| anyhow!("unknown rev {rev:?} in {url} (not a commit, branch or tag)"))?,
        Target::DefaultBranchHead => {
            let branch = default_branch
                .ok_or_else(|| anyhow!("{url} does not say which branch is its default"))?;
            find_rev(&repo, &branch)
                .ok_or_else(|| anyhow!("{url}: default branch {branch:?} has no commit"))?
        }
    };
    repo.checkout_tree(commit.as_object(), Some(CheckoutBuilder::new().force()))
        .map_err(|e| {
            anyhow!(
                "cannot check out {} from {url}: {}",
                commit.id(),
                describe(&e)
            )
        })?;
    repo.set_head_detached(commit.id())
        .map_err(|e| anyhow!("cannot check out {}: {}", commit.id(), describe(&e)))?;
    let workdir = repo
        .workdir()
        .map(Path::to_path_buf)
        .ok_or_else(|| anyhow!("{}: cache is a bare repository", dir.display()))?;
    let tree = UpstreamTree::open(&workdir).with_context(|| {
        format!(
            "{url} at {}: not an integration-framework tree",
            commit.id()
        )
    })?;
    let lock = UpstreamLock::from_git(url, commit.id().to_string(), commit_date(&commit));
    Ok((tree, lock))
}

/// A commit named by `rev`: a commit id (full or abbreviated), a remote branch, a tag.
fn find_rev<'r>(repo: &'r Repository, rev: &str) -> Option<git2::Commit<'r>> {
    let candidates = [
        format!("refs/remotes/origin/{rev}"),
        format!("refs/tags/{rev}"),
        rev.to_owned(),
    ];
    candidates.iter().find_map(|spec| {
        repo.revparse_single(spec)
            .ok()
            .and_then(|o| o.peel_to_commit().ok())
    })
}

/// Open the cache (cloning, or recloning a corrupt one) and fetch all branches and tags.
/// Returns the repository and the remote's default branch name (e.g. `main`), when it says.
fn open_and_fetch(url: &str, dir: &Path) -> anyhow::Result<(Repository, Option<String>)> {
    if dir.exists() {
        match open_existing(url, dir).and_then(fetch) {
            Ok(found) => return Ok(found),
            Err(CacheError::Unreachable(msg)) => bail!("cannot reach {url}: {msg}"),
            // Not broken, only read-only: keep it (deleting it could not help).
            Err(CacheError::ReadOnly(msg)) => {
                bail!("fetch cache {} is not writable: {msg}", dir.display())
            }
            Err(CacheError::Corrupt(msg)) => {
                eprintln!(
                    "note: fetch cache {} is unusable ({msg}); cloning again",
                    dir.display()
                );
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("cannot remove broken cache {}", dir.display()))?;
            }
        }
    }
    let fresh = init(url, dir).and_then(fetch);
    match fresh {
        Ok(found) => Ok(found),
        Err(e) => {
            // Leave no half-cloned cache behind; the next run starts clean.
            let _ = std::fs::remove_dir_all(dir);
            match e {
                CacheError::Unreachable(msg) => bail!("cannot reach {url}: {msg}"),
                CacheError::ReadOnly(msg) | CacheError::Corrupt(msg) => {
                    bail!("cannot clone {url} into {}: {msg}", dir.display())
                }
            }
        }
    }
}

#[derive(Debug)]
enum CacheError {
    Unreachable(String),
    Corrupt(String),
    /// The cache cannot be written (permissions, read-only file system).
    ReadOnly(String),
}

/// A local write refused by the operating system: the cache is read-only, not broken.
fn is_read_only(e: &git2::Error) -> bool {
    let m = e.message();
    e.class() == ErrorClass::Os
        && (m.contains("Permission denied") || m.contains("Read-only file system"))
}

fn open_existing(url: &str, dir: &Path) -> Result<Repository, CacheError> {
    let repo = Repository::open(dir).map_err(|e| CacheError::Corrupt(describe(&e)))?;
    let origin = repo
        .find_remote("origin")
        .map_err(|e| CacheError::Corrupt(describe(&e)))?;
    if origin.url().ok() != Some(url) {
        return Err(CacheError::Corrupt(format!(
            "its origin is {:?}, not {url:?}",
            origin.url().unwrap_or("")
        )));
    }
    drop(origin);
    Ok(repo)
}

fn init(url: &str, dir: &Path) -> Result<Repository, CacheError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CacheError::Corrupt(format!("{}: {e}", dir.display())))?;
    let repo = Repository::init(dir).map_err(|e| CacheError::Corrupt(describe(&e)))?;
    repo.remote("origin", url)
        .map_err(|e| CacheError::Corrupt(describe(&e)))?;
    Ok(repo)
}

fn fetch(repo: Repository) -> Result<(Repository, Option<String>), CacheError> {
    let classify = |e: git2::Error| {
        if is_read_only(&e) {
            CacheError::ReadOnly(describe(&e))
        } else if is_network(&e)
            || e.class() == ErrorClass::Invalid
            || e.code() == git2::ErrorCode::NotFound
        {
            CacheError::Unreachable(describe(&e))
        } else {
            CacheError::Corrupt(describe(&e))
        }
    };
    let default_branch = {
        let mut remote = repo
            .find_remote("origin")
            .map_err(|e| CacheError::Corrupt(describe(&e)))?;
        remote.connect(Direction::Fetch).map_err(classify)?;
        let branch = remote
            .default_branch()
            .ok()
            .and_then(|b| b.as_str().ok().map(str::to_owned))
            .map(|b| b.trim_start_matches("refs/heads/").to_owned());
        remote.disconnect().map_err(classify)?;
        let mut opts = FetchOptions::new();
        opts.download_tags(git2::AutotagOption::All);
        remote
            .fetch(
                &[
                    "+refs/heads/*:refs/remotes/origin/*",
                    "+refs/tags/*:refs/tags/*",
                ],
                Some(&mut opts),
                None,
            )
            .map_err(|e| {
                if is_read_only(&e) {
                    CacheError::ReadOnly(describe(&e))
                } else if is_network(&e) {
                    CacheError::Unreachable(describe(&e))
                } else {
                    CacheError::Corrupt(describe(&e))
                }
            })?;
        branch
    };
    Ok((repo, default_branch))
}

/// The committer's date of `commit` as `YYYY-MM-DD` in the committer's time zone (what
/// `git log --date=short` shows).
fn commit_date(commit: &git2::Commit<'_>) -> String {
    let t = commit.time();
    date_of(t.seconds() + i64::from(t.offset_minutes()) * 60)
}

/// `YYYY-MM-DD` of `secs` seconds since 1970-01-01 (UTC). Empty (unknown) outside 1970-9999,
/// which humantime cannot format: git keeps timestamps as unsigned seconds since 1970, so only a
/// time-zone offset around the epoch or a corrupt object could lead there.
fn date_of(secs: i64) -> String {
    let time = u64::try_from(secs)
        .ok()
        .filter(|s| *s < 253_402_300_800) // 10000-01-01
        .and_then(|s| std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(s)));
    match time {
        Some(t) => humantime::format_rfc3339_seconds(t).to_string()[..10].to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let day = 86_400;
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(20_411 * day), "2025-11-19");
        assert_eq!(date_of(11_016 * day + day - 1), "2000-02-29");
        assert_eq!(date_of(-1), "");
        assert_eq!(date_of(i64::MAX), "");
    }

    #[test]
    fn target_precedence() {
        let lock = UpstreamLock::from_git("s", "c".into(), "d".into());
        assert_eq!(
            Target::from_args(Some("v1"), true, Some(&lock)),
            Target::Rev("v1".into())
        );
        assert_eq!(
            Target::from_args(None, true, Some(&lock)),
            Target::DefaultBranchHead
        );
        assert_eq!(
            Target::from_args(None, false, Some(&lock)),
            Target::Pinned("c".into())
        );
        assert_eq!(
            Target::from_args(None, false, None),
            Target::DefaultBranchHead
        );
    }

    #[test]
    fn slugs_differ_for_different_urls() {
        assert_ne!(slug("https://a/x/repo"), slug("https://b/x/repo"));
        assert!(
            slug("https://github.com/launchdarkly/integration-framework")
                .starts_with("https___github_com_launchdarkly_integration_framework-")
        );
    }
}
