//! The plan and the apply report as text: human (`Display`) and Markdown (a pull-request
//! comment). Sensitive values were removed when the plan was made; they show as "(changed)".

use crate::execute::{ApplyReport, OutcomeStatus};
use crate::plan::{Action, ActionKind, Change, ChangeOp, NotCompared, NotComparedReason, Plan};
use crate::sensitive::SENSITIVE_MARKER;
use serde_json::Value;
use std::fmt::{self, Write as _};

fn shown(v: Option<&Value>) -> String {
    v.map_or_else(|| "(none)".to_owned(), |v| v.to_string())
}

fn change_text(c: &Change) -> String {
    if c.sensitive {
        return format!("{}: {SENSITIVE_MARKER}", c.path);
    }
    match c.op {
        ChangeOp::Add => format!("{}: {}", c.path, shown(c.new.as_ref())),
        ChangeOp::Remove => format!("{}: {} (removed)", c.path, shown(c.old.as_ref())),
        ChangeOp::Replace => format!(
            "{}: {} -> {}",
            c.path,
            shown(c.old.as_ref()),
            shown(c.new.as_ref())
        ),
    }
}

fn change_sign(op: ChangeOp) -> char {
    match op {
        ChangeOp::Add => '+',
        ChangeOp::Replace => '~',
        ChangeOp::Remove => '-',
    }
}

fn reason_text(n: &NotCompared) -> String {
    let why = match &n.reason {
        NotComparedReason::Secret => "secret, write-only".to_owned(),
        NotComparedReason::SetByLaunchdarkly => "set by LaunchDarkly".to_owned(),
        NotComparedReason::Hidden => "hidden field".to_owned(),
        NotComparedReason::EnvUnset { variable } => format!("${variable} is not set"),
    };
    format!("{} ({why})", n.path)
}

fn sign(kind: ActionKind) -> char {
    match kind {
        ActionKind::Create => '+',
        ActionKind::Update => '~',
        ActionKind::Unchanged => '=',
        ActionKind::Delete => '-',
        ActionKind::Conflict => '!',
    }
}

fn headline(a: &Action) -> String {
    let mut s = format!(
        "{} {} {}/{:?}",
        sign(a.action),
        a.action.as_str(),
        a.integration_key,
        a.name
    );
    if let Some(id) = &a.remote_id {
        let _ = write!(s, " [{id}]");
    }
    if let Some(src) = &a.source {
        let _ = write!(s, "  ({src})");
    }
    s
}

impl Plan {
    /// One line per count: `2 to create, 1 to update, 0 to delete, 3 unchanged, 0 conflicts`.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        format!(
            "{} to create, {} to update, {} to delete, {} unchanged, {} conflict{}",
            s.create,
            s.update,
            s.delete,
            s.unchanged,
            s.conflict,
            if s.conflict == 1 { "" } else { "s" }
        )
    }

    /// The plan for a terminal or a log.
    pub fn render_human(&self) -> String {
        let mut out = String::new();
        for a in &self.actions {
            let _ = writeln!(out, "{}", headline(a));
            for c in &a.changes {
                let _ = writeln!(out, "    {} {}", change_sign(c.op), change_text(c));
            }
            if let Some(reason) = &a.reason {
                let _ = writeln!(out, "    {reason}");
            }
            if !a.missing_env.is_empty() {
                let _ = writeln!(
                    out,
                    "    needs unset variables: {}",
                    a.missing_env.join(", ")
                );
            }
            if a.action != ActionKind::Unchanged || !a.not_compared.is_empty() {
                for n in &a.not_compared {
                    let _ = writeln!(out, "    not compared: {}", reason_text(n));
                }
            }
        }
        if !self.prune {
            out.push_str(
                "(remote configurations no file describes are kept; --prune deletes them)\n",
            );
        }
        let _ = writeln!(out, "Plan: {}.", self.summary_line());
        out
    }

    /// The plan as Markdown, for a pull-request comment.
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("### ldic plan\n\n");
        let _ = writeln!(out, "**{}**\n", self.summary_line());
        if self.actions.is_empty() {
            out.push_str("No configuration in scope.\n");
            return out;
        }
        out.push_str("| | action | integration | name | remote id |\n|---|---|---|---|---|\n");
        for a in &self.actions {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} |",
                sign(a.action),
                a.action.as_str(),
                a.integration_key,
                md_escape(&a.name),
                a.remote_id
                    .as_deref()
                    .map_or(String::new(), |id| format!("`{id}`"))
            );
        }
        for a in self
            .actions
            .iter()
            .filter(|a| !a.changes.is_empty() || a.reason.is_some() || !a.missing_env.is_empty())
        {
            let _ = writeln!(
                out,
                "\n<details><summary>{} {} {}</summary>\n",
                a.action.as_str(),
                a.integration_key,
                md_escape(&a.name)
            );
            out.push_str("```diff\n");
            for c in &a.changes {
                let _ = writeln!(
                    out,
                    "{} {}",
                    change_sign(c.op),
                    change_text(c).replace("```", "'''")
                );
            }
            if let Some(reason) = &a.reason {
                let _ = writeln!(out, "! {reason}");
            }
            for n in &a.not_compared {
                let _ = writeln!(out, "# not compared: {}", reason_text(n));
            }
            out.push_str("```\n\n</details>\n");
        }
        out
    }
}

fn md_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '|' | '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_human())
    }
}

impl ApplyReport {
    /// One line per outcome, then the summary.
    pub fn render_human(&self) -> String {
        let mut out = String::new();
        for o in &self.outcomes {
            let what = format!("{} {}/{:?}", o.action.as_str(), o.integration_key, o.name);
            let _ = match &o.status {
                OutcomeStatus::Done { remote_id } => writeln!(out, "done     {what} [{remote_id}]"),
                OutcomeStatus::Failed { message } => writeln!(out, "FAILED   {what}: {message}"),
                OutcomeStatus::Unknown { message } => writeln!(
                    out,
                    "UNKNOWN  {what}: {message}; not retried: run `ldic plan` to see whether it exists (the next plan adopts it by name)"
                ),
            };
        }
        let s = &self.summary;
        let _ = writeln!(
            out,
            "Apply: {} done, {} failed, {} unknown.",
            s.done, s.failed, s.unknown
        );
        out
    }
}

impl fmt::Display for ApplyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_human())
    }
}
