//! The four shapes of `ldic lint` output: for people, for scripts, for code scanning, for GitHub.
//!
//! Human output renders each finding with a source snippet and a caret (annotate-snippets); the
//! snippet shows the masked text, so a secret value never reaches the terminal. Colour is decided
//! by the caller's stream (anstream strips it off a terminal, and honours `NO_COLOR`).

use crate::lint::{FileLint, Finding, PathError};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use ldic::Severity;
use serde_json::{Value, json};
use std::collections::BTreeMap;

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

/// What was linted.
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

    fn shown(&self, quiet: bool) -> impl Iterator<Item = (&FileLint, &Finding)> {
        self.files.iter().flat_map(move |f| {
            f.findings
                .iter()
                .filter(move |d| !quiet || d.severity == Severity::Error)
                .map(move |d| (f, d))
        })
    }

    /// The one-line summary.
    pub fn summary(&self) -> String {
        let with = self.files.iter().filter(|f| !f.findings.is_empty()).count();
        let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
        let mut s = format!(
            "{}, {} in {} of {}",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
            with,
            plural(self.files.len(), "file"),
        );
        if self.skipped > 0 {
            s.push_str(&format!(
                " ({} without integrationKey skipped)",
                plural(self.skipped, "file")
            ));
        }
        s
    }
}

/// Human output: every finding with its snippet.
pub fn human(outcome: &Outcome, quiet: bool) -> String {
    let renderer = Renderer::styled();
    let mut out = String::new();
    for e in &outcome.path_errors {
        let title = format!("cannot read {}: {}", e.display, e.message);
        out.push_str(&renderer.render(&[Group::with_title(
            Level::ERROR.primary_title(title.as_str()),
        )]));
        out.push_str("\n\n");
    }
    for (file, f) in outcome.shown(quiet) {
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
        let title = level.primary_title(message.as_str()).id(f.code);
        let mut groups = Vec::new();
        match &f.location {
            Some(loc) if !file.masked.is_empty() => {
                groups.push(
                    title.element(
                        Snippet::source(file.masked.as_str())
                            .path(file.display.as_str())
                            .annotation(AnnotationKind::Primary.span(loc.span.clone())),
                    ),
                );
            }
            Some(loc) => {
                let origin = annotate_snippets::Origin::path(file.display.as_str())
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
    let (safe, suggested) = outcome.files.iter().fold((0, 0), |(a, b), f| {
        let (s, u) = crate::fix::fixable(&f.findings);
        (a + s, b + u)
    });
    if safe > 0 || suggested > 0 {
        out.push_str(&format!("[*] {safe} fixable with `ldic lint --fix`"));
        if suggested > 0 {
            out.push_str(&format!(" ({suggested} more with `--fix --unsafe-fixes`)"));
        }
        out.push('\n');
    }
    out
}

/// JSON output.
pub fn json(outcome: &Outcome, quiet: bool) -> String {
    let findings: Vec<Value> = outcome
        .shown(quiet)
        .map(|(file, f)| {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("file".into(), Value::String(file.display.clone()));
            }
            v
        })
        .collect();
    let errors: Vec<Value> = outcome
        .path_errors
        .iter()
        .map(|e| json!({"file": e.display, "message": e.message}))
        .collect();
    let doc = json!({
        "summary": {
            "files": outcome.files.len(),
            "skipped": outcome.skipped,
            "configurations": outcome.files.iter().map(|f| f.configurations).sum::<usize>(),
            "errors": outcome.errors(),
            "warnings": outcome.warnings(),
        },
        "catalog": crate::active_catalog::active().describe(),
        "findings": findings,
        "ioErrors": errors,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// SARIF 2.1.0 output: one run, one rule per code that occurs.
pub fn sarif(outcome: &Outcome, quiet: bool) -> String {
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, f) in outcome.shown(quiet) {
        rules.entry(f.code).or_default();
    }
    for (i, v) in rules.values_mut().enumerate() {
        *v = i;
    }
    let rule_list: Vec<Value> = rules
        .keys()
        .map(|code| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": {"text": crate::codes::describe(code)},
                "help": {"text": format!("{} See docs/codes.md#{code} in the ldic repository.", crate::codes::describe(code))},
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .shown(quiet)
        .map(|(file, f)| {
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
            let mut physical = json!({"artifactLocation": {"uri": file.display}});
            if !region.is_empty() {
                physical["region"] = Value::Object(region);
            }
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": rules.get(f.code).copied().unwrap_or(0),
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": f.pointer, "kind": "member"}],
                }],
            });
            if let Some(fix) = sarif_fix(&file.display, f) {
                result["fixes"] = json!([fix]);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = outcome
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
                "executionSuccessful": outcome.path_errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            // Which catalog the findings were checked against (built in, or loaded).
            "properties": {"catalog": crate::active_catalog::active().describe()},
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// GitHub Actions workflow commands, one line per finding.
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

pub fn github(outcome: &Outcome, quiet: bool) -> String {
    let mut out = String::new();
    for e in &outcome.path_errors {
        out.push_str(&format!(
            "::error file={},title={}::{}\n",
            escape_property(&e.display),
            escape_property("ldic: cannot read file"),
            escape_data(&e.message)
        ));
    }
    for (file, f) in outcome.shown(quiet) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", escape_property(&file.display));
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
    out
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
