//! Manifests served by the LaunchDarkly API (`GET /api/v2/integration-manifests`) -> facts.
//!
//! The API answers `{"items": [...]}`, each item a manifest in the `manifest.json` format plus
//! its `key`. There is no public spec of that shape and items may lack what the repository's
//! schema requires (prose, icons, links), so the repository's JSON Schema is not applied. Each
//! item goes through the same [semantic rules](crate::rules::check_semantics) and the same
//! [extraction](crate::extract) as a repository manifest, read leniently: an item that cannot give
//! sound facts (no usable key, name or version, a malformed form variable, a broken
//! error-severity rule) is skipped with a warning naming the integration and the JSON pointer,
//! and the other items are kept. This module does no I/O, so `cargo xtask fetch --api` and a
//! run-time catalog update can share it.

use std::collections::BTreeSet;

use ldic_catalog_core::JsonType;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::extract::extract;
use crate::facts::{FieldType, IntegrationFacts};
use crate::model::Manifest;
use crate::rules::{Rule, Severity, Violation, check_semantics};

/// Deepest nesting of arrays and objects accepted in a response. Real manifests nest about ten
/// levels; the bound keeps a hostile or broken answer from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// The longest integration key accepted (keys name files in the facts directory).
pub const MAX_KEY_LEN: usize = 100;

/// A response that cannot be read at all (as opposed to one unusable item).
#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    #[error(
        "the response nests arrays/objects deeper than {max} levels (at byte {offset}): refused"
    )]
    /// The body nests deeper than the bound (refused before parsing it all).
    TooDeep {
        /// The nesting bound.
        max: usize,
        /// Where it was exceeded.
        offset: usize,
    },
    /// The body is not complete JSON.
    #[error("the response is not complete JSON ({0}): truncated or not JSON")]
    Json(#[source] serde_json::Error),
    /// The body is JSON but not `{"items": [...]}`.
    #[error("the response is not {{\"items\": [...]}}: {found}")]
    Shape {
        /// What the top level is instead.
        found: String,
    },
}

/// The facts of the usable items, and a warning for everything that was not.
#[derive(Debug, Clone, Default)]
pub struct ApiLoaded {
    /// One entry per usable item, sorted by key.
    pub facts: Vec<IntegrationFacts>,
    /// Warnings, sorted by integration and pointer. `manifest` names the integration (its key,
    /// or `/items/<n>` when the item has no usable key); `pointer` is inside the item.
    pub warnings: Vec<Violation>,
    /// Keys (or `/items/<n>`) of the items skipped, sorted.
    pub skipped: Vec<String>,
}

/// Check the nesting bound, parse, and return the `items` array.
pub fn parse_response(body: &[u8]) -> Result<Vec<Value>, ResponseError> {
    check_depth(body, MAX_DEPTH)?;
    let value: Value = serde_json::from_slice(body).map_err(ResponseError::Json)?;
    let found = match value {
        Value::Object(mut map) => match map.remove("items") {
            Some(Value::Array(items)) => return Ok(items),
            Some(other) => format!("`items` is {}", JsonType::of(&other).name()),
            None => "an object without `items`".to_owned(),
        },
        other => JsonType::of(&other).name().to_owned(),
    };
    Err(ResponseError::Shape { found })
}

/// Refuse JSON nested deeper than `max` before parsing it (strings are skipped, so brackets
/// inside them do not count).
pub fn check_depth(body: &[u8], max: usize) -> Result<(), ResponseError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &b) in body.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(ResponseError::TooDeep { max, offset });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `key` can name an integration (and its facts file): ASCII letters, digits, `-`, `_`
/// and `.`, not starting with `.`, at most [`MAX_KEY_LEN`] bytes.
pub fn is_usable_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && !key.starts_with('.')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Extract the facts of every usable item; see the module docs for what is skipped.
pub fn extract_items(items: &[Value]) -> ApiLoaded {
    let mut loaded = ApiLoaded::default();
    let mut seen = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        match extract_item(index, item, &mut seen) {
            Ok((facts, warnings)) => {
                loaded.facts.push(facts);
                loaded.warnings.extend(warnings);
            }
            Err((name, warnings)) => {
                loaded.skipped.push(name);
                loaded.warnings.extend(warnings);
            }
        }
    }
    loaded.facts.sort_by(|a, b| a.key.cmp(&b.key));
    loaded.warnings.sort();
    loaded.skipped.sort();
    loaded
}

type ItemResult = Result<(IntegrationFacts, Vec<Violation>), (String, Vec<Violation>)>;

/// One item: its facts and warnings, or the name it is reported under and why it was skipped.
fn extract_item(index: usize, item: &Value, seen: &mut BTreeSet<String>) -> ItemResult {
    let unnamed = format!("/items/{index}");
    let skip = |manifest: &str, pointer: &str, rule: Rule, expected: String| {
        (
            manifest.to_owned(),
            vec![Violation {
                manifest: manifest.to_owned(),
                pointer: pointer.to_owned(),
                rule,
                expected: format!("{expected}; integration skipped"),
            }],
        )
    };
    let Some(obj) = item.as_object() else {
        return Err(skip(
            &unnamed,
            "",
            Rule::InvalidJson,
            format!(
                "an object (a manifest plus its key), not {}",
                JsonType::of(item).name()
            ),
        ));
    };
    let key = match obj.get("key").and_then(Value::as_str) {
        Some(key) if is_usable_key(key) => key.to_owned(),
        Some(_) => {
            return Err(skip(
                &unnamed,
                "/key",
                Rule::InvalidJson,
                format!(
                    "an integration key of ASCII letters, digits, '-', '_' or '.' (not \
                     starting with '.', at most {MAX_KEY_LEN} bytes)"
                ),
            ));
        }
        None => {
            return Err(skip(
                &unnamed,
                "/key",
                Rule::InvalidJson,
                "a string `key`".to_owned(),
            ));
        }
    };
    if !seen.insert(key.clone()) {
        return Err(skip(
            &key,
            "/key",
            Rule::DuplicateKey,
            "a key no earlier item has".to_owned(),
        ));
    }
    let mut violations = check_semantics(&key, item);
    let manifest: Manifest = match serde_path_to_error::deserialize(item) {
        Ok(m) => m,
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            let expected = format!("a manifest ldic can read ({})", e.inner());
            return Err(skip(&key, &pointer, Rule::InvalidJson, expected));
        }
    };
    violations.extend(unknown_types(&key, &manifest));
    if violations.iter().any(|v| v.severity() == Severity::Error) {
        for v in &mut violations {
            if v.severity() == Severity::Error {
                v.expected.push_str("; integration skipped");
            }
        }
        return Err((key, violations));
    }
    let path = format!("integrations/{key}/manifest.json");
    Ok((extract(&key, &path, &manifest), violations))
}

/// A form-variable type this ldic does not know is kept (the field then accepts any JSON value),
/// with a warning: the repository's schema, not applied to API items, would have refused it.
fn unknown_types(key: &str, manifest: &Manifest) -> Vec<Violation> {
    let mut out = Vec::new();
    for (kind, vars) in manifest.form_lists() {
        for (i, var) in vars.iter().enumerate() {
            if let FieldType::Unknown(ty) = &var.ty {
                out.push(Violation {
                    manifest: key.to_owned(),
                    pointer: format!("{}/{i}/type", kind.manifest_pointer()),
                    rule: Rule::UnknownType,
                    expected: format!(
                        "a form-variable type ldic knows (\"{ty}\" is not one: the field accepts any value)"
                    ),
                });
            }
        }
    }
    out
}

/// `formVariables[2].type` (serde_path_to_error's path) as a JSON pointer.
pub fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&ldic_catalog_core::pointer::escape_token(key)),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// `sha256:<hex>` of a set of facts in their stored form: each `<key>.json` contributes its file
/// name, a NUL, its length (u64 little-endian) and its bytes, in key order. Equal facts give the
/// equal hashes whatever the order or formatting of the response they came from.
pub fn facts_content_hash(facts: &[IntegrationFacts]) -> String {
    let mut files: Vec<(String, String)> = facts
        .iter()
        .map(|f| (format!("{}.json", f.key), crate::store::render(f)))
        .collect();
    files.sort();
    let mut hasher = Sha256::new();
    for (name, text) in &files {
        hasher.update(name.as_bytes());
        hasher.update([0u8]);
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(key: &str, form_variables: Value) -> Value {
        json!({"key": key, "name": "Acme", "version": "1.0.0", "formVariables": form_variables,
               "capabilities": {"auditLogEventsHook": {"endpoint": {"url": "https://example.com", "method": "POST"}}}})
    }

    #[test]
    fn an_item_without_prose_gives_facts_and_no_warning() {
        let items = vec![item(
            "acme",
            json!([{"key": "region", "name": "Region", "type": "enum", "allowedValues": ["eu", "us"],
                    "defaultValue": "eu", "isOptional": true}]),
        )];
        let loaded = extract_items(&items);
        assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
        assert!(loaded.skipped.is_empty());
        let f = &loaded.facts[0];
        assert_eq!(f.key, "acme");
        assert_eq!(f.manifest_path, "integrations/acme/manifest.json");
        assert_eq!(f.capabilities, vec!["auditLogEventsHook"]);
        assert_eq!(
            f.form_lists[0].variables[0].allowed_values,
            vec!["eu", "us"]
        );
    }

    #[test]
    fn unusable_items_are_skipped_with_a_pointer_and_the_others_kept() {
        let items = vec![
            item("good", json!([])),
            // An enum without allowedValues: the error-severity rule of the git source.
            item(
                "no-values",
                json!([{"key": "e", "name": "E", "type": "enum"}]),
            ),
            // A form variable without a type.
            item("no-type", json!([{"key": "t", "name": "T"}])),
            json!({"key": "../escape", "name": "X", "version": "1.0.0"}),
            json!({"name": "No key", "version": "1.0.0"}),
            json!({"key": "no-version", "name": "X"}),
            json!("not an object"),
            item(
                "good",
                json!([{"key": "dup", "name": "D", "type": "string"}]),
            ),
        ];
        let loaded = extract_items(&items);
        let keys: Vec<_> = loaded.facts.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, vec!["good"]);
        assert!(
            loaded.facts[0].form_lists[0].variables.is_empty(),
            "first of two duplicates kept"
        );
        let found: Vec<(String, String, &str)> = loaded
            .warnings
            .iter()
            .map(|v| (v.manifest.clone(), v.pointer.clone(), v.rule.code()))
            .collect();
        let expect = |m: &str, p: &str, r: &str| {
            assert!(
                found.contains(&(m.to_owned(), p.to_owned(), r)),
                "{m}#{p} [{r}] missing from {found:#?}"
            );
        };
        expect(
            "no-values",
            "/formVariables/0/allowedValues",
            "enum-allowed-values",
        );
        expect("no-type", "/formVariables/0", "invalid-json");
        expect("/items/3", "/key", "invalid-json");
        expect("/items/4", "/key", "invalid-json");
        expect("no-version", "", "invalid-json");
        expect("/items/6", "", "invalid-json");
        expect("good", "/key", "duplicate-key");
        assert!(
            loaded
                .warnings
                .iter()
                .all(|v| v.expected.contains("skipped"))
        );
        assert_eq!(loaded.skipped.len(), 7, "{:?}", loaded.skipped);
    }

    #[test]
    fn an_unknown_type_is_kept_with_a_warning() {
        let loaded = extract_items(&[item(
            "future",
            json!([{"key": "q", "name": "Q", "type": "quantumString"}]),
        )]);
        assert_eq!(loaded.facts.len(), 1);
        assert_eq!(loaded.warnings.len(), 1);
        let w = &loaded.warnings[0];
        assert_eq!(
            (w.pointer.as_str(), w.rule),
            ("/formVariables/0/type", Rule::UnknownType)
        );
        assert!(w.expected.contains("quantumString"), "{}", w.expected);
    }

    #[test]
    fn warnings_of_the_git_source_keep_the_item() {
        // defaultValue without isOptional is a warning upstream too.
        let loaded = extract_items(&[item(
            "lenient",
            json!([{"key": "s", "name": "S", "type": "string", "defaultValue": "x"}]),
        )]);
        assert_eq!(loaded.facts.len(), 1);
        assert_eq!(loaded.warnings[0].rule, Rule::DefaultWithoutOptional);
        assert!(!loaded.warnings[0].expected.contains("skipped"));
    }

    #[test]
    fn responses_that_cannot_be_read() {
        assert_eq!(parse_response(br#"{"items":[1,2]}"#).unwrap().len(), 2);
        let truncated = parse_response(br#"{"items":[{"key":"a""#).unwrap_err();
        assert!(matches!(truncated, ResponseError::Json(_)), "{truncated}");
        assert!(truncated.to_string().contains("truncated"), "{truncated}");
        let shape = parse_response(br#"{"data":[]}"#).unwrap_err();
        assert!(shape.to_string().contains("without `items`"), "{shape}");
        let shape = parse_response(b"[]").unwrap_err();
        assert!(shape.to_string().contains("an array"), "{shape}");
        let deep = format!("{{\"items\":{}{}}}", "[".repeat(100), "]".repeat(100));
        let err = parse_response(deep.as_bytes()).unwrap_err();
        assert!(
            matches!(err, ResponseError::TooDeep { max: MAX_DEPTH, .. }),
            "{err}"
        );
        // Brackets inside strings (escaped quotes included) do not count.
        let text = format!("{{\"items\":[\"\\\"{}\"]}}", "[".repeat(100));
        assert_eq!(parse_response(text.as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn content_hash_follows_the_facts_not_their_order() {
        let a = extract_items(&[item("a", json!([])), item("b", json!([]))]).facts;
        let mut reversed = a.clone();
        reversed.reverse();
        assert_eq!(facts_content_hash(&a), facts_content_hash(&reversed));
        let changed = extract_items(&[item("a", json!([])), item("c", json!([]))]).facts;
        assert_ne!(facts_content_hash(&a), facts_content_hash(&changed));
        assert!(facts_content_hash(&a).starts_with("sha256:"));
    }

    #[test]
    fn keys_that_can_name_a_file() {
        for ok in ["datadog", "roost.ai", "a_b-c", "X1"] {
            assert!(is_usable_key(ok), "{ok}");
        }
        for bad in [
            "",
            ".hidden",
            "a/b",
            "..",
            "a b",
            &"k".repeat(MAX_KEY_LEN + 1),
        ] {
            assert!(!is_usable_key(bad), "{bad}");
        }
    }
}
