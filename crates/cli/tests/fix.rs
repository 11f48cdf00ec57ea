//! `ldic lint --fix`: every safe-fix kind in JSON, YAML block and flow, multi-document YAML,
//! arrays of configurations, CRLF files and files with comments; what is never fixed (aliases,
//! merge keys, anchored values, a rename onto an existing key, secrets); `--diff`, stdin, and a
//! property test over generated configurations.

#![allow(clippy::unwrap_used)] // tests may unwrap

use assert_cmd::Command;
use ldic::Code;
use ldic_cli::codes::FindingCode;
use ldic_cli::config::EnvPolicy;
use ldic_cli::fix::{self, Fixed};
use ldic_cli::lint::{self, Format};
use proptest::prelude::*;
use std::path::Path;

fn fix_with(name: &str, text: &str, unsafe_fixes: bool) -> Fixed {
    fix::fix_text(
        name,
        Path::new(name),
        text,
        &EnvPolicy::default(),
        None,
        unsafe_fixes,
    )
    .unwrap()
}

/// Fix `text` (safe fixes), check that the result parses, that no safe fix is left to apply, and
/// that fixing again changes nothing; return the fixed text.
fn fixed(name: &str, text: &str) -> String {
    let once = fix_with(name, text, false);
    assert!(
        !once
            .lint
            .findings
            .iter()
            .any(|f| f.code == FindingCode::ParseError),
        "{}",
        once.text
    );
    let twice = fix_with(name, &once.text, false);
    assert_eq!(twice.text, once.text, "a second --fix changed the text");
    assert_eq!(twice.applied, 0);
    let before = lint::lint_text(name.into(), Path::new(name), text.into());
    assert!(
        once.lint.findings.len() < before.findings.len(),
        "nothing was fixed"
    );
    once.text
}

fn codes(name: &str, text: &str) -> Vec<&'static str> {
    lint::lint_text(name.into(), Path::new(name), text.into())
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

const JSON: &str = r#"{
  "integrationKey": "datadog",
  "name": "Datadog",
  "Enabled": "true",
  "configValues": {
    "apiKey": "${env:DD_API_KEY}",
    "hostUrl": "https://api.datadoghq.eu",
    "hideMemberDetails": "false"
  },
  "name": "Datadog"
}
"#;

#[test]
fn json_every_safe_kind() {
    let out = fixed("a.json", JSON);
    insta::assert_snapshot!(out);
    assert!(codes("a.json", &out).is_empty(), "{out}");
}

#[test]
fn json_array_of_configurations_and_allowed_values() {
    let text = r#"[
  {"integrationKey": "new-relic-apm", "name": "a", "configValues": {"apiKey": "${env:K}", "applicationId": "1", "domain": "API.NEWRELIC.COM"}},
  {"integrationKey": "new-relic-apm", "name": "b", "configValues": {"apiKey": "${env:K}", "applicationId": "2", "domain": "api.eu.newrelic.com/"}}
]
"#;
    let out = fixed("a.json", text);
    insta::assert_snapshot!(out);
    assert!(codes("a.json", &out).is_empty(), "{out}");
}

const YAML: &str = "# a datadog configuration\n\
integrationKey: datadog   # the key\n\
name: 'Datadog'\n\
Enabled: \"true\"\n\
configValues:\n  \
  apiKey: ${env:DD_API_KEY}\n  \
  hostUrl: https://api.datadoghq.eu   # the host\n  \
  hideMemberDetails: 'false'\n\
name: 'Datadog'\n\
---\n\
integrationKey: new-relic-apm\n\
name: b\n\
configValues: {apiKey: \"${env:K}\", applicationId: \"1\", domain: 'API.NEWRELIC.COM', Domain2: x}\n";

#[test]
fn yaml_block_flow_multi_document_with_comments() {
    let out = fixed("a.yaml", YAML);
    insta::assert_snapshot!(out);
    assert_eq!(codes("a.yaml", &out), ["unknown-field"], "{out}");
}

/// Four documents: the first two need nothing (non-ASCII text before the fixes, an anchor, an
/// alias and a merge key), the fixes are in the third and the fourth; the fourth also has a fix
/// that is refused (an anchored value), at its own line.
const LATER_DOCUMENTS: &str = "integrationKey: datadog\n\
name: 'Caf\u{e9} \u{2615}'\n\
configValues:\n  \
  apiKey: ${env:DD_API_KEY}\n\
---\n\
integrationKey: datadog\n\
name: b\n\
x-shared: &shared\n  \
  hostURL: https://api.datadoghq.eu\n\
configValues:\n  \
  <<: *shared\n  \
  apiKey: ${env:DD_API_KEY}\n\
---\n\
integrationKey: datadog\n\
name: c\n\
Enabled: \"true\"\n\
configValues:\n  \
  apiKey: ${env:DD_API_KEY}\n  \
  hostUrl: https://api.datadoghq.eu\n\
---\n\
integrationKey: new-relic-apm\n\
name: d\n\
configValues: {apiKey: \"${env:K}\", applicationId: \"1\", domain: 'API.NEWRELIC.COM'}\n\
x-flag: &flag \"true\"\n\
enabled: *flag\n\
name: d\n";

#[test]
fn fixes_land_in_later_yaml_documents() {
    let out = fix_with("a.yaml", LATER_DOCUMENTS, false);
    let expected = LATER_DOCUMENTS
        .replace("Enabled: \"true\"\n", "enabled: true\n")
        .replace("hostUrl:", "hostURL:")
        .replace("'API.NEWRELIC.COM'", "'api.newrelic.com'")
        .replace("enabled: *flag\nname: d\n", "enabled: *flag\n");
    assert_eq!(out.text, expected);
    assert_eq!(out.applied, 5);
    let refused: Vec<_> = out
        .refused
        .iter()
        .map(|r| (r.document, r.pointer.as_str(), r.line))
        .collect();
    assert_eq!(refused, [(3, "/enabled", 25)], "{:?}", out.refused);
    assert_eq!(codes("a.yaml", &out.text), ["wrong-type"]);
}

#[test]
fn crlf_line_endings_are_kept() {
    for (name, text) in [("a.json", JSON), ("a.yaml", YAML)] {
        let crlf = text.replace('\n', "\r\n");
        let out = fixed(name, &crlf);
        assert_eq!(
            out.matches('\n').count(),
            out.matches("\r\n").count(),
            "{out}"
        );
        assert_eq!(out.replace("\r\n", "\n"), fixed(name, text));
    }
}

#[test]
fn yaml_flow_mapping_duplicate_is_removed_with_its_comma() {
    let text =
        "{integrationKey: datadog, name: n, configValues: {apiKey: \"${env:K}\"}, name: n}\n";
    let out = fixed("a.yaml", text);
    assert_eq!(
        out,
        "{integrationKey: datadog, name: n, configValues: {apiKey: \"${env:K}\"}}\n"
    );
}

#[test]
fn aliases_merge_keys_and_anchors_are_not_fixed() {
    let merge = "integrationKey: datadog\nname: n\nx-base: &base\n  hostUrl: https://api.datadoghq.eu\nconfigValues:\n  <<: *base\n  apiKey: ${env:K}\n";
    let alias = "integrationKey: datadog\nname: n\nx-cv: &cv\n  apiKey: ${env:K}\n  hideMemberDetails: \"true\"\nconfigValues: *cv\n";
    let anchored = "integrationKey: datadog\nname: n\nconfigValues:\n  apiKey: ${env:K}\n  hideMemberDetails: &t \"true\"\nx-other: *t\n";
    for text in [merge, alias, anchored] {
        let out = fix_with("a.yaml", text, true);
        assert_eq!(out.text, text, "changed through an alias or anchor");
        assert_eq!(out.applied, 0);
        assert!(!out.refused.is_empty(), "the refusal is reported: {text}");
    }
    let out = fix_with("a.yaml", merge, false);
    assert!(
        out.refused[0].reason.contains("<<: *base"),
        "{:?}",
        out.refused
    );
}

#[test]
fn a_rename_onto_an_existing_key_is_not_offered() {
    let text = r#"{"integrationKey": "datadog", "name": "n", "configValues": {"apiKey": "${env:K}", "hostUrl": "https://api.datadoghq.eu", "hostURL": "https://api.datadoghq.com"}}"#;
    let f = lint::lint_text("a.json".into(), Path::new("a.json"), text.into());
    let unknown = f
        .findings
        .iter()
        .find(|f| f.code == Code::UnknownField)
        .unwrap();
    assert_eq!(unknown.fix, None);
    assert_eq!(fix_with("a.json", text, true).text, text);
}

#[test]
fn secrets_are_never_touched_nor_shown() {
    // An identical duplicated secret is not removed; a renamed secret key keeps its value, and
    // the diff masks it.
    let dup = r#"{"integrationKey": "datadog", "name": "n", "configValues": {"apiKey": "s3cr3t-value", "apiKey": "s3cr3t-value"}}"#;
    let f = lint::lint_text("a.json".into(), Path::new("a.json"), dup.into());
    assert!(
        f.findings.iter().all(|f| f.fix.is_none()),
        "{:?}",
        f.findings
    );
    let renamed = "{\"integrationKey\": \"datadog\", \"name\": \"n\", \"configValues\": {\n  \"APIKEY\": \"s3cr3t-value\"\n}}\n";
    let mode = fix::FixMode {
        fix: false,
        unsafe_fixes: false,
        diff: true,
    };
    let path = Path::new("a.json");
    let out = fix::fix_one("a.json", path, renamed, &EnvPolicy::default(), None, mode).unwrap();
    assert!(out.fixed.text.contains("\"apiKey\": \"s3cr3t-value\""));
    assert!(!out.diff.is_empty());
    assert!(!out.diff.contains("s3cr3t"), "{}", out.diff);
}

fn ldic() -> Command {
    let mut cmd = Command::cargo_bin("ldic").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("LD_API_KEY");
    cmd
}

#[test]
fn fix_writes_in_place_and_diff_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.yaml");
    std::fs::write(&file, YAML).unwrap();
    let diff = ldic()
        .args(["lint", "--diff"])
        .arg(&file)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), YAML);
    let text = String::from_utf8(diff.stdout).unwrap();
    let text = text.replace(&file.display().to_string(), "a.yaml");
    insta::assert_snapshot!("diff", text);

    let run = ldic().args(["lint", "--fix"]).arg(&file).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "one unknown field is left");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(after, fixed("a.yaml", YAML));
    let again = ldic().args(["lint", "--fix"]).arg(&file).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
    let stderr = String::from_utf8(again.stderr).unwrap();
    assert!(!stderr.contains("fixed"), "{stderr}");
}

#[test]
fn stdin_fix_prints_the_fixed_document() {
    let out = ldic()
        .args(["lint", "--fix", "-", "--stdin-filename", "config.json"])
        .write_stdin(JSON)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        fixed("a.json", JSON)
    );
    let out = ldic()
        .args(["lint", "-", "--stdin-filename", "config.json"])
        .write_stdin(JSON)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("config.json:4:3"), "{stdout}");
    assert!(
        stdout.contains("[*] 4 fixable with `ldic lint --fix`"),
        "{stdout}"
    );
}

/// Members a generated configuration is made of: (key, JSON value), some of them mistakes.
const MEMBERS: &[(&str, &str)] = &[
    ("name", "\"n\""),
    ("name", "\"n\""),
    ("Name", "\"n\""),
    ("enabled", "\"true\""),
    ("enabled", "\"yes\""),
    ("enabled", "false"),
    ("tags", "[\"a\"]"),
    ("Tags", "[]"),
    ("nmae", "\"x\""),
];
const VALUES: &[(&str, &str)] = &[
    ("apiKey", "\"${env:K}\""),
    ("apiKey", "\"literal\""),
    ("APIKEY", "\"${env:K}\""),
    ("hostUrl", "\"https://api.datadoghq.eu\""),
    ("hostURL", "\"https://api.datadoghq.com/\""),
    ("hideMemberDetails", "\"true\""),
    ("hideMemberDetails", "\"true\""),
    ("HideMemberDetails", "true"),
    ("domain", "\"API.NEWRELIC.COM\""),
    ("domain", "\"api.newrelic.eu\""),
    ("applicationId", "\"1\""),
    ("apiKye", "\"${env:K}\""),
];

fn render(key: &str, members: &[(&str, &str)], values: &[(&str, &str)], style: u8) -> String {
    let member = |k: &str, v: &str| format!("\"{k}\": {v}");
    let cv: Vec<String> = values.iter().map(|(k, v)| member(k, v)).collect();
    let mut top = vec![member("integrationKey", &format!("\"{key}\""))];
    top.extend(members.iter().map(|(k, v)| member(k, v)));
    match style {
        // JSON, one member a line.
        0 => format!(
            "{{\n  {},\n  \"configValues\": {{\n    {}\n  }}\n}}\n",
            top.join(",\n  "),
            cv.join(",\n    ")
        ),
        // YAML block, plain keys, JSON values (valid YAML flow scalars).
        1 => {
            let mut s = String::from("# generated\n");
            for (k, v) in
                std::iter::once(&("integrationKey", &*format!("\"{key}\""))).chain(members.iter())
            {
                s.push_str(&format!("{k}: {v}   # c\n"));
            }
            s.push_str("configValues:\n");
            for (k, v) in values {
                s.push_str(&format!("  {k}: {v}\n"));
            }
            s
        }
        // YAML flow, two documents.
        _ => {
            let doc = format!(
                "{{{}, configValues: {{{}}}}}\n",
                top.join(", "),
                cv.join(", ")
            );
            format!("{doc}---\n{doc}")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Applying every fix (suggested ones too) gives a parseable file with no more findings than
    /// before, changes only the bytes of the edits, and a second run changes nothing.
    #[test]
    fn applying_all_fixes_is_sound(
        key in prop::sample::select(vec!["datadog", "new-relic-apm", "honeycomb"]),
        members in prop::collection::vec(prop::sample::select(MEMBERS.to_vec()), 0..5),
        values in prop::collection::vec(prop::sample::select(VALUES.to_vec()), 0..6),
        style in 0u8..3,
        crlf in any::<bool>(),
    ) {
        let mut text = render(key, &members, &values, style);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let name = if style == 0 { "g.json" } else { "g.yaml" };
        let before = lint::lint_text(name.into(), Path::new(name), text.clone());
        prop_assume!(!before.findings.iter().any(|f| f.code == FindingCode::ParseError));
        // One pass: only the edits' bytes change.
        let format = Format::detect(Path::new(name), &text);
        let edits = fix::pass_edits(&text, format, &before.findings, true);
        let once = fix::apply_edits(&text, &edits);
        let mut sorted = edits.clone();
        sorted.sort_by_key(|e| e.range.start);
        let (mut from, mut shift) = (0usize, 0isize);
        for e in &sorted {
            prop_assert!(e.range.start >= from, "overlapping edits");
            let at = (from as isize + shift) as usize;
            prop_assert_eq!(&text[from..e.range.start], &once[at..at + e.range.start - from]);
            shift += e.replacement.len() as isize - e.range.len() as isize;
            from = e.range.end;
        }
        prop_assert_eq!(&text[from..], &once[(from as isize + shift) as usize..]);
        // Every pass.
        let all = fix_with(name, &text, true);
        prop_assert!(!all.lint.findings.iter().any(|f| f.code == FindingCode::ParseError), "{}", all.text);
        prop_assert!(all.lint.findings.len() <= before.findings.len());
        let again = fix_with(name, &all.text, true);
        prop_assert_eq!(&again.text, &all.text);
        if crlf {
            prop_assert_eq!(all.text.matches('\n').count(), all.text.matches("\r\n").count());
        }
    }
}

#[test]
fn unknown_integration_key_case_is_safe_and_a_typo_is_suggested() {
    let yaml = "integrationKey: DataDog # the catalog key is lower case\nname: n\nconfigValues:\n  apiKey: ${env:DD_API_KEY}\n";
    let out = fixed("c.yaml", yaml);
    assert_eq!(
        out,
        "integrationKey: datadog # the catalog key is lower case\nname: n\nconfigValues:\n  apiKey: ${env:DD_API_KEY}\n"
    );
    assert!(codes("c.yaml", &out).is_empty(), "{out}");

    let json = "[{\"integrationKey\": \"datadgo\", \"name\": \"n\", \"configValues\": {\"apiKey\": \"${env:K}\"}}]";
    let safe_only = fix_with("c.json", json, false);
    assert_eq!(
        safe_only.text, json,
        "a typo is not fixed without --unsafe-fixes"
    );
    let f = safe_only
        .lint
        .findings
        .iter()
        .find(|f| f.code == Code::UnknownIntegration)
        .unwrap();
    assert_eq!(f.pointer, "/0/integrationKey");
    let fix = f.fix.as_ref().unwrap();
    assert_eq!(fix.applicability, ldic::Applicability::Suggested);
    let all = fix_with("c.json", json, true);
    assert_eq!(all.text, json.replace("datadgo", "datadog"));
    assert!(codes("c.json", &all.text).is_empty(), "{}", all.text);
}
