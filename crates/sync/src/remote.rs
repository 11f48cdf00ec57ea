//! Where a plan is read from and executed against: the [`Remote`] trait, implemented for the
//! blocking `ldic_client` client and for [`crate::MemoryRemote`] (tests).

use crate::plan::RemoteState;
use ldic_client::Error;
use ldic_client::model::{IntegrationConfiguration, PatchOperation};
use serde_json::{Map, Value};

/// A failed remote call. Messages never hold a secret value (the client scrubs them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// The request was refused or could not be sent.
    #[error("{0}")]
    Failed(String),
    /// The request may have been processed (a POST or PATCH whose connection dropped): it must
    /// not be resent blindly.
    #[error("{0}")]
    OutcomeUnknown(String),
}

/// The four calls the engine makes.
pub trait Remote: Sync {
    /// Every configuration of one integration.
    fn list(&self, integration_key: &str) -> Result<Vec<IntegrationConfiguration>, RemoteError>;
    /// Create one configuration; returns it (with its new `_id`).
    fn create(
        &self,
        integration_key: &str,
        body: &Map<String, Value>,
    ) -> Result<IntegrationConfiguration, RemoteError>;
    /// Apply a JSON Patch computed from `planned`, the remote configuration as it was listed
    /// (its `test` operations make a concurrent change fail the update). Sent once, without
    /// reading the configuration again.
    fn update(
        &self,
        integration_key: &str,
        planned: &IntegrationConfiguration,
        patch: &[PatchOperation],
    ) -> Result<(), RemoteError>;
    /// Delete the configuration `id` of `integration_key`.
    fn delete(&self, integration_key: &str, id: &str) -> Result<(), RemoteError>;
}

/// List the remote configurations of each key: one list request per key.
pub fn list_remote<'a, R: Remote + ?Sized>(
    remote: &R,
    keys: impl IntoIterator<Item = &'a str>,
) -> Result<RemoteState, (String, RemoteError)> {
    let mut state = RemoteState::new();
    for key in keys {
        if state.contains_key(key) {
            continue;
        }
        let items = remote.list(key).map_err(|e| (key.to_owned(), e))?;
        state.insert(key.to_owned(), items);
    }
    Ok(state)
}

fn remote_error(e: Error) -> RemoteError {
    match e {
        // A POST or PATCH that may have reached LaunchDarkly: never resent; the next plan
        // shows what happened.
        Error::OutcomeUnknown { .. } => RemoteError::OutcomeUnknown(e.to_string()),
        e => RemoteError::Failed(e.to_string()),
    }
}

impl Remote for ldic_client::blocking::Client {
    fn list(&self, integration_key: &str) -> Result<Vec<IntegrationConfiguration>, RemoteError> {
        ldic_client::blocking::Client::list(self, integration_key)
            .map(|c| c.items)
            .map_err(remote_error)
    }

    fn create(
        &self,
        integration_key: &str,
        body: &Map<String, Value>,
    ) -> Result<IntegrationConfiguration, RemoteError> {
        self.create_json(integration_key, &Value::Object(body.clone()))
            .map_err(remote_error)
    }

    fn update(
        &self,
        _integration_key: &str,
        planned: &IntegrationConfiguration,
        patch: &[PatchOperation],
    ) -> Result<(), RemoteError> {
        self.update_planned(planned, patch)
            .map(|_| ())
            .map_err(remote_error)
    }

    fn delete(&self, _integration_key: &str, id: &str) -> Result<(), RemoteError> {
        ldic_client::blocking::Client::delete(self, id).map_err(remote_error)
    }
}
