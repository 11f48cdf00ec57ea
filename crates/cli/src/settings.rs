//! Project settings: an `ldic.toml` found upward from the linted paths (or `--config FILE`), so a
//! team's conventions live in the repository instead of in every command line.
//!
//! ```toml
//! paths = ["launchdarkly/"]         # default paths of `ldic lint`
//! env-allow = ["DD_*", "TEAMS_*"]   # the names ${env:NAME} may reference
//! catalog = "catalog/"              # a facts directory to check against (see `--catalog`)
//!
//! [severity]                        # per code: "error", "warning" or "off"
//! literal-secret = "error"
//!
//! [[overrides]]                     # per path (globs, relative to this file), later wins
//! paths = ["legacy/**"]
//! severity = { unknown-field = "warning" }
//!
//! [[ignore]]                        # one finding, for JSON (no comments): path and pointer
//! path = "legacy/old.json"
//! pointer = "/configValues/x"
//! code = "unknown-field"            # optional: any code at that pointer without it
//! ```
//!
//! YAML files suppress one finding with a `# ldic: ignore[code]` comment on its line. An unknown
//! key or code is an error with its position in the file. Command-line flags win.

use crate::codes::FindingCode;
use crate::lint::{FileLint, Finding};
use globset::{Glob, GlobSet, GlobSetBuilder};
use ldic::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The settings file name looked for upward from the linted paths.
pub const FILE_NAME: &str = "ldic.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    env_allow: Vec<String>,
    catalog: Option<String>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Level>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Level>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    path: Spanned<String>,
    pointer: String,
    code: Option<Spanned<String>>,
}

/// Settings read from an `ldic.toml`.
#[derive(Debug)]
pub struct Settings {
    /// The file they were read from.
    pub file: PathBuf,
    /// Default paths of `ldic lint`, relative to the settings file's directory.
    pub paths: Vec<PathBuf>,
    pub env_allow: Vec<String>,
    /// The catalog directory `ldic lint` checks against when neither `--catalog` nor
    /// `LDIC_CATALOG_DIR` names one.
    pub catalog: Option<PathBuf>,
    severity: BTreeMap<FindingCode, Level>,
    overrides: Vec<(GlobSet, BTreeMap<FindingCode, Level>)>,
    ignores: Vec<(GlobSet, String, Option<FindingCode>)>,
}

/// Why a settings file was refused: the file, position and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SettingsError {
    pub file: String,
    pub message: String,
}

/// The `ldic.toml` in `start` or the nearest directory above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|f| f.is_file())
}

impl Settings {
    /// Read and check a settings file.
    pub fn load(file: &Path) -> Result<Settings, SettingsError> {
        let display = crate::lint::display_path(file);
        let err = |message: String| SettingsError {
            file: display.clone(),
            message,
        };
        let text = std::fs::read_to_string(file).map_err(|e| err(e.to_string()))?;
        let raw: Raw = toml::from_str(&text).map_err(|e| err(e.to_string().trim().to_owned()))?;
        let at = |span: std::ops::Range<usize>| {
            let (line, column) = crate::spans::line_col(&text, span.start);
            format!("line {line}, column {column}")
        };
        // A code as written in the file: one a finding can have, else an error where it is.
        let code = |name: &Spanned<String>| {
            FindingCode::parse(name.get_ref()).ok_or_else(|| {
                err(format!(
                    "{}: unknown code \"{}\"",
                    at(name.span()),
                    name.get_ref()
                ))
            })
        };
        let codes = |map: BTreeMap<Spanned<String>, Level>| {
            map.iter()
                .map(|(name, level)| Ok((code(name)?, *level)))
                .collect::<Result<BTreeMap<_, _>, _>>()
        };
        let glob = |pattern: &Spanned<String>| {
            Glob::new(pattern.get_ref()).map_err(|e| err(format!("{}: {e}", at(pattern.span()))))
        };
        let mut overrides = Vec::new();
        for o in raw.overrides {
            let mut set = GlobSetBuilder::new();
            for p in &o.paths {
                set.add(glob(p)?);
            }
            let set = set.build().map_err(|e| err(e.to_string()))?;
            overrides.push((set, codes(o.severity)?));
        }
        let mut ignores = Vec::new();
        for i in raw.ignore {
            let set = GlobSetBuilder::new()
                .add(glob(&i.path)?)
                .build()
                .map_err(|e| err(e.to_string()))?;
            let only = i.code.as_ref().map(code).transpose()?;
            ignores.push((set, i.pointer, only));
        }
        crate::config::EnvAllow::new(&raw.env_allow).map_err(|e| err(format!("env-allow: {e}")))?;
        let base = file.parent().unwrap_or(Path::new("."));
        Ok(Settings {
            file: file.to_path_buf(),
            paths: raw.paths.iter().map(|p| base.join(p)).collect(),
            env_allow: raw.env_allow,
            catalog: raw.catalog.map(|c| base.join(c)),
            severity: codes(raw.severity)?,
            overrides,
            ignores,
        })
    }

    /// `path` relative to the settings file's directory, for globs.
    /// `path` relative to the directory of the settings file (what its globs match).
    pub fn relative(&self, path: &Path) -> PathBuf {
        let base = self
            .file
            .parent()
            .and_then(|b| std::fs::canonicalize(b).ok());
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        match base {
            Some(b) => full.strip_prefix(&b).map(Path::to_path_buf).unwrap_or(full),
            None => full,
        }
    }

    /// Apply severities, overrides and suppressions to the findings of the file at `path`.
    pub fn apply(&self, path: &Path, file: &mut FileLint) {
        let rel = self.relative(path);
        self.apply_findings(&rel, &file.masked, &mut file.findings);
    }

    /// [`Settings::apply`] to some findings of a file: `rel` is [`Settings::relative`] of its
    /// path, `masked` its masked text (at least the findings' lines; empty: no inline
    /// suppressions).
    pub fn apply_findings(&self, rel: &Path, masked: &str, findings: &mut Vec<Finding>) {
        let level_of = |code: FindingCode| {
            let mut level = self.severity.get(&code).copied();
            for (set, map) in &self.overrides {
                if set.is_match(rel)
                    && let Some(l) = map.get(&code)
                {
                    level = Some(*l);
                }
            }
            level
        };
        findings.retain_mut(|f| {
            let ignored = self.ignores.iter().any(|(set, pointer, code)| {
                set.is_match(rel) && *pointer == f.pointer && code.is_none_or(|c| c == f.code)
            });
            let suppressed = !masked.is_empty()
                && f.location.as_ref().is_some_and(|l| {
                    inline_ignores(crate::spans::line_of(masked, l.span.start).0, f.code)
                });
            if ignored || suppressed {
                return false;
            }
            match level_of(f.code) {
                Some(Level::Off) => return false,
                Some(Level::Error) => f.severity = Severity::Error,
                Some(Level::Warning) => f.severity = Severity::Warning,
                None => {}
            }
            true
        });
    }
}

/// Whether a line carries `# ldic: ignore[code]` (several codes: `ignore[a, b]`; a name that is
/// no code ignores nothing).
pub fn inline_ignores(line: &str, code: FindingCode) -> bool {
    let Some(i) = line.find("# ldic: ignore[") else {
        return false;
    };
    let rest = &line[i + "# ldic: ignore[".len()..];
    rest.split_once(']').is_some_and(|(codes, _)| {
        codes
            .split(',')
            .any(|c| FindingCode::parse(c.trim()) == Some(code))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn inline_suppression_names_codes() {
        let code = FindingCode::from(ldic::Code::UnknownField);
        assert!(inline_ignores(
            "  a: b  # ldic: ignore[unknown-field]",
            code
        ));
        assert!(inline_ignores(
            "a: 1 # ldic: ignore[x, unknown-field]",
            code
        ));
        assert!(!inline_ignores("a: 1 # ldic: ignore[x]", code));
        assert!(!inline_ignores("a: 1 # ignore[unknown-field]", code));
        assert!(inline_ignores(
            "a: 1 # ldic: ignore[duplicate-key]",
            FindingCode::DuplicateKey
        ));
    }

    fn load(text: &str) -> Result<Settings, SettingsError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        std::fs::write(&file, text).unwrap();
        Settings::load(&file)
    }

    #[test]
    fn unknown_keys_and_codes_are_errors_with_positions() {
        let e = load("paths = []\nbogus = 1\n").unwrap_err();
        assert!(e.message.contains("line 2"), "{e}");
        let e =
            load("[severity]\nliteral-secret = \"error\"\nno-such-code = \"off\"\n").unwrap_err();
        assert!(
            e.message.contains("line 3, column 1") && e.message.contains("no-such-code"),
            "{e}"
        );
        let e = load("[severity]\nliteral-secret = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("line 2"), "{e}");
        let s = load(
            "catalog = \"cat\"\nenv-allow = [\"DD_*\"]\n[severity]\nliteral-secret = \"error\"\n",
        )
        .unwrap();
        assert_eq!(s.env_allow, ["DD_*"]);
        assert!(s.catalog.unwrap().ends_with("cat"));
    }
}
