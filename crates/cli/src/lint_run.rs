//! `ldic lint` as a run: files on every core, each file's findings rendered as they are found,
//! the output in path order, and the exit policy.
//!
//! Memory is bounded per worker, not per run: a file is linted a configuration at a time
//! ([`lint::lint_streamed`]), its findings go to a spool ([`crate::output::FilePart`]) that moves to a
//! temporary file past a megabyte, and the spools are appended in path order as files finish
//! ([`parallel::for_each_in_order`]). `--fix` and `--diff` keep the whole-file path (a fix is
//! a pass over the whole text, re-linted after each pass).

use crate::config::EnvPolicy;
use crate::fix::FixMode;
use crate::lint::{self, Candidate, FindingSink, Format, PathError};
use crate::output::{FilePart, OutputFormat, Report};
use crate::settings::Settings;
use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parallel, print_out};
use anyhow::Context as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

/// The flags of `ldic lint` that shape a run.
#[derive(Debug, Clone)]
pub struct LintArgs {
    pub paths: Vec<PathBuf>,
    pub format: OutputFormat,
    pub deny_warnings: bool,
    pub quiet: bool,
    /// Skip named files that do not mention `integrationKey` too.
    pub configs_only: bool,
    pub mode: FixMode,
    pub threads: usize,
    /// With `-`: the name of the document read from stdin.
    pub stdin_filename: Option<PathBuf>,
}

/// Exit code of a run: 2 on a read error, 1 on errors (or warnings with `--deny-warnings`).
pub fn exit_code(report: &Report, deny_warnings: bool) -> u8 {
    let t = report.totals();
    if report.has_path_errors() {
        EXIT_USAGE
    } else if t.errors > 0 || (deny_warnings && t.warnings > 0) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// What linting one file gave: its findings, or why it was not linted; its diff (`--diff`) and
/// its `--fix` notes for stderr.
struct Linted {
    result: Result<Option<FilePart>, PathError>,
    diff: String,
    notes: String,
}

/// Lint the files and directories of `args` (or stdin, for `-`).
pub fn run(args: &LintArgs, policy: &EnvPolicy, settings: Option<&Settings>) -> anyhow::Result<u8> {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return run_stdin(args, policy, settings);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // A single file (or a few) needs no more threads than files.
    let threads = if paths.iter().all(|p| p.is_file()) {
        args.threads.min(paths.len())
    } else {
        args.threads
    };
    let mut report = Report::new(args.format);
    let progress = !args.quiet && std::io::stderr().is_terminal();
    let started = std::sync::atomic::AtomicUsize::new(0);
    let mut diffs = String::new();
    // The walk feeds the workers: files are linted while later directories are read.
    let candidates: Box<dyn Iterator<Item = _> + Send> = if threads > 1 {
        Box::new(parallel::prefetch(lint::candidates(paths)))
    } else {
        Box::new(lint::candidates(paths))
    };
    parallel::for_each_in_order(
        candidates,
        threads,
        |candidate| {
            let file = match candidate {
                Ok(file) => file,
                Err(e) => return Err(e),
            };
            let i = started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if progress && i >= 200 && i.is_multiple_of(100) {
                eprint!("\rlinting: {i} files");
            }
            Ok(lint_candidate(&file, args, policy, settings))
        },
        |linted| match linted {
            Err(walk_error) => report.path_error(walk_error),
            Ok(linted) => {
                diffs.push_str(&linted.diff);
                if !linted.notes.is_empty() {
                    let _ = write!(anstream::stderr(), "{}", linted.notes);
                }
                match linted.result {
                    Ok(Some(part)) => report.append(part),
                    Ok(None) => report.skipped(),
                    Err(e) => report.read_error(e),
                }
            }
        },
    );
    if progress && started.into_inner() > 200 {
        eprint!("\r\x1b[2K");
    }
    if args.mode.diff {
        print_out(&diffs)?;
        summarize(&report, args.quiet);
        return Ok(if report.has_path_errors() {
            EXIT_USAGE
        } else if !diffs.is_empty() {
            EXIT_PROBLEMS
        } else {
            exit_code(&report, args.deny_warnings)
        });
    }
    let code = exit_code(&report, args.deny_warnings);
    let summary = report.summary();
    finish_to_stdout(report)?;
    if !args.quiet {
        let _ = writeln!(anstream::stderr(), "ldic lint: {summary}");
    }
    Ok(code)
}

fn summarize(report: &Report, quiet: bool) {
    if !quiet {
        let _ = writeln!(anstream::stderr(), "ldic lint: {}", report.summary());
    }
}

/// Write the report to stdout; a closed pipe is not an error. Plain output (see
/// [`crate::output::styled`]) bypasses anstream: there is nothing to strip.
fn finish_to_stdout(report: Report) -> anyhow::Result<()> {
    let stdout: Box<dyn std::io::Write> = if crate::output::styled() {
        Box::new(anstream::stdout())
    } else {
        Box::new(std::io::stdout().lock())
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
    match report.finish(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

/// Lint (or fix) one file.
fn lint_candidate(
    file: &Candidate,
    args: &LintArgs,
    policy: &EnvPolicy,
    settings: Option<&Settings>,
) -> Linted {
    let require_marker = args.configs_only || !file.named;
    if args.mode.fix || args.mode.diff {
        return match fix_file(file, require_marker, args, policy, settings) {
            Ok(Some((part, diff, notes))) => Linted {
                result: Ok(Some(part)),
                diff,
                notes,
            },
            Ok(None) => linted(Ok(None)),
            Err(e) => linted(Err(e)),
        };
    }
    linted(stream_file(file, require_marker, args, policy, settings))
}

fn linted(result: Result<Option<FilePart>, PathError>) -> Linted {
    Linted {
        result,
        diff: String::new(),
        notes: String::new(),
    }
}

/// The findings of a file, with `ldic.toml` applied, into its part of the output.
struct SettingsSink<'a> {
    part: FilePart,
    settings: Option<(&'a Settings, PathBuf)>,
}

impl FindingSink for SettingsSink<'_> {
    fn findings(&mut self, masked: &str, mut findings: Vec<lint::Finding>) {
        if let Some((settings, rel)) = &self.settings {
            settings.apply_findings(rel, masked, &mut findings);
        }
        self.part.findings(masked, findings);
    }

    fn discard(&mut self) {
        self.part.discard();
    }
}

/// Lint one file a configuration at a time, its findings rendered as they come.
fn stream_file(
    file: &Candidate,
    require_marker: bool,
    args: &LintArgs,
    policy: &EnvPolicy,
    settings: Option<&Settings>,
) -> Result<Option<FilePart>, PathError> {
    let Some(bytes) = lint::read_candidate(&file.path, require_marker)? else {
        return Ok(None);
    };
    let display = lint::display_path(&file.path);
    let mut sink = SettingsSink {
        part: FilePart::new(args.format, args.quiet, &display),
        settings: settings.map(|s| (s, s.relative(&file.path))),
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            sink.findings("", vec![lint::not_utf8(&text, offset)]);
            return Ok(Some(sink.part));
        }
    };
    let options = lint::StreamOptions {
        policy,
        edits: args.format == OutputFormat::Sarif,
        masked_lines: args.format == OutputFormat::Human || settings.is_some(),
        keep_configs: false,
    };
    let format = Format::detect(&file.path, &text);
    let configurations = lint::lint_streamed(&text, format, &options, &mut sink);
    sink.part.configurations(configurations);
    Ok(Some(sink.part))
}

/// `--fix` / `--diff` on one file: fix, write, and return what is left, the diff and the notes.
fn fix_file(
    file: &Candidate,
    require_marker: bool,
    args: &LintArgs,
    policy: &EnvPolicy,
    settings: Option<&Settings>,
) -> Result<Option<(FilePart, String, String)>, PathError> {
    let display = lint::display_path(&file.path);
    let path_error = |message: String| PathError {
        display: display.clone(),
        message,
    };
    let Some(bytes) = lint::read_candidate(&file.path, require_marker)? else {
        return Ok(None);
    };
    let Ok(text) = String::from_utf8(bytes) else {
        // Not UTF-8: nothing to fix; lint reports it.
        return stream_file(file, false, args, policy, settings)
            .map(|p| p.map(|p| (p, String::new(), String::new())));
    };
    let fixed = crate::fix::fix_one(&display, &file.path, &text, policy, settings, args.mode)
        .map_err(|e| path_error(e.to_string()))?;
    if args.mode.fix && !args.mode.diff && fixed.changed {
        crate::atomic::write_atomically(&file.path, &fixed.fixed.text)
            .map_err(|e| path_error(format!("{e:#}")))?;
    }
    let notes = crate::fix::notes(&display, &fixed, args.mode);
    let lint = fixed.fixed.lint;
    let mut part = FilePart::new(args.format, args.quiet, &display);
    part.findings(&lint.masked, lint.findings);
    part.configurations(lint.configurations);
    Ok(Some((part, fixed.diff, notes)))
}

/// `ldic lint -`: one document from stdin. With --fix the fixed text goes to stdout and the
/// findings left to stderr; with --diff the diff goes to stdout.
fn run_stdin(
    args: &LintArgs,
    policy: &EnvPolicy,
    settings: Option<&Settings>,
) -> anyhow::Result<u8> {
    if args.paths.len() != 1 {
        anyhow::bail!("`-` (standard input) cannot be combined with other paths");
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .context("cannot read standard input as UTF-8 text")?;
    let path = args.stdin_filename.as_deref().unwrap_or(Path::new("-"));
    let display = lint::display_path(path);
    let mode = args.mode;
    let (file, document) = if mode.fix || mode.diff {
        let fixed = crate::fix::fix_one(&display, path, &text, policy, settings, mode)?;
        let _ = write!(
            anstream::stderr(),
            "{}",
            crate::fix::notes(&display, &fixed, mode)
        );
        let out = if mode.diff {
            fixed.diff
        } else {
            fixed.fixed.text
        };
        (fixed.fixed.lint, Some(out))
    } else {
        let mut f = lint::lint_text_with(display, path, text, policy);
        if let Some(s) = settings {
            s.apply(path, &mut f);
        }
        (f, None)
    };
    let mut report = Report::new(args.format);
    let mut part = FilePart::new(args.format, args.quiet, &file.display);
    part.findings(&file.masked, file.findings);
    part.configurations(file.configurations);
    report.append(part);
    let code = exit_code(&report, args.deny_warnings);
    let summary = report.summary();
    match &document {
        // The document (or its diff) owns stdout; the findings go to stderr.
        Some(out) => {
            print_out(out)?;
            let mut rendered = Vec::new();
            report.finish(&mut rendered)?;
            let _ = anstream::stderr().write_all(&rendered);
        }
        None => finish_to_stdout(report)?,
    }
    if !args.quiet {
        let _ = writeln!(anstream::stderr(), "ldic lint: {summary}");
    }
    if mode.diff && document.as_ref().is_some_and(|d| !d.is_empty()) {
        return Ok(EXIT_PROBLEMS);
    }
    Ok(code)
}
