//! Fixes: the correction a diagnostic carries when ldic knows it, as data.
//!
//! A fix is a *semantic* operation at the diagnostic's JSON pointer (rename the member, replace
//! the value, remove the member), not a text edit: the library never sees the file. A tool turns
//! it into edits of its own text (the CLI's `lint --fix` into byte edits, an editor into a code
//! action). Each fix has an [`Applicability`], as ruff's fixes do: [`Applicability::Safe`] when
//! the meaning is certainly kept (a key that differs only in case from exactly one field, a
//! boolean written as a string, an allowed value that differs only in case or a trailing slash),
//! [`Applicability::Suggested`] for the "did you mean" guesses. (The fixes of unknown fields and
//! values outside the allowed ones are decided in `violations`, from names folded once.) A fix never renames onto a key
//! that is already present and never writes into a secret field's value.

use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// How sure ldic is that a fix keeps the meaning of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// A guess (edit distance): applied only when asked (`ldic lint --fix --unsafe-fixes`).
    Suggested,
    /// Certainly what was meant: applied by `ldic lint --fix`.
    Safe,
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Applicability::Safe => "safe",
            Applicability::Suggested => "suggested",
        })
    }
}

/// What a fix does at the diagnostic's pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Edit {
    /// Rename the object member at the pointer to `to` (its value is kept).
    RenameKey {
        /// The new member name (borrowed from the catalog when its field keys are `'static`,
        /// as the built-in catalog's are).
        to: Cow<'static, str>,
    },
    /// Replace the value at the pointer with `value` (never a secret: only public values).
    ReplaceValue {
        /// The value to write (boxed: a fix is carried by every diagnostic, most have none, and
        /// a `Value` is larger than the rest of an edit).
        value: Box<Value>,
    },
    /// Remove the object member at the pointer.
    RemoveMember,
}

/// A correction of one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// How sure ldic is that the fix keeps the meaning (which `--fix` mode applies it).
    pub applicability: Applicability,
    /// The operation at the diagnostic's pointer.
    #[serde(flatten)]
    pub edit: Edit,
}

impl Fix {
    /// A fix that certainly keeps the meaning ([`Applicability::Safe`]).
    pub fn safe(edit: Edit) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            edit,
        }
    }

    /// A fix that is a guess ([`Applicability::Suggested`]).
    pub fn suggested(edit: Edit) -> Fix {
        Fix {
            applicability: Applicability::Suggested,
            edit,
        }
    }

    /// A rename of the member `found` of `object` onto one of `known`: safe when `found` differs
    /// only in case from exactly one of them, suggested for the nearest plausible typo, none when
    /// the target is already a member of `object`.
    pub(crate) fn rename<'a>(
        found: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
        object: &Map<String, Value>,
    ) -> Option<Fix> {
        let (applicability, to) = case_or_nearest(found, known)?;
        if object.contains_key(to) {
            return None;
        }
        Some(Fix {
            applicability,
            edit: Edit::RenameKey {
                to: Cow::Owned(to.to_owned()),
            },
        })
    }

    /// The fix of an unknown `integrationKey` value `found`, at the pointer of that value (a
    /// tool that holds the key in a document, such as a configuration file, puts it there): the
    /// catalog key that differs only in case from it when exactly one does (safe), else the
    /// nearest plausible typo (suggested), among the keys of `catalog`.
    pub fn integration_key(catalog: &ldic_catalog::Catalog, found: &str) -> Option<Fix> {
        let keys: Vec<&str> = catalog.iter().map(|i| &*i.key).collect();
        let (applicability, key) = case_or_nearest(found, keys.iter().copied())?;
        Some(Fix {
            applicability,
            edit: Edit::ReplaceValue {
                value: Box::new(Value::String(key.to_owned())),
            },
        })
    }

    /// `"true"`/`"false"` where a boolean is expected: the boolean, safely.
    pub(crate) fn boolean(found: &Value) -> Option<Fix> {
        let b = match found.as_str()? {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        Some(Fix::safe(Edit::ReplaceValue {
            value: Box::new(Value::Bool(b)),
        }))
    }

    /// Apply this fix to `doc` at `pointer` (the diagnostic's pointer): what a tool's text edit
    /// must amount to. Returns false, leaving `doc` as it was, when the pointer names nothing
    /// or a rename's target exists.
    pub fn apply_to_value(&self, doc: &mut Value, pointer: &str) -> bool {
        match &self.edit {
            Edit::ReplaceValue { value } => match doc.pointer_mut(pointer) {
                Some(slot) => {
                    *slot = Value::clone(value);
                    true
                }
                None => false,
            },
            Edit::RenameKey { to } => {
                let Some((parent, key)) = split_last(pointer) else {
                    return false;
                };
                match doc.pointer_mut(&parent).and_then(Value::as_object_mut) {
                    Some(obj) if obj.contains_key(&key) && !obj.contains_key(to.as_ref()) => {
                        let renamed: Map<String, Value> = std::mem::take(obj)
                            .into_iter()
                            .map(|(k, v)| {
                                if k == key {
                                    (to.to_string(), v)
                                } else {
                                    (k, v)
                                }
                            })
                            .collect();
                        *obj = renamed;
                        true
                    }
                    _ => false,
                }
            }
            Edit::RemoveMember => {
                let Some((parent, key)) = split_last(pointer) else {
                    return false;
                };
                doc.pointer_mut(&parent)
                    .and_then(Value::as_object_mut)
                    .and_then(|obj| obj.shift_remove(&key))
                    .is_some()
            }
        }
    }
}

impl fmt::Display for Fix {
    /// `rename to "hostURL"`, `replace with true`, `remove the member`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.edit {
            Edit::RenameKey { to } => write!(f, "rename to \"{to}\""),
            Edit::ReplaceValue { value } => write!(f, "replace with {value}"),
            Edit::RemoveMember => f.write_str("remove the member"),
        }
    }
}

/// The one name of `known` that differs from `found` only in case (safe), else the nearest
/// plausible typo (suggested).
fn case_or_nearest<'a>(
    found: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<(Applicability, &'a str)> {
    let same_case: Vec<&str> = known
        .clone()
        .into_iter()
        .filter(|k| *k != found && k.eq_ignore_ascii_case(found))
        .collect();
    match same_case.as_slice() {
        [one] => Some((Applicability::Safe, one)),
        _ => crate::suggest::nearest(found, known).map(|k| (Applicability::Suggested, k)),
    }
}

/// `/a/b~1c` -> (`/a`, `b/c`).
fn split_last(pointer: &str) -> Option<(String, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((
        parent.to_owned(),
        ldic_catalog::pointer::unescape_token(last).into_owned(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn rename_is_safe_only_for_a_case_difference_from_one_field() {
        let empty = Map::new();
        let f = Fix::rename("hosturl", ["hostURL", "apiKey"], &empty).unwrap();
        assert_eq!(f.applicability, Applicability::Safe);
        assert_eq!(
            f.edit,
            Edit::RenameKey {
                to: "hostURL".into()
            }
        );
        let f = Fix::rename("host_url", ["hostURL"], &empty).unwrap();
        assert_eq!(f.applicability, Applicability::Suggested);
        let f = Fix::rename("apiKye", ["apiKey"], &empty).unwrap();
        assert_eq!(f.applicability, Applicability::Suggested);
        assert!(Fix::rename("zzzz", ["apiKey"], &empty).is_none());
        // Two fields differing only in case from the key: not safe.
        let f = Fix::rename("ab", ["AB", "Ab"], &empty);
        assert!(f.is_none_or(|f| f.applicability == Applicability::Suggested));
    }

    #[test]
    fn a_rename_onto_an_existing_key_is_never_offered() {
        let o = obj(json!({"hosturl": 1, "hostURL": 2}));
        assert!(Fix::rename("hosturl", ["hostURL"], &o).is_none());
    }

    #[test]
    fn integration_key_is_safe_only_for_a_case_difference() {
        let f = Fix::integration_key(ldic_catalog::Catalog::builtin(), "DataDog").unwrap();
        assert_eq!(f.applicability, Applicability::Safe);
        assert_eq!(
            f.edit,
            Edit::ReplaceValue {
                value: Box::new(json!("datadog"))
            }
        );
        let f = Fix::integration_key(ldic_catalog::Catalog::builtin(), "datadgo").unwrap();
        assert_eq!(f.applicability, Applicability::Suggested);
        assert_eq!(
            f.edit,
            Edit::ReplaceValue {
                value: Box::new(json!("datadog"))
            }
        );
        assert!(Fix::integration_key(ldic_catalog::Catalog::builtin(), "zzzzzzzzzzzz").is_none());
        assert!(
            Fix::integration_key(ldic_catalog::Catalog::builtin(), "datadog").is_none_or(|f| f
                .edit
                != Edit::ReplaceValue {
                    value: Box::new(json!("datadog"))
                })
        );
    }

    #[test]
    fn booleans() {
        assert_eq!(
            Fix::boolean(&json!("true")).unwrap().edit,
            Edit::ReplaceValue {
                value: Box::new(json!(true))
            }
        );
        assert!(Fix::boolean(&json!("yes")).is_none());
    }

    #[test]
    fn applying_to_a_value_keeps_member_order() {
        let mut v = json!({"a": 1, "hosturl": 2, "c": {"x~y": 3}});
        let f = Fix::safe(Edit::RenameKey {
            to: "hostURL".into(),
        });
        assert!(f.apply_to_value(&mut v, "/hosturl"));
        assert_eq!(
            v.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["a", "hostURL", "c"]
        );
        assert!(Fix::safe(Edit::RemoveMember).apply_to_value(&mut v, "/c/x~0y"));
        assert!(!f.apply_to_value(&mut v, "/nothing"));
    }

    #[test]
    fn serialized_form() {
        let f = Fix::safe(Edit::RenameKey {
            to: "hostURL".into(),
        });
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"applicability": "safe", "op": "rename-key", "to": "hostURL"})
        );
        let f = Fix::suggested(Edit::RemoveMember);
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"applicability": "suggested", "op": "remove-member"})
        );
    }
}
