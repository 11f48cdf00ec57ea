//! End-to-end tests of `cargo xtask fetch`, running the real binary.
//!
//! A git repository is built inside each test with git2 from the hand-written fixtures in
//! `tests/fixtures/manifests/upstream/`: commit 1 = `v1`, commit 2 = `v2` (same schema). Fetch at
//! the first commit, then `--update` to the second, and check the facts, the lock and the report.
//! Every run uses its own `--manifests-dir` and `--cache-dir`, never the workspace's.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Oid, Repository, Signature};
use ldic_manifest::facts::{FieldType, UpstreamLock};
use ldic_manifest::store::read_facts_dir;
use ldic_test_support::Run;
use ldic_test_support::files::{dir_files, write_upstream_fixture};

/// Replace the repository's tree with schema + `integrations/` of `version` and commit it.
fn commit_version(repo: &Repository, version: &str, parent: Option<Oid>, time: i64) -> Oid {
    let work = repo.workdir().unwrap().to_path_buf();
    let integrations = work.join("integrations");
    if integrations.exists() {
        std::fs::remove_dir_all(&integrations).unwrap();
    }
    write_upstream_fixture(&work, version);
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::new("ldic tests", "tests@example.com", &git2::Time::new(time, 0)).unwrap();
    let parents: Vec<_> = parent
        .map(|p| repo.find_commit(p).unwrap())
        .into_iter()
        .collect();
    let parent_refs: Vec<_> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, version, &tree, &parent_refs)
        .unwrap()
}

struct Upstream {
    _dir: tempfile::TempDir,
    path: PathBuf,
    first: Oid,
    second: Oid,
}

/// A repository with two commits: upstream/v1 (2025-01-02), then upstream/v2 (2025-03-04).
fn upstream() -> Upstream {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("integration-framework");
    let repo = Repository::init(&path).unwrap();
    let first = commit_version(&repo, "upstream/v1", None, 1_735_819_200);
    let second = commit_version(&repo, "upstream/v2", Some(first), 1_741_089_600);
    Upstream {
        _dir: dir,
        path,
        first,
        second,
    }
}

fn xtask(args: &[&str], out: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("fetch")
        .args(args)
        .arg("--manifests-dir")
        .arg(out.join("manifests"))
        .arg("--cache-dir")
        .arg(out.join("cache"))
        .output()
        .unwrap();
    Run::from(output)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// The lock of the facts directory `out/manifests`.
fn lock_in(out: &Path) -> UpstreamLock {
    read_facts_dir(&out.join("manifests"))
        .unwrap()
        .lock
        .unwrap()
}

/// `run` failed with one line on stderr, and that line contains `needle`.
#[track_caller]
fn assert_fails_with_one_line(run: &Run, needle: &str) {
    assert_ne!(run.code, 0);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(needle), "{}", run.stderr);
}

// ~85 lines: one upstream repository moved through commits, each fetch's report depending on
// the one before.
#[test]
fn fetch_pinned_then_update_reports_the_changes() {
    let up = upstream();
    let out = tempfile::tempdir().unwrap();
    let src = up.path.to_str().unwrap();
    let first = up.first.to_string();

    // 1. Fetch at the first commit.
    let run = xtask(&["--source", src, "--rev", &first], out.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("first fetch"), "{}", run.stdout);
    let facts = read_facts_dir(&out.path().join("manifests")).unwrap();
    let lock = facts.lock.clone().unwrap();
    assert_eq!(lock.commit, first);
    assert_eq!(lock.commit_date, "2025-01-02");
    assert_eq!(
        facts.integrations.keys().collect::<Vec<_>>(),
        vec!["acme", "globex", "hooli"]
    );
    let acme = &facts.integrations["acme"];
    let vars = &acme.form_lists[0].variables;
    assert_eq!(vars[0].key, "apiKey");
    assert!(vars[0].is_secret && vars[0].is_required());
    assert_eq!(vars[1].allowed_values, vec!["eu", "us", "apac"]);
    assert!(facts.integrations["hooli"].form_lists.is_empty());
    assert_eq!(facts.integrations["hooli"].capabilities, vec!["flagLink"]);
    let written = dir_files(&out.path().join("manifests"));
    let text: String = written
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!text.contains("prose"), "facts must not carry descriptions");

    // 2. A rerun (pinned by the lock, no --source: the lock names it) changes nothing.
    let run = xtask(&[], out.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no changes"), "{}", run.stdout);
    assert_eq!(
        dir_files(&out.path().join("manifests")),
        written,
        "byte-identical rerun"
    );

    // 3. --update moves to the branch head and reports every change.
    let run = xtask(&["--update", "--report-format", "json"], out.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["from"]["commit"], first);
    assert_eq!(report["to"]["commit"], up.second.to_string());
    let changes: Vec<(String, String, String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_owned();
            (s("integration"), s("variable"), s("kind"), s("impact"))
        })
        .collect();
    let expect = |i: &str, v: &str, k: &str, imp: &str| (i.into(), v.into(), k.into(), imp.into());
    assert_eq!(
        changes,
        vec![
            expect("acme", "region", "allowed-value-removed", "breaking"),
            expect("acme", "region", "default-changed", "compatible"),
            expect("acme", "host", "type-changed", "breaking"),
            expect("acme", "token", "became-required", "breaking"),
            expect("globex", "", "integration-removed", "breaking"),
            expect("initech", "", "integration-added", "compatible"),
        ]
    );
    assert_eq!(report["breaking"], 4);
    let facts = read_facts_dir(&out.path().join("manifests")).unwrap();
    assert_eq!(facts.lock.unwrap().commit, up.second.to_string());
    assert_eq!(
        facts.integrations["acme"].form_lists[0].variables[2].ty,
        FieldType::Uri
    );
    assert!(!out.path().join("manifests/globex.json").exists());

    // 4. And again: nothing moved upstream.
    let run = xtask(&["--update"], out.path());
    assert!(
        run.code == 0 && run.stdout.contains("no changes"),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_rev_and_missing_pinned_commit_fail_with_one_line() {
    let up = upstream();
    let out = tempfile::tempdir().unwrap();
    let src = up.path.to_str().unwrap();

    let run = xtask(&["--source", src, "--rev", "no-such-branch"], out.path());
    assert_fails_with_one_line(&run, "unknown rev \"no-such-branch\"");
    assert!(!out.path().join("manifests").exists(), "nothing written");

    // Pin a commit the repository does not have.
    let ok = xtask(
        &["--source", src, "--rev", &up.first.to_string()],
        out.path(),
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let lock_path = out.path().join("manifests/upstream.lock");
    let lock = std::fs::read_to_string(&lock_path).unwrap();
    std::fs::write(
        &lock_path,
        lock.replace(&up.first.to_string(), &"1".repeat(40)),
    )
    .unwrap();
    let before = dir_files(&out.path().join("manifests"));
    let run = xtask(&[], out.path());
    assert_fails_with_one_line(&run, "pinned commit 1111");
    assert_eq!(
        dir_files(&out.path().join("manifests")),
        before,
        "left untouched"
    );
}

#[test]
fn tags_and_abbreviated_commits_are_revs() {
    let up = upstream();
    let repo = Repository::open(&up.path).unwrap();
    let first = repo.find_commit(up.first).unwrap();
    repo.tag_lightweight("v1.0", first.as_object(), false)
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let src = up.path.to_str().unwrap();
    let run = xtask(&["--source", src, "--rev", "v1.0"], out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = lock_in(out.path());
    assert_eq!(lock.commit, up.first.to_string());
    let short = &up.second.to_string()[..10];
    let run = xtask(&["--source", src, "--rev", short], out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = lock_in(out.path());
    assert_eq!(lock.commit, up.second.to_string());
}

#[test]
fn a_corrupt_cache_is_cloned_again() {
    let up = upstream();
    let out = tempfile::tempdir().unwrap();
    let src = up.path.to_str().unwrap();
    assert_eq!(
        xtask(
            &["--source", src, "--rev", &up.first.to_string()],
            out.path()
        )
        .code,
        0
    );
    // Break every cached repository's HEAD.
    for entry in std::fs::read_dir(out.path().join("cache")).unwrap() {
        std::fs::write(entry.unwrap().path().join(".git/HEAD"), "garbage").unwrap();
    }
    let run = xtask(&[], out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("cloning again"), "{}", run.stderr);
    assert!(run.stdout.contains("no changes"), "{}", run.stdout);
}

#[test]
fn an_unreachable_remote_fails_with_one_line() {
    let out = tempfile::tempdir().unwrap();
    let missing = out.path().join("no-such-repository");
    let url = format!("file://{}", missing.display());
    let run = xtask(&["--source", &url], out.path());
    assert_fails_with_one_line(&run, "cannot reach");
    assert!(!out.path().join("manifests").exists(), "nothing written");
}

/// Built without the `https` feature (the default, so the tests need no OpenSSL), an https source
/// fails before any network access with one line naming the command that has it.
#[cfg(not(feature = "https"))]
#[test]
fn an_https_source_without_the_feature_names_xtask_https() {
    let out = tempfile::tempdir().unwrap();
    let run = xtask(
        &[
            "--source",
            "https://github.com/launchdarkly/integration-framework",
        ],
        out.path(),
    );
    assert_fails_with_one_line(&run, "cargo xtask-https fetch");
    assert!(!out.path().join("manifests").exists(), "nothing written");
    assert!(!out.path().join("cache").exists(), "nothing cloned");
}

#[test]
fn a_plain_directory_records_its_content_hash_and_rule_errors_abort() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("snapshot");
    write_upstream_fixture(&tree, "upstream/v1");
    let out = tempfile::tempdir().unwrap();
    let src = tree.to_str().unwrap();
    let rev = "0123456789abcdef0123456789abcdef01234567";
    let run = xtask(&["--source", src, "--rev", rev], out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = lock_in(out.path());
    assert_eq!(lock.commit, rev);
    assert_eq!(
        lock.source,
        "https://github.com/launchdarkly/integration-framework"
    );
    assert!(lock.content_hash.unwrap().starts_with("sha256:"));

    // A manifest breaking an error rule: every violation printed, manifests/ untouched.
    let before = dir_files(&out.path().join("manifests"));
    let broken = tree.join("integrations/broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::copy(
        ldic_test_support::fixture("manifests").join("rules/duplicate-key.json"),
        broken.join("manifest.json"),
    )
    .unwrap();
    let run = xtask(&["--source", src, "--rev", rev], out.path());
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(
            "integrations/broken/manifest.json#/capabilities/featureStore/formVariables/1/key [duplicate-key]"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(dir_files(&out.path().join("manifests")), before);

    // --update makes no sense for a plain directory.
    let run = xtask(&["--source", src, "--update"], out.path());
    assert!(
        run.code != 0 && run.stderr.contains("--update needs a git source"),
        "{}",
        run.stderr
    );
}
