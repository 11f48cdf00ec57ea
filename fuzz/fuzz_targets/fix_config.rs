//! `ldic lint --fix --unsafe-fixes` on arbitrary configuration files.
//!
//! The first byte picks the file name (and so the format), the rest is the file's bytes. Beyond
//! "no panic": fixing a file that parses never yields one that does not (that is reported as an
//! internal error, which is the bug this target looks for), never leaves more findings than it
//! found, and a second run changes nothing.
#![no_main]

use ldic_cli::config::EnvPolicy;
use ldic_cli::fix;
use ldic_cli::lint;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = if selector % 2 == 0 {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    let path = Path::new(name);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let before = lint::lint_text(name.to_owned(), path, text.to_owned());
    if before.findings.iter().any(|f| f.code == ldic_cli::codes::FindingCode::ParseError) {
        return;
    }
    let policy = EnvPolicy::default();
    let once =
        fix::fix_text(name, path, text, &policy, None, true).expect("a fix never breaks the file");
    assert!(once.lint.findings.len() <= before.findings.len());
    let twice = fix::fix_text(name, path, &once.text, &policy, None, true).expect("idempotent");
    assert_eq!(twice.text, once.text);
});
