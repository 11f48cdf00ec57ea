//! Nothing to use: this crate holds the tests that read data kept outside the repository (the
//! upstream integration-framework snapshot, LaunchDarkly's OpenAPI subset). Its `build.rs` finds
//! that data and switches the tests on; without it they are reported as ignored with the reason.
//! It is not published, so the published crates need no `build.rs` that looks outside their
//! package.
#![forbid(unsafe_code)]
