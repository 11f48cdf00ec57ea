//! LaunchDarkly integration manifests as ldic understands them.
//!
//! Upstream (`launchdarkly/integration-framework`) describes each integration in a
//! `manifest.json`. This crate owns everything ldic knows about that format:
//!
//! - [`facts`]: the small, prose-free record ldic stores in `manifests/` and generates code from.
//!   It is the contract between `cargo xtask fetch` and `cargo xtask codegen`.

pub mod facts;
