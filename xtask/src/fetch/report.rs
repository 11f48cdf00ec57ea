//! Printing the change report (placeholder: counts only).

use std::path::Path;

use ldic_manifest::facts::{IntegrationFacts, UpstreamLock};
use ldic_manifest::rules::Violation;
use ldic_manifest::store::FactsSet;

use super::ReportFormat;

#[derive(Debug)]
pub struct Report {
    changed: bool,
}

impl Report {
    pub fn new(
        previous: &FactsSet,
        _lock: &UpstreamLock,
        facts: &[IntegrationFacts],
        warnings: &[Violation],
    ) -> Self {
        for w in warnings {
            println!("{w}");
        }
        let changed = previous.integrations.len() != facts.len()
            || facts
                .iter()
                .any(|f| previous.integrations.get(&f.key) != Some(f));
        Report { changed }
    }

    pub fn print(&self, _format: ReportFormat, dir: &Path) -> anyhow::Result<()> {
        println!("wrote {}", dir.display());
        if !self.changed {
            println!("no changes");
        }
        Ok(())
    }
}
