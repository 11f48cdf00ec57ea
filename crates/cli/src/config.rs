//! One integration configuration as a file holds it, and the checks the CLI adds to validation.
//!
//! A file's configuration is `{integrationKey, name, configValues, enabled?, tags?,
//! capabilityConfig?}`: the create request body plus the key of the integration it is for. The
//! validation engine checks the body; this module takes the key out, calls it, and adds what only
//! makes sense for files in git: a literal value in a secret field (it should be an
//! `${env:NAME}` reference) and a malformed reference.

use crate::codes::FindingCode;
use ldic::catalog::Integration;
use ldic::{Code, Diagnostic, Report, Severity};
use serde_json::{Map, Value};

pub use ldic::file::INTEGRATION_KEY;

/// A problem in one configuration, its pointer relative to the configuration object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub code: FindingCode,
    pub pointer: String,
    pub on_key: bool,
    pub message: String,
    pub suggestion: Option<String>,
    /// The engine's correction, as data (turned into byte edits by `crate::fix`).
    pub fix: Option<ldic::Fix>,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Self {
        let pointer = if d.code == Code::UnknownIntegration && d.pointer.is_empty() {
            format!("/{INTEGRATION_KEY}")
        } else {
            d.pointer.into()
        };
        Problem {
            severity: d.severity,
            code: d.code.into(),
            pointer,
            on_key: d.on_key,
            message: d.message.into(),
            suggestion: d.suggestion.map(String::from),
            fix: d.fix,
        }
    }
}

impl Problem {
    /// An error at `pointer`, without suggestion or fix.
    pub fn error(
        code: impl Into<FindingCode>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            severity: Severity::Error,
            code: code.into(),
            pointer: pointer.into(),
            on_key: false,
            message: message.into(),
            suggestion: None,
            fix: None,
        }
    }

    fn with_suggestion(mut self, s: impl Into<String>) -> Self {
        self.suggestion = Some(s.into());
        self
    }
}

pub use ldic::file::{EnvRef, env_name_for, env_ref};

/// A short name for a JSON value's type, for messages (never the value itself): the
/// validator's spelling (`ldic::json_type_of`).
pub use ldic::json_type_of as type_name;

/// How `${env:NAME}` references are treated: resolved or not, and which names may be used.
#[derive(Debug, Clone, Default)]
pub struct EnvPolicy {
    /// Resolve references from the environment and check the resolved values against their
    /// fields (`ldic lint --resolve-env`; always in `create`). An unset variable is an error.
    pub resolve: bool,
    /// When set, only names matching one of these patterns may be referenced (`--env-allow`).
    pub allow: Option<EnvAllow>,
}

/// The `--env-allow` flag of every command that reads `${env:NAME}` references (`lint`,
/// `create`, `plan`, `apply`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EnvArgs {
    /// Allow references only to variables matching PATTERN (a glob such as `DD_*`; repeatable).
    /// LD_API_KEY, ldic's own token, may never be referenced.
    #[arg(long = "env-allow", value_name = "PATTERN")]
    pub env_allow: Vec<String>,
}

impl EnvArgs {
    /// The policy these flags describe; `resolve` reads the environment (see [`EnvPolicy`]).
    pub fn policy(&self, resolve: bool) -> anyhow::Result<EnvPolicy> {
        let allow = if self.env_allow.is_empty() {
            None
        } else {
            Some(
                EnvAllow::new(&self.env_allow)
                    .map_err(|e| anyhow::anyhow!("--env-allow is not a valid pattern: {e}"))?,
            )
        };
        Ok(EnvPolicy { resolve, allow })
    }
}

/// The names `${env:NAME}` may reference: globs such as `DD_*`.
#[derive(Debug, Clone)]
pub struct EnvAllow {
    patterns: Vec<String>,
    set: globset::GlobSet,
}

impl EnvAllow {
    /// The allow-list of `patterns` (globs: `*`, `?`, `[..]`); an invalid glob is an error.
    pub fn new(patterns: &[String]) -> Result<Self, globset::Error> {
        let mut builder = globset::GlobSetBuilder::new();
        for p in patterns {
            builder.add(globset::Glob::new(p)?);
        }
        Ok(EnvAllow {
            patterns: patterns.to_vec(),
            set: builder.build()?,
        })
    }

    pub fn allows(&self, name: &str) -> bool {
        self.set.is_match(name)
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

impl EnvPolicy {
    /// Whether `name` may be referenced (and so resolved): not a credential ldic reads, and
    /// allowed when there is an allow-list.
    pub fn may_reference(&self, name: &str) -> bool {
        !ldic::file::forbidden_env_name(name) && self.allow.as_ref().is_none_or(|a| a.allows(name))
    }
}

/// Check one configuration object with the default [`EnvPolicy`] (references not resolved).
pub fn check(config: &mut Map<String, Value>) -> (Vec<Problem>, Option<&'static Integration>) {
    check_with(config, &EnvPolicy::default())
}

/// Check one configuration object. Returns its problems and the integration it is for (when the
/// key names a known one). The object is left as it was. File-only keys (`$schema`, `x-*`,
/// `_id`) are ignored; references are read as references, or resolved when `policy` says so.
pub fn check_with(
    config: &mut Map<String, Value>,
    policy: &EnvPolicy,
) -> (Vec<Problem>, Option<&'static Integration>) {
    let mut problems = Vec::new();
    let key = match config.get(INTEGRATION_KEY) {
        None => {
            problems.push(
                Problem::error(
                    Code::MissingRequired,
                    "",
                    format!(
                        "missing \"{INTEGRATION_KEY}\": which integration this configuration is for"
                    ),
                )
                .with_suggestion(format!(
                    "add \"{INTEGRATION_KEY}\": \"<key>\" (`ldic list` shows the keys)"
                )),
            );
            return (problems, None);
        }
        Some(Value::String(key)) => key.clone(),
        Some(other) => {
            problems.push(Problem::error(
                Code::WrongType,
                format!("/{INTEGRATION_KEY}"),
                format!(
                    "\"{INTEGRATION_KEY}\" must be a string, found {}",
                    type_name(other)
                ),
            ));
            return (problems, None);
        }
    };
    let integration = crate::active_catalog::active().get(&key);
    let mut body = ldic::file::split_configuration(config).body;
    if let Some(Value::Object(values)) = config.get("configValues") {
        check_secrets(integration, values, &mut problems);
        check_references(values, policy, &mut problems);
    }
    if policy.resolve
        && let Some(Value::Object(values)) = body.get_mut("configValues")
    {
        let unresolved = ldic::file::resolve_env_references(values, |name| {
            policy
                .may_reference(name)
                .then(|| std::env::var(name).ok())
                .flatten()
        });
        for u in unresolved
            .into_iter()
            .filter(|u| policy.may_reference(&u.name))
        {
            problems.push(
                Problem::error(
                    FindingCode::UnsetEnvReference,
                    format!("/configValues{}", u.pointer),
                    format!("environment variable {} is not set", u.name),
                )
                .with_suggestion(format!("set {} before running ldic", u.name)),
            );
        }
    }
    let report = validate_body(&key, &Value::Object(body));
    problems.extend(
        report
            .diagnostics
            .into_iter()
            .map(Problem::from)
            .map(|mut p| {
                // The engine reports an unknown key at the body's root; here it is the value of
                // `integrationKey`, so its fix can say what to write there.
                if p.code == Code::UnknownIntegration {
                    p.fix = ldic::Fix::integration_key(crate::active_catalog::active(), &key);
                }
                p
            }),
    );
    (problems, integration)
}

/// The one call into the validation engine: references are read as references (a resolved
/// value is a literal, checked against its field).
fn validate_body(integration_key: &str, body: &Value) -> Report {
    match ldic::Validator::for_key_in(crate::active_catalog::active(), integration_key) {
        Ok(v) => v
            .with_env_references(ldic::EnvReferences::Unresolved)
            .validate(body),
        Err(d) => Report {
            diagnostics: vec![*d],
        },
    }
}

/// Every reference's name: never a credential ldic reads, and allowed by `--env-allow`.
fn check_references(values: &Map<String, Value>, policy: &EnvPolicy, problems: &mut Vec<Problem>) {
    for (at, name) in ldic::file::env_references(values) {
        let pointer = format!("/configValues{at}");
        if ldic::file::forbidden_env_name(&name) {
            problems.push(
                Problem::error(
                    FindingCode::ForbiddenEnvReference,
                    pointer,
                    format!(
                        "{name} holds ldic's LaunchDarkly API token; a configuration may never reference it (its value would be sent to a third party)"
                    ),
                )
                .with_suggestion("reference the variable that holds this integration's own credential"),
            );
        } else if let Some(allow) = &policy.allow
            && !allow.allows(&name)
        {
            problems.push(Problem::error(
                FindingCode::EnvReferenceNotAllowed,
                pointer,
                format!(
                    "{name} is not an allowed environment variable (allowed: {})",
                    allow.patterns().join(", ")
                ),
            ));
        }
    }
}

fn check_secrets(
    integration: Option<&'static Integration>,
    values: &Map<String, Value>,
    problems: &mut Vec<Problem>,
) {
    let list = integration.and_then(Integration::config_values_list);
    for (key, value) in values {
        let Value::String(s) = value else { continue };
        let pointer = crate::spans::child_pointer("/configValues", key);
        let field = list.and_then(|l| l.field(key));
        match env_ref(s) {
            EnvRef::Variable(_) => {}
            // The engine reports malformed references in the fields it knows take strings.
            EnvRef::Malformed if field.is_some_and(ldic::file::is_string_valued) => {}
            EnvRef::Malformed => problems.push(
                Problem::error(
                    Code::InvalidEnvReference,
                    pointer,
                    format!("\"{key}\" starts like an environment reference but is not one"),
                )
                .with_suggestion("write it as \"${env:NAME}\", NAME of letters, digits and _"),
            ),
            EnvRef::Literal => {
                let secret = field.is_some_and(|f| f.is_secret);
                let message = if secret && !s.is_empty() {
                    format!(
                        "secret field \"{key}\" holds a literal value; a secret in a file ends up in git"
                    )
                } else if ldic::file::is_credential_url(s) {
                    format!(
                        "\"{key}\" holds a URL that carries a credential (user info, a token-like query parameter or an incoming-webhook path); a credential in a file ends up in git"
                    )
                } else {
                    continue;
                };
                problems.push(Problem {
                    severity: Severity::Warning,
                    code: FindingCode::LiteralSecret,
                    pointer,
                    on_key: false,
                    message,
                    suggestion: Some(format!(
                        "reference an environment variable instead: \"${{env:{}}}\"",
                        env_name_for(integration.map_or("", |i| &i.key), key)
                    )),
                    fix: None,
                });
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn missing_or_wrong_integration_key() {
        let mut m = serde_json::json!({"name": "n"})
            .as_object()
            .cloned()
            .unwrap();
        let (p, i) = check(&mut m);
        assert!(i.is_none());
        assert_eq!(
            (p[0].code, p[0].pointer.as_str()),
            (Code::MissingRequired.into(), "")
        );
        let mut m = serde_json::json!({"integrationKey": 3})
            .as_object()
            .cloned()
            .unwrap();
        let (p, _) = check(&mut m);
        assert_eq!(
            (p[0].code, p[0].pointer.as_str()),
            (Code::WrongType.into(), "/integrationKey")
        );
        assert_eq!(m["integrationKey"], 3, "the object is left as it was");
    }

    #[test]
    fn malformed_reference_is_an_error_anywhere_in_config_values() {
        let mut m = serde_json::json!({"integrationKey": "no-such-integration-xyz",
            "configValues": {"a/b": "${env:}"}})
        .as_object()
        .cloned()
        .unwrap();
        let (p, _) = check(&mut m);
        let bad = p
            .iter()
            .find(|p| p.code == Code::InvalidEnvReference)
            .unwrap();
        assert_eq!(bad.pointer, "/configValues/a~1b");
        assert_eq!(m["integrationKey"], "no-such-integration-xyz");
    }
}
