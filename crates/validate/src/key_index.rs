//! The built-in catalog's integration keys, hashed once.
//!
//! `validate_config_values_str(key, text)` and the other functions taking an integration key
//! look the key up on every call. The catalog's own lookup is a binary search over 129 keys (a
//! string comparison per step); for a valid document of an integration without fields (`{}`)
//! that search cost several times the check itself. This table, built on first use, answers with
//! one hash of the key and, nearly always, one comparison. Loaded catalogs keep their own lookup.

use ldic_catalog::Integration;
use std::sync::OnceLock;

/// Open addressing, linear probing, at most half full.
struct KeyTable {
    /// `(hash, index into integrations + 1)`; 0: empty.
    slots: Vec<(u64, usize)>,
    integrations: Vec<&'static Integration>,
}

static BUILTIN: OnceLock<KeyTable> = OnceLock::new();

/// A fast, non-cryptographic hash of a short key (the keys are the catalog's, not an input an
/// attacker chooses the collisions of; a collision only costs a probe).
fn hash(key: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = key.len() as u64;
    let mut chunks = key.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let mut word = [0u8; 8];
    let rest = chunks.remainder();
    word[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    h ^ (h >> 29)
}

impl KeyTable {
    fn build() -> KeyTable {
        let integrations: Vec<&'static Integration> = ldic_catalog::all().collect();
        let size = (integrations.len() * 2).next_power_of_two().max(2);
        let mut slots = vec![(0u64, 0usize); size];
        for (idx, integration) in integrations.iter().enumerate() {
            let h = hash(&integration.key);
            let mut at = (h as usize) & (size - 1);
            while slots[at].1 != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = (h, idx + 1);
        }
        KeyTable {
            slots,
            integrations,
        }
    }

    fn get(&self, key: &str) -> Option<&'static Integration> {
        let h = hash(key);
        let mask = self.slots.len() - 1;
        let mut at = (h as usize) & mask;
        loop {
            let (slot_hash, idx) = *self.slots.get(at)?;
            if idx == 0 {
                return None;
            }
            if slot_hash == h {
                let integration = *self.integrations.get(idx - 1)?;
                if integration.key == key {
                    return Some(integration);
                }
            }
            at = (at + 1) & mask;
        }
    }
}

/// The built-in catalog's integration `key` (what `Catalog::builtin().get(key)` answers).
pub(crate) fn builtin(key: &str) -> Option<&'static Integration> {
    BUILTIN.get_or_init(KeyTable::build).get(key)
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
