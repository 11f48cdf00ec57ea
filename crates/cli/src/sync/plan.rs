//! `ldic plan`: read and validate the files, list the remote configurations of their
//! integration keys, print what `apply` would do. Never writes; never needs a secret's value.

use super::{PlanArgs, Read, connect, make_plan, read_desired};
use crate::{EXIT_OK, EXIT_PROBLEMS, print_out};
use std::io::Write as _;

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
    let desired = match read_desired(&args.paths, &args.env.policy(RESOLVE)?)? {
        Read::Desired(d) => d,
        Read::Invalid => return Ok(EXIT_PROBLEMS),
    };
    let client = connect(&args.remote)?;
    let plan = match make_plan(&desired, args, &client)? {
        Ok(plan) => plan,
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "error: {e}");
            return Ok(EXIT_PROBLEMS);
        }
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
