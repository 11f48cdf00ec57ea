//! Snapshots of what users read: every `ldic lint` output format on `examples/`, `ldic explain`
//! and `ldic list`, each run from the workspace root with relative paths so the text is stable;
//! and the README's sample lint output, which must be exactly what the command prints.
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

/// The first ```text block after "What the first command prints" in README.md.
fn readme_sample() -> String {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let after = readme
        .split_once("What the first command prints")
        .expect("README.md introduces the sample lint output")
        .1;
    let block = after
        .split_once("```text\n")
        .expect("a ```text block follows")
        .1;
    block
        .split_once("\n```")
        .expect("the block is closed")
        .0
        .to_owned()
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
