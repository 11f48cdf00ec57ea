//! The desired-state engine behind `ldic plan`, `ldic apply` and `ldic import`.
//!
//! Configuration files are the desired state of the integration configurations they name. This
//! crate compares them with what LaunchDarkly holds and computes a [`Plan`] — pure data, with a
//! stable JSON form ([`PLAN_VERSION`]) — then [`execute`]s it through a [`Remote`]: creates,
//! minimal JSON Patch updates guarded by `test` operations, and deletes only when pruning.
//! [`import`] goes the other way: remote configurations become file documents.
//!
//! The rules (identity by key and name or pinned `_id`, write-only secrets, defaults, tags as a
//! set, prune scope) are documented on [`plan()`] and in the README section "Integration
//! configurations as code". No secret value ever appears in a plan's `Debug`, `Display`, JSON or
//! in an error: values that are sensitive are replaced by [`SENSITIVE_MARKER`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod desired;
mod diff;
mod execute;
mod import;
mod memory;
mod plan;
mod remote;
mod render;
mod sensitive;

pub use desired::{Desired, DesiredError, EnvValue, Source, Target, TargetError};
pub use execute::{ActionOutcome, ApplyReport, ApplySummary, OutcomeStatus, execute};
pub use import::{
    ImportedFile, import, import_document, import_document_in, import_file_name, import_in,
};
pub use memory::{MemoryRemote, RequestCounts};
pub use plan::{
    Action, ActionKind, Change, ChangeOp, NotCompared, NotComparedReason, Options, PLAN_VERSION,
    Plan, PlanError, RemoteState, Summary, plan, plan_in,
};
pub use remote::{Remote, RemoteError, list_remote};
pub use sensitive::SENSITIVE_MARKER;
