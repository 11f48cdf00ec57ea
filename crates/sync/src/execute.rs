//! Executing a plan: every write action through a [`Remote`], with bounded concurrency. One
//! failure does not stop the others; a create whose outcome is unknown is never retried (the
//! next plan adopts the configuration by its name if it was created).

use crate::plan::{Action, ActionKind, Plan, Request};
use crate::remote::{Remote, RemoteError};
use serde::Serialize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How one action ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum OutcomeStatus {
    /// Done; the remote id (a create's new id).
    /// Done; the remote id (a create's new id).
    Done {
        /// The configuration's remote `_id`.
        remote_id: String,
    },
    /// Not done: refused, unreachable, or not sent (a missing environment variable, a conflict).
    /// Not done: refused, unreachable, or not sent (a missing environment variable, a conflict).
    Failed {
        /// Why, with secrets scrubbed.
        message: String,
    },
    /// A create or update that may or may not have happened: not retried; run `plan` again.
    /// A create or update that may or may not have happened: not retried; run `plan` again.
    Unknown {
        /// What went wrong and how to check, with secrets scrubbed.
        message: String,
    },
}

/// One write action (or conflict) and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionOutcome {
    /// What the plan asked for.
    pub action: ActionKind,
    /// The configuration's integration.
    pub integration_key: String,
    /// The configuration's name.
    pub name: String,
    /// How it ended.
    #[serde(flatten)]
    pub status: OutcomeStatus,
}

/// Counts of outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ApplySummary {
    /// Actions that were done.
    pub done: usize,
    /// Actions that failed (nothing was written).
    pub failed: usize,
    /// Writes whose outcome is unknown.
    pub unknown: usize,
}

/// What `execute` did, in plan order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Counts of the outcomes below.
    pub summary: ApplySummary,
    /// One outcome per write action or conflict, in plan order.
    pub outcomes: Vec<ActionOutcome>,
}

impl ApplyReport {
    /// Everything was done.
    pub fn is_success(&self) -> bool {
        self.summary.failed == 0 && self.summary.unknown == 0
    }
}

/// Execute the plan's writes with at most `concurrency` requests in flight (at least 1).
/// Conflicts are reported as failed without any request; unchanged configurations are skipped.
pub fn execute<R: Remote + ?Sized>(plan: &Plan, remote: &R, concurrency: usize) -> ApplyReport {
    let work: Vec<&Action> = plan
        .actions
        .iter()
        .filter(|a| a.is_write() || a.action == ActionKind::Conflict)
        .collect();
    let results: Mutex<Vec<Option<OutcomeStatus>>> = Mutex::new(vec![None; work.len()]);
    let next = AtomicUsize::new(0);
    let workers = concurrency.clamp(1, work.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(action) = work.get(i) else { break };
                    let status = run(action, remote);
                    if let Ok(mut r) = results.lock()
                        && let Some(slot) = r.get_mut(i)
                    {
                        *slot = Some(status);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut report = ApplyReport::default();
    for (action, status) in work.into_iter().zip(results) {
        let status = status.unwrap_or_else(|| OutcomeStatus::Failed {
            message: "not run (a worker stopped)".to_owned(),
        });
        match status {
            OutcomeStatus::Done { .. } => report.summary.done += 1,
            OutcomeStatus::Failed { .. } => report.summary.failed += 1,
            OutcomeStatus::Unknown { .. } => report.summary.unknown += 1,
        }
        report.outcomes.push(ActionOutcome {
            action: action.action,
            integration_key: action.integration_key.clone(),
            name: action.name.clone(),
            status,
        });
    }
    report
}

fn run<R: Remote + ?Sized>(action: &Action, remote: &R) -> OutcomeStatus {
    if action.action == ActionKind::Conflict {
        return OutcomeStatus::Failed {
            message: action
                .reason
                .clone()
                .unwrap_or_else(|| "conflict".to_owned()),
        };
    }
    if !action.missing_env.is_empty() {
        return OutcomeStatus::Failed {
            message: format!(
                "not sent: environment variable{} not set: {}",
                if action.missing_env.len() == 1 {
                    ""
                } else {
                    "s"
                },
                action.missing_env.join(", ")
            ),
        };
    }
    let key = action.integration_key.as_str();
    let id = action.remote_id.clone().unwrap_or_default();
    let result = match &action.request.0 {
        Request::Create(body) => remote.create(key, body).map(|c| c.id),
        Request::Patch { planned, ops } => remote.update(key, planned, ops).map(|()| id),
        Request::Delete => remote.delete(key, &id).map(|()| id),
        Request::None => Ok(id),
    };
    match result {
        Ok(remote_id) => OutcomeStatus::Done { remote_id },
        Err(RemoteError::Failed(message)) => OutcomeStatus::Failed { message },
        Err(RemoteError::OutcomeUnknown(message)) => OutcomeStatus::Unknown { message },
    }
}
