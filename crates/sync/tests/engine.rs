//! The engine's rules, one test each, against the in-memory remote.
#![allow(clippy::unwrap_used)]

use ldic_sync::{
    ActionKind, ChangeOp, Desired, MemoryRemote, NotComparedReason, Options, OutcomeStatus,
    PlanError, Remote, Source, Target, execute, import, list_remote, plan, plan_in,
};
use serde_json::{Map, Value, json};

const CANARY: &str = "canary-secret-4f7a9";

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn env(name: &str) -> Option<String> {
    match name {
        "DATADOG_API_KEY" => Some(CANARY.to_owned()),
        "DD_HOST" => Some("https://api.datadoghq.eu".to_owned()),
        _ => None,
    }
}

fn desired_at(file: &str, v: Value) -> Desired {
    Desired::from_file_config(&obj(v), Source::new(file, ""), env).unwrap()
}

fn desired(v: Value) -> Desired {
    desired_at("configs/a.yaml", v)
}

fn datadog(name: &str, extra: Value) -> Value {
    let mut v = json!({"integrationKey": "datadog", "name": name,
        "configValues": {"apiKey": "${env:DATADOG_API_KEY}"}});
    for (k, x) in extra.as_object().unwrap() {
        if k == "configValues" {
            for (f, y) in x.as_object().unwrap() {
                v["configValues"][f] = y.clone();
            }
        } else {
            v[k] = x.clone();
        }
    }
    v
}

fn make_plan(remote: &MemoryRemote, want: &[Desired], options: &Options) -> ldic_sync::Plan {
    let state = list_remote(remote, want.iter().map(|d| d.integration_key.as_str())).unwrap();
    plan(want, &state, options).unwrap()
}

fn default_plan(remote: &MemoryRemote, want: &[Desired]) -> ldic_sync::Plan {
    make_plan(remote, want, &Options::default())
}

/// A remote holding the Datadog configuration `name`, and the file's version of it taking
/// `hostURL` from `${env:DD_HOST}`.
fn with_host_from_env(name: &str) -> (MemoryRemote, [Desired; 1]) {
    let remote = MemoryRemote::new();
    seed(&remote, datadog(name, json!({})));
    let want = [desired(datadog(
        name,
        json!({"configValues": {"hostURL": "${env:DD_HOST}"}}),
    ))];
    (remote, want)
}

fn apply(remote: &MemoryRemote, want: &[Desired], options: &Options) -> ldic_sync::ApplyReport {
    let p = make_plan(remote, want, options);
    execute(&p, remote, 4)
}

/// Stores `v` (without its `integrationKey`) as a configuration of `key`; returns its id.
fn seed_in(remote: &MemoryRemote, key: &str, v: Value) -> String {
    let mut m = obj(v);
    m.remove("integrationKey");
    remote.insert(key, &m)
}

fn seed(remote: &MemoryRemote, v: Value) -> String {
    seed_in(remote, "datadog", v)
}

/// The default options with `prune` on.
fn pruning() -> Options {
    Options {
        prune: true,
        ..Options::default()
    }
}

#[test]
fn create_then_second_apply_makes_zero_writes() {
    let remote = MemoryRemote::new();
    let want = [desired(datadog("prod", json!({"tags": ["b", "a"]})))];
    let report = apply(&remote, &want, &Options::default());
    assert!(report.is_success(), "{report}");
    assert_eq!(remote.counts().create, 1);
    let stored = remote.stored("datadog");
    assert_eq!(
        stored[0]["configValues"]["apiKey"], CANARY,
        "secrets are sent on create"
    );
    assert_eq!(stored[0]["tags"], json!(["a", "b"]), "tags are sent sorted");
    let before = remote.counts().writes();
    let p = default_plan(&remote, &want);
    assert!(!p.has_pending(), "{p}");
    assert_eq!(p.summary.unchanged, 1);
    assert!(execute(&p, &remote, 4).outcomes.is_empty());
    assert_eq!(remote.counts().writes(), before);
}

#[test]
fn update_is_a_minimal_patch_guarded_by_tests() {
    let remote = MemoryRemote::new();
    let id = seed(
        &remote,
        datadog(
            "prod",
            json!({"configValues": {"apiKey": "x"}, "tags": ["ops"]}),
        ),
    );
    let want = [desired(datadog(
        "prod",
        json!({"configValues": {"hostURL": "https://api.datadoghq.eu"}, "tags": ["ops", "eu"], "enabled": false}),
    ))];
    let p = default_plan(&remote, &want);
    let a = &p.actions[0];
    assert_eq!(a.action, ActionKind::Update);
    assert_eq!(a.remote_id.as_deref(), Some(id.as_str()));
    let paths: Vec<(&str, ChangeOp)> = a.changes.iter().map(|c| (c.path.as_str(), c.op)).collect();
    assert_eq!(
        paths,
        [
            ("/enabled", ChangeOp::Replace),
            ("/tags", ChangeOp::Replace),
            ("/configValues/hostURL", ChangeOp::Replace)
        ]
    );
    let patch = serde_json::to_value(a.patch().unwrap()).unwrap();
    assert_eq!(
        patch,
        json!([
            {"op": "test", "path": "/enabled", "value": true},
            {"op": "test", "path": "/tags", "value": ["ops"]},
            {"op": "test", "path": "/configValues/hostURL", "value": "https://api.datadoghq.com"},
            {"op": "replace", "path": "/enabled", "value": false},
            {"op": "replace", "path": "/tags", "value": ["eu", "ops"]},
            {"op": "replace", "path": "/configValues/hostURL", "value": "https://api.datadoghq.eu"}
        ])
    );
    assert!(execute(&p, &remote, 1).is_success());
    assert!(!default_plan(&remote, &want).has_pending());
}

#[test]
fn a_change_made_between_plan_and_apply_fails_the_update() {
    let remote = MemoryRemote::new();
    let id = seed(&remote, datadog("prod", json!({})));
    let want = [desired(datadog(
        "prod",
        json!({"configValues": {"hideMemberDetails": true}}),
    ))];
    let p = default_plan(&remote, &want);
    remote.edit(&id, |d| {
        d["configValues"]["hostURL"] = json!("https://us3.datadoghq.com")
    });
    // The plan did not touch hostURL, so the edit does not conflict; a change to the field
    // the plan replaces does.
    remote.edit(&id, |d| {
        d["configValues"]["hideMemberDetails"] = json!("changed")
    });
    let report = execute(&p, &remote, 1);
    assert_eq!(report.summary.failed, 1, "{report}");
    assert_eq!(
        remote.stored("datadog")[0]["configValues"]["hideMemberDetails"],
        "changed"
    );
}

#[test]
fn defaults_absent_field_is_no_change_but_a_non_default_is_removed() {
    let remote = MemoryRemote::new();
    seed(&remote, datadog("a", json!({})));
    seed(
        &remote,
        datadog(
            "b",
            json!({"configValues": {"hostURL": "https://api.datadoghq.eu"}}),
        ),
    );
    let want = [
        desired(datadog("a", json!({}))),
        desired(datadog("b", json!({}))),
    ];
    let p = default_plan(&remote, &want);
    assert_eq!(p.actions[0].action, ActionKind::Unchanged, "{p}");
    let b = &p.actions[1];
    assert_eq!(b.action, ActionKind::Update);
    assert_eq!(b.changes[0].path, "/configValues/hostURL");
    assert_eq!(b.changes[0].op, ChangeOp::Remove);
    assert_eq!(b.changes[0].old, Some(json!("https://api.datadoghq.eu")));
    execute(&p, &remote, 2);
    assert!(!default_plan(&remote, &want).has_pending());
}

#[test]
fn secrets_are_never_compared_and_sent_on_update_only_when_rotating() {
    let remote = MemoryRemote::new();
    seed(
        &remote,
        datadog("prod", json!({"configValues": {"apiKey": "old-value"}})),
    );
    let want = [desired(datadog("prod", json!({})))];
    let p = default_plan(&remote, &want);
    assert_eq!(p.actions[0].action, ActionKind::Unchanged);
    assert_eq!(p.actions[0].not_compared[0].path, "/configValues/apiKey");
    assert_eq!(
        p.actions[0].not_compared[0].reason,
        NotComparedReason::Secret
    );
    let rotate = Options {
        rotate_secrets: true,
        ..Options::default()
    };
    let p = make_plan(&remote, &want, &rotate);
    let a = &p.actions[0];
    assert_eq!(a.action, ActionKind::Update);
    assert!(a.changes[0].sensitive && a.changes[0].old.is_none() && a.changes[0].new.is_none());
    assert!(
        a.patch().unwrap().iter().all(|op| op.op != "test"),
        "no test on an obfuscated value"
    );
    assert!(execute(&p, &remote, 1).is_success());
    assert_eq!(
        remote.stored("datadog")[0]["configValues"]["apiKey"],
        CANARY
    );
}

#[test]
fn set_by_launchdarkly_and_hidden_fields_are_never_compared_nor_removed() {
    let remote = MemoryRemote::new();
    seed_in(
        &remote,
        "cloudtrail",
        json!({"name": "trail", "configValues": {
        "externalId": "ld-generated", "accountId": "12345", "ingestionChannelArn": "arn:a"}}),
    );
    let want = [desired(
        json!({"integrationKey": "cloudtrail", "name": "trail",
        "configValues": {"ingestionChannelArn": "arn:a"}}),
    )];
    let p = default_plan(&remote, &want);
    let a = &p.actions[0];
    assert_eq!(a.action, ActionKind::Unchanged, "{p}");
    let reasons: Vec<_> = a
        .not_compared
        .iter()
        .map(|n| (n.path.as_str(), n.reason.clone()))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                "/configValues/externalId",
                NotComparedReason::SetByLaunchdarkly
            ),
            ("/configValues/accountId", NotComparedReason::Hidden)
        ]
    );
}

#[test]
fn env_values_are_sensitive_and_unset_ones_not_compared() {
    let (remote, want) = with_host_from_env("prod");
    let p = default_plan(&remote, &want);
    let c = &p.actions[0].changes[0];
    assert!(c.sensitive && c.old.is_none() && c.new.is_none());
    assert!(
        p.to_string().contains("/configValues/hostURL: (changed)"),
        "{p}"
    );
    let want = [desired(datadog(
        "prod",
        json!({"configValues": {"hostURL": "${env:NOT_SET_X}"}}),
    ))];
    let p = default_plan(&remote, &want);
    assert_eq!(p.actions[0].action, ActionKind::Unchanged);
    assert_eq!(
        p.actions[0].not_compared[1].reason,
        NotComparedReason::EnvUnset {
            variable: "NOT_SET_X".into()
        }
    );
}

#[test]
fn a_create_needing_an_unset_variable_fails_without_sending() {
    let remote = MemoryRemote::new();
    let want = [desired(json!({"integrationKey": "datadog", "name": "n",
        "configValues": {"apiKey": "${env:NOT_SET_Y}"}}))];
    let p = default_plan(&remote, &want);
    assert_eq!(p.actions[0].missing_env, ["NOT_SET_Y"]);
    let report = execute(&p, &remote, 1);
    assert_eq!(report.summary.failed, 1);
    assert_eq!(remote.counts().create, 0);
}

#[test]
fn credential_urls_are_sensitive() {
    let remote = MemoryRemote::new();
    seed_in(
        &remote,
        "webhooks-like-unknown",
        json!({"name": "hook", "configValues": {"url": "https://a.test/"}}),
    );
    let want = [desired(
        json!({"integrationKey": "webhooks-like-unknown", "name": "hook",
        "configValues": {"url": "https://user:canary-secret-4f7a9@a.test/"}}),
    )];
    let p = default_plan(&remote, &want);
    assert!(p.actions[0].changes[0].sensitive);
    assert!(!serde_json::to_string(&p).unwrap().contains(CANARY));
}

#[test]
fn rename_by_pinned_id_is_an_update() {
    let remote = MemoryRemote::new();
    let id = seed(&remote, datadog("old name", json!({})));
    let mut v = datadog("new name", json!({}));
    v["_id"] = json!(id);
    let want = [desired(v)];
    let p = make_plan(&remote, &want, &pruning());
    assert_eq!(p.summary.update, 1, "{p}");
    assert_eq!(p.summary.delete, 0);
    assert_eq!(p.actions[0].changes[0].path, "/name");
    assert!(execute(&p, &remote, 1).is_success());
    assert_eq!(remote.stored("datadog")[0]["name"], "new name");
}

#[test]
fn a_pinned_id_that_does_not_exist_is_a_conflict() {
    let remote = MemoryRemote::new();
    let mut v = datadog("x", json!({}));
    v["_id"] = json!("gone");
    let p = make_plan(&remote, &[desired(v)], &Options::default());
    assert_eq!(p.actions[0].action, ActionKind::Conflict);
    assert!(p.actions[0].reason.as_deref().unwrap().contains("gone"));
}

#[test]
fn ambiguous_remote_names_are_a_conflict_naming_both_ids_and_touch_nothing() {
    let remote = MemoryRemote::new();
    let a = seed(&remote, datadog("dup", json!({})));
    let b = seed(&remote, datadog("dup", json!({})));
    let want = [
        desired(datadog("dup", json!({"enabled": false}))),
        desired(datadog("other", json!({}))),
    ];
    let p = make_plan(&remote, &want, &pruning());
    let conflict = p
        .actions
        .iter()
        .find(|x| x.action == ActionKind::Conflict)
        .unwrap();
    assert_eq!(conflict.conflicting_ids, [a.clone(), b.clone()]);
    let reason = conflict.reason.as_deref().unwrap();
    assert!(reason.contains(&a) && reason.contains(&b), "{reason}");
    assert_eq!(p.summary.delete, 0, "neither duplicate is pruned");
    let report = execute(&p, &remote, 2);
    assert_eq!(
        (report.summary.done, report.summary.failed),
        (1, 1),
        "the other one still runs"
    );
    assert_eq!(remote.counts().update + remote.counts().delete, 0);
}

#[test]
fn duplicates_in_the_files_are_an_error_naming_both_places() {
    let state = ldic_sync::RemoteState::new();
    let want = [
        desired_at("a.yaml", datadog("same", json!({}))),
        desired_at("b.yaml", datadog("same", json!({}))),
    ];
    let err = plan(&want, &state, &Options::default()).unwrap_err();
    assert!(matches!(err, PlanError::DuplicateName { .. }));
    let text = err.to_string();
    assert!(text.contains("a.yaml") && text.contains("b.yaml"), "{text}");
    let mut x = datadog("x", json!({}));
    let mut y = datadog("y", json!({}));
    x["_id"] = json!("id1");
    y["_id"] = json!("id1");
    let err = plan(
        &[desired_at("a.yaml", x), desired_at("b.yaml", y)],
        &state,
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(err, PlanError::DuplicateId { .. }), "{err}");
}

#[test]
fn prune_deletes_only_within_the_files_integration_keys() {
    let remote = MemoryRemote::new();
    seed(&remote, datadog("keep", json!({})));
    seed(&remote, datadog("stale", json!({})));
    seed_in(
        &remote,
        "slack",
        json!({"name": "elsewhere", "configValues": {}}),
    );
    let want = [desired(datadog("keep", json!({})))];
    let p = default_plan(&remote, &want);
    assert_eq!(p.summary.delete, 0, "no delete without prune");
    let p = make_plan(&remote, &want, &pruning());
    assert_eq!(p.summary.delete, 1);
    assert_eq!(p.integration_keys, ["datadog"]);
    assert!(execute(&p, &remote, 2).is_success());
    assert_eq!(remote.stored("datadog").len(), 1);
    assert_eq!(remote.stored("slack").len(), 1);
    assert_eq!(remote.counts().list, 2, "one list per plan per key");
}

#[test]
fn targets_limit_the_plan_and_protect_untargeted_configurations() {
    let remote = MemoryRemote::new();
    seed(&remote, datadog("a", json!({})));
    seed(&remote, datadog("b", json!({})));
    let want = [
        desired(datadog("a", json!({"enabled": false}))),
        desired(datadog("b", json!({"enabled": false}))),
    ];
    let t: Target = "datadog/a".parse().unwrap();
    let p = make_plan(
        &remote,
        &want,
        &Options {
            targets: vec![t],
            ..pruning()
        },
    );
    assert_eq!(p.actions.len(), 1);
    assert_eq!(p.actions[0].name, "a");
    assert!("".parse::<Target>().is_err() && "k/".parse::<Target>().is_err());
    let t: Target = "k/a/b".parse().unwrap();
    assert_eq!(
        (t.integration_key.as_str(), t.name.as_deref()),
        ("k", Some("a/b"))
    );
}

#[test]
fn capability_config_statement_lists_are_replaced_whole() {
    let remote = MemoryRemote::new();
    let stmt = |r: &str| json!({"effect": "allow", "resources": [r], "actions": ["*"]});
    let cc = |r: &str| json!({"auditLogEventsHook": {"statements": [stmt(r)]}});
    seed(
        &remote,
        datadog("prod", json!({"capabilityConfig": cc("proj/*")})),
    );
    let want = [desired(datadog(
        "prod",
        json!({"capabilityConfig": cc("proj/x")}),
    ))];
    let p = default_plan(&remote, &want);
    let c = &p.actions[0].changes;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].path, "/capabilityConfig/auditLogEventsHook/statements");
    assert!(execute(&p, &remote, 1).is_success());
    assert!(!default_plan(&remote, &want).has_pending());
    // Added where the remote has none, removed when the file drops it.
    let want = [desired(datadog("prod", json!({})))];
    let p = default_plan(&remote, &want);
    assert_eq!(p.actions[0].changes[0].op, ChangeOp::Remove);
    execute(&p, &remote, 1);
    assert!(!default_plan(&remote, &want).has_pending());
}

#[test]
fn an_unknown_create_is_not_retried_and_the_next_plan_adopts_it_by_name() {
    let remote = MemoryRemote::new();
    remote.drop_create_answers(1);
    let want = [desired(datadog("prod", json!({})))];
    let report = apply(&remote, &want, &Options::default());
    assert_eq!(report.summary.unknown, 1);
    assert!(matches!(
        report.outcomes[0].status,
        OutcomeStatus::Unknown { .. }
    ));
    assert_eq!(remote.counts().create, 1, "never retried");
    let p = default_plan(&remote, &want);
    assert_eq!(p.summary.unchanged, 1, "adopted: {p}");
}

#[test]
fn one_failure_does_not_stop_the_others() {
    let remote = MemoryRemote::new();
    remote.refuse("bad");
    let want = [
        desired(datadog("bad", json!({}))),
        desired(datadog("good", json!({}))),
    ];
    let report = apply(&remote, &want, &Options::default());
    assert_eq!((report.summary.done, report.summary.failed), (1, 1));
    let text = report.to_string();
    assert!(
        text.contains("FAILED") && text.contains("1 done, 1 failed"),
        "{text}"
    );
    let report = apply(&remote, &want, &Options::default());
    assert_eq!(report.summary.failed, 1, "a rerun retries only what failed");
    assert_eq!(remote.stored("datadog").len(), 1);
}

#[test]
fn secret_canary_never_appears_in_plan_report_or_errors() {
    let remote = MemoryRemote::new();
    seed(
        &remote,
        datadog("prod", json!({"configValues": {"apiKey": CANARY}})),
    );
    remote.refuse("new");
    let want = [
        desired(datadog(
            "prod",
            json!({"configValues": {"hostURL": "${env:DD_HOST}"}}),
        )),
        desired(datadog("new", json!({}))),
    ];
    for options in [
        Options::default(),
        Options {
            rotate_secrets: true,
            ..pruning()
        },
    ] {
        let p = make_plan(&remote, &want, &options);
        let report = execute(&p, &remote, 2);
        let shown = format!(
            "{p}{p:?}{}{}{report}{report:?}{}{want:?}",
            serde_json::to_string(&p).unwrap(),
            p.render_markdown(),
            serde_json::to_string(&report).unwrap(),
        );
        assert!(!shown.contains(CANARY), "{shown}");
        assert!(
            !shown.contains("api.datadoghq.eu"),
            "env-sourced value shown: {shown}"
        );
    }
}

#[test]
fn plan_json_document_is_stable() {
    let remote = MemoryRemote::new();
    let id = seed(&remote, datadog("prod", json!({})));
    let want = [
        desired(datadog(
            "prod",
            json!({"configValues": {"hideMemberDetails": true}}),
        )),
        desired(datadog("staging", json!({}))),
    ];
    let p = default_plan(&remote, &want);
    let doc = serde_json::to_value(&p).unwrap();
    assert_eq!(
        doc,
        json!({
            "version": 1, "prune": false, "rotateSecrets": false,
            "integrationKeys": ["datadog"],
            "summary": {"create": 1, "update": 1, "unchanged": 0, "delete": 0, "conflict": 0},
            "actions": [
                {"action": "update", "integrationKey": "datadog", "name": "prod", "remoteId": id,
                 "source": {"file": "configs/a.yaml", "pointer": ""},
                 "changes": [{"path": "/configValues/hideMemberDetails", "op": "replace",
                              "old": false, "new": true, "sensitive": false}],
                 "notCompared": [{"path": "/configValues/apiKey", "reason": "secret"}]},
                {"action": "create", "integrationKey": "datadog", "name": "staging",
                 "source": {"file": "configs/a.yaml", "pointer": ""}}
            ]
        })
    );
}

#[test]
fn import_then_plan_is_in_sync() {
    let remote = MemoryRemote::new();
    seed(
        &remote,
        datadog(
            "Prod (EU)",
            json!({"configValues": {"apiKey": CANARY, "hostURL": "https://api.datadoghq.eu"}, "tags": ["z", "a"]}),
        ),
    );
    seed(&remote, datadog("prod-eu", json!({})));
    seed_in(
        &remote,
        "cloudtrail",
        json!({"name": "t", "configValues": {"externalId": "gen", "accountId": "1", "ingestionChannelArn": "arn:x"}}),
    );
    let mut files = Vec::new();
    for key in ["datadog", "cloudtrail"] {
        files.extend(import(key, &remote.list(key).unwrap()));
    }
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    assert!(
        names[0].starts_with("datadog.prod-eu.mem") && names[1].starts_with("datadog.prod-eu.mem"),
        "{names:?}"
    );
    assert_eq!(names[2], "cloudtrail.t.json");
    let text =
        serde_json::to_string(&files.iter().map(|f| &f.document).collect::<Vec<_>>()).unwrap();
    assert!(!text.contains(CANARY) && !text.contains("********"));
    assert!(text.contains("${env:DATADOG_API_KEY}"));
    assert!(!text.contains("externalId") && !text.contains("accountId"));
    let want: Vec<Desired> = files
        .iter()
        .map(|f| desired_at(&f.file_name, Value::Object(f.document.clone())))
        .collect();
    let p = make_plan(&remote, &want, &pruning());
    assert!(!p.has_pending(), "{p}");
    assert_eq!(p.summary.unchanged, 3);
}

#[test]
fn markdown_escapes_names_and_marks_sensitive_changes() {
    let (remote, want) = with_host_from_env("a|b");
    let md = default_plan(&remote, &want).render_markdown();
    assert!(md.starts_with("### ldic plan\n"), "{md}");
    assert!(md.contains("| ~ | update | `datadog` | a\\|b |"), "{md}");
    assert!(md.contains("~ /configValues/hostURL: (changed)"), "{md}");
    assert!(!md.contains("api.datadoghq.eu"), "{md}");
}

#[test]
fn import_writes_credential_urls_as_references() {
    let remote = MemoryRemote::new();
    let hook = "https://example.test/hooks/abc?token=canary-url-token";
    seed_in(
        &remote,
        "msteams",
        json!({"name": "alerts", "configValues": {"url": hook}}),
    );
    let files = import("msteams", &remote.list("msteams").unwrap());
    assert_eq!(files.len(), 1);
    let text = serde_json::to_string(&files[0].document).unwrap();
    assert!(!text.contains("canary-url-token"), "{text}");
    assert_eq!(
        files[0].document["configValues"]["url"],
        "${env:MSTEAMS_URL}"
    );
}

#[test]
fn plan_in_uses_the_field_rules_of_a_loaded_catalog() {
    // `acme-audit-sink` exists only in this facts directory: a secret `token` and an optional
    // `region` whose default is "eu".
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/catalog/unknown-integration"
    );
    let catalog = ldic_catalog::Catalog::load_dir(dir).unwrap();
    let remote = MemoryRemote::new();
    let mut seeded = obj(json!({"name": "audit",
        "configValues": {"endpoint": "https://example.com/hook", "token": "old", "region": "eu"}}));
    remote.insert("acme-audit-sink", &seeded);
    seeded.insert("integrationKey".into(), json!("acme-audit-sink"));
    seeded["configValues"]["token"] = json!("new");
    seeded["configValues"]
        .as_object_mut()
        .unwrap()
        .remove("region");
    let want = [desired(Value::Object(seeded))];
    let state = list_remote(&remote, ["acme-audit-sink"]).unwrap();

    // The loaded catalog knows `token` is secret (not compared) and "eu" is the default.
    let loaded = plan_in(&catalog, &want, &state, &Options::default()).unwrap();
    let a = &loaded.actions[0];
    assert_eq!(a.action, ActionKind::Unchanged, "{:?}", a.changes);
    assert_eq!(a.not_compared[0].path, "/configValues/token");
    assert_eq!(a.not_compared[0].reason, NotComparedReason::Secret);

    // The built-in catalog knows neither: both fields are compared as plain values.
    let builtin = plan(&want, &state, &Options::default()).unwrap();
    let paths: Vec<&str> = builtin.actions[0]
        .changes
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(paths, ["/configValues/token", "/configValues/region"]);
}
