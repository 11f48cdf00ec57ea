//! `ldic plan`: read and validate the files, list the remote configurations of their
//! integration keys, print what `apply` would do. Never writes; never needs a secret's value.

use super::{PlanArgs, plan_files};
use crate::{EXIT_OK, EXIT_PROBLEMS, print_out};

/// Output format of `ldic plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Human,
    /// The plan document (`version` 1), documented in the README.
    Json,
    /// For a pull-request comment.
    Markdown,
}

/// `plan` never needs a variable's value: an unset `${env:NAME}` is a field not compared, not an
/// error (a set one is compared, and shown only as "(changed)").
const RESOLVE: bool = false;

pub fn run(args: &PlanArgs, format: PlanFormat, exit_code: bool) -> anyhow::Result<u8> {
    let (plan, _client) = match plan_files(args, RESOLVE)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    let text = match format {
        PlanFormat::Human => plan.render_human(),
        PlanFormat::Json => serde_json::to_string_pretty(&plan)? + "\n",
        PlanFormat::Markdown => plan.render_markdown(),
    };
    print_out(&text)?;
    Ok(
        if plan.has_conflicts() || (exit_code && plan.has_pending()) {
            EXIT_PROBLEMS
        } else {
            EXIT_OK
        },
    )
}
