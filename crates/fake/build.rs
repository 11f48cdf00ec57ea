//! Finds the OpenAPI subset the fake checks every request against (never copied into the
//! repository; compiled into the fake when found): `$LDIC_OPENAPI_SPEC`, else
//! `<workspace>/../shared/launchdarkly-api/...`. Sets `cfg(openapi_spec)` and
//! `LDIC_OPENAPI_SPEC_PATH` when it exists; without it the fake checks nothing against the spec
//! and says so (`Fake::checks_spec` is false), and the tests that need it are ignored.

fn main() {
    ldic_test_support::emit_openapi_cfg();
}
