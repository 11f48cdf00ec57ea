//! Compiles the fixture catalog (the code the snapshot tests pin) under `#![deny(warnings)]`
//! with trybuild, and runs `compile/fixture_main.rs` against it.
//!
//! The generated files are written to a scratch directory laid out like `crates/catalog`
//! (`src/generated/*.rs`, `schemas/*.json`), so the `include_str!` paths are the real ones.

use ldic_codegen::files::load_facts_dir;
use ldic_codegen::{Layout, generate_catalog};
use std::fs;
use std::path::Path;

#[test]
fn fixture_catalog_compiles_and_behaves() {
    let dir = ldic_test_support::fixture("codegen");
    let (facts, lock) = load_facts_dir(&dir).expect("fixture facts load");
    let layout = Layout {
        generated_dir: "src/generated".into(),
        schema_dir: "schemas".into(),
        schema_include_prefix: "../../schemas/".to_owned(),
    };
    let files = generate_catalog(&facts, &lock, &layout).expect("generates");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-catalog");
    let _ = fs::remove_dir_all(&scratch);
    for file in &files {
        let path = scratch.join(&file.path);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, &file.contents).expect("write generated file");
    }
    let main = scratch.join("src/main.rs");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile/fixture_main.rs"),
        &main,
    )
    .expect("copy main");
    trybuild::TestCases::new().pass(&main);
}
