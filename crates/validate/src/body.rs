//! The rules of a whole create request (`IntegrationConfigurationPost` in LaunchDarkly's REST
//! API): `name`, `configValues`, `enabled`, `tags`, `capabilityConfig` with its
//! `auditLogEventsHook` policy statements and `approvals` settings.
//!
//! These rules are hand-written rather than a JSON Schema: the body's shape is small and fixed,
//! and the interesting parts (which capabilities an integration has, resource specifiers,
//! resources-xor-notResources) are not schema material anyway.

use crate::Text;
use crate::config_values;
use crate::fix::Fix;
use crate::pointer;
use crate::resource::parse_resource;
use crate::suggest;
use crate::{CheckOptions, Code, Diagnostic};
use ldic_catalog::{FormList, Integration};
use serde_json::{Map, Value};

/// Members of a create request body: the one list (the sync engine compares exactly these).
pub const BODY_FIELDS: &[&str] = &[
    "name",
    "configValues",
    "enabled",
    "tags",
    "capabilityConfig",
];
/// Members of `capabilityConfig`, and the manifest capability each one needs.
pub const CAPABILITY_CONFIGS: &[(&str, &str)] = &[
    ("auditLogEventsHook", "auditLogEventsHook"),
    ("approvals", "approval"),
];
const HOOK_FIELDS: &[&str] = &["statements"];
const STATEMENT_FIELDS: &[&str] = &[
    "effect",
    "resources",
    "notResources",
    "actions",
    "notActions",
];
const APPROVALS_FIELDS: &[&str] = &["additionalFormVariables"];
/// `FormVariable` of the REST API: member name and expected JSON type.
const FORM_VARIABLE_FIELDS: &[(&str, Kind)] = &[
    ("key", Kind::String),
    ("name", Kind::String),
    ("type", Kind::String),
    ("description", Kind::String),
    ("placeholder", Kind::String),
    ("isOptional", Kind::Bool),
    ("defaultValue", Kind::Any),
    ("allowedValues", Kind::StringArray),
    ("dynamicOptions", Kind::Object),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Bool,
    Object,
    StringArray,
    Any,
}

fn wrong_type(at: &str, expected: &str, found: &Value) -> Diagnostic {
    Diagnostic::error(
        Code::WrongType,
        Text::new(at),
        crate::violations::wrong_type_message(expected, found),
    )
}

fn unknown_members(
    obj: &Map<String, Value>,
    at: &str,
    known: &[&str],
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    for name in obj.keys() {
        if known.contains(&name.as_str()) {
            continue;
        }
        let mut d = Diagnostic::error(
            Code::UnknownField,
            pointer::push(at, name),
            format!("unknown field \"{name}\" in {what}"),
        )
        .on_key();
        if let Some(s) = suggest::did_you_mean(name, known.iter().copied()) {
            d = d.with_suggestion(s);
        }
        d = d.with_fix(Fix::rename(name, known.iter().copied(), obj));
        out.push(d);
    }
}

/// An array of strings; each item checked by `item`. Returns false when not an array.
fn string_array(
    v: &Value,
    at: &str,
    out: &mut Vec<Diagnostic>,
    mut item: impl FnMut(&str, &str, &mut Vec<Diagnostic>),
) -> bool {
    let Some(items) = v.as_array() else {
        out.push(wrong_type(at, "an array of strings", v));
        return false;
    };
    for (i, it) in items.iter().enumerate() {
        let item_at = pointer::push_index(at, i);
        match it.as_str() {
            Some(s) => item(s, &item_at, out),
            None => out.push(wrong_type(&item_at, "a string", it)),
        }
    }
    true
}

/// Check a whole create request body for `integration`.
pub(crate) fn check(
    integration: &Integration,
    body: &Value,
    options: CheckOptions,
    out: &mut Vec<Diagnostic>,
) {
    let Some(obj) = body.as_object() else {
        out.push(wrong_type("", "an object (the create request body)", body));
        return;
    };
    unknown_members(obj, "", BODY_FIELDS, "the request body", out);

    match obj.get("name") {
        None => out.push(Diagnostic::error(
            Code::MissingRequired,
            "",
            "missing required field \"name\" (the configuration's display name)",
        )),
        Some(Value::String(s)) if s.trim().is_empty() => out.push(Diagnostic::error(
            Code::EmptyValue,
            "/name",
            "the name must not be empty",
        )),
        Some(Value::String(_)) => {}
        Some(other) => out.push(wrong_type("/name", "a string", other)),
    }

    match obj.get("configValues") {
        None => out.push(Diagnostic::error(
            Code::MissingRequired,
            "",
            "missing required field \"configValues\" (an object, may be empty)",
        )),
        Some(cv) => {
            // The whole body is sorted at the end.
            let list = integration.config_values_list();
            check_config_values(integration, list, cv, "/configValues", options, out);
        }
    }

    if let Some(enabled) = obj.get("enabled")
        && !enabled.is_boolean()
    {
        out.push(wrong_type("/enabled", "a boolean", enabled).with_fix(Fix::boolean(enabled)));
    }

    if let Some(tags) = obj.get("tags") {
        string_array(tags, "/tags", out, |s, at, out| {
            if s.is_empty() {
                out.push(Diagnostic::error(
                    Code::EmptyValue,
                    Text::new(at),
                    "a tag must not be empty",
                ));
            }
        });
    }

    if let Some(cc) = obj.get("capabilityConfig") {
        check_capability_config(integration, cc, out);
    }
}

/// `configValues` of `integration`, against the list [`Integration::config_values_list`] names.
/// Returns whether the diagnostics it added are in document order already.
pub(crate) fn check_config_values(
    integration: &Integration,
    list: Option<&FormList>,
    cv: &Value,
    at: &str,
    options: CheckOptions,
    out: &mut Vec<Diagnostic>,
) -> bool {
    match list {
        Some(list) => config_values::check(list, cv, at, options, out),
        None => match cv.as_object() {
            Some(obj) => {
                for name in obj.keys() {
                    out.push(member_without_fields(integration, at, name));
                }
                true
            }
            None => {
                out.push(wrong_type(at, "an object (empty for this integration)", cv));
                true
            }
        },
    }
}

/// The member `name` of the `configValues` object at `at` of `integration`, which has no form
/// variables: every member is unknown.
pub(crate) fn member_without_fields(integration: &Integration, at: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownField,
        pointer::push(at, name),
        Text::concat(&[
            "unknown field \"",
            name,
            "\": ",
            &integration.key,
            " has no configuration fields, so configValues must be empty",
        ]),
    )
    .on_key()
}

fn check_capability_config(integration: &Integration, cc: &Value, out: &mut Vec<Diagnostic>) {
    let at = "/capabilityConfig";
    let Some(obj) = cc.as_object() else {
        out.push(wrong_type(at, "an object", cc));
        return;
    };
    let known: Vec<&str> = CAPABILITY_CONFIGS.iter().map(|(k, _)| *k).collect();
    unknown_members(obj, at, &known, "capabilityConfig", out);
    for (member, capability) in CAPABILITY_CONFIGS {
        let Some(v) = obj.get(*member) else { continue };
        let member_at = pointer::push(at, member);
        if !integration.has_capability(capability) {
            let mut d = Diagnostic::error(
                Code::UnsupportedCapability,
                member_at,
                format!(
                    "{} does not have the \"{capability}\" capability, so \"{member}\" cannot be configured",
                    integration.key
                ),
            )
            .on_key();
            if integration.capabilities.is_empty() {
                d = d.with_suggestion(format!("remove \"{member}\""));
            } else {
                d = d.with_suggestion(format!(
                    "remove \"{member}\"; {} has: {}",
                    integration.key,
                    integration.capabilities.join(", ")
                ));
            }
            out.push(d);
            continue;
        }
        match *member {
            "auditLogEventsHook" => check_hook(v, &member_at, out),
            _ => check_approvals(v, &member_at, out),
        }
    }
}

fn check_hook(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = v.as_object() else {
        out.push(wrong_type(at, "an object", v));
        return;
    };
    unknown_members(obj, at, HOOK_FIELDS, "auditLogEventsHook", out);
    let Some(statements) = obj.get("statements") else {
        return;
    };
    let st_at = pointer::push(at, "statements");
    let Some(items) = statements.as_array() else {
        out.push(wrong_type(
            &st_at,
            "an array of policy statements",
            statements,
        ));
        return;
    };
    for (i, st) in items.iter().enumerate() {
        check_statement(st, &pointer::push_index(&st_at, i), out);
    }
}

fn check_statement(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = v.as_object() else {
        out.push(wrong_type(at, "a policy statement object", v));
        return;
    };
    unknown_members(obj, at, STATEMENT_FIELDS, "a policy statement", out);
    match obj.get("effect") {
        None => out.push(Diagnostic::error(
            Code::MissingRequired,
            Text::new(at),
            "missing required field \"effect\" (\"allow\" or \"deny\")",
        )),
        Some(Value::String(s)) if s == "allow" || s == "deny" => {}
        Some(Value::String(s)) => {
            let mut d = Diagnostic::error(
                Code::NotAllowed,
                pointer::push(at, "effect"),
                "the effect must be \"allow\" or \"deny\"",
            );
            if let Some(c) = ["allow", "deny"].iter().find(|c| c.eq_ignore_ascii_case(s)) {
                d = d.with_suggestion(format!("did you mean \"{c}\"?"));
            }
            out.push(d);
        }
        Some(other) => out.push(wrong_type(&pointer::push(at, "effect"), "a string", other)),
    }
    exactly_one(
        obj,
        at,
        "resources",
        "notResources",
        out,
        |s, item_at, out| {
            if let Err(e) = parse_resource(s) {
                let mut d = Diagnostic::error(
                    Code::InvalidResource,
                    Text::new(item_at),
                    format!("invalid resource specifier: {e}"),
                );
                if let Some(s) = e.suggestion() {
                    d = d.with_suggestion(s);
                }
                out.push(d);
            }
        },
    );
    exactly_one(obj, at, "actions", "notActions", out, |s, item_at, out| {
        let ok = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '*');
        if !ok {
            out.push(Diagnostic::error(
                Code::InvalidStatement,
                Text::new(item_at),
                "an action is a name such as \"createFlag\" or a glob such as \"update*\" or \"*\" (letters, digits and `*`)",
            ));
        }
    });
}

/// `a` xor `b` (each an array of strings, checked item by item).
fn exactly_one(
    obj: &Map<String, Value>,
    at: &str,
    a: &str,
    b: &str,
    out: &mut Vec<Diagnostic>,
    mut item: impl FnMut(&str, &str, &mut Vec<Diagnostic>),
) {
    match (obj.get(a), obj.get(b)) {
        (None, None) => out.push(Diagnostic::error(
            Code::InvalidStatement,
            Text::new(at),
            format!("a statement needs \"{a}\" or \"{b}\""),
        )),
        (Some(va), Some(vb)) => {
            out.push(
                Diagnostic::error(
                    Code::InvalidStatement,
                    pointer::push(at, b),
                    format!("a statement has \"{a}\" or \"{b}\", not both"),
                )
                .on_key()
                .with_suggestion(format!("remove \"{b}\" or \"{a}\"")),
            );
            // Their items are still checked: a bad item is a separate mistake.
            string_array(va, &pointer::push(at, a), out, &mut item);
            string_array(vb, &pointer::push(at, b), out, &mut item);
        }
        (Some(v), None) | (None, Some(v)) => {
            let name = if obj.contains_key(a) { a } else { b };
            let list_at = pointer::push(at, name);
            if string_array(v, &list_at, out, &mut item) && v.as_array().is_some_and(Vec::is_empty)
            {
                out.push(Diagnostic::error(
                    Code::InvalidStatement,
                    list_at,
                    format!("\"{name}\" is empty, so the statement applies to nothing"),
                ));
            }
        }
    }
}

fn check_approvals(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = v.as_object() else {
        out.push(wrong_type(at, "an object", v));
        return;
    };
    unknown_members(obj, at, APPROVALS_FIELDS, "approvals", out);
    let Some(vars) = obj.get("additionalFormVariables") else {
        return;
    };
    let vars_at = pointer::push(at, "additionalFormVariables");
    let Some(items) = vars.as_array() else {
        out.push(wrong_type(&vars_at, "an array of form variables", vars));
        return;
    };
    let names: Vec<&str> = FORM_VARIABLE_FIELDS.iter().map(|(n, _)| *n).collect();
    for (i, fv) in items.iter().enumerate() {
        let fv_at = pointer::push_index(&vars_at, i);
        let Some(fv_obj) = fv.as_object() else {
            out.push(wrong_type(&fv_at, "a form variable object", fv));
            continue;
        };
        unknown_members(fv_obj, &fv_at, &names, "a form variable", out);
        for (name, kind) in FORM_VARIABLE_FIELDS {
            let Some(val) = fv_obj.get(*name) else {
                continue;
            };
            let m_at = pointer::push(&fv_at, name);
            match kind {
                Kind::String if !val.is_string() => out.push(wrong_type(&m_at, "a string", val)),
                Kind::Bool if !val.is_boolean() => out.push(wrong_type(&m_at, "a boolean", val)),
                Kind::Object if !val.is_object() => out.push(wrong_type(&m_at, "an object", val)),
                Kind::StringArray => {
                    string_array(val, &m_at, out, |_, _, _| {});
                }
                _ => {}
            }
        }
    }
}
