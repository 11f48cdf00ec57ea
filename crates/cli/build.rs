//! Sets `cfg(upstream_snapshot)` when the upstream snapshot is present, so the `catalog update`
//! test that serves its manifests from a mock is reported as ignored with the reason otherwise.

fn main() {
    ldic_test_support::emit_upstream_cfg();
}
