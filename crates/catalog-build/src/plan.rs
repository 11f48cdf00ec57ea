//! Every name and type decision for the catalog, made once, before any code or schema is emitted.
//!
//! The Rust emitter and the schema emitter both read a [`CatalogPlan`], so the struct and the
//! JSON Schema of a list can never disagree about which fields exist, which are required and
//! what values they allow.

use crate::PlanError;
use crate::naming::{Case, NameSpace};
use ldic_manifest::facts::{
    FieldType, FormListFacts, FormListKind, FormVariableFacts, IntegrationFacts,
};
use serde_json::Value;

/// Names no generated module may take (they would clash with `crates/catalog/src/lib.rs`'s glob
/// re-exports or with crates the generated code names).
const RESERVED_MODULES: &[&str] = &[
    "alloc",
    "core",
    "generated",
    "ldic_catalog_core",
    "serde",
    "serde_json",
    "serde_support",
    "std",
    "url",
];

/// Prelude and derive-related names no generated type may take, so that generated code can name
/// `String`, `Option`, `Vec`, `Result` unqualified.
const RESERVED_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The whole catalog: integrations sorted by key.
#[derive(Debug, Clone)]
pub struct CatalogPlan<'a> {
    /// Every integration, sorted by key.
    pub integrations: Vec<IntegrationPlan<'a>>,
}

/// One integration: its module and its lists.
#[derive(Debug, Clone)]
pub struct IntegrationPlan<'a> {
    /// The integration's facts.
    pub facts: &'a IntegrationFacts,
    /// The module name under `ldic_catalog::` (`servicenow_normal`).
    pub module: String,
    /// Its lists, in `FormListKind::ALL` order.
    pub lists: Vec<ListPlan<'a>>,
}

/// One form-variable list: one struct, one schema file.
#[derive(Debug, Clone)]
pub struct ListPlan<'a> {
    /// The list's facts.
    pub facts: &'a FormListFacts,
    /// Where in the manifest the list is.
    pub kind: FormListKind,
    /// `DatadogConfig`.
    pub struct_name: String,
    /// The `FormList` static: `FORM_VARIABLES`.
    pub static_name: &'static str,
    /// File name under `crates/catalog/schemas/`: `servicenow-normal.environment.schema.json`.
    pub schema_file: String,
    /// False for the empty `formVariables` struct generated for an integration whose manifest
    /// declares no form-variable list at all: the struct exists (and accepts only `{}`), but
    /// `Integration::lists` keeps listing only what the manifest declares.
    pub declared: bool,
    /// The fields, in manifest order.
    pub fields: Vec<FieldPlan<'a>>,
    /// The field that keeps the members this catalog does not know
    /// ([`UNKNOWN_FIELDS_FIELD`], claimed before any variable's field, so no key ever renames
    /// it).
    pub unknown_fields: String,
}

/// The Rust shape of one form variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldShape {
    /// `String` (`string`, `dynamicEnum`).
    Text,
    /// `ldic_catalog_core::Secret` (an isSecret `string`, `dynamicEnum` or `uri`).
    Secret,
    /// `ldic_catalog_core::Uri`.
    Uri,
    /// `bool`.
    Bool,
    /// A generated enum.
    Enum,
    /// `Vec` of a generated enum, items unique.
    Multiselect,
    /// `serde_json::Value`: `environmentSelector` and unknown types.
    AnyJson,
    /// `Option<String>`: `generated`, `oauth`, `publicKey` (set by LaunchDarkly).
    SetByLaunchDarkly,
}

/// One field of a generated struct.
#[derive(Debug, Clone)]
pub struct FieldPlan<'a> {
    /// The variable's facts.
    pub var: &'a FormVariableFacts,
    /// The Rust field name (`host_url`).
    pub rust_name: String,
    /// The Rust type's shape.
    pub shape: FieldShape,
    /// In the schema's `required` and a non-`Option` field; see `FormVariableFacts::is_required` (the rule lives in `ldic_catalog_core::required`).
    pub required: bool,
    /// The default as JSON (`defaultValue`, or a multiselect's default options).
    pub default: Option<Value>,
    /// For `Enum` and `Multiselect`.
    pub enum_type: Option<EnumPlan>,
    /// Name of the `<field>_or_default` accessor, when the default fits the type.
    pub default_accessor: Option<String>,
    /// Name of the `with_<field>` builder method of a non-required field (required fields are
    /// parameters of `new`).
    pub setter: Option<String>,
}

/// A generated enum.
#[derive(Debug, Clone)]
pub struct EnumPlan {
    /// The enum's Rust name (`HostUrl`).
    pub name: String,
    /// Variants in manifest order, values deduplicated (first wins).
    pub variants: Vec<VariantPlan>,
    /// The catch-all variant holding a value this catalog does not know ([`CATCH_ALL_VARIANT`],
    /// claimed before any value so that a new upstream value never renames it).
    pub catch_all: String,
}

/// The name of every generated enum's catch-all variant (a value named `Unknown` upstream
/// becomes `Unknown2`).
pub const CATCH_ALL_VARIANT: &str = "Unknown";

/// The name of every generated struct's field that keeps the members of a document the struct
/// does not know (`ldic_catalog_core::UnknownFields`); a variable whose key is spelled the same
/// gets a suffixed name.
pub const UNKNOWN_FIELDS_FIELD: &str = "unknown_fields";

/// Method names of a generated struct that no field accessor or builder method may take.
const RESERVED_METHODS: &[&str] = &["new"];

/// One value of a generated enum.
#[derive(Debug, Clone)]
pub struct VariantPlan {
    /// The variant's Rust name.
    pub name: String,
    /// The value's manifest spelling.
    pub value: String,
    /// A multiselect option's label.
    pub label: Option<String>,
}

fn shape_of(var: &FormVariableFacts) -> FieldShape {
    match var.ty {
        FieldType::String | FieldType::DynamicEnum if var.is_secret => FieldShape::Secret,
        FieldType::String | FieldType::DynamicEnum => FieldShape::Text,
        FieldType::Uri if var.is_secret => FieldShape::Secret,
        FieldType::Uri => FieldShape::Uri,
        FieldType::Boolean => FieldShape::Bool,
        FieldType::Enum => FieldShape::Enum,
        FieldType::Multiselect => FieldShape::Multiselect,
        FieldType::Generated | FieldType::Oauth | FieldType::PublicKey => {
            FieldShape::SetByLaunchDarkly
        }
        FieldType::EnvironmentSelector | FieldType::Unknown(_) => FieldShape::AnyJson,
    }
}

/// The allowed values of an enum or multiselect, deduplicated, with labels.
pub fn allowed_values(var: &FormVariableFacts) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let candidates: Vec<(String, Option<String>)> = match var.ty {
        FieldType::Multiselect => var
            .multiselect_options
            .iter()
            .map(|o| (o.value.clone(), Some(o.label.clone())))
            .collect(),
        _ => var
            .allowed_values
            .iter()
            .map(|v| (v.clone(), None))
            .collect(),
    };
    for (value, label) in candidates {
        if !out.iter().any(|(seen, _)| *seen == value) {
            out.push((value, label));
        }
    }
    out
}

/// Whether the default fits the Rust type, so a typed `<field>_or_default` can be generated.
fn default_is_typed(shape: &FieldShape, default: &Value, enum_type: Option<&EnumPlan>) -> bool {
    let has_variant = |v: &Value| {
        enum_type.is_some_and(|e| {
            e.variants
                .iter()
                .any(|x| Some(x.value.as_str()) == v.as_str())
        })
    };
    match shape {
        FieldShape::Text | FieldShape::Secret | FieldShape::SetByLaunchDarkly => {
            default.is_string()
        }
        FieldShape::Uri => default.as_str().is_some_and(|s| url::Url::parse(s).is_ok()),
        FieldShape::Bool => default.is_boolean(),
        FieldShape::Enum => has_variant(default),
        FieldShape::Multiselect => default.as_array().is_some_and(|items| {
            items.iter().all(has_variant)
                && items
                    .iter()
                    .enumerate()
                    .all(|(i, item)| !items[..i].contains(item))
        }),
        FieldShape::AnyJson => false,
    }
}

/// Schema file name: the key when it is a plain file name, else its safe spelling.
fn schema_file_stem(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Plan the catalog. Integrations are sorted by key; names are claimed in that order.
pub fn plan_catalog(facts: &[IntegrationFacts]) -> Result<CatalogPlan<'_>, PlanError> {
    let mut sorted: Vec<&IntegrationFacts> = facts.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for pair in sorted.windows(2) {
        if pair[0].key == pair[1].key {
            return Err(PlanError::DuplicateKey(pair[0].key.clone()));
        }
    }
    let mut modules = NameSpace::with_reserved(RESERVED_MODULES);
    let mut schema_files = NameSpace::new();
    let mut integrations = Vec::with_capacity(sorted.len());
    for integration in sorted {
        let module = modules.claim(&integration.key, Case::Snake);
        integrations.push(plan_integration(integration, module, &mut schema_files)?);
    }
    Ok(CatalogPlan { integrations })
}

/// The list planned for an integration that declares none.
static EMPTY_FORM_VARIABLES: FormListFacts = FormListFacts {
    kind: FormListKind::FormVariables,
    variables: Vec::new(),
};

fn plan_integration<'a>(
    facts: &'a IntegrationFacts,
    module: String,
    schema_files: &mut NameSpace,
) -> Result<IntegrationPlan<'a>, PlanError> {
    let type_prefix = crate::naming::rust_name(&module, Case::UpperCamel);
    let type_prefix = type_prefix.trim_end_matches('_').to_owned();
    let mut types = NameSpace::with_reserved(RESERVED_TYPES);
    let declared = !facts.form_lists.is_empty();
    let planned_lists: Vec<&'a FormListFacts> = if declared {
        facts.form_lists.iter().collect()
    } else {
        vec![&EMPTY_FORM_VARIABLES]
    };
    // Struct names first, so an enum never takes a struct's name.
    let struct_names = claim_struct_names(facts, &planned_lists, &type_prefix, &mut types)?;
    let mut lists = Vec::new();
    for (list, struct_name) in planned_lists.into_iter().zip(struct_names) {
        let stem = schema_file_stem(&facts.key);
        // File names are claimed like identifiers so two keys never share a file.
        let schema_stem = schema_files.claim_exact(
            format!("{stem}{}", list.kind.schema_file_suffix()),
            Case::Snake,
        );
        let mut field_names = NameSpace::new();
        let unknown_fields = field_names.claim_exact(UNKNOWN_FIELDS_FIELD.to_owned(), Case::Snake);
        let mut names = ListNames {
            types: &mut types,
            fields: field_names,
            methods: NameSpace::with_reserved(RESERVED_METHODS),
        };
        let fields = list
            .variables
            .iter()
            .enumerate()
            .map(|(idx, var)| {
                let pointer = format!("{}/{idx}", list.kind.manifest_pointer());
                plan_field(&facts.key, &pointer, var, &mut names)
            })
            .collect::<Result<Vec<_>, _>>()?;
        lists.push(ListPlan {
            facts: list,
            kind: list.kind,
            struct_name,
            static_name: list.kind.static_name(),
            schema_file: format!("{schema_stem}.schema.json"),
            declared,
            fields,
            unknown_fields,
        });
    }
    Ok(IntegrationPlan {
        facts,
        module,
        lists,
    })
}

/// One struct name per list (`<Prefix><kind suffix>`), claimed before any enum name; a list
/// kind given twice is an error.
fn claim_struct_names(
    facts: &IntegrationFacts,
    lists: &[&FormListFacts],
    type_prefix: &str,
    types: &mut NameSpace,
) -> Result<Vec<String>, PlanError> {
    let mut seen_kinds = Vec::new();
    let mut struct_names = Vec::new();
    for list in lists {
        if seen_kinds.contains(&list.kind) {
            return Err(PlanError::DuplicateList {
                key: facts.key.clone(),
                pointer: list.kind.manifest_pointer(),
            });
        }
        seen_kinds.push(list.kind);
        struct_names.push(types.claim_exact(
            format!("{type_prefix}{}", list.kind.type_suffix()),
            Case::UpperCamel,
        ));
    }
    Ok(struct_names)
}

/// The name spaces a list's fields are named in: the integration's types (shared by its
/// lists), and the list struct's fields and methods.
struct ListNames<'t> {
    types: &'t mut NameSpace,
    fields: NameSpace,
    methods: NameSpace,
}

/// Every name and type of one variable (at `pointer` of integration `key`).
fn plan_field<'a>(
    key: &str,
    pointer: &str,
    var: &'a FormVariableFacts,
    names: &mut ListNames<'_>,
) -> Result<FieldPlan<'a>, PlanError> {
    for rule in &var.depends_on {
        if FormListKind::from_variable_location(&rule.variable_location).is_none() {
            return Err(PlanError::UnknownVariableLocation {
                key: key.to_owned(),
                pointer: format!("{pointer}/dependsOn"),
                location: rule.variable_location.clone(),
            });
        }
    }
    let rust_name = names.fields.claim(&var.key, Case::Snake);
    let shape = shape_of(var);
    let enum_type = match shape {
        FieldShape::Enum | FieldShape::Multiselect => Some(plan_enum(var, names.types)),
        _ => None,
    };
    let default = var.effective_default();
    let required = var.is_required();
    let default_accessor = match &default {
        Some(d) if !required && default_is_typed(&shape, d, enum_type.as_ref()) => Some(
            names
                .methods
                .claim(&format!("{rust_name} or default"), Case::Snake),
        ),
        _ => None,
    };
    let setter = (!required).then(|| {
        names
            .methods
            .claim(&format!("with {rust_name}"), Case::Snake)
    });
    Ok(FieldPlan {
        var,
        rust_name,
        shape,
        required,
        default,
        enum_type,
        default_accessor,
        setter,
    })
}

/// The enum of an `enum` or `multiselect` variable: its type name, the catch-all variant
/// (claimed first, so no value ever renames it), then one variant per allowed value.
fn plan_enum(var: &FormVariableFacts, types: &mut NameSpace) -> EnumPlan {
    let name = types.claim(&var.key, Case::UpperCamel);
    let mut variants_ns = NameSpace::new();
    let catch_all = variants_ns.claim_exact(CATCH_ALL_VARIANT.to_owned(), Case::UpperCamel);
    let variants = allowed_values(var)
        .into_iter()
        .map(|(value, label)| VariantPlan {
            name: variants_ns.claim(&value, Case::UpperCamel),
            value,
            label,
        })
        .collect();
    EnumPlan {
        name,
        variants,
        catch_all,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_spelled_like_the_unknown_fields_field_gets_another_name() {
        let mut facts = IntegrationFacts::new("acme", "Acme", "1.0.0");
        facts.form_lists = vec![FormListFacts {
            kind: FormListKind::FormVariables,
            variables: vec![
                FormVariableFacts::new("unknownFields", "Unknown fields", FieldType::String),
                FormVariableFacts::new("apiKey", "API key", FieldType::String),
            ],
        }];
        let facts = [facts];
        let plan = plan_catalog(&facts).unwrap();
        let list = &plan.integrations[0].lists[0];
        assert_eq!(list.unknown_fields, UNKNOWN_FIELDS_FIELD);
        let names: Vec<&str> = list.fields.iter().map(|f| f.rust_name.as_str()).collect();
        assert_eq!(names, ["unknown_fields_2", "api_key"]);
    }
}
