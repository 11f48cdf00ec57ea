//! The engine through the real client (`Remote for ldic_client::blocking::Client`) against the
//! stateful fake: requests match the OpenAPI spec, a pinned `_id` renames, a concurrent change
//! fails the guarded update, and errors carry no secret.
#![allow(clippy::unwrap_used)]

use ldic_fake::{API_PREFIX, Fake};
use ldic_sync::{ActionKind, Desired, Options, Source, execute, list_remote, plan};
use serde_json::json;

const TOKEN: &str = "api-canary-token-0c3d";
const SECRET: &str = "dd-canary-secret-61f0";

fn client(fake: &Fake) -> ldic_client::blocking::Client {
    ldic_client::Client::builder(ldic_client::ApiToken::new(TOKEN))
        .base_url(&fake.url())
        .build_blocking()
        .unwrap()
}

fn desired(v: serde_json::Value) -> Desired {
    Desired::from_file_config(v.as_object().unwrap(), Source::new("f.json", ""), |_| {
        Some(SECRET.to_owned())
    })
    .unwrap()
}

#[test]
fn rename_by_pinned_id_and_guarded_update_through_the_client() {
    let fake = Fake::start(TOKEN).unwrap();
    let id = fake.seed("datadog", json!({"name": "old", "enabled": true, "tags": [],
        "configValues": {"apiKey": "x", "hostURL": "https://api.datadoghq.com", "hideMemberDetails": false}}));
    let remote = client(&fake);
    let want = [desired(
        json!({"integrationKey": "datadog", "_id": id, "name": "new",
        "configValues": {"apiKey": "${env:K}", "hideMemberDetails": true}}),
    )];
    let state = list_remote(&remote, ["datadog"]).unwrap();
    let p = plan(
        &want,
        &state,
        &Options {
            prune: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(p.summary.update, 1, "{p}");
    let report = execute(&p, &remote, 2);
    assert!(report.is_success(), "{report}");
    let stored = fake.stored(&id).unwrap();
    assert_eq!(stored["name"], "new");
    assert_eq!(stored["configValues"]["hideMemberDetails"], true);
    assert_eq!(
        stored["configValues"]["apiKey"], "x",
        "secret untouched without rotate"
    );

    // A change between plan and apply makes the update's test fail: nothing is overwritten.
    let want = [desired(
        json!({"integrationKey": "datadog", "_id": id, "name": "new",
        "configValues": {"apiKey": "${env:K}", "hideMemberDetails": false}}),
    )];
    let state = list_remote(&remote, ["datadog"]).unwrap();
    let p = plan(&want, &state, &Options::default()).unwrap();
    assert_eq!(p.actions[0].action, ActionKind::Update);
    fake.edit(&id, |c| {
        c["configValues"]["hideMemberDetails"] = json!("someone else")
    });
    let report = execute(&p, &remote, 1);
    assert_eq!(report.summary.failed, 1, "{report}");
    assert_eq!(
        fake.stored(&id).unwrap()["configValues"]["hideMemberDetails"],
        "someone else"
    );
    let shown = format!("{report}{report:?}{p}{p:?}");
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[test]
fn create_through_the_client_sends_the_secret_and_replans_to_nothing() {
    let fake = Fake::start(TOKEN).unwrap();
    let remote = client(&fake);
    let want = [desired(
        json!({"integrationKey": "datadog", "name": "prod", "tags": ["b", "a"],
        "configValues": {"apiKey": "${env:K}"}}),
    )];
    let state = list_remote(&remote, ["datadog"]).unwrap();
    let p = plan(&want, &state, &Options::default()).unwrap();
    assert!(execute(&p, &remote, 1).is_success());
    let all = fake.stored_all();
    assert_eq!(all[0]["configValues"]["apiKey"], SECRET);
    assert_eq!(all[0]["tags"], json!(["a", "b"]));
    let state = list_remote(&remote, ["datadog"]).unwrap();
    let again = plan(&want, &state, &Options::default()).unwrap();
    assert!(!again.has_pending(), "{again}");
    assert_eq!(fake.count("POST", API_PREFIX), 1);
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}
