//! `ldic apply`: the plan, a confirmation (or `--yes`), then its execution with bounded
//! concurrency. Exit 1 when anything failed or its outcome is unknown; a rerun converges.

use super::{PlanArgs, plan_files};
use crate::{EXIT_OK, EXIT_PROBLEMS, print_out};
use std::io::{BufRead as _, IsTerminal as _, Write as _};

/// `apply` sends resolved values, so every reference is resolved and its value checked against
/// its field before the first request (an unset variable is an error naming it).
const RESOLVE: bool = true;

pub fn run(args: &PlanArgs, yes: bool, concurrency: usize) -> anyhow::Result<u8> {
    let interactive = std::io::stdin().is_terminal();
    if !yes && !interactive {
        anyhow::bail!(
            "stdin is not a terminal: run `ldic plan` to review, then `ldic apply --yes`"
        );
    }
    let (plan, client) = match plan_files(args, RESOLVE)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    print_out(&plan.render_human())?;
    if !plan.has_pending() {
        print_out("Nothing to do.\n")?;
        return Ok(EXIT_OK);
    }
    if !yes && !confirm()? {
        print_out("Nothing was applied.\n")?;
        return Ok(EXIT_OK);
    }
    let report = ldic_sync::execute(&plan, &client, concurrency);
    print_out(&report.render_human())?;
    Ok(if report.is_success() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

fn confirm() -> anyhow::Result<bool> {
    let mut err = anstream::stderr();
    let _ = write!(err, "Apply this plan? Only \"yes\" is accepted: ");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}
