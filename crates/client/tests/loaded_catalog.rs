//! The client with a catalog loaded at run time: an integration only that catalog knows is
//! validated and sent, not refused as unknown; the built-in catalog refuses it without a request.

#![allow(clippy::unwrap_used)] // tests may unwrap: a failure is the test failing

mod common;

use common::*;
use ldic_catalog::Catalog;
use ldic_client::{Client, Code, Error};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEYS_ACME: &str = "/api/v2/integration-configurations/keys/acme-audit-sink";

fn loaded() -> Arc<Catalog> {
    Arc::new(Catalog::load_dir(ldic_test_support::fixture("catalog/unknown-integration")).unwrap())
}

fn with_catalog(server: &MockServer, catalog: Arc<Catalog>) -> Client {
    Client::builder(TOKEN)
        .base_url(&server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(policy())
        .catalog(catalog)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_integration_only_the_loaded_catalog_knows_is_validated_and_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(KEYS_ACME))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "_id": "cfg-acme",
            "name": "Acme",
            "_integrationKey": "acme-audit-sink",
            "configValues": {"endpoint": "https://example.com/in"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let body = json!({"name": "Acme", "configValues": {"endpoint": "https://example.com/in", "token": SECRET}});

    let builtin = client(&server);
    match builtin.create_json("acme-audit-sink", &body).await {
        Err(Error::Invalid(report)) => {
            assert_eq!(report.diagnostics[0].code, Code::UnknownIntegration)
        }
        other => panic!("the built-in catalog must refuse: {other:?}"),
    }
    assert!(requests(&server).await.is_empty(), "nothing sent");

    let client = with_catalog(&server, loaded());
    assert!(client.catalog().get("acme-audit-sink").is_some());
    assert!(client.check_in_catalog("acme-audit-sink", &body).is_empty());
    let created = client.create_json("acme-audit-sink", &body).await.unwrap();
    assert_eq!(created.id, "cfg-acme");

    // Invalid for the loaded integration: refused, nothing more sent.
    let invalid = json!({"name": "Acme", "configValues": {"endpoint": "not a uri"}});
    match client.create_json("acme-audit-sink", &invalid).await {
        Err(Error::Invalid(report)) => {
            let codes: Vec<Code> = report.diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(codes, [Code::MissingRequired, Code::InvalidUri], "{report}");
        }
        other => panic!("expected a refusal: {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}
