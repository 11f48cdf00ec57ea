//! Doc-comment text of generated items, built only from facts (labels, keys, types, flags, allowed
//! and default values, dependsOn rules) — never upstream prose.
//!
//! Every fact string is either inline code ([`code`]) or escaped Markdown ([`escape_markdown`]),
//! so a label like `[beta] <b>URL</b>` cannot turn into a broken intra-doc link or an HTML tag.

use crate::plan::{EnumPlan, FieldPlan, FieldShape, IntegrationPlan, ListPlan, VariantPlan};
use ldic_manifest::facts::{DependsOnAction, UpstreamLock};

/// `text` as a Markdown code span, whatever backticks it contains.
pub fn code(text: &str) -> String {
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    let one_line = text.replace(['\n', '\r'], " ");
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

/// `text` with Markdown and HTML special characters escaped, on one line.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// Doc lines of a struct field.
pub fn field_doc(field: &FieldPlan<'_>, _list: &ListPlan<'_>) -> Vec<String> {
    let var = field.var;
    let mut lines = vec![
        format!("**{}**", escape_markdown(&var.label)),
        String::new(),
        format!("- key: {}", code(&var.key)),
        format!("- type: {}", code(var.ty.as_str())),
    ];
    lines.push(if field.required {
        "- required".to_owned()
    } else if var.ty.is_set_by_launchdarkly() {
        "- optional: set by LaunchDarkly; a value given here is ignored with a warning".to_owned()
    } else {
        "- optional".to_owned()
    });
    if var.is_secret {
        lines.push(match field.shape {
            FieldShape::Secret => {
                "- secret: redacted in `Debug` and `Display`, serialized as is".to_owned()
            }
            _ => "- secret (a fixed set of values, so not wrapped in `Secret`)".to_owned(),
        });
    }
    if var.is_hidden {
        lines.push("- hidden in the LaunchDarkly UI".to_owned());
    }
    if let Some(default) = &field.default {
        lines.push(format!("- default: {}", code(&default.to_string())));
    }
    if field.shape == FieldShape::Enum || field.shape == FieldShape::Multiselect {
        let values: Vec<String> = crate::plan::allowed_values(var)
            .iter()
            .map(|(v, _)| code(v))
            .collect();
        if !values.is_empty() {
            lines.push(format!("- allowed values: {}", values.join(", ")));
        }
    }
    if let Some(placeholder) = &var.placeholder {
        lines.push(format!("- placeholder: {}", code(placeholder)));
    }
    if field.shape == FieldShape::AnyJson {
        lines.push(
            "- any JSON value: the shape of this type is not public, so it is passed through"
                .to_owned(),
        );
    }
    if field.shape == FieldShape::Uri {
        lines.push("- must be an absolute URL; kept exactly as written".to_owned());
    }
    for rule in &var.depends_on {
        let action = match rule.action {
            DependsOnAction::ShowField => "shown only when",
            DependsOnAction::HideField => "hidden when",
        };
        let conditions: Vec<String> = rule
            .conditions
            .iter()
            .map(|c| format!("{} {}", c.operator.as_str(), code(&c.value)))
            .collect();
        lines.push(format!(
            "- {action} {} ({}) {}",
            code(&rule.variable_key),
            code(&rule.variable_location),
            conditions.join(" and ")
        ));
    }
    lines
}

/// Doc lines of a generated enum.
pub fn enum_doc(field: &FieldPlan<'_>, list: &ListPlan<'_>, plan: &EnumPlan) -> Vec<String> {
    vec![
        format!(
            "Allowed values of [`{}::{}`] ({}).",
            list.struct_name,
            field.rust_name,
            code(&field.var.key)
        ),
        String::new(),
        format!(
            "Any string reads: a value this catalog does not know is kept in `{}`. The enum is \
             `#[non_exhaustive]`, so a value added upstream is a compatible release of this crate.",
            plan.catch_all
        ),
    ]
}

/// Doc lines of an enum variant.
pub fn variant_doc(variant: &VariantPlan) -> Vec<String> {
    match &variant.label {
        Some(label) => vec![format!(
            "{}: {}",
            code(&variant.value),
            escape_markdown(label)
        )],
        None => vec![code(&variant.value)],
    }
}

/// Said of facts fetched from the LaunchDarkly API, which have no public manifest to link to.
pub const API_NOTE: &str =
    "no link: it came from one account's API, not from the public repository.";

/// Doc lines of a generated struct.
pub fn struct_doc(
    integration: &IntegrationPlan<'_>,
    list: &ListPlan<'_>,
    lock: &UpstreamLock,
) -> Vec<String> {
    let facts = integration.facts;
    let mut lines = vec![
        format!(
            "The {} of {} ({}), manifest version {}.",
            code(list.kind.as_str()),
            escape_markdown(&facts.name),
            code(&facts.key),
            code(&facts.version)
        ),
        String::new(),
        match lock.manifest_url(&facts.manifest_path) {
            Some(url) => format!(
                "Generated from the [upstream manifest]({url}) (`{}`).",
                list.kind.manifest_pointer()
            ),
            None => format!(
                "Generated from the manifest the LaunchDarkly API served (`{}`); {}",
                list.kind.manifest_pointer(),
                API_NOTE
            ),
        },
    ];
    if list.fields.is_empty() {
        lines.push(String::new());
        lines.push("The list is empty: the only valid value is `{}`.".to_owned());
    }
    lines.push(String::new());
    lines.push(
        "Build it with `new` (the required fields) and one `with_<field>` method per optional \
         field; the fields stay public to read and to change. The struct is `#[non_exhaustive]`, \
         so an optional field added upstream is a compatible release of this crate."
            .to_owned(),
    );
    lines
}

/// The doc of every struct's `unknown_fields` field.
pub fn unknown_fields_doc() -> Vec<String> {
    vec![
        "Members this version of the catalog does not know (a field a newer manifest added, \
         read back from the API), kept and serialized back unchanged instead of failing the \
         whole struct; validating the struct reports each as `unknown-field`. `Debug` shows \
         their keys only."
            .to_owned(),
    ]
}

/// The doc line of a generated struct's `new`.
pub fn constructor_doc(list: &ListPlan<'_>) -> String {
    let required: Vec<String> = list
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| code(&f.var.key))
        .collect();
    if required.is_empty() {
        " No field is required: every field starts absent.".to_owned()
    } else {
        format!(
            " The required fields ({}); every optional field starts absent.",
            required.join(", ")
        )
    }
}

/// Doc lines of a generated enum's catch-all variant.
pub fn catch_all_doc() -> Vec<String> {
    vec![
        "A value this version of the catalog does not know, kept as it was read (a value a newer \
         manifest allows, read back from the API). Serialized unchanged; the validator reports it \
         as `not-allowed`. Reading a known value never gives this variant."
            .to_owned(),
    ]
}

/// Inner doc lines of an integration module.
pub fn module_doc(integration: &IntegrationPlan<'_>, lock: &UpstreamLock) -> Vec<String> {
    let facts = integration.facts;
    let origin = match lock.manifest_url(&facts.manifest_path) {
        Some(url) => format!("the [upstream manifest]({url})."),
        None => format!("the manifest the LaunchDarkly API served; {API_NOTE}"),
    };
    let mut lines = vec![
        format!(
            "{} ({}): typed configuration generated from {origin}",
            escape_markdown(&facts.name),
            code(&facts.key),
        ),
        String::new(),
    ];
    if integration.lists.is_empty() {
        lines.push("The manifest declares no form variables.".to_owned());
    } else {
        for list in &integration.lists {
            lines.push(format!(
                // Not "- [`X`]: ...": Markdown reads that as a link reference definition; and
                // no intra-doc link, which rustdoc resolves from the parent module here.
                "- {} ({} fields): `{}`",
                code(list.kind.as_str()),
                list.fields.len(),
                list.struct_name
            ));
        }
    }
    lines
}
