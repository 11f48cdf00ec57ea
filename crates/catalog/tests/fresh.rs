//! The committed catalog is what `cargo xtask codegen` produces from `manifests/` today
//! (the check `cargo xtask codegen --check` runs, done in-process).

use ldic_codegen::files::{load_facts_dir, stale_files, write_files};
use ldic_codegen::{Layout, generate_catalog};

#[test]
fn generated_catalog_is_fresh() {
    let root = ldic_test_support::workspace_root();
    let (facts, lock) = load_facts_dir(&root.join("manifests")).expect("manifests/ loads");
    let layout = Layout::catalog();
    let files = generate_catalog(&facts, &lock, &layout).expect("catalog generates");
    let stale = stale_files(&root, &layout, &files).expect("generated files readable");
    let mut listing: Vec<String> = stale.iter().map(ToString::to_string).collect();
    // Show where the first changed file starts to differ.
    if let Some(file) = files
        .iter()
        .find(|f| stale.iter().any(|s| s.path == f.path))
        .filter(|f| root.join(&f.path).is_file())
    {
        let committed = std::fs::read_to_string(root.join(&file.path)).unwrap_or_default();
        if let Some((line, (old, new))) = committed
            .lines()
            .zip(file.contents.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            listing.push(format!(
                "first difference in {} line {}:\n    committed: {old}\n    generated: {new}",
                file.path.display(),
                line + 1
            ));
        }
    }
    if !stale.is_empty() {
        // Like rust-analyzer's sourcegen tests: bring the tree up to date, then fail so the
        // change is noticed and committed.
        let written = write_files(&root, &layout, &files).map(|w| w.len());
        panic!(
            "the generated catalog was stale:\n  {}\nrewrote {written:?} files; review and commit \
             them (or run `cargo xtask codegen`)",
            listing.join("\n  ")
        );
    }
}

#[test]
fn catalog_covers_every_facts_file() {
    let root = ldic_test_support::workspace_root();
    let (facts, _) = load_facts_dir(&root.join("manifests")).expect("manifests/ loads");
    assert_eq!(ldic_catalog::all().len(), facts.len());
    for f in &facts {
        let integration = ldic_catalog::get(&f.key)
            .unwrap_or_else(|| panic!("{} missing from the registry", f.key));
        assert_eq!(integration.name, f.name);
        let declared: Vec<_> = f
            .form_lists
            .iter()
            .map(|l| format!("{:?}", l.kind))
            .collect();
        let listed: Vec<_> = integration
            .lists
            .iter()
            .map(|l| format!("{:?}", l.kind))
            .collect();
        assert_eq!(declared, listed, "{}: lists", f.key);
        for (list_facts, list) in f.form_lists.iter().zip(integration.lists.iter()) {
            let keys: Vec<&str> = list_facts
                .variables
                .iter()
                .map(|v| v.key.as_str())
                .collect();
            let meta: Vec<&str> = list.fields.iter().map(|m| m.key.as_ref()).collect();
            assert_eq!(
                keys, meta,
                "{} {}: field keys in manifest order",
                f.key, list.kind
            );
        }
    }
}
