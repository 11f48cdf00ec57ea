//! Property: for random desired and remote states, applying the plan yields the desired state
//! (modulo write-only secrets and server defaults), and planning again finds nothing to do.
#![allow(clippy::unwrap_used)]

use ldic_sync::{Desired, MemoryRemote, Options, Source, execute, list_remote, plan};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const HOSTS: [&str; 3] = [
    "https://api.datadoghq.com",
    "https://api.datadoghq.eu",
    "https://us3.datadoghq.com",
];
const DEFAULT_HOST: &str = "https://api.datadoghq.com";

#[derive(Debug, Clone)]
struct Config {
    host: Option<usize>,
    hide: Option<bool>,
    enabled: Option<bool>,
    tags: Vec<&'static str>,
    capability: bool,
}

fn config() -> impl Strategy<Value = Config> {
    (
        proptest::option::of(0..HOSTS.len()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::sample::subsequence(vec!["x", "y", "z"], 0..=3),
        any::<bool>(),
    )
        .prop_map(|(host, hide, enabled, tags, capability)| Config {
            host,
            hide,
            enabled,
            tags,
            capability,
        })
}

fn states() -> impl Strategy<Value = (BTreeMap<&'static str, Config>, Vec<(&'static str, Config)>)>
{
    let names = proptest::sample::select(vec!["a", "b", "c", "d", "e"]);
    (
        proptest::collection::btree_map(names.clone(), config(), 0..5),
        proptest::collection::vec((names, config()), 0..5),
    )
}

fn body(name: &str, c: &Config, rev_tags: bool) -> Map<String, Value> {
    let mut values = json!({"apiKey": "k"});
    if let Some(h) = c.host {
        values["hostURL"] = json!(HOSTS[h]);
    }
    if let Some(b) = c.hide {
        values["hideMemberDetails"] = json!(b);
    }
    let mut tags = c.tags.clone();
    if rev_tags {
        tags.reverse();
    }
    let mut v = json!({"name": name, "configValues": values, "tags": tags});
    if let Some(e) = c.enabled {
        v["enabled"] = json!(e);
    }
    if c.capability {
        v["capabilityConfig"] = json!({"auditLogEventsHook": {"statements": [
            {"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]}});
    }
    v.as_object().unwrap().clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn apply_converges((desired_map, remote_list) in states()) {
        let remote = MemoryRemote::new();
        for (name, c) in &remote_list {
            remote.insert("datadog", &body(name, c, false));
        }
        let mut want = Vec::new();
        for (name, c) in &desired_map {
            let mut m = body(name, c, true);
            m.insert("integrationKey".into(), json!("datadog"));
            want.push(Desired::from_file_config(&m, Source::new("f.json", ""), |_| None).unwrap());
        }
        // Duplicate remote names a file also names are conflicts; they stay as they are.
        let dup = |n: &str| remote_list.iter().filter(|(r, _)| *r == n).count() > 1;
        let options = Options { prune: true, ..Options::default() };
        let state = list_remote(&remote, ["datadog"]).unwrap();
        let p = plan(&want, &state, &options).unwrap();
        let report = execute(&p, &remote, 3);
        prop_assert_eq!(report.summary.failed, p.summary.conflict);

        let stored = remote.stored("datadog");
        for (name, c) in &desired_map {
            let found: Vec<_> = stored.iter().filter(|d| d["name"] == *name).collect();
            if dup(name) {
                prop_assert!(found.len() > 1);
                continue;
            }
            prop_assert_eq!(found.len(), 1);
            let d = found[0];
            // A field the file leaves out is absent or holds the default (a removed field).
            let or_default = |v: &Value, default: Value| if v.is_null() { default } else { v.clone() };
            let host = c.host.map_or(DEFAULT_HOST, |h| HOSTS[h]);
            prop_assert_eq!(or_default(&d["configValues"]["hostURL"], json!(DEFAULT_HOST)), json!(host));
            prop_assert_eq!(or_default(&d["configValues"]["hideMemberDetails"], json!(false)), json!(c.hide.unwrap_or(false)));
            prop_assert_eq!(&d["enabled"], &json!(c.enabled.unwrap_or(true)));
            let mut tags: Vec<&str> = d["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
            tags.sort_unstable();
            prop_assert_eq!(tags, c.tags.clone());
            prop_assert_eq!(d.contains_key("capabilityConfig") && !d["capabilityConfig"].as_object().unwrap().is_empty(), c.capability);
        }
        // Prune scope: with no file of the key, nothing of it is touched.
        if desired_map.is_empty() {
            prop_assert_eq!(stored.len(), remote_list.len());
            prop_assert_eq!(remote.counts().writes(), 0);
        }
        // Otherwise nothing no file names survives (duplicates a file names are conflicts).
        for d in stored.iter().filter(|_| !desired_map.is_empty()) {
            let n = d["name"].as_str().unwrap();
            prop_assert!(desired_map.contains_key(n));
        }

        let before = remote.counts().writes();
        let state = list_remote(&remote, ["datadog"]).unwrap();
        let again = plan(&want, &state, &options).unwrap();
        prop_assert_eq!(again.summary.create + again.summary.update + again.summary.delete, 0, "{}", again);
        execute(&again, &remote, 3);
        prop_assert_eq!(remote.counts().writes(), before);
    }
}
