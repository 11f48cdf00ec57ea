//! ldic: LaunchDarkly integration configurations, typed and checked before they are sent.
//!
//! This crate is the one to depend on. It gathers the three parts of ldic:
//! - [`catalog`]: a typed config struct and a JSON Schema for every integration, and [`Catalog`]:
//!   the built-in catalog or one loaded at run time from a facts directory
//!   ([`Catalog::load_dir`]), which validation ([`Validator::for_key_in`]) and the client accept,
//! - validation ([`Report`], [`Diagnostic`]): every problem of a create request at once,
//! - the REST client (`Client`, `blocking::Client`, feature `client`, on by default), which
//!   refuses to send what does not validate,
//! - [`sync`] (feature `client`): configuration files as the desired state of an account — a
//!   plan computed as data from the files and the remote configurations, then executed
//!   (`ldic plan`, `ldic apply` and `ldic import` are built on it).
//!
//! Features: `client` (default) brings the REST client and with it reqwest, tokio and rustls.
//! `ldic = { version = "…", default-features = false }` is the catalog and the validator only,
//! with no HTTP or TLS stack:
//!
//! ```
//! let report = ldic::validate("datadog", &serde_json::json!({"name": "n", "configValues": {}}));
//! assert!(report.diagnostics.iter().any(|d| d.code == ldic::Code::MissingRequired));
//! ```
//!
#![cfg_attr(
    feature = "client",
    doc = r#"
Creating a Datadog configuration from its typed struct: the integration key (`datadog`) comes
from the type, a wrong field name or value is a compile error, and the request is validated
before it is sent ([`Error::Invalid`] holds the report; nothing was sent):

```no_run
use ldic::catalog::Secret;
use ldic::catalog::datadog::{DatadogConfig, HostUrl};
use ldic::{ApiToken, Client, Instance};

# async fn run() -> Result<(), ldic::Error> {
let token = ApiToken::from_env("LD_API_KEY").expect("LD_API_KEY is set");
let client = Client::builder(token).instance(Instance::Commercial).build()?;

let config = DatadogConfig::new(Secret::new(std::env::var("DATADOG_API_KEY").unwrap_or_default()))
    .with_host_url(HostUrl::HttpsApiDatadoghqEu);
let created = client.create("Production Datadog", config).await?;
println!("created {} ({:?})", created.id, created.config_values); // prints keys only
# Ok(())
# }
```

Creating from a JSON body (the integration key must be in the catalog):

```no_run
# async fn run() -> Result<(), ldic::Error> {
use ldic::{ApiToken, Client, Instance};

let token = ApiToken::from_env("LD_API_KEY").expect("LD_API_KEY is set");
let client = Client::builder(token).instance(Instance::Eu).build()?;
let body = serde_json::json!({
    "name": "Production Datadog",
    "configValues": {"apiKey": "…", "hostURL": "https://api.datadoghq.eu"}
});
match client.create_json("datadog", &body).await {
    Ok(created) => println!("created {}", created.id),
    Err(ldic::Error::Invalid(report)) => eprintln!("not sent:\n{report}"),
    Err(e) => eprintln!("{e}"),
}
# Ok(())
# }
```
"#
)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use ldic_catalog as catalog;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use ldic_client as client;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use ldic_client::{
    API_VERSION, ApiToken, BaseUrl, CapabilityConfig, Client, ClientBuilder, ConfigValues,
    CreateRequest, DEFAULT_TIMEOUT, Error, Instance, IntegrationConfiguration,
    IntegrationConfigurationCollection, IntegrationConfigurationPost, InvalidBaseUrl, Operation,
    PatchOperation, RetryPolicy, USER_AGENT, blocking, model,
};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use ldic_sync as sync;
pub use ldic_validate::*;

/// The README's Rust examples, compiled and run as doc-tests.
#[doc = include_str!("../../../README.md")]
#[cfg(all(doctest, feature = "client"))]
pub struct ReadmeDoctests;
