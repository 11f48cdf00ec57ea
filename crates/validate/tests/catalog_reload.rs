//! A catalog loaded and dropped many times does not grow the process: what the validator
//! compiled for a list lives in the list and is freed with it. Counted, not timed: the
//! validator counts its live compiled states (`ldic_validate::live_compiled`).
//!
//! Alone in its test binary, so that no other test compiles lists while it counts.

#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_catalog::Catalog;
use ldic_validate::{Validator, live_compiled};
use serde_json::json;

#[test]
fn loading_a_catalog_many_times_frees_what_each_compiled() {
    let dir = ldic_test_support::workspace_root().join("manifests");
    let before = live_compiled();
    for round in 0..5 {
        let catalog = Catalog::load_dir(&dir).unwrap();
        let lists = catalog.lists().count();
        assert_eq!(
            lists,
            Catalog::builtin().lists().count(),
            "every list is loaded"
        );
        assert!(lists > 50, "{lists}");
        for list in catalog.lists() {
            let _ = ldic_validate::validate_list(list, &json!({"zzUnknown": 1}));
        }
        for integration in catalog.iter() {
            let validator = Validator::for_key_in(&catalog, &integration.key).unwrap();
            let _ = validator.validate_config_values_str("{}");
        }
        assert_eq!(
            live_compiled(),
            before + lists,
            "round {round}: one compiled state per list, no more"
        );
        drop(catalog);
        assert_eq!(
            live_compiled(),
            before,
            "round {round}: dropped with the catalog"
        );
    }
}
