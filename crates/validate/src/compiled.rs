//! What a list compiles to, once, into its own slot: its JSON Schema (the reference check) and
//! the [`Plan`] read by the one pass over the text ([`crate::text`]) and the error walker
//! ([`crate::walker`]).
//!
//! The slot ([`CompiledSlot`](ldic_catalog::CompiledSlot)) belongs to the list, so the compiled
//! state is reached without a lock or a lookup (one atomic load once filled) and dropped with
//! the list, for built-in and run-time-loaded catalogs alike.
//!
//! The plan restates the schema's properties as checks the walker can run without the schema:
//! a type, a string among allowed values (folded once for suggestions), a unique array of
//! allowed strings, or a property subschema compiled alone (`format: uri`). A schema with a
//! keyword the plan does not know gets no plan, and its documents take the reference check.

use crate::Text;
use crate::suggest::NameIndex;
use ldic_catalog::{FieldMeta, FieldType, FormList};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A list's schema, compiled; or why it could not be (a codegen bug, reported as a diagnostic).
pub(crate) struct Compiled {
    pub(crate) validator: Result<jsonschema::Validator, String>,
    /// `None`: every document takes the reference check.
    pub(crate) plan: Option<Plan>,
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
    match in_slot(list) {
        Some(compiled) => CompiledRef::Slot(compiled),
        None => CompiledRef::Fresh(Box::new(compile(list))),
    }
}

/// The compiled state of `list` in its slot (compiled on first use), or `None` if the slot holds
/// something else: for a caller that can leave that case to [`compiled`], with no
/// [`CompiledRef`] to drop.
pub(crate) fn in_slot(list: &FormList) -> Option<&Compiled> {
    list.compiled.get_or_init(|| compile(list))
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
    let plan = match (&schema, &validator) {
        (Ok(schema), Ok(_)) => Plan::build(list, schema),
        _ => None,
    };
    Compiled {
        validator,
        plan,
        _live: LiveToken::new(),
    }
}

/// Compile the schema of `list` now (normally done on first use), e.g. to keep the first check
/// of a latency-sensitive path fast. Returns whether the schema compiled.
pub fn precompile(list: &FormList) -> bool {
    compiled(list).validator.is_ok()
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

/// The checks of one list's schema, in schema order, with what the metadata adds.
pub(crate) struct Plan {
    pub(crate) props: Vec<Prop>,
    /// The properties' keys, in the order of `props` (a `Prop` holds none), side by side: the
    /// search for a member's property reads these (16 bytes each), not the larger `Prop`s.
    keys: Box<[Box<str>]>,
    /// Whether some field of the list has no property in the schema: only then can a key that
    /// is not a property name a field.
    pub(crate) field_without_prop: bool,
    /// Bit `i`: property `i` is required (by the schema, or by the metadata's rule unless the
    /// field is hidden without a `dependsOn` rule): with all of them present, no field is
    /// missing.
    pub(crate) must_be_present: u64,
    /// The list's field keys, folded once: unknown-field suggestions and fixes.
    pub(crate) fields: NameIndex,
    /// For each field of the list (in its order), its property, if the schema has one.
    pub(crate) prop_of_field: Vec<Option<usize>>,
    /// For each field of the list (in its order), the message of its absence when required
    /// ([`crate::violations::missing_required_message`]), shared by every report that says it.
    missing_required: Box<[Text]>,
}

/// One property of the schema; its key is the plan's (`Plan::keys`, same index).
pub(crate) struct Prop {
    /// `/<key>`: the pointer of the member in a checked `configValues` object, built once and
    /// shared by every diagnostic about it.
    pub(crate) pointer: Text,
    pub(crate) check: Check,
    /// A value here may draw a metadata diagnostic (hidden field, `dependsOn` rule, field set
    /// by LaunchDarkly): the one pass over the text leaves the document to the full check.
    pub(crate) unsure_if_present: bool,
    /// A string-valued field, where an `${env:NAME}` reference may stand for the value.
    pub(crate) string_valued: bool,
    /// A secret field: no suggestion or fix may read its value.
    pub(crate) secret: bool,
    /// The field of the list this property is (its index), if it is one.
    pub(crate) field: Option<usize>,
}

/// The check of one property's value, from its subschema.
pub(crate) enum Check {
    /// No assertion keyword: any JSON value.
    Any,
    /// `{"type": "string"}`.
    String,
    /// `{"type": "boolean"}`.
    Boolean,
    /// `{"type": "string", "enum": [strings]}`.
    Enum(NameIndex),
    /// `{"type": "array", "items": {"type": "string", "enum": [strings]}, "uniqueItems": true}`,
    /// at most 128 allowed values.
    UniqueEnumArray(NameIndex),
    /// `{"type": "string", "format": "uri"}`, compiled alone (as [`Check::Subschema`]): it
    /// decides validity, and its only possible errors are known (a string that is not a URI,
    /// a value that is not a string), so the walker reports them without asking for them.
    Uri(jsonschema::Validator),
    /// Any other self-contained subschema (e.g. `"format": "date"`): compiled alone with the
    /// options of the list's schema, it decides on the value (and gives its errors) exactly as
    /// the full schema does under this property.
    Subschema(jsonschema::Validator),
    /// A subschema that cannot be checked alone (references): the reference check decides.
    Unsure,
}

/// Keywords without an effect on validity.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$comment",
];

impl Plan {
    /// The message of field `i` of the list missing when required.
    pub(crate) fn missing_required_message(&self, i: usize) -> Option<Text> {
        self.missing_required.get(i).cloned()
    }

    /// The plan of `list` whose (compiling) schema is `schema`; `None` when the top level of
    /// the schema holds a keyword the plan does not handle, or requires a name that is not a
    /// field of the list (every document takes the reference check).
    pub(crate) fn build(list: &FormList, schema: &Value) -> Option<Plan> {
        let top = schema.as_object()?;
        for (keyword, v) in top {
            match keyword.as_str() {
                "$comment" | "$id" | "$schema" | "title" | "description" | "properties"
                | "required" => {}
                "type" if v == "object" => {}
                "additionalProperties" if v == &Value::Bool(false) => {}
                _ => return None,
            }
        }
        let empty = serde_json::Map::new();
        let properties = match top.get("properties") {
            Some(p) => p.as_object()?,
            None => &empty,
        };
        if properties.len() > 64 {
            return None;
        }
        let props: Vec<Prop> = properties
            .iter()
            .map(|(key, sub)| {
                let field_index = list.fields.iter().position(|f| f.key == *key);
                let field = field_index.and_then(|i| list.fields.get(i));
                Prop {
                    field: field_index,
                    pointer: Text::shared(&crate::pointer::push("", key)),
                    check: check_of(sub),
                    unsure_if_present: field.is_some_and(|f| {
                        !f.depends_on.is_empty() || f.is_hidden || f.ty.is_set_by_launchdarkly()
                    }),
                    string_valued: field.is_some_and(is_string_valued),
                    secret: field.is_some_and(|f| f.is_secret),
                }
            })
            .collect();
        let keys: Box<[Box<str>]> = properties.keys().map(|k| Box::from(k.as_str())).collect();
        let bit = |key: &str| keys.iter().position(|k| **k == *key).map(|i| 1u64 << i);
        let mut must_be_present = 0u64;
        if let Some(required) = top.get("required") {
            for name in required.as_array()? {
                let name = name.as_str()?;
                // A required name that is not a field is reported from the schema's error.
                list.field(name)?;
                must_be_present |= bit(name)?;
            }
        }
        for field in list.fields.iter() {
            // The metadata's rule (`config_values::Members::finish`): an absent field that is
            // required when shown is missing when visible; with a `dependsOn` rule its
            // visibility depends on the document (absent, the one pass over the text leaves it
            // to the full check; present, it is unsure anyway: such a field always falls back).
            if field.is_required_when_shown() && (!field.depends_on.is_empty() || !field.is_hidden)
            {
                must_be_present |= bit(&field.key)?;
            }
        }
        let prop_of_field: Vec<Option<usize>> = list
            .fields
            .iter()
            .map(|f| keys.iter().position(|k| **k == *f.key))
            .collect();
        Some(Plan {
            keys,
            field_without_prop: prop_of_field.iter().any(Option::is_none),
            props,
            must_be_present,
            fields: NameIndex::of(list.fields.iter().map(|f| f.key.clone())),
            prop_of_field,
            missing_required: list
                .fields
                .iter()
                .map(|f| {
                    let message =
                        crate::violations::missing_required_message(f, &list.integration_key);
                    Text::shared(&message)
                })
                .collect(),
        })
    }

    /// The index of the property `key`.
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| **k == *key)
    }
}

fn check_of(sub: &Value) -> Check {
    let Some(obj) = sub.as_object() else {
        return match sub {
            Value::Bool(true) => Check::Any,
            _ => Check::Unsure,
        };
    };
    let assertions: Vec<(&str, &Value)> = obj
        .iter()
        .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let get = |name: &str| assertions.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let ty = get("type").and_then(Value::as_str);
    let simple = match (assertions.len(), ty) {
        (0, _) => Some(Check::Any),
        (1, Some("string")) => Some(Check::String),
        (1, Some("boolean")) => Some(Check::Boolean),
        (2, Some("string")) => get("enum").and_then(string_enum).map(Check::Enum),
        (3, Some("array")) if get("uniqueItems") == Some(&Value::Bool(true)) => get("items")
            .and_then(|items| match check_of(items) {
                Check::Enum(allowed) if allowed.len() <= 128 => {
                    Some(Check::UniqueEnumArray(allowed))
                }
                _ => None,
            }),
        _ => None,
    };
    if let Some(check) = simple {
        return check;
    }
    if has_reference(sub) {
        return Check::Unsure;
    }
    let uri = assertions.len() == 2
        && ty == Some("string")
        && get("format").and_then(Value::as_str) == Some("uri");
    match compile_schema(sub) {
        Ok(validator) if uri => Check::Uri(validator),
        Ok(validator) => Check::Subschema(validator),
        Err(_) => Check::Unsure,
    }
}

/// The strings of an `enum` made only of strings, folded once.
fn string_enum(v: &Value) -> Option<NameIndex> {
    let values: Vec<&str> = v
        .as_array()?
        .iter()
        .map(Value::as_str)
        .collect::<Option<_>>()?;
    Some(NameIndex::new(values))
}

/// Whether a subschema uses a `$` keyword other than `$comment` (`$ref`, `$id`, anchors...),
/// i.e. could mean something else when compiled alone.
fn has_reference(v: &Value) -> bool {
    match v {
        Value::Object(obj) => obj
            .iter()
            .any(|(k, v)| (k.starts_with('$') && k != "$comment") || has_reference(v)),
        Value::Array(items) => items.iter().any(has_reference),
        _ => false,
    }
}
