//! What the end-to-end tests of the `ldic` binary share (a module, not a test crate).

use ldic_test_support::workspace_root;

/// `ldic` run from the workspace root, without the parts of the environment that change what it
/// does: no token, base URL or catalog directory, no forced colour.
pub fn ldic() -> assert_cmd::Command {
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.current_dir(workspace_root())
        .env_remove("LD_API_KEY")
        .env_remove("LD_BASE_URL")
        .env_remove("LDIC_CATALOG_DIR")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    cmd
}
