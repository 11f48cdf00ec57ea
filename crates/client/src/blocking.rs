//! A synchronous client for scripts and programs without an async runtime.
//!
//! Each [`Client`] owns a current-thread tokio runtime and runs the async client's calls on it.
//! Do not call it from inside an async runtime (tokio panics when a runtime blocks inside
//! another); use the async [`crate::Client`] there.

use crate::error::Error;
use crate::model::{IntegrationConfiguration, IntegrationConfigurationCollection, PatchOperation};
use crate::{ApiToken, CreateRequest};
use ldic_catalog::IntegrationConfig;
use serde_json::Value;
use std::sync::Arc;

/// The blocking client; see [`crate::Client`] for what each method does.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Client {
    /// A client for the commercial instance with default settings.
    pub fn new(token: impl Into<ApiToken>) -> Result<Client, Error> {
        Client::from_async(crate::Client::new(token)?)
    }

    /// Wraps an async client built with [`crate::Client::builder`].
    pub fn from_async(inner: crate::Client) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Setup {
                message: format!("could not start the blocking client's runtime: {e}"),
            })?;
        Ok(Client {
            inner,
            runtime: Arc::new(runtime),
        })
    }

    /// [`Client::create`](crate::Client::create), blocking.
    pub fn create<C: IntegrationConfig>(
        &self,
        name: impl Into<String>,
        config: C,
    ) -> Result<IntegrationConfiguration, Error> {
        self.runtime.block_on(self.inner.create(name, config))
    }

    /// [`Client::create_with`](crate::Client::create_with), blocking.
    pub fn create_with<C: IntegrationConfig>(
        &self,
        request: &CreateRequest<C>,
    ) -> Result<IntegrationConfiguration, Error> {
        self.runtime.block_on(self.inner.create_with(request))
    }

    /// [`Client::create_json`](crate::Client::create_json), blocking.
    pub fn create_json(
        &self,
        integration_key: &str,
        body: &Value,
    ) -> Result<IntegrationConfiguration, Error> {
        self.runtime
            .block_on(self.inner.create_json(integration_key, body))
    }

    /// [`Client::list`](crate::Client::list), blocking.
    pub fn list(&self, integration_key: &str) -> Result<IntegrationConfigurationCollection, Error> {
        self.runtime.block_on(self.inner.list(integration_key))
    }

    /// [`Client::get`](crate::Client::get), blocking.
    pub fn get(&self, id: &str) -> Result<IntegrationConfiguration, Error> {
        self.runtime.block_on(self.inner.get(id))
    }

    /// [`Client::update`](crate::Client::update), blocking.
    pub fn update(
        &self,
        id: &str,
        patch: &[PatchOperation],
    ) -> Result<IntegrationConfiguration, Error> {
        self.runtime.block_on(self.inner.update(id, patch))
    }

    /// [`Client::update_planned`](crate::Client::update_planned), blocking.
    pub fn update_planned(
        &self,
        current: &IntegrationConfiguration,
        patch: &[PatchOperation],
    ) -> Result<IntegrationConfiguration, Error> {
        self.runtime
            .block_on(self.inner.update_planned(current, patch))
    }

    /// [`Client::delete`](crate::Client::delete), blocking.
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete(id))
    }
}
