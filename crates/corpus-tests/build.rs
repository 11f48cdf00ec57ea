//! Sets `cfg(upstream_snapshot)` when the upstream snapshot is present and `cfg(openapi_spec)`
//! (with `LDIC_OPENAPI_SPEC_PATH`) when the OpenAPI subset is, so the tests that need them are
//! reported as ignored with the reason otherwise. This crate is never published, so looking
//! outside the package is fine here and nowhere else.

use std::path::PathBuf;

fn main() {
    ldic_test_support::emit_upstream_cfg();

    println!("cargo::rustc-check-cfg=cfg(openapi_spec)");
    println!("cargo::rerun-if-env-changed=LDIC_OPENAPI_SPEC");
    let path = match std::env::var_os("LDIC_OPENAPI_SPEC") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/launchdarkly-api/integration-configurations.openapi.json"),
    };
    println!("cargo::rerun-if-changed={}", path.display());
    if path.is_file() {
        println!("cargo::rustc-cfg=openapi_spec");
        println!("cargo::rustc-env=LDIC_OPENAPI_SPEC_PATH={}", path.display());
    }
}
