//! `configValues` checks: the generated JSON Schema of a form-variable list, plus the rules a
//! schema cannot say.
//!
//! The schema (compiled once per list, lazily, and kept in the list's own slot) catches
//! unknown fields, wrong types, values outside an enum, bad URIs and duplicate items; its errors
//! are mapped into ldic diagnostics, one per mistake, without ever quoting the offending value.
//! What the schema cannot express is checked from the field metadata: `dependsOn` show/hide
//! rules (a hidden field is not required, and a value for it is a warning), required fields
//! (computed here so that a field hidden by a rule or set by LaunchDarkly is never required), and
//! values for fields LaunchDarkly sets itself (`generated`, `oauth`, `publicKey`), a warning.
//!
//! Fast path: a document is first checked with the compiled validator's `is_valid`; errors are
//! collected only when it fails. The metadata checks are a single pass over the fields.

use crate::file::{EnvRef, env_ref};
use crate::fix::Fix;
use crate::pointer;
use crate::suggest;
use crate::text::FastPlan;
use crate::{CheckOptions, Code, Diagnostic, EnvReferences};
use ldic_catalog::{ConditionOperator, DependsOnAction, FieldMeta, FieldType, FormList};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A list's schema, compiled; or why it could not be (a codegen bug, reported as a diagnostic).
/// Kept in the list's own [`CompiledSlot`](ldic_catalog::CompiledSlot): reached without a lock
/// or lookup, and dropped with the list.
pub(crate) struct Compiled {
    validator: Result<jsonschema::Validator, String>,
    /// The text fast path's plan (`None`: every document takes the full check).
    fast: Option<FastPlan>,
    /// Counts live compiled states (see [`live_compiled`]).
    _live: LiveToken,
}

/// How many compiled states exist now; a catalog dropped gives its lists' back.
static LIVE: AtomicUsize = AtomicUsize::new(0);

struct LiveToken;

impl LiveToken {
    fn new() -> Self {
        LIVE.fetch_add(1, Ordering::Relaxed);
        LiveToken
    }
}

impl Drop for LiveToken {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The number of lists whose compiled schema is alive in this process: for tests that a catalog
/// loaded and dropped many times frees what its lists compiled.
#[doc(hidden)]
pub fn live_compiled() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The compiled state of `list`, from its slot (compiled on first use). Only if the slot holds
/// something else (another user of the slot came first) is the list compiled for this call alone.
pub(crate) fn compiled(list: &FormList) -> CompiledRef<'_> {
    match list.compiled.get_or_init(|| compile(list)) {
        Some(compiled) => CompiledRef::Slot(compiled),
        None => CompiledRef::Fresh(Box::new(compile(list))),
    }
}

/// A list's compiled state: in its slot, or compiled for one call.
pub(crate) enum CompiledRef<'l> {
    Slot(&'l Compiled),
    Fresh(Box<Compiled>),
}

impl std::ops::Deref for CompiledRef<'_> {
    type Target = Compiled;

    fn deref(&self) -> &Compiled {
        match self {
            CompiledRef::Slot(compiled) => compiled,
            CompiledRef::Fresh(compiled) => compiled,
        }
    }
}

impl Compiled {
    /// The text fast path's plan, if the list has one.
    pub(crate) fn fast_plan(&self) -> Option<&FastPlan> {
        self.fast.as_ref()
    }
}

/// Compile a schema with the options every list's schema is compiled with.
pub(crate) fn compile_schema(
    schema: &Value,
) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
}

fn compile(list: &FormList) -> Compiled {
    let schema = serde_json::from_str::<Value>(&list.schema_json)
        .map_err(|e| format!("its JSON Schema is not valid JSON ({e})"));
    let validator = schema.as_ref().map_err(Clone::clone).and_then(|schema| {
        compile_schema(schema)
            .map_err(|e| format!("its JSON Schema does not compile ({})", e.kind().keyword()))
    });
    let fast = match (&schema, &validator) {
        (Ok(schema), Ok(_)) => FastPlan::build(list, schema),
        _ => None,
    };
    Compiled {
        validator,
        fast,
        _live: LiveToken::new(),
    }
}

/// Compile the schema of `list` now (normally done on first use), e.g. to keep the first check
/// of a latency-sensitive path fast. Returns whether the schema compiled.
pub fn precompile(list: &FormList) -> bool {
    compiled(list).validator.is_ok()
}

/// Whether a field is shown in the form, given the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    Visible,
    Hidden,
    /// Decided by a variable of another list, which this document does not hold.
    Unknown,
}

/// Evaluate a field's `isHidden` flag and `dependsOn` rules against the document `values`
/// (the object of the field's own list).
pub(crate) fn visibility(
    field: &FieldMeta,
    list: &FormList,
    values: &Map<String, Value>,
) -> Visibility {
    if field.depends_on.is_empty() {
        return if field.is_hidden {
            Visibility::Hidden
        } else {
            Visibility::Visible
        };
    }
    let mut has_show_rule = false;
    let mut shown = false;
    let mut hidden = false;
    for rule in field.depends_on.iter() {
        if rule.variable_list != list.kind {
            return Visibility::Unknown;
        }
        let actual = values.get(rule.variable_key.as_ref()).cloned().or_else(|| {
            list.field(&rule.variable_key)
                .and_then(FieldMeta::default_value)
        });
        let holds = rule
            .conditions
            .iter()
            .all(|c| condition_holds(c.operator, &c.value, actual.as_ref()));
        match rule.action {
            DependsOnAction::ShowField => {
                has_show_rule = true;
                shown |= holds;
            }
            DependsOnAction::HideField => hidden |= holds,
        }
    }
    let visible = if has_show_rule {
        shown
    } else {
        !field.is_hidden
    };
    if visible && !hidden {
        Visibility::Visible
    } else {
        Visibility::Hidden
    }
}

fn as_condition_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn condition_holds(op: ConditionOperator, expected: &str, actual: Option<&Value>) -> bool {
    use ConditionOperator as Op;
    let texts: Vec<String> = match actual {
        None => vec![String::new()],
        Some(Value::Array(items)) if op == Op::Contains => {
            return items.iter().any(|i| as_condition_text(i) == expected);
        }
        Some(v) => vec![as_condition_text(v)],
    };
    let text = texts.first().map(String::as_str).unwrap_or("");
    let numbers = || Some((text.parse::<f64>().ok()?, expected.parse::<f64>().ok()?));
    match op {
        Op::EqualTo => text == expected,
        Op::NotEqual => text != expected,
        Op::Contains => text.contains(expected),
        Op::StartsWith => text.starts_with(expected),
        Op::EndsWith => text.ends_with(expected),
        Op::LessThan => numbers().is_some_and(|(a, b)| a < b),
        Op::LessThanOrEqualTo => numbers().is_some_and(|(a, b)| a <= b),
        Op::GreaterThan => numbers().is_some_and(|(a, b)| a > b),
        Op::GreaterThanOrEqualTo => numbers().is_some_and(|(a, b)| a >= b),
    }
}

/// `a string`, `an integer`, `an object`: the JSON type of a value for messages, never the
/// value. The one spelling of JSON types in ldic's messages (the validator's and the CLI's).
pub fn json_type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn json_type_name(t: jsonschema::JsonType) -> &'static str {
    use jsonschema::JsonType as T;
    match t {
        T::Null => "null",
        T::Boolean => "a boolean",
        T::Integer => "an integer",
        T::Number => "a number",
        T::String => "a string",
        T::Array => "an array",
        T::Object => "an object",
    }
}

fn quote_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values
        .into_iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rank of a diagnostic when several describe the same value: the most basic problem wins
/// (a wrong-type enum value is a wrong type, not also a value outside the enum).
fn rank(code: Code) -> u8 {
    match code {
        Code::WrongType => 0,
        Code::NotAllowed => 1,
        Code::InvalidUri => 2,
        Code::EmptyValue => 3,
        Code::DuplicateItem => 4,
        _ => 5,
    }
}

/// Check the `configValues` object of `list`; diagnostics get `base` as their pointer prefix.
pub(crate) fn check(
    list: &FormList,
    value: &Value,
    base: &str,
    options: CheckOptions,
    out: &mut Vec<Diagnostic>,
) {
    let references = options.env_references == EnvReferences::Unresolved;
    let Some(obj) = value.as_object() else {
        out.push(Diagnostic::error(
            Code::WrongType,
            base,
            format!(
                "expected an object of configuration fields, found {}",
                json_type_of(value)
            ),
        ));
        return;
    };
    match &compiled(list).validator {
        Ok(validator) => {
            if !validator.is_valid(value) {
                schema_diagnostics(list, validator, value, base, references, out);
            }
        }
        Err(why) => out.push(Diagnostic::error(
            Code::SchemaViolation,
            base,
            format!(
                "cannot check the {} of \"{}\": {why}; this is a bug in ldic's catalog",
                list.kind, list.integration_key
            ),
        )),
    }
    if references {
        reference_diagnostics(list, obj, base, out);
    }
    metadata_diagnostics(list, obj, base, out);
}

/// Whether a field's value is a string, or an array of strings (multiselect): where an
/// `${env:NAME}` reference may stand for the value.
pub(crate) fn is_string_valued(field: &FieldMeta) -> bool {
    matches!(
        field.ty,
        FieldType::String
            | FieldType::Uri
            | FieldType::Enum
            | FieldType::DynamicEnum
            | FieldType::Multiselect
    )
}

/// Whether `v` is a string that is, or starts like, an `${env:NAME}` reference.
fn is_reference_like(v: &Value) -> bool {
    v.as_str().is_some_and(|s| env_ref(s) != EnvRef::Literal)
}

/// [`Code::InvalidEnvReference`] for every malformed reference in a string-valued field.
fn reference_diagnostics(
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    out: &mut Vec<Diagnostic>,
) {
    let malformed = |v: &Value| v.as_str().is_some_and(|s| env_ref(s) == EnvRef::Malformed);
    let diagnostic = |at: String| {
        Diagnostic::error(
            Code::InvalidEnvReference,
            at,
            "the value starts like an environment reference but is not one",
        )
        .with_suggestion("write it as \"${env:NAME}\", NAME of letters, digits and _")
    };
    for (key, value) in obj {
        if !list.field(key).is_some_and(is_string_valued) {
            continue;
        }
        let at = pointer::push(base, key);
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if malformed(item) {
                        out.push(diagnostic(pointer::push_index(&at, i)));
                    }
                }
            }
            v if malformed(v) => out.push(diagnostic(at)),
            _ => {}
        }
    }
}

fn schema_diagnostics(
    list: &FormList,
    validator: &jsonschema::Validator,
    value: &Value,
    base: &str,
    references: bool,
    out: &mut Vec<Diagnostic>,
) {
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    let mut found: Vec<Diagnostic> = Vec::new();
    for error in validator.iter_errors(value) {
        let rel = error.instance_path().as_str();
        let at = format!("{base}{rel}");
        let instance: &Value = error.instance();
        let field = rel
            .split('/')
            .nth(1)
            .map(|t| ldic_catalog::pointer::unescape_token(t).into_owned())
            .and_then(|k| list.field(&k));
        let secret = field.is_some_and(|f| f.is_secret);
        if references
            && field.is_some_and(is_string_valued)
            && is_reference_like(instance)
            && !matches!(error.kind(), K::Type { .. })
        {
            // A reference stands for a value of the field's type; its syntax is checked by
            // `reference_diagnostics`.
            continue;
        }
        let d = match error.kind() {
            K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
                let known = || list.fields.iter().map(|f| f.key.as_ref());
                for name in unexpected {
                    let mut d = Diagnostic::error(
                        Code::UnknownField,
                        pointer::push(&at, name),
                        format!(
                            "unknown field \"{name}\": not a field of {} {}",
                            list.integration_key, list.kind
                        ),
                    )
                    .on_key();
                    if let Some(s) = suggest::did_you_mean(name, known()) {
                        d = d.with_suggestion(s);
                    }
                    if let Some(object) = instance.as_object() {
                        d = d.with_fix(Fix::rename(name, known(), object));
                    }
                    found.push(d);
                }
                continue;
            }
            K::Required { property } => {
                let name = property.as_str().unwrap_or("");
                if list.field(name).is_some() {
                    // Decided from the metadata, where dependsOn and set-by-LaunchDarkly are known.
                    continue;
                }
                Diagnostic::error(
                    Code::MissingRequired,
                    at.clone(),
                    format!("missing required field \"{name}\""),
                )
            }
            K::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => json_type_name(*t).to_owned(),
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(json_type_name)
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                let fix = match kind {
                    TypeKind::Single(jsonschema::JsonType::Boolean) if !secret => {
                        Fix::boolean(instance)
                    }
                    _ => None,
                };
                Diagnostic::error(
                    Code::WrongType,
                    at.clone(),
                    format!("expected {expected}, found {}", json_type_of(instance)),
                )
                .with_fix(fix)
            }
            K::Enum { options } => {
                not_allowed(&at, options.as_array().map(Vec::as_slice), instance, secret)
            }
            K::Constant { expected_value } => not_allowed(
                &at,
                Some(std::slice::from_ref(&**expected_value)),
                instance,
                secret,
            ),
            K::Format { format } if format == "uri" || format == "uri-reference" => {
                Diagnostic::error(
                    Code::InvalidUri,
                    at.clone(),
                    "expected an absolute URI such as \"https://example.com/path\"; the value is not one",
                )
            }
            K::Format { format } => Diagnostic::error(
                Code::SchemaViolation,
                at.clone(),
                format!("the value is not a valid \"{format}\""),
            ),
            K::UniqueItems => {
                let (dup, first) = first_duplicate(instance).unwrap_or((0, 0));
                Diagnostic::error(
                    Code::DuplicateItem,
                    pointer::push_index(&at, dup),
                    format!("item {dup} repeats item {first}; each value may appear only once"),
                )
            }
            K::MinLength { limit: 1 } if instance.as_str() == Some("") => {
                Diagnostic::error(Code::EmptyValue, at.clone(), "must not be empty")
            }
            K::FalseSchema => {
                let name = rel.rsplit('/').next().unwrap_or("");
                Diagnostic::error(
                    Code::UnknownField,
                    at.clone(),
                    format!("field \"{name}\" is not allowed here"),
                )
                .on_key()
            }
            other => Diagnostic::error(
                Code::SchemaViolation,
                at.clone(),
                format!("breaks the schema's \"{}\" rule", other.keyword()),
            ),
        };
        found.push(d);
    }
    // One mistake, one diagnostic: per pointer keep the most basic problem, and drop problems
    // below a value that already has the wrong type.
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(found.len());
    for d in found {
        let below_wrong_type = kept.iter().any(|k| {
            k.code == Code::WrongType
                && d.pointer.len() > k.pointer.len()
                && d.pointer.starts_with(&k.pointer)
                && d.pointer.as_bytes().get(k.pointer.len()) == Some(&b'/')
        });
        if below_wrong_type {
            continue;
        }
        if let Some(existing) = kept
            .iter_mut()
            .find(|k| k.pointer == d.pointer && k.on_key == d.on_key)
        {
            if rank(d.code) < rank(existing.code) {
                *existing = d;
            }
            continue;
        }
        kept.push(d);
    }
    out.extend(kept);
}

fn not_allowed(at: &str, options: Option<&[Value]>, instance: &Value, secret: bool) -> Diagnostic {
    let options = options.unwrap_or(&[]);
    let choices: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
    let mut d = Diagnostic::error(
        Code::NotAllowed,
        at,
        format!(
            "the value is not one of the allowed values: {}",
            quote_list(choices.iter().copied())
        ),
    );
    if !secret
        && let Some(s) = instance.as_str()
        && let Some(choice) = choices
            .iter()
            .find(|c| c.eq_ignore_ascii_case(s))
            .copied()
            .or_else(|| suggest::nearest(s, choices.iter().copied()))
    {
        d = d.with_suggestion(format!("did you mean \"{choice}\"?"));
        d = d.with_fix(Fix::choice(s, &choices));
    }
    d
}

/// `(index of the repeat, index of the first occurrence)` of the first repeated item.
fn first_duplicate(v: &Value) -> Option<(usize, usize)> {
    let items = v.as_array()?;
    for (j, item) in items.iter().enumerate() {
        if let Some(i) = items[..j].iter().position(|x| x == item) {
            return Some((j, i));
        }
    }
    None
}

fn metadata_diagnostics(
    list: &FormList,
    obj: &Map<String, Value>,
    base: &str,
    out: &mut Vec<Diagnostic>,
) {
    for field in list.fields.iter() {
        let present = obj.contains_key(field.key.as_ref());
        let vis = visibility(field, list, obj);
        if present {
            let at = pointer::push(base, &field.key);
            if field.ty.is_set_by_launchdarkly() {
                out.push(Diagnostic::warning(
                    Code::SetByLaunchDarkly,
                    at,
                    format!(
                        "\"{}\" is a {} field: LaunchDarkly sets its value, so the value given here may be replaced",
                        field.key, field.ty
                    ),
                ).with_suggestion(format!("remove \"{}\"", field.key)));
            } else if vis == Visibility::Hidden {
                let why = if field.depends_on.is_empty() {
                    "is hidden in LaunchDarkly's form".to_owned()
                } else {
                    let deps: Vec<&str> = field
                        .depends_on
                        .iter()
                        .map(|d| d.variable_key.as_ref())
                        .collect();
                    format!("is hidden by the value of {}", quote_list(deps))
                };
                out.push(
                    Diagnostic::warning(
                        Code::HiddenField,
                        at,
                        format!(
                            "\"{}\" {why}, so the value given here may be ignored",
                            field.key
                        ),
                    )
                    .with_suggestion(format!("remove \"{}\"", field.key)),
                );
            }
        } else if field.is_required_when_shown() && vis == Visibility::Visible {
            let mut msg = format!("missing required field \"{}\"", field.key);
            if field.ty == FieldType::Enum && !field.allowed_values.is_empty() {
                msg.push_str(&format!(" (one of {})", quote_list(field.allowed())));
            }
            out.push(Diagnostic::error(Code::MissingRequired, base, msg));
        }
    }
}

/// A default value that applies to an absent field.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedDefault {
    /// JSON pointer of the field, relative to the checked `configValues` object (`/region`).
    pub pointer: String,
    /// The field key.
    pub field: String,
    /// The default value (from the manifest; manifests are public, so never a user secret).
    pub value: Value,
}

impl AppliedDefault {
    /// This default as a [`Code::DefaultApplies`] warning, for tools that want to show defaults
    /// alongside the problems of a report. `validate` never adds these by itself.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::warning(
            Code::DefaultApplies,
            self.pointer.clone(),
            format!(
                "\"{}\" is absent, so its default {} applies",
                self.field, self.value
            ),
        )
    }
}

/// Defaults that apply to `obj`: absent fields that have a default and are not hidden or set by
/// LaunchDarkly.
pub(crate) fn defaults(list: &FormList, obj: &Map<String, Value>) -> Vec<AppliedDefault> {
    list.fields
        .iter()
        .filter(|f| !obj.contains_key(f.key.as_ref()) && !f.ty.is_set_by_launchdarkly())
        .filter(|f| visibility(f, list, obj) != Visibility::Hidden)
        .filter_map(|f| {
            Some(AppliedDefault {
                pointer: pointer::push("", &f.key),
                field: f.key.to_string(),
                value: f.default_value()?,
            })
        })
        .collect()
}
