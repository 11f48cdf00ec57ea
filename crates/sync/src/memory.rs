//! An in-memory [`Remote`] that behaves like LaunchDarkly where the engine cares: defaults
//! filled on create, `enabled` true and `tags` empty when omitted, secret values obfuscated on
//! read, duplicate names allowed, JSON Patch (with `test`) applied atomically. It counts requests
//! and can inject failures, for the engine's tests and for library users' own.

use crate::remote::{Remote, RemoteError};
use ldic_catalog::Integration;
use ldic_client::model::{IntegrationConfiguration, PatchOperation};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

/// What a read shows in place of a secret value.
pub const OBFUSCATED: &str = "********";

/// Requests received, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// List requests.
    pub list: usize,
    /// Create requests (including refused and unknown ones).
    pub create: usize,
    /// Update requests.
    pub update: usize,
    /// Delete requests.
    pub delete: usize,
}

impl RequestCounts {
    /// Creates, updates and deletes.
    pub fn writes(&self) -> usize {
        self.create + self.update + self.delete
    }
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    /// (integration key, stored document with real values), in creation order.
    configs: Vec<(String, Map<String, Value>)>,
    counts: RequestCounts,
    /// Creates that are stored but answer "outcome unknown" (a dropped connection).
    unknown_creates: usize,
    /// Names whose create or update is refused.
    refuse: BTreeSet<String>,
}

/// The in-memory remote. `Debug` shows counts only.
#[derive(Default)]
pub struct MemoryRemote {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for MemoryRemote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryRemote")
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

impl MemoryRemote {
    /// An empty remote that accepts every request.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Store a configuration as if it had been created (no request counted); returns its id.
    pub fn insert(&self, integration_key: &str, body: &Map<String, Value>) -> String {
        let mut inner = self.lock();
        store(&mut inner, integration_key, body)
    }

    /// The stored documents of one key, with real (unobfuscated) values.
    pub fn stored(&self, integration_key: &str) -> Vec<Map<String, Value>> {
        self.lock()
            .configs
            .iter()
            .filter(|(k, _)| k == integration_key)
            .map(|(_, d)| d.clone())
            .collect()
    }

    /// Change a stored document directly (a change made in the UI).
    pub fn edit(&self, id: &str, f: impl FnOnce(&mut Map<String, Value>)) {
        let mut inner = self.lock();
        if let Some((_, doc)) = inner.configs.iter_mut().find(|(_, d)| d["_id"] == id) {
            f(doc);
        }
    }

    /// The requests received so far.
    pub fn counts(&self) -> RequestCounts {
        self.lock().counts
    }

    /// The next `n` creates are stored but answer [`RemoteError::OutcomeUnknown`].
    pub fn drop_create_answers(&self, n: usize) {
        self.lock().unknown_creates = n;
    }

    /// Creates and updates of configurations with this name are refused.
    pub fn refuse(&self, name: &str) {
        self.lock().refuse.insert(name.to_owned());
    }
}

fn config_list(key: &str) -> Option<&'static ldic_catalog::FormList> {
    ldic_catalog::get(key).and_then(Integration::config_values_list)
}

fn store(inner: &mut Inner, key: &str, body: &Map<String, Value>) -> String {
    inner.next_id += 1;
    let id = format!("mem{:06}", inner.next_id);
    let mut doc = body.clone();
    doc.insert("_id".into(), Value::String(id.clone()));
    doc.insert("_integrationKey".into(), Value::String(key.to_owned()));
    doc.entry("enabled").or_insert(Value::Bool(true));
    doc.entry("tags").or_insert(Value::Array(Vec::new()));
    let values = doc
        .entry("configValues")
        .or_insert_with(|| Value::Object(Map::new()));
    if let (Value::Object(values), Some(list)) = (values, config_list(key)) {
        for field in list.fields.iter() {
            if let Some(default) = field.default_value()
                && !values.contains_key(field.key.as_ref())
            {
                values.insert(field.key.to_string(), default);
            }
        }
    }
    inner.configs.push((key.to_owned(), doc));
    id
}

/// A stored document as a read returns it: secrets obfuscated.
fn read(key: &str, doc: &Map<String, Value>) -> Result<IntegrationConfiguration, RemoteError> {
    let mut doc = doc.clone();
    if let (Some(Value::Object(values)), Some(list)) =
        (doc.get_mut("configValues"), config_list(key))
    {
        for (k, v) in values.iter_mut() {
            if list.field(k).is_some_and(|f| f.is_secret) {
                *v = Value::String(OBFUSCATED.to_owned());
            }
        }
    }
    serde_json::from_value(Value::Object(doc))
        .map_err(|e| RemoteError::Failed(format!("unexpected stored document: {e}")))
}

impl Remote for MemoryRemote {
    fn list(&self, integration_key: &str) -> Result<Vec<IntegrationConfiguration>, RemoteError> {
        let mut inner = self.lock();
        inner.counts.list += 1;
        inner
            .configs
            .iter()
            .filter(|(k, _)| k == integration_key)
            .map(|(k, d)| read(k, d))
            .collect()
    }

    fn create(
        &self,
        integration_key: &str,
        body: &Map<String, Value>,
    ) -> Result<IntegrationConfiguration, RemoteError> {
        let mut inner = self.lock();
        inner.counts.create += 1;
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        if inner.refuse.contains(name) {
            return Err(RemoteError::Failed(format!("HTTP 400: {name:?} refused")));
        }
        let id = store(&mut inner, integration_key, body);
        if inner.unknown_creates > 0 {
            inner.unknown_creates -= 1;
            return Err(RemoteError::OutcomeUnknown(
                "the connection closed after the request was sent".to_owned(),
            ));
        }
        let (key, doc) = inner
            .configs
            .iter()
            .find(|(_, d)| d["_id"] == id.as_str())
            .ok_or_else(|| RemoteError::Failed("lost the created configuration".to_owned()))?;
        read(key, doc)
    }

    fn update(
        &self,
        _integration_key: &str,
        planned: &IntegrationConfiguration,
        patch: &[PatchOperation],
    ) -> Result<(), RemoteError> {
        let id = planned.id.as_str();
        let mut inner = self.lock();
        inner.counts.update += 1;
        let refuse = inner.refuse.clone();
        let Some((_, doc)) = inner.configs.iter_mut().find(|(_, d)| d["_id"] == id) else {
            return Err(RemoteError::Failed(format!(
                "HTTP 404: no configuration {id}"
            )));
        };
        if doc
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| refuse.contains(n))
        {
            return Err(RemoteError::Failed("HTTP 400: refused".to_owned()));
        }
        let ops: json_patch::Patch = serde_json::to_value(patch)
            .and_then(serde_json::from_value)
            .map_err(|e| RemoteError::Failed(format!("HTTP 400: invalid patch: {e}")))?;
        let mut candidate = Value::Object(doc.clone());
        // The error names the failing operation, never its value.
        json_patch::patch(&mut candidate, &ops).map_err(|e| {
            RemoteError::Failed(format!("HTTP 400: patch operation {} failed", e.operation))
        })?;
        if let Value::Object(new) = candidate {
            *doc = new;
        }
        Ok(())
    }

    fn delete(&self, _integration_key: &str, id: &str) -> Result<(), RemoteError> {
        let mut inner = self.lock();
        inner.counts.delete += 1;
        let before = inner.configs.len();
        inner.configs.retain(|(_, d)| d["_id"] != id);
        if inner.configs.len() == before {
            return Err(RemoteError::Failed(format!(
                "HTTP 404: no configuration {id}"
            )));
        }
        Ok(())
    }
}
