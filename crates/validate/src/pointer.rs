//! JSON pointers (RFC 6901) and document order.
//!
//! Diagnostics are sorted in *document order*: the order in which a depth-first walk of the
//! checked `serde_json::Value` meets the location each pointer names. Object members are walked
//! in the order the `Value`'s map iterates them. The workspace builds serde_json with
//! `preserve_order`, so that is the order of the input text (without the feature it would be by
//! key, serde_json's default `BTreeMap`). A pointer
//! sorts before the pointers below it, so a problem with an object comes before problems with
//! its members; two diagnostics with the same pointer keep the order they were found in.

use crate::Text;
use serde_json::Value;

/// Append one reference token to a pointer, escaping `~` and `/`: a pointer of up to 23 bytes
/// (most pointers into `configValues`) without an allocation ([`Text`]).
pub(crate) fn push(pointer: &str, token: &str) -> Text {
    // Almost no key needs escaping: a scan of its bytes says so (the shared escape looks for
    // characters).
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        return ldic_catalog::pointer::child(pointer, token).into();
    }
    Text::concat(&[pointer, "/", token])
}

/// The length of [`push`]'s answer, without building it.
pub(crate) fn pushed_len(pointer: &str, token: &str) -> usize {
    let escapes = token.bytes().filter(|b| *b == b'~' || *b == b'/').count();
    pointer.len() + 1 + token.len() + escapes
}

/// Append an array index to a pointer.
pub(crate) fn push_index(pointer: &str, index: usize) -> Text {
    let mut digits = itoa::Buffer::new();
    Text::concat(&[pointer, "/", digits.format(index)])
}

fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    ldic_catalog::pointer::unescape_token(token)
}

/// The position of `pointer` in a depth-first walk of `doc`: one index per reference token.
/// A token that names nothing sorts after every existing sibling.
#[cfg(test)]
pub(crate) fn order_key(doc: &Value, pointer: &str) -> Vec<usize> {
    let mut key = Vec::new();
    push_order_key(doc, pointer, &mut key);
    key
}

/// The position of `pointer` in a depth-first walk of `doc` (one index per reference token; a
/// token that names nothing sorts after every existing sibling), appended to `key`.
fn push_order_key(doc: &Value, pointer: &str, key: &mut Vec<usize>) {
    let mut current = Some(doc);
    if pointer.is_empty() {
        return;
    }
    for raw in pointer.split('/').skip(1) {
        let token = unescape(raw);
        let (index, next) = match current {
            // One pass, no hashing: the member's position and value together.
            Some(Value::Object(map)) => {
                match map.iter().enumerate().find(|(_, (k, _))| **k == token) {
                    Some((i, (_, v))) => (i, Some(v)),
                    None => (usize::MAX, None),
                }
            }
            Some(Value::Array(items)) => match token.parse::<usize>() {
                Ok(i) if i < items.len() => (i, items.get(i)),
                _ => (usize::MAX, None),
            },
            _ => (usize::MAX, None),
        };
        key.push(index);
        current = next;
    }
}

/// Sort the diagnostics of one member into document order (stable): their pointers all start
/// with the member's pointer, `prefix` bytes long, and the rest is read in `member`.
pub(crate) fn sort_below(member: &Value, prefix: usize, diagnostics: &mut [crate::Diagnostic]) {
    sort_by_key_in(member, diagnostics, |d| {
        d.pointer.get(prefix..).unwrap_or("")
    });
}

/// Sort diagnostics into document order (stable). Diagnostics already in order are left as
/// they are; otherwise they are moved, never cloned.
pub(crate) fn sort_in_document_order(doc: &Value, diagnostics: &mut [crate::Diagnostic]) {
    sort_by_key_in(doc, diagnostics, |d| &d.pointer);
}

/// Sort by the position in `doc` of the pointer `pointer_of` gives for each diagnostic.
fn sort_by_key_in(
    doc: &Value,
    diagnostics: &mut [crate::Diagnostic],
    pointer_of: impl Fn(&crate::Diagnostic) -> &str,
) {
    let n = diagnostics.len();
    if n < 2 {
        return;
    }
    // Every key in one buffer: `spans[i]` is the key of diagnostic `i`.
    let mut flat = Vec::with_capacity(n * 2);
    let mut spans = Vec::with_capacity(n);
    for d in diagnostics.iter() {
        let start = flat.len();
        push_order_key(doc, pointer_of(d), &mut flat);
        spans.push((start, flat.len()));
    }
    let key = |i: usize| &flat[spans[i].0..spans[i].1];
    if (1..n).all(|i| key(i - 1) <= key(i)) {
        return;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| key(*a).cmp(key(*b)));
    let placeholder = || crate::Diagnostic::error(crate::Code::SchemaViolation, "", "");
    let mut taken: Vec<crate::Diagnostic> = diagnostics
        .iter_mut()
        .map(|d| std::mem::replace(d, placeholder()))
        .collect();
    for (slot, i) in diagnostics.iter_mut().zip(order) {
        *slot = std::mem::replace(&mut taken[i], placeholder());
    }
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
    fn pushed_len_is_the_length_of_the_pushed_pointer() {
        for (base, token) in [
            ("", ""),
            ("", "hostURL"),
            ("/configValues", "a/b~c"),
            ("/x", "~~//"),
            ("/a", "a-key-long-enough-to-leave-the-inline-storage"),
            ("/é", "ü/"),
        ] {
            assert_eq!(
                pushed_len(base, token),
                push(base, token).len(),
                "{base} {token}"
            );
        }
        assert_eq!(push_index("/a", 12), "/a/12");
    }

    #[test]
    fn sorting_is_stable_and_moves_every_diagnostic() {
        use crate::{Code, Diagnostic};
        let doc = json!({"a": 1, "b": [1, 2]});
        let d = |p: &str, m: &'static str| Diagnostic::error(Code::WrongType, Text::new(p), m);
        let mut ds = vec![
            d("/b/1", "1"),
            d("/a", "2"),
            d("", "3"),
            d("/a", "4"),
            d("/b", "5"),
        ];
        sort_in_document_order(&doc, &mut ds);
        let got: Vec<&str> = ds.iter().map(|d| d.message.as_ref()).collect();
        assert_eq!(got, ["3", "2", "4", "5", "1"]);
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
