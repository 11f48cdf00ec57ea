//! `cargo xtask`: the maintainer pipeline (fetch upstream manifests, generate the catalog).
#![forbid(unsafe_code)]

fn main() {}
