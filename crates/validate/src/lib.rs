//! Validation of LaunchDarkly integration configurations.
//!
//! The checks behind `ldic lint` and behind the client's refusal to send an invalid request.
//! A check never stops at the first problem: it returns a [`Report`] of every [`Diagnostic`],
//! in document order, each with a stable [`Code`] and the JSON pointer of the offending value.
//!
//! - [`validate`]: a whole create request body (`name`, `configValues`, `enabled`, `tags`,
//!   `capabilityConfig`) for an integration key.
//! - [`validate_config_values`]: `configValues` alone, against the list
//!   [`Integration::config_values_list`](ldic_catalog::Integration::config_values_list) names
//!   (the top-level `formVariables`, else the integration's one capability list).
//! - [`validate_config_values_str`]: `configValues` from JSON text; the same report as parsing
//!   the text and calling [`validate_config_values`], but most documents, valid or not, are
//!   checked in one borrowing pass over the text without building a `Value` of the document
//!   (anything that pass cannot decide falls back to parsing).
//! - [`validate_typed`]: a generated config struct; the type system already holds most rules,
//!   the rest (URIs, duplicates, dependsOn, set-by-LaunchDarkly fields) are checked here.
//! - [`defaults`] / [`apply_defaults`]: the defaults that apply to absent fields. Validation
//!   never applies them and does not report them as diagnostics (a default applying is not a
//!   problem, and a valid document must give an empty report); a tool that wants to show them
//!   turns each into a [`Code::DefaultApplies`] warning with [`AppliedDefault::to_diagnostic`].
//!
//! Pointers: every diagnostic's pointer names a location that exists in the checked document
//! (a missing field is reported at the object that lacks it, the message names the field), so a
//! tool can always map it to a line and column; the only exception is
//! [`Code::UnknownIntegration`], reported at the document root `""`.
//!
//! Secrets: no message quotes a value from the document. Messages describe the JSON type of a
//! wrong value, list allowed values of enums, and name object keys.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod body;
mod code_description;
mod compiled;
mod config_values;
mod diagnostic;
mod diagnostic_text;
pub mod file;
mod fix;
mod json_type;
mod key_index;
mod pointer;
pub mod resource;
pub mod suggest;
mod text;
mod violations;
mod visibility;
mod walker;

pub use body::BODY_FIELDS;
pub use compiled::{live_compiled, precompile};
pub use config_values::AppliedDefault;
pub use diagnostic::{Code, Diagnostic, Report, Severity};
pub use diagnostic_text::Text;
pub use fix::{Applicability, Edit, Fix};
pub use json_type::{JsonType, json_type_of};
pub use resource::{ResourceError, ResourceSpecifier, ResourceType, parse_resource};

pub use ldic_catalog::{Catalog, CatalogError};
use ldic_catalog::{FormList, Integration, IntegrationConfig};
use serde_json::Value;
use std::fmt;

/// How `${env:NAME}` references ([`file::env_ref`]) in `configValues` are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum EnvReferences {
    /// A reference is literal text, checked against its field's type like any other value:
    /// what a body about to be sent holds (the default).
    #[default]
    Literal,
    /// A well-formed reference in a string-valued field (string, uri, enum, dynamicEnum, and
    /// the items of a multiselect) stands for a value the environment gives later: only its
    /// syntax is checked, and a value that starts like a reference but is not one is a
    /// [`Code::InvalidEnvReference`] error. What a file in git holds (`ldic lint`). Resolve
    /// references ([`file::resolve_env_references`]) and check with `Literal` to check the
    /// resolved values.
    Unresolved,
}

/// Options of one check, threaded down to the per-list checks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CheckOptions {
    pub(crate) env_references: EnvReferences,
    pub(crate) engine: Engine,
}

/// Which engine checks a list's schema: the error walker (the default), or the reference path
/// (`jsonschema` `is_valid` then `iter_errors`), which tests compare it with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Engine {
    #[default]
    Walker,
    Reference,
}

/// Checks documents for one integration of a [`Catalog`], which it borrows (`'c`).
#[derive(Clone, Copy)]
pub struct Validator<'c> {
    integration: &'c Integration,
    /// The integration's `configValues` list, found once (`None`: it has no form variables).
    list: Option<&'c FormList>,
    options: CheckOptions,
}

/// The integration and the options (the list is the integration's, not printed twice).
impl fmt::Debug for Validator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validator")
            .field("integration", &self.integration)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Validator<'static> {
    /// A validator for the built-in catalog's integration `key`, or the
    /// [`Code::UnknownIntegration`] diagnostic naming the nearest known keys.
    pub fn for_key(key: &str) -> Result<Self, Box<Diagnostic>> {
        match key_index::builtin(key) {
            Some((integration, list)) => Ok(Self::with_list(integration, list)),
            None => Err(Box::new(unknown_integration(key))),
        }
    }
}

impl<'c> Validator<'c> {
    /// A validator for `integration` (from a catalog, or hand-built, e.g. in tests).
    pub fn for_integration(integration: &'c Integration) -> Self {
        Self::with_list(integration, integration.config_values_list())
    }

    /// A validator for `integration`, whose `configValues` list is `list` (found by the caller).
    fn with_list(integration: &'c Integration, list: Option<&'c FormList>) -> Self {
        Validator {
            integration,
            list,
            options: CheckOptions::default(),
        }
    }

    /// A validator for the integration `key` of `catalog` (built in or loaded at run time), or
    /// the [`Code::UnknownIntegration`] diagnostic naming the catalog's nearest keys.
    ///
    /// ```
    /// use ldic_validate::{Catalog, Validator};
    /// let validator = Validator::for_key_in(Catalog::builtin(), "datadog").unwrap();
    /// assert!(!validator.validate_config_values(&serde_json::json!({})).is_ok());
    /// ```
    pub fn for_key_in(catalog: &'c Catalog, key: &str) -> Result<Self, Box<Diagnostic>> {
        catalog
            .get(key)
            .map(Self::for_integration)
            .ok_or_else(|| Box::new(unknown_integration_in(catalog, key)))
    }

    /// This validator, reading `${env:NAME}` references as `mode` says.
    pub fn with_env_references(mut self, mode: EnvReferences) -> Self {
        self.options.env_references = mode;
        self
    }

    /// This validator, checking schemas with the reference path only (the `jsonschema` crate's
    /// errors, mapped), never the error walker: for the tests that hold the two equal.
    #[doc(hidden)]
    pub fn with_reference_engine(mut self) -> Self {
        self.options.engine = Engine::Reference;
        self
    }

    /// Whether the error walker alone decides the schema part of checking `config_values`
    /// (`false`: the reference path does). For tests and benchmarks.
    #[doc(hidden)]
    pub fn walker_decides(&self, config_values: &Value) -> bool {
        self.list
            .is_some_and(|list| config_values::walker_decides(list, config_values, self.options))
    }

    /// The integration this validator checks against.
    pub fn integration(&self) -> &'c Integration {
        self.integration
    }

    /// Check a whole create request body.
    pub fn validate(&self, body: &Value) -> Report {
        let mut diagnostics = Vec::new();
        body::check(self.integration, body, self.options, &mut diagnostics);
        finish(body, diagnostics)
    }

    /// Check `configValues` alone; pointers are relative to it (`/hostURL`).
    pub fn validate_config_values(&self, config_values: &Value) -> Report {
        let mut diagnostics = Vec::new();
        let ordered = body::check_config_values(
            self.integration,
            self.list,
            config_values,
            "",
            self.options,
            &mut diagnostics,
        );
        if ordered {
            return Report { diagnostics };
        }
        finish(config_values, diagnostics)
    }

    /// Check `configValues` given as JSON text: exactly the report of parsing `text` into a
    /// `Value` and calling [`Validator::validate_config_values`], and the same error when the
    /// text is not JSON. Most documents, valid or not, are decided in one pass over the text
    /// that builds no `Value` of the document (only of a member whose check needs one, or that
    /// has a problem); the others (a repeated key, a field whose rules read other fields...)
    /// are parsed and take the full check.
    pub fn validate_config_values_str(&self, text: &str) -> Result<Report, serde_json::Error> {
        if let Some(diagnostics) = self.check_text(text) {
            return Ok(Report { diagnostics });
        }
        let value: Value = serde_json::from_str(text)?;
        Ok(self.validate_config_values(&value))
    }

    /// The diagnostics of `text` from the one pass over it, or `None` when the full check
    /// decides.
    #[inline(always)] // `{}` without fields, the cheapest check, pays no call
    fn check_text(&self, text: &str) -> Option<Vec<Diagnostic>> {
        let walker = self.options.engine == Engine::Walker;
        match self.list {
            // `{}` without fields is valid whatever the engine: no parser, no allocation.
            None if text::is_empty_object(text) => Some(Vec::new()),
            None if walker => text::check_without_fields(self.integration, text),
            // A slot holding something else: the full check compiles the list for the call.
            Some(list) if walker => compiled::in_slot(list)?
                .plan
                .as_ref()
                .and_then(|plan| text::check(plan, list, text, self.options.env_references)),
            _ => None,
        }
    }

    /// Whether the one pass of [`Validator::validate_config_values_str`] alone decides that
    /// `text` has no diagnostic (`false`: it has some, or the full check decides). For tests
    /// and benchmarks.
    #[doc(hidden)]
    pub fn fast_path_accepts(&self, text: &str) -> bool {
        self.check_text(text).is_some_and(|d| d.is_empty())
    }

    /// Whether the one pass of [`Validator::validate_config_values_str`] alone decides the
    /// report of `text`, valid or not (`false`: the full check decides). For tests and
    /// benchmarks.
    #[doc(hidden)]
    pub fn text_pass_decides(&self, text: &str) -> bool {
        self.check_text(text).is_some()
    }

    /// The defaults that apply to the absent fields of `config_values` (see [`defaults`]).
    pub fn defaults(&self, config_values: &Value) -> Result<Vec<AppliedDefault>, DefaultsError> {
        let obj = config_values
            .as_object()
            .ok_or(DefaultsError::NotAnObject {
                found: json_type_of(config_values),
            })?;
        Ok(match self.list {
            Some(list) => config_values::defaults(list, obj),
            None => Vec::new(),
        })
    }

    /// Insert the defaults that apply into `config_values` (see [`apply_defaults`]).
    pub fn apply_defaults(
        &self,
        config_values: &mut Value,
    ) -> Result<Vec<AppliedDefault>, DefaultsError> {
        let applied = self.defaults(config_values)?;
        if let Some(obj) = config_values.as_object_mut() {
            for d in &applied {
                obj.insert(d.field.clone(), d.value.clone());
            }
        }
        Ok(applied)
    }
}

/// Why defaults could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DefaultsError {
    /// The integration key is not in the catalog.
    #[error("unknown integration \"{key}\"")]
    UnknownIntegration {
        /// The key that was asked for.
        key: String,
    },
    /// `configValues` is not a JSON object.
    #[error("configValues must be an object, found {found}")]
    NotAnObject {
        /// The JSON type it has instead (`"array"`, `"string"`...).
        found: &'static str,
    },
}

/// Check a whole create request body (`IntegrationConfigurationPost`) for the integration `key`.
///
/// ```
/// let report = ldic_validate::validate("no-such-integration", &serde_json::json!({}));
/// assert!(!report.is_ok());
/// assert_eq!(report.diagnostics[0].code, ldic_validate::Code::UnknownIntegration);
/// ```
pub fn validate(integration_key: &str, body: &Value) -> Report {
    match Validator::for_key(integration_key) {
        Ok(v) => v.validate(body),
        Err(d) => Report {
            diagnostics: vec![*d],
        },
    }
}

/// Check the `configValues` object alone for the integration `key`; pointers are relative to
/// `config_values` (`/hostURL`, not `/configValues/hostURL`).
pub fn validate_config_values(integration_key: &str, config_values: &Value) -> Report {
    match Validator::for_key(integration_key) {
        Ok(v) => v.validate_config_values(config_values),
        Err(d) => Report {
            diagnostics: vec![*d],
        },
    }
}

/// Check the `configValues` object of the integration `key`, given as JSON text: exactly
/// `validate_config_values(key, &serde_json::from_str(text)?)`, but most documents, valid or
/// not, are decided in one borrowing pass over the text (see
/// [`Validator::validate_config_values_str`]).
///
/// ```
/// let report = ldic_validate::validate_config_values_str("no-such-integration", "{}").unwrap();
/// assert_eq!(report.diagnostics[0].code, ldic_validate::Code::UnknownIntegration);
/// assert!(ldic_validate::validate_config_values_str("no-such-integration", "{").is_err());
/// ```
pub fn validate_config_values_str(
    integration_key: &str,
    text: &str,
) -> Result<Report, serde_json::Error> {
    match Validator::for_key(integration_key) {
        Ok(v) => v.validate_config_values_str(text),
        Err(d) => {
            // The same error as the `Value` path for text that is not JSON.
            let _: Value = serde_json::from_str(text)?;
            Ok(Report {
                diagnostics: vec![*d],
            })
        }
    }
}

/// Check any form-variable list of any integration (including hand-built ones); pointers are
/// relative to `values`.
pub fn validate_list(list: &FormList, values: &Value) -> Report {
    let mut diagnostics = Vec::new();
    if config_values::check(list, values, "", CheckOptions::default(), &mut diagnostics) {
        return Report { diagnostics };
    }
    finish(values, diagnostics)
}

/// Check a generated config struct: what its type cannot hold (URI syntax, duplicate
/// multiselect items, dependsOn rules, values for fields LaunchDarkly sets). Pointers are
/// relative to the struct's JSON form.
pub fn validate_typed<C: IntegrationConfig>(config: &C) -> Report {
    match serde_json::to_value(config) {
        Ok(value) => validate_list(C::form_list(), &value),
        Err(_) => Report {
            diagnostics: vec![Diagnostic::error(
                Code::SchemaViolation,
                "",
                format!(
                    "the {} value could not be serialized to JSON",
                    C::form_list().type_name
                ),
            )],
        },
    }
}

/// The defaults that apply to the absent fields of `config_values` for the integration `key`:
/// fields with a default that are absent, not hidden by a dependsOn rule and not set by
/// LaunchDarkly. Nothing is changed; see [`apply_defaults`].
pub fn defaults(
    integration_key: &str,
    config_values: &Value,
) -> Result<Vec<AppliedDefault>, DefaultsError> {
    Validator::for_key(integration_key)
        .map_err(|_| DefaultsError::UnknownIntegration {
            key: integration_key.to_owned(),
        })?
        .defaults(config_values)
}

/// Insert the defaults that apply (see [`defaults`]) into `config_values`, returning what was
/// inserted. The only function of this crate that changes a document.
pub fn apply_defaults(
    integration_key: &str,
    config_values: &mut Value,
) -> Result<Vec<AppliedDefault>, DefaultsError> {
    Validator::for_key(integration_key)
        .map_err(|_| DefaultsError::UnknownIntegration {
            key: integration_key.to_owned(),
        })?
        .apply_defaults(config_values)
}

/// The [`Code::UnknownIntegration`] error for `key`, with the built-in catalog's nearest keys.
#[cold] // kept out of the key lookup every call by key makes
pub fn unknown_integration(key: &str) -> Diagnostic {
    unknown_integration_in(Catalog::builtin(), key)
}

/// The [`Code::UnknownIntegration`] error for `key`, with the nearest keys of `catalog`.
pub fn unknown_integration_in(catalog: &Catalog, key: &str) -> Diagnostic {
    let near = suggest::nearest_n(key, catalog.iter().map(|i| i.key.as_ref()), 3);
    let d = Diagnostic::error(
        Code::UnknownIntegration,
        "",
        format!("unknown integration \"{key}\": the catalog has no integration with this key"),
    );
    match near.as_slice() {
        [] => d.with_suggestion("`ldic list` shows every integration key"),
        [one] => d.with_suggestion(format!("did you mean \"{one}\"?")),
        many => d.with_suggestion(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn finish(doc: &Value, mut diagnostics: Vec<Diagnostic>) -> Report {
    pointer::sort_in_document_order(doc, &mut diagnostics);
    Report { diagnostics }
}
