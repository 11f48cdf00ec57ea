//! `cargo xtask`: the maintainer pipeline.
//!
//! - `cargo xtask fetch`: upstream manifests (git2, pinned) -> validated -> `manifests/` facts.
//! - `cargo xtask codegen`: `manifests/` -> `crates/catalog` generated code and JSON Schemas.
//!
//! Each subcommand lives in its own module; this file only dispatches.

#![forbid(unsafe_code)]

mod codegen;
mod fetch;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "ldic maintainer tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fetch the upstream manifests at the pinned commit and write their facts to manifests/.
    Fetch(fetch::Args),
    /// Generate crates/catalog from manifests/.
    Codegen(codegen::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Fetch(args) => fetch::run(&workspace_root(), args),
        Command::Codegen(args) => codegen::run(&workspace_root(), args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
