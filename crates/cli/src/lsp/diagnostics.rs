//! `ldic lint`'s findings as LSP diagnostics: the same findings, codes and messages, their byte
//! spans turned into ranges with UTF-16 columns. Messages never hold a secret value (lint's
//! rule: they describe a value's type, never the value), so neither do the diagnostics.

use super::position::Utf16Index;
use crate::lint::{FileLint, Finding};
use ldic::Severity;
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

/// The name diagnostics carry as their source.
pub const SOURCE: &str = "ldic";

/// Every finding of `file` (the lint of `text`) as a diagnostic, in file order.
pub fn to_lsp(text: &str, file: &FileLint) -> Vec<Diagnostic> {
    let index = Utf16Index::new(text);
    file.findings.iter().map(|f| one(&index, f)).collect()
}

/// The diagnostic of one finding.
pub fn one(index: &Utf16Index<'_>, f: &Finding) -> Diagnostic {
    let span = f.location.as_ref().map_or(0..0, |l| l.span.clone());
    let mut message = f.message.clone();
    if let Some(s) = &f.suggestion {
        message.push('\n');
        message.push_str(s);
    }
    Diagnostic {
        range: index.range(span),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(f.code.as_str().to_owned())),
        source: Some(SOURCE.to_owned()),
        message,
        ..Diagnostic::default()
    }
}
