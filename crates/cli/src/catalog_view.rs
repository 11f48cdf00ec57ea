//! `ldic list` and `ldic explain`: the catalog as tables a person can read.

use crate::active_catalog::active;
use ldic::catalog::{FieldMeta, FormList, Integration};
use serde_json::{Value, json};

/// The integration with this key, or an error message with the nearest key.
pub fn lookup(key: &str) -> Result<&'static Integration, String> {
    active().get(key).ok_or_else(|| {
        let mut msg = format!("no integration has the key \"{key}\"");
        if let Some(near) = nearest_key(key) {
            msg.push_str(&format!("; did you mean \"{near}\"?"));
        }
        msg.push_str(" (`ldic list` shows every key)");
        msg
    })
}

/// The catalog key closest to `key`, if one is close.
/// The policy is the validator's (`ldic::suggest`), so `explain` and `lint` suggest alike.
pub fn nearest_key(key: &str) -> Option<&'static str> {
    ldic::suggest::nearest(key, active().iter().map(|i| i.key.as_ref()))
}

/// Columns aligned with spaces; the last column is not padded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn field_count(i: &Integration) -> usize {
    i.config_values_list().map_or(0, |l| l.fields.len())
}

/// `ldic list` as text.
pub fn list_text() -> String {
    let rows: Vec<Vec<String>> = active()
        .iter()
        .map(|i| {
            vec![
                i.key.to_string(),
                i.name.to_string(),
                field_count(i).to_string(),
                i.capabilities.join(", "),
            ]
        })
        .collect();
    let mut out = table(&["KEY", "NAME", "FIELDS", "CAPABILITIES"], &rows);
    out.push_str(&format!("\n{} integrations\n", rows.len()));
    out
}

/// `ldic list --format json`.
pub fn list_json() -> Value {
    Value::Array(
        active()
            .iter()
            .map(|i| {
                json!({
                    "key": i.key,
                    "name": i.name,
                    "version": i.version,
                    "capabilities": i.capabilities,
                    "fields": field_count(i),
                })
            })
            .collect(),
    )
}

fn yes(b: bool) -> String {
    if b { "yes".to_owned() } else { String::new() }
}

fn field_row(f: &FieldMeta) -> Vec<String> {
    vec![
        f.key.to_string(),
        f.label.to_string(),
        f.ty.as_str().to_owned(),
        yes(f.required),
        yes(f.is_secret),
        f.default_json.as_deref().unwrap_or("").to_owned(),
        f.allowed_values.join(", "),
    ]
}

fn list_title(i: &Integration, list: &FormList) -> String {
    if i.config_values_list()
        .is_some_and(|l| std::ptr::eq(l, list))
    {
        format!("configValues ({})", list.kind)
    } else {
        format!("{} (capability form)", list.kind)
    }
}

/// `ldic explain KEY`.
pub fn explain(i: &Integration) -> String {
    let mut out = format!(
        "{} ({}), manifest version {}\ncapabilities: {}\nmanifest: {}\n",
        i.name,
        i.key,
        i.version,
        if i.capabilities.is_empty() {
            "none".to_owned()
        } else {
            i.capabilities.join(", ")
        },
        if i.manifest_url.is_empty() {
            "none public (fetched from the LaunchDarkly API)"
        } else {
            &i.manifest_url
        },
    );
    if i.lists.is_empty() {
        out.push_str("\nno form variables: configValues must be empty\n");
    }
    for list in i.lists.iter() {
        out.push_str(&format!("\n{}\n", list_title(i, list)));
        let rows: Vec<Vec<String>> = list.fields.iter().map(field_row).collect();
        out.push_str(&table(
            &[
                "KEY", "LABEL", "TYPE", "REQUIRED", "SECRET", "DEFAULT", "ALLOWED",
            ],
            &rows,
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn table_aligns_by_characters() {
        let t = table(
            &["A", "B", "C"],
            &[
                vec!["\u{e9}\u{e9}".into(), "x".into(), "".into()],
                vec!["a".into(), "".into(), "z".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines, vec!["A   B  C", "\u{e9}\u{e9}  x", "a      z"]);
    }
}
