//! `ldic lsp`: a language server on stdio, so an editor shows `ldic lint`'s diagnostics while a
//! configuration is typed, offers their fixes as code actions, and hovers and completes the
//! catalog (integration keys, fields, allowed values).
//!
//! Built on `lsp-server` (the transport and JSON-RPC messages) and `lsp-types`, the crates
//! rust-analyzer uses. One thread handles every message in order; a change is checked again
//! once the document has been quiet for [`Options::debounce`] (zero in tests: at once). This
//! module is the loop and the dispatch; the jobs are in the submodules. Nothing here logs or
//! echoes a document's text: a malformed message is answered with its method name only (a
//! parameter-parsing error could quote a value), and the transport's own errors, which quote
//! the raw message, are never printed.

pub mod catalog;
pub mod code_actions;
pub mod completion;
pub mod cursor;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod position;

use documents::{Document, Documents, Linted};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeResult, PositionEncodingKind, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How the server behaves.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long a document must go unchanged before it is checked again.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            debounce: Duration::from_millis(200),
        }
    }
}

/// Why the server stopped without a clean `shutdown` + `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the editor closed the connection before `shutdown`")]
    Disconnected,
    #[error("the editor sent `exit` before `shutdown`")]
    ExitWithoutShutdown,
}

/// Run the server on stdin/stdout until the editor says `exit`.
pub fn run_stdio(options: Options) -> anyhow::Result<u8> {
    let (connection, io_threads) = Connection::stdio();
    let result = serve(&connection, options);
    drop(connection);
    // The transport's error quotes the raw message it could not read (which may hold a
    // secret): say what failed, not what was read.
    let io = io_threads.join();
    match (result, io) {
        (Ok(()), _) => Ok(crate::EXIT_OK),
        (Err(e), Ok(())) => {
            eprintln!("ldic lsp: {e}");
            Ok(crate::EXIT_PROBLEMS)
        }
        (Err(e), Err(io)) => {
            eprintln!(
                "ldic lsp: {e}: the connection failed ({:?}; the message is not shown)",
                io.kind()
            );
            Ok(crate::EXIT_PROBLEMS)
        }
    }
}

/// Serve one connection: `initialize`, then messages until `shutdown` and `exit`.
pub fn serve(connection: &Connection, options: Options) -> Result<(), ServeError> {
    if !initialize(connection)? {
        return Err(ServeError::ExitWithoutShutdown);
    }
    Server {
        connection,
        options,
        documents: Documents::default(),
        due: HashMap::new(),
        shut_down: false,
    }
    .run()
}

/// Answer requests with "not initialized" until `initialize`; `Ok(false)` on an early `exit`.
fn initialize(connection: &Connection) -> Result<bool, ServeError> {
    loop {
        match connection.receiver.recv() {
            Err(_) => return Err(ServeError::Disconnected),
            Ok(Message::Request(r)) if r.method == req::Initialize::METHOD => {
                let result = InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(ServerInfo {
                        name: "ldic".to_owned(),
                        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                    }),
                };
                send(connection, Response::new_ok(r.id, result));
                return Ok(true);
            }
            Ok(Message::Request(r)) => send(
                connection,
                Response::new_err(
                    r.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized".to_owned(),
                ),
            ),
            Ok(Message::Notification(n)) if n.method == note::Exit::METHOD => return Ok(false),
            Ok(_) => {}
        }
    }
}

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned(), ":".to_owned(), " ".to_owned()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, code_actions::fix_all_kind()]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

fn send(connection: &Connection, message: impl Into<Message>) {
    // A closed channel ends the loop at the next receive.
    let _ = connection.sender.send(message.into());
}

struct Server<'c> {
    connection: &'c Connection,
    options: Options,
    documents: Documents,
    /// Documents changed and not checked since, and when to check them.
    due: HashMap<Uri, Instant>,
    shut_down: bool,
}

impl Server<'_> {
    fn run(mut self) -> Result<(), ServeError> {
        loop {
            let next = self.due.values().min().copied();
            let message = match next {
                None => self.connection.receiver.recv().ok(),
                Some(at) => {
                    match self
                        .connection
                        .receiver
                        .recv_timeout(at.saturating_duration_since(Instant::now()))
                    {
                        Ok(m) => Some(m),
                        Err(e) if e.is_timeout() => {
                            self.publish_due();
                            continue;
                        }
                        Err(_) => None,
                    }
                }
            };
            let Some(message) = message else {
                return Err(ServeError::Disconnected);
            };
            match message {
                Message::Request(r) => self.request(r),
                Message::Notification(n) if n.method == note::Exit::METHOD => {
                    return if self.shut_down {
                        Ok(())
                    } else {
                        Err(ServeError::ExitWithoutShutdown)
                    };
                }
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
            if self.options.debounce.is_zero() {
                self.publish_due();
            }
        }
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        if self.shut_down {
            return self.error(id, ErrorCode::InvalidRequest, "the server is shutting down");
        }
        match r.method.as_str() {
            req::Shutdown::METHOD => {
                self.shut_down = true;
                self.reply(id, ());
            }
            req::HoverRequest::METHOD => {
                if let Some(p) = self.params::<lsp_types::HoverParams>(&r) {
                    let at = &p.text_document_position_params;
                    let result = self.with_lint(&at.text_document.uri, |doc, linted| {
                        hover::hover(doc, linted, at.position)
                    });
                    self.reply(id, result.flatten());
                }
            }
            req::Completion::METHOD => {
                if let Some(p) = self.params::<lsp_types::CompletionParams>(&r) {
                    let at = &p.text_document_position;
                    let items = self
                        .documents
                        .get(&at.text_document.uri)
                        .filter(|d| d.is_json_or_yaml())
                        .map(|d| completion::complete(d, at.position))
                        .unwrap_or_default();
                    self.reply(id, items);
                }
            }
            req::CodeActionRequest::METHOD => {
                if let Some(p) = self.params::<lsp_types::CodeActionParams>(&r) {
                    let only = p.context.only.as_deref();
                    let actions = self
                        .with_lint(&p.text_document.uri, |doc, linted| {
                            code_actions::actions(doc, linted, p.range, only)
                        })
                        .unwrap_or_default();
                    self.reply(id, actions);
                }
            }
            _ => self.error(
                id,
                ErrorCode::MethodNotFound,
                &format!("ldic lsp does not handle {}", printable(&r.method)),
            ),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    let uri = d.uri.clone();
                    self.documents.open(Document {
                        uri: d.uri,
                        language_id: d.language_id,
                        version: d.version,
                        text: d.text,
                    });
                    self.publish(&uri);
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    if self
                        .documents
                        .change(&uri, p.text_document.version, p.content_changes)
                    {
                        self.due.insert(uri, Instant::now() + self.options.debounce);
                    }
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.due.remove(&uri);
                    if self.documents.close(&uri).is_some() {
                        self.send_diagnostics(uri, Vec::new(), None);
                    }
                }
            }
            // initialized, didSave, $/cancelRequest, setTrace, ...: nothing to do.
            _ => {}
        }
    }

    /// Run `f` on the open document `uri` and its lint (`None` when not open or not a
    /// configuration).
    fn with_lint<T>(&self, uri: &Uri, f: impl FnOnce(&Document, &Linted) -> T) -> Option<T> {
        let doc = self.documents.get(uri)?;
        let linted = doc.lint()?;
        Some(f(doc, &linted))
    }

    /// Check every document whose quiet time is over.
    fn publish_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            self.publish(&uri);
        }
    }

    /// Lint one open document and publish its diagnostics (none for a non-configuration).
    fn publish(&mut self, uri: &Uri) {
        let Some(doc) = self.documents.get(uri) else {
            return;
        };
        let version = Some(doc.version);
        let diagnostics = doc
            .lint()
            .map(|l| diagnostics::to_lsp(&doc.text, &l.file))
            .unwrap_or_default();
        self.send_diagnostics(uri.clone(), diagnostics, version);
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        send(
            self.connection,
            Notification::new(note::PublishDiagnostics::METHOD.to_owned(), params),
        );
    }

    /// The request's parameters, or an InvalidParams answer naming the method only.
    fn params<P: DeserializeOwned>(&self, r: &Request) -> Option<P> {
        match parse(r.params.clone()) {
            Ok(p) => Some(p),
            Err(()) => {
                self.error(
                    r.id.clone(),
                    ErrorCode::InvalidParams,
                    &format!("invalid parameters for {}", printable(&r.method)),
                );
                None
            }
        }
    }

    fn reply(&self, id: RequestId, result: impl serde::Serialize) {
        let response = match serde_json::to_value(result) {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error: the answer could not be encoded".to_owned(),
            ),
        };
        send(self.connection, response);
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: &str) {
        send(
            self.connection,
            Response::new_err(id, code as i32, message.to_owned()),
        );
    }
}

/// Parameters from JSON; the error is dropped (serde's message can quote the value).
fn parse<P: DeserializeOwned>(params: serde_json::Value) -> Result<P, ()> {
    serde_json::from_value(params).map_err(|_| ())
}

/// A method name as an error message may quote it: short, printable ASCII.
fn printable(method: &str) -> String {
    let clean: String = method
        .chars()
        .take(80)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    format!("`{clean}`")
}
