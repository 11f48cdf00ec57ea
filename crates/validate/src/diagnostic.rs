//! Diagnostics: the values every check produces, and the report that collects them.
//!
//! The contract (docs/design.md, "Diagnostics"): a JSON pointer, a stable code, a message, a
//! suggestion where one exists. A message never contains the value of a secret field; messages
//! describe the *type* or *shape* of a wrong value, never the value itself, unless the value is
//! known not to be secret (an enum choice, an object key).

use crate::Text;
use crate::fix::Fix;
use serde::Serialize;
use std::fmt;

/// How bad a problem is (the scale the manifest rules share): a [`Report`] is OK when it has no
/// errors; a warning leaves the document valid (`--deny-warnings` makes `ldic lint` fail on it).
pub use ldic_catalog::Severity;

/// A stable diagnostic code. The kebab-case spelling ([`Code::as_str`]) is part of the public
/// interface (CI configurations filter on it) and never changes for an existing code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "&'static str")]
#[non_exhaustive]
pub enum Code {
    /// The integration key is not in the catalog.
    UnknownIntegration,
    /// A field that the schema does not declare.
    UnknownField,
    /// A required field is missing.
    MissingRequired,
    /// A value of the wrong JSON type.
    WrongType,
    /// A value outside the allowed values.
    NotAllowed,
    /// A `uri` field that is not an absolute URI.
    InvalidUri,
    /// The same item twice in an array that must hold unique items.
    DuplicateItem,
    /// A string that must not be empty is empty.
    EmptyValue,
    /// A value for a field that a `dependsOn` rule hides.
    HiddenField,
    /// A value for a field LaunchDarkly sets itself (`generated`, `oauth`, `publicKey`).
    SetByLaunchDarkly,
    /// A field is absent and its default will apply.
    DefaultApplies,
    /// A `capabilityConfig` entry for a capability the integration does not have.
    UnsupportedCapability,
    /// A policy statement that breaks the statement rules (effect, xor of resources/notResources...).
    InvalidStatement,
    /// A resource specifier that does not parse.
    InvalidResource,
    /// A value that starts like an `${env:NAME}` reference but is not one (only reported when
    /// references are read as references, [`crate::EnvReferences::Unresolved`]).
    InvalidEnvReference,
    /// Anything else the JSON Schema rejects.
    SchemaViolation,
}

impl Code {
    /// Every code, for documentation and exhaustive tests.
    pub const ALL: &'static [Code] = &[
        Code::UnknownIntegration,
        Code::UnknownField,
        Code::MissingRequired,
        Code::WrongType,
        Code::NotAllowed,
        Code::InvalidUri,
        Code::DuplicateItem,
        Code::EmptyValue,
        Code::HiddenField,
        Code::SetByLaunchDarkly,
        Code::DefaultApplies,
        Code::UnsupportedCapability,
        Code::InvalidStatement,
        Code::InvalidResource,
        Code::SchemaViolation,
        Code::InvalidEnvReference,
    ];

    /// The stable kebab-case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownIntegration => "unknown-integration",
            Code::UnknownField => "unknown-field",
            Code::MissingRequired => "missing-required",
            Code::WrongType => "wrong-type",
            Code::NotAllowed => "not-allowed",
            Code::InvalidUri => "invalid-uri",
            Code::DuplicateItem => "duplicate-item",
            Code::EmptyValue => "empty-value",
            Code::HiddenField => "hidden-field",
            Code::SetByLaunchDarkly => "set-by-launchdarkly",
            Code::DefaultApplies => "default-applies",
            Code::UnsupportedCapability => "unsupported-capability",
            Code::InvalidStatement => "invalid-statement",
            Code::InvalidResource => "invalid-resource",
            Code::SchemaViolation => "schema-violation",
            Code::InvalidEnvReference => "invalid-env-reference",
        }
    }
}

impl From<Code> for &'static str {
    fn from(code: Code) -> Self {
        code.as_str()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Push `d` onto a report being built, reserving room for several at the first: an invalid
/// document usually has a few mistakes, and growing the list from one to several would copy it;
/// a valid document, which pushes nothing, allocates nothing.
pub(crate) fn push(out: &mut Vec<Diagnostic>, d: Diagnostic) {
    /// Diagnostics a report holds before its list grows (the benchmark's invalid documents
    /// have up to five).
    const FIRST_CAPACITY: usize = 8;
    if out.capacity() == 0 {
        out.reserve_exact(FIRST_CAPACITY);
    }
    out.push(d);
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad the problem is; usually the default severity of `code`.
    pub severity: Severity,
    /// The stable code naming the kind of problem.
    pub code: Code,
    /// JSON pointer (RFC 6901) of the offending value within the checked document,
    /// e.g. `/configValues/hostURL`. For [`Code::UnknownField`] it points at the unknown member;
    /// see [`Diagnostic::on_key`].
    pub pointer: Text,
    /// `true` when the diagnostic is about the member *name* at `pointer` (an unknown field),
    /// so a tool that maps pointers to file positions should point at the key, not the value.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub on_key: bool,
    /// What is wrong, in one sentence. Never contains a secret value. Fixed text is borrowed,
    /// text a list's plan builds once is shared, text naming something of the document is
    /// built for it ([`Text`]); any of them reads as a `&str`.
    pub message: Text,
    /// How to fix it, where ldic knows: `did you mean "hostURL"?` (borrowed or owned, as
    /// [`Diagnostic::message`](Diagnostic#structfield.message)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Text>,
    /// The correction as data, where ldic knows it (see [`Fix`]): an operation at `pointer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// An error with `code` at `pointer`, without suggestion or fix.
    pub fn error(code: Code, pointer: impl Into<Text>, message: impl Into<Text>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            pointer: pointer.into(),
            on_key: false,
            message: message.into(),
            suggestion: None,
            fix: None,
        }
    }

    /// A warning with `code` at `pointer`, without suggestion or fix.
    pub fn warning(code: Code, pointer: impl Into<Text>, message: impl Into<Text>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, pointer, message)
        }
    }

    /// Attach a suggestion: a short hint on how to fix the problem, e.g. `did you mean "hostURL"?`.
    pub fn with_suggestion(mut self, suggestion: impl Into<Text>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Attach a fix (an operation at this diagnostic's pointer).
    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    /// Mark this diagnostic as being about the member name at its pointer (see
    /// [`Diagnostic::on_key`](Diagnostic#structfield.on_key)).
    pub fn on_key(mut self) -> Self {
        self.on_key = true;
        self
    }

    /// Whether the severity is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}[{}] {}: {}",
            self.severity, self.code, at, self.message
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " ({s})")?;
        }
        Ok(())
    }
}

/// Every diagnostic of one check, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The diagnostics, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// OK when there is no error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics that are errors, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The diagnostics that are warnings, in order.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// Whether there is no diagnostic at all (not even a warning).
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Add a diagnostic at the end.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.diagnostics.is_empty() {
            return f.write_str("no problems");
        }
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}
