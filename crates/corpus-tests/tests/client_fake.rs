//! The client against the stateful fake of LaunchDarkly (`ldic-fake`): what the sync engine
//! relies on — list, create, planned updates with `test` operations, delete — under 429s,
//! server errors and dropped connections, with every request checked against the OpenAPI spec
//! and the canary secret and token never in an error.

#![allow(clippy::unwrap_used)] // tests may unwrap: a failure is the test failing
#![cfg_attr(not(openapi_spec), allow(dead_code, unused_imports))]

#[path = "../../client/tests/common/mod.rs"]
mod common;

use common::{SECRET, TOKEN};
use ldic_client::{Client, Error, IntegrationConfiguration, Operation, PatchOperation};
use ldic_fake::{API_PREFIX, Fake, Fault};
use serde_json::{Value, json};

const KEYS: &str = "/api/v2/integration-configurations/keys/datadog";

fn client(fake: &Fake) -> Client {
    common::client_at(&fake.url())
}

fn body(name: &str) -> Value {
    json!({"name": name, "configValues": {"apiKey": SECRET}})
}

fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
    assert!(!shown.contains(SECRET), "secret leaked: {shown}");
}

fn assert_error_has_no_secret(err: &Error) {
    assert_no_secret(&format!("{err} {err:?}"));
}

/// Every test ends here: each request matched the spec, and the log holds no secret.
fn assert_clean(fake: &Fake) {
    assert!(fake.checks_spec(), "the fake was built without the spec");
    assert_eq!(fake.spec_violations(), []);
    assert_no_secret(&format!("{:?}", fake.requests()));
}

/// The error of creating a Datadog configuration named `name`.
async fn create_error(fake: &Fake, name: &str) -> Error {
    client(fake)
        .create_json("datadog", &body(name))
        .await
        .unwrap_err()
}

/// `err` says the request may or may not have taken effect, and shows no secret.
#[track_caller]
fn assert_outcome_unknown(err: &Error, operation: Operation) {
    assert!(
        matches!(err, Error::OutcomeUnknown { operation: o, .. } if *o == operation),
        "{err:?}"
    );
    assert_error_has_no_secret(err);
}

async fn create_one(fake: &Fake, name: &str) -> IntegrationConfiguration {
    client(fake)
        .create_json("datadog", &body(name))
        .await
        .unwrap()
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn list_create_and_delete() {
    let fake = Fake::start(TOKEN).unwrap();
    let c = client(&fake);
    assert!(c.list("datadog").await.unwrap().items.is_empty());
    let created = create_one(&fake, "Production").await;
    assert_eq!(created.integration_key.as_deref(), Some("datadog"));
    assert_eq!(
        fake.stored(&created.id).unwrap()["configValues"]["apiKey"],
        SECRET
    );
    let listed = c.list("datadog").await.unwrap().items;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    assert!(!format!("{listed:?}").contains(SECRET));
    c.delete(&created.id).await.unwrap();
    assert!(c.list("datadog").await.unwrap().items.is_empty());
    let err = c.delete(&created.id).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_clean(&fake);
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn update_planned_sends_one_patch_and_reads_nothing() {
    let fake = Fake::start(TOKEN).unwrap();
    let c = client(&fake);
    create_one(&fake, "Before").await;
    let current = c.list("datadog").await.unwrap().items.remove(0);
    fake.clear_requests();
    let updated = c
        .update_planned(
            &current,
            &[
                PatchOperation::test("/name", "Before"),
                PatchOperation::test("/configValues/hostURL", "https://api.datadoghq.com"),
                PatchOperation::replace("/name", "After"),
                PatchOperation::replace("/configValues/hostURL", "https://api.datadoghq.eu"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(updated.name, "After");
    let stored = fake.stored(&current.id).unwrap();
    assert_eq!(
        stored["configValues"]["hostURL"],
        "https://api.datadoghq.eu"
    );
    assert_eq!(
        stored["configValues"]["apiKey"], SECRET,
        "the secret is untouched"
    );
    let requests = fake.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "PATCH");
    assert_clean(&fake);
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn an_unreadable_remote_secret_does_not_make_a_planned_update_invalid() {
    let fake = Fake::start(TOKEN).unwrap();
    let c = client(&fake);
    let mut current = create_one(&fake, "Secret").await;
    // Whatever LaunchDarkly returns for a secret (here: null, which would be a `wrong-type`
    // error, and: the required field left out) says nothing about the stored value.
    for remote_secret in [Some(Value::Null), None] {
        let mut values = current.config_values.clone().into_map();
        match &remote_secret {
            Some(v) => values.insert("apiKey".into(), v.clone()),
            None => values.remove("apiKey"),
        };
        current.config_values = values.into();
        let name = format!("Renamed {}", remote_secret.is_some());
        c.update_planned(&current, &[PatchOperation::replace("/name", name.as_str())])
            .await
            .unwrap();
        current.name = name;
    }
    // A secret the patch does change is validated: a number is refused, nothing sent.
    fake.clear_requests();
    let err = c
        .update_planned(&current, &[PatchOperation::add("/configValues/apiKey", 42)])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    assert!(fake.requests().is_empty());
    assert_clean(&fake);
}

async fn conflict(fake: Fake, status: u16) {
    let c = client(&fake);
    create_one(&fake, "Planned").await;
    let current = c.list("datadog").await.unwrap().items.remove(0);
    // Someone renames it in the UI between plan and apply.
    assert!(fake.edit(&current.id, |config| config["name"] =
        json!("Changed in the UI")));
    let before = fake.stored(&current.id).unwrap();
    let err = c
        .update_planned(
            &current,
            &[
                PatchOperation::test("/name", "Planned"),
                PatchOperation::replace("/name", "Desired"),
                PatchOperation::replace("/configValues/apiKey", SECRET),
            ],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { id, status: s, .. } if *id == current.id && *s == status),
        "{err:?}"
    );
    assert!(err.is_conflict());
    assert_error_has_no_secret(&err);
    assert_eq!(fake.stored(&current.id).unwrap(), before, "nothing changed");
    assert_eq!(fake.count("PATCH", API_PREFIX), 1, "never resent");
    assert_clean(&fake);
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_failed_test_answered_400_is_a_conflict() {
    conflict(Fake::start(TOKEN).unwrap(), 400).await;
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_failed_test_answered_409_is_a_conflict() {
    let fake = Fake::builder(TOKEN)
        .failed_test_status(409)
        .start()
        .unwrap();
    conflict(fake, 409).await;
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_400_whose_tests_still_hold_is_not_a_conflict() {
    let fake = Fake::start(TOKEN).unwrap();
    let c = client(&fake);
    let current = create_one(&fake, "Planned").await;
    // The fake refuses a patch of a server-owned field; the tests hold, so it is not a conflict.
    let err = c
        .update_planned(
            &current,
            &[
                PatchOperation::test("/name", "Planned"),
                PatchOperation::replace("/_createdAt", 1),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
    assert!(!err.is_conflict());
    assert_clean(&fake);
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_planned_patch_whose_test_fails_locally_sends_nothing() {
    let fake = Fake::start(TOKEN).unwrap();
    let c = client(&fake);
    let current = create_one(&fake, "Planned").await;
    fake.clear_requests();
    let err = c
        .update_planned(&current, &[PatchOperation::test("/name", "Other")])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PatchDoesNotApply { .. }), "{err:?}");
    assert!(fake.requests().is_empty());
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_429_then_success_creates_once() {
    let fake = Fake::start(TOKEN).unwrap();
    fake.inject(Fault::rate_limited("POST", KEYS, 1, Some(0)));
    fake.inject(Fault::rate_limited("GET", KEYS, 1, Some(0)));
    create_one(&fake, "Rate limited").await;
    assert_eq!(fake.count("POST", KEYS), 2);
    assert_eq!(fake.stored_all().len(), 1);
    assert_eq!(client(&fake).list("datadog").await.unwrap().items.len(), 1);
    assert_eq!(fake.count("GET", KEYS), 2);
    assert_clean(&fake);
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_post_dropped_after_it_was_applied_is_outcome_unknown_and_not_resent() {
    let fake = Fake::start(TOKEN).unwrap();
    fake.inject(Fault::drop_after_apply("POST", KEYS));
    let err = create_error(&fake, "Ghost").await;
    assert_outcome_unknown(&err, Operation::Create);
    assert_eq!(fake.count("POST", KEYS), 1, "no second POST");
    assert_eq!(fake.stored_all().len(), 1, "it was created");
    assert_clean(&fake);
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_post_dropped_before_it_was_applied_is_outcome_unknown_too() {
    let fake = Fake::start(TOKEN).unwrap();
    fake.inject(Fault::drop_before_apply("POST", KEYS));
    let err = create_error(&fake, "Never").await;
    // The client cannot tell the two cases apart: both are unknown outcomes.
    assert_outcome_unknown(&err, Operation::Create);
    assert_eq!(fake.count("POST", KEYS), 1);
    assert!(fake.stored_all().is_empty());
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn a_planned_patch_dropped_after_apply_is_outcome_unknown_and_not_resent() {
    let fake = Fake::start(TOKEN).unwrap();
    let current = create_one(&fake, "Before").await;
    fake.inject(Fault::drop_after_apply("PATCH", API_PREFIX));
    let err = client(&fake)
        .update_planned(
            &current,
            &[
                PatchOperation::test("/name", "Before"),
                PatchOperation::replace("/name", "After"),
            ],
        )
        .await
        .unwrap_err();
    assert_outcome_unknown(&err, Operation::Update);
    assert_eq!(fake.count("PATCH", API_PREFIX), 1);
    assert_eq!(fake.stored(&current.id).unwrap()["name"], "After");
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn delete_and_list_retry_a_500_but_create_does_not() {
    let fake = Fake::start(TOKEN).unwrap();
    let current = create_one(&fake, "Doomed").await;
    fake.inject(Fault::server_error("DELETE", API_PREFIX, 1));
    fake.inject(Fault::server_error("GET", KEYS, 1));
    fake.inject(Fault::server_error("POST", KEYS, 1));
    let c = client(&fake);
    c.delete(&current.id).await.unwrap();
    assert_eq!(fake.count("DELETE", API_PREFIX), 2);
    assert!(c.list("datadog").await.unwrap().items.is_empty());
    let err = c.create_json("datadog", &body("Once")).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(fake.count("POST", KEYS), 2, "the first create and this one");
    assert_clean(&fake);
}

#[tokio::test]
async fn a_wrong_token_is_401_and_never_shown() {
    let fake = Fake::start("the-right-token").unwrap();
    let err = client(&fake).list("datadog").await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { status: 401, code, .. } if code == "unauthorized"),
        "{err:?}"
    );
    assert_error_has_no_secret(&err);
}

#[test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
fn the_blocking_client_plans_and_updates() {
    let fake = Fake::start(TOKEN).unwrap();
    let c = common::builder_at(&fake.url()).build_blocking().unwrap();
    c.create_json("datadog", &body("Blocking")).unwrap();
    let current = c.list("datadog").unwrap().items.remove(0);
    c.update_planned(
        &current,
        &[
            PatchOperation::test("/enabled", true),
            PatchOperation::replace("/enabled", false),
        ],
    )
    .unwrap();
    assert_eq!(fake.stored(&current.id).unwrap()["enabled"], false);
    let err = c
        .update_planned(&current, &[PatchOperation::test("/enabled", true)])
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    assert_clean(&fake);
}
