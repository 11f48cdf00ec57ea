//! Planned lists as catalog values: the field metadata, lists and integrations that codegen
//! writes out as `static` items and that a catalog loaded at run time holds.
//!
//! Codegen turns exactly these values into tokens (`ldic_codegen::rust`), so a generated
//! integration and the same facts loaded at run time have equal metadata by construction.

use crate::PlanError;
use crate::plan::{FieldPlan, IntegrationPlan, ListPlan, allowed_values, plan_catalog};
use crate::schema;
use ldic_catalog_core::{
    CompiledSlot, Condition, DependsOn, FieldMeta, FormList, FormListKind, FormLists, Integration,
};
use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use std::borrow::Cow;

fn owned(text: &str) -> Cow<'static, str> {
    Cow::Owned(text.to_owned())
}

/// The metadata of one planned field.
pub fn field_meta(field: &FieldPlan<'_>) -> FieldMeta {
    let var = field.var;
    let allowed = allowed_values(var);
    FieldMeta {
        key: owned(&var.key),
        rust_name: owned(&field.rust_name),
        label: owned(&var.label),
        ty: var.ty.clone(),
        is_secret: var.is_secret,
        is_optional: var.is_optional,
        is_hidden: var.is_hidden,
        required: field.required,
        default_json: field.default.as_ref().map(|v| Cow::Owned(v.to_string())),
        allowed_values: allowed.iter().map(|(value, _)| owned(value)).collect(),
        option_labels: allowed
            .iter()
            .filter_map(|(_, label)| label.as_deref())
            .map(owned)
            .collect(),
        placeholder: var.placeholder.as_deref().map(owned),
        depends_on: var
            .depends_on
            .iter()
            .map(|rule| DependsOn {
                variable_key: owned(&rule.variable_key),
                // `plan_catalog` refused an unknown location.
                variable_list: FormListKind::from_variable_location(&rule.variable_location)
                    .unwrap_or(FormListKind::FormVariables),
                action: rule.action,
                conditions: rule
                    .conditions
                    .iter()
                    .map(|c| Condition {
                        operator: c.operator,
                        value: owned(&c.value),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// One planned list with its fields and JSON Schema text (the text of its schema file).
pub fn form_list(integration: &IntegrationPlan<'_>, list: &ListPlan<'_>) -> FormList {
    FormList {
        integration_key: owned(&integration.facts.key),
        kind: list.kind,
        type_name: owned(&list.struct_name),
        fields: list.fields.iter().map(field_meta).collect(),
        schema_json: Cow::Owned(schema::schema_text(&schema::list_schema(integration, list))),
        compiled: CompiledSlot::new(),
    }
}

/// One planned integration holding `lists` (codegen passes none and writes references to the
/// list statics instead).
pub fn integration_with(
    plan: &IntegrationPlan<'_>,
    lock: &UpstreamLock,
    lists: FormLists,
) -> Integration {
    let facts = plan.facts;
    let mut capabilities = facts.capabilities.clone();
    capabilities.sort();
    capabilities.dedup();
    Integration {
        key: owned(&facts.key),
        name: owned(&facts.name),
        version: owned(&facts.version),
        // API-sourced facts have no public manifest: an empty URL.
        manifest_url: Cow::Owned(lock.manifest_url(&facts.manifest_path).unwrap_or_default()),
        capabilities: capabilities.into_iter().map(Cow::Owned).collect(),
        lists,
    }
}

/// One planned integration with the lists its manifest declares.
pub fn integration(plan: &IntegrationPlan<'_>, lock: &UpstreamLock) -> Integration {
    let lists = plan
        .lists
        .iter()
        .filter(|l| l.declared)
        .map(|l| form_list(plan, l))
        .collect();
    integration_with(plan, lock, FormLists::Owned(lists))
}

/// Every integration of a set of facts, sorted by key: what codegen would generate, as values.
pub fn build_integrations(
    facts: &[IntegrationFacts],
    lock: &UpstreamLock,
) -> Result<Vec<Integration>, PlanError> {
    let plan = plan_catalog(facts)?;
    Ok(plan
        .integrations
        .iter()
        .map(|i| integration(i, lock))
        .collect())
}
