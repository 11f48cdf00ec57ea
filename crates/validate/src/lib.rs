//! Validation of LaunchDarkly integration configurations.
//!
//! The checks behind `ldic lint` and behind the client's refusal to send an invalid request.
//! A check never stops at the first problem: it returns a [`Report`] of every [`Diagnostic`],
//! in document order, each with a stable [`Code`] and the JSON pointer of the offending value.

#![forbid(unsafe_code)]

mod diagnostic;

pub use diagnostic::{Code, Diagnostic, Report, Severity};
