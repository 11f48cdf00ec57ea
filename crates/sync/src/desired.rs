//! The desired side of a plan: one configuration as a file states it, with where it came from
//! and which of its values came from the environment.

use ldic_validate::file::{EnvRef, env_ref, split_configuration};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Where a configuration was read from: a file and the JSON pointer of the object in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Source {
    /// The file as shown to the user.
    pub file: String,
    /// The configuration object's pointer in its document (`""`, `"/2"`). With several YAML
    /// documents in a file, the CLI shows the file as `file[N]`, N the document index.
    pub pointer: String,
}

impl Source {
    /// A place in a file: its path and the JSON pointer of the configuration.
    pub fn new(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Source {
            file: file.into(),
            pointer: pointer.into(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.file)
        } else {
            write!(f, "{}#{}", self.file, self.pointer)
        }
    }
}

/// A `configValues` member given as `${env:NAME}`: the variable, and whether it is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvValue {
    /// The environment variable named by the reference.
    pub variable: String,
    /// Whether the variable is set (its value is in the body).
    pub set: bool,
}

/// One desired configuration. `Debug` shows the body's shape, never its values.
#[derive(Clone, PartialEq)]
pub struct Desired {
    /// The integration this configuration belongs to (`integrationKey`).
    pub integration_key: String,
    /// The configuration's name, which identifies it among the integration's configurations.
    pub name: String,
    /// The create request body (`name`, `enabled`, `tags`, `configValues`, `capabilityConfig`),
    /// with `${env:NAME}` references replaced by their values where the variable is set.
    pub body: Map<String, Value>,
    /// The remote `_id` the file pins this configuration to.
    pub remote_id: Option<String>,
    /// Where the configuration was read.
    pub source: Source,
    /// `configValues` members that came from `${env:NAME}`, by member key.
    pub env: BTreeMap<String, EnvValue>,
}

impl fmt::Debug for Desired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config_values: Vec<&str> = self
            .body
            .get("configValues")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        f.debug_struct("Desired")
            .field("integration_key", &self.integration_key)
            .field("name", &self.name)
            .field("remote_id", &self.remote_id)
            .field("source", &self.source)
            .field("config_value_keys", &config_values)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

/// A file's configuration that cannot be a desired configuration (lint reports these first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesiredError {
    /// The configuration has no string `integrationKey`.
    #[error("{at}: missing or non-string \"integrationKey\"")]
    NoIntegrationKey {
        /// The configuration.
        at: Source,
    },
    /// The configuration has no string `name`.
    #[error("{at}: missing or non-string \"name\"")]
    NoName {
        /// The configuration.
        at: Source,
    },
}

impl Desired {
    /// A desired configuration from a file's configuration object: file-only keys are dropped
    /// (the pinned `_id` kept aside), and `${env:NAME}` string members of `configValues` are
    /// resolved with `lookup` (`|name| std::env::var(name).ok()` in the CLI). An unset variable
    /// leaves the reference in the body and is recorded with `set: false`.
    pub fn from_file_config(
        config: &Map<String, Value>,
        source: Source,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Desired, DesiredError> {
        let split = split_configuration(config);
        let Some(integration_key) = split.integration_key.map(str::to_owned) else {
            return Err(DesiredError::NoIntegrationKey { at: source });
        };
        let remote_id = split.remote_id.map(str::to_owned);
        let mut body = split.body;
        let Some(name) = body.get("name").and_then(Value::as_str).map(str::to_owned) else {
            return Err(DesiredError::NoName { at: source });
        };
        let mut env = BTreeMap::new();
        if let Some(Value::Object(values)) = body.get_mut("configValues") {
            for (field, value) in values.iter_mut() {
                let Value::String(s) = value else { continue };
                let EnvRef::Variable(variable) = env_ref(s) else {
                    continue;
                };
                let variable = variable.to_owned();
                let resolved = lookup(&variable);
                let set = resolved.is_some();
                if let Some(resolved) = resolved {
                    *value = Value::String(resolved);
                }
                env.insert(field.clone(), EnvValue { variable, set });
            }
        }
        Ok(Desired {
            integration_key,
            name,
            body,
            remote_id,
            source,
            env,
        })
    }

    /// Variables this configuration references that are not set.
    pub fn unset_variables(&self) -> impl Iterator<Item = &str> {
        self.env
            .values()
            .filter(|e| !e.set)
            .map(|e| e.variable.as_str())
    }
}

/// `--target KEY[/NAME]`: one integration key, or one configuration of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The integration key.
    pub integration_key: String,
    /// One configuration of that integration, by name; all of them when `None`.
    pub name: Option<String>,
}

/// A `--target` that is neither `KEY` nor `KEY/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid target {0:?}: expected KEY or KEY/NAME")]
pub struct TargetError(String);

impl FromStr for Target {
    type Err = TargetError;

    /// `datadog` or `datadog/Datadog (production)`: the key ends at the first `/`, so a name may
    /// contain `/`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (key, name) = match s.split_once('/') {
            Some((k, n)) => (k, Some(n)),
            None => (s, None),
        };
        if key.is_empty() || name.is_some_and(str::is_empty) {
            return Err(TargetError(s.to_owned()));
        }
        Ok(Target {
            integration_key: key.to_owned(),
            name: name.map(str::to_owned),
        })
    }
}

impl Target {
    /// Whether a configuration with this key and any of these names is targeted.
    pub fn matches<'a>(&self, key: &str, mut names: impl Iterator<Item = &'a str>) -> bool {
        self.integration_key == key
            && self
                .name
                .as_deref()
                .is_none_or(|n| names.any(|name| name == n))
    }
}
