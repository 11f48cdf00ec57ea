//! Writing and checking the generated tree: atomic writes, removed integrations deleted,
//! `--check` naming every stale file.

use ldic_codegen::files::{Staleness, load_facts_dir, stale_files, write_files};
use ldic_codegen::{GeneratedFile, Layout, generate_catalog};
use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use std::fs;
use std::path::Path;

/// The fixture facts and their lock, and the files they generate in the catalog layout.
fn fixture_files() -> (Vec<IntegrationFacts>, UpstreamLock, Vec<GeneratedFile>) {
    let (facts, lock) = load_facts_dir(&ldic_test_support::fixture("codegen")).expect("facts");
    let full = generate_catalog(&facts, &lock, &Layout::catalog()).expect("generates");
    (facts, lock, full)
}

/// `root` holds exactly `files`: `--check` finds nothing stale.
#[track_caller]
fn assert_up_to_date(root: &Path, layout: &Layout, files: &[GeneratedFile]) {
    let stale = stale_files(root, layout, files).expect("check");
    assert!(stale.is_empty(), "{stale:?}");
}

#[test]
fn write_then_check_then_remove_an_integration() {
    let (facts, lock, full) = fixture_files();
    let root = tempfile::tempdir().expect("tempdir");
    let layout = Layout::catalog();
    let written = write_files(root.path(), &layout, &full).expect("writes");
    assert_eq!(written.len(), full.len(), "every file is new");
    assert_up_to_date(root.path(), &layout, &full);
    // A second run changes nothing (byte-identical output).
    assert!(
        write_files(root.path(), &layout, &full)
            .expect("rewrites")
            .is_empty()
    );

    // Hand-edit one file: --check names it.
    let edited = root
        .path()
        .join("crates/catalog/src/generated/every_type.rs");
    fs::write(&edited, "// edited\n").expect("edit");
    let stale = stale_files(root.path(), &layout, &full).expect("check");
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].staleness, Staleness::Changed);
    assert!(stale[0].to_string().contains("every_type.rs"));

    // Drop an integration from the facts: its module and schemas are reported, then deleted.
    let fewer: Vec<_> = facts
        .iter()
        .filter(|f| f.key != "every-type")
        .cloned()
        .collect();
    let smaller = generate_catalog(&fewer, &lock, &layout).expect("generates");
    let stale = stale_files(root.path(), &layout, &smaller).expect("check");
    let extra: Vec<String> = stale
        .iter()
        .filter(|s| s.staleness == Staleness::Extra)
        .map(|s| s.path.display().to_string())
        .collect();
    assert_eq!(extra.len(), 6, "one module and five schemas: {extra:?}");
    write_files(root.path(), &layout, &smaller).expect("writes");
    assert!(!edited.exists());
    assert!(
        !root
            .path()
            .join("crates/catalog/schemas/every-type.schema.json")
            .exists()
    );
    assert_up_to_date(root.path(), &layout, &smaller);
    // No temp files are left behind.
    for dir in ["crates/catalog/src/generated", "crates/catalog/schemas"] {
        for entry in fs::read_dir(root.path().join(dir)).expect("dir") {
            let name = entry.expect("entry").file_name();
            assert!(
                !name.to_string_lossy().starts_with('.'),
                "{name:?} left behind"
            );
        }
    }
}

#[test]
fn bad_facts_are_reported_with_file_and_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(
        ldic_test_support::fixture("codegen/upstream.lock"),
        dir.path().join("upstream.lock"),
    )
    .expect("copy lock");
    fs::write(
        dir.path().join("broken.json"),
        "{\n  \"format\": 1,\n  \"key\": 7\n}\n",
    )
    .expect("write");
    let err = load_facts_dir(dir.path())
        .expect_err("bad facts are an error")
        .to_string();
    assert!(err.contains("broken.json"), "{err}");
    assert!(err.contains("line 3"), "{err}");

    fs::write(
        dir.path().join("broken.json"),
        r#"{"format":1,"key":"other","name":"n","version":"1","manifestPath":"p"}"#,
    )
    .expect("write");
    let err = load_facts_dir(dir.path())
        .expect_err("key/file mismatch")
        .to_string();
    assert!(err.contains("other.json"), "{err}");
}

#[test]
fn a_failed_write_leaves_the_previous_set_whole() {
    let (_, _, full) = fixture_files();
    let root = tempfile::tempdir().expect("tempdir");
    let layout = Layout::catalog();
    write_files(root.path(), &layout, &full).expect("writes");
    let before: Vec<Vec<u8>> = full
        .iter()
        .map(|f| fs::read(root.path().join(&f.path)).expect("read"))
        .collect();

    // A new version of every file, plus one that cannot be written (its parent is a file):
    // sorted after some of the changed files, so they are already written aside when it fails.
    let mut next: Vec<_> = full
        .iter()
        .cloned()
        .map(|mut f| {
            f.contents.push_str("// next\n");
            f
        })
        .collect();
    let blocked = next
        .iter()
        .find(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .map(|f| f.path.join("blocked.rs"))
        .expect("a module");
    next.push(GeneratedFile {
        path: blocked,
        contents: String::new(),
    });
    next.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(write_files(root.path(), &layout, &next).is_err());

    for (file, old) in full.iter().zip(&before) {
        let now = fs::read(root.path().join(&file.path)).expect("read");
        assert_eq!(&now, old, "{} changed", file.path.display());
    }
    for dir in [&layout.generated_dir, &layout.schema_dir] {
        for entry in fs::read_dir(root.path().join(dir)).expect("dir") {
            let name = entry.expect("entry").file_name();
            assert!(
                !name.to_string_lossy().contains(".tmp"),
                "temporary {name:?} left behind"
            );
        }
    }
}
