//! "Did you mean" suggestions: the nearest known name to a misspelt one.
//!
//! Case and separator (`-`, `_`, space, `.`) differences count as an exact match (`url` for
//! `URL`, `host_url` for `hostURL`); otherwise the closest name by optimal-string-alignment
//! distance (Levenshtein plus transpositions) wins, if it is close enough to be a plausible
//! typo. Candidates whose length or character counts put them out of reach are skipped without
//! computing a distance; in a long list of allowed values, most are ranked or rejected on their
//! character counts and first character alone, without reading their spelling.
//!
//! This is the one did-you-mean policy of ldic: the validator's diagnostics (so `ldic lint`),
//! `ldic explain` and every other suggestion of the CLI ask it.

use crate::Text;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A separator that folding drops.
fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | ' ' | '.')
}

/// `Hello-World_x` -> `helloworldx`: the spelling with case and separators ignored.
fn fold(s: &str) -> String {
    if s.is_ascii() {
        // What `to_lowercase` does to ASCII, without the general case mapping.
        let mut out = String::with_capacity(s.len());
        out.extend(
            s.chars()
                .filter(|c| !is_separator(*c))
                .map(|c| c.to_ascii_lowercase()),
        );
        return out;
    }
    s.chars()
        .filter(|c| !is_separator(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name folded once (what every comparison reads): its folded spelling, that spelling's
/// length in characters and its character counts. A list of allowed values or of field keys is
/// folded when its plan is built ([`NameIndex`]); a name being looked up is folded once per
/// lookup ([`with_folded`], on the stack when it is short ASCII).
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

    fn view(&self) -> View<'_> {
        View {
            folded: self.folded.as_bytes(),
            chars: self.chars,
            counts: &self.counts,
        }
    }
}

/// A folded name as the comparisons read it, wherever its spelling is kept (its UTF-8 bytes).
#[derive(Clone, Copy)]
struct View<'a> {
    folded: &'a [u8],
    chars: usize,
    counts: &'a CharCounts,
}

/// Run `f` on `name` folded: an ASCII name of up to 64 bytes (every key and allowed value of
/// the catalog, and most typos of them) is folded into a buffer on the stack, anything else
/// into a [`Folded`]. What a lookup does once per looked-up name, without an allocation.
fn with_folded<R>(name: &str, f: impl FnOnce(View<'_>) -> R) -> R {
    const MAX: usize = 64;
    if name.is_ascii() && name.len() <= MAX {
        let mut buf = [0u8; MAX];
        let mut len = 0;
        for b in name.bytes().filter(|b| !is_separator(char::from(*b))) {
            buf[len] = b.to_ascii_lowercase();
            len += 1;
        }
        let folded = &buf[..len];
        let counts = CharCounts::of_ascii(folded);
        return f(View {
            folded,
            chars: len,
            counts: &counts,
        });
    }
    f(Folded::new(name).view())
}

/// The bucket of an ASCII byte in [`CharCounts`] (what [`CharCounts::of`] gives its character).
fn ascii_bucket(b: u8) -> usize {
    match b {
        b'a'..=b'z' => usize::from(b - b'a'),
        b'0'..=b'9' => 26 + usize::from(b - b'0'),
        _ => 36 + usize::from(b) % 28,
    }
}

/// How many times each character occurs, in 64 buckets (letters, digits, the rest of ASCII
/// shared; non-ASCII left out). Buckets shared by several characters and characters left out
/// can only make two counts closer, so the difference stays a lower bound of the edit distance.
#[derive(Debug, Clone, Copy)]
struct CharCounts {
    counts: [u8; 64],
    /// Bit `b`: bucket `b` is not empty.
    present: u64,
    /// The sum of the counts (each saturated at 255, non-ASCII left out: not the length).
    total: u16,
}

impl CharCounts {
    fn of(s: &str) -> CharCounts {
        CharCounts::of_buckets(s.chars().filter_map(|c| {
            Some(match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                _ if c.is_ascii() => 36 + (c as usize % 28),
                _ => return None,
            })
        }))
    }

    /// [`CharCounts::of`] an ASCII spelling, byte by byte.
    fn of_ascii(s: &[u8]) -> CharCounts {
        CharCounts::of_buckets(s.iter().map(|&b| ascii_bucket(b)))
    }

    fn of_buckets(buckets: impl Iterator<Item = usize>) -> CharCounts {
        let mut c = CharCounts {
            counts: [0u8; 64],
            present: 0,
            total: 0,
        };
        for bucket in buckets {
            let count = &mut c.counts[bucket];
            if *count < u8::MAX {
                *count += 1;
                c.total += 1;
            }
            c.present |= 1 << bucket;
        }
        c
    }

    /// Half the size of the symmetric difference of the two multisets, rounded up: a lower
    /// bound of the edit distance. An insertion or deletion changes the multiset of characters
    /// by one, a substitution by two (one out, one in), a transposition not at all.
    fn distance_lower_bound(&self, other: &CharCounts) -> usize {
        let common: u16 = self
            .counts
            .iter()
            .zip(other.counts.iter())
            .map(|(&a, &b)| u16::from(a.min(b)))
            .sum();
        bound_of(self.total, other.total, common)
    }
}

/// The lower bound of the edit distance of two names with `a` and `b` characters (as counted)
/// of which `common` are shared: the symmetric difference `a + b - 2 * common`, halved, rounded up.
fn bound_of(a: u16, b: u16, common: u16) -> usize {
    usize::from(a + b - 2 * common).div_ceil(2)
}

/// The character counts of many names, one column per bucket (`columns[bucket * n + name]`):
/// the lower bound of every name against one looked-up name is a few passes over the columns
/// of the looked-up name's buckets, over all names at once, instead of 64 buckets per name.
/// Beside them, each name's first folded byte: with its bound, what most names of a long list
/// are ranked or rejected on without reading their spelling ([`NameIndex::closest_n`]).
#[derive(Debug, Clone)]
struct CountColumns {
    columns: Vec<u8>,
    totals: Vec<u16>,
    /// The first byte of each folded name ([`first_byte`]).
    firsts: Vec<u16>,
}

/// The first byte of a folded name, or 256 for the empty name: equal exactly when the two
/// folded names' first bytes are, the test the prefix branch of [`score_of`] starts with.
fn first_byte(folded: &[u8]) -> u16 {
    folded.first().map_or(256, |b| u16::from(*b))
}

/// The largest edit limit of [`score_of`]: beyond it, only a prefix is a plausible typo.
const MAX_LIMIT: usize = 3;

/// How many names [`CountColumns::for_each_bound`] bounds at once (on the stack).
const CHUNK: usize = 64;

impl CountColumns {
    fn of(names: &[Folded]) -> CountColumns {
        let n = names.len();
        let mut columns = vec![0u8; 64 * n];
        for (i, name) in names.iter().enumerate() {
            for (b, count) in name.counts.counts.iter().enumerate() {
                columns[b * n + i] = *count;
            }
        }
        CountColumns {
            columns,
            totals: names.iter().map(|f| f.counts.total).collect(),
            firsts: names
                .iter()
                .map(|f| first_byte(f.folded.as_bytes()))
                .collect(),
        }
    }

    /// Whether name `i`, `bound` from the looked-up name whose first byte is `first`, can be a
    /// plausible typo of it ([`score_of`] gives `Some` only within [`MAX_LIMIT`] edits, or for
    /// a prefix) or the same name.
    fn may_be_typo(&self, i: usize, bound: usize, first: u16) -> bool {
        bound <= MAX_LIMIT || self.firsts[i] == first
    }

    /// `f(i, bound)` for each name `i` in order, `bound` its
    /// [`CharCounts::distance_lower_bound`] against `found`.
    fn for_each_bound(&self, found: &CharCounts, mut f: impl FnMut(usize, usize)) {
        let n = self.totals.len();
        for start in (0..n).step_by(CHUNK) {
            let len = CHUNK.min(n - start);
            let mut common = [0u16; CHUNK];
            let mut buckets = found.present;
            while buckets != 0 {
                let b = buckets.trailing_zeros() as usize;
                buckets &= buckets - 1;
                let wanted = found.counts[b];
                let column = &self.columns[b * n + start..b * n + start + len];
                for (shared, &count) in common.iter_mut().zip(column) {
                    *shared += u16::from(count.min(wanted));
                }
            }
            for (k, (shared, total)) in common.iter().zip(&self.totals[start..]).enumerate() {
                f(start + k, bound_of(found.total, *total, *shared));
            }
        }
    }
}

/// What [`NameIndex::look_up`] finds for a name, as indices of the index's names.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Lookup {
    /// The nearest other name, if one is a plausible typo ([`nearest`]'s answer).
    pub(crate) nearest: Option<usize>,
    /// The first name equal to the looked-up one ignoring ASCII case (itself included).
    pub(crate) first_ignoring_case: Option<usize>,
    /// The first other name equal to it ignoring ASCII case, and how many there are.
    pub(crate) other_case: Option<usize>,
    pub(crate) other_cases: usize,
}

/// Names folded once, for many lookups: the allowed values of an enum, the fields of a list.
/// The names are kept as given (`Cow::Borrowed` from a `'static` catalog costs nothing to hand
/// out again, e.g. as a fix's new key).
#[derive(Debug, Clone)]
pub(crate) struct NameIndex {
    names: Vec<Cow<'static, str>>,
    folded: Vec<Folded>,
    /// The names' character counts, by bucket: their lower bounds, all at once. Built on the
    /// first ranking of the whole list ([`NameIndex::closest_n`], lists of allowed values).
    columns: OnceLock<CountColumns>,
    /// The message of a value that is none of the names, spelling them out quoted and joined
    /// (`... values: "a", "b"`), built on first use and shared by every report that says it.
    not_one_of: OnceLock<Text>,
    /// `did you mean "<name>"?` for each name, built on first use, shared likewise.
    did_you_mean: OnceLock<Box<[Text]>>,
}

impl NameIndex {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> NameIndex {
        NameIndex::of(names.into_iter().map(|n| Cow::Owned(n.to_owned())))
    }

    /// An index of `names` as given: borrowed names stay borrowed.
    pub(crate) fn of(names: impl IntoIterator<Item = Cow<'static, str>>) -> NameIndex {
        let names: Vec<Cow<'static, str>> = names.into_iter().collect();
        let folded: Vec<Folded> = names.iter().map(|n| Folded::new(n)).collect();
        NameIndex {
            names,
            folded,
            columns: OnceLock::new(),
            not_one_of: OnceLock::new(),
            did_you_mean: OnceLock::new(),
        }
    }

    /// The names, in their order.
    pub(crate) fn names(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.names.iter().map(|n| n.as_ref())
    }

    /// `the value is not one of the allowed values: "a", "b", "c"`: every name quoted, joined
    /// with `, `, built once.
    pub(crate) fn not_one_of(&self) -> &Text {
        self.not_one_of.get_or_init(|| {
            let quoted = crate::violations::quote_list(self.names());
            Text::shared(&["the value is not one of the allowed values: ", &quoted].concat())
        })
    }

    /// `did you mean "<name>"?` for the name at `i` (of a [`Lookup`]), built once per list.
    pub(crate) fn did_you_mean(&self, i: usize) -> Option<Text> {
        let all = self.did_you_mean.get_or_init(|| {
            self.names()
                .map(|n| Text::shared(&["did you mean \"", n, "\"?"].concat()))
                .collect()
        });
        all.get(i).cloned()
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The index of `name`, if it is one of the names.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Exactly [`nearest_n`] over these names.
    #[cfg(test)]
    pub(crate) fn nearest_n(&self, found: &str, n: usize) -> Vec<&str> {
        with_folded(found, |found_folded| {
            let mut scored: Vec<(usize, &str)> = self
                .names()
                .zip(&self.folded)
                .filter(|(c, _)| *c != found)
                .filter_map(|(c, fc)| score(found_folded, fc.view()).map(|s| (s, c)))
                .collect();
            scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
            scored.into_iter().take(n).map(|(_, c)| c).collect()
        })
    }

    /// Exactly [`nearest`] over these names: the lowest score, ties to the smallest name, in one
    /// pass without a list of candidates.
    #[cfg(test)]
    pub(crate) fn nearest(&self, found: &str) -> Option<&str> {
        self.look_up(found).nearest.map(|i| self.names[i].as_ref())
    }

    /// One pass over the names for `found`: the nearest ([`nearest`]'s answer) and the names
    /// equal to it ignoring ASCII case (which fold equal, so only names scored 0 are compared).
    pub(crate) fn look_up(&self, found: &str) -> Lookup {
        with_folded(found, |found_folded| {
            let mut best: Option<(usize, &str, usize)> = None;
            let mut lookup = Lookup::default();
            for (i, (c, fc)) in self.names().zip(&self.folded).enumerate() {
                if c == found {
                    lookup.first_ignoring_case.get_or_insert(i);
                    continue;
                }
                let Some(s) = score(found_folded, fc.view()) else {
                    continue;
                };
                if s == 0 && c.eq_ignore_ascii_case(found) {
                    lookup.first_ignoring_case.get_or_insert(i);
                    lookup.other_case.get_or_insert(i);
                    lookup.other_cases += 1;
                }
                if best.is_none_or(|(bs, bc, _)| (s, c) < (bs, bc)) {
                    best = Some((s, c, i));
                }
            }
            lookup.nearest = best.map(|(_, _, i)| i);
            lookup
        })
    }

    /// The name at `i` (of a [`Lookup`]), as kept: a clone of a borrowed name allocates nothing.
    pub(crate) fn kept(&self, i: usize) -> Option<&Cow<'static, str>> {
        self.names.get(i)
    }

    /// The name at `i` (of a [`Lookup`]).
    pub(crate) fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(|n| n.as_ref())
    }

    /// The `n` names closest to `found` (fewer only when there are fewer names): first what
    /// [`nearest_n`] finds (plausible typos, best first, so the first is [`nearest`]'s answer),
    /// then the rest by the difference of their characters (the lower bound of the edit
    /// distance), then by difference in length, then in their order. Cheap for a long list: no
    /// edit distance beyond the plausible typos, no sort of the whole list. Also returns how many
    /// of them are plausible typos (the first of which is [`nearest`]'s answer).
    pub(crate) fn closest_n(&self, found: &str, n: usize) -> (Vec<&str>, usize) {
        with_folded(found, |found_folded| {
            self.closest_n_folded(found_folded, found, n)
        })
    }

    fn closest_n_folded(
        &self,
        found_folded: View<'_>,
        found: &str,
        n: usize,
    ) -> (Vec<&str>, usize) {
        // One pass: each name is a plausible typo (scored as `nearest_n` scores it) or ranks
        // among the rest by its character difference, computed once for both.
        let mut typos: Vec<(usize, &str)> = Vec::new();
        let mut best: Vec<(usize, usize, usize)> = Vec::with_capacity(n + 1);
        // The bound of the last of `best` once it holds `n`: most names are ranked after it on
        // their bound alone.
        let mut worst_bound = usize::MAX;
        let first = first_byte(found_folded.folded);
        let columns = self.columns.get_or_init(|| CountColumns::of(&self.folded));
        columns.for_each_bound(found_folded.counts, |i, bound| {
            if columns.may_be_typo(i, bound, first) {
                let (name, fc) = (self.names[i].as_ref(), self.folded[i].view());
                if name == found {
                    return;
                }
                if let Some(score) = score_of(found_folded, fc, || bound) {
                    typos.push((score, name));
                    return;
                }
            }
            if bound > worst_bound {
                return;
            }
            let key = (bound, found_folded.chars.abs_diff(self.folded[i].chars), i);
            if best.len() == n && best.last().is_some_and(|last| key >= *last) {
                return;
            }
            let at = best.partition_point(|b| *b < key);
            best.insert(at, key);
            best.truncate(n);
            if best.len() == n {
                worst_bound = best.last().map_or(usize::MAX, |last| last.0);
            }
        });
        typos.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        let mut out: Vec<&str> = Vec::with_capacity(n);
        out.extend(typos.into_iter().take(n).map(|(_, c)| c));
        let plausible = out.len();
        let need = n - plausible;
        out.extend(
            best.into_iter()
                .take(need)
                .map(|(_, _, i)| self.names[i].as_ref()),
        );
        (out, plausible)
    }
}

/// The score [`nearest_n`] gives candidate `fc` for the looked-up `found` (lower is nearer), or
/// `None` when it is not a plausible typo.
fn score(found: View<'_>, fc: View<'_>) -> Option<usize> {
    score_of(found, fc, || found.counts.distance_lower_bound(fc.counts))
}

/// [`score`] with `bound` (asked at most once) a lower bound of the edit distance of the two
/// names: any lower bound gives the same answer, a tighter one only spares edit distances.
fn score_of(found: View<'_>, fc: View<'_>, bound: impl FnOnce() -> usize) -> Option<usize> {
    let (folded_len, fc_len) = (found.chars, fc.chars);
    if folded_len == fc_len && fc.folded == found.folded {
        return Some(0);
    }
    // One edit per three characters, at least one and at most three.
    // Names of one or two characters are too short for a typo to be recognisable.
    let limit = if folded_len.min(fc_len) < 3 {
        0
    } else {
        (folded_len.max(fc_len) / 3).clamp(1, MAX_LIMIT)
    };
    // The edit distance is at least the difference in length and the character-count bound:
    // only compute it when it can be within the limit (an enum can have a hundred long values).
    let within_reach = limit > 0 && folded_len.abs_diff(fc_len) <= limit && bound() <= limit;
    if within_reach && let Some(distance) = osa_within_bytes(found.folded, fc.folded, limit) {
        return Some(distance);
    }
    // A prefix shares the first byte: most names are rejected without comparing more.
    let prefix = folded_len >= 3
        && fc.folded.first() == found.folded.first()
        && (fc.folded.starts_with(found.folded) || found.folded.starts_with(fc.folded));
    prefix.then_some(limit + 1)
}

/// [`osa_within_bytes`] of two strings.
#[cfg(test)]
fn osa_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    osa_within_bytes(a.as_bytes(), b.as_bytes(), limit)
}

/// The optimal-string-alignment distance of the UTF-8 spellings `a` and `b` (what
/// `strsim::osa_distance` computes) when it is at most `limit`, else `None`. ASCII names of up
/// to 64 bytes (every key and allowed value of the catalog) are compared byte by byte in rows on
/// the stack, stopping as soon as a row is over the limit; anything else is left to `strsim`.
fn osa_within_bytes(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    const MAX: usize = 64;
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
    if a.is_empty() || b.is_empty() {
        // An insertion or deletion typo (a letter doubled, one left out) ends here: the distance
        // is the length difference, within the limit (checked above; the stripped prefix and
        // suffix are as long in both).
        return Some(a.len().max(b.len()));
    }
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
        .filter_map(|c| score(found_folded.view(), Folded::new(c).view()).map(|s| (s, c)))
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
            assert_eq!(index.nearest(found), nearest(found, names), "{found}");
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

        /// The one-pass ranking of [`NameIndex::closest_n`] is the plain one: the
        /// plausible typos, then every other name by character difference, length difference
        /// and position.
        #[test]
        fn the_closest_names_are_the_plainly_ranked_ones(
            names in proptest::collection::vec(
                proptest::prop_oneof![4 => "[abcxyzA09{é_. -]{0,9}", 1 => "[ab]{60,70}"],
                0..150,
            ),
            found in proptest::prop_oneof![4 => "[abcA_é]{0,9}", 1 => "[ab]{60,70}"],
            n in 0usize..5,
        ) {
            let index = NameIndex::new(names.iter().map(String::as_str));
            let typos = nearest_n(&found, names.iter().map(String::as_str), n);
            let f = Folded::new(&found);
            let mut rest: Vec<(usize, usize, usize)> = names
                .iter()
                .enumerate()
                .filter(|(_, c)| **c != found && score(f.view(), Folded::new(c).view()).is_none())
                .map(|(i, c)| {
                    let fc = Folded::new(c);
                    (plain_bound(&found, c), f.chars.abs_diff(fc.chars), i)
                })
                .collect();
            rest.sort();
            let mut want: Vec<&str> = typos.clone();
            want.extend(rest.iter().take(n - typos.len()).map(|(_, _, i)| names[*i].as_str()));
            proptest::prop_assert_eq!(index.closest_n(&found, n), (want, typos.len()));
        }
    }

    /// The character-count bound computed the plain way: the sum of the differences of the
    /// counts of the folded names, halved, rounded up.
    fn plain_bound(a: &str, b: &str) -> usize {
        let (ca, cb) = (CharCounts::of(&fold(a)), CharCounts::of(&fold(b)));
        let differences: u32 = ca
            .counts
            .iter()
            .zip(&cb.counts)
            .map(|(x, y)| u32::from(x.abs_diff(*y)))
            .sum();
        (differences as usize).div_ceil(2)
    }

    #[test]
    fn the_bound_is_half_the_sum_of_count_differences() {
        let (long, short, pairs) = ("a".repeat(300), "a".repeat(10), "ab".repeat(200));
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "xyz",
            "héllo",
            "hello",
            "é",
            "{|}",
            "A_B-c.d",
            "0123456789",
            &long,
            &short,
            &pairs,
        ];
        for a in words {
            for b in words {
                let (fa, fb) = (Folded::new(a), Folded::new(b));
                assert_eq!(
                    fa.counts.distance_lower_bound(&fb.counts),
                    plain_bound(a, b),
                    "{a} / {b}"
                );
            }
        }
        assert_eq!(distance_lower_bound("a", ""), 1, "rounded up");
        assert_eq!(
            distance_lower_bound(&long, ""),
            128,
            "a count saturates at 255"
        );
        // The columns give every name's bound, in order, across the edges of their chunks.
        for n in [0, 1, 63, 64, 65, 128, 129] {
            let names: Vec<Folded> = (0..n)
                .map(|i| Folded::new(words[i % words.len()]))
                .collect();
            let columns = CountColumns::of(&names);
            for found in words.iter().map(|w| Folded::new(w)) {
                let mut seen = 0;
                columns.for_each_bound(&found.counts, |i, bound| {
                    assert_eq!(i, seen);
                    assert_eq!(bound, found.counts.distance_lower_bound(&names[i].counts));
                    seen += 1;
                });
                assert_eq!(seen, n);
            }
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
