//! `ldic plan`, `apply` and `import` end to end against the stateful fake of LaunchDarkly
//! (`ldic-fake`): every request is checked against the OpenAPI spec, and requests are counted.
#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_fake::{API_PREFIX, Fake, Fault};
use ldic_test_support::Run;
use serde_json::{Value, json};
use std::path::Path;

const TOKEN: &str = "api-canary-token-5d0b";
const SECRET: &str = "dd-canary-secret-8a41";
const ROTATED: &str = "dd-canary-rotated-77c2";

/// `ldic` in `dir` against `fake`, with `secret` as the Datadog API key in the environment.
fn ldic_cmd(dir: &Path, fake: &Fake, secret: &str) -> assert_cmd::Command {
    let mut cmd = ldic_test_support::ldic_cmd!();
    cmd.current_dir(dir)
        .env("LD_API_KEY", TOKEN)
        .env("LDIC_TEST_DD_KEY", secret)
        .env("LD_BASE_URL", fake.url())
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `ldic args`; no token or secret may be in its output.
fn ldic(dir: &Path, fake: &Fake, args: &[&str], secret: &str) -> Run {
    let out = ldic_cmd(dir, fake, secret)
        .env("DATADOG_API_KEY", secret)
        .args(args)
        .output()
        .unwrap();
    Run::from(out).hiding(&[TOKEN, SECRET, ROTATED])
}

fn writes(fake: &Fake) -> usize {
    fake.count("POST", API_PREFIX)
        + fake.count("PATCH", API_PREFIX)
        + fake.count("DELETE", API_PREFIX)
}

fn datadog(name: &str, host: &str) -> String {
    format!(
        "integrationKey: datadog\nname: {name}\nconfigValues:\n  apiKey: ${{env:LDIC_TEST_DD_KEY}}\n  hostURL: {host}\n"
    )
}

/// A temporary directory holding one file, `name`, of `text`.
fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

fn fake() -> Fake {
    Fake::start(TOKEN).unwrap()
}

fn no_violations(fake: &Fake) {
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

fn stored_named<'a>(all: &'a [Value], name: &str) -> Vec<&'a Value> {
    all.iter().filter(|c| c["name"] == name).collect()
}

#[test]
fn create_update_unchanged_prune_and_a_second_apply_writes_nothing() {
    let fake = fake();
    let stale = fake.seed(
        "datadog",
        json!({"name": "stale", "configValues": {"apiKey": "x"}}),
    );
    fake.seed(
        "slack",
        json!({"name": "other integration", "configValues": {}}),
    );
    let dir = dir_with("a.yaml", &datadog("prod", "https://api.datadoghq.com"));
    std::fs::write(
        dir.path().join("b.yaml"),
        datadog("eu", "https://api.datadoghq.eu"),
    )
    .unwrap();

    let r = ldic(dir.path(), &fake, &["apply", "--yes", "--prune"], SECRET);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(fake.count("POST", API_PREFIX), 2);
    assert_eq!(fake.count("DELETE", API_PREFIX), 1);
    assert!(fake.stored(&stale).is_none());
    let all = fake.stored_all();
    assert_eq!(
        stored_named(&all, "other integration").len(),
        1,
        "prune stays within the files' keys"
    );
    assert_eq!(
        stored_named(&all, "prod")[0]["configValues"]["apiKey"],
        SECRET
    );

    std::fs::write(
        dir.path().join("b.yaml"),
        datadog("eu", "https://us3.datadoghq.com"),
    )
    .unwrap();
    let r = ldic(dir.path(), &fake, &["plan"], SECRET);
    assert!(
        r.stdout.contains(
            "~ /configValues/hostURL: \"https://api.datadoghq.eu\" -> \"https://us3.datadoghq.com\""
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("= unchanged datadog/\"prod\""),
        "{}",
        r.stdout
    );
    let r = ldic(dir.path(), &fake, &["apply", "--yes", "--prune"], SECRET);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(fake.count("PATCH", API_PREFIX), 1);

    let before = writes(&fake);
    fake.clear_requests();
    let r = ldic(dir.path(), &fake, &["apply", "--yes", "--prune"], SECRET);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Nothing to do."), "{}", r.stdout);
    assert_eq!(
        writes(&fake),
        0,
        "second apply: zero writes (before: {before})"
    );
    assert_eq!(
        fake.count("GET", &format!("{API_PREFIX}/keys/datadog")),
        1,
        "one list per key"
    );
    assert_eq!(fake.requests().len(), 1);
    no_violations(&fake);
}

#[test]
fn rename_by_pinned_id_is_an_update() {
    let fake = fake();
    let id = fake.seed("datadog", json!({"name": "old", "enabled": true, "tags": [],
        "configValues": {"apiKey": "x", "hostURL": "https://api.datadoghq.com", "hideMemberDetails": false}}));
    let file = json!({"integrationKey": "datadog", "_id": id, "name": "new",
        "configValues": {"apiKey": "${env:LDIC_TEST_DD_KEY}"}});
    let dir = dir_with("a.json", &file.to_string());
    let r = ldic(dir.path(), &fake, &["apply", "--yes", "--prune"], SECRET);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(fake.stored(&id).unwrap()["name"], "new");
    assert_eq!(
        (
            fake.count("POST", API_PREFIX),
            fake.count("DELETE", API_PREFIX)
        ),
        (0, 0)
    );
    no_violations(&fake);
}

#[test]
fn rotate_secrets_sends_the_secret_on_update() {
    let fake = fake();
    let dir = dir_with("a.yaml", &datadog("prod", "https://api.datadoghq.com"));
    assert_eq!(ldic(dir.path(), &fake, &["apply", "--yes"], SECRET).code, 0);
    let r = ldic(dir.path(), &fake, &["apply", "--yes"], ROTATED);
    assert!(
        r.stdout.contains("Nothing to do."),
        "secrets are not compared: {}",
        r.stdout
    );
    let r = ldic(
        dir.path(),
        &fake,
        &["apply", "--yes", "--rotate-secrets"],
        ROTATED,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("/configValues/apiKey: (changed)"),
        "{}",
        r.stdout
    );
    let all = fake.stored_all();
    assert_eq!(all[0]["configValues"]["apiKey"], ROTATED);
    no_violations(&fake);
}

#[test]
fn a_dropped_post_is_never_resent_and_the_next_apply_adopts_it() {
    let fake = fake();
    fake.inject(Fault::drop_after_apply("POST", API_PREFIX));
    let dir = dir_with("a.yaml", &datadog("prod", "https://api.datadoghq.com"));
    let r = ldic(dir.path(), &fake, &["apply", "--yes"], SECRET);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("UNKNOWN") && r.stdout.contains("1 unknown"),
        "{}",
        r.stdout
    );
    let r = ldic(dir.path(), &fake, &["apply", "--yes"], SECRET);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Nothing to do."), "{}", r.stdout);
    assert_eq!(fake.count("POST", API_PREFIX), 1);
    assert_eq!(fake.stored_all().len(), 1, "no duplicate");
    no_violations(&fake);
}

#[test]
fn a_rate_limited_post_waits_and_makes_one_configuration() {
    let fake = fake();
    fake.inject(Fault::rate_limited("POST", API_PREFIX, 1, Some(0)));
    let dir = dir_with("a.yaml", &datadog("prod", "https://api.datadoghq.com"));
    let r = ldic(dir.path(), &fake, &["apply", "--yes"], SECRET);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(fake.count("POST", API_PREFIX), 2, "the 429 and the retry");
    assert_eq!(fake.stored_all().len(), 1);
    no_violations(&fake);
}

#[test]
fn ambiguous_names_touch_nothing() {
    let fake = fake();
    let a = fake.seed(
        "datadog",
        json!({"name": "prod", "configValues": {"apiKey": "x"}}),
    );
    let b = fake.seed(
        "datadog",
        json!({"name": "prod", "configValues": {"apiKey": "x"}}),
    );
    let dir = dir_with("a.yaml", &datadog("prod", "https://api.datadoghq.eu"));
    let r = ldic(dir.path(), &fake, &["apply", "--yes", "--prune"], SECRET);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains(&a) && r.stdout.contains(&b),
        "{}",
        r.stdout
    );
    assert_eq!(writes(&fake), 0);
}

/// `ldic import --out configs [extra] datadog`.
fn import(dir: &Path, fake: &Fake, extra: &[&str]) -> Run {
    let mut args = vec!["import", "--out", "configs"];
    args.extend_from_slice(extra);
    args.push("datadog");
    ldic(dir, fake, &args, SECRET)
}

/// An import writes each configuration atomically as a file that lints clean and plans in
/// sync; a second import changes nothing, an edited file is kept unless `--force`.
#[test]
fn import_round_trip_lint_clean_plan_in_sync_and_edited_files_kept() {
    let fake = fake();
    fake.seed("datadog", json!({"name": "Prod (EU)", "enabled": true, "tags": ["b", "a"],
        "configValues": {"apiKey": SECRET, "hostURL": "https://api.datadoghq.eu", "hideMemberDetails": false}}));
    let dir = tempfile::tempdir().unwrap();
    let r = import(dir.path(), &fake, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = dir.path().join("configs/datadog.prod-eu.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("${env:DATADOG_API_KEY}") && !text.contains(SECRET));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["configValues"]["apiKey"], "${env:DATADOG_API_KEY}");
    assert_eq!(doc["tags"], json!(["a", "b"]));
    assert!(doc.get("_links").is_none() && doc.get("_createdAt").is_none());

    let r = ldic(dir.path(), &fake, &["lint", "configs"], SECRET);
    assert_eq!(r.code, 0, "{}", r.shown());
    let r = ldic(
        dir.path(),
        &fake,
        &["plan", "--exit-code", "configs"],
        SECRET,
    );
    assert_eq!(r.code, 0, "{}", r.shown());

    let r = import(dir.path(), &fake, &[]);
    assert!(r.stderr.contains("1 already up to date"), "{}", r.stderr);
    std::fs::write(&path, "{}").unwrap();
    let r = import(dir.path(), &fake, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("kept"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
    let r = import(dir.path(), &fake, &["--force"]);
    assert_eq!(r.code, 0);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), "{}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("configs"))
            .unwrap()
            .count(),
        1,
        "no temporary file left"
    );
    no_violations(&fake);
}

/// A non-secret field from the environment: `plan` compares it when the variable is set (and
/// shows it only as changed), says it was not compared when it is not, and `apply` refuses an
/// unset variable or one outside `--env-allow` before its first request.
#[test]
fn environment_values_in_plan_and_apply() {
    let fake = fake();
    let id = fake.seed(
        "datadog",
        json!({"name": "prod", "enabled": true, "tags": [], "configValues": {"apiKey": "x", "hostURL": "https://api.datadoghq.com"}}),
    );
    let dir = dir_with("a.yaml", &datadog("prod", "${env:LDIC_TEST_DD_HOST}"));
    let run = |args: &[&str], host: Option<&str>| {
        let mut cmd = ldic_cmd(dir.path(), &fake, SECRET);
        cmd.env_remove("LDIC_TEST_DD_HOST").args(args);
        if let Some(h) = host {
            cmd.env("LDIC_TEST_DD_HOST", h);
        }
        let run = Run::from(cmd.output().unwrap()).hiding(&[SECRET]);
        (run.code, run.stdout, run.stderr)
    };

    // Unset: not compared, not a change.
    let (code, out, err) = run(&["plan", "--exit-code"], None);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("not compared"), "{out}");
    assert!(!out.contains("hostURL: \""), "{out}");

    // Set to another host: a change, shown without the value.
    let (code, out, err) = run(&["plan", "--exit-code"], Some("https://us5.datadoghq.com"));
    assert_eq!(code, 1, "pending changes with --exit-code: {out}{err}");
    assert!(out.contains("/configValues/hostURL"), "{out}");
    assert!(out.contains("(changed)"), "{out}");
    assert!(
        !out.contains("us5.datadoghq.com"),
        "an environment value is sensitive: {out}"
    );

    // apply: an unset variable is an error naming it, before any request.
    fake.clear_requests();
    let (code, out, err) = run(&["apply", "--yes"], None);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("LDIC_TEST_DD_HOST"), "{err}");
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());

    // apply: a resolved value is validated against its field before any request.
    let (code, out, err) = run(&["apply", "--yes"], Some("https://api.datadoghq.co"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("not-allowed"), "{err}");
    assert!(
        err.contains("a.yaml:5:12"),
        "the reference in the file: {err}"
    );
    assert!(fake.requests().is_empty());

    // --env-allow: a reference outside the allowed names is refused by plan and apply.
    let (code, _, err) = run(
        &["plan", "--env-allow", "LDIC_TEST_DD_KEY"],
        Some("https://us5.datadoghq.com"),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("env-reference-not-allowed"), "{err}");
    assert!(fake.requests().is_empty());

    // apply with the variable set: one list, one guarded update (no read before it), then in
    // sync.
    let (code, out, err) = run(&["apply", "--yes"], Some("https://us5.datadoghq.com"));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(fake.count("GET", API_PREFIX), 1, "{:?}", fake.requests());
    assert_eq!(fake.count("PATCH", API_PREFIX), 1);
    assert_eq!(fake.requests().len(), 2);
    assert_eq!(
        fake.stored(&id).unwrap()["configValues"]["hostURL"],
        "https://us5.datadoghq.com"
    );
    let (code, out, _) = run(&["plan", "--exit-code"], Some("https://us5.datadoghq.com"));
    assert_eq!(code, 0, "{out}");
    no_violations(&fake);
}
