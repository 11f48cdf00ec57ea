//! `ldic lint` throughput over a generated corpus, and its start-up time on one small file.
//!
//! The corpus (`ldic_benches::corpus`, 10,000 files, half JSON half YAML, one in ten with
//! mistakes) is written once under `<target>/ldic-bench/`. The `ldic` binary is built with the
//! bench profile and run as a user runs it, pinned to one core with `taskset` when available.
//!
//! - `lint/read-files`: read every file of the corpus in process, the I/O floor (baseline);
//! - `lint/ldic`: `ldic lint <corpus>` (human output to /dev/null), in documents per second;
//! - `parallel/1-thread`, `parallel/2-threads`: a corpus of 100,000 files with `--threads 1` on
//!   CPU 0 and `--threads 2` on CPUs 0 and 1 (only where `taskset` exists);
//! - `lint/ldic-invalid`: `ldic lint` over the files with mistakes only (positions, snippets);
//! - `startup/true`: spawning `true`, the process floor;
//! - `startup/ldic-version`: `ldic --version`;
//! - `startup/ldic-lint-one`: `ldic lint <one small file>` (a valid Datadog configuration).
//!
//! Targets: at least 50,000 documents per second on one core; one small file in under 20 ms.

use criterion::Criterion;
use ldic_benches::summary::{Summary, fmt_duration, median};
use ldic_benches::{build_binaries, corpus, is_measuring, scratch_dir};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const FILES: usize = 10_000;
/// The corpus of the two-core comparison: large enough that one run takes over a second.
const PARALLEL_FILES: usize = 100_000;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files_under(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
            out.push(path);
        }
    }
    Ok(())
}

/// `ldic <args>`, pinned to CPU 0 when `taskset` exists, output discarded.
fn ldic(bin: &Path, pin: bool, args: &[&std::ffi::OsStr]) -> Command {
    let mut cmd = if pin {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn status(mut cmd: Command) -> Option<i32> {
    cmd.status().ok().and_then(|s| s.code())
}

/// The file `startup/ldic-lint-one` lints: a valid Datadog JSON file of the corpus.
fn one_small_file(dir: &Path, paths: &[PathBuf]) -> anyhow::Result<PathBuf> {
    paths
        .iter()
        .find(|p| {
            p.starts_with(dir.join("valid"))
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with("-datadog.json"))
        })
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no valid Datadog JSON file in the corpus"))
}

/// Sanity: the valid files are clean (no warnings either), the others are not.
fn check_corpus(bin: &Path, dir: &Path, invalid_dir: &Path) -> anyhow::Result<()> {
    let valid = status(ldic(
        bin,
        false,
        &[
            "lint".as_ref(),
            "--deny-warnings".as_ref(),
            dir.join("valid").as_os_str(),
        ],
    ));
    anyhow::ensure!(
        valid == Some(0),
        "ldic lint reports problems in the valid corpus ({valid:?})"
    );
    let invalid = status(ldic(
        bin,
        false,
        &["lint".as_ref(), invalid_dir.as_os_str()],
    ));
    anyhow::ensure!(
        invalid == Some(1),
        "ldic lint finds no errors in the invalid corpus ({invalid:?})"
    );
    Ok(())
}

/// Group `lint`: reading the corpus (baseline), `ldic lint` of all of it and of its invalid part.
fn bench_lint(
    c: &mut Criterion,
    bin: &Path,
    pin: bool,
    dir: &Path,
    invalid_dir: &Path,
    paths: &[PathBuf],
) {
    let mut g = c.benchmark_group("lint");
    g.bench_function("read-files", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for p in paths {
                bytes += std::fs::read(p).map_or(0, |t| black_box(t).len());
            }
            bytes
        });
    });
    g.bench_function("ldic", |b| {
        b.iter(|| status(ldic(bin, pin, &["lint".as_ref(), dir.as_os_str()])));
    });
    g.bench_function("ldic-invalid", |b| {
        b.iter(|| status(ldic(bin, pin, &["lint".as_ref(), invalid_dir.as_os_str()])));
    });
    g.finish();
}

/// Group `parallel`: a corpus of 100,000 files (one run over a second) on one thread pinned to
/// CPU 0 and on two threads pinned to CPUs 0 and 1, in the same run (issue 16: two cores <= 0.6x
/// one). Only called where `taskset` exists.
fn bench_parallel(c: &mut Criterion, bin: &Path) -> anyhow::Result<()> {
    let big = scratch_dir().join(format!("corpus-{PARALLEL_FILES}"));
    corpus::ensure(&big, PARALLEL_FILES)?;
    let mut g = c.benchmark_group("parallel");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let threads = |cpus: &str, n: &str| {
        let mut cmd = Command::new("taskset");
        cmd.args(["-c", cpus])
            .arg(bin)
            .args(["lint", "--threads", n])
            .arg(&big)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    g.bench_function("1-thread", |b| b.iter(|| status(threads("0", "1"))));
    g.bench_function("2-threads", |b| b.iter(|| status(threads("0,1", "2"))));
    g.finish();
    Ok(())
}

/// Group `startup`: spawning `true` (baseline), `ldic --version`, `ldic lint` of one small file.
fn bench_startup(c: &mut Criterion, bin: &Path, one_file: &Path) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("true", |b| {
        b.iter(|| status(ldic(Path::new("true"), false, &[])));
    });
    g.bench_function("ldic-version", |b| {
        b.iter(|| status(ldic(bin, false, &["--version".as_ref()])));
    });
    g.bench_function("ldic-lint-one", |b| {
        b.iter(|| status(ldic(bin, false, &["lint".as_ref(), one_file.as_os_str()])));
    });
    g.finish();
}

/// The summary of groups `lint` and `parallel`: throughput against its target.
fn summarize_throughput(s: &mut Summary, stats: &corpus::CorpusStats, pin: bool) {
    s.line(format!(
        "corpus: {} files ({} JSON, {} YAML, {} with mistakes), one configuration each; {}",
        stats.files,
        stats.json,
        stats.yaml,
        stats.invalid,
        if pin {
            "ldic pinned to CPU 0 (taskset -c 0)"
        } else {
            "not pinned (no taskset)"
        }
    ));
    s.ratio(
        "ldic lint, whole corpus",
        ("lint", "ldic"),
        ("lint", "read-files"),
        None,
    );
    if let Some(d) = median("lint", "ldic") {
        let rate = stats.files as f64 / d.as_secs_f64();
        let verdict = if rate >= 50_000.0 {
            "met".to_owned()
        } else {
            format!("MISSED: {:.0}% of it", rate / 50_000.0 * 100.0)
        };
        s.line(format!(
            "ldic lint: {rate:.0} documents per second on one core (target >= 50,000: {verdict})"
        ));
    }
    if let Some(d) = median("lint", "ldic-invalid") {
        s.line(format!(
            "ldic lint, files with mistakes only: {} for {} files, {:.0} documents per second",
            fmt_duration(d),
            stats.invalid,
            stats.invalid as f64 / d.as_secs_f64()
        ));
    }
    s.ratio(
        "ldic lint, whole corpus, 2 threads on 2 cores vs 1 thread on 1 core",
        ("parallel", "2-threads"),
        ("parallel", "1-thread"),
        Some(0.6),
    );
}

/// The summary of group `startup`: one small file against its target.
fn summarize_startup(s: &mut Summary) {
    s.ratio(
        "ldic lint of one small file, vs spawning `true`",
        ("startup", "ldic-lint-one"),
        ("startup", "true"),
        None,
    );
    s.ratio(
        "ldic lint of one small file, vs `ldic --version`",
        ("startup", "ldic-lint-one"),
        ("startup", "ldic-version"),
        None,
    );
    if let Some(d) = median("startup", "ldic-lint-one") {
        let verdict = if d < Duration::from_millis(20) {
            "met"
        } else {
            "MISSED"
        };
        s.line(format!(
            "ldic lint of one small file: {} (target < 20 ms: {verdict})",
            fmt_duration(d)
        ));
    }
}

fn main() -> anyhow::Result<()> {
    if !is_measuring() {
        println!("lint: nothing to do outside `cargo bench`");
        return Ok(());
    }
    let bin = build_binaries(&["ldic-cli"])?.join("ldic");
    let dir = scratch_dir().join(format!("corpus-{FILES}"));
    let stats = corpus::ensure(&dir, FILES)?;
    let pin = Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let mut paths = Vec::new();
    files_under(&dir, &mut paths)?;
    anyhow::ensure!(
        paths.len() == stats.files,
        "corpus holds {} files",
        paths.len()
    );
    let invalid_dir = dir.join("invalid");
    let one_file = one_small_file(&dir, &paths)?;
    check_corpus(&bin, &dir, &invalid_dir)?;

    let mut c = ldic_benches::configured(10, 3);
    bench_lint(&mut c, &bin, pin, &dir, &invalid_dir, &paths);
    if pin {
        bench_parallel(&mut c, &bin)?;
    }
    bench_startup(&mut c, &bin, &one_file);
    c.final_summary();

    let mut s = Summary::new("lint");
    summarize_throughput(&mut s, &stats, pin);
    summarize_startup(&mut s);
    s.finish();
    Ok(())
}
