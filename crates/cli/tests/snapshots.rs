//! Snapshots of what users read: every `ldic lint` output format on `examples/`, `ldic explain`
//! and `ldic list`, each run from the workspace root with relative paths so the text is stable;
//! and the README's sample lint outputs, which must be exactly what the command prints.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_test_support::workspace_root;

/// Runs `ldic` from the workspace root, colour off, no API settings from the environment:
/// exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = ldic_test_support::ldic_cmd!()
        .current_dir(workspace_root())
        .env_remove("LD_API_KEY")
        .env_remove("LD_BASE_URL")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains("panicked"),
        "ldic {args:?} panicked: {stderr}"
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

fn ldic(args: &[&str]) -> (i32, String) {
    let (code, stdout, _) = run(args);
    (code, stdout)
}

fn lint_examples(format: &str) -> String {
    let (code, stdout) = ldic(&["lint", "--format", format, "examples/"]);
    assert_eq!(code, 1, "examples/mistakes/ holds mistakes on purpose");
    stdout
}

#[test]
fn lint_human() {
    insta::assert_snapshot!("lint_human", lint_examples("human"));
}

#[test]
fn lint_json() {
    let out = lint_examples("json");
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    insta::assert_snapshot!("lint_json", out);
}

#[test]
fn lint_sarif() {
    let out = lint_examples("sarif");
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    insta::assert_snapshot!("lint_sarif", out);
}

#[test]
fn lint_github() {
    insta::assert_snapshot!("lint_github", lint_examples("github"));
}

#[test]
fn explain_datadog() {
    let (code, out) = ldic(&["explain", "datadog"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain_datadog", out);
}

#[test]
fn list() {
    let (code, out) = ldic(&["list"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("list", out);
}

/// The first code block of language `fence` (` ```yaml`, ` ```text`) after `marker` in README.md.
fn readme_block(marker: &str, fence: &str) -> String {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let after = readme
        .split_once(marker)
        .unwrap_or_else(|| panic!("README.md has no {marker:?}"))
        .1;
    let block = after
        .split_once(&format!("```{fence}\n"))
        .unwrap_or_else(|| panic!("a ```{fence} block follows {marker:?}"))
        .1;
    block
        .split_once("\n```")
        .expect("the block is closed")
        .0
        .to_owned()
}

/// The first ```text block after "What the first command prints" in README.md.
fn readme_sample() -> String {
    readme_block("What the first command prints", "text")
}

#[test]
fn readme_sample_output_is_what_lint_prints() {
    // The README's first set-up command is `cargo run -p ldic-cli -- lint examples/`.
    let (code, stdout, stderr) = run(&["lint", "examples/"]);
    assert_eq!(code, 1);
    // What a terminal shows: the findings (stdout), then the summary line (stderr).
    let printed = format!("{}\n\n{}", stdout.trim_end(), stderr.trim_end());
    let sample = readme_sample();
    assert_eq!(
        printed,
        sample.trim_end(),
        "README.md's sample output differs from `ldic lint examples/`"
    );
}

/// The README's example of a value outside more than 10 allowed values: its ```yaml block is
/// written to `dynamodb.yaml` in an empty directory and linted there, as the README says, and
/// what the command prints must be the ```text block that follows.
#[test]
fn readme_long_allowed_values_sample_is_what_lint_prints() {
    const MARKER: &str = "A value outside more than 10 allowed values";
    let config = readme_block(MARKER, "yaml");
    let sample = readme_block(MARKER, "text");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dynamodb.yaml"), format!("{config}\n")).unwrap();
    let out = ldic_test_support::ldic_cmd!()
        .current_dir(dir.path())
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .args(["lint", "dynamodb.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the example holds a mistake");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The rule this example shows: a count and the closest values, not the whole list.
    assert!(
        stdout.contains(
            "error[not-allowed]: the value is not one of the 17 allowed values; closest:"
        ),
        "{stdout}"
    );
    let printed = format!("{}\n\n{}", stdout.trim_end(), stderr.trim_end());
    assert_eq!(
        printed,
        sample.trim_end(),
        "README.md's sample output differs from `ldic lint dynamodb.yaml`"
    );
}
