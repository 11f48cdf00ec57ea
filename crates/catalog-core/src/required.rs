//! When a form variable must be present: the one definition of "required".
//!
//! The change report (ldic-manifest), the generator (ldic-codegen: the schema's `required` and
//! non-`Option` fields) and the validator (ldic-validate: `missing-required`) all ask this module,
//! each through [`RequiredFlags`] built from what it has (manifest facts or catalog metadata), so
//! their answers cannot drift apart. There are two questions:
//!
//! - [`is_required`]: must be present in every document. This is the generated schema's
//!   `required` list and the non-`Option` fields of the generated structs, and so what the change
//!   report calls breaking when it starts to hold.
//! - [`is_required_when_shown`]: must be present whenever LaunchDarkly's form shows the field. A
//!   field hidden (`isHidden`) or shown depending on another value (`dependsOn`) can be required
//!   when shown without being [`is_required`]; the validator evaluates the visibility.

/// The flags of a form variable that decide whether it is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequiredFlags {
    /// `isOptional`.
    pub is_optional: bool,
    /// A default applies when absent: `defaultValue`, or a multiselect's
    /// `multiselectDefaultOptions`.
    pub has_default: bool,
    /// `isHidden`.
    pub is_hidden: bool,
    /// At least one `dependsOn` rule.
    pub has_depends_on: bool,
    /// The type's value is set by LaunchDarkly (`generated`, `oauth`, `publicKey`).
    pub set_by_launchdarkly: bool,
}

/// Must be present whenever the field is shown: not optional, no default, not set by LaunchDarkly.
pub fn is_required_when_shown(flags: RequiredFlags) -> bool {
    !flags.is_optional && !flags.has_default && !flags.set_by_launchdarkly
}

/// Must be present in every document: required when shown, and always shown (not `isHidden`, no
/// `dependsOn` rule: a rule depends on another value, so it can hide the field).
pub fn is_required(flags: RequiredFlags) -> bool {
    is_required_when_shown(flags) && !flags.is_hidden && !flags.has_depends_on
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn a_plain_field_is_required_and_each_flag_releases_it() {
        let plain = RequiredFlags::default();
        assert!(is_required(plain) && is_required_when_shown(plain));
        let releases_both = [
            RequiredFlags {
                is_optional: true,
                ..plain
            },
            RequiredFlags {
                has_default: true,
                ..plain
            },
            RequiredFlags {
                set_by_launchdarkly: true,
                ..plain
            },
        ];
        for flags in releases_both {
            assert!(
                !is_required(flags) && !is_required_when_shown(flags),
                "{flags:?}"
            );
        }
        let shown_only = [
            RequiredFlags {
                is_hidden: true,
                ..plain
            },
            RequiredFlags {
                has_depends_on: true,
                ..plain
            },
        ];
        for flags in shown_only {
            assert!(
                !is_required(flags) && is_required_when_shown(flags),
                "{flags:?}"
            );
        }
    }
}
