//! `cargo xtask fetch` from a local git repository.
//!
//! A repository holding the upstream snapshot (`../shared/integration-framework` or
//! `$LDIC_UPSTREAM_DIR`) in one commit is built with git2 in a temporary directory. Then:
//!
//! - `git2-clone`: `git2::Repository::clone` of it into a fresh directory, the baseline (what
//!   any fetch must at least do);
//! - `xtask-cold`: the `xtask` binary, `fetch --source <repo> --rev <commit>` with a fresh clone
//!   cache: clone, check out, validate all manifests, extract facts, write `manifests/`, report;
//! - `xtask-warm`: the same with the cache of the previous run (fetch, no clone).
//!
//! Every run writes a scratch copy of `manifests/`, never the workspace's. Without the snapshot
//! the bench says so and measures nothing.

use criterion::{BatchSize, Criterion};
use ldic_benches::summary::Summary;
use ldic_benches::{build_binaries, is_measuring, scratch_dir, workspace_root};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name() == ".git" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// A git repository at `path` with the snapshot as its one commit; returns the commit id.
fn build_repository(snapshot: &Path, path: &Path) -> anyhow::Result<String> {
    copy_dir(snapshot, path)?;
    let repo = git2::Repository::init(path)?;
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = git2::Signature::new(
        "ldic benches",
        "benches@example.com",
        &git2::Time::new(1_735_819_200, 0),
    )?;
    let oid = repo.commit(Some("HEAD"), &sig, &sig, "snapshot", &tree, &[])?;
    Ok(oid.to_string())
}

fn fetch(xtask: &Path, repo: &Path, rev: &str, manifests: &Path, cache: &Path) -> Command {
    let mut cmd = Command::new(xtask);
    cmd.arg("fetch")
        .arg("--source")
        .arg(repo)
        .args(["--rev", rev])
        .arg("--manifests-dir")
        .arg(manifests)
        .arg("--cache-dir")
        .arg(cache)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// What every run of the group reads: the repository, its commit, the scratch `manifests/`
/// and the warm clone cache, all under one temporary directory.
struct Setup {
    xtask: PathBuf,
    tmp: tempfile::TempDir,
    repo: PathBuf,
    rev: String,
    manifests: PathBuf,
    warm_cache: PathBuf,
}

/// Build the repository of `snapshot` and the scratch copy of `manifests/`, then one fetch
/// (sanity: it works and writes the facts, whose count is returned; it also warms the cache).
fn setup(snapshot: &Path) -> anyhow::Result<(Setup, usize)> {
    let bin = build_binaries(&["xtask"])?;
    let xtask = bin.join("xtask");
    std::fs::create_dir_all(scratch_dir())?;
    let tmp = tempfile::tempdir_in(scratch_dir())?;
    let repo = tmp.path().join("integration-framework");
    let rev = build_repository(snapshot, &repo)?;
    let manifests = tmp.path().join("manifests");
    copy_dir(&workspace_root().join("manifests"), &manifests)?;
    let warm_cache = tmp.path().join("cache-warm");

    let out = fetch(&xtask, &repo, &rev, &manifests, &warm_cache)
        .stderr(Stdio::piped())
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "xtask fetch failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let facts = std::fs::read_dir(&manifests)?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count();
    let setup = Setup {
        xtask,
        tmp,
        repo,
        rev,
        manifests,
        warm_cache,
    };
    Ok((setup, facts))
}

/// Group `fetch`: a plain git2 clone (baseline), `xtask fetch` with a fresh and a warm cache.
fn bench_fetch(c: &mut Criterion, setup: &Setup) {
    let Setup {
        xtask,
        tmp,
        repo,
        rev,
        manifests,
        warm_cache,
    } = setup;
    let fresh = || -> PathBuf { tmp.path().join(format!("run-{}", next_id())) };
    let mut g = c.benchmark_group("fetch");
    g.bench_function("git2-clone", |b| {
        b.iter_batched(
            fresh,
            |dir| {
                let ok = git2::Repository::clone(&repo.to_string_lossy(), &dir).is_ok();
                (dir, ok)
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("xtask-cold", |b| {
        b.iter_batched(
            fresh,
            |cache| {
                let ok = fetch(xtask, repo, rev, manifests, &cache)
                    .status()
                    .is_ok_and(|s| s.success());
                (cache, ok)
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("xtask-warm", |b| {
        b.iter(|| {
            fetch(xtask, repo, rev, manifests, warm_cache)
                .status()
                .is_ok_and(|s| s.success())
        });
    });
    g.finish();
}

fn main() -> anyhow::Result<()> {
    if !is_measuring() {
        println!("fetch: nothing to do outside `cargo bench`");
        return Ok(());
    }
    let Some(snapshot) = ldic_test_support::upstream_dir() else {
        println!(
            "fetch: skipped, needs the upstream snapshot (LDIC_UPSTREAM_DIR or ../shared/integration-framework)"
        );
        return Ok(());
    };
    let (setup, facts) = setup(&snapshot)?;

    let mut c = ldic_benches::configured(10, 3);
    bench_fetch(&mut c, &setup);
    c.final_summary();

    let mut s = Summary::new("fetch");
    s.line(format!(
        "local git repository of the upstream snapshot; {facts} facts files written per run"
    ));
    s.ratio(
        "xtask fetch, fresh cache (clone + validate + extract + write)",
        ("fetch", "xtask-cold"),
        ("fetch", "git2-clone"),
        None,
    );
    s.ratio(
        "xtask fetch, warm cache",
        ("fetch", "xtask-warm"),
        ("fetch", "git2-clone"),
        None,
    );
    s.finish();
    Ok(())
}

/// A unique suffix for scratch directories (the temp dir is private to this run).
fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
