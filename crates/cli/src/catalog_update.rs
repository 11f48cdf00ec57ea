//! `ldic catalog update` and `ldic catalog reset`: keep a catalog fetched from the LaunchDarkly
//! API (`GET /api/v2/integration-manifests`) in a facts directory, or remove it again.
//!
//! The request is [`ldic_manifests_http`]'s, the same as `cargo xtask fetch --api` (a size cap
//! checked on the declared length and while reading, no redirects, the token only over https or
//! to a loopback host, 429/5xx retried a few times), and the answer is extracted by
//! [`ldic_manifest::api`] (with its nesting bound), so both tools agree on what an item means.
//! The directory is replaced atomically ([`ldic_manifest::store::write_facts_dir`]); on any error
//! the old catalog is left as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context as _, anyhow, bail};
use ldic::catalog::Catalog;
use ldic_manifest::diff::{Impact, diff};
use ldic_manifest::facts::{
    DependsOn, FACTS_FORMAT_VERSION, FormListFacts, FormVariableFacts, IntegrationFacts,
    MultiselectOption, UpstreamLock,
};
use ldic_manifest::store::{self, LOCK_FILE};

use crate::active_catalog::CATALOG_DIR_ENV;

pub use ldic_manifests_http::{DEFAULT_BASE_URL, DEFAULT_MAX_BYTES, TOKEN_ENV};

/// The directory `ldic catalog update` writes to when neither `--catalog` nor
/// `LDIC_CATALOG_DIR` names one: `<user cache dir>/ldic/catalog`.
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("ldic").join("catalog"))
}

/// The directory to update or reset: the one named (by `--catalog` or `LDIC_CATALOG_DIR`, which
/// clap merges), else [`default_dir`].
pub fn target_dir(named: Option<&Path>) -> anyhow::Result<PathBuf> {
    match named {
        Some(dir) => Ok(dir.to_path_buf()),
        None => default_dir().ok_or_else(|| {
            anyhow!("no user cache directory is known here: name one with --catalog DIR or {CATALOG_DIR_ENV}")
        }),
    }
}

/// Whether `dir` holds a stored catalog (its lock file).
pub fn holds_catalog(dir: &Path) -> bool {
    dir.join(LOCK_FILE).is_file()
}

/// What to fetch and with which bounds.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The API's base URL (`None`: LaunchDarkly's commercial instance).
    pub base_url: Option<String>,
    /// The largest response body read.
    pub max_bytes: u64,
    /// The API access token ([`token_from_env`]); never printed.
    pub token: Option<ldic::client::ApiToken>,
}

/// The token of [`TOKEN_ENV`], if set and not blank.
pub fn token_from_env() -> Option<ldic::client::ApiToken> {
    ldic_manifests_http::token_from_env().map(ldic::client::ApiToken::new)
}

/// `ldic catalog update`: fetch, extract, write `dir` atomically; returns the report for stdout.
/// Unusable items are warnings on stderr, naming the integration.
pub fn update(dir: &Path, opts: &UpdateOptions) -> anyhow::Result<String> {
    let kept = || format!("{} left unchanged", dir.display());
    let raw_base = opts.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
    let base = ldic_manifests_http::parse_base_url(raw_base)?;
    let token = match &opts.token {
        Some(t) => t.expose().to_owned(),
        None => bail!(
            "{TOKEN_ENV} is not set: put a LaunchDarkly API access token there (one that can \
             read integrations) to update the catalog"
        ),
    };
    check_writable(dir)?;
    let url = ldic_manifests_http::endpoint(&base);
    let mut fetch = ldic_manifests_http::FetchOptions::new(token, ldic_client::USER_AGENT);
    fetch.max_bytes = opts.max_bytes;
    let body = ldic_manifests_http::fetch_manifests(&base, &fetch, |note| {
        eprintln!("note: {note}");
    })
    .with_context(kept)?;
    let items = ldic_manifest::api::parse_response(&body)
        .with_context(|| format!("GET {url}"))
        .with_context(kept)?;
    let loaded = ldic_manifest::api::extract_items(&items);
    for w in &loaded.warnings {
        // A warning of the update whatever the rule's severity: the item (or part of it) is
        // skipped and the others are kept.
        eprintln!(
            "warning: {}#{} [{}]: expected {}",
            w.manifest,
            w.pointer,
            w.rule.code(),
            w.expected
        );
    }
    if loaded.facts.is_empty() {
        bail!(
            "the API served no usable integration ({} item(s)); {}",
            items.len(),
            kept()
        );
    }
    let lock = UpstreamLock::from_api(
        base.as_str(),
        humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        &loaded.facts,
    );
    let files = store::render_facts_set(&lock, &loaded.facts);
    check_loadable(&files).with_context(kept)?;
    store::write_facts_dir(dir, &files)
        .map_err(|e| anyhow!("cannot write the catalog: {e}; {}", kept()))?;
    let mut out = format!(
        "wrote {} integration(s) to {} ({} item(s) skipped)\n",
        loaded.facts.len(),
        dir.display(),
        loaded.skipped.len()
    );
    out.push_str(&change_report(&loaded.facts));
    out.push_str(
        "note: fetched from the LaunchDarkly API, so it reflects one account (it may hold \
         integrations private to it)\n",
    );
    Ok(out)
}

/// Load the facts set from a scratch directory exactly as every later run will, so a set that
/// extracts but cannot be built into a catalog is refused before it replaces a working one.
fn check_loadable(files: &[(String, String)]) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    for (name, content) in files {
        let path = scratch.path().join(name);
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Catalog::load_dir(scratch.path())
        .map(drop)
        .map_err(|e| anyhow!("the fetched catalog cannot be used: {e}"))
}

/// A read-only catalog directory (or parent) is refused before anything is fetched, by its
/// permission bits, so the answer is the same for every user.
fn check_writable(dir: &Path) -> anyhow::Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    for d in std::iter::once(dir).chain(parent) {
        if let Ok(meta) = std::fs::metadata(d)
            && meta.permissions().readonly()
        {
            bail!(
                "{} is read-only: cannot store the catalog there (name another with --catalog \
                 DIR); nothing was fetched or changed",
                d.display()
            );
        }
    }
    Ok(())
}

/// The changes from the built-in catalog to `facts`, as lines.
///
/// The built-in catalog's facts are rebuilt from its field metadata ([`builtin_facts`]): that
/// metadata is what the generator wrote from the facts, and it holds everything the change report
/// compares (types, required/secret flags, allowed values and options, defaults, dependsOn
/// presence), so the report is the one `cargo xtask fetch` would print for the same facts.
pub fn change_report(facts: &[IntegrationFacts]) -> String {
    let old = builtin_facts(Catalog::builtin());
    let new: BTreeMap<String, IntegrationFacts> =
        facts.iter().map(|f| (f.key.clone(), f.clone())).collect();
    let changes = diff(&old, &new);
    let count = |pred: &dyn Fn(&ldic_manifest::diff::Change) -> bool| {
        changes.iter().filter(|c| pred(c)).count()
    };
    use ldic_manifest::diff::ChangeKind::{IntegrationAdded, IntegrationRemoved};
    let added = count(&|c| c.kind == IntegrationAdded);
    let removed = count(&|c| c.kind == IntegrationRemoved);
    let changed: std::collections::BTreeSet<&str> = changes
        .iter()
        .filter(|c| !matches!(c.kind, IntegrationAdded | IntegrationRemoved))
        .map(|c| c.integration.as_str())
        .collect();
    let breaking = count(&|c| c.impact == Impact::Breaking);
    let mut out = format!(
        "against the built-in catalog: {added} added, {removed} removed, {} changed integration(s); {} change(s), {breaking} breaking\n",
        changed.len(),
        changes.len()
    );
    for c in &changes {
        out.push_str(&format!("  {c}\n"));
    }
    out
}

/// The facts of every integration of `catalog`, rebuilt from its field metadata (see
/// [`change_report`]). Prose-free like all facts; the flags the catalog does not keep
/// (`disableAfterSaving`, `hideEmpty`, dynamic options) are not compared by the report.
pub fn builtin_facts(catalog: &Catalog) -> BTreeMap<String, IntegrationFacts> {
    catalog
        .iter()
        .map(|i| {
            let form_lists = i
                .lists
                .iter()
                .map(|l| FormListFacts {
                    kind: l.kind,
                    variables: l.fields.iter().map(field_facts).collect(),
                })
                .collect();
            let facts = IntegrationFacts {
                format: FACTS_FORMAT_VERSION,
                key: i.key.to_string(),
                name: i.name.to_string(),
                version: i.version.to_string(),
                manifest_path: format!("integrations/{}/manifest.json", i.key),
                capabilities: i.capabilities.iter().map(ToString::to_string).collect(),
                form_lists,
            };
            (facts.key.clone(), facts)
        })
        .collect()
}

fn field_facts(f: &ldic::catalog::FieldMeta) -> FormVariableFacts {
    let ty = f.ty.clone();
    let multiselect = ty == ldic::catalog::FieldType::Multiselect;
    let (allowed_values, multiselect_options) = if multiselect {
        let options = f
            .allowed()
            .enumerate()
            .map(|(n, value)| MultiselectOption {
                value: value.to_owned(),
                label: f
                    .option_labels
                    .get(n)
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            })
            .collect();
        (Vec::new(), options)
    } else {
        (f.allowed().map(str::to_owned).collect(), Vec::new())
    };
    FormVariableFacts {
        key: f.key.to_string(),
        label: f.label.to_string(),
        ty,
        is_secret: f.is_secret,
        is_optional: f.is_optional,
        is_hidden: f.is_hidden,
        disable_after_saving: false,
        hide_empty: false,
        default_value: f.default_value(),
        allowed_values,
        placeholder: f.placeholder.as_deref().map(str::to_owned),
        multiselect_options,
        multiselect_default_options: Vec::new(),
        depends_on: f
            .depends_on
            .iter()
            .map(|d| DependsOn {
                variable_key: d.variable_key.to_string(),
                variable_location: d.variable_list.variable_location().unwrap_or("").to_owned(),
                action: d.action,
                conditions: d
                    .conditions
                    .iter()
                    .map(|c| ldic_manifest::facts::Condition {
                        operator: c.operator,
                        value: c.value.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        has_dynamic_options: false,
    }
}

/// `ldic catalog reset`: remove the stored catalog in `dir`; returns what was done.
pub fn reset(dir: &Path) -> anyhow::Result<String> {
    if !dir.exists() {
        return Ok(format!(
            "no stored catalog in {}; the built-in catalog is used\n",
            dir.display()
        ));
    }
    if !holds_catalog(dir) {
        bail!(
            "{} does not hold a catalog ({LOCK_FILE} is missing): not removed",
            dir.display()
        );
    }
    std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    Ok(format!(
        "removed the catalog in {}; the built-in catalog is used again\n",
        dir.display()
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_has_no_changes_against_itself() {
        let facts: Vec<_> = builtin_facts(Catalog::builtin()).into_values().collect();
        assert!(!facts.is_empty());
        let report = change_report(&facts);
        assert!(
            report.starts_with("against the built-in catalog: 0 added, 0 removed, 0 changed"),
            "{report}"
        );
    }

    #[test]
    fn dates_are_civil() {
        let date = |days: u64| {
            let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(days * 86_400);
            humantime::format_rfc3339_seconds(t).to_string()
        };
        assert_eq!(date(0), "1970-01-01T00:00:00Z");
        assert_eq!(date(20_454), "2026-01-01T00:00:00Z");
        assert_eq!(date(11_016), "2000-02-29T00:00:00Z");
    }
}
