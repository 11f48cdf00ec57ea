//! `ldic lint`: find configuration files, check each one, place every finding in its file.
//!
//! A file is parsed once. Only a file that has findings pays for positions: its span map is built
//! then, every finding's pointer is turned into line and column, and the text shown in snippets is
//! a copy in which secret values are masked.

use crate::codes::FindingCode;
use crate::config::{self, EnvPolicy, EnvRef, INTEGRATION_KEY, Problem};
use crate::spans::{self, SpanMap};
use crate::{json, yaml};
use ignore::WalkBuilder;
use ldic::Severity;
use ldic::catalog::Integration;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    /// One location in `text`, without an index (a file-level finding).
    fn of(text: &str, span: Range<usize>) -> Location {
        Location::at(text, span, |offset| spans::line_col(text, offset))
    }

    fn indexed(index: &spans::LineIndex<'_>, text: &str, span: Range<usize>) -> Location {
        Location::at(text, span, |offset| index.line_col(offset))
    }

    /// `span` clipped to its first line, its positions from `line_col`.
    fn at(text: &str, span: Range<usize>, line_col: impl Fn(usize) -> (usize, usize)) -> Location {
        let span = spans::clip_to_line(text, span);
        let (line, column) = line_col(span.start);
        let (end_line, end_column) = line_col(span.end);
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
    pub code: FindingCode,
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
    /// asked for ([`StreamOptions::edits`], for SARIF `fixes`).
    #[serde(skip)]
    pub edit: Option<TextEdit>,
}

impl Finding {
    /// The one way to make a finding: `problem` of the configuration at `prefix` of `document`,
    /// not located yet.
    pub fn new(document: usize, prefix: &str, problem: Problem) -> Finding {
        Finding {
            severity: problem.severity,
            code: problem.code,
            document,
            pointer: format!("{prefix}{}", problem.pointer),
            message: problem.message,
            suggestion: problem.suggestion,
            fix: problem.fix,
            location: None,
            on_key: problem.on_key,
            edit: None,
        }
    }

    /// This finding at `location`.
    fn located(mut self, location: Location) -> Finding {
        self.location = Some(location);
        self
    }
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

/// Lint the text of one file, treating `${env:NAME}` references as `policy` says: every finding
/// and every configuration kept, the whole text masked (for `create`, `plan`, `--fix`, the
/// language server). `ldic lint` streams instead ([`lint_streamed`]).
pub fn lint_text_with(display: String, path: &Path, text: String, policy: &EnvPolicy) -> FileLint {
    let format = Format::detect(path, &text);
    let mut sink = Collect::default();
    let options = StreamOptions {
        policy,
        edits: false,
        masked_lines: false,
        keep_configs: true,
    };
    let configurations = lint_streamed(&text, format, &options, &mut sink);
    let masked = if sink.findings.is_empty() || sink.parse_error {
        String::new()
    } else {
        masked_text(&text, format, &sink.configs)
    };
    FileLint {
        display,
        masked,
        configurations,
        findings: sink.findings,
        parsed: sink.configs,
    }
}

/// Where the findings of a file go as it is linted, a configuration (a JSON array element, a
/// YAML document) at a time.
pub trait FindingSink {
    /// Findings of one part of the file, placed and in file order. `masked` is the file's text
    /// with the secret values masked on every line a finding of this call is on (when
    /// [`StreamOptions::masked_lines`]; else empty).
    fn findings(&mut self, masked: &str, findings: Vec<Finding>);
    /// A configuration checked (only with [`StreamOptions::keep_configs`]).
    fn config(&mut self, _config: ParsedConfig) {}
    /// The file turned out not to parse after some of it was linted: forget what was sent, the
    /// parse error follows.
    fn discard(&mut self);
}

/// How [`lint_streamed`] works.
#[derive(Debug)]
pub struct StreamOptions<'p> {
    pub policy: &'p EnvPolicy,
    /// Give every finding with a fix its text edit (SARIF `fixes`).
    pub edits: bool,
    /// Mask secret values (snippets, inline suppressions read the masked lines).
    pub masked_lines: bool,
    /// Hand every configuration to [`FindingSink::config`].
    pub keep_configs: bool,
}

/// Everything at once: what [`lint_text_with`] returns.
#[derive(Default)]
struct Collect {
    findings: Vec<Finding>,
    configs: Vec<ParsedConfig>,
    parse_error: bool,
}

impl FindingSink for Collect {
    fn findings(&mut self, _masked: &str, findings: Vec<Finding>) {
        self.findings.extend(findings);
    }

    fn config(&mut self, config: ParsedConfig) {
        self.configs.push(config);
    }

    fn discard(&mut self) {
        *self = Collect {
            parse_error: true,
            ..Collect::default()
        };
    }
}

/// One configuration's worth of a file, linted, placed and masked on its own: the value of a
/// top-level array element, or of a YAML document, with its position in the file.
struct Unit<'t> {
    document: usize,
    /// Pointer of the unit within its document ("" or "/3").
    prefix: String,
    value: Value,
    /// Pointers (within the document) of duplicated members.
    duplicates: Vec<String>,
    /// Bytes of the file the unit covers.
    range: Range<usize>,
    /// Where its span map comes from.
    spans: UnitSpans<'t>,
}

enum UnitSpans<'t> {
    /// Scanned from the text at `range.start`.
    Json,
    /// Built from the document's events, kept from the one parse.
    Yaml(yaml::Document<'t>),
}

impl Unit<'_> {
    fn span_map(&self, text: &str) -> SpanMap {
        match &self.spans {
            UnitSpans::Json => json::span_map_at(text, self.range.start, &self.prefix),
            UnitSpans::Yaml(doc) => doc.span_map(),
        }
    }
}

/// Why a file did not parse: the byte offset and the message.
struct ParseError {
    offset: usize,
    message: String,
}

/// Lint `text` a configuration at a time, handing each one's findings to `sink` as soon as it is
/// linted; returns the number of configurations. Memory: the text, its masked copy (only with
/// [`StreamOptions::masked_lines`] and findings) and one configuration at a time, except a YAML
/// document (its configurations together) and a JSON text that is not an array (parsed whole).
/// A file that turns out not to parse after some configurations were linted is
/// [`FindingSink::discard`]ed and gets its parse error, as if it had been parsed first.
pub fn lint_streamed(
    text: &str,
    format: Format,
    options: &StreamOptions<'_>,
    sink: &mut dyn FindingSink,
) -> usize {
    let mut state = Streaming {
        text,
        format,
        options,
        sink,
        masked: None,
        cursor: spans::Cursor::default(),
        pending: Vec::new(),
        configurations: 0,
        any_finding: false,
    };
    let parsed = match format {
        Format::Json => state.json_units(),
        Format::Yaml => state.yaml_units(),
    };
    if let Err(e) = parsed {
        state.sink.discard();
        let what = match format {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        };
        let f = Finding::new(
            0,
            "",
            Problem::error(
                FindingCode::ParseError,
                "",
                format!("not valid {what}: {}", e.message),
            ),
        )
        .located(Location::of(text, e.offset..e.offset));
        // No snippet for a file that does not parse: its secrets cannot be found to mask.
        state.sink.findings("", vec![f]);
        return 0;
    }
    state.flush();
    if state.configurations == 0 && !state.any_finding {
        let f = Finding::new(
            0,
            "",
            Problem {
                severity: Severity::Warning,
                ..Problem::error(
                    FindingCode::NoConfiguration,
                    "",
                    "the file holds no integration configuration",
                )
            },
        )
        .located(Location::of(text, 0..0));
        state.sink.findings("", vec![f]);
    }
    state.configurations
}

/// The state of [`lint_streamed`] over one file.
struct Streaming<'s, 't> {
    text: &'t str,
    format: Format,
    options: &'s StreamOptions<'s>,
    sink: &'s mut dyn FindingSink,
    /// The text, masked unit by unit (allocated at the first unit that needs it).
    masked: Option<Vec<u8>>,
    cursor: spans::Cursor,
    /// Findings waiting for the next unit to be masked (it shares their line).
    pending: Vec<Finding>,
    configurations: usize,
    any_finding: bool,
}

impl Streaming<'_, '_> {
    /// A JSON text: element by element when it is an array (checked whole first, without
    /// building anything), else parsed whole.
    fn json_units(&mut self) -> Result<(), ParseError> {
        let text = self.text;
        let err = |e: json::JsonError| ParseError {
            offset: e.offset,
            message: e.message,
        };
        let is_array = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('[');
        if is_array {
            json::validate(text).map_err(err)?;
        }
        let Some(elements) = json::top_level_elements(text).filter(|_| is_array) else {
            let parsed = json::parse(text).map_err(err)?;
            let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let unit = Unit {
                document: 0,
                prefix: String::new(),
                value: parsed.value,
                duplicates: parsed.duplicates,
                range: start..text.len(),
                spans: UnitSpans::Json,
            };
            self.unit(unit, false);
            return Ok(());
        };
        let mut elements = elements.enumerate().peekable();
        while let Some((i, range)) = elements.next() {
            let prefix = format!("/{i}");
            // Validated whole, so an element parses (its nesting is one level less).
            let parsed = json::parse(&text[range.clone()]).map_err(err)?;
            let duplicates = parsed
                .duplicates
                .into_iter()
                .map(|d| format!("{prefix}{d}"))
                .collect();
            // Does the next element start on the line this one ends on?
            let shares_line = elements
                .peek()
                .is_some_and(|(_, next)| !text[range.end..next.start].contains('\n'));
            let unit = Unit {
                document: 0,
                prefix,
                value: parsed.value,
                duplicates,
                range,
                spans: UnitSpans::Json,
            };
            self.unit(unit, shares_line);
        }
        Ok(())
    }

    /// A YAML stream: document by document, from one pass over its events.
    fn yaml_units(&mut self) -> Result<(), ParseError> {
        for doc in yaml::Documents::new(self.text) {
            let mut doc = doc.map_err(|e| ParseError {
                offset: e.offset,
                message: e.message,
            })?;
            let range = doc.range();
            let unit = Unit {
                document: doc.index,
                prefix: String::new(),
                value: std::mem::take(&mut doc.value),
                duplicates: std::mem::take(&mut doc.duplicates),
                range,
                spans: UnitSpans::Yaml(doc),
            };
            self.unit(unit, false);
        }
        Ok(())
    }

    /// Lint one unit and hand its findings on (or keep them until the next unit is masked,
    /// when it `shares_line` with this one).
    fn unit(&mut self, mut unit: Unit<'_>, shares_line: bool) {
        let (mut findings, configs) = check_unit(&mut unit, self.format, self.options.policy);
        self.configurations += configs.len();
        let mask = self.options.masked_lines
            && (!findings.is_empty() || shares_line || !self.pending.is_empty());
        if !findings.is_empty() || mask {
            let map = unit.span_map(self.text);
            if !findings.is_empty() {
                self.place(&unit, &map, &configs, &mut findings);
            }
            if mask {
                let text = self.text;
                let masked = self.masked.get_or_insert_with(|| text.as_bytes().to_vec());
                mask_unit(masked, text, self.format, &map, &configs);
            }
        }
        if self.options.keep_configs {
            for c in configs {
                self.sink.config(c);
            }
        }
        self.any_finding |= !findings.is_empty();
        self.pending.append(&mut findings);
        if !shares_line {
            self.flush();
        }
    }

    /// Hand the pending findings to the sink.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let findings = std::mem::take(&mut self.pending);
        let masked = self
            .masked
            .as_deref()
            .filter(|_| self.options.masked_lines)
            .and_then(|m| std::str::from_utf8(m).ok())
            .unwrap_or("");
        self.sink.findings(masked, findings);
    }

    /// Locate, fix and sort the findings of a unit.
    fn place(
        &mut self,
        unit: &Unit<'_>,
        map: &SpanMap,
        configs: &[ParsedConfig],
        findings: &mut [Finding],
    ) {
        let text = self.text;
        for f in findings
            .iter_mut()
            .filter(|f| f.code == FindingCode::DuplicateKey)
        {
            f.fix = duplicate_fix(text, map, &f.pointer, f.document, configs);
        }
        let at = self.cursor.advance(text, unit.range.start);
        let mut end = (unit.range.end + 4).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let index = spans::LineIndex::part(&text[unit.range.start..end], unit.range.start, at);
        locate(&index, text, map, findings);
        if self.options.edits {
            let anchored = match &unit.spans {
                UnitSpans::Yaml(doc) => doc.anchored_ranges(),
                UnitSpans::Json => Vec::new(),
            };
            attach_edits(&index, text, self.format, map, &anchored, findings);
        }
    }
}

/// Check the configurations of a unit: its findings (not placed yet) and configurations.
fn check_unit(
    unit: &mut Unit<'_>,
    format: Format,
    policy: &EnvPolicy,
) -> (Vec<Finding>, Vec<ParsedConfig>) {
    let document = unit.document;
    let mut findings: Vec<Finding> = unit
        .duplicates
        .iter()
        .map(|pointer| Finding::new(document, "", duplicate_key(pointer)))
        .collect();
    let mut objects = Vec::new();
    match std::mem::take(&mut unit.value) {
        Value::Object(map) => objects.push((unit.prefix.clone(), map)),
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Value::Object(map) => objects.push((format!("/{i}"), map)),
                    other => findings.push(Finding::new(
                        document,
                        "",
                        not_a_config(format!("/{i}"), &other),
                    )),
                }
            }
        }
        // An empty YAML document (a trailing `---`).
        Value::Null if format == Format::Yaml => {}
        other => findings.push(Finding::new(
            document,
            "",
            not_a_config(unit.prefix.clone(), &other),
        )),
    }
    let mut configs = Vec::with_capacity(objects.len());
    for (prefix, mut map) in objects {
        let (problems, integration) = config::check_with(&mut map, policy);
        findings.extend(
            problems
                .into_iter()
                .map(|p| Finding::new(document, &prefix, p)),
        );
        configs.push(ParsedConfig {
            document,
            prefix,
            value: map,
            integration,
        });
    }
    (findings, configs)
}

fn duplicate_key(pointer: &str) -> Problem {
    let key = pointer.rsplit('/').next().unwrap_or_default();
    let key = ldic::catalog::pointer::unescape_token(key).into_owned();
    Problem {
        on_key: true,
        suggestion: Some("keep one of them".to_owned()),
        ..Problem::error(
            FindingCode::DuplicateKey,
            pointer,
            format!(
                "key \"{key}\" appears more than once in this object; which value LaunchDarkly takes is ambiguous"
            ),
        )
    }
}

fn not_a_config(pointer: String, v: &Value) -> Problem {
    Problem::error(
        FindingCode::NotAConfiguration,
        pointer,
        format!(
            "expected a configuration object ({{\"{INTEGRATION_KEY}\", \"name\", \"configValues\", ...}}), found {}",
            config::type_name(v)
        ),
    )
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
    let mut masked = text.as_bytes().to_vec();
    let mut by_document: BTreeMap<usize, Vec<&ParsedConfig>> = BTreeMap::new();
    for c in parsed {
        by_document.entry(c.document).or_default().push(c);
    }
    let wanted = by_document.keys().copied().collect();
    for doc in documents(text, format, wanted) {
        if let Some(configs) = by_document.get(&doc.index()) {
            mask_configs(&mut masked, text, format, &doc.span_map(), configs);
        }
    }
    String::from_utf8(masked).unwrap_or_default()
}

/// One document of a file, to place things in it: a JSON text is one document, its span map
/// scanned from the text; a YAML document keeps its events from the one pass over the stream.
#[derive(Debug)]
pub enum FileDocument<'t> {
    Json(&'t str),
    Yaml(yaml::Document<'t>),
}

impl FileDocument<'_> {
    /// The document's index in the file (0 for JSON).
    pub fn index(&self) -> usize {
        match self {
            FileDocument::Json(_) => 0,
            FileDocument::Yaml(doc) => doc.index,
        }
    }

    /// Where each value of the document is.
    pub fn span_map(&self) -> SpanMap {
        match self {
            FileDocument::Json(text) => json::span_map(text),
            FileDocument::Yaml(doc) => doc.span_map(),
        }
    }

    /// The byte ranges of the document's anchored YAML nodes (`&name`): an edit there would
    /// change every alias of it. None in JSON.
    pub fn anchored_ranges(&self) -> Vec<Range<usize>> {
        match self {
            FileDocument::Json(_) => Vec::new(),
            FileDocument::Yaml(doc) => doc.anchored_ranges(),
        }
    }
}

/// The documents of `text` whose index `wanted` holds, in order, from one pass over the text: a
/// YAML stream's events are walked once whatever the number of documents, and no further than
/// the last one wanted. A text that does not parse yields the documents before the error.
pub fn documents(
    text: &str,
    format: Format,
    wanted: BTreeSet<usize>,
) -> Box<dyn Iterator<Item = FileDocument<'_>> + '_> {
    match format {
        Format::Json => Box::new(
            wanted
                .contains(&0)
                .then_some(FileDocument::Json(text))
                .into_iter(),
        ),
        Format::Yaml => {
            let Some(last) = wanted.last().copied() else {
                return Box::new(std::iter::empty());
            };
            let mut docs = yaml::Documents::new(text).map_while(Result::ok);
            let mut done = false;
            Box::new(std::iter::from_fn(move || {
                while !done {
                    let doc = docs.next()?;
                    done = doc.index >= last;
                    if wanted.contains(&doc.index) {
                        return Some(FileDocument::Yaml(doc));
                    }
                }
                None
            }))
        }
    }
}

/// Give every finding its location (from `map`, positions from `index`), in file order.
fn locate(index: &spans::LineIndex<'_>, text: &str, map: &SpanMap, findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        if f.location.is_some() {
            continue;
        }
        // A missing field is reported at the object lacking it: point at that object's key.
        let on_key = f.on_key || f.code == ldic::Code::MissingRequired;
        let Some(found) = map.find(&f.pointer, on_key) else {
            f.location = Some(Location::indexed(index, text, 0..0));
            continue;
        };
        if f.code == FindingCode::DuplicateKey
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
        f.location = Some(Location::indexed(index, text, found.span));
    }
    findings.sort_by_key(|f| f.location.as_ref().map_or(0, |l| l.span.start));
}

/// Give every finding with a fix the text edit `--fix` makes for it ([`crate::fix::edit_for`]
/// over the same span map); a fix `--fix` would refuse (an alias, a merge key) gets none. Each
/// edit is the finding's own: `--fix` applies overlapping ones in later passes.
fn attach_edits(
    index: &spans::LineIndex<'_>,
    text: &str,
    format: Format,
    map: &SpanMap,
    anchored: &[Range<usize>],
    findings: &mut [Finding],
) {
    for f in findings.iter_mut() {
        let Some(fix) = f.fix.clone() else { continue };
        if let Ok(edit) = crate::fix::edit_for(text, format, map, anchored, f, &fix) {
            let (start_line, start_column) = index.line_col(edit.range.start);
            let (end_line, end_column) = index.line_col(edit.range.end);
            f.edit = Some(TextEdit {
                start_line,
                start_column,
                end_line,
                end_column,
                replacement: edit.replacement,
            });
        }
    }
}

/// Mask the secret values of one unit's configurations in `masked`.
fn mask_unit(
    masked: &mut [u8],
    text: &str,
    format: Format,
    map: &SpanMap,
    configs: &[ParsedConfig],
) {
    let configs: Vec<&ParsedConfig> = configs.iter().collect();
    mask_configs(masked, text, format, map, &configs);
}

/// Mask every value in configValues that is not known to be a non-secret: strings, numbers,
/// booleans, everything nested in an object or array given for a secret (keys included), and
/// the earlier occurrences of a duplicated member, which the parsed value no longer holds.
/// Only well-formed `${env:NAME}` references stay readable. `configs` are of the document
/// `map` covers; one pass over its nodes (not one per configuration: that was quadratic).
fn mask_configs(
    masked: &mut [u8],
    text: &str,
    format: Format,
    map: &SpanMap,
    configs: &[&ParsedConfig],
) {
    let by_prefix: HashMap<&str, &ParsedConfig> =
        configs.iter().map(|c| (c.prefix.as_str(), *c)).collect();
    for (pointer, node) in map.iter() {
        let Some((prefix, below)) = split_config_values(pointer) else {
            continue;
        };
        let Some(c) = by_prefix.get(prefix) else {
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
                mask(masked, value.clone());
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
                mask(masked, key);
            }
            if !is_container(text, &value) && !is_env_reference(text, &value) {
                mask(masked, value);
            }
        }
    }
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
    for c in candidates(paths.to_vec()) {
        match c {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

/// [`collect`] as the directory walk goes (in path order), for workers to lint while it walks.
pub fn candidates(
    paths: Vec<PathBuf>,
) -> impl Iterator<Item = Result<Candidate, PathError>> + Send {
    paths
        .into_iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = _> + Send> {
            let error = |path: &Path, message: String| PathError {
                display: display_path(path),
                message,
            };
            match std::fs::metadata(&path) {
                Err(e) => Box::new(std::iter::once(Err(error(&path, e.to_string())))),
                Ok(m) if m.is_file() => {
                    Box::new(std::iter::once(Ok(Candidate { path, named: true })))
                }
                Ok(_) => {
                    let walk = WalkBuilder::new(&path)
                        .add_custom_ignore_filename(".ldicignore")
                        .require_git(false)
                        // Only the entries of one directory are compared, and their paths are the
                        // parent's joined with each name: comparing the paths' bytes orders them as
                        // comparing their names would, without taking each path apart for its name
                        // twice a comparison (`Path::file_name`, more than half of the walk's time
                        // in a directory of 45,000 files) or comparing it component by component.
                        .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
                        .build();
                    Box::new(walk.filter_map(move |entry| match entry {
                        Ok(e) => {
                            let is_file = e.file_type().is_some_and(|t| t.is_file());
                            let ext = e.path().extension().and_then(|x| x.to_str());
                            let config = matches!(ext, Some("json" | "yaml" | "yml"));
                            (is_file && config).then(|| {
                                Ok(Candidate {
                                    path: e.into_path(),
                                    named: false,
                                })
                            })
                        }
                        Err(e) => Some(Err(error(&path, e.to_string()))),
                    }))
                }
            }
        })
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
    let Some(bytes) = read_candidate(path, require_marker)? else {
        return Ok(None);
    };
    lint_bytes(display_path(path), path, bytes, policy).map(Some)
}

/// Read and lint one file; an unreadable file is a [`PathError`].
pub fn lint_file(path: &Path) -> Result<FileLint, PathError> {
    lint_file_with(path, &EnvPolicy::default())
}

/// [`lint_file`] treating `${env:NAME}` references as `policy` says (`create` resolves them).
pub fn lint_file_with(path: &Path, policy: &EnvPolicy) -> Result<FileLint, PathError> {
    lint_bytes(display_path(path), path, read(path)?, policy)
}

/// The bytes of the file at `path`; an unreadable file is a [`PathError`].
fn read(path: &Path) -> Result<Vec<u8>, PathError> {
    std::fs::read(path).map_err(|e| PathError {
        display: display_path(path),
        message: e.to_string(),
    })
}

/// The bytes of a file found by the walk (or named); `None` when `require_marker` and it does
/// not mention [`MARKER`]. An unreadable file is a [`PathError`].
pub fn read_candidate(path: &Path, require_marker: bool) -> Result<Option<Vec<u8>>, PathError> {
    let bytes = read(path)?;
    let marked = !require_marker || bytes.windows(MARKER.len()).any(|w| w == MARKER);
    Ok(marked.then_some(bytes))
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
                findings: vec![not_utf8(&text, offset)],
                display,
                masked: String::new(),
                configurations: 0,
                parsed: Vec::new(),
            })
        }
    }
}

/// The finding of a file that is not UTF-8 (`text`: its lossy reading).
pub fn not_utf8(text: &str, offset: usize) -> Finding {
    Finding::new(
        0,
        "",
        Problem::error(FindingCode::ParseError, "", "not UTF-8 text"),
    )
    .located(Location::of(text, offset..offset))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    fn lint(name: &str, text: &str) -> FileLint {
        lint_text(name.to_owned(), Path::new(name), text.to_owned())
    }

    #[test]
    fn the_walk_yields_files_in_path_order_whatever_the_creation_order() {
        let dir = tempfile::tempdir().expect("temporary directory");
        // Created out of order; names that share prefixes with directories, upper case (sorts
        // before lower case), a name longer than its neighbour, files the walk must skip.
        let files = [
            "b.json",
            "a/z.yaml",
            "B.yml",
            "a.json",
            "a-b.json",
            "ab/c.json",
            "a/b/c.json",
            "a/a.json",
            "c.txt",
            "b/.hidden.json",
        ];
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(&path, "{}").expect("write");
        }
        let walked: Vec<String> = candidates(vec![dir.path().to_path_buf()])
            .map(|c| {
                let c = c.expect("walkable");
                let rel = c.path.strip_prefix(dir.path()).expect("under the root");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        assert_eq!(
            walked,
            [
                "B.yml",
                "a/a.json",
                "a/b/c.json",
                "a/z.yaml",
                "a-b.json",
                "a.json",
                "ab/c.json",
                "b.json",
            ]
        );
    }

    #[test]
    fn duplicate_key_points_at_the_second_key_in_json_and_yaml() {
        for (name, text, at, first) in [
            (
                "a.json",
                "{\n  \"integrationKey\": \"x\",\n  \"name\": \"a\",\n  \"name\": \"b\"\n}\n",
                (4, 3),
                3,
            ),
            ("a.yaml", "integrationKey: x\nname: a\nname: b\n", (3, 1), 2),
        ] {
            let f = lint(name, text);
            let d = f
                .findings
                .iter()
                .find(|f| f.code == FindingCode::DuplicateKey)
                .unwrap();
            let loc = d.location.as_ref().unwrap();
            assert_eq!((loc.line, loc.column), at, "{name}");
            let note = format!("first at line {first})");
            assert!(d.message.ends_with(&note), "{name}: {}", d.message);
        }
    }

    #[test]
    fn parse_error_has_a_position_and_no_snippet() {
        let f = lint("bad.yaml", "integrationKey: x\nname: [a\n");
        assert_eq!(f.findings.len(), 1);
        assert_eq!(f.findings[0].code, FindingCode::ParseError);
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
            .map(|f| (f.code.as_str(), f.pointer.as_str()))
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
        assert_eq!(f.findings[0].code, FindingCode::NoConfiguration);
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
