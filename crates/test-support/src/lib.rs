//! Helpers for ldic's tests (a dev-dependency and build-dependency, never published).
//!
//! Tests that need the real upstream corpus read it from the snapshot directory
//! ([`upstream_dir`]). When it is missing, such tests must be reported as *ignored with the
//! reason*, never silently pass: those tests live in the unpublished `ldic-corpus-tests`, whose
//! `build.rs` calls [`emit_upstream_cfg`] (no published crate has a `build.rs` looking outside its
//! package), and they carry
//! `#[cfg_attr(not(upstream_snapshot), ignore = "needs the upstream snapshot: set LDIC_UPSTREAM_DIR or provide ../shared/integration-framework")]`.

#![forbid(unsafe_code)]

pub mod files;
pub mod http;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Environment variable that overrides where the upstream snapshot is.
pub const UPSTREAM_ENV: &str = "LDIC_UPSTREAM_DIR";

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    // crates/test-support -> workspace root
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Hand-written fixtures: `<workspace>/tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    workspace_root().join("tests").join("fixtures").join(rel)
}

/// The upstream snapshot directory (holding `integrations/` and `manifest.schema.json`), if present:
/// `$LDIC_UPSTREAM_DIR`, else `<workspace>/../shared/integration-framework`.
pub fn upstream_dir() -> Option<PathBuf> {
    let dir = upstream_candidate();
    dir.join("integrations").is_dir().then_some(dir)
}

/// Where the snapshot is looked for, whether or not it is there.
fn upstream_candidate() -> PathBuf {
    env_or_shared(UPSTREAM_ENV, "integration-framework")
}

/// `$var` when set, else `<workspace>/../shared/<rel>`: where the data outside the repository
/// (read where it is, never copied in) is looked for.
fn env_or_shared(var: &str, rel: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) => PathBuf::from(p),
        None => workspace_root().join("..").join("shared").join(rel),
    }
}

/// The snapshot's manifests as items of `GET /api/v2/integration-manifests` (each with its
/// `key`, the directory name, added), sorted by key: what a test serves to compare an API fetch
/// with a git one. Panics on an unreadable directory or a manifest that is not JSON.
pub fn snapshot_items(snapshot: &Path) -> Vec<Value> {
    let integrations = snapshot.join("integrations");
    let mut items = Vec::new();
    for entry in std::fs::read_dir(&integrations)
        .unwrap_or_else(|e| panic!("read {}: {e}", integrations.display()))
    {
        let dir = entry
            .unwrap_or_else(|e| panic!("read {}: {e}", integrations.display()))
            .path();
        let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
            continue;
        };
        let mut manifest: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}/manifest.json: {e}", dir.display()));
        let key = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        manifest["key"] = Value::String(key);
        items.push(manifest);
    }
    items.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    items
}

/// Adds `value` to the allowed values of the first `enum` form variable with an `allowedValues`
/// array in `items` (manifests as [`snapshot_items`] gives them): a compatible upstream change
/// for an update test to find. Returns the item's key and the variable's key; panics when no
/// item has such a variable.
pub fn add_allowed_value(items: &mut [Value], value: &str) -> (String, String) {
    items
        .iter_mut()
        .find_map(|item| {
            let key = item["key"].as_str()?.to_owned();
            let var = item["formVariables"]
                .as_array_mut()?
                .iter_mut()
                .find(|v| v["type"] == "enum" && v["allowedValues"].is_array())?;
            var["allowedValues"]
                .as_array_mut()?
                .push(Value::String(value.to_owned()));
            Some((key, var["key"].as_str()?.to_owned()))
        })
        .unwrap_or_else(|| panic!("no item has an enum form variable with allowed values"))
}

/// For a `build.rs`: declare the `upstream_snapshot` cfg, and set it when the snapshot exists.
pub fn emit_upstream_cfg() {
    println!("cargo::rustc-check-cfg=cfg(upstream_snapshot)");
    println!("cargo::rerun-if-env-changed={UPSTREAM_ENV}");
    println!("cargo::rerun-if-changed={}", upstream_candidate().display());
    if upstream_dir().is_some() {
        println!("cargo::rustc-cfg=upstream_snapshot");
    }
}

/// Environment variable that overrides where the OpenAPI subset of the integration-configurations
/// API is.
pub const OPENAPI_ENV: &str = "LDIC_OPENAPI_SPEC";

/// Where the OpenAPI subset is looked for: `$LDIC_OPENAPI_SPEC`, else
/// `<workspace>/../shared/launchdarkly-api/integration-configurations.openapi.json`.
fn openapi_candidate() -> PathBuf {
    env_or_shared(
        OPENAPI_ENV,
        "launchdarkly-api/integration-configurations.openapi.json",
    )
}

/// For a `build.rs`: declare the `openapi_spec` cfg, and set it (with the env var
/// `LDIC_OPENAPI_SPEC_PATH` naming the file) when the OpenAPI subset exists. The spec is read
/// where it is, never copied into the repository.
pub fn emit_openapi_cfg() {
    println!("cargo::rustc-check-cfg=cfg(openapi_spec)");
    println!("cargo::rerun-if-env-changed={OPENAPI_ENV}");
    let path = openapi_candidate();
    println!("cargo::rerun-if-changed={}", path.display());
    if path.is_file() {
        println!("cargo::rustc-cfg=openapi_spec");
        println!("cargo::rustc-env=LDIC_OPENAPI_SPEC_PATH={}", path.display());
    }
}

/// Sample documents built from catalog metadata, shared by the catalog-wide tests.
pub mod sample {
    use ldic_catalog_core::{FieldMeta, FieldType, FormList};
    use serde_json::{Value, json};

    /// Fields a user is expected to fill in: not hidden, no `dependsOn` rule, not set by
    /// LaunchDarkly.
    pub fn user_fields(list: &FormList) -> impl Iterator<Item = &FieldMeta> {
        list.fields
            .iter()
            .filter(|f| !f.is_hidden && f.depends_on.is_empty() && !f.ty.is_set_by_launchdarkly())
    }

    /// A value the field accepts (for a secret string field: any string).
    pub fn valid_value(f: &FieldMeta) -> Value {
        match f.ty {
            FieldType::Uri => json!("https://example.com/hook"),
            FieldType::Boolean => json!(true),
            FieldType::Enum => json!(f.allowed().next().unwrap_or("x")),
            FieldType::Multiselect => json!(f.allowed().take(1).collect::<Vec<_>>()),
            FieldType::EnvironmentSelector => json!({}),
            _ => json!("x"),
        }
    }
}

/// What a finished command printed and how it ended: the `ldic` or `xtask` runs of the CLI and
/// xtask tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The exit code, -1 when the process was ended by a signal.
    pub code: i32,
    /// Standard output (lossy UTF-8).
    pub stdout: String,
    /// Standard error (lossy UTF-8).
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics (showing both outputs) when any of `canaries` (secrets, tokens) is in stdout or
    /// stderr; returns the run for chaining.
    #[track_caller]
    pub fn hiding(self, canaries: &[&str]) -> Self {
        for canary in canaries {
            assert!(
                !self.stdout.contains(canary) && !self.stderr.contains(canary),
                "a secret ({} bytes) is in the output:\n{}{}",
                canary.len(),
                self.stdout,
                self.stderr
            );
        }
        self
    }

    /// Both outputs, for assertion messages.
    pub fn shown(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A user cache directory that holds no catalog, for the `ldic` binaries tests run: a catalog
/// that `ldic catalog update` stored on the developer's machine must not change what tests see.
pub fn no_user_cache() -> PathBuf {
    std::env::temp_dir().join("ldic-tests-no-user-cache")
}

/// `assert_cmd`'s command for the `ldic` binary of the calling package, with the user cache
/// pointed at [`no_user_cache`] and no `LDIC_CATALOG_DIR` (tests that want a catalog name one).
/// A macro because the binary's path is the calling test crate's compile-time environment.
#[macro_export]
macro_rules! ldic_cmd {
    () => {{
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ldic");
        cmd.env("XDG_CACHE_HOME", $crate::no_user_cache())
            .env_remove("LDIC_CATALOG_DIR");
        cmd
    }};
}
