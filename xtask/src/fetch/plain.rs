//! A plain directory as the source: an offline snapshot of the upstream tree.
//!
//! The lock records the upstream repository URL and the commit the directory was taken from
//! (`--rev`, else the commit its `SNAPSHOT.md` names), so the committed lock can be reproduced with
//! git2 from the real repository, plus a content hash of the files read.

use std::path::Path;

use anyhow::Context as _;
use ldic_manifest::facts::UpstreamLock;
use ldic_manifest::tree::UpstreamTree;

pub fn resolve(dir: &Path, rev: Option<&str>) -> anyhow::Result<(UpstreamTree, UpstreamLock)> {
    let tree = UpstreamTree::open(dir)?;
    let snapshot = std::fs::read_to_string(dir.join("SNAPSHOT.md")).unwrap_or_default();
    let commit = match rev {
        Some(rev) => rev.to_owned(),
        None => find_commit(&snapshot).with_context(|| {
            format!(
                "{}: a plain directory needs --rev <upstream commit> (no SNAPSHOT.md naming one)",
                dir.display()
            )
        })?,
    };
    let commit_date = find_date_near(&snapshot, &commit).unwrap_or_else(|| "unknown".to_owned());
    let content_hash = tree.content_hash()?;
    Ok((
        tree,
        UpstreamLock {
            source: UpstreamLock::DEFAULT_SOURCE.to_owned(),
            commit,
            commit_date,
            base_url: None,
            fetched_at: None,
            content_hash: Some(content_hash),
        },
    ))
}

/// The first 40-hex-digit word of `text`.
fn find_commit(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 40)
        .map(str::to_owned)
}

/// The first `YYYY-MM-DD` after `commit` in `text` (SNAPSHOT.md writes the commit in backticks, then the date in parentheses).
fn find_date_near(text: &str, commit: &str) -> Option<String> {
    let start = text.find(commit)? + commit.len();
    let rest = &text[start..];
    let bytes = rest.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let cand = rest.get(i..i + 10)?;
        let b = cand.as_bytes();
        let ok = b.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        ok.then(|| cand.to_owned())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_md_commit_and_date() {
        let text =
            "from X at commit\n`35c6f7470bc99bdb706d5f1c6f23033f22d5591d` (2025-11-19). Apache";
        let c = find_commit(text).unwrap();
        assert_eq!(c, "35c6f7470bc99bdb706d5f1c6f23033f22d5591d");
        assert_eq!(find_date_near(text, &c).as_deref(), Some("2025-11-19"));
        assert_eq!(find_date_near(text, "nope"), None);
        assert_eq!(find_commit("no commit here"), None);
    }
}
