//! Faults around `cargo xtask fetch` and the generated-code writer: whatever fails, the previous
//! `manifests/` (and generated files) stay as they were.
//!
//! - a source that changes while fetch reads it (changed by the hidden `--after-load-hook`);
//! - a read-only clone cache (run as an unprivileged user when the tests run as root, since root
//!   ignores permission bits);
//! - a disk that fills up while `manifests/` is written, simulated with `RLIMIT_FSIZE`
//!   (`ulimit -f`) on the child: once with SIGXFSZ ignored (writes fail with EFBIG), once with the
//!   default action (the process is killed mid-write);
//! - the same for `ldic_codegen::files::write_atomic`, through its public API, in a child
//!   process (this test binary re-run with an environment variable).

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Repository, Signature};
use ldic_test_support::files::write_upstream_fixture;

const REV: &str = "0123456789abcdef0123456789abcdef01234567";
/// The unprivileged user permission tests run as when the tests run as root (`nobody`).
const NOBODY: u32 = 65_534;

/// A plain upstream tree holding fixture version `version` (`upstream/v1` or `upstream/v2`).
fn plain_tree(root: &Path, version: &str) -> PathBuf {
    let tree = root.join("snapshot");
    if tree.exists() {
        std::fs::remove_dir_all(&tree).unwrap();
    }
    write_upstream_fixture(&tree, version);
    tree
}

/// Every file of a directory tree: (relative path, bytes), sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    n.sort();
    n
}

struct Run {
    ok: bool,
    signal: bool,
    stderr: String,
}

/// `xtask fetch ARGS --manifests-dir OUT/manifests --cache-dir OUT/cache`, optionally under a
/// shell prefix (`ulimit -f 1; `) and as another user.
fn fetch(args: &[&str], out: &Path, shell_prefix: &str, uid: Option<u32>) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("{shell_prefix}exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_xtask"))
        .arg("fetch")
        .args(args)
        .arg("--manifests-dir")
        .arg(out.join("manifests"))
        .arg("--cache-dir")
        .arg(out.join("cache"));
    if let Some(uid) = uid {
        cmd.uid(uid).gid(uid).current_dir("/").env("HOME", out);
    }
    let output = cmd.output().unwrap();
    Run {
        ok: output.status.success(),
        signal: output.status.code().is_none(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Whether permission bits bind this process (false for root).
fn permissions_bind() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    set_mode(&probe, 0o000);
    std::fs::File::open(&probe).is_err()
}

#[test]
fn a_source_changing_mid_run_leaves_manifests_unchanged() {
    let work = tempfile::tempdir().unwrap();
    let tree = plain_tree(work.path(), "upstream/v1");
    let src = tree.to_str().unwrap();
    let run = fetch(&["--source", src, "--rev", REV], work.path(), "", None);
    assert!(run.ok, "{}", run.stderr);
    let manifests = work.path().join("manifests");
    let before = snapshot(&manifests);

    // Between loading and writing, a manifest changes (as an editor or a checkout would).
    let hook = work.path().join("change-source.sh");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ncp '{}' '{}'\n",
            ldic_test_support::fixture("manifests")
                .join("upstream/v2/integrations/acme/manifest.json")
                .display(),
            tree.join("integrations/acme/manifest.json").display()
        ),
    )
    .unwrap();
    set_mode(&hook, 0o755);
    let run = fetch(
        &[
            "--source",
            src,
            "--rev",
            REV,
            "--after-load-hook",
            hook.to_str().unwrap(),
        ],
        work.path(),
        "",
        None,
    );
    assert!(!run.ok, "a change mid-run must fail the fetch");
    assert!(
        run.stderr.contains("changed while it was being read"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&manifests), before, "manifests/ unchanged");
    assert_eq!(
        names(work.path())
            .iter()
            .filter(|n| n.starts_with('.'))
            .count(),
        0
    );

    // Once stable, the next run takes the new content.
    let run = fetch(&["--source", src, "--rev", REV], work.path(), "", None);
    assert!(run.ok, "{}", run.stderr);
    assert_ne!(snapshot(&manifests), before);
}

#[test]
fn a_disk_full_while_writing_manifests_leaves_them_unchanged() {
    let work = tempfile::tempdir().unwrap();
    plain_tree(work.path(), "upstream/v1");
    let src = work.path().join("snapshot");
    let src = src.to_str().unwrap();
    let run = fetch(&["--source", src, "--rev", REV], work.path(), "", None);
    assert!(run.ok, "{}", run.stderr);
    let manifests = work.path().join("manifests");
    let before = snapshot(&manifests);
    plain_tree(work.path(), "upstream/v2");

    // Writes past 1 block fail with EFBIG (SIGXFSZ ignored): a clean error, nothing left behind.
    let run = fetch(
        &["--source", src, "--rev", REV],
        work.path(),
        "trap '' XFSZ; ulimit -f 1; ",
        None,
    );
    assert!(!run.ok && !run.signal, "{}", run.stderr);
    assert!(
        run.stderr.contains("manifests.new-"),
        "names the file: {}",
        run.stderr
    );
    assert!(run.stderr.contains("too large"), "{}", run.stderr);
    assert_eq!(snapshot(&manifests), before, "manifests/ unchanged");
    assert_eq!(
        names(work.path()),
        vec!["manifests", "snapshot"],
        "no temporary left"
    );

    // Killed by SIGXFSZ in the middle of a write: manifests/ still as it was.
    let run = fetch(
        &["--source", src, "--rev", REV],
        work.path(),
        "ulimit -f 1; ",
        None,
    );
    assert!(!run.ok && run.signal, "{}", run.stderr);
    assert_eq!(snapshot(&manifests), before, "manifests/ unchanged");

    // With room again, the fetch succeeds.
    let run = fetch(&["--source", src, "--rev", REV], work.path(), "", None);
    assert!(run.ok, "{}", run.stderr);
    assert_ne!(snapshot(&manifests), before);
}

/// A git repository holding fixture version v1, in `root/upstream`.
fn git_upstream(root: &Path) -> PathBuf {
    let path = root.join("upstream");
    let repo = Repository::init(&path).unwrap();
    write_upstream_fixture(&path, "upstream/v1");
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::new(
        "ldic tests",
        "tests@example.com",
        &git2::Time::new(1_735_819_200, 0),
    )
    .unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "v1", &tree, &[])
        .unwrap();
    path
}

fn chown_recursive(path: &Path, uid: u32) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_recursive(&entry.unwrap().path(), uid);
        }
    }
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).unwrap();
}

fn chmod_recursive(path: &Path, dir_mode: u32, file_mode: u32) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chmod_recursive(&entry.unwrap().path(), dir_mode, file_mode);
        }
        set_mode(path, dir_mode);
    } else if !path.is_symlink() {
        set_mode(path, file_mode);
    }
}

#[test]
fn a_read_only_cache_fails_clearly_and_keeps_cache_and_manifests() {
    let work = tempfile::tempdir().unwrap();
    set_mode(work.path(), 0o755);
    let upstream = git_upstream(work.path());
    let src = upstream.to_str().unwrap();
    let run = fetch(&["--source", src], work.path(), "", None);
    assert!(run.ok, "{}", run.stderr);
    let manifests = work.path().join("manifests");
    let before = snapshot(&manifests);
    let cache = work.path().join("cache");
    let cache_before = snapshot(&cache);

    // Root ignores permission bits: run the fetch as an unprivileged user then, who owns the
    // source and the cache (git refuses repositories owned by someone else).
    let uid = (!permissions_bind()).then_some(NOBODY);
    chmod_recursive(work.path(), 0o755, 0o644);
    if let Some(uid) = uid {
        chown_recursive(&upstream, uid);
        chown_recursive(&cache, uid);
    }
    chmod_recursive(&cache, 0o555, 0o444);

    let run = fetch(&["--source", src, "--update"], work.path(), "", uid);
    chmod_recursive(&cache, 0o755, 0o644);
    assert!(!run.ok, "fetching into a read-only cache cannot succeed");
    let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("error: ") && l.contains("cache")),
        "a one-line error naming the cache: {}",
        run.stderr
    );
    assert_eq!(snapshot(&manifests), before, "manifests/ unchanged");
    assert_eq!(snapshot(&cache), cache_before, "the cache is not deleted");

    // A cache directory that cannot be created at all.
    let blocked = tempfile::tempdir().unwrap();
    set_mode(blocked.path(), 0o755);
    std::fs::create_dir(blocked.path().join("cache")).unwrap();
    set_mode(&blocked.path().join("cache"), 0o555);
    let run = fetch(&["--source", src], blocked.path(), "", uid);
    assert!(!run.ok);
    assert!(run.stderr.contains("error: "), "{}", run.stderr);
    assert!(!blocked.path().join("manifests").exists());
}

/// Set in the child: the path `write_atomic` writes.
const CHILD_TARGET: &str = "LDIC_FAULTS_WRITE_ATOMIC_TARGET";

/// Run in a child process under `ulimit -f` by the test below; does nothing in a normal run.
#[test]
fn write_atomic_child() {
    let Some(target) = std::env::var_os(CHILD_TARGET) else {
        return;
    };
    let big = "// generated\n".repeat(10_000);
    match ldic_codegen::files::write_atomic(Path::new(&target), big.as_bytes()) {
        Ok(()) => println!("CHILD-RESULT ok"),
        Err(e) => println!("CHILD-RESULT err {e}"),
    }
}

fn write_atomic_under_a_full_disk(dir: &Path) -> String {
    let target = dir.join("generated.rs");
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"")
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "write_atomic_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_TARGET, &target)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn codegen_write_atomic_on_a_full_disk_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("generated.rs");
    std::fs::write(&target, "// the previous generated file\n").unwrap();
    let stdout = write_atomic_under_a_full_disk(dir.path());
    assert!(stdout.contains("CHILD-RESULT err"), "{stdout}");
    assert!(stdout.contains("too large"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "// the previous generated file\n"
    );
}

#[test]
fn codegen_write_atomic_on_a_full_disk_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("generated.rs"), "// previous\n").unwrap();
    let stdout = write_atomic_under_a_full_disk(dir.path());
    assert!(stdout.contains("CHILD-RESULT err"), "{stdout}");
    assert_eq!(names(dir.path()), vec!["generated.rs"]);
}
