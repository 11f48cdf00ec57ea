//! `cargo xtask codegen` (not yet implemented).

use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_root: &Path, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("cargo xtask codegen is not implemented yet")
}
