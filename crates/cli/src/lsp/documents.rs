//! The documents the editor has open: their text as the editor holds it (not as saved), and
//! how ldic lints them.
//!
//! A document is checked when it is JSON or YAML and holds an integration configuration, by the
//! rule `ldic lint` applies to files it finds in directories: the text mentions
//! `integrationKey` ([`lint::MARKER`]). Its lint is exactly `ldic lint`'s for that text and path,
//! with the `ldic.toml` found upward from the document's directory applied.

use super::position::Utf16Index;
use crate::config::{EnvAllow, EnvPolicy};
use crate::lint::{self, FileLint, Format};
use crate::settings::{self, Settings};
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    pub language_id: String,
    pub version: i32,
    pub text: String,
}

impl Document {
    /// The document's path: the file of a `file:` URI, else the URI's last segment (enough for
    /// the format and for `ldic.toml` globs, which then match nothing).
    pub fn path(&self) -> PathBuf {
        path_of(&self.uri)
    }

    /// Whether the document is JSON or YAML, by language id or extension.
    pub fn is_json_or_yaml(&self) -> bool {
        let by_language = matches!(self.language_id.as_str(), "json" | "jsonc" | "yaml" | "yml");
        let path = self.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        by_language
            || ["json", "yaml", "yml"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
    }

    /// Whether ldic checks this document: JSON or YAML mentioning `integrationKey`.
    pub fn is_configuration(&self) -> bool {
        self.is_json_or_yaml()
            && self
                .text
                .as_bytes()
                .windows(lint::MARKER.len())
                .any(|w| w == lint::MARKER)
    }

    /// The syntax ldic reads the document in: the language id first, then as `ldic lint` does.
    pub fn format(&self) -> Format {
        match self.language_id.as_str() {
            "json" | "jsonc" => Format::Json,
            "yaml" | "yml" => Format::Yaml,
            _ => Format::detect(&self.path(), &self.text),
        }
    }

    /// A path `ldic lint` reads in this document's format (the path itself unless the language
    /// id and the extension disagree, e.g. an unsaved buffer).
    fn lint_path(&self) -> PathBuf {
        let path = self.path();
        if Format::detect(&path, &self.text) == self.format() {
            return path;
        }
        let ext = match self.format() {
            Format::Json => "json",
            Format::Yaml => "yaml",
        };
        path.with_extension(ext)
    }

    /// `ldic lint` of this text (settings applied), or `None` when it is not a configuration.
    pub fn lint(&self) -> Option<Linted> {
        if !self.is_configuration() {
            return None;
        }
        let path = self.lint_path();
        let settings = settings_for(&path);
        let policy = EnvPolicy {
            resolve: false,
            allow: settings
                .as_ref()
                .filter(|s| !s.env_allow.is_empty())
                .and_then(|s| EnvAllow::new(&s.env_allow).ok()),
        };
        let display = lint::display_path(&path);
        let mut file = lint::lint_text_with(display, &path, self.text.clone(), &policy);
        if let Some(s) = &settings {
            s.apply(&path, &mut file);
        }
        Some(Linted {
            version: self.version,
            file,
            path,
            policy,
            settings,
        })
    }

    /// Apply one change of `textDocument/didChange` (a range, or the whole text).
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent) {
        match change.range {
            None => self.text = change.text,
            Some(range) => {
                let span = Utf16Index::new(&self.text).span(range);
                self.text.replace_range(span, &change.text);
            }
        }
    }
}

/// A document's lint, and what it was made with (code actions fix with the same).
#[derive(Debug)]
pub struct Linted {
    /// The document version linted.
    pub version: i32,
    pub file: FileLint,
    pub path: PathBuf,
    pub policy: EnvPolicy,
    pub settings: Option<Settings>,
}

/// The `ldic.toml` above a document's directory, if one is there and reads; a broken one is
/// ignored here (`ldic lint` reports it).
fn settings_for(path: &Path) -> Option<Settings> {
    let dir = path.parent().filter(|d| d.is_dir())?;
    Settings::load(&settings::discover(dir)?).ok()
}

/// The path of a `file:` URI, or the URI's last segment for other schemes.
pub fn path_of(uri: &Uri) -> PathBuf {
    let s = uri.as_str();
    if let Ok(url) = url::Url::parse(s)
        && url.scheme() == "file"
        && let Ok(path) = url.to_file_path()
    {
        return path;
    }
    let last = s.rsplit(['/', ':']).next().unwrap_or(s);
    PathBuf::from(if last.is_empty() { "untitled" } else { last })
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, doc: Document) {
        self.open.insert(doc.uri.clone(), doc);
    }

    /// Apply changes to an open document; `false` when it is not open.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let Some(doc) = self.open.get_mut(uri) else {
            return false;
        };
        for change in changes {
            doc.apply(change);
        }
        doc.version = version;
        true
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use lsp_types::{Position, Range};
    use std::str::FromStr as _;

    fn doc(uri: &str, language: &str, text: &str) -> Document {
        Document {
            uri: Uri::from_str(uri).unwrap(),
            language_id: language.to_owned(),
            version: 1,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_changes_use_utf16_ranges() {
        let mut d = doc("file:///tmp/a.yaml", "yaml", "name: \u{e9}t\u{e9}\nx: 1\n");
        d.apply(TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 8), Position::new(0, 9))),
            range_length: None,
            text: "e".to_owned(),
        });
        assert_eq!(d.text, "name: \u{e9}te\nx: 1\n");
        // A range past the end is clamped, never a panic.
        d.apply(TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(9, 9), Position::new(0, 0))),
            range_length: None,
            text: "#\n".to_owned(),
        });
        assert!(d.text.starts_with("#\n"), "{}", d.text);
    }

    #[test]
    fn only_json_or_yaml_mentioning_the_marker_is_a_configuration() {
        assert!(doc("file:///a.json", "json", "{\"integrationKey\": 1}").is_configuration());
        assert!(!doc("file:///a.json", "json", "{\"name\": 1}").is_configuration());
        assert!(!doc("file:///a.md", "markdown", "integrationKey").is_configuration());
        assert!(doc("untitled:Untitled-1", "yaml", "integrationKey: x").is_configuration());
        assert_eq!(
            path_of(&Uri::from_str("file:///tmp/a%20b.json").unwrap()),
            PathBuf::from("/tmp/a b.json")
        );
    }
}
