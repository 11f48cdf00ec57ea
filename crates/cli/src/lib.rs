//! The library half of the `ldic` command: file parsing with span mapping, linting, output
//! formats and `create`. The binary (`main.rs`) only parses arguments and dispatches; this split
//! exists so fuzz targets and tests can drive the same parsing and linting code the binary runs.
//!
//! Exit codes: 0 clean, 1 problems found (or LaunchDarkly refused), 2 usage or I/O error.
#![forbid(unsafe_code)]

pub mod active_catalog;
pub mod atomic;
pub mod catalog_update;
pub mod catalog_view;
pub mod codes;
pub mod config;
pub mod create;
pub mod fix;
pub mod json;
pub mod lint;
pub mod lint_run;
pub mod lsp;
pub mod output;
pub mod parallel;
pub mod schema;
pub mod settings;
pub mod spans;
pub mod sync;
pub mod yaml;

use anyhow::Context as _;
use std::io::Write as _;

/// Exit code: nothing wrong.
pub const EXIT_OK: u8 = 0;
/// Exit code: problems found in the input (or refused by LaunchDarkly).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Write `s` to stdout; a closed pipe (`ldic list | head`) is not an error.
pub fn print_out(s: &str) -> anyhow::Result<()> {
    let mut out = anstream::stdout();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}
