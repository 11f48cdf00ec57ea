//! JSON pointers (RFC 6901) and document order.
//!
//! Diagnostics are sorted in *document order*: the order in which a depth-first walk of the
//! checked `serde_json::Value` meets the location each pointer names. Object members are walked
//! in the order the `Value`'s map iterates them. The workspace builds serde_json with
//! `preserve_order`, so that is the order of the input text (without the feature it would be by
//! key, serde_json's default `BTreeMap`). A pointer
//! sorts before the pointers below it, so a problem with an object comes before problems with
//! its members; two diagnostics with the same pointer keep the order they were found in.

use serde_json::Value;

/// Append one reference token to a pointer, escaping `~` and `/`.
pub(crate) fn push(pointer: &str, token: &str) -> String {
    ldic_catalog::pointer::child(pointer, token)
}

/// Append an array index to a pointer.
pub(crate) fn push_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    ldic_catalog::pointer::unescape_token(token)
}

/// The position of `pointer` in a depth-first walk of `doc`: one index per reference token.
/// A token that names nothing sorts after every existing sibling.
pub(crate) fn order_key(doc: &Value, pointer: &str) -> Vec<usize> {
    let mut key = Vec::new();
    let mut current = Some(doc);
    if pointer.is_empty() {
        return key;
    }
    for raw in pointer.split('/').skip(1) {
        let token = unescape(raw);
        let (index, next) = match current {
            Some(Value::Object(map)) => match map.keys().position(|k| *k == token) {
                Some(i) => (i, map.get(token.as_ref())),
                None => (usize::MAX, None),
            },
            Some(Value::Array(items)) => match token.parse::<usize>() {
                Ok(i) if i < items.len() => (i, items.get(i)),
                _ => (usize::MAX, None),
            },
            _ => (usize::MAX, None),
        };
        key.push(index);
        current = next;
    }
    key
}

/// Sort diagnostics into document order (stable).
pub(crate) fn sort_in_document_order(doc: &Value, diagnostics: &mut [crate::Diagnostic]) {
    if diagnostics.len() < 2 {
        return;
    }
    let mut keyed: Vec<(Vec<usize>, usize)> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| (order_key(doc, &d.pointer), i))
        .collect();
    keyed.sort();
    let mut sorted: Vec<crate::Diagnostic> = keyed
        .into_iter()
        .map(|(_, i)| diagnostics[i].clone())
        .collect();
    diagnostics.swap_with_slice(&mut sorted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaping() {
        assert_eq!(push("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(unescape("b~1c~0d"), "b/c~d");
    }

    #[test]
    fn parents_sort_before_children_and_missing_last() {
        let doc = json!({"a": {"x": 1, "y": [1, 2]}, "b": 2});
        let k = |p: &str| order_key(&doc, p);
        assert!(k("") < k("/a"));
        assert!(k("/a") < k("/a/x"));
        assert!(k("/a/x") < k("/a/y/1"));
        assert!(k("/a/y/1") < k("/b"));
        assert!(k("/a/zzz") < k("/b"));
        assert!(k("/a/y") < k("/a/zzz"));
    }
}
