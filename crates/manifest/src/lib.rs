//! LaunchDarkly integration manifests as ldic understands them.
//!
//! Upstream (`launchdarkly/integration-framework`) describes each integration in a
//! `manifest.json`. This crate owns everything ldic knows about that format:
//!
//! - [`facts`]: the small, prose-free record ldic stores in `manifests/` and generates code from.
//!   It is the contract between `cargo xtask fetch` and `cargo xtask codegen`.
//! - [`model`]: the serde model of `manifest.json` (the parts ldic reads).
//! - [`extract`]: model -> facts.
//! - [`tree`]: reading an upstream tree (a checkout or a plain directory).
//! - [`store`]: reading and atomically writing `manifests/`.
//! - [`rules`]: schema and semantic rules every manifest must pass (and what happens when upstream breaks one).
//! - [`load`]: a whole tree through the rules to facts.
//! - [`diff`]: what changed between two sets of facts, breaking or compatible.
//! - [`api`]: the manifests the LaunchDarkly API serves -> facts (leniently, item by item).

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
pub mod diff;
pub mod extract;
pub mod facts;
#[cfg(feature = "upstream-schema")]
pub mod load;
pub mod model;
pub mod rules;
pub mod store;
pub mod tree;
