//! Sets `cfg(upstream_snapshot)` when the upstream snapshot is present, so tests that need it are
//! reported as ignored with the reason otherwise.

fn main() {
    ldic_test_support::emit_upstream_cfg();
}
