//! "Did you mean" suggestions: the nearest known name to a misspelt one.
//!
//! Case and `-`/`_` differences count as an exact match (`url` for `URL`, `host_url` for
//! `hostURL`); otherwise the closest name by optimal-string-alignment distance (Levenshtein
//! plus transpositions) wins, if it is close enough to be a plausible typo. Candidates whose
//! length alone puts them out of reach are skipped without computing a distance.
//!
//! This is the one did-you-mean policy of ldic: the validator's diagnostics (so `ldic lint`),
//! `ldic explain` and every other suggestion of the CLI ask it.

/// `Hello-World_x` -> `helloworldx`: the spelling with case and separators ignored.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate nearest to `found`, if one is a plausible typo of it.
pub fn nearest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest_n(found, candidates, 1).into_iter().next()
}

/// Up to `n` candidates nearest to `found`, best first, each a plausible typo of it.
pub fn nearest_n<'a>(
    found: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let folded = fold(found);
    let folded_len = folded.chars().count();
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| *c != found)
        .filter_map(|c| {
            let fc = fold(c);
            if fc == folded {
                return Some((0, c));
            }
            let fc_len = fc.chars().count();
            // One edit per three characters, at least one and at most three.
            // Names of one or two characters are too short for a typo to be recognisable.
            let limit = if folded_len.min(fc_len) < 3 {
                0
            } else {
                (folded_len.max(fc_len) / 3).clamp(1, 3)
            };
            let prefix = folded_len >= 3 && (fc.starts_with(&folded) || folded.starts_with(&fc));
            // The edit distance is at least the difference in length: only compute it when it
            // can be within the limit (an enum can have a hundred long values).
            let within_reach = limit > 0
                && folded_len.abs_diff(fc_len) <= limit
                && distance_lower_bound(&folded, &fc) <= limit;
            let distance = within_reach
                .then(|| strsim::osa_distance(&folded, &fc))
                .filter(|d| *d <= limit);
            if let Some(d) = distance {
                Some((d, c))
            } else if prefix {
                Some((limit + 1, c))
            } else {
                None
            }
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// A cheap lower bound of the edit distance: the characters one string has and the other lacks.
///
/// An insertion or deletion changes the multiset of characters by one, a substitution by two
/// (one out, one in), a transposition not at all; so the distance is at least half the size of
/// the multisets' symmetric difference. Lets [`nearest_n`] skip most candidates of a long enum
/// without running the quadratic distance.
fn distance_lower_bound(a: &str, b: &str) -> usize {
    // Only ASCII is counted: leaving characters out can only shrink the difference.
    let mut counts = [0i32; 128];
    for c in a.chars() {
        if let Some(n) = counts.get_mut(c as usize) {
            *n += 1;
        }
    }
    for c in b.chars() {
        if let Some(n) = counts.get_mut(c as usize) {
            *n -= 1;
        }
    }
    let symmetric_difference: usize = counts.iter().map(|n| n.unsigned_abs() as usize).sum();
    symmetric_difference.div_ceil(2)
}

/// `did you mean "x"?` for the nearest candidate.
pub(crate) fn did_you_mean<'a>(
    found: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(found, candidates).map(|c| format!("did you mean \"{c}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_separators_are_exact_matches() {
        assert_eq!(nearest("url", ["URL", "uri"]), Some("URL"));
        assert_eq!(nearest("host_url", ["hostURL", "host"]), Some("hostURL"));
    }

    #[test]
    fn the_lower_bound_never_exceeds_the_distance() {
        let words = [
            "apiKey",
            "apiKye",
            "appKey",
            "hostURL",
            "hosturl",
            "datadog",
            "datadg",
            "dtadog",
            "application",
            "applicationmethod",
            "notanallowedvalue",
            "héllo",
            "hello",
            "",
            "a",
        ];
        for a in words {
            for b in words {
                assert!(
                    distance_lower_bound(a, b) <= strsim::osa_distance(a, b),
                    "{a} / {b}"
                );
            }
        }
        assert_eq!(distance_lower_bound("datadog", "dtadaog"), 0);
        assert_eq!(distance_lower_bound("abc", "xyz"), 3);
    }

    #[test]
    fn typos_and_far_names() {
        assert_eq!(nearest("apiKye", ["apiKey", "appKey"]), Some("apiKey"));
        assert_eq!(nearest("zzzzzz", ["apiKey"]), None);
        assert_eq!(
            nearest("apiKey", ["apiKey"]),
            None,
            "an exact name is not a suggestion"
        );
        assert_eq!(
            nearest_n("datadg", ["datadog", "dynatrace", "datadog-x"], 2),
            vec!["datadog", "datadog-x"]
        );
    }
}
