//! Sets `cfg(upstream_snapshot)` when the upstream snapshot is present, so the `--api` tests that
//! serve its manifests from a mock are reported as ignored with the reason otherwise.

fn main() {
    ldic_test_support::emit_upstream_cfg();
}
