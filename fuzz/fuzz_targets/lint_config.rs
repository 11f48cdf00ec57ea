//! Configuration file parsing + lint + every output format, JSON and YAML with span mapping.
//!
//! The first byte picks the file name (and so the format: `.json`, `.yaml`, or no extension,
//! which sniffs); the rest is the file's bytes. Invariants checked beyond "no panic": every
//! finding has a location inside the text, the masked text keeps the text's length, and the
//! outputs are produced.
#![no_main]

use ldic_cli::lint::{self, FileLint};
use ldic_cli::output::{self, Outcome};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = match selector % 3 {
        0 => "fuzz.json",
        1 => "fuzz.yaml",
        _ => "fuzz",
    };
    let path = Path::new(name);
    let file: FileLint = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let f = lint::lint_text(name.to_owned(), path, text.to_owned());
            for finding in &f.findings {
                let loc = finding.location.as_ref().expect("every finding is placed");
                assert!(loc.span.start <= loc.span.end && loc.span.end <= text.len());
                assert!(loc.line >= 1 && loc.column >= 1);
            }
            assert!(f.masked.is_empty() || f.masked.len() == text.len());
            f
        }
        // Invalid UTF-8 goes through the file reader's own path.
        Err(_) => return,
    };
    let outcome = Outcome {
        files: vec![file],
        path_errors: Vec::new(),
        skipped: 0,
    };
    let _ = output::human(&outcome, false);
    let _ = output::json(&outcome, false);
    let _ = output::sarif(&outcome, true);
    let _ = output::github(&outcome, false);
});
