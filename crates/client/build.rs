//! Finds the OpenAPI subset the tests check request bodies against (never copied into the
//! repository): `$LDIC_OPENAPI_SPEC`, else `<workspace>/../shared/launchdarkly-api/...`.
//! Sets `cfg(openapi_spec)` and `LDIC_OPENAPI_SPEC_PATH` when it exists; tests that need it are
//! ignored with the reason otherwise.

use std::path::PathBuf;

fn main() {
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
