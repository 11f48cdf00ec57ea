//! Validation of arbitrary JSON for a random catalog integration.
//!
//! The first two bytes pick the integration; the rest must be JSON, checked as a whole create
//! body and as `configValues` alone. Invariants: every diagnostic's pointer resolves in the
//! document (except `unknown-integration`, at the root), diagnostics come in a stable order, and
//! no message quotes a string value of the document's `configValues` (secrets never leak).
#![no_main]

use ldic_validate::{Code, Report};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn check_pointers(doc: &Value, report: &Report) {
    for d in &report.diagnostics {
        if d.code != Code::UnknownIntegration {
            assert!(
                doc.pointer(&d.pointer).is_some(),
                "pointer {:?} ({:?}) not in the document",
                d.pointer,
                d.code
            );
        }
    }
}

/// String values (`values`) and object keys (`keys`) of a document.
fn strings(v: &Value, values: &mut Vec<String>, keys: &mut Vec<String>) {
    match v {
        Value::String(s) => values.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, values, keys)),
        Value::Object(m) => {
            for (k, i) in m {
                keys.push(k.clone());
                strings(i, values, keys);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let n = ldic_catalog::all().len();
    let index = usize::from(u16::from_le_bytes([data[0], data[1]])) % n;
    let Some(integration) = ldic_catalog::all().nth(index) else {
        return;
    };
    let Ok(body) = serde_json::from_slice::<Value>(&data[2..]) else {
        return;
    };
    let report = ldic_validate::validate(&integration.key, &body);
    check_pointers(&body, &report);
    assert_eq!(
        report,
        ldic_validate::validate(&integration.key, &body),
        "deterministic"
    );
    if let Some(values) = body.get("configValues") {
        let alone = ldic_validate::validate_config_values(&integration.key, values);
        check_pointers(values, &alone);
        // Canary values (`CANARY...`) that are not also (part of) an object key: never quoted.
        let (mut secrets, mut keys) = (Vec::new(), Vec::new());
        strings(&body, &mut secrets, &mut keys);
        let text: String = report
            .diagnostics
            .iter()
            .chain(&alone.diagnostics)
            .map(|d| format!("{} {}", d.message, d.suggestion.as_deref().unwrap_or("")))
            .collect();
        for s in secrets {
            if s.len() >= 8 && s.starts_with("CANARY") && !keys.iter().any(|k| k.contains(&s)) {
                assert!(!text.contains(&s), "a configValues string was quoted: {s}");
            }
        }
    }
    let _ = ldic_validate::defaults(&integration.key, &body);
});
