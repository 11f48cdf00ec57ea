//! Sets `cfg(upstream_snapshot)` when the upstream snapshot is present and `cfg(openapi_spec)`
//! (with `LDIC_OPENAPI_SPEC_PATH`) when the OpenAPI subset is, so the tests that need them are
//! reported as ignored with the reason otherwise. This crate is never published, so looking
//! outside the package is fine here and nowhere else.

fn main() {
    ldic_test_support::emit_upstream_cfg();
    ldic_test_support::emit_openapi_cfg();
}
