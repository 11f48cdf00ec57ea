//! The built-in catalog's integration keys, hashed once.
//!
//! `validate_config_values_str(key, text)` and the other functions taking an integration key
//! look the key up on every call. The catalog's own lookup is a binary search over 129 keys (a
//! string comparison per step); for a valid document of an integration without fields (`{}`)
//! that search cost several times the check itself. This map, built on first use, answers with one
//! short hash of the key and one comparison. Loaded catalogs keep their own lookup.

use foldhash::fast::FixedState;
use ldic_catalog::Integration;
use std::sync::OnceLock;

/// The built-in integrations by key. foldhash's fast hasher with a fixed seed: the keys are the
/// catalog's own, not input an attacker chooses collisions for, and a lookup costs one short hash.
type KeyTable = std::collections::HashMap<&'static str, &'static Integration, FixedState>;

static BUILTIN: OnceLock<KeyTable> = OnceLock::new();

fn build() -> KeyTable {
    ldic_catalog::all().map(|i| (&*i.key, i)).collect()
}

/// The built-in catalog's integration `key` (what `Catalog::builtin().get(key)` answers).
pub(crate) fn builtin(key: &str) -> Option<&'static Integration> {
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
            let found = builtin(&i.key).map(std::ptr::from_ref);
            assert_eq!(found, Some(std::ptr::from_ref(i)), "{}", i.key);
            for other in [
                format!("{}x", i.key),
                i.key.to_uppercase(),
                i.key[1..].to_owned(),
            ] {
                assert_eq!(
                    builtin(&other).map(|f| &*f.key),
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
