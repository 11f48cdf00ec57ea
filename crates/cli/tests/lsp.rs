//! `ldic lsp` driven in-process over JSON-RPC (lsp-server's `Connection::memory()`), as an
//! editor drives it: initialize, didOpen, didChange, codeAction, hover, completion, didClose,
//! shutdown and exit. Checks ranges (UTF-16 columns), contents, that a file that is not a
//! configuration gets an empty publish, and that no message sent to the client holds a secret.

#![allow(clippy::unwrap_used)] // tests may unwrap

use ldic_cli::lsp::{Options, ServeError, serve};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::Duration;

/// A secret value in the documents; no message to the client may contain it.
const CANARY: &str = "s3cr3t-canary-value";
/// How long a test waits for a message before failing (a hang guard, not a timing assertion).
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), ServeError>>>,
    next_id: i32,
    /// Notifications received while waiting for a response.
    queued: VecDeque<Notification>,
    /// Every message received, as JSON text.
    seen: Vec<String>,
}

impl Client {
    fn start(options: Options) -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || serve(&server, options));
        let mut c = Client {
            conn,
            server: Some(handle),
            next_id: 0,
            queued: VecDeque::new(),
            seen: Vec::new(),
        };
        let init = c.request("initialize", json!({"capabilities": {}}));
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
        assert_eq!(init["result"]["serverInfo"]["name"], "ldic");
        c.notify("initialized", json!({}));
        c
    }

    fn immediate() -> Client {
        Client::start(Options {
            debounce: Duration::ZERO,
        })
    }

    fn recv(&mut self) -> Message {
        let m = self
            .conn
            .receiver
            .recv_timeout(PATIENCE)
            .expect("a message from the server");
        self.seen.push(serde_json::to_string(&m).unwrap());
        m
    }

    /// Send a request; return the whole response (`result` or `error`) as JSON.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return serde_json::to_value(&r).unwrap(),
                Message::Notification(n) => self.queued.push_back(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .unwrap();
    }

    /// The next `publishDiagnostics` for `uri`.
    fn published(&mut self, uri: &str) -> Value {
        loop {
            let n = match self.queued.pop_front() {
                Some(n) => n,
                None => match self.recv() {
                    Message::Notification(n) => n,
                    other => panic!("unexpected {other:?}"),
                },
            };
            if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                return n.params;
            }
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.published(uri)
    }

    fn shutdown(mut self) -> Vec<String> {
        let r = self.request("shutdown", Value::Null);
        assert!(r["error"].is_null(), "{r}");
        let after = self.request("textDocument/hover", json!({}));
        assert_eq!(
            after["error"]["code"], -32600,
            "requests after shutdown are refused"
        );
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert!(result.is_ok(), "{result:?}");
        std::mem::take(&mut self.seen)
    }
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

fn range(line: u32, start: u32, end: u32) -> Value {
    json!({"start": {"line": line, "character": start}, "end": {"line": line, "character": end}})
}

fn at(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// Line 1 holds non-ASCII text before the error: `Ü`, `ï`, `ö`, `é` (one UTF-16 unit, two
/// bytes each) and `😀` (two units, four bytes). `"Enabled"` starts at UTF-16 column 24 (byte
/// 30, character 23).
const JSON_DOC: &str = "{\n  \"name\": \"\u{dc}n\u{ef}c\u{f6}d\u{e9} \u{1f600}\", \"Enabled\": true,\n  \"integrationKey\": \"datadog\",\n  \"configValues\": {\n    \"apiKey\": \"s3cr3t-canary-value\",\n    \"hostUrl\": \"https://api.datadoghq.eu\",\n    \"hideMemberDetails\": \"true\"\n  }\n}\n";
const URI: &str = "file:///nonexistent-ldic-test/datadog.json";

// One session on purpose (~170 lines): each step runs on the state the one before left, as an
// editor drives the server (the quick fix applied, then hover on the edited text, then close), and
// the shutdown check covers every message of the whole session for the canary.
#[test]
fn diagnostics_fixes_hover_and_shutdown_over_json_rpc() {
    let mut c = Client::immediate();
    let published = c.open(URI, "json", JSON_DOC);
    assert_eq!(published["version"], 1);
    let mut found = codes(&published);
    found.sort();
    assert_eq!(
        found,
        [
            "literal-secret",
            "unknown-field",
            "unknown-field",
            "wrong-type"
        ],
        "{published}"
    );
    // Exactly what `ldic lint` reports for this text.
    let lint = ldic_cli::lint::lint_text(
        "datadog.json".into(),
        std::path::Path::new("datadog.json"),
        JSON_DOC.into(),
    );
    let messages: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for f in &lint.findings {
        assert!(
            messages.iter().any(|m| m.starts_with(&f.message)),
            "{} missing from {messages:?}",
            f.message
        );
    }

    let enabled = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["range"]["start"]["line"] == 1)
        .unwrap();
    assert_eq!(enabled["code"], "unknown-field");
    assert_eq!(enabled["range"], range(1, 24, 33), "UTF-16 columns");
    assert_eq!(enabled["severity"], 1);
    assert_eq!(enabled["source"], "ldic");

    // The rename of "hostUrl" (safe: a case difference from one field) as a quickfix.
    let host = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["range"]["start"]["line"] == 5)
        .unwrap();
    assert_eq!(host["range"], range(5, 4, 13));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": host["range"], "context": {"diagnostics": [host]}}),
    );
    let actions = actions["result"].as_array().unwrap();
    let rename = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert_eq!(rename["isPreferred"], true);
    assert!(
        rename["title"]
            .as_str()
            .unwrap()
            .contains("rename to \"hostURL\"")
    );
    let edit = &rename["edit"]["changes"][URI][0];
    assert_eq!(edit["range"], range(5, 4, 13));
    assert_eq!(edit["newText"], "\"hostURL\"");
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.ldic")
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert_eq!(fix_all["edit"]["changes"][URI].as_array().unwrap().len(), 3);

    // The editor applies the edit: an incremental change with that range.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let published = c.published(URI);
    assert_eq!(published["version"], 2);
    assert_eq!(
        codes(&published)
            .iter()
            .filter(|c| *c == "unknown-field")
            .count(),
        1,
        "{published}"
    );
    assert!(
        published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["range"]["start"]["line"] != 5)
    );

    // Hover: a field key, a secret field key, the integration key's value.
    let hover = |c: &mut Client, line, character| {
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": at(line, character)}),
        )["result"]
            .clone()
    };
    let h = hover(&mut c, 5, 7);
    let text = h["contents"]["value"].as_str().unwrap();
    for part in [
        "Datadog host URL",
        "`enum`",
        "optional",
        "default: `\"https://api.datadoghq.com\"`",
        "`https://api.datadoghq.eu`",
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    assert_eq!(h["range"], range(5, 4, 13));
    let h = hover(&mut c, 4, 6);
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Datadog API key") && text.contains("secret") && text.contains("required"),
        "{text}"
    );
    let h = hover(&mut c, 2, 23);
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Datadog Events"),
        "{h}"
    );
    assert!(hover(&mut c, 0, 0).is_null(), "nothing to show on `{{`");

    // Bad input: unknown methods, malformed parameters (which quote the canary), unknown URIs.
    let r = c.request("textDocument/definition", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": CANARY, "position": CANARY}),
    );
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///not/open.json"}, "position": at(99, 99)}),
    );
    assert!(r["result"].is_null(), "{r}");
    c.notify("textDocument/didChange", json!({"textDocument": CANARY}));

    // Close: the diagnostics are cleared.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(c.published(URI)["diagnostics"], json!([]));

    let seen = c.shutdown();
    assert!(seen.len() > 10);
    for m in &seen {
        assert!(!m.contains(CANARY), "a message holds the secret: {m}");
    }
}

#[test]
fn a_file_that_is_not_a_configuration_gets_an_empty_publish() {
    let mut c = Client::immediate();
    let p = c.open(
        "file:///tmp/package.json",
        "json",
        "{\"name\": \"x\", \"version\": 3}",
    );
    assert_eq!(p["diagnostics"], json!([]));
    let p = c.open("file:///tmp/notes.md", "markdown", "integrationKey: nope");
    assert_eq!(p["diagnostics"], json!([]));
    // Not even a parse error for broken JSON that is not a configuration.
    let p = c.open("file:///tmp/broken.json", "json", "{\"name\": ");
    assert_eq!(p["diagnostics"], json!([]));
    // Becoming one: diagnostics appear.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///tmp/broken.json", "version": 2},
               "contentChanges": [{"text": "{\"integrationKey\": 3}"}]}),
    );
    assert_eq!(
        codes(&c.published("file:///tmp/broken.json")),
        ["wrong-type"]
    );
    c.shutdown();
}

const YAML_URI: &str = "file:///nonexistent-ldic-test/c.yaml";

fn labels(result: &Value) -> Vec<String> {
    result["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{result}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

// One session (~85 lines): completions are asked at successive positions of one document being
// typed, each edit building on the last.
#[test]
fn completion_of_integrations_fields_and_values() {
    let mut c = Client::immediate();
    // A document being typed: the last line is a key without a colon yet.
    let text = "integrationKey: datad\nname: n # caf\u{e9}\nconfigValues:\n  apiKey: ${env:DD_API_KEY}\n  hostURL: \n  h";
    c.open(YAML_URI, "yaml", text);
    let complete = |c: &mut Client, line, character| {
        c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": YAML_URI}, "position": at(line, character)}),
        )
    };
    let r = complete(&mut c, 0, 21);
    let items = r["result"].as_array().unwrap();
    let dd = items.iter().find(|i| i["label"] == "datadog").unwrap();
    assert_eq!(dd["detail"], "Datadog Events");
    assert_eq!(dd["textEdit"]["range"], range(0, 16, 21));
    assert_eq!(dd["textEdit"]["newText"], "datadog");

    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": YAML_URI, "version": 2},
               "contentChanges": [{"range": range(0, 16, 21), "text": "datadog"}]}),
    );
    let r = complete(&mut c, 5, 3);
    let fields = labels(&r);
    assert!(
        fields.contains(&"hideMemberDetails".to_owned()),
        "{fields:?}"
    );
    assert!(
        !fields.contains(&"apiKey".to_owned()),
        "present fields are not offered: {fields:?}"
    );
    assert!(!fields.contains(&"hostURL".to_owned()), "{fields:?}");
    let item = &r["result"][0];
    assert_eq!(item["textEdit"]["range"], range(5, 2, 3));
    assert!(
        item["textEdit"]["newText"]
            .as_str()
            .unwrap()
            .ends_with(": ")
    );

    let r = complete(&mut c, 4, 11);
    let values = labels(&r);
    assert_eq!(values.len(), 5, "{values:?}");
    assert!(values.contains(&"https://api.datadoghq.eu".to_owned()));

    // JSON, inside quotes, with the integration after configValues; multiselect options.
    let uri = "file:///nonexistent-ldic-test/p.json";
    let text = "{\"configValues\": {\"eventFilter\": [\"measured-rollout-regression\", \"\"], \"sev\"}, \"integrationKey\": \"pagerduty-guardian-edition\"}";
    c.open(uri, "json", text);
    let complete_json = |c: &mut Client, character| {
        c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": at(0, character)}),
        )
    };
    let option_at = u32::try_from(text.find("\"\"]").unwrap() + 1).unwrap();
    let r = complete_json(&mut c, option_at);
    assert_eq!(
        labels(&r),
        ["measured-rollout-reverted"],
        "the chosen option is not offered again"
    );
    assert_eq!(
        r["result"][0]["textEdit"]["newText"],
        "measured-rollout-reverted"
    );
    let key_at = u32::try_from(text.find("sev\"").unwrap() + 3).unwrap();
    let r = complete_json(&mut c, key_at);
    let fields = labels(&r);
    assert!(fields.contains(&"severity".to_owned()), "{fields:?}");
    assert!(!fields.contains(&"eventFilter".to_owned()), "{fields:?}");
    let severity = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "severity")
        .unwrap();
    assert_eq!(
        severity["textEdit"]["newText"], "severity",
        "inside quotes: no quotes added"
    );
    c.shutdown();
}

#[test]
fn changes_are_checked_once_the_document_is_quiet() {
    let mut c = Client::start(Options {
        debounce: Duration::from_millis(20),
    });
    let uri = "file:///nonexistent-ldic-test/d.yaml";
    assert_eq!(
        codes(&c.open(uri, "yaml", "integrationKey: datadog\nname: n\n")),
        ["missing-required"]
    );
    for (version, text) in [
        (2, "integrationKey: datadgo\n"),
        (3, "integrationKey: 3\n"),
        (
            4,
            "integrationKey: datadog\nname: n\nconfigValues: {apiKey: \"${env:K}\"}\n",
        ),
    ] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    // However the changes were batched, the last publish is of the last version, and clean.
    let mut p = c.published(uri);
    while p["version"] != 4 {
        p = c.published(uri);
    }
    assert_eq!(p["diagnostics"], json!([]));
    c.shutdown();
}

#[test]
fn exit_without_shutdown_is_an_error_and_requests_before_initialize_are_refused() {
    let (server, conn) = Connection::memory();
    let handle = std::thread::spawn(move || serve(&server, Options::default()));
    conn.sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "textDocument/hover".to_owned(),
            json!({}),
        )))
        .unwrap();
    let Message::Response(r) = conn.receiver.recv_timeout(PATIENCE).unwrap() else {
        panic!("a response")
    };
    assert_eq!(r.response_result.unwrap_err().code, -32002);
    conn.sender
        .send(Message::Notification(Notification::new(
            "exit".to_owned(),
            Value::Null,
        )))
        .unwrap();
    assert!(matches!(
        handle.join().unwrap(),
        Err(ServeError::ExitWithoutShutdown)
    ));
}

/// One LSP frame (`Content-Length` header and JSON body).
fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

#[test]
fn the_binary_serves_stdio_and_never_prints_a_malformed_message() {
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///nonexistent-ldic-test/x.yaml", "languageId": "yaml", "version": 1,
        "text": format!("integrationKey: datadog\nname: n\nconfigValues:\n  apiKey: {CANARY}\n  hostUrl: x\n")}}});
    let session = [
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame(&open.to_string()),
        frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    let out = ldic_test_support::ldic_cmd!()
        .arg("lsp")
        .write_stdin(session)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("\"code\":\"unknown-field\""), "{stdout}");
    assert!(
        !stdout.contains(CANARY) && out.stderr.is_empty(),
        "{stdout}"
    );

    // A message that is not JSON-RPC, holding the canary: the transport fails, and neither
    // output quotes it.
    let broken = [
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#),
        frame(&format!("{{\"apiKey\": \"{CANARY}\", [")),
    ]
    .concat();
    let out = ldic_test_support::ldic_cmd!()
        .arg("lsp")
        .write_stdin(broken)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(!all.contains(CANARY), "{all}");
    assert!(all.contains("ldic lsp:"), "{all}");
}

#[test]
fn settings_from_the_ldic_toml_above_the_document_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ldic.toml"),
        "[severity]\nunknown-field = \"off\"\nliteral-secret = \"error\"\n",
    )
    .unwrap();
    let uri = url::Url::from_file_path(dir.path().join("c.yaml")).unwrap();
    let mut c = Client::immediate();
    let p = c.open(
        uri.as_str(),
        "yaml",
        &format!(
            "integrationKey: datadog\nname: n\nconfigValues:\n  apiKey: {CANARY}\n  hostUrl: x\n"
        ),
    );
    assert_eq!(codes(&p), ["literal-secret"], "{p}");
    assert_eq!(
        p["diagnostics"][0]["severity"], 1,
        "raised to an error by ldic.toml"
    );
    let seen = c.shutdown();
    assert!(seen.iter().all(|m| !m.contains(CANARY)));
}

mod never_panics {
    use ldic_cli::lsp::documents::Document;
    use ldic_cli::lsp::{code_actions, completion, hover};
    use lsp_types::{Position, Range, Uri};
    use proptest::prelude::*;
    use std::str::FromStr as _;

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "{",
                "}",
                "[",
                "]",
                "\"",
                ":",
                ",",
                " ",
                "\n",
                "\r\n",
                "- ",
                "  ",
                "#",
                "'",
                "integrationKey",
                "configValues",
                "datadog",
                "hostURL",
                "apiKey",
                "\u{e9}",
                "\u{1f600}",
                "\\",
                "&a",
                "*a",
                "<<",
                "---",
                "true",
                "1",
            ]),
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn on_any_text_and_position(text in text(), line in 0u32..8, character in 0u32..40, yaml in any::<bool>()) {
            let (uri, language) = if yaml { ("file:///p/a.yaml", "yaml") } else { ("file:///p/a.json", "json") };
            let doc = Document { uri: Uri::from_str(uri).unwrap(), language_id: language.to_owned(), version: 1, text };
            let position = Position::new(line, character);
            let _ = completion::complete(&doc, position);
            if let Some(linted) = doc.lint() {
                let _ = hover::hover(&doc, &linted, position);
                let range = Range::new(Position::new(0, 0), position);
                let _ = code_actions::actions(&doc, &linted, range, None);
            }
        }
    }
}

#[test]
fn hover_and_configuration_members_while_the_document_does_not_parse() {
    let mut c = Client::immediate();
    let uri = "file:///nonexistent-ldic-test/broken.json";
    let text =
        "{\"integrationKey\": \"datadog\", \"\", \"configValues\": {\"hostURL\": \"x\", \"ap";
    let p = c.open(uri, "json", text);
    assert_eq!(codes(&p), ["parse-error"]);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": at(0, 56)}),
    );
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{hover}"));
    assert!(value.contains("Datadog host URL"), "{value}");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": at(0, 22)}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Datadog Events"),
        "{hover}"
    );
    let members = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": at(0, 31)}),
    );
    let members = labels(&members);
    assert!(
        members.contains(&"name".to_owned()) && members.contains(&"enabled".to_owned()),
        "{members:?}"
    );
    assert!(
        !members.contains(&"integrationKey".to_owned())
            && !members.contains(&"configValues".to_owned()),
        "{members:?}"
    );
    c.shutdown();
}
