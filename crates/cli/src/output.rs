//! The four shapes of `ldic lint` output: for people, for scripts, for code scanning, for GitHub.
//!
//! Human output renders each finding with a source snippet and a caret (annotate-snippets); the
//! snippet shows the masked text, so a secret value never reaches the terminal. Colour is decided
//! once, as anstream decides it for stdout (`--color`, `NO_COLOR`, a terminal): off a terminal the
//! snippets are rendered plain, not styled and then stripped (see [`styled`]).

use crate::lint::{FileLint, Finding, PathError};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use ldic::Severity;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Seek as _, Write};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Snippets with carets, for people.
    Human,
    /// One JSON object: summary and findings.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// What was linted, held whole (`create`, `plan`, `ldic lint -`, the fuzz targets); `ldic lint`
/// streams through a [`Report`] instead.
#[derive(Debug)]
pub struct Outcome {
    pub files: Vec<FileLint>,
    pub path_errors: Vec<PathError>,
    /// JSON and YAML files skipped because they do not mention `integrationKey`.
    pub skipped: usize,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.files.iter().map(FileLint::errors).sum()
    }

    pub fn warnings(&self) -> usize {
        self.files.iter().map(FileLint::warnings).sum()
    }

    /// The one-line summary.
    pub fn summary(&self) -> String {
        self.report(OutputFormat::Github, true).summary()
    }

    /// The same output through a [`Report`].
    fn render(&self, format: OutputFormat, quiet: bool) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail but for the spool's temporary file.
        let _ = self.report(format, quiet).finish(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    fn report(&self, format: OutputFormat, quiet: bool) -> Report {
        let mut report = Report::new(format);
        for file in &self.files {
            let mut part = FilePart::new(format, quiet, &file.display);
            part.findings(&file.masked, file.findings.clone());
            part.configurations(file.configurations);
            report.append(part);
        }
        report.totals.skipped = self.skipped;
        for e in &self.path_errors {
            report.path_error(PathError {
                display: e.display.clone(),
                message: e.message.clone(),
            });
        }
        report
    }
}

/// Human output: every finding with its snippet.
pub fn human(outcome: &Outcome, quiet: bool) -> String {
    outcome.render(OutputFormat::Human, quiet)
}

/// JSON output.
pub fn json(outcome: &Outcome, quiet: bool) -> String {
    let mut text = outcome.render(OutputFormat::Json, quiet);
    text.pop();
    text
}

/// SARIF 2.1.0 output: one run, one rule per code that occurs.
pub fn sarif(outcome: &Outcome, quiet: bool) -> String {
    let mut text = outcome.render(OutputFormat::Sarif, quiet);
    text.pop();
    text
}

/// GitHub Actions workflow commands, one line per finding.
pub fn github(outcome: &Outcome, quiet: bool) -> String {
    outcome.render(OutputFormat::Github, quiet)
}

/// Counts over the files of a run (or of one file).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub files_with_findings: usize,
    pub skipped: usize,
    pub configurations: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Findings with a safe fix, and with a suggested one.
    pub safe_fixes: usize,
    pub suggested_fixes: usize,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.files += other.files;
        self.files_with_findings += other.files_with_findings;
        self.skipped += other.skipped;
        self.configurations += other.configurations;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.safe_fixes += other.safe_fixes;
        self.suggested_fixes += other.suggested_fixes;
    }
}

/// What a spool keeps in memory before it moves to a temporary file.
const SPOOL_IN_MEMORY: usize = 1 << 20;

/// The output of a run, written as findings come: each file's findings are rendered as they are
/// found (the worker linting the file renders them) into a spool that stays in memory up to
/// a megabyte and then moves to a temporary file; [`Report::finish`] writes what needs
/// the totals (the JSON summary, SARIF's rules, the human fixable line, read errors first) around
/// the findings. Human and GitHub findings are spooled as their final text; JSON findings and
/// SARIF results as one compact JSON object a line, pretty-printed at the end (SARIF's
/// `ruleIndex` is only known then). So a run holds its counts and the codes seen, never the
/// findings, and the output is the one the whole-run renderer wrote.
#[derive(Debug)]
pub struct Report {
    format: OutputFormat,
    body: tempfile::SpooledTempFile,
    /// A write to the spool failed (its temporary file): reported by [`Report::finish`].
    failed: Option<std::io::Error>,
    totals: Totals,
    /// The codes of the findings shown (SARIF rules).
    codes: BTreeSet<crate::codes::FindingCode>,
    /// Paths that could not be walked, then files that could not be read (each in path order).
    path_errors: Vec<PathError>,
    read_errors: Vec<PathError>,
}

/// The findings of one file, rendered (see [`Report`]).
#[derive(Debug)]
pub struct FilePart {
    format: OutputFormat,
    quiet: bool,
    display: String,
    body: tempfile::SpooledTempFile,
    failed: Option<std::io::Error>,
    totals: Totals,
    codes: BTreeSet<crate::codes::FindingCode>,
}

impl FilePart {
    /// The part of the output of `format` for the file shown as `display` (filled on any
    /// thread, then [`Report::append`]ed in path order).
    pub fn new(format: OutputFormat, quiet: bool, display: &str) -> FilePart {
        FilePart {
            format,
            quiet,
            display: display.to_owned(),
            body: tempfile::SpooledTempFile::new(SPOOL_IN_MEMORY),
            failed: None,
            totals: Totals {
                files: 1,
                ..Totals::default()
            },
            codes: BTreeSet::new(),
        }
    }

    /// Render `findings` of this file (`masked`: its masked text, at least on their lines).
    pub fn findings(&mut self, masked: &str, findings: Vec<Finding>) {
        let mut text = String::new();
        for f in &findings {
            match f.severity {
                Severity::Error => self.totals.errors += 1,
                Severity::Warning => self.totals.warnings += 1,
            }
            match f.fix.as_ref().map(|x| x.applicability) {
                Some(ldic::Applicability::Safe) => self.totals.safe_fixes += 1,
                Some(ldic::Applicability::Suggested) => self.totals.suggested_fixes += 1,
                None => {}
            }
            if self.quiet && f.severity != Severity::Error {
                continue;
            }
            self.codes.insert(f.code);
            render(self.format, &self.display, masked, f, &mut text);
        }
        if !findings.is_empty() {
            self.totals.files_with_findings = 1;
        }
        if let Err(e) = self.body.write_all(text.as_bytes()) {
            self.failed.get_or_insert(e);
        }
    }

    /// The file held `n` configurations.
    pub fn configurations(&mut self, n: usize) {
        self.totals.configurations = n;
    }

    /// Forget the findings rendered so far (the file turned out not to parse).
    pub fn discard(&mut self) {
        if let Err(e) = self.body.set_len(0).and_then(|()| self.body.rewind()) {
            self.failed.get_or_insert(e);
        }
        self.totals = Totals {
            files: 1,
            ..Totals::default()
        };
        self.codes.clear();
    }
}

impl crate::lint::FindingSink for FilePart {
    fn findings(&mut self, masked: &str, findings: Vec<Finding>) {
        FilePart::findings(self, masked, findings);
    }

    fn discard(&mut self) {
        FilePart::discard(self);
    }
}

impl Report {
    pub fn new(format: OutputFormat) -> Report {
        Report {
            format,
            body: tempfile::SpooledTempFile::new(SPOOL_IN_MEMORY),
            failed: None,
            totals: Totals::default(),
            codes: BTreeSet::new(),
            path_errors: Vec::new(),
            read_errors: Vec::new(),
        }
    }

    /// Add a file's findings, after those of the files before it.
    pub fn append(&mut self, mut part: FilePart) {
        self.totals.add(&part.totals);
        self.codes.append(&mut part.codes);
        let copied = part
            .body
            .rewind()
            .and_then(|()| std::io::copy(&mut part.body, &mut self.body));
        if let Some(e) = part.failed.or(copied.err()) {
            self.failed.get_or_insert(e);
        }
    }

    /// A file skipped (no `integrationKey`).
    pub fn skipped(&mut self) {
        self.totals.skipped += 1;
    }

    /// A path that could not be walked (given, or met in a directory).
    pub fn path_error(&mut self, e: PathError) {
        self.path_errors.push(e);
    }

    /// A file that could not be read (reported after every [`Report::path_error`]).
    pub fn read_error(&mut self, e: PathError) {
        self.read_errors.push(e);
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn has_path_errors(&self) -> bool {
        !self.path_errors.is_empty() || !self.read_errors.is_empty()
    }

    /// The one-line summary.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
        let mut s = format!(
            "{}, {} in {} of {}",
            plural(t.errors, "error"),
            plural(t.warnings, "warning"),
            t.files_with_findings,
            plural(t.files, "file"),
        );
        if t.skipped > 0 {
            s.push_str(&format!(
                " ({} without integrationKey skipped)",
                plural(t.skipped, "file")
            ));
        }
        s
    }

    /// Write the whole output to `out`.
    pub fn finish(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let read_errors = std::mem::take(&mut self.read_errors);
        self.path_errors.extend(read_errors);
        self.body.rewind()?;
        let body = std::io::BufReader::new(std::mem::replace(
            &mut self.body,
            tempfile::SpooledTempFile::new(0),
        ));
        match self.format {
            OutputFormat::Human => self.finish_human(body, out),
            OutputFormat::Github => self.finish_github(body, out),
            OutputFormat::Json => self.finish_json(body, out),
            OutputFormat::Sarif => self.finish_sarif(body, out),
        }
    }

    fn finish_human(&self, mut body: impl BufRead, out: &mut dyn Write) -> std::io::Result<()> {
        let renderer = renderer();
        for e in &self.path_errors {
            let title = format!("cannot read {}: {}", e.display, e.message);
            out.write_all(
                renderer
                    .render(&[Group::with_title(
                        Level::ERROR.primary_title(title.as_str()),
                    )])
                    .as_bytes(),
            )?;
            out.write_all(b"\n\n")?;
        }
        std::io::copy(&mut body, out)?;
        let (safe, suggested) = (self.totals.safe_fixes, self.totals.suggested_fixes);
        if safe > 0 || suggested > 0 {
            write!(out, "[*] {safe} fixable with `ldic lint --fix`")?;
            if suggested > 0 {
                write!(out, " ({suggested} more with `--fix --unsafe-fixes`)")?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish_github(&self, mut body: impl BufRead, out: &mut dyn Write) -> std::io::Result<()> {
        for e in &self.path_errors {
            writeln!(
                out,
                "::error file={},title={}::{}",
                escape_property(&e.display),
                escape_property("ldic: cannot read file"),
                escape_data(&e.message)
            )?;
        }
        std::io::copy(&mut body, out)?;
        Ok(())
    }

    fn finish_json(&self, body: impl BufRead, out: &mut dyn Write) -> std::io::Result<()> {
        let errors: Vec<Value> = self
            .path_errors
            .iter()
            .map(|e| json!({"file": e.display, "message": e.message}))
            .collect();
        let t = &self.totals;
        let doc = json!({
            "summary": {
                "files": t.files,
                "skipped": t.skipped,
                "configurations": t.configurations,
                "errors": t.errors,
                "warnings": t.warnings,
            },
            "catalog": crate::active_catalog::active().describe(),
            "findings": LIST_MARKER,
            "ioErrors": errors,
        });
        write_around(&doc, "findings", 1, body, out, Ok)?;
        out.write_all(b"\n")
    }

    fn finish_sarif(&self, body: impl BufRead, out: &mut dyn Write) -> std::io::Result<()> {
        let rules: BTreeMap<&str, usize> = self
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let rule_list: Vec<Value> = self
            .codes
            .iter()
            .map(|code| {
                json!({
                    "id": code,
                    "name": code,
                    "shortDescription": {"text": code.description()},
                    "help": {"text": format!("{} See docs/codes.md#{code} in the ldic repository.", code.description())},
                })
            })
            .collect();
        let notifications: Vec<Value> = self
            .path_errors
            .iter()
            .map(|e| {
                json!({
                    "level": "error",
                    "message": {"text": format!("cannot read {}: {}", e.display, e.message)},
                })
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "ldic",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rule_list,
                }},
                "invocations": [{
                    "executionSuccessful": self.path_errors.is_empty(),
                    "toolExecutionNotifications": notifications,
                }],
                "results": LIST_MARKER,
                // Which catalog the findings were checked against (built in, or loaded).
                "properties": {"catalog": crate::active_catalog::active().describe()},
            }],
        });
        write_around(&doc, "results", 3, body, out, |mut v| {
            let index = v["ruleId"].as_str().and_then(|c| rules.get(c)).copied();
            v["ruleIndex"] = json!(index.unwrap_or(0));
            Ok(v)
        })?;
        out.write_all(b"\n")
    }
}

/// Stands for a list of spooled records in a document rendered around them.
const LIST_MARKER: &str = "\u{0}ldic-spooled-list\u{0}";

/// Write `doc` pretty-printed with member `key` (at nesting `depth`, set to [`LIST_MARKER`])
/// holding the spooled records of `body` (one JSON object a line, each passed through `edit`),
/// exactly as if they had been in `doc`.
fn write_around(
    doc: &Value,
    key: &str,
    depth: usize,
    body: impl BufRead,
    out: &mut dyn Write,
    edit: impl Fn(Value) -> serde_json::Result<Value>,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(doc).map_err(std::io::Error::other)?;
    let marker = format!(
        "\"{key}\": {}",
        serde_json::to_string(LIST_MARKER).map_err(std::io::Error::other)?
    );
    let (before, after) = text.split_once(&marker).unwrap_or((&text, ""));
    write!(out, "{before}\"{key}\": [")?;
    let indent = "  ".repeat(depth + 1);
    let mut first = true;
    for line in body.lines() {
        let line = line?;
        let value = serde_json::from_str(&line)
            .and_then(&edit)
            .map_err(std::io::Error::other)?;
        let pretty = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        for (i, l) in pretty.lines().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            write!(out, "{indent}{l}")?;
        }
    }
    if !first {
        write!(out, "\n{}", "  ".repeat(depth))?;
    }
    write!(out, "]{after}")
}

/// Append one finding of file `display` to `out` as `format` spools it (see [`Report`]).
fn render(format: OutputFormat, display: &str, masked: &str, f: &Finding, out: &mut String) {
    match format {
        OutputFormat::Human => render_human(display, masked, f, out),
        OutputFormat::Github => render_github(display, f, out),
        OutputFormat::Json => {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("file".into(), Value::String(display.to_owned()));
            }
            out.push_str(&v.to_string());
            out.push('\n');
        }
        OutputFormat::Sarif => {
            out.push_str(&sarif_result(display, f).to_string());
            out.push('\n');
        }
    }
}

/// Whether human output carries colour: what anstream decides for stdout (`--color`, `NO_COLOR`,
/// `CLICOLOR_FORCE`, a terminal), asked once, after `main` has applied `--color`. Off a terminal
/// the snippets are rendered plain and written as they are: styling them for anstream to strip
/// again cost the end of a 100,000-file run 40 ms on one thread, a write per line (BENCHMARKS.md,
/// "Lint on two cores").
pub fn styled() -> bool {
    static STYLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *STYLED.get_or_init(|| anstream::stdout().current_choice() != anstream::ColorChoice::Never)
}

fn renderer() -> Renderer {
    if styled() {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// A finding with its snippet: the finding's line of the masked text.
fn render_human(display: &str, masked: &str, f: &Finding, out: &mut String) {
    let renderer = renderer();
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let safe = f
        .fix
        .as_ref()
        .is_some_and(|x| x.applicability == ldic::Applicability::Safe);
    let message = if safe {
        format!("[*] {}", f.message)
    } else {
        f.message.clone()
    };
    let title = level.primary_title(message.as_str()).id(f.code.as_str());
    let mut groups = Vec::new();
    match &f.location {
        Some(loc) if !masked.is_empty() => {
            let (line, start) = crate::spans::line_of(masked, loc.span.start);
            let span = loc.span.start - start..(loc.span.end - start).min(line.len());
            groups.push(
                title.element(
                    Snippet::source(line)
                        .line_start(loc.line)
                        .path(display)
                        .annotation(AnnotationKind::Primary.span(span)),
                ),
            );
        }
        Some(loc) => {
            let origin = annotate_snippets::Origin::path(display)
                .line(loc.line)
                .char_column(loc.column.saturating_sub(1));
            groups.push(title.element(origin));
        }
        None => groups.push(Group::with_title(title)),
    }
    if let Some(s) = &f.suggestion {
        groups.push(Group::with_title(Level::HELP.secondary_title(s.as_str())));
    }
    out.push_str(&renderer.render(&groups));
    out.push_str("\n\n");
}

/// A SARIF result (its `ruleIndex` is set when the rules are known).
fn sarif_result(display: &str, f: &Finding) -> Value {
    let text = match &f.suggestion {
        Some(s) => format!("{} ({s})", f.message),
        None => f.message.clone(),
    };
    let mut region = serde_json::Map::new();
    if let Some(l) = &f.location {
        region.insert("startLine".into(), json!(l.line));
        region.insert("startColumn".into(), json!(l.column));
        region.insert("endLine".into(), json!(l.end_line));
        region.insert("endColumn".into(), json!(l.end_column.max(l.column)));
    }
    let mut physical = json!({"artifactLocation": {"uri": display}});
    if !region.is_empty() {
        physical["region"] = Value::Object(region);
    }
    let mut result = json!({
        "ruleId": f.code,
        "ruleIndex": 0,
        "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": {"text": text},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": f.pointer, "kind": "member"}],
        }],
    });
    if let Some(fix) = sarif_fix(display, f) {
        result["fixes"] = json!([fix]);
    }
    result
}

/// A SARIF `fix` of a finding: its text edit (the one `lint --fix` makes) as one replacement.
/// The replacement never holds a secret: fixes never touch sensitive values.
fn sarif_fix(display: &str, f: &Finding) -> Option<Value> {
    let (fix, edit) = (f.fix.as_ref()?, f.edit.as_ref()?);
    Some(json!({
        "description": {"text": fixable_note(fix)},
        "artifactChanges": [{
            "artifactLocation": {"uri": display},
            "replacements": [{
                "deletedRegion": {
                    "startLine": edit.start_line,
                    "startColumn": edit.start_column,
                    "endLine": edit.end_line,
                    "endColumn": edit.end_column,
                },
                "insertedContent": {"text": edit.replacement},
            }],
        }],
    }))
}

/// How a fix is applied, as the SARIF and GitHub outputs say it.
fn fixable_note(fix: &ldic::Fix) -> &'static str {
    match fix.applicability {
        ldic::Applicability::Safe => "fixable with `ldic lint --fix`",
        ldic::Applicability::Suggested => "fixable with `ldic lint --fix --unsafe-fixes`",
    }
}

/// One workflow command line for a finding.
fn render_github(display: &str, f: &Finding, out: &mut String) {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = format!("file={}", escape_property(display));
    if let Some(l) = &f.location {
        props.push_str(&format!(
            ",line={},col={},endLine={},endColumn={}",
            l.line, l.column, l.end_line, l.end_column
        ));
    }
    props.push_str(&format!(
        ",title={}",
        escape_property(&format!("ldic {}", f.code))
    ));
    let mut text = match &f.suggestion {
        Some(s) => format!("{} ({s})", f.message),
        None => f.message.clone(),
    };
    if let Some(fix) = &f.fix {
        text = format!("{text} [{}]", fixable_note(fix));
    }
    out.push_str(&format!("::{command} {props}::{}\n", escape_data(&text)));
}

/// Escape a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
