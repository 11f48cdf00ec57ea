//! LaunchDarkly resource specifiers, as used in the policy statements of an
//! `auditLogEventsHook` capability (`proj/*:env/production;critical:flag/*`).
//!
//! A policy that names a resource LaunchDarkly does not know matches nothing, silently; this
//! parser turns such typos into errors before the request is sent. The grammar follows
//! LaunchDarkly's documentation ("Using resources"):
//!
//! ```text
//! specifier := scope (":" scope)*
//! scope     := "acct" | type "/" name [";" selectors]
//! name      := glob | "${roleAttribute/" ident "}"
//! glob      := one or more of  A-Z a-z 0-9 . _ - *      ("*" matches any run of characters)
//! selectors := selector ("," selector)*
//! selector  := tag-glob | "{" ident ":" value "}"     (a tag, or a property selector such as {critical:true})
//! ```
//!
//! and the resource types nest as LaunchDarkly scopes them (`ResourceType::parents`): `flag`,
//! `segment`, `experiment`, `holdout`, `destination` live in an environment, `env`, `metric`,
//! `context-kind`, `aiconfig`... in a project, `token` in a member; the rest are account-level.

use std::fmt;

/// A resource type of LaunchDarkly's resource specifier syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResourceType {
    /// `acct`: the account itself (takes no name).
    Account,
    /// `application`: an application.
    Application,
    /// `code-reference-repository`: a repository scanned for code references.
    CodeReferenceRepository,
    /// `domain-verification`: a verified domain of the account.
    DomainVerification,
    /// `integration`: an integration.
    Integration,
    /// `member`: an account member.
    Member,
    /// `token`: an access token, inside a `member`.
    MemberToken,
    /// `pending-request`: a pending request.
    PendingRequest,
    /// `proj`: a project.
    Project,
    /// `env`: an environment, inside a `proj`.
    Environment,
    /// `flag`: a feature flag, inside an `env`.
    Flag,
    /// `segment`: a segment, inside an `env`.
    Segment,
    /// `experiment`: an experiment, inside an `env`.
    Experiment,
    /// `holdout`: a holdout, inside an `env`.
    Holdout,
    /// `destination`: a data export destination, inside an `env`.
    Destination,
    /// `metric`: a metric, inside a `proj`.
    Metric,
    /// `metric-group`: a metric group, inside a `proj`.
    MetricGroup,
    /// `context-kind`: a context kind, inside a `proj`.
    ContextKind,
    /// `release-pipeline`: a release pipeline, inside a `proj`.
    ReleasePipeline,
    /// `aiconfig`: an AI Config, inside a `proj` or an `env`.
    AiConfig,
    /// `layer`: a layer, inside a `proj`.
    Layer,
    /// `view`: a view, inside a `proj`.
    View,
    /// `relay-proxy-config`: a Relay Proxy configuration.
    RelayProxyConfig,
    /// `role`: a custom role.
    Role,
    /// `service-token`: a service token.
    ServiceToken,
    /// `team`: a team.
    Team,
    /// `template`: a template.
    Template,
    /// `webhook`: a webhook.
    Webhook,
}

/// Where a resource type may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parents {
    /// A top-level (account) resource.
    Account,
    /// A child of one of these types.
    Of(&'static [ResourceType]),
}

impl ResourceType {
    /// Every type, for suggestions and documentation.
    pub const ALL: &'static [ResourceType] = &[
        ResourceType::Account,
        ResourceType::Application,
        ResourceType::CodeReferenceRepository,
        ResourceType::DomainVerification,
        ResourceType::Integration,
        ResourceType::Member,
        ResourceType::MemberToken,
        ResourceType::PendingRequest,
        ResourceType::Project,
        ResourceType::Environment,
        ResourceType::Flag,
        ResourceType::Segment,
        ResourceType::Experiment,
        ResourceType::Holdout,
        ResourceType::Destination,
        ResourceType::Metric,
        ResourceType::MetricGroup,
        ResourceType::ContextKind,
        ResourceType::ReleasePipeline,
        ResourceType::AiConfig,
        ResourceType::Layer,
        ResourceType::View,
        ResourceType::RelayProxyConfig,
        ResourceType::Role,
        ResourceType::ServiceToken,
        ResourceType::Team,
        ResourceType::Template,
        ResourceType::Webhook,
    ];

    /// The spelling in a specifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::Account => "acct",
            ResourceType::Application => "application",
            ResourceType::CodeReferenceRepository => "code-reference-repository",
            ResourceType::DomainVerification => "domain-verification",
            ResourceType::Integration => "integration",
            ResourceType::Member => "member",
            ResourceType::MemberToken => "token",
            ResourceType::PendingRequest => "pending-request",
            ResourceType::Project => "proj",
            ResourceType::Environment => "env",
            ResourceType::Flag => "flag",
            ResourceType::Segment => "segment",
            ResourceType::Experiment => "experiment",
            ResourceType::Holdout => "holdout",
            ResourceType::Destination => "destination",
            ResourceType::Metric => "metric",
            ResourceType::MetricGroup => "metric-group",
            ResourceType::ContextKind => "context-kind",
            ResourceType::ReleasePipeline => "release-pipeline",
            ResourceType::AiConfig => "aiconfig",
            ResourceType::Layer => "layer",
            ResourceType::View => "view",
            ResourceType::RelayProxyConfig => "relay-proxy-config",
            ResourceType::Role => "role",
            ResourceType::ServiceToken => "service-token",
            ResourceType::Team => "team",
            ResourceType::Template => "template",
            ResourceType::Webhook => "webhook",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    fn parents(self) -> Parents {
        use ResourceType as T;
        const PROJ: &[ResourceType] = &[T::Project];
        const ENV: &[ResourceType] = &[T::Environment];
        const PROJ_OR_ENV: &[ResourceType] = &[T::Project, T::Environment];
        const MEMBER: &[ResourceType] = &[T::Member];
        match self {
            T::Environment
            | T::Metric
            | T::MetricGroup
            | T::ContextKind
            | T::ReleasePipeline
            | T::Layer
            | T::View => Parents::Of(PROJ),
            T::Flag | T::Segment | T::Experiment | T::Holdout | T::Destination => Parents::Of(ENV),
            // AI Configs are project resources; their targeting is per environment.
            T::AiConfig => Parents::Of(PROJ_OR_ENV),
            T::MemberToken => Parents::Of(MEMBER),
            _ => Parents::Account,
        }
    }

    /// The canonical scope chain leading to this type, e.g. `proj/*:env/*:` for `flag`.
    fn canonical_prefix(self) -> String {
        let mut chain = Vec::new();
        let mut t = self;
        while let Parents::Of(parents) = t.parents() {
            let Some(&p) = parents.first() else { break };
            chain.push(p);
            t = p;
        }
        chain
            .iter()
            .rev()
            .map(|p| format!("{}/*:", p.as_str()))
            .collect()
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One property selector, `{critical:true}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertySelector {
    /// The property name, before the `:` (`critical`).
    pub property: String,
    /// The value it must have, after the `:` (`true`).
    pub value: String,
}

/// One `type/name;selectors` part of a specifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceScope {
    /// The type before the `/` (`proj`, `env`, `flag`...).
    pub resource_type: ResourceType,
    /// The name glob (`*`, `production`, `qa-*`); empty for `acct`.
    pub name: String,
    /// Tag globs after `;`.
    pub tags: Vec<String>,
    /// Property selectors after `;`, such as `{critical:true}`.
    pub properties: Vec<PropertySelector>,
}

/// A parsed resource specifier: its scopes from outermost (`proj`) to innermost (`flag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpecifier {
    /// The `:`-separated scopes, outermost first.
    pub scopes: Vec<ResourceScope>,
}

impl ResourceSpecifier {
    /// The innermost resource type: what the specifier names.
    pub fn resource_type(&self) -> Option<ResourceType> {
        self.scopes.last().map(|s| s.resource_type)
    }
}

impl std::str::FromStr for ResourceSpecifier {
    type Err = ResourceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_resource(s)
    }
}

/// Why a resource specifier does not parse. Its Display is a complete sentence that quotes only
/// the offending part of the specifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResourceError {
    /// The specifier is empty or only blanks.
    #[error("the resource specifier is empty")]
    Empty,
    /// A scope between `:` separators is empty.
    #[error("scope {index} is empty (two `:` in a row, or a `:` at an end)")]
    EmptyScope {
        /// Which scope, counting from 1.
        index: usize,
    },
    /// A scope has a type but no `/name` (every type but `acct` needs one).
    #[error("scope \"{scope}\" has no `/`: expected `type/name`, such as `proj/*`")]
    MissingName {
        /// The scope as written.
        scope: String,
    },
    /// The text before `/` is not a resource type.
    #[error("unknown resource type \"{found}\"")]
    UnknownType {
        /// The type as written.
        found: String,
        /// The nearest known type, if one is close enough.
        suggestion: Option<&'static str>,
    },
    /// Nothing follows the `/` of a scope.
    #[error("\"{scope}\" has an empty name: use `*` to name every {resource_type}")]
    EmptyName {
        /// The scope as written.
        scope: String,
        /// The scope's type.
        resource_type: ResourceType,
    },
    /// A name holds a character other than letters, digits, `.`, `_`, `-` and `*` (and is not a
    /// `${roleAttribute/...}` placeholder).
    #[error(
        "name \"{name}\" of \"{resource_type}\" contains `{ch}`; names may contain letters, digits, `.`, `_`, `-` and the glob `*`"
    )]
    InvalidName {
        /// The scope's type.
        resource_type: ResourceType,
        /// The name as written.
        name: String,
        /// The first character that is not allowed.
        ch: char,
    },
    /// `acct` is followed by `/name`; the account scope has no name.
    #[error("`acct` takes no name")]
    AccountWithName,
    /// A `;` or `,` is followed by nothing.
    #[error("\"{scope}\" has an empty tag or selector after `;` or `,`")]
    EmptySelector {
        /// The scope as written.
        scope: String,
    },
    /// A tag holds a character other than letters, digits, `.`, `_`, `-` and `*`.
    #[error(
        "tag \"{tag}\" contains `{ch}`; tags may contain letters, digits, `.`, `_`, `-` and the glob `*`"
    )]
    InvalidTag {
        /// The tag as written.
        tag: String,
        /// The first character that is not allowed.
        ch: char,
    },
    /// A selector starting with `{` is not `{property:value}`.
    #[error(
        "property selector \"{selector}\" is malformed: expected `{{property:value}}`, such as `{{critical:true}}`"
    )]
    InvalidPropertySelector {
        /// The selector as written.
        selector: String,
    },
    /// A `{` without its `}`, or a `}` without its `{`.
    #[error("unbalanced `{{` or `}}` in \"{scope}\"")]
    UnbalancedBraces {
        /// The text that holds the unbalanced brace (the specifier or a scope's selectors).
        scope: String,
    },
    /// A type that lives inside another comes first, without its parent scopes (`flag/*`).
    #[error("\"{child}\" cannot be at the top level: it lives in {expected}")]
    NeedsParent {
        /// The type that needs a parent.
        child: ResourceType,
        /// The types it may live in, quoted and joined with "or".
        expected: String,
        /// The specifier with the usual parent scopes added in front (`proj/*:env/*:flag/*`).
        suggestion: String,
    },
    /// A type is inside a scope of a type it does not live in (`proj/*:flag/*`).
    #[error("\"{child}\" cannot be inside \"{parent}\": it lives in {expected}")]
    WrongParent {
        /// The misplaced type.
        child: ResourceType,
        /// The type of the scope it follows.
        parent: ResourceType,
        /// The types it may live in, quoted and joined with "or".
        expected: String,
    },
    /// An account-level type is inside another scope (`proj/*:team/*`).
    #[error("\"{child}\" is a top-level resource and cannot be inside \"{parent}\"")]
    TopLevelOnly {
        /// The type of the scope it follows.
        parent: ResourceType,
        /// The account-level type.
        child: ResourceType,
    },
}

impl ResourceError {
    /// A way to fix it, where there is an obvious one.
    pub fn suggestion(&self) -> Option<String> {
        match self {
            ResourceError::UnknownType {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean \"{s}\"?")),
            ResourceError::NeedsParent { suggestion, .. } => {
                Some(format!("did you mean \"{suggestion}\"?"))
            }
            ResourceError::AccountWithName => Some("write `acct`".to_owned()),
            _ => None,
        }
    }
}

/// Parse a resource specifier, checking syntax, resource types and their nesting.
pub fn parse_resource(spec: &str) -> Result<ResourceSpecifier, ResourceError> {
    if spec.trim().is_empty() {
        return Err(ResourceError::Empty);
    }
    let parts = split_top_level(spec, ':')?;
    let mut scopes: Vec<ResourceScope> = Vec::with_capacity(parts.len());
    for (index, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return Err(ResourceError::EmptyScope { index: index + 1 });
        }
        let scope = parse_scope(part)?;
        check_nesting(scopes.last().map(|s| s.resource_type), &scope, spec)?;
        scopes.push(scope);
    }
    Ok(ResourceSpecifier { scopes })
}

/// Split at `sep`, but not inside `{...}` (property selectors contain `:`).
fn split_top_level(s: &str, sep: char) -> Result<Vec<&str>, ResourceError> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| ResourceError::UnbalancedBraces {
                        scope: s.to_owned(),
                    })?;
            }
            c if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(ResourceError::UnbalancedBraces {
            scope: s.to_owned(),
        });
    }
    parts.push(&s[start..]);
    Ok(parts)
}

fn is_glob_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '*')
}

fn parse_scope(part: &str) -> Result<ResourceScope, ResourceError> {
    let (head, selectors) = match part.find(';') {
        Some(i) => (&part[..i], Some(&part[i + 1..])),
        None => (part, None),
    };
    let (type_str, name) = match head.find('/') {
        Some(i) => (&head[..i], Some(&head[i + 1..])),
        None => (head, None),
    };
    let resource_type =
        ResourceType::parse(type_str).ok_or_else(|| ResourceError::UnknownType {
            found: type_str.to_owned(),
            suggestion: nearest_type(type_str),
        })?;
    let name = parse_name(part, resource_type, name)?;
    let mut tags = Vec::new();
    let mut properties = Vec::new();
    if let Some(selectors) = selectors {
        for sel in split_top_level(selectors, ',')? {
            match parse_selector(part, sel)? {
                Selector::Tag(tag) => tags.push(tag),
                Selector::Property(property) => properties.push(property),
            }
        }
    }
    Ok(ResourceScope {
        resource_type,
        name,
        tags,
        properties,
    })
}

/// The name after `type/` in the scope `part` (empty for `acct`, which has none).
fn parse_name(
    part: &str,
    resource_type: ResourceType,
    name: Option<&str>,
) -> Result<String, ResourceError> {
    match (resource_type, name) {
        (ResourceType::Account, None) => Ok(String::new()),
        (ResourceType::Account, Some(_)) => Err(ResourceError::AccountWithName),
        (_, None) => Err(ResourceError::MissingName {
            scope: part.to_owned(),
        }),
        (t, Some("")) => Err(ResourceError::EmptyName {
            scope: part.to_owned(),
            resource_type: t,
        }),
        (t, Some(n)) => {
            if !is_role_attribute(n)
                && let Some(ch) = n.chars().find(|&c| !is_glob_char(c))
            {
                return Err(ResourceError::InvalidName {
                    resource_type: t,
                    name: n.to_owned(),
                    ch,
                });
            }
            Ok(n.to_owned())
        }
    }
}

/// One selector after `;`: a tag, or a `{property:value}`.
enum Selector {
    Tag(String),
    Property(PropertySelector),
}

fn parse_selector(part: &str, sel: &str) -> Result<Selector, ResourceError> {
    if sel.is_empty() {
        return Err(ResourceError::EmptySelector {
            scope: part.to_owned(),
        });
    }
    let Some(inner) = sel.strip_prefix('{') else {
        if let Some(ch) = sel.chars().find(|&c| !is_glob_char(c)) {
            return Err(ResourceError::InvalidTag {
                tag: sel.to_owned(),
                ch,
            });
        }
        return Ok(Selector::Tag(sel.to_owned()));
    };
    let bad = || ResourceError::InvalidPropertySelector {
        selector: sel.to_owned(),
    };
    let inner = inner.strip_suffix('}').ok_or_else(bad)?;
    let (property, value) = inner.split_once(':').ok_or_else(bad)?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    if !ok(property) || !ok(value) {
        return Err(bad());
    }
    Ok(Selector::Property(PropertySelector {
        property: property.to_owned(),
        value: value.to_owned(),
    }))
}

/// `${roleAttribute/projectKeys}`: a role-attribute placeholder in place of a name.
fn is_role_attribute(name: &str) -> bool {
    name.strip_prefix("${roleAttribute/")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|attr| {
            !attr.is_empty()
                && attr
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        })
}

fn check_nesting(
    parent: Option<ResourceType>,
    scope: &ResourceScope,
    spec: &str,
) -> Result<(), ResourceError> {
    let child = scope.resource_type;
    let describe = |parents: &[ResourceType]| {
        parents
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match (parent, child.parents()) {
        (None, Parents::Account) => Ok(()),
        (None, Parents::Of(parents)) => Err(ResourceError::NeedsParent {
            child,
            expected: describe(parents),
            suggestion: format!("{}{spec}", child.canonical_prefix()),
        }),
        (Some(p), Parents::Of(parents)) if parents.contains(&p) => Ok(()),
        (Some(p), Parents::Of(parents)) => Err(ResourceError::WrongParent {
            child,
            parent: p,
            expected: describe(parents),
        }),
        (Some(p), Parents::Account) => Err(ResourceError::TopLevelOnly { parent: p, child }),
    }
}

fn nearest_type(found: &str) -> Option<&'static str> {
    let lower = found.to_ascii_lowercase();
    // Common long forms people write instead of the short spelling.
    let alias = match lower.as_str() {
        "project" | "projects" => Some("proj"),
        "environment" | "environments" => Some("env"),
        "account" => Some("acct"),
        "flags" | "feature-flag" | "featureflag" => Some("flag"),
        _ => None,
    };
    alias.or_else(|| crate::suggest::nearest(&lower, ResourceType::ALL.iter().map(|t| t.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> ResourceSpecifier {
        match parse_resource(s) {
            Ok(r) => r,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn err(s: &str) -> ResourceError {
        match parse_resource(s) {
            Ok(r) => panic!("{s:?} should not parse: {r:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn documented_forms_parse() {
        for s in [
            "proj/*",
            "proj/default",
            "proj/mobile-*",
            "proj/*;mobile",
            "proj/*:env/*:flag/*",
            "proj/*:env/production:flag/*",
            "proj/*;team:env/*:flag/*",
            "proj/*:env/*;qa_*:flag/*",
            "proj/*:env/*:flag/*;tag1,tag2",
            "proj/*:env/*;{critical:true}:flag/*",
            "proj/*:metric/*",
            "proj/*:metric-group/*",
            "proj/*:context-kind/*",
            "proj/*:aiconfig/*",
            "proj/*:release-pipeline/*",
            "proj/*:env/*:segment/*",
            "proj/*:env/*:experiment/*",
            "proj/*:env/*:holdout/*",
            "proj/*:env/*:destination/*",
            "acct",
            "member/*",
            "member/*:token/*",
            "role/*",
            "team/*",
            "integration/*",
            "code-reference-repository/*",
            "relay-proxy-config/*",
            "service-token/*",
            "webhook/*",
            "pending-request/*",
            "application/*",
            "domain-verification/*",
            "template/*",
            "proj/${roleAttribute/projects}:env/*:flag/*",
        ] {
            ok(s);
        }
    }

    #[test]
    fn parses_structure() {
        let r = ok("proj/web;team-a:env/prod;{critical:true}:flag/beta-*;t1,t2");
        assert_eq!(r.scopes.len(), 3);
        assert_eq!(r.resource_type(), Some(ResourceType::Flag));
        assert_eq!(r.scopes[0].name, "web");
        assert_eq!(r.scopes[0].tags, vec!["team-a"]);
        assert_eq!(
            r.scopes[1].properties,
            vec![PropertySelector {
                property: "critical".into(),
                value: "true".into()
            }]
        );
        assert_eq!(r.scopes[2].tags, vec!["t1", "t2"]);
    }

    #[test]
    fn malformed_forms_are_errors() {
        assert_eq!(err(""), ResourceError::Empty);
        assert!(matches!(
            err("proj/*::flag/*"),
            ResourceError::EmptyScope { index: 2 }
        ));
        // The OpenAPI example's typo: a `/` before the child type.
        assert!(matches!(
            err("proj/*:env/*;qa_*:/flag/*"),
            ResourceError::UnknownType { .. }
        ));
        assert!(matches!(err("proj"), ResourceError::MissingName { .. }));
        assert!(matches!(err("proj/"), ResourceError::EmptyName { .. }));
        assert!(matches!(
            err("proj/a b"),
            ResourceError::InvalidName { ch: ' ', .. }
        ));
        assert!(matches!(err("acct/x"), ResourceError::AccountWithName));
        assert!(matches!(
            err("proj/*;"),
            ResourceError::EmptySelector { .. }
        ));
        assert!(matches!(
            err("proj/*;a,,b"),
            ResourceError::EmptySelector { .. }
        ));
        assert!(matches!(
            err("proj/*;a!"),
            ResourceError::InvalidTag { ch: '!', .. }
        ));
        assert!(matches!(
            err("proj/*:env/*;{critical}:flag/*"),
            ResourceError::InvalidPropertySelector { .. }
        ));
        assert!(matches!(
            err("proj/*:env/*;{critical:true:flag/*"),
            ResourceError::UnbalancedBraces { .. }
        ));
        assert!(matches!(
            err("proj/*:flag/*"),
            ResourceError::WrongParent { .. }
        ));
        assert!(matches!(
            err("role/*:flag/*"),
            ResourceError::WrongParent { .. }
        ));
        assert!(matches!(
            err("proj/*:webhook/*"),
            ResourceError::TopLevelOnly { .. }
        ));
    }

    #[test]
    fn suggestions() {
        let e = err("project/*:env/*:flag/*");
        assert_eq!(e.suggestion().as_deref(), Some("did you mean \"proj\"?"));
        let e = err("proj/*:env/*:flags/*");
        assert_eq!(e.suggestion().as_deref(), Some("did you mean \"flag\"?"));
        let e = err("flag/*");
        assert_eq!(
            e.suggestion().as_deref(),
            Some("did you mean \"proj/*:env/*:flag/*\"?")
        );
        let e = err("env/production");
        assert_eq!(
            e.suggestion().as_deref(),
            Some("did you mean \"proj/*:env/production\"?")
        );
        let e = err("proj/*:webhok/*");
        assert!(matches!(
            e,
            ResourceError::UnknownType {
                suggestion: Some("webhook"),
                ..
            }
        ));
    }
}
