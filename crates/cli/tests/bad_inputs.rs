//! The bad-input catalogue (`tests/bad-inputs/cases.json`), run against the built `ldic` binary.
//!
//! Each case is one hostile or broken input; the test asserts its exit code, the diagnostic codes
//! of the JSON output (in order), and a message that says what was expected. Large and
//! machine-specific inputs (100,000-level nesting, 50 MB files, directories, permissions, symlink
//! loops) are generated in a temporary directory, never committed.

#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_test_support::workspace_root;
use serde::Deserialize;
use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The variable `env-missing` references; never set by the test.
const UNSET_VARIABLE: &str = "LDIC_BAD_INPUT_UNSET_VARIABLE";

#[derive(Debug, Deserialize)]
struct Catalogue {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    file: Option<String>,
    generate: Option<String>,
    #[serde(default = "lint")]
    command: String,
    exit: i32,
    codes: Vec<String>,
    #[serde(default)]
    io_error: bool,
    message: Option<String>,
    memory_limit_mb: Option<u64>,
    why: String,
}

fn lint() -> String {
    "lint".to_owned()
}

fn catalogue_dir() -> PathBuf {
    workspace_root().join("tests/bad-inputs")
}

fn catalogue() -> Vec<Case> {
    let text = std::fs::read_to_string(catalogue_dir().join("cases.json")).unwrap();
    serde_json::from_str::<Catalogue>(&text).unwrap().cases
}

/// The unprivileged user a permission case runs as when the tests run as root (`nobody`).
const UNPRIVILEGED_UID: u32 = 65_534;

/// An input ready to run: the path to pass, and the user to run as (for permission cases).
struct Input {
    path: PathBuf,
    run_as: Option<u32>,
}

impl From<PathBuf> for Input {
    fn from(path: PathBuf) -> Self {
        Input { path, run_as: None }
    }
}

/// Build a generated case: `None` when the platform cannot build it.
fn generate(recipe: &str, dir: &Path, name: &str) -> Option<Input> {
    let path = dir.join(name);
    const DEEP: usize = 100_000;
    match recipe {
        "deep-json-array" => std::fs::write(&path, "[".repeat(DEEP)).unwrap(),
        "deep-json-object" => std::fs::write(&path, "{\"a\":".repeat(DEEP)).unwrap(),
        "deep-yaml-flow-sequence" => {
            let path = path.with_extension("yaml");
            std::fs::write(&path, "[".repeat(DEEP) + &"]".repeat(DEEP)).unwrap();
            return Some(path.into());
        }
        "deep-yaml-flow-mapping" => {
            let path = path.with_extension("yaml");
            std::fs::write(&path, "{a: ".repeat(DEEP) + "1" + &"}".repeat(DEEP)).unwrap();
            return Some(path.into());
        }
        "deep-yaml-block-sequence" => {
            let path = path.with_extension("yaml");
            std::fs::write(&path, "- ".repeat(DEEP) + "x\n").unwrap();
            return Some(path.into());
        }
        "big-json-array" => {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            out.write_all(b"[\n").unwrap();
            let mut written = 2usize;
            let mut i = 0usize;
            while written < 50 * 1024 * 1024 {
                let one = format!(
                    "{}{{\"integrationKey\": \"datadog\", \"name\": \"n{i}\", \"configValues\": {{\"apiKey\": \"${{env:DD_API_KEY}}\", \"hostURL\": \"https://api.datadoghq.eu\"}}}}",
                    if i == 0 { "" } else { ",\n" }
                );
                out.write_all(one.as_bytes()).unwrap();
                written += one.len();
                i += 1;
            }
            out.write_all(b"\n]\n").unwrap();
        }
        "big-json-string" => {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            out.write_all(b"{\"integrationKey\": \"datadog\", \"name\": \"")
                .unwrap();
            let chunk = "n".repeat(1024 * 1024);
            for _ in 0..50 {
                out.write_all(chunk.as_bytes()).unwrap();
            }
            out.write_all(b"\", \"configValues\": {\"apiKey\": \"${env:DD_API_KEY}\"}}\n")
                .unwrap();
        }
        "directory" => std::fs::create_dir(&path).unwrap(),
        "missing" => {}
        "unreadable" => {
            std::fs::write(&path, "{\"integrationKey\": \"datadog\"}\n").unwrap();
            set_mode(&path, 0o000);
            if std::fs::File::open(&path).is_ok() {
                // Root (CAP_DAC_OVERRIDE) reads it anyway: run ldic as an unprivileged user,
                // who can reach the file but not read it.
                set_mode(dir, 0o755);
                return Some(Input {
                    path,
                    run_as: Some(UNPRIVILEGED_UID),
                });
            }
        }
        "symlink-loop" => {
            symlink(&dir.join("loop-b.json"), &path)?;
            symlink(&path, &dir.join("loop-b.json"))?;
        }
        "dangling-symlink" => symlink(&dir.join("nothing-here.json"), &path)?,
        "env-missing" => std::fs::write(
            &path,
            format!(
                "{{\"integrationKey\": \"datadog\", \"name\": \"n\", \"configValues\": {{\"apiKey\": \"${{env:{UNSET_VARIABLE}}}\"}}}}\n"
            ),
        )
        .unwrap(),
        other => panic!("unknown generate recipe {other:?}"),
    }
    Some(path.into())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Option<()> {
    std::os::unix::fs::symlink(target, link).unwrap();
    Some(())
}

#[cfg(not(unix))]
fn symlink(_: &Path, _: &Path) -> Option<()> {
    None
}

struct Outcome {
    exit: i32,
    stdout: String,
    stderr: String,
}

/// Run the case; `None` when the child cannot be started as the user the case needs.
fn run(case: &Case, input: &Input) -> Option<Outcome> {
    let path = &input.path;
    let bin = assert_cmd::cargo::cargo_bin!("ldic");
    let mut args: Vec<String> = match case.command.as_str() {
        "lint" => vec!["lint".into(), "--format".into(), "json".into()],
        "create" => vec!["create".into(), "--dry-run".into()],
        other => panic!("{}: unknown command {other:?}", case.name),
    };
    args.push(path.display().to_string());
    let mut cmd = match (case.memory_limit_mb, input.run_as) {
        // A hard address-space limit on the child: past it, allocation fails and ldic aborts.
        (Some(mb), _) if cfg!(unix) => {
            let mut c = std::process::Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mb * 1024))
                .arg(bin)
                .args(&args);
            assert_cmd::Command::from_std(c)
        }
        #[cfg(unix)]
        (_, Some(uid)) => {
            use std::os::unix::process::CommandExt as _;
            let mut c = std::process::Command::new(bin);
            c.args(&args).uid(uid).gid(uid).current_dir("/");
            assert_cmd::Command::from_std(c)
        }
        _ => {
            let mut c = ldic_test_support::ldic_cmd!();
            c.args(&args);
            c
        }
    };
    cmd.env_remove(UNSET_VARIABLE)
        .env_remove("LD_API_KEY")
        .env("NO_COLOR", "1");
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) if input.run_as.is_some() => {
            eprintln!("{}: cannot run as uid {:?}: {e}", case.name, input.run_as);
            return None;
        }
        Err(e) => panic!("{}: {e}", case.name),
    };
    Some(Outcome {
        exit: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Check one case; `Err` describes how it failed.
fn check(case: &Case, out: &Outcome) -> Result<(), String> {
    let mut texts = vec![out.stderr.clone()];
    if case.exit != out.exit {
        return Err(format!(
            "exit {} (expected {}); stderr: {}",
            out.exit,
            case.exit,
            out.stderr.trim()
        ));
    }
    if case.command == "lint" {
        let doc: Value = serde_json::from_str(&out.stdout)
            .map_err(|e| format!("stdout is not JSON ({e}): {}", out.stdout))?;
        let codes: Vec<&str> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        if codes != case.codes {
            return Err(format!("codes {codes:?}, expected {:?}", case.codes));
        }
        for f in doc["findings"].as_array().unwrap() {
            if f.get("line").is_none() || f["message"].as_str().is_none_or(str::is_empty) {
                return Err(format!("a finding without position or message: {f}"));
            }
            texts.push(f["message"].as_str().unwrap().to_owned());
            if let Some(s) = f["suggestion"].as_str() {
                texts.push(s.to_owned());
            }
        }
        let io_errors = doc["ioErrors"].as_array().unwrap();
        if case.io_error == io_errors.is_empty() {
            return Err(format!(
                "ioErrors {io_errors:?}, expected some: {}",
                case.io_error
            ));
        }
        for e in io_errors {
            texts.push(e["message"].as_str().unwrap().to_owned());
        }
    }
    if let Some(m) = &case.message
        && !texts.iter().any(|t| t.contains(m.as_str()))
    {
        return Err(format!("no message contains {m:?}: {texts:?}"));
    }
    Ok(())
}

#[test]
fn catalogue_is_well_formed() {
    let cases = catalogue();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "case names are unique");
    for case in &cases {
        assert!(!case.why.is_empty(), "{}: say why", case.name);
        assert!(
            case.file.is_some() != case.generate.is_some(),
            "{}: exactly one of file and generate",
            case.name
        );
        if let Some(file) = &case.file {
            assert!(
                catalogue_dir().join("files").join(file).is_file(),
                "{}: {file} is missing",
                case.name
            );
        }
    }
    // Every committed file is used by a case.
    for entry in std::fs::read_dir(catalogue_dir().join("files")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            cases
                .iter()
                .any(|c| c.file.as_deref() == Some(name.as_str())),
            "{name} has no case"
        );
    }
}

#[test]
fn every_bad_input_gets_its_diagnostic_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for case in catalogue() {
        let input = match (&case.file, &case.generate) {
            (Some(file), _) => Some(Input::from(catalogue_dir().join("files").join(file))),
            (None, Some(recipe)) => generate(recipe, dir.path(), &case.name),
            (None, None) => None,
        };
        let Some(out) = input.as_ref().and_then(|input| run(&case, input)) else {
            skipped.push(case.name.clone());
            continue;
        };
        if let Err(why) = check(&case, &out) {
            failures.push(format!("{}: {why}", case.name));
        }
        if let Some(input) = input.filter(|_| case.generate.is_some())
            && input.path.is_file()
        {
            // Big generated files go as soon as they are checked.
            let _ = std::fs::remove_file(&input.path);
        }
    }
    if !skipped.is_empty() {
        // Reported, not hidden: e.g. `unreadable.json` when neither this user nor an
        // unprivileged one can be used to see a permission error.
        eprintln!(
            "skipped (cannot be built on this platform or with these privileges): {}",
            skipped.join(", ")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
