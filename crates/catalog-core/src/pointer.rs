//! JSON pointer reference tokens (RFC 6901): the one escaping every crate uses.
//!
//! Pointers name where a problem is (diagnostics, manifest rules, plans, the fake's errors); a key
//! holding `~` or `/` must be escaped the same way everywhere, or a pointer from one crate would
//! not find its place in another's span map.

use std::borrow::Cow;

/// `~` as `~0` and `/` as `~1`; borrowed when there is nothing to escape.
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The inverse of [`escape_token`]: `~1` as `/`, then `~0` as `~`.
pub fn unescape_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Append `/token` (escaped) to `pointer`.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape_token(token));
}

/// The pointer `base` + `/token` (escaped).
pub fn child(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    push_token(&mut out, token);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn escapes_and_round_trips() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(escape_token("~1"), "~01");
        assert_eq!(unescape_token("~01"), "~1");
        for token in ["plain", "a/b", "~", "~1/~0", ""] {
            assert_eq!(unescape_token(&escape_token(token)), token);
        }
        assert!(matches!(escape_token("plain"), Cow::Borrowed(_)));
        assert_eq!(child("/configValues", "x/y"), "/configValues/x~1y");
        assert_eq!(child("", "k"), "/k");
    }
}
