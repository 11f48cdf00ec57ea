//! What the client knows about secret values in LaunchDarkly's answers: nothing reliable.
//!
//! LaunchDarkly does not return the values of secret fields (`isSecret` form variables) as they
//! were sent, but its OpenAPI spec does not document what it returns instead (a mask, an empty
//! value, or no field at all). So ldic never recognises an "obfuscated" value by its spelling:
//! the remote value of every secret field is unknown, [`is_secret_field`] says which fields
//! those are, and a patch is validated with the secrets it does not touch taken as valid.

use ldic_catalog::{FieldType, FormList};
use serde_json::Value;

/// Whether the remote value of this `configValues` field of this integration is write-only:
/// a secret field, or a field the catalog does not know (unknown counts as secret). Its value
/// as read from LaunchDarkly must not be compared, shown or trusted.
pub fn is_secret_field(integration_key: &str, field: &str) -> bool {
    ldic_catalog::get(integration_key)
        .and_then(|i| i.config_values_list())
        .and_then(|list| list.field(field))
        .is_none_or(|f| f.is_secret)
}

/// A value every validator rule accepts for a secret field of this type, or `None` when there
/// is no such obvious value (the field is then validated as it is).
fn placeholder(ty: &FieldType) -> Option<Value> {
    match ty {
        FieldType::String => Some(Value::String("secret-not-returned".to_owned())),
        FieldType::Uri => Some(Value::String(
            "https://secret-not-returned.invalid".to_owned(),
        )),
        _ => None,
    }
}

/// Makes `after` (the configuration a patch produces from `before`, the configuration as
/// LaunchDarkly returned it) checkable: each secret field the patch did not change holds
/// whatever LaunchDarkly returns for a secret, which says nothing about the stored value, so
/// it is replaced by a valid placeholder. A required secret field missing from both is given
/// one too (LaunchDarkly may leave secrets out of its answers). Changed secrets are left as
/// they are and validated.
pub(crate) fn assume_unchanged_secrets_valid(
    list: Option<&FormList>,
    before: &Value,
    after: &mut Value,
) {
    let Some(list) = list else {
        return;
    };
    let before_values = before.get("configValues");
    let Some(values) = after.get_mut("configValues").and_then(Value::as_object_mut) else {
        return;
    };
    for field in list.fields.iter().filter(|f| f.is_secret) {
        let old = before_values.and_then(|v| v.get(field.key.as_ref()));
        let new = values.get(field.key.as_ref());
        let unchanged = match (old, new) {
            (Some(old), Some(new)) => old == new,
            (None, None) => field.required,
            _ => false,
        };
        if unchanged && let Some(value) = placeholder(&field.ty) {
            values.insert(field.key.to_string(), value);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn datadog_api_key_is_secret_and_host_url_is_not() {
        assert!(is_secret_field("datadog", "apiKey"));
        assert!(!is_secret_field("datadog", "hostURL"));
        assert!(
            is_secret_field("datadog", "noSuchField"),
            "unknown counts as secret"
        );
        assert!(is_secret_field("no-such-integration", "hostURL"));
    }

    #[test]
    fn only_unchanged_secrets_get_a_placeholder() {
        let list = ldic_catalog::get("datadog").and_then(|i| i.config_values_list());
        let before = json!({"configValues": {"apiKey": "", "hostURL": "bad"}});
        let mut after = before.clone();
        assume_unchanged_secrets_valid(list, &before, &mut after);
        assert_eq!(after["configValues"]["apiKey"], "secret-not-returned");
        assert_eq!(after["configValues"]["hostURL"], "bad", "not a secret");

        let mut changed = json!({"configValues": {"apiKey": ""}});
        assume_unchanged_secrets_valid(
            list,
            &json!({"configValues": {"apiKey": "x"}}),
            &mut changed,
        );
        assert_eq!(
            changed["configValues"]["apiKey"], "",
            "a changed secret is validated as is"
        );

        let mut absent = json!({"configValues": {}});
        assume_unchanged_secrets_valid(list, &json!({"configValues": {}}), &mut absent);
        assert_eq!(absent["configValues"]["apiKey"], "secret-not-returned");
    }
}
