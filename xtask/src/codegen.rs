//! `cargo xtask codegen [--check]`: `manifests/` -> `crates/catalog` generated code and schemas.
//!
//! All the work is in `ldic-codegen` (so the freshness test can run it in-process); this module
//! only reads arguments, calls it, and reports.

use ldic_codegen::files::{self, StaleFile, Staleness};
use ldic_codegen::{Layout, generate_catalog};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Do not write anything; fail (exit 1), naming the stale files, when the committed
    /// generated files differ from what `manifests/` produces.
    #[arg(long)]
    check: bool,
    /// The facts directory (default: `<workspace>/manifests`).
    #[arg(long, value_name = "DIR")]
    manifests: Option<PathBuf>,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let manifests = args.manifests.unwrap_or_else(|| root.join("manifests"));
    let (facts, lock) = files::load_facts_dir(&manifests)?;
    let layout = Layout::catalog();
    let generated = generate_catalog(&facts, &lock, &layout)?;
    if args.check {
        let stale = files::stale_files(root, &layout, &generated)?;
        if stale.is_empty() {
            println!(
                "codegen: {} files up to date ({} integrations)",
                generated.len(),
                facts.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("error: the generated catalog is stale:");
        print_list(&stale);
        eprintln!("run `cargo xtask codegen` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    let changed = files::write_files(root, &layout, &generated)?;
    if changed.is_empty() {
        println!("codegen: {} files already up to date", generated.len());
    } else {
        println!(
            "codegen: updated {} of {} files ({} integrations):",
            changed.len(),
            generated.len(),
            facts.len()
        );
        for file in &changed {
            let verb = match file.staleness {
                Staleness::Changed => "updated",
                Staleness::Missing => "created",
                Staleness::Extra => "deleted",
            };
            println!("  {verb} {}", file.path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_list(stale: &[StaleFile]) {
    for file in stale {
        eprintln!("  {file}");
    }
}
