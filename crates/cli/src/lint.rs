//! `ldic lint`: find configuration files, check each one, place every finding in its file.
//!
//! A file is parsed once. Only a file that has findings pays for positions: its span map is built
//! then, every finding's pointer is turned into line and column, and the text shown in snippets is
//! a copy in which secret values are masked.

use crate::config::{self, EnvPolicy, EnvRef, INTEGRATION_KEY, Problem, codes};
use crate::spans::{self, SpanMap};
use crate::{json, yaml};
use ignore::WalkBuilder;
use ldic::Severity;
use ldic::catalog::Integration;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The syntax of a configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// By extension; otherwise JSON when the text starts like JSON, else YAML.
    pub fn detect(path: &Path, text: &str) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ => {
                let t = text.trim_start_matches('\u{feff}').trim_start();
                if t.starts_with('{') || t.starts_with('[') {
                    Format::Json
                } else {
                    Format::Yaml
                }
            }
        }
    }
}

/// A 1-based position range in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range in the file (for snippets).
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Location {
    fn of(text: &str, span: Range<usize>) -> Location {
        Location::indexed(&spans::LineIndex::new(text), text, span)
    }

    fn indexed(index: &spans::LineIndex<'_>, text: &str, span: Range<usize>) -> Location {
        let span = spans::clip_to_line(text, span);
        let (line, column) = index.line_col(span.start);
        let (end_line, end_column) = index.line_col(span.end);
        Location {
            line,
            column,
            end_line,
            end_column,
            span,
        }
    }
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    /// The YAML document (0 for JSON) the pointer is in.
    pub document: usize,
    /// JSON pointer within the document (`/0/configValues/apiKey` for the first element of an array).
    pub pointer: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The correction as data: an operation at `pointer` (`ldic lint --fix` applies it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<ldic::Fix>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip)]
    pub(crate) on_key: bool,
    /// The fix as a change of the file's text (the edit `lint --fix` would make first), when
    /// asked for ([`crate::fix::attach_edits`], for SARIF `fixes`).
    #[serde(skip)]
    pub edit: Option<TextEdit>,
}

/// A fix as a change of the text: the region (1-based, `end` exclusive) becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub replacement: String,
}

/// Everything `lint` learned about one file.
#[derive(Debug)]
pub struct FileLint {
    /// The path as shown to the user (forward slashes).
    pub display: String,
    /// The file's text with secret values masked: what snippets show.
    pub masked: String,
    pub findings: Vec<Finding>,
    /// Configurations found (0 when the file did not parse).
    pub configurations: usize,
    /// The configurations, in file order, as checked (for `create`).
    pub parsed: Vec<ParsedConfig>,
}

/// One configuration of a file.
#[derive(Debug)]
pub struct ParsedConfig {
    pub document: usize,
    /// Pointer of the configuration object within its document ("" or "/3").
    pub prefix: String,
    pub value: serde_json::Map<String, Value>,
    pub integration: Option<&'static Integration>,
}

impl FileLint {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Lint the text of one file, references not resolved.
pub fn lint_text(display: String, path: &Path, text: String) -> FileLint {
    lint_text_with(display, path, text, &EnvPolicy::default())
}

/// Lint the text of one file, treating `${env:NAME}` references as `policy` says.
pub fn lint_text_with(display: String, path: &Path, text: String, policy: &EnvPolicy) -> FileLint {
    let format = Format::detect(path, &text);
    let mut findings: Vec<Finding> = Vec::new();
    let mut parsed = Vec::new();
    let docs = match format {
        Format::Json => json::parse(&text).map(|p| {
            let dups = p.duplicates.into_iter().map(|d| (0, d)).collect();
            (vec![p.value], dups)
        }),
        Format::Yaml => yaml::parse(&text)
            .map(|p| (p.documents, p.duplicates))
            .map_err(|e| json::JsonError {
                offset: e.offset,
                message: e.message,
            }),
    };
    let (docs, duplicates): (Vec<Value>, Vec<(usize, String)>) = match docs {
        Ok(d) => d,
        Err(e) => {
            let what = match format {
                Format::Json => "JSON",
                Format::Yaml => "YAML",
            };
            findings.push(Finding {
                severity: Severity::Error,
                code: codes::PARSE_ERROR,
                document: 0,
                pointer: String::new(),
                message: format!("not valid {what}: {}", e.message),
                suggestion: None,
                fix: None,
                location: Some(Location::of(&text, e.offset..e.offset)),
                on_key: false,
                edit: None,
            });
            // No snippet for a file that does not parse: its secrets cannot be found to mask.
            return FileLint {
                display,
                masked: String::new(),
                findings,
                configurations: 0,
                parsed,
            };
        }
    };

    let mut push = |document: usize, prefix: &str, p: Problem| {
        findings.push(Finding {
            severity: p.severity,
            code: p.code,
            document,
            pointer: format!("{prefix}{}", p.pointer),
            message: p.message,
            suggestion: p.suggestion,
            fix: p.fix,
            location: None,
            on_key: p.on_key,
            edit: None,
        });
    };
    for (document, pointer) in duplicates {
        let key = pointer.rsplit('/').next().unwrap_or_default();
        let key = ldic::catalog::pointer::unescape_token(key).into_owned();
        push(
            document,
            "",
            Problem {
                severity: Severity::Error,
                code: codes::DUPLICATE_KEY,
                pointer,
                on_key: true,
                message: format!(
                    "key \"{key}\" appears more than once in this object; which value LaunchDarkly takes is ambiguous"
                ),
                suggestion: Some("keep one of them".to_owned()),
                fix: None,
            },
        );
    }
    for (document, doc) in docs.into_iter().enumerate() {
        let mut objects = Vec::new();
        match doc {
            Value::Object(map) => objects.push((String::new(), map)),
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Value::Object(map) => objects.push((format!("/{i}"), map)),
                        other => push(document, "", not_a_config(format!("/{i}"), &other)),
                    }
                }
            }
            // An empty YAML document (a trailing `---`).
            Value::Null if format == Format::Yaml => {}
            other => push(document, "", not_a_config(String::new(), &other)),
        }
        for (prefix, mut map) in objects {
            let (problems, integration) = config::check_with(&mut map, policy);
            for p in problems {
                push(document, &prefix, p);
            }
            parsed.push(ParsedConfig {
                document,
                prefix,
                value: map,
                integration,
            });
        }
    }
    if findings.iter().any(|f| f.code == codes::DUPLICATE_KEY) {
        let mut maps: HashMap<usize, SpanMap> = HashMap::new();
        for f in findings
            .iter_mut()
            .filter(|f| f.code == codes::DUPLICATE_KEY)
        {
            let map = span_map_of(&mut maps, &text, format, f.document);
            f.fix = duplicate_fix(&text, map, &f.pointer, f.document, &parsed);
        }
    }
    if parsed.is_empty() && findings.is_empty() {
        findings.push(Finding {
            severity: Severity::Warning,
            code: codes::NO_CONFIGURATION,
            document: 0,
            pointer: String::new(),
            message: "the file holds no integration configuration".to_owned(),
            suggestion: None,
            fix: None,
            location: Some(Location::of(&text, 0..0)),
            on_key: false,
            edit: None,
        });
    }

    let masked = if findings.is_empty() {
        String::new()
    } else {
        place(&text, format, &mut findings, &parsed)
    };
    FileLint {
        display,
        masked,
        configurations: parsed.len(),
        findings,
        parsed,
    }
}

fn not_a_config(pointer: String, v: &Value) -> Problem {
    Problem {
        severity: Severity::Error,
        code: codes::NOT_A_CONFIGURATION,
        pointer,
        on_key: false,
        message: format!(
            "expected a configuration object ({{\"{INTEGRATION_KEY}\", \"name\", \"configValues\", ...}}), found {}",
            config::type_name(v)
        ),
        suggestion: None,
        fix: None,
    }
}

/// A safe removal of a duplicated member written twice identically: one scalar, the same text
/// both times, and not a sensitive value (a fix never touches a secret).
fn duplicate_fix(
    text: &str,
    map: &SpanMap,
    pointer: &str,
    document: usize,
    parsed: &[ParsedConfig],
) -> Option<ldic::Fix> {
    let node = map.get(pointer)?;
    let [(_, earlier)] = node.earlier.as_slice() else {
        return None;
    };
    if is_container(text, earlier) || is_container(text, &node.value) {
        return None;
    }
    if text.get(earlier.clone())? != text.get(node.value.clone())? {
        return None;
    }
    if let Some((prefix, below)) = split_config_values(pointer) {
        let config = parsed
            .iter()
            .find(|c| c.document == document && c.prefix == prefix)?;
        let field = ldic::catalog::pointer::unescape_token(below).into_owned();
        let meta = config
            .integration
            .and_then(Integration::config_values_list)
            .and_then(|l| l.field(&field));
        let value = config.value.get("configValues")?.get(&field)?;
        if below.contains('/') || ldic::file::is_sensitive(meta, value) {
            return None;
        }
    }
    Some(ldic::Fix::safe(ldic::Edit::RemoveMember))
}

/// Every value of `text` masked as snippets show it (for a diff that may be printed).
pub fn masked_text(text: &str, format: Format, parsed: &[ParsedConfig]) -> String {
    place(text, format, &mut [], parsed)
}

/// Give every finding its location, sort them in file order, and return the masked text.
fn place(text: &str, format: Format, findings: &mut [Finding], parsed: &[ParsedConfig]) -> String {
    let mut maps: HashMap<usize, SpanMap> = HashMap::new();
    let index = spans::LineIndex::new(text);
    for f in findings.iter_mut() {
        if f.location.is_some() {
            continue;
        }
        // A missing field is reported at the object lacking it: point at that object's key.
        let on_key = f.on_key || f.code == ldic::Code::MissingRequired.as_str();
        let found = span_map_of(&mut maps, text, format, f.document).find(&f.pointer, on_key);
        if let Some(found) = found {
            if f.code == codes::DUPLICATE_KEY
                && let Some(first) = found.first_key
            {
                let (line, _) = index.line_col(first.start);
                f.message = format!("{} (first at line {line})", f.message);
            }
            if let Some((alias, at)) = &found.merged_from {
                let (line, _) = index.line_col(at.start);
                f.message = format!(
                    "{} (the value is written here and merged in by `<<: {alias}` at line {line})",
                    f.message
                );
            }
            f.location = Some(Location::indexed(&index, text, found.span));
        } else {
            f.location = Some(Location::indexed(&index, text, 0..0));
        }
    }
    findings.sort_by_key(|f| f.location.as_ref().map_or(0, |l| l.span.start));

    // Mask every value in configValues that is not known to be a non-secret: strings, numbers,
    // booleans, everything nested in an object or array given for a secret (keys included), and
    // the earlier occurrences of a duplicated member, which the parsed value no longer holds.
    // Only well-formed `${env:NAME}` references stay readable.
    // One pass over each document's nodes (not one per configuration: that was quadratic).
    let mut masked = text.as_bytes().to_vec();
    let by_prefix: HashMap<(usize, &str), &ParsedConfig> = parsed
        .iter()
        .map(|c| ((c.document, c.prefix.as_str()), c))
        .collect();
    let mut documents: Vec<usize> = parsed.iter().map(|c| c.document).collect();
    documents.dedup();
    for document in documents {
        let map = span_map_of(&mut maps, text, format, document);
        for (pointer, node) in map.iter() {
            let Some((prefix, below)) = split_config_values(pointer) else {
                continue;
            };
            let Some(c) = by_prefix.get(&(document, prefix)) else {
                continue;
            };
            let list = c.integration.and_then(Integration::config_values_list);
            let (field, nested) = match below.split_once('/') {
                Some((field, _)) => (field, true),
                None => (below, false),
            };
            let field = ldic::catalog::pointer::unescape_token(field).into_owned();
            let merge_key = format == Format::Yaml
                && field == "<<"
                && map
                    .get(&format!("{prefix}/configValues/<<"))
                    .and_then(|n| n.key.clone())
                    .and_then(|k| text.get(k))
                    .is_some_and(|k| k == "<<");
            if merge_key && nested {
                // Below a YAML merge key: each value is placed (and masked) again under the
                // field it is merged into.
                continue;
            }
            // The one definition of a sensitive value (secret or unknown field, env-sourced,
            // credential-bearing URL); a public field's earlier duplicates are masked anyway.
            let meta = list.and_then(|l| l.field(&field));
            let parsed_value = c
                .value
                .get("configValues")
                .and_then(|cv| cv.get(&field))
                .unwrap_or(&Value::Null);
            if !ldic::file::is_sensitive(meta, parsed_value) {
                for (_, value) in &node.earlier {
                    mask(&mut masked, value.clone());
                }
                continue;
            }
            let occurrences = node
                .earlier
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .chain([(node.key.clone(), node.value.clone())]);
            for (key, value) in occurrences {
                if nested && let Some(key) = key {
                    mask(&mut masked, key);
                }
                if !is_container(text, &value) && !is_env_reference(text, &value) {
                    mask(&mut masked, value);
                }
            }
        }
    }
    String::from_utf8(masked).unwrap_or_default()
}

/// `/configValues/x/y` -> `("", "x/y")`, `/3/configValues/x` -> `("/3", "x")`: the configuration
/// prefix and the pointer below its `configValues`.
fn split_config_values(pointer: &str) -> Option<(&str, &str)> {
    if let Some(below) = pointer.strip_prefix("/configValues/") {
        return Some(("", below));
    }
    let (index, rest) = pointer.strip_prefix('/')?.split_once('/')?;
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let below = rest.strip_prefix("configValues/")?;
    Some((&pointer[..=index.len()], below))
}

/// A container's span is its opening bracket (JSON, YAML flow) or empty (YAML block).
fn is_container(text: &str, span: &Range<usize>) -> bool {
    span.is_empty() || matches!(text.get(span.clone()), Some("{" | "["))
}

/// Whether the value at `span` is a well-formed `${env:NAME}` reference (quoted or plain).
fn is_env_reference(text: &str, span: &Range<usize>) -> bool {
    let Some(raw) = text.get(span.clone()) else {
        return false;
    };
    let unquoted = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(raw);
    matches!(config::env_ref(unquoted), EnvRef::Variable(_))
}

/// The span map of one document, built on first use.
fn span_map_of<'m>(
    maps: &'m mut HashMap<usize, SpanMap>,
    text: &str,
    format: Format,
    doc: usize,
) -> &'m SpanMap {
    maps.entry(doc).or_insert_with(|| match format {
        Format::Json => json::span_map(text),
        Format::Yaml => yaml::span_map(text, doc),
    })
}

/// Replace a value's characters with `*`, keeping quotes, line breaks and byte offsets.
fn mask(bytes: &mut [u8], span: Range<usize>) {
    let end = span.end.min(bytes.len());
    let start = span.start.min(end);
    let (mut from, mut to) = (start, end);
    if to > from + 1 && matches!(bytes[from], b'"' | b'\'') && bytes[to - 1] == bytes[from] {
        from += 1;
        to -= 1;
    }
    for b in &mut bytes[from..to] {
        if !matches!(*b, b'\n' | b'\r') {
            *b = b'*';
        }
    }
}

/// An I/O problem with a path (exit code 2).
#[derive(Debug)]
pub struct PathError {
    pub display: String,
    pub message: String,
}

/// A file to lint, and whether it was named on the command line (else found in a directory).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub named: bool,
}

/// The files to lint: each file given, and every `.json`, `.yaml`, `.yml` file under each
/// directory given, honouring `.gitignore`, `.ignore` and `.ldicignore` files.
pub fn collect(paths: &[PathBuf]) -> (Vec<Candidate>, Vec<PathError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push(PathError {
                display: display_path(path),
                message: e.to_string(),
            }),
            Ok(m) if m.is_file() => files.push(Candidate {
                path: path.clone(),
                named: true,
            }),
            Ok(_) => {
                let walk = WalkBuilder::new(path)
                    .add_custom_ignore_filename(".ldicignore")
                    .require_git(false)
                    .sort_by_file_path(|a, b| a.cmp(b))
                    .build();
                for entry in walk {
                    match entry {
                        Ok(e) => {
                            let p = e.path();
                            let is_file = e.file_type().is_some_and(|t| t.is_file());
                            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
                            if is_file && ["json", "yaml", "yml"].contains(&ext) {
                                files.push(Candidate {
                                    path: p.to_path_buf(),
                                    named: false,
                                });
                            }
                        }
                        Err(e) => errors.push(PathError {
                            display: display_path(path),
                            message: e.to_string(),
                        }),
                    }
                }
            }
        }
    }
    (files, errors)
}

/// A path for output: as given, `./` dropped, forward slashes.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// The text every configuration file contains; a file found in a directory without it is not one
/// (a `package.json`, a workflow) and is skipped.
pub const MARKER: &[u8] = b"integrationKey";

/// Read and lint one file; an unreadable file is a [`PathError`]. `Ok(None)`: skipped, because
/// `require_marker` is set and the file does not mention [`MARKER`].
pub fn lint_candidate(path: &Path, require_marker: bool) -> Result<Option<FileLint>, PathError> {
    lint_candidate_with(path, require_marker, &EnvPolicy::default())
}

/// [`lint_candidate`] treating `${env:NAME}` references as `policy` says.
pub fn lint_candidate_with(
    path: &Path,
    require_marker: bool,
    policy: &EnvPolicy,
) -> Result<Option<FileLint>, PathError> {
    let display = display_path(path);
    let bytes = std::fs::read(path).map_err(|e| PathError {
        display: display.clone(),
        message: e.to_string(),
    })?;
    if require_marker && !bytes.windows(MARKER.len()).any(|w| w == MARKER) {
        return Ok(None);
    }
    lint_bytes(display, path, bytes, policy).map(Some)
}

/// Read and lint one file; an unreadable file is a [`PathError`].
pub fn lint_file(path: &Path) -> Result<FileLint, PathError> {
    lint_file_with(path, &EnvPolicy::default())
}

/// [`lint_file`] treating `${env:NAME}` references as `policy` says (`create` resolves them).
pub fn lint_file_with(path: &Path, policy: &EnvPolicy) -> Result<FileLint, PathError> {
    let display = display_path(path);
    let bytes = std::fs::read(path).map_err(|e| PathError {
        display: display.clone(),
        message: e.to_string(),
    })?;
    lint_bytes(display, path, bytes, policy)
}

fn lint_bytes(
    display: String,
    path: &Path,
    bytes: Vec<u8>,
    policy: &EnvPolicy,
) -> Result<FileLint, PathError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(lint_text_with(display, path, text, policy)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Ok(FileLint {
                findings: vec![Finding {
                    severity: Severity::Error,
                    code: codes::PARSE_ERROR,
                    document: 0,
                    pointer: String::new(),
                    message: "not UTF-8 text".to_owned(),
                    suggestion: None,
                    fix: None,
                    location: Some(Location::of(&text, offset..offset)),
                    on_key: false,
                    edit: None,
                }],
                display,
                masked: String::new(),
                configurations: 0,
                parsed: Vec::new(),
            })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    fn lint(name: &str, text: &str) -> FileLint {
        lint_text(name.to_owned(), Path::new(name), text.to_owned())
    }

    #[test]
    fn duplicate_key_points_at_the_second_key_in_json_and_yaml() {
        let f = lint(
            "a.json",
            "{\n  \"integrationKey\": \"x\",\n  \"name\": \"a\",\n  \"name\": \"b\"\n}\n",
        );
        let d = f
            .findings
            .iter()
            .find(|f| f.code == "duplicate-key")
            .unwrap();
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (4, 3));
        assert!(d.message.contains("first at line 3"), "{}", d.message);

        let f = lint("a.yaml", "integrationKey: x\nname: a\nname: b\n");
        let d = f
            .findings
            .iter()
            .find(|f| f.code == "duplicate-key")
            .unwrap();
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
    }

    #[test]
    fn parse_error_has_a_position_and_no_snippet() {
        let f = lint("bad.yaml", "integrationKey: x\nname: [a\n");
        assert_eq!(f.findings.len(), 1);
        assert_eq!(f.findings[0].code, "parse-error");
        assert!(f.findings[0].location.is_some());
        assert!(f.masked.is_empty());
    }

    #[test]
    fn array_elements_get_prefixed_pointers() {
        let f = lint(
            "a.json",
            "[{\"integrationKey\": \"x\"}, 3, {\"name\": \"n\"}]",
        );
        let pointers: Vec<_> = f
            .findings
            .iter()
            .map(|f| (f.code, f.pointer.as_str()))
            .collect();
        assert!(
            pointers.contains(&("not-a-configuration", "/1")),
            "{pointers:?}"
        );
        assert!(
            pointers.contains(&("missing-required", "/2")),
            "{pointers:?}"
        );
        let at = f.findings.iter().find(|f| f.pointer == "/1").unwrap();
        assert_eq!(at.location.as_ref().unwrap().column, 27);
    }

    #[test]
    fn unknown_config_values_are_masked_in_snippets() {
        let text = "{\"integrationKey\": \"no-such\", \"configValues\": {\"k\": \"s3cr3t\", \"r\": \"${env:R}\"}}";
        let f = lint("a.json", text);
        assert!(!f.findings.is_empty());
        assert!(!f.masked.contains("s3cr3t"));
        assert!(f.masked.contains("\"******\""));
        assert!(f.masked.contains("${env:R}"));
        assert_eq!(f.masked.len(), text.len());
    }

    #[test]
    fn secrets_of_any_shape_and_duplicated_ones_are_masked() {
        // Regression: only string values were masked, so a secret given as an object, an array
        // or a number, or the first of two duplicated members, showed in snippets.
        let text = r#"{"integrationKey": "datadog", "configValues": {"apiKey": {"k": "obj-s3cr3t"}, "apiKey": [4242424242], "x": "unknown-s3cr3t"}, "configValues": {"apiKey": "dup-s3cr3t", "hostURL": "https://api.datadoghq.eu"}}"#;
        let f = lint("a.json", text);
        assert!(!f.findings.is_empty());
        for secret in [
            "obj-s3cr3t",
            "4242424242",
            "unknown-s3cr3t",
            "dup-s3cr3t",
            "\"k\"",
        ] {
            assert!(!f.masked.contains(secret), "{secret}: {}", f.masked);
        }
        assert!(
            f.masked.contains("https://api.datadoghq.eu"),
            "public values stay"
        );
        assert_eq!(f.masked.len(), text.len());
        let y = "integrationKey: datadog\nconfigValues:\n  apiKey:\n    nested: yaml-s3cr3t\n  apiKey: 77777777\n";
        let f = lint("a.yaml", y);
        assert!(
            !f.masked.contains("yaml-s3cr3t") && !f.masked.contains("77777777"),
            "{}",
            f.masked
        );
    }

    #[test]
    fn many_findings_in_a_big_file_are_placed_in_linear_time() {
        // Regression: each finding's line and column were counted from the start of the file,
        // so 380,000 findings in a 50 MB file took hours. 20,000 findings must be instant; the
        // positions must still be right.
        let one = "{\"integrationKey\": \"datadog\", \"name\": \"n\", \"configValues\": {\"apiKey\": \"${env:K}\", \"hostURL\": \"https://nope\"}}";
        let text = format!("[\n{}\n]\n", vec![one; 20_000].join(",\n"));
        let f = lint("big.json", &text);
        assert_eq!(f.errors(), 20_000);
        let last = f.findings.last().unwrap().location.as_ref().unwrap();
        assert_eq!(
            (last.line, last.column),
            (20_001, one.find("\"https").unwrap() + 1)
        );
    }

    #[test]
    fn empty_yaml_is_a_warning() {
        let f = lint("e.yaml", "# nothing\n");
        assert_eq!(f.findings[0].code, "no-configuration");
        assert_eq!(f.errors(), 0);
    }

    #[test]
    fn format_detection() {
        assert_eq!(Format::detect(Path::new("a.JSON"), ""), Format::Json);
        assert_eq!(Format::detect(Path::new("a.yml"), "{}"), Format::Yaml);
        assert_eq!(Format::detect(Path::new("a"), " [1]"), Format::Json);
        assert_eq!(Format::detect(Path::new("a"), "a: 1"), Format::Yaml);
    }
}
