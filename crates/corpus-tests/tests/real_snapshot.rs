//! The real upstream snapshot (../shared/integration-framework) passes the rules and extracts in
//! full, and the committed `manifests/` is exactly what it extracts to.

#![allow(clippy::unwrap_used)]

use ldic_manifest::load::load_tree;
use ldic_manifest::rules::Severity;
use ldic_manifest::store::{self, FactsSet};
use ldic_manifest::tree::UpstreamTree;

const NEEDS_SNAPSHOT: &str = "needs the upstream snapshot";

fn tree() -> UpstreamTree {
    let dir = ldic_test_support::upstream_dir().expect(NEEDS_SNAPSHOT);
    UpstreamTree::open(dir).unwrap()
}

#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (LDIC_UPSTREAM_DIR or ../shared/integration-framework)"
)]
fn every_integration_extracts_and_only_warnings_remain() {
    let tree = tree();
    let dirs: Vec<String> = std::fs::read_dir(tree.root().join("integrations"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("manifest.json").is_file())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    let loaded = load_tree(&tree).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.facts.len(), dirs.len());
    for f in &loaded.facts {
        assert!(dirs.contains(&f.key), "{}", f.key);
        assert_eq!(
            f.manifest_path,
            format!("integrations/{}/manifest.json", f.key)
        );
    }
    assert!(
        loaded
            .warnings
            .iter()
            .all(|w| w.severity() == Severity::Warning)
    );
}

#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (LDIC_UPSTREAM_DIR or ../shared/integration-framework)"
)]
fn facts_carry_no_upstream_prose() {
    let tree = tree();
    let loaded = load_tree(&tree).unwrap();
    for (file, facts) in tree.manifests().unwrap().iter().zip(&loaded.facts) {
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file.path).unwrap()).unwrap();
        let rendered = store::render(facts);
        let mut prose = vec![
            manifest["description"].as_str(),
            manifest["overview"].as_str(),
        ];
        let mut stack = vec![&manifest];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(m) => {
                    prose.push(m.get("description").and_then(|d| d.as_str()));
                    stack.extend(m.values());
                }
                serde_json::Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
        for text in prose.into_iter().flatten().filter(|t| t.len() > 30) {
            let escaped = serde_json::to_string(text).unwrap();
            assert!(!rendered.contains(&escaped), "{}: {text}", file.repo_path);
        }
    }
}

#[test]
#[cfg_attr(
    not(upstream_snapshot),
    ignore = "needs the upstream snapshot (LDIC_UPSTREAM_DIR or ../shared/integration-framework)"
)]
fn committed_manifests_match_the_snapshot_they_are_locked_to() {
    let tree = tree();
    let committed_dir = ldic_test_support::workspace_root().join("manifests");
    let committed: FactsSet = store::read_facts_dir(&committed_dir).unwrap();
    let lock = committed.lock.clone().expect("manifests/upstream.lock");
    if lock.content_hash.as_deref() != Some(tree.content_hash().unwrap().as_str()) {
        // A different snapshot (LDIC_UPSTREAM_DIR): nothing to compare byte for byte.
        eprintln!("snapshot differs from the one manifests/ is locked to; skipping the comparison");
        return;
    }
    let loaded = load_tree(&tree).unwrap();
    for (name, content) in store::render_facts_set(&lock, &loaded.facts) {
        let on_disk = std::fs::read_to_string(committed_dir.join(&name)).unwrap();
        assert_eq!(
            on_disk, content,
            "manifests/{name} is stale: run cargo xtask fetch"
        );
    }
    assert_eq!(committed.integrations.len(), loaded.facts.len());
}
