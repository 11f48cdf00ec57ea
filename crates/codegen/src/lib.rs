//! Facts in, Rust tokens and JSON Schemas out: the generator behind `cargo xtask codegen`.
#![forbid(unsafe_code)]
