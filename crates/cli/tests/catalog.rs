//! `ldic` with a catalog loaded at run time: `--catalog DIR`, `LDIC_CATALOG_DIR` and the
//! `catalog` key of `ldic.toml` make every command check against it; a catalog directory that
//! cannot be loaded is a warning and the built-in catalog is used, never a panic.
#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::ldic;
use ldic_test_support::fixture;
use std::path::{Path, PathBuf};

fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn catalog_dir() -> PathBuf {
    fixture("catalog/unknown-integration")
}

/// A configuration of `acme-audit-sink`, an integration only the fixture catalog knows.
fn acme_file(dir: &Path) -> PathBuf {
    let path = dir.join("acme.json");
    std::fs::write(
        &path,
        r#"{"integrationKey": "acme-audit-sink", "name": "Acme", "configValues": {"endpoint": "https://example.com/in", "token": "${env:ACME_TOKEN}"}}"#,
    )
    .unwrap();
    path
}

#[test]
fn lint_before_and_after_pointing_at_a_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let file = acme_file(dir.path());

    let (code, out, _) = run(ldic().arg("lint").arg(&file));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("unknown-integration"), "{out}");

    let (code, out, err) = run(ldic()
        .arg("lint")
        .arg("--catalog")
        .arg(catalog_dir())
        .arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("using the catalog in"), "{err}");

    let (code, out, _) = run(ldic()
        .env("LDIC_CATALOG_DIR", catalog_dir())
        .arg("lint")
        .arg(&file));
    assert_eq!(code, 0, "{out}");

    // The loaded catalog's rules apply: a bad value is reported against its field.
    std::fs::write(
        &file,
        r#"{"integrationKey": "acme-audit-sink", "name": "Acme", "configValues": {"endpoint": "https://example.com/in", "token": "${env:ACME_TOKEN}", "region": "mars"}}"#,
    )
    .unwrap();
    let (code, out, _) = run(ldic()
        .arg("lint")
        .arg("--catalog")
        .arg(catalog_dir())
        .arg(&file));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not-allowed"), "{out}");
}

#[test]
fn the_catalog_key_of_ldic_toml_takes_effect() {
    let dir = tempfile::tempdir().unwrap();
    let file = acme_file(dir.path());
    std::fs::write(
        dir.path().join("ldic.toml"),
        format!("catalog = {:?}\n", catalog_dir().display().to_string()),
    )
    .unwrap();
    let (code, out, err) = run(ldic().arg("lint").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn explain_list_schema_and_status_use_the_loaded_catalog() {
    let with = |args: &[&str]| run(ldic().arg("--catalog").arg(catalog_dir()).args(args));
    let (code, out, _) = with(&["explain", "acme-audit-sink"]);
    assert_eq!(code, 0);
    assert!(out.contains("endpoint") && out.contains("region"), "{out}");
    let (_, out, _) = with(&["list"]);
    assert!(
        out.contains("acme-audit-sink") && out.contains("2 integrations"),
        "{out}"
    );
    let (code, out, _) = with(&["schema", "acme-audit-sink"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"token\""), "{out}");

    let (code, out, _) = with(&["catalog", "status"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("LaunchDarkly API") && out.contains("integrations: 2"),
        "{out}"
    );
    assert!(out.contains("2026-12-01T10:00:00Z"), "{out}");
    let (_, out, _) = run(ldic().args(["catalog", "status"]));
    assert!(out.contains("the built-in catalog"), "{out}");
}

#[test]
fn a_truncated_catalog_is_a_warning_and_the_built_in_one_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let stored = dir.path().join("catalog");
    std::fs::create_dir(&stored).unwrap();
    for entry in std::fs::read_dir(catalog_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, stored.join(path.file_name().unwrap())).unwrap();
    }
    let facts = stored.join("acme-audit-sink.json");
    let text = std::fs::read_to_string(&facts).unwrap();
    std::fs::write(&facts, &text[..text.len() / 3]).unwrap();
    let file = acme_file(dir.path());

    let (code, out, err) = run(ldic().arg("lint").arg("--catalog").arg(&stored).arg(&file));
    assert!(err.contains("warning: the catalog in"), "{err}");
    assert!(err.contains("acme-audit-sink.json"), "{err}");
    assert!(err.contains("using the built-in catalog"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        code, 1,
        "the built-in catalog does not know the integration: {out}"
    );
    assert!(out.contains("unknown-integration"), "{out}");
}

#[test]
fn json_and_sarif_outputs_name_the_catalog_they_checked_against() {
    let tmp = tempfile::tempdir().unwrap();
    let file = acme_file(tmp.path());
    for (format, pointer) in [
        ("json", "/catalog"),
        ("sarif", "/runs/0/properties/catalog"),
    ] {
        let builtin = run(ldic().args(["lint", "--format", format]).arg(&file));
        let doc: serde_json::Value = serde_json::from_str(&builtin.1).unwrap();
        assert_eq!(doc.pointer(pointer).unwrap(), "the built-in catalog");
        let loaded = run(ldic()
            .arg("--catalog")
            .arg(catalog_dir())
            .args(["lint", "--format", format])
            .arg(&file));
        let doc: serde_json::Value = serde_json::from_str(&loaded.1).unwrap();
        let named = doc.pointer(pointer).unwrap().as_str().unwrap();
        assert!(
            named.starts_with("the catalog in ") && named.contains("unknown-integration"),
            "{named}"
        );
    }
}
