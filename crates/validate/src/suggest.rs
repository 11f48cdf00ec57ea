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
    let separator = |c: char| matches!(c, '-' | '_' | ' ' | '.');
    if s.is_ascii() {
        // What `to_lowercase` does to ASCII, without the general case mapping.
        let mut out = String::with_capacity(s.len());
        out.extend(
            s.chars()
                .filter(|c| !separator(*c))
                .map(|c| c.to_ascii_lowercase()),
        );
        return out;
    }
    s.chars()
        .filter(|c| !separator(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name folded once (what every comparison reads): its folded spelling, that spelling's
/// length in characters and its character counts. A list of allowed values or of field keys is
/// folded when its plan is built ([`NameIndex`]); a name being looked up is folded once per
/// lookup.
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    folded: String,
    chars: usize,
    counts: CharCounts,
}

impl Folded {
    pub(crate) fn new(name: &str) -> Folded {
        let folded = fold(name);
        let chars = folded.chars().count();
        let counts = CharCounts::of(&folded);
        Folded {
            folded,
            chars,
            counts,
        }
    }
}

/// How many times each character occurs, in 64 buckets (letters, digits, the rest of ASCII
/// shared; non-ASCII left out). Buckets shared by several characters and characters left out
/// can only make two counts closer, so the difference stays a lower bound of the edit distance.
#[derive(Debug, Clone, Copy)]
struct CharCounts([u8; 64]);

impl CharCounts {
    fn of(s: &str) -> CharCounts {
        let mut counts = [0u8; 64];
        for c in s.chars() {
            let bucket = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                _ if c.is_ascii() => 36 + (c as usize % 28),
                _ => continue,
            };
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        CharCounts(counts)
    }

    /// Half the size of the symmetric difference of the two multisets, rounded up: a lower
    /// bound of the edit distance (see [`distance_lower_bound`]).
    fn distance_lower_bound(&self, other: &CharCounts) -> usize {
        let mut symmetric_difference = 0u32;
        for (a, b) in self.0.iter().zip(other.0.iter()) {
            symmetric_difference += u32::from(a.abs_diff(*b));
        }
        (symmetric_difference as usize).div_ceil(2)
    }
}

/// Names folded once, for many lookups: the allowed values of an enum, the fields of a list.
#[derive(Debug, Clone)]
pub(crate) struct NameIndex {
    names: Vec<String>,
    folded: Vec<Folded>,
}

impl NameIndex {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> NameIndex {
        let names: Vec<String> = names.into_iter().map(str::to_owned).collect();
        let folded = names.iter().map(|n| Folded::new(n)).collect();
        NameIndex { names, folded }
    }

    /// The names, in their order.
    pub(crate) fn names(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.names.iter().map(String::as_str)
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The index of `name`, if it is one of the names.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Exactly [`nearest_n`] over these names.
    pub(crate) fn nearest_n(&self, found: &str, n: usize) -> Vec<&str> {
        self.nearest_n_folded(&Folded::new(found), found, n)
    }

    fn nearest_n_folded(&self, found_folded: &Folded, found: &str, n: usize) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .names
            .iter()
            .zip(&self.folded)
            .filter(|(c, _)| *c != found)
            .filter_map(|(c, fc)| score(found_folded, fc).map(|s| (s, c.as_str())))
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(n).map(|(_, c)| c).collect()
    }

    /// Exactly [`nearest`] over these names.
    pub(crate) fn nearest(&self, found: &str) -> Option<&str> {
        self.nearest_n(found, 1).into_iter().next()
    }

    /// The `n` names closest to `found` (fewer only when there are fewer names): first what
    /// [`nearest_n`] finds (plausible typos, best first, so the first is [`nearest`]'s answer),
    /// then the rest by the difference of their characters (the lower bound of the edit
    /// distance), then by difference in length, then in their order. Cheap for a long list: no
    /// edit distance beyond the plausible typos, no sort of the whole list. Also returns how many
    /// of them are plausible typos (the first of which is [`nearest`]'s answer).
    pub(crate) fn closest_n(&self, found: &str, n: usize) -> (Vec<&str>, usize) {
        let found_folded = Folded::new(found);
        // One pass: each name is a plausible typo (scored as `nearest_n` scores it) or ranks
        // among the rest by its character difference, computed once for both.
        let mut typos: Vec<(usize, &str)> = Vec::new();
        let mut best: Vec<(usize, usize, usize)> = Vec::with_capacity(n + 1);
        for (i, (name, fc)) in self.names.iter().zip(&self.folded).enumerate() {
            if name == found {
                continue;
            }
            let bound = found_folded.counts.distance_lower_bound(&fc.counts);
            if let Some(score) = score_with_bound(&found_folded, fc, bound) {
                typos.push((score, name));
                continue;
            }
            let key = (bound, found_folded.chars.abs_diff(fc.chars), i);
            if best.len() == n && best.last().is_some_and(|last| key >= *last) {
                continue;
            }
            let at = best.partition_point(|b| *b < key);
            best.insert(at, key);
            best.truncate(n);
        }
        typos.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        let mut out: Vec<&str> = typos.into_iter().take(n).map(|(_, c)| c).collect();
        let plausible = out.len();
        let need = n - plausible;
        out.extend(
            best.into_iter()
                .take(need)
                .map(|(_, _, i)| self.names[i].as_str()),
        );
        (out, plausible)
    }
}

/// The score [`nearest_n`] gives candidate `fc` for the looked-up `found` (lower is nearer), or
/// `None` when it is not a plausible typo.
fn score(found: &Folded, fc: &Folded) -> Option<usize> {
    score_of(found, fc, || found.counts.distance_lower_bound(&fc.counts))
}

/// [`score`], with the character-count bound already computed.
fn score_with_bound(found: &Folded, fc: &Folded, bound: usize) -> Option<usize> {
    score_of(found, fc, || bound)
}

fn score_of(found: &Folded, fc: &Folded, bound: impl FnOnce() -> usize) -> Option<usize> {
    let (folded_len, fc_len) = (found.chars, fc.chars);
    if folded_len == fc_len && fc.folded == found.folded {
        return Some(0);
    }
    // One edit per three characters, at least one and at most three.
    // Names of one or two characters are too short for a typo to be recognisable.
    let limit = if folded_len.min(fc_len) < 3 {
        0
    } else {
        (folded_len.max(fc_len) / 3).clamp(1, 3)
    };
    // The edit distance is at least the difference in length and the character-count bound:
    // only compute it when it can be within the limit (an enum can have a hundred long values).
    let within_reach = limit > 0 && folded_len.abs_diff(fc_len) <= limit && bound() <= limit;
    if within_reach && let Some(distance) = osa_within(&found.folded, &fc.folded, limit) {
        return Some(distance);
    }
    // A prefix shares the first byte: most names are rejected without comparing more.
    let prefix = folded_len >= 3
        && fc.folded.as_bytes().first() == found.folded.as_bytes().first()
        && (fc.folded.starts_with(&found.folded) || found.folded.starts_with(&fc.folded));
    prefix.then_some(limit + 1)
}

/// The optimal-string-alignment distance of `a` and `b` (what `strsim::osa_distance` computes)
/// when it is at most `limit`, else `None`. ASCII names of up to 64 bytes (every key and
/// allowed value of the catalog) are compared byte by byte in rows on the stack, stopping as
/// soon as a row is over the limit; anything else is left to `strsim`.
fn osa_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    const MAX: usize = 64;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || a.len() > MAX || b.len() > MAX || limit >= 50 {
        let d = strsim::osa_distance(std::str::from_utf8(a).ok()?, std::str::from_utf8(b).ok()?);
        return (d <= limit).then_some(d);
    }
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // A common prefix and suffix cost nothing: a typo of a long name is a short comparison.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    // Rows i-2, i-1 and i of the distance matrix (b.len() + 1 cells each), rotated by index;
    // a cell holds at most 64 + 1 or `FAR`, so a byte holds it. Only the band of cells within
    // `limit` of the diagonal is computed (a cell outside is more than `limit` anyway); the
    // cells just outside the band read as `FAR`.
    const FAR: u8 = 200;
    let mut rows = [[FAR; MAX + 2]; 3];
    for (j, cell) in rows[1].iter_mut().enumerate().take(b.len().min(limit) + 1) {
        *cell = j as u8;
    }
    let (mut two_back, mut one_back, mut current) = (0usize, 1usize, 2usize);
    for i in 1..=a.len() {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(b.len());
        rows[current][lo - 1] = if lo == 1 { i as u8 } else { FAR };
        let mut row_min = rows[current][lo - 1];
        for j in lo..=hi {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[one_back][j] + 1)
                .min(rows[current][j - 1] + 1)
                .min(rows[one_back][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[two_back][j - 2] + 1);
            }
            rows[current][j] = d;
            row_min = row_min.min(d);
        }
        rows[current][hi + 1] = FAR;
        if usize::from(row_min) > limit {
            return None;
        }
        (two_back, one_back, current) = (one_back, current, two_back);
    }
    let d = usize::from(rows[one_back][b.len()]);
    (d <= limit).then_some(d)
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
    let found_folded = Folded::new(found);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| *c != found)
        .filter_map(|c| score(&found_folded, &Folded::new(c)).map(|s| (s, c)))
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
#[cfg(test)]
fn distance_lower_bound(a: &str, b: &str) -> usize {
    CharCounts::of(a).distance_lower_bound(&CharCounts::of(b))
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
    fn the_folded_index_answers_as_the_plain_lookup() {
        let names = [
            "apiKey",
            "apiKye",
            "appKey",
            "hostURL",
            "hosturl",
            "host_url",
            "datadog",
            "datadg",
            "APPLICATION",
            "APPLICATION_METHOD",
            "AZURE_VM",
            "us",
            "eu",
            "a",
            "",
        ];
        let index = NameIndex::new(names);
        for found in names
            .iter()
            .chain(&["zzz", "applicaton", "HOST-URL", "dtadog"])
        {
            for n in [1, 3] {
                assert_eq!(
                    index.nearest_n(found, n),
                    nearest_n(found, names, n),
                    "{found}"
                );
            }
            let (closest, typos) = index.closest_n(found, 3);
            assert_eq!(closest.len(), 3, "{found}");
            // The plausible typos come first.
            let near = nearest_n(found, names, 3);
            assert_eq!(typos, near.len(), "{found}");
            assert_eq!(closest[..near.len()], near[..], "{found}");
        }
    }

    #[test]
    fn the_bounded_distance_is_strsims_within_the_limit() {
        let words = [
            "apikey",
            "apikye",
            "appkey",
            "hosturl",
            "datadog",
            "dtadaog",
            "ab",
            "ba",
            "",
            "a",
            "application",
            "applicationmethod",
            "héllo",
            "hello",
            "abcdef",
            "badcfe",
        ];
        for a in words {
            for b in words {
                let d = strsim::osa_distance(a, b);
                for limit in 0..8 {
                    let want = (d <= limit).then_some(d);
                    assert_eq!(osa_within(a, b, limit), want, "{a} / {b} / {limit}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Random short strings over a small alphabet (so that they are often close, and share
        /// prefixes and suffixes).
        #[test]
        fn the_bounded_distance_agrees_on_random_names(
            a in "[abc]{0,12}",
            b in "[abc]{0,12}",
            limit in 0usize..6,
        ) {
            let d = strsim::osa_distance(&a, &b);
            proptest::prop_assert_eq!(osa_within(&a, &b, limit), (d <= limit).then_some(d));
            proptest::prop_assert!(distance_lower_bound(&a, &b) <= d);
        }
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
