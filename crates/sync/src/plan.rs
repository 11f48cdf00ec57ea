//! The plan: what `apply` would do, as data. [`plan()`] is a pure function of the desired
//! configurations, the remote configurations and the options.

use crate::desired::{Desired, Source, Target};
use crate::diff::{self, Comparison};
use crate::sensitive::Payload;
use ldic_catalog::{Catalog, FormList, Integration};
use ldic_client::model::{IntegrationConfiguration, PatchOperation};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The version of the plan's JSON document. It changes only when a field is removed or changes
/// meaning; new fields may appear without a version change.
pub const PLAN_VERSION: u32 = 1;

/// The remote configurations, listed per integration key (one list request per key).
pub type RemoteState = BTreeMap<String, Vec<IntegrationConfiguration>>;

/// What the plan covers and may do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Delete remote configurations of the files' integration keys that no file describes.
    pub prune: bool,
    /// Send secret fields on update (they are write-only: never compared).
    pub rotate_secrets: bool,
    /// Limit the plan to these configurations (empty: all).
    pub targets: Vec<Target>,
}

/// What happens to one configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// A configuration in the files that LaunchDarkly does not have.
    Create,
    /// A configuration whose fields differ.
    Update,
    /// A configuration that matches the files.
    Unchanged,
    /// A remote configuration no file holds (only with `prune`, within the compared keys).
    Delete,
    /// Cannot be planned (ambiguous remote names, a pinned `_id` that does not exist): nothing
    /// of this configuration is touched, and `apply` fails it.
    Conflict,
}

impl ActionKind {
    /// The lowercase name, as plans print and serialize it.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Create => "create",
            ActionKind::Update => "update",
            ActionKind::Unchanged => "unchanged",
            ActionKind::Delete => "delete",
            ActionKind::Conflict => "conflict",
        }
    }
}

/// A JSON Patch operation kind of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeOp {
    /// The field is absent remotely.
    Add,
    /// The field has another value remotely.
    Replace,
    /// The field is absent from the file.
    Remove,
}

impl ChangeOp {
    /// The JSON Patch `op` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeOp::Add => "add",
            ChangeOp::Replace => "replace",
            ChangeOp::Remove => "remove",
        }
    }
}

/// One changed field of an update. A sensitive change carries no values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// JSON pointer in the configuration (`/configValues/hostURL`, `/tags`, `/name`).
    pub path: String,
    /// What the change does to the remote field.
    pub op: ChangeOp,
    /// The remote value (absent for `add` and for sensitive changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The file's value (absent for `remove` and for sensitive changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// A secret field, a value from the environment or a URL with credentials: shown as
    /// "(changed)".
    pub sensitive: bool,
}

/// Why a field was left out of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "reason")]
pub enum NotComparedReason {
    /// A secret: LaunchDarkly returns it obfuscated. Sent on create, and on update only with
    /// `rotate_secrets`.
    Secret,
    /// A field LaunchDarkly sets itself (`generated`, `oauth`, `publicKey`).
    SetByLaunchdarkly,
    /// A hidden field (`isHidden`).
    Hidden,
    /// The file's value is `${env:NAME}` and NAME is not set.
    EnvUnset {
        /// The unset variable.
        variable: String,
    },
}

/// A field not compared, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotCompared {
    /// JSON pointer of the field in the configuration.
    pub path: String,
    /// Why it was not compared.
    #[serde(flatten)]
    pub reason: NotComparedReason,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// What happens.
    pub action: ActionKind,
    /// The configuration's integration.
    pub integration_key: String,
    /// The configuration's name: the file's, or the remote one for a delete.
    pub name: String,
    /// The remote configuration (absent for a create, or a conflict without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    /// The file and pointer of the desired configuration (absent for a delete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Field changes of an update.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Fields not compared, with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<NotCompared>,
    /// Environment variables this action needs to send and that are not set: `apply` fails the
    /// action without sending it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_env: Vec<String>,
    /// Why a conflict could not be planned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The remote ids a conflict involves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicting_ids: Vec<String>,
    #[serde(skip)]
    pub(crate) request: Payload<Request>,
}

/// What `execute` sends for an action.
#[derive(Clone, PartialEq, Default)]
pub(crate) enum Request {
    #[default]
    None,
    Create(Map<String, Value>),
    /// The patch, and the remote configuration it was planned from (sent against it, without
    /// reading it again).
    Patch {
        planned: Box<IntegrationConfiguration>,
        ops: Vec<PatchOperation>,
    },
    Delete,
}

impl Action {
    fn new(action: ActionKind, integration_key: &str, name: &str) -> Action {
        Action {
            action,
            integration_key: integration_key.to_owned(),
            name: name.to_owned(),
            remote_id: None,
            source: None,
            changes: Vec::new(),
            not_compared: Vec::new(),
            missing_env: Vec::new(),
            reason: None,
            conflicting_ids: Vec::new(),
            request: Payload(Request::None),
        }
    }

    /// Whether the action writes to LaunchDarkly.
    pub fn is_write(&self) -> bool {
        matches!(
            self.action,
            ActionKind::Create | ActionKind::Update | ActionKind::Delete
        )
    }

    /// The JSON Patch of an update, `test` operations included. It may hold secrets: do not log
    /// its values (`PatchOperation`'s `Debug` elides them).
    pub fn patch(&self) -> Option<&[PatchOperation]> {
        match &self.request.0 {
            Request::Patch { ops, .. } => Some(ops),
            _ => None,
        }
    }

    /// The create request body. It may hold secrets: do not log it.
    pub fn create_body(&self) -> Option<&Map<String, Value>> {
        match &self.request.0 {
            Request::Create(body) => Some(body),
            _ => None,
        }
    }
}

/// How many actions of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Configurations to create.
    pub create: usize,
    /// Configurations to update.
    pub update: usize,
    /// Configurations that match the files.
    pub unchanged: usize,
    /// Configurations to delete.
    pub delete: usize,
    /// Configurations that cannot be planned.
    pub conflict: usize,
}

/// The plan: every action, sorted by integration key, name and remote id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The plan format's version (serialized plans are read by `apply` and by tools).
    pub version: u32,
    /// Whether remote configurations no file holds are deleted.
    pub prune: bool,
    /// Whether secret fields are sent on update (their remote values cannot be compared).
    pub rotate_secrets: bool,
    /// The integration keys whose remote configurations were compared.
    pub integration_keys: Vec<String>,
    /// Counts of the actions.
    pub summary: Summary,
    /// Every action, sorted by integration key, name and remote id.
    pub actions: Vec<Action>,
}

impl Plan {
    /// Whether applying would write anything or fail (a conflict).
    pub fn has_pending(&self) -> bool {
        self.actions
            .iter()
            .any(|a| a.is_write() || a.action == ActionKind::Conflict)
    }

    /// Whether any configuration could not be planned.
    pub fn has_conflicts(&self) -> bool {
        self.summary.conflict > 0
    }
}

/// The desired configurations cannot be planned as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "two configurations of {integration_key} are named {name:?}: {first} and {second}; names identify configurations, rename one"
    )]
    /// Two configurations of one integration share a name.
    DuplicateName {
        /// The integration.
        integration_key: String,
        /// The shared name.
        name: String,
        /// The first configuration with it.
        first: Box<Source>,
        /// The second configuration with it.
        second: Box<Source>,
    },
    /// Two configurations pin the same remote `_id`.
    #[error("two configurations are pinned to the same _id {remote_id:?}: {first} and {second}")]
    DuplicateId {
        /// The pinned id.
        remote_id: String,
        /// The first configuration pinning it.
        first: Box<Source>,
        /// The second configuration pinning it.
        second: Box<Source>,
    },
    /// A desired configuration's integration key was not in the listed remote state.
    #[error("the remote configurations of {0} were not listed")]
    NotListed(String),
}

/// Compute the plan.
///
/// - **Identity**: a desired configuration pinned with `_id` matches the remote configuration
///   with that id (so a rename is an update; an id that does not exist is a conflict). Otherwise
///   it matches the one remote configuration of the same integration key and name that no other
///   file pins; none: create; two or more: conflict naming the ids, and none of them is touched.
///   Two desired configurations with the same key and name, or the same `_id`: [`PlanError`].
/// - **Comparison**: `name`, `enabled` (absent: `true`), `tags` (a set; sent sorted),
///   `configValues` and `capabilityConfig`; server-owned fields are ignored. In `configValues`,
///   a field absent from the file whose remote value is the manifest default is no change, with
///   another remote value it is removed; secret, hidden and LaunchDarkly-set fields are never
///   compared nor removed (secrets are sent on update only with `rotate_secrets`); a
///   `${env:NAME}` value whose variable is not set is not compared.
/// - **Prune**: only with `options.prune`, and only remote configurations of integration keys
///   present in `desired` that no desired configuration matched.
/// - **Targets**: matching runs on everything (so an untargeted file still protects its remote
///   configuration from prune); then only targeted actions are kept.
pub fn plan(
    desired: &[Desired],
    remote: &RemoteState,
    options: &Options,
) -> Result<Plan, PlanError> {
    plan_in(Catalog::builtin(), desired, remote, options)
}

/// [`plan`], with the field rules (defaults, secrets, hidden and LaunchDarkly-set fields) of
/// `catalog`: a catalog loaded at run time knows integrations the built-in one does not.
pub fn plan_in(
    catalog: &Catalog,
    desired: &[Desired],
    remote: &RemoteState,
    options: &Options,
) -> Result<Plan, PlanError> {
    check_duplicates(desired)?;
    let mut by_key: BTreeMap<&str, Vec<&Desired>> = BTreeMap::new();
    for d in desired {
        by_key.entry(&d.integration_key).or_default().push(d);
    }
    let mut actions = Vec::new();
    let mut integration_keys = Vec::new();
    for (key, wanted) in by_key {
        if !targeted_key(options, key) {
            continue;
        }
        let remotes = remote
            .get(key)
            .ok_or_else(|| PlanError::NotListed(key.to_owned()))?;
        integration_keys.push(key.to_owned());
        let list = catalog.get(key).and_then(Integration::config_values_list);
        plan_key(key, list, &wanted, remotes, options, &mut actions);
    }
    actions.retain(|a| targeted(options, a));
    actions.sort_by(|a, b| {
        (&a.integration_key, &a.name, &a.remote_id).cmp(&(
            &b.integration_key,
            &b.name,
            &b.remote_id,
        ))
    });
    let mut summary = Summary::default();
    for a in &actions {
        *match a.action {
            ActionKind::Create => &mut summary.create,
            ActionKind::Update => &mut summary.update,
            ActionKind::Unchanged => &mut summary.unchanged,
            ActionKind::Delete => &mut summary.delete,
            ActionKind::Conflict => &mut summary.conflict,
        } += 1;
    }
    Ok(Plan {
        version: PLAN_VERSION,
        prune: options.prune,
        rotate_secrets: options.rotate_secrets,
        integration_keys,
        summary,
        actions,
    })
}

fn check_duplicates(desired: &[Desired]) -> Result<(), PlanError> {
    let mut names: HashMap<(&str, &str), &Source> = HashMap::new();
    let mut ids: HashMap<&str, &Source> = HashMap::new();
    for d in desired {
        if let Some(first) = names.insert((&d.integration_key, &d.name), &d.source) {
            return Err(PlanError::DuplicateName {
                integration_key: d.integration_key.clone(),
                name: d.name.clone(),
                first: Box::new(first.clone()),
                second: Box::new(d.source.clone()),
            });
        }
        if let Some(id) = &d.remote_id
            && let Some(first) = ids.insert(id, &d.source)
        {
            return Err(PlanError::DuplicateId {
                remote_id: id.clone(),
                first: Box::new(first.clone()),
                second: Box::new(d.source.clone()),
            });
        }
    }
    Ok(())
}

fn targeted_key(options: &Options, key: &str) -> bool {
    options.targets.is_empty() || options.targets.iter().any(|t| t.integration_key == key)
}

fn targeted(options: &Options, action: &Action) -> bool {
    options.targets.is_empty()
        || options.targets.iter().any(|t| {
            let remote_name = action.changes.iter().find(|c| c.path == "/name");
            let old = remote_name
                .and_then(|c| c.old.as_ref())
                .and_then(Value::as_str);
            t.matches(
                &action.integration_key,
                std::iter::once(action.name.as_str()).chain(old),
            )
        })
}

/// Match and compare the configurations of one integration key.
fn plan_key(
    key: &str,
    list: Option<&FormList>,
    wanted: &[&Desired],
    remotes: &[IntegrationConfiguration],
    options: &Options,
    actions: &mut Vec<Action>,
) {
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let pinned: BTreeSet<&str> = wanted
        .iter()
        .filter_map(|d| d.remote_id.as_deref())
        .collect();
    for d in wanted {
        let found: Vec<&IntegrationConfiguration> = match &d.remote_id {
            Some(id) => remotes.iter().filter(|r| &r.id == id).collect(),
            None => remotes
                .iter()
                .filter(|r| r.name == d.name && !pinned.contains(r.id.as_str()))
                .collect(),
        };
        claimed.extend(found.iter().map(|r| r.id.as_str()));
        actions.push(match found.as_slice() {
            [] if d.remote_id.is_some() => pinned_missing(key, d),
            [] => create(key, d),
            [one] => update(key, list, d, one, options),
            many => ambiguous(key, d, many),
        });
    }
    if options.prune {
        for r in remotes.iter().filter(|r| !claimed.contains(r.id.as_str())) {
            let mut a = Action::new(ActionKind::Delete, key, &r.name);
            a.remote_id = Some(r.id.clone());
            a.request = Payload(Request::Delete);
            actions.push(a);
        }
    }
}

fn pinned_missing(key: &str, d: &Desired) -> Action {
    let mut a = Action::new(ActionKind::Conflict, key, &d.name);
    a.source = Some(d.source.clone());
    let id = d.remote_id.clone().unwrap_or_default();
    a.reason = Some(format!(
        "the file pins _id {id:?}, and {key} has no configuration with that id; remove \"_id\" from the file to create it anew"
    ));
    a.conflicting_ids = vec![id];
    a
}

fn ambiguous(key: &str, d: &Desired, many: &[&IntegrationConfiguration]) -> Action {
    let mut a = Action::new(ActionKind::Conflict, key, &d.name);
    a.source = Some(d.source.clone());
    let mut ids: Vec<String> = many.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    a.reason = Some(format!(
        "{} configurations of {key} are named {:?} (ids {}); pin one with \"_id\" in the file, or rename or delete the others",
        ids.len(),
        d.name,
        ids.join(", ")
    ));
    a.conflicting_ids = ids;
    a
}

fn create(key: &str, d: &Desired) -> Action {
    let mut a = Action::new(ActionKind::Create, key, &d.name);
    a.source = Some(d.source.clone());
    a.missing_env = d.unset_variables().map(str::to_owned).collect();
    let mut body = d.body.clone();
    if let Some(Value::Array(tags)) = body.get_mut("tags") {
        diff::sort_tags(tags);
    }
    a.request = Payload(Request::Create(body));
    a
}

fn update(
    key: &str,
    list: Option<&FormList>,
    d: &Desired,
    r: &IntegrationConfiguration,
    options: &Options,
) -> Action {
    let Comparison {
        changes,
        not_compared,
        missing_env,
        patch,
    } = diff::compare(list, d, r, options.rotate_secrets);
    let kind = if patch.is_empty() && missing_env.is_empty() {
        ActionKind::Unchanged
    } else {
        ActionKind::Update
    };
    let mut a = Action::new(kind, key, &d.name);
    a.remote_id = Some(r.id.clone());
    a.source = Some(d.source.clone());
    a.changes = changes;
    a.not_compared = not_compared;
    a.missing_env = missing_env;
    if kind == ActionKind::Update {
        a.request = Payload(Request::Patch {
            planned: Box::new(r.clone()),
            ops: patch,
        });
    }
    a
}
