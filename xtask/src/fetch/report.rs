//! The change report `cargo xtask fetch` prints: the upstream move, every fact change marked
//! breaking or compatible ([`ldic_manifest::diff`]), and the rule warnings upstream raised.
//! Human text by default, JSON with `--report-format json`.

use std::collections::BTreeMap;

use ldic_manifest::diff::{Change, Impact, diff};
use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use ldic_manifest::rules::Violation;
use ldic_manifest::store::FactsSet;
use serde::Serialize;

use super::ReportFormat;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Warning {
    manifest: String,
    pointer: String,
    rule: &'static str,
    expected: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The lock before this fetch (absent on a first fetch).
    from: Option<UpstreamLock>,
    to: UpstreamLock,
    integrations: usize,
    breaking: usize,
    compatible: usize,
    changes: Vec<Change>,
    warnings: Vec<Warning>,
}

impl Report {
    pub fn new(
        previous: &FactsSet,
        lock: &UpstreamLock,
        facts: &[IntegrationFacts],
        warnings: &[Violation],
    ) -> Self {
        let new: BTreeMap<String, IntegrationFacts> =
            facts.iter().map(|f| (f.key.clone(), f.clone())).collect();
        let changes = diff(&previous.integrations, &new);
        let count = |impact| changes.iter().filter(|c| c.impact == impact).count();
        Report {
            from: previous.lock.clone(),
            to: lock.clone(),
            integrations: facts.len(),
            breaking: count(Impact::Breaking),
            compatible: count(Impact::Compatible),
            warnings: warnings
                .iter()
                .map(|w| Warning {
                    manifest: w.manifest.clone(),
                    pointer: w.pointer.clone(),
                    rule: w.rule.code(),
                    expected: w.expected.clone(),
                })
                .collect(),
            changes,
        }
    }

    /// Whether the facts or the source they came from changed (for the API: the content, not
    /// the fetch time).
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty() || self.from.as_ref().map(identity) != Some(identity(&self.to))
    }

    pub fn render(&self, format: ReportFormat) -> String {
        match format {
            ReportFormat::Json => ldic_manifest::store::render(self),
            ReportFormat::Text => self.text(),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let to = &self.to;
        match &self.from {
            Some(from) if identity(from) != identity(to) => out.push_str(&format!(
                "upstream: {} -> {}\n",
                describe(from),
                describe(to)
            )),
            Some(_) => out.push_str(&format!("upstream: {}\n", describe(to))),
            None => out.push_str(&format!("upstream: {}, first fetch\n", describe(to))),
        }
        for w in &self.warnings {
            out.push_str(&format!(
                "warning: {}#{} [{}]: expected {}\n",
                w.manifest, w.pointer, w.rule, w.expected
            ));
        }
        for c in &self.changes {
            out.push_str(&format!("{c}\n"));
        }
        if self.has_changes() {
            out.push_str(&format!(
                "{} integrations; {} breaking, {} compatible change(s)\n",
                self.integrations, self.breaking, self.compatible
            ));
        } else {
            out.push_str(&format!("{} integrations; no changes\n", self.integrations));
        }
        out
    }
}

/// What identifies the content a lock describes: the commit of a git source, the content hash
/// of an API source (its fetch time changes on every run).
fn identity(lock: &UpstreamLock) -> (&str, &str, Option<&str>, Option<&str>) {
    if lock.is_api() {
        (
            &lock.source,
            "",
            lock.base_url.as_deref(),
            lock.content_hash.as_deref(),
        )
    } else {
        (&lock.source, &lock.commit, None, None)
    }
}

/// One line naming where facts came from.
fn describe(lock: &UpstreamLock) -> String {
    if lock.is_api() {
        format!(
            "LaunchDarkly API {} ({}, fetched {})",
            lock.base_url.as_deref().unwrap_or("(unknown base URL)"),
            lock.content_hash.as_deref().unwrap_or("no content hash"),
            lock.fetched_at.as_deref().unwrap_or("at an unknown time")
        )
    } else {
        format!("{} ({})", lock.commit, lock.commit_date)
    }
}
