//! Each diagnostic's fix as a code action (quickfix; safe fixes preferred), and the safe fixes
//! of one `--fix` pass together as a `source.fixAll.ldic` action.
//!
//! The edits are those of `ldic lint --fix` ([`crate::fix::edit_for`], the same byte edits through
//! the same span maps, so the same refusals: never through a YAML alias, merge key or anchored
//! node, never a rename onto an existing key), converted to LSP ranges. A fix never writes a
//! secret value, so no edit carries one.

use super::diagnostics;
use super::documents::{Document, Linted};
use super::position::Utf16Index;
use crate::fix::{self, ByteEdit};
use crate::lint::Finding;
use ldic::{Applicability, Fix};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The kind of the "fix all" action (`source.fixAll.ldic`).
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.ldic")
}

/// The code actions of `doc` (linted as `linted`) for `range`: one quickfix per fixable
/// finding overlapping it, then the fix-all action when a safe fix exists, filtered by `only`.
pub fn actions(
    doc: &Document,
    linted: &Linted,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let wants = |kind: &CodeActionKind| {
        only.is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let mut out = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        out.extend(
            quick_fixes(doc, linted, range)
                .into_iter()
                .map(CodeActionOrCommand::CodeAction),
        );
    }
    if wants(&fix_all_kind())
        && let Some(action) = fix_all(doc, linted)
    {
        out.push(CodeActionOrCommand::CodeAction(action));
    }
    out
}

fn quick_fixes(doc: &Document, linted: &Linted, range: Range) -> Vec<CodeAction> {
    let text = &doc.text;
    let format = doc.format();
    let index = Utf16Index::new(text);
    let wanted = index.span(range);
    let fixes: Vec<(&Finding, &Fix)> = linted
        .file
        .findings
        .iter()
        .filter(|f| {
            let span = f.location.as_ref().map_or(0..0, |l| l.span.clone());
            span.start <= wanted.end && wanted.start <= span.end
        })
        .filter_map(|f| Some((f, f.fix.as_ref()?)))
        .collect();
    let places = fix::places(text, format, fixes.iter().map(|(f, _)| f.document));
    let mut out = Vec::new();
    for (f, fix) in fixes {
        let Some(place) = places.get(&f.document) else {
            continue;
        };
        let Ok(edit) = fix::edit_for(text, format, &place.map, &place.anchored, f, fix) else {
            continue;
        };
        out.push(CodeAction {
            title: format!("ldic: {fix} ({})", f.code),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostics::one(&index, f)]),
            edit: Some(workspace_edit(&doc.uri, vec![text_edit(&index, edit)])),
            is_preferred: Some(fix.applicability == Applicability::Safe),
            ..CodeAction::default()
        });
    }
    out
}

/// Every safe fix of one `ldic lint --fix` pass (the edits do not overlap), as one action.
/// The edits are the fixes' own (never the whole text: that would send the document's secrets
/// back); the action is offered only when the result parses and has fewer problems, as
/// `--fix` requires of a pass.
fn fix_all(doc: &Document, linted: &Linted) -> Option<CodeAction> {
    let format = doc.format();
    let edits = fix::pass_edits(&doc.text, format, &linted.file.findings, false);
    if edits.is_empty() {
        return None;
    }
    let fixed = fix::apply_edits(&doc.text, &edits);
    let display = linted.file.display.clone();
    let mut after = crate::lint::lint_text_with(display, &linted.path, fixed, &linted.policy);
    if let Some(s) = &linted.settings {
        s.apply(&linted.path, &mut after);
    }
    let parses = !after
        .findings
        .iter()
        .any(|f| f.code == crate::codes::FindingCode::ParseError);
    if !parses || after.findings.len() >= linted.file.findings.len() {
        return None;
    }
    let index = Utf16Index::new(&doc.text);
    let n = edits.len();
    Some(CodeAction {
        title: format!(
            "ldic: fix {n} safe problem{}",
            if n == 1 { "" } else { "s" }
        ),
        kind: Some(fix_all_kind()),
        edit: Some(workspace_edit(
            &doc.uri,
            edits.into_iter().map(|e| text_edit(&index, e)).collect(),
        )),
        ..CodeAction::default()
    })
}

fn text_edit(index: &Utf16Index<'_>, edit: ByteEdit) -> TextEdit {
    TextEdit {
        range: index.range(edit.range),
        new_text: edit.replacement,
    }
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}
