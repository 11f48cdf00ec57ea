//! The built-in catalog's integration keys, hashed once.
//!
//! `validate_config_values_str(key, text)` and the other functions taking an integration key
//! look the key up on every call. The catalog's own lookup is a binary search over 129 keys (a
//! string comparison per step); for a valid document of an integration without fields (`{}`)
//! that search cost several times the check itself. This map, built on first use, answers with one
//! short hash of the key and one comparison, and gives the integration's `configValues` list
//! with it (found once, not per call). Loaded catalogs keep their own lookup.

use foldhash::fast::FixedState;
use ldic_catalog::{FormList, Integration};
use std::sync::OnceLock;

/// An integration and its `configValues` list ([`Integration::config_values_list`]).
pub(crate) type Entry = (&'static Integration, Option<&'static FormList>);

/// The built-in integrations by key. foldhash's fast hasher with a fixed seed: the keys are the
/// catalog's own, not input an attacker chooses collisions for, and a lookup costs one short hash.
type KeyTable = std::collections::HashMap<&'static str, Entry, FixedState>;

static BUILTIN: OnceLock<KeyTable> = OnceLock::new();

fn build() -> KeyTable {
    ldic_catalog::all()
        .map(|i| (&*i.key, (i, i.config_values_list())))
        .collect()
}

/// The built-in catalog's integration `key` (what `Catalog::builtin().get(key)` answers), with
/// its `configValues` list.
pub(crate) fn builtin(key: &str) -> Option<Entry> {
    BUILTIN.get_or_init(build).get(key).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_answers_as_the_catalog() {
        let catalog = ldic_catalog::Catalog::builtin();
        assert!(catalog.len() > 100, "an empty catalog proves nothing");
        for i in ldic_catalog::all() {
            let found = builtin(&i.key);
            assert_eq!(
                found.map(|(i, _)| std::ptr::from_ref(i)),
                Some(std::ptr::from_ref(i)),
                "{}",
                i.key
            );
            assert_eq!(
                found.and_then(|(_, list)| list).map(std::ptr::from_ref),
                i.config_values_list().map(std::ptr::from_ref),
                "{}",
                i.key
            );
            for other in [
                format!("{}x", i.key),
                i.key.to_uppercase(),
                i.key[1..].to_owned(),
            ] {
                assert_eq!(
                    builtin(&other).map(|(f, _)| &*f.key),
                    catalog.get(&other).map(|f| &*f.key),
                    "{other}"
                );
            }
        }
        for other in ["", "a", "no-such-integration", "datadog-datadog-datadog"] {
            assert!(builtin(other).is_none(), "{other}");
        }
    }
}
