//! ldic: LaunchDarkly integration configurations, typed and checked before they are sent.
//!
//! This crate is the one to depend on. It gathers the three parts of ldic:
//! - [`catalog`]: a typed config struct and a JSON Schema for every integration,
//! - validation ([`Report`], [`Diagnostic`]): every problem of a create request at once,
//! - the REST client, which refuses to send what does not validate.

#![forbid(unsafe_code)]

pub use ldic_catalog as catalog;
pub use ldic_validate::*;
