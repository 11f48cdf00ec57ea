//! Finds the OpenAPI subset the fake checks every request against (never copied into the
//! repository; compiled into the fake when found): `$LDIC_OPENAPI_SPEC`, else
//! `<workspace>/../shared/launchdarkly-api/...`. Sets `cfg(openapi_spec)` and
//! `LDIC_OPENAPI_SPEC_PATH` when it exists; without it the fake checks nothing against the spec
//! and says so (`Fake::checks_spec` is false), and the tests that need it are ignored.

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
