//! A slot, owned by a list, for what a validator compiles from it.
//!
//! The validator compiles a list's JSON Schema (and its text fast path) once, on first use. The
//! result belongs to the list: it is reached without a lock or a lookup (one atomic load once
//! filled) and freed when the list is, so a catalog loaded at run time and dropped leaves nothing
//! behind. The slot holds any `Send + Sync` value, so `ldic-catalog-core` needs no validator
//! types; it is `const`-constructible, so generated `static` lists carry an empty one.

use std::any::Any;
use std::fmt;
use std::sync::OnceLock;

/// Compiled state of a list: empty until its first use, then one value of one type.
#[derive(Default)]
pub struct CompiledSlot(OnceLock<Box<dyn Any + Send + Sync>>);

impl CompiledSlot {
    /// An empty slot (what generated statics hold).
    pub const fn new() -> Self {
        CompiledSlot(OnceLock::new())
    }

    /// The value in the slot, filled by `init` on first use. `None` when the slot already holds
    /// a value of another type (another user of the slot came first): the caller then computes
    /// without caching.
    pub fn get_or_init<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> Option<&T> {
        self.0.get_or_init(|| Box::new(init())).downcast_ref()
    }

    /// The value in the slot, if it is filled with a `T`.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.get()?.downcast_ref()
    }

    /// Whether the slot is filled.
    pub fn is_filled(&self) -> bool {
        self.0.get().is_some()
    }
}

/// A clone starts empty: compiled state is a cache, recomputed on first use.
impl Clone for CompiledSlot {
    fn clone(&self) -> Self {
        CompiledSlot::new()
    }
}

impl fmt::Debug for CompiledSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledSlot")
            .field("filled", &self.is_filled())
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn the_first_value_stays_and_another_type_is_not_cached() {
        let slot = CompiledSlot::new();
        assert!(!slot.is_filled());
        assert_eq!(slot.get_or_init(|| 7u32), Some(&7));
        assert_eq!(slot.get_or_init(|| 8u32), Some(&7));
        assert_eq!(slot.get_or_init(|| "other"), None);
        assert_eq!(slot.get::<u32>(), Some(&7));
        assert!(!slot.clone().is_filled());
    }
}
