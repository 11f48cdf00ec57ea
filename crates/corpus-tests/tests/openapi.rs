//! Requests the client sends match the request schemas of the OpenAPI subset, and the spec's
//! response examples decode into the client's models. The spec is read at test time from the
//! shared snapshot (never copied into the repository); see this crate's `build.rs`.

#![allow(clippy::unwrap_used)] // tests may unwrap: a failure is the test failing
#![cfg_attr(not(openapi_spec), allow(dead_code, unused_imports))]

#[path = "../../client/tests/common/mod.rs"]
mod common;

use common::datadog;
use ldic_client::model::{AuditLogEventsHookCapabilityConfig, Effect, Statement};
use ldic_client::{
    CapabilityConfig, Client, CreateRequest, IntegrationConfiguration,
    IntegrationConfigurationCollection, PatchOperation, RetryPolicy,
};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

#[cfg(openapi_spec)]
fn spec() -> Value {
    let text = std::fs::read_to_string(env!("LDIC_OPENAPI_SPEC_PATH")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[cfg(not(openapi_spec))]
fn spec() -> Value {
    Value::Null
}

/// A validator of one component schema: the component is the root's `$ref`, and the spec's
/// `components` ride along so that nested `$ref`s resolve.
fn component_validator(name: &str) -> jsonschema::Validator {
    let spec = spec();
    let schema = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": spec["components"],
    });
    jsonschema::validator_for(&schema).unwrap()
}

/// Matches requests whose JSON body is valid against a component schema.
struct MatchesSchema(jsonschema::Validator);

impl Match for MatchesSchema {
    fn matches(&self, request: &Request) -> bool {
        serde_json::from_slice::<Value>(&request.body).is_ok_and(|body| self.0.is_valid(&body))
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder("api-token")
        .base_url(&server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn example(name: &str) -> Value {
    spec()["components"]["schemas"][name]["example"].clone()
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn create_body_matches_integration_configuration_post() {
    // The matcher is not vacuous: it rejects what the schema rejects.
    let post = component_validator("IntegrationConfigurationPost");
    assert!(
        !post.is_valid(&json!({"name": "n"})),
        "configValues is required"
    );
    assert!(!post.is_valid(&json!({"name": 1, "configValues": {}})));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(MatchesSchema(post))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(example("IntegrationConfigurationsRep")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = CreateRequest::new("Everything", datadog())
        .enabled(true)
        .tags(["t"])
        .capability_config(CapabilityConfig {
            approvals: None,
            audit_log_events_hook: Some(AuditLogEventsHookCapabilityConfig {
                statements: Some(vec![Statement {
                    resources: Some(vec!["proj/*:env/*:flag/*".into()]),
                    not_resources: None,
                    actions: Some(vec!["*".into()]),
                    not_actions: None,
                    effect: Effect::Allow,
                }]),
            }),
        });
    let created = client(&server).create_with(&request).await.unwrap();
    assert_eq!(created.integration_key.as_deref(), Some("datadog"));
}

#[tokio::test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
async fn patch_body_matches_json_patch() {
    let server = MockServer::start().await;
    let mut current = example("IntegrationConfigurationsRep");
    // The spec's example is not a valid configuration (it has `approvals`, which datadog does
    // not, and statements with both `actions` and `notActions`): give it a valid current state.
    current["configValues"] = json!({"apiKey": "k"});
    current["capabilityConfig"] = json!({"auditLogEventsHook": {"statements": [
        {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}
    ]}});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(current.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(MatchesSchema(component_validator("JSONPatch")))
        .respond_with(ResponseTemplate::new(200).set_body_json(current))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .update(
            "_id",
            &[
                PatchOperation::replace("/name", "n"),
                PatchOperation::add("/configValues/hostURL", "https://api.datadoghq.eu"),
            ],
        )
        .await
        .unwrap();
}

#[test]
#[cfg_attr(
    not(openapi_spec),
    ignore = "needs the OpenAPI subset (LDIC_OPENAPI_SPEC or ../shared/launchdarkly-api)"
)]
fn spec_response_examples_decode() {
    let rep: IntegrationConfiguration =
        serde_json::from_value(example("IntegrationConfigurationsRep")).unwrap();
    assert_eq!(rep.integration_key.as_deref(), Some("datadog"));
    assert!(rep.access.is_some_and(|a| !a.allowed.is_empty()));
    let collection: IntegrationConfigurationCollection =
        serde_json::from_value(example("IntegrationConfigurationCollectionRep")).unwrap();
    assert!(!collection.items.is_empty());
    for error in [
        "InvalidRequestErrorRep",
        "UnauthorizedErrorRep",
        "ForbiddenErrorRep",
        "NotFoundErrorRep",
        "StatusConflictErrorRep",
        "RateLimitedErrorRep",
    ] {
        let rep: ldic_client::ErrorRep = serde_json::from_value(example(error)).unwrap();
        assert!(!rep.code.is_empty(), "{error}");
    }
}
