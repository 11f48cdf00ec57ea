//! `ldic lint --fix`: the engine's fixes (semantic operations at JSON pointers) as byte edits.
//!
//! A fix says *what* to change (rename a member, replace a value, remove a member); this module
//! finds *where*, with the span maps lint already builds, and changes only those bytes: comments,
//! quoting style, indentation, key order and line endings stay as written. A YAML value is written
//! back in the style it had where that reads back as the same value, else as JSON (which YAML
//! reads too). Fixing runs in passes: of two overlapping edits the first is applied and the other
//! waits for the next pass; after each pass the text is linted again, and a pass that would break
//! the file (it no longer parses: an internal error, nothing is written) or add problems is not
//! kept. Nothing is ever changed through a YAML alias, a merge key or inside an anchored node:
//! that would change every configuration sharing the anchor, so such a fix is reported instead.

use crate::codes::FindingCode;
use crate::config::EnvPolicy;
use crate::lint::{self, FileLint, Finding, Format};
use crate::settings::Settings;
use crate::spans::{SpanMap, child_pointer};
use crate::yaml;
use ldic::{Applicability, Edit, Fix};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

/// At most this many passes (each pass applies every fix that does not overlap another).
const MAX_PASSES: usize = 16;

/// One change of the text: `range` (bytes) becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteEdit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A fix that was not applied, and why (an alias, a merge key, a key that exists...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: FindingCode,
    pub document: usize,
    pub pointer: String,
    pub line: usize,
    pub reason: String,
}

/// The result of fixing one text.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed text (the input when nothing applied).
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Fixes of the remaining findings that were not applied.
    pub refused: Vec<Refusal>,
    /// The lint of the fixed text: what is left.
    pub lint: FileLint,
}

/// Fixing would have produced a text that does not parse: a bug in ldic; nothing is written.
#[derive(Debug, thiserror::Error)]
#[error(
    "internal error: fixing {display} produced text that does not parse ({message}); nothing was written"
)]
pub struct UnparsableFix {
    pub display: String,
    pub message: String,
}

/// Whether `fix` is applied: safe ones always, suggested ones with `--unsafe-fixes`.
pub fn is_applied(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Lint `text` (as `ldic lint` does, settings applied) and apply its fixes until none is left.
pub fn fix_text(
    display: &str,
    path: &Path,
    text: &str,
    policy: &EnvPolicy,
    settings: Option<&Settings>,
    unsafe_fixes: bool,
) -> Result<Fixed, UnparsableFix> {
    let lint_of = |t: &str| {
        let mut f = lint::lint_text_with(display.to_owned(), path, t.to_owned(), policy);
        if let Some(s) = settings {
            s.apply(path, &mut f);
        }
        f
    };
    let mut text = text.to_owned();
    let mut current = lint_of(&text);
    let mut applied = 0usize;
    let mut held_back: Vec<Refusal> = Vec::new();
    for _ in 0..MAX_PASSES {
        let format = Format::detect(path, &text);
        let plan = plan(&text, format, &current.findings, unsafe_fixes);
        if plan.edits.is_empty() {
            break;
        }
        let candidate = apply_edits(&text, &plan.edits);
        let next = lint_of(&candidate);
        if let Some(e) = next
            .findings
            .iter()
            .find(|f| f.code == FindingCode::ParseError)
        {
            return Err(UnparsableFix {
                display: display.to_owned(),
                message: e.message.clone(),
            });
        }
        if next.findings.len() > current.findings.len() {
            held_back = plan
                .applied
                .iter()
                .map(|f| refusal(f, "applying it would add problems".to_owned()))
                .collect();
            break;
        }
        applied += plan.edits.len();
        text = candidate;
        current = next;
    }
    let format = Format::detect(path, &text);
    let mut refused = plan(&text, format, &current.findings, unsafe_fixes).refused;
    for r in held_back {
        if !refused.contains(&r) {
            refused.push(r);
        }
    }
    Ok(Fixed {
        text,
        applied,
        refused,
        lint: current,
    })
}

/// The edits of one pass, the findings they fix, and the fixes that cannot be applied.
struct Plan<'f> {
    edits: Vec<ByteEdit>,
    applied: Vec<&'f Finding>,
    refused: Vec<Refusal>,
}

fn refusal(f: &Finding, reason: String) -> Refusal {
    Refusal {
        code: f.code,
        document: f.document,
        pointer: f.pointer.clone(),
        line: f.location.as_ref().map_or(0, |l| l.line),
        reason,
    }
}

/// The byte edits of every applicable fix of `findings` (in file order) that does not overlap
/// an earlier one; overlapping ones wait for the next pass.
fn plan<'f>(text: &str, format: Format, findings: &'f [Finding], unsafe_fixes: bool) -> Plan<'f> {
    let fixes: Vec<(&Finding, &Fix)> = findings
        .iter()
        .filter_map(|f| Some((f, f.fix.as_ref().filter(|x| is_applied(x, unsafe_fixes))?)))
        .collect();
    let places = places(text, format, fixes.iter().map(|(f, _)| f.document));
    let nowhere = Place::default();
    let mut out = Plan {
        edits: Vec::new(),
        applied: Vec::new(),
        refused: Vec::new(),
    };
    let mut renamed_to: HashSet<(usize, String)> = HashSet::new();
    for (f, fix) in fixes {
        let place = places.get(&f.document).unwrap_or(&nowhere);
        match edit_for(text, format, &place.map, &place.anchored, f, fix) {
            Err(reason) => out.refused.push(refusal(f, reason)),
            Ok(edit) => {
                let overlaps = out.edits.iter().any(|e| overlap(&e.range, &edit.range));
                let target = match &fix.edit {
                    Edit::RenameKey { to } => {
                        let parent = f.pointer.rsplit_once('/').map_or("", |(p, _)| p);
                        Some((f.document, child_pointer(parent, to)))
                    }
                    _ => None,
                };
                if overlaps || target.as_ref().is_some_and(|t| renamed_to.contains(t)) {
                    continue;
                }
                renamed_to.extend(target);
                out.edits.push(edit);
                out.applied.push(f);
            }
        }
    }
    out
}

/// Where fixes land in one document: its span map and its anchored YAML nodes.
#[derive(Debug, Default)]
pub struct Place {
    pub map: SpanMap,
    /// Byte ranges of the anchored nodes (`&name`): no edit may touch them.
    pub anchored: Vec<Range<usize>>,
}

/// The [`Place`] of each of `documents` (repeats allowed) of `text`, from one pass over it (one
/// walk of a YAML stream's events per fixing pass, not one per document).
pub fn places(
    text: &str,
    format: Format,
    documents: impl IntoIterator<Item = usize>,
) -> HashMap<usize, Place> {
    lint::documents(text, format, documents.into_iter().collect())
        .map(|doc| {
            let place = Place {
                map: doc.span_map(),
                anchored: doc.anchored_ranges(),
            };
            (doc.index(), place)
        })
        .collect()
}

/// The edits one pass of `--fix` would make on `text`, whose lint found `findings`.
pub fn pass_edits(
    text: &str,
    format: Format,
    findings: &[Finding],
    unsafe_fixes: bool,
) -> Vec<ByteEdit> {
    plan(text, format, findings, unsafe_fixes).edits
}

/// Whether two edits touch the same bytes (two insertions at one place count as overlapping).
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start)
}

/// Apply non-overlapping edits to `text`.
pub fn apply_edits(text: &str, edits: &[ByteEdit]) -> String {
    let mut sorted: Vec<&ByteEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_owned();
    for e in sorted {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    out
}

/// The byte edit of `fix` (the fix of finding `f`), or why it cannot be applied.
pub fn edit_for(
    text: &str,
    format: Format,
    map: &SpanMap,
    anchored: &[Range<usize>],
    f: &Finding,
    fix: &Fix,
) -> Result<ByteEdit, String> {
    let node = map.get(&f.pointer).ok_or_else(|| match format {
        Format::Yaml => "the value is reached through a YAML alias; fix it where the anchor is written, if every alias should change".to_owned(),
        Format::Json => "the value was not found in the text".to_owned(),
    })?;
    let mut at = f.pointer.as_str();
    loop {
        if let Some((alias, _)) = map.get(at).and_then(|n| n.merged_from.as_ref()) {
            return Err(format!(
                "the value is merged in by `<<: {alias}`; fixing it would change every configuration that shares the anchor"
            ));
        }
        match at.rfind('/') {
            Some(i) => at = &at[..i],
            None => break,
        }
    }
    let edit = match &fix.edit {
        Edit::RenameKey { to } => {
            let key = node.key.clone().ok_or("not an object member")?;
            let parent = f.pointer.rsplit_once('/').map_or("", |(p, _)| p);
            if map.get(&child_pointer(parent, to)).is_some() {
                return Err(format!("\"{to}\" is already a key of this object"));
            }
            let raw = text.get(key.clone()).ok_or("the key was not found")?;
            ByteEdit {
                range: key,
                replacement: render_string(raw, to, format),
            }
        }
        Edit::ReplaceValue { value } => {
            let span = node.value.clone();
            let raw = text.get(span.clone()).ok_or("the value was not found")?;
            if span.is_empty() || matches!(raw, "{" | "[") {
                return Err("the value is an object or an array".to_owned());
            }
            if raw.starts_with(['*', '&', '!']) {
                return Err("the value is a YAML alias, anchor or tagged value".to_owned());
            }
            let replacement = match &**value {
                Value::String(s) => render_string(raw, s, format),
                other => serde_json::to_string(other).map_err(|e| e.to_string())?,
            };
            ByteEdit {
                range: span,
                replacement,
            }
        }
        Edit::RemoveMember => remove_member(text, format, map, &f.pointer)?,
    };
    if text.get(edit.range.clone()) == Some(edit.replacement.as_str()) {
        return Err("the fix would not change the text".to_owned());
    }
    if anchored.iter().any(|r| overlap(r, &edit.range)) {
        return Err(
            "the value is inside an anchored YAML node (&name); fixing it would change every alias of it"
                .to_owned(),
        );
    }
    Ok(edit)
}

/// The string `s` written where `raw` (a key or a scalar) was: as JSON in JSON; in YAML in the
/// quoting style of `raw` (plain only when it reads back as the same string), else as JSON.
fn render_string(raw: &str, s: &str, format: Format) -> String {
    let as_json = || serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
    match format {
        Format::Json => as_json(),
        Format::Yaml if raw.starts_with('\'') => format!("'{}'", s.replace('\'', "''")),
        Format::Yaml if raw.starts_with(['"', '|', '>']) => as_json(),
        Format::Yaml if is_plain_yaml_string(s) => s.to_owned(),
        Format::Yaml => as_json(),
    }
}

/// Whether `s`, written plain, reads back as the string `s` in block and flow context.
fn is_plain_yaml_string(s: &str) -> bool {
    if s.is_empty() || s.contains(['\n', '\r', '#', '\t']) || s.trim() != s {
        return false;
    }
    let block = yaml::parse(&format!("k: {s}\n"));
    let flow = yaml::parse(&format!("[{s}]\n"));
    let string = Value::String(s.to_owned());
    block.is_ok_and(|p| p.documents == [serde_json::json!({"k": string})])
        && flow.is_ok_and(|p| p.documents == [Value::Array(vec![string.clone()])])
}

/// The edit removing the member at `pointer`: with its separating comma in JSON and YAML flow
/// mappings, as whole lines in a YAML block mapping (the member must own its lines).
fn remove_member(
    text: &str,
    format: Format,
    map: &SpanMap,
    pointer: &str,
) -> Result<ByteEdit, String> {
    let node = map.get(pointer).ok_or("the member was not found")?;
    let key = node.key.clone().ok_or("not an object member")?;
    let value = node.value.clone();
    if value.is_empty() || matches!(text.get(value.clone()), Some("{" | "[")) {
        return Err("the value is an object or an array".to_owned());
    }
    let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
    let flow = match format {
        Format::Json => true,
        Format::Yaml => match map.get(parent) {
            Some(p) => text.get(p.value.clone()) == Some("{"),
            None => return Err("the enclosing object was not found".to_owned()),
        },
    };
    let before = text.get(..key.start).ok_or("the key was not found")?;
    if flow {
        let trimmed = before.trim_end();
        if !trimmed.ends_with(',') {
            return Err("the member is not preceded by a comma".to_owned());
        }
        return Ok(ByteEdit {
            range: trimmed.len() - 1..value.end,
            replacement: String::new(),
        });
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..].bytes().all(|b| b == b' ') {
        return Err("the member does not start its line".to_owned());
    }
    let after = text.get(value.end..).ok_or("the value was not found")?;
    let line_end = after.find('\n').map_or(text.len(), |i| value.end + i + 1);
    let tail = text[value.end..line_end].trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return Err("the member does not end its line".to_owned());
    }
    Ok(ByteEdit {
        range: line_start..line_end,
        replacement: String::new(),
    })
}

/// Counts for the human summary: (safe fixes, suggested fixes) among `findings`.
pub fn fixable(findings: &[Finding]) -> (usize, usize) {
    findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .fold((0, 0), |(safe, suggested), fix| match fix.applicability {
            Applicability::Safe => (safe + 1, suggested),
            Applicability::Suggested => (safe, suggested + 1),
        })
}

/// A unified diff of `before` and `after` (both masked: a secret never reaches the output).
pub fn unified_diff(display: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string()
}

/// `before` and `after` as a diff may show them: every sensitive value masked.
pub fn masked_pair(path: &Path, before: &str, after: &str, policy: &EnvPolicy) -> (String, String) {
    let masked = |t: &str| {
        let l = lint::lint_text_with(String::new(), path, t.to_owned(), policy);
        lint::masked_text(t, Format::detect(path, t), &l.parsed)
    };
    (masked(before), masked(after))
}

/// What `ldic lint` does with fixes.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixMode {
    /// `--fix`: write the fixed file (stdin: print the fixed text).
    pub fix: bool,
    /// `--unsafe-fixes`: suggested fixes too.
    pub unsafe_fixes: bool,
    /// `--diff`: print what `--fix` would change, write nothing.
    pub diff: bool,
}

/// One file after `--fix` or `--diff`.
#[derive(Debug)]
pub struct FileFix {
    pub fixed: Fixed,
    /// The unified diff (masked), with `--diff`; empty when nothing changes.
    pub diff: String,
    /// Whether the fixed text differs from the file.
    pub changed: bool,
}

/// Fix one text as `mode` says (nothing is written here).
pub fn fix_one(
    display: &str,
    path: &Path,
    text: &str,
    policy: &EnvPolicy,
    settings: Option<&Settings>,
    mode: FixMode,
) -> Result<FileFix, UnparsableFix> {
    let fixed = fix_text(display, path, text, policy, settings, mode.unsafe_fixes)?;
    let changed = fixed.text != text;
    let diff = if mode.diff && changed {
        let (before, after) = masked_pair(path, text, &fixed.text, policy);
        unified_diff(display, &before, &after)
    } else {
        String::new()
    };
    Ok(FileFix {
        fixed,
        diff,
        changed,
    })
}

/// The lines `--fix` prints to stderr for one file: what was fixed, and what could not be.
pub fn notes(display: &str, fix: &FileFix, mode: FixMode) -> String {
    let mut out = String::new();
    let n = fix.fixed.applied;
    if n > 0 {
        let verb = if mode.fix { "fixed" } else { "would fix" };
        let s = if n == 1 { "" } else { "s" };
        out.push_str(&format!("{display}: {verb} {n} problem{s}\n"));
    }
    for r in &fix.fixed.refused {
        out.push_str(&format!(
            "{display}:{}: fix of {} at {} not applied: {}\n",
            r.line,
            r.code,
            if r.pointer.is_empty() {
                "/"
            } else {
                &r.pointer
            },
            r.reason
        ));
    }
    out
}
