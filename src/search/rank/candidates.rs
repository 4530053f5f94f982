//! Ranking: the alerts the term lists of a query's words name, scored
//! (IDF times each posting's impact), filtered (category, tag, year,
//! scheduled alerts, excluded words) and sorted best first, each marked when
//! its text must still be checked.

use crate::search::fields::{rounded, score};
use crate::search::index::{self, Posting, TermList};
use std::collections::HashMap;

/// What narrows the results besides the words (slugs and a year).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub category: Option<String>,
    pub tag: Option<String>,
    pub year: Option<i32>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.tag.is_none() && self.year.is_none()
    }

    fn admit(&self, p: &Posting) -> bool {
        self.category.as_deref().is_none_or(|c| p.category == c)
            && self.tag.as_deref().is_none_or(|t| p.has_tag(t))
            && self.year.is_none_or(|y| year_of(p.date) == y)
    }
}

pub fn year_of(unix: i64) -> i32 {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|d| d.year())
        .unwrap_or_default()
}

/// One required word with the postings read for it.
pub struct Slot<'a> {
    /// (IDF, list) for each stem the word stands for.
    pub lists: Vec<(f64, TermList<'a>)>,
    /// Whether a result may have the word without being in these lists
    /// (a list cut to its best postings, or a prefix with more words).
    pub partial: bool,
}

impl<'a> Slot<'a> {
    pub fn new(lists: Vec<TermList<'a>>, docs: u32, more_words: bool) -> Self {
        let partial = more_words || lists.iter().any(|l| !l.complete());
        Slot {
            lists: lists
                .into_iter()
                .map(|l| (index::idf(docs, l.df), l))
                .collect(),
            partial,
        }
    }

    fn df(&self) -> u64 {
        self.lists.iter().map(|(_, l)| u64::from(l.df)).sum()
    }

    /// The best contribution of each listed alert.
    fn scores(&self) -> HashMap<&'a str, (f64, &Posting<'a>)> {
        let mut out: HashMap<&'a str, (f64, &Posting<'a>)> = HashMap::new();
        for (idf, list) in &self.lists {
            for p in &list.postings {
                let s = score(*idf, p.impact);
                let e = out.entry(p.slug).or_insert((s, p));
                if s > e.0 {
                    *e = (s, p);
                }
            }
        }
        out
    }

    /// What an alert missing from the lists is taken to score: the
    /// lowest listed.
    fn floor(&self) -> f64 {
        self.lists
            .iter()
            .filter_map(|(idf, l)| {
                let lowest = l.postings.iter().map(|p| p.impact).min()?;
                Some(score(*idf, lowest))
            })
            .fold(0.0, f64::max)
    }
}

/// An alert that may match, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub slug: &'a str,
    pub date: i64,
    pub score: f64,
    /// Its text must be checked before it is shown.
    pub verify: bool,
}

/// Ranks the alerts the lists name. Work is bounded by the postings read
/// (at most `MAX_POSTINGS` a stem), whatever the archive's size.
pub fn candidates<'a>(
    slots: &[Slot<'a>],
    excluded: &[TermList<'a>],
    has_phrases: bool,
    filters: &Filters,
    now: i64,
) -> Vec<Candidate<'a>> {
    let Some(driver) = (0..slots.len()).min_by_key(|i| slots[*i].df()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // One word, one list (most queries): its postings are the candidates,
    // sorted once; no map to build.
    if let ([slot], [] | [_]) = (slots, excluded) {
        if let [(idf, list)] = slot.lists.as_slice() {
            let excluded = excluded.first();
            for p in &list.postings {
                if p.date > now || !filters.admit(p) {
                    continue;
                }
                let mut verify = has_phrases;
                if let Some(e) = excluded {
                    if e.postings.iter().any(|x| x.slug == p.slug) {
                        continue;
                    }
                    verify |= !e.complete();
                }
                out.push(Candidate {
                    slug: p.slug,
                    date: p.date,
                    score: score(*idf, p.impact),
                    verify,
                });
            }
            sort(&mut out);
            return out;
        }
    }
    let scored: Vec<_> = slots.iter().map(Slot::scores).collect();
    // (Once per slot: each reads every posting of its lists.)
    let floors: Vec<f64> = slots.iter().map(Slot::floor).collect();
    'docs: for (slug, (score, posting)) in &scored[driver] {
        if posting.date > now || !filters.admit(posting) {
            continue;
        }
        let mut total = *score;
        let mut verify = has_phrases;
        for (i, slot) in slots.iter().enumerate() {
            if i == driver {
                continue;
            }
            match scored[i].get(slug) {
                Some((s, _)) => total += s,
                None if slot.partial => {
                    total += floors[i];
                    verify = true;
                }
                None => continue 'docs,
            }
        }
        for list in excluded {
            if list.postings.iter().any(|p| p.slug == *slug) {
                continue 'docs;
            }
            verify |= !list.complete();
        }
        out.push(Candidate {
            slug,
            date: posting.date,
            score: total,
            verify,
        });
    }
    sort(&mut out);
    out
}

/// Best first; a tie (to a thousandth) goes to the newer alert.
fn sort(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        let (sa, sb) = (rounded(a.score), rounded(b.score));
        sb.total_cmp(&sa)
            .then(b.date.cmp(&a.date))
            .then(a.slug.cmp(b.slug))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(
        slug: &'static str,
        impact: u32,
        date: i64,
        category: &'static str,
    ) -> Posting<'static> {
        Posting {
            impact,
            date,
            slug,
            category,
            tags: "",
        }
    }

    fn list<'a>(df: u32, postings: Vec<Posting<'a>>) -> TermList<'a> {
        TermList {
            df,
            postings,
            unread: 0,
        }
    }

    #[test]
    fn a_word_missing_from_a_complete_list_rejects_a_cut_list_asks_for_a_check() {
        let rare = Slot::new(
            vec![list(
                2,
                vec![posting("a", 900, 1, "x"), posting("b", 800, 2, "x")],
            )],
            100,
            false,
        );
        let complete = Slot::new(vec![list(1, vec![posting("a", 500, 1, "x")])], 100, false);
        let got = candidates(&[rare, complete], &[], false, &Filters::default(), 10);
        assert_eq!(got.iter().map(|c| c.slug).collect::<Vec<_>>(), ["a"]);
        assert!(!got[0].verify);
        let rare = Slot::new(
            vec![list(
                2,
                vec![posting("a", 900, 1, "x"), posting("b", 800, 2, "x")],
            )],
            100,
            false,
        );
        let cut = Slot::new(vec![list(90, vec![posting("a", 500, 1, "x")])], 100, false);
        let got = candidates(&[rare, cut], &[], false, &Filters::default(), 10);
        assert_eq!(got.len(), 2);
        assert!(
            !got[0].verify && got[1].verify,
            "b may have the common word: checked"
        );
    }

    #[test]
    fn exclusions_filters_and_schedules() {
        let slot = || {
            Slot::new(
                vec![list(
                    3,
                    vec![
                        posting("a", 900, 1, "x"),
                        posting("b", 800, 2, "y"),
                        posting("c", 700, 50, "x"),
                    ],
                )],
                100,
                false,
            )
        };
        let none = Filters::default();
        let all = candidates(&[slot()], &[], false, &none, 10);
        assert_eq!(
            all.iter().map(|c| c.slug).collect::<Vec<_>>(),
            ["a", "b"],
            "c is scheduled"
        );
        let excluded = [list(1, vec![posting("a", 1, 1, "x")])];
        let got = candidates(&[slot()], &excluded, false, &none, 10);
        assert_eq!(got.iter().map(|c| c.slug).collect::<Vec<_>>(), ["b"]);
        let y = Filters {
            category: Some("y".into()),
            ..Filters::default()
        };
        assert_eq!(candidates(&[slot()], &[], false, &y, 100)[0].slug, "b");
        assert!(
            candidates(&[slot()], &[], true, &none, 10)
                .iter()
                .all(|c| c.verify),
            "phrases are checked"
        );
    }

    /// Lists are stored the newest first, not the best first: an alert a
    /// cut list misses is taken to score its lowest impact, wherever it is.
    #[test]
    fn a_missing_word_scores_the_cut_list_s_lowest_impact() {
        let rare = Slot::new(vec![list(1, vec![posting("a", 900, 1, "")])], 100, false);
        let cut = Slot::new(
            vec![list(
                90,
                vec![posting("new", 100, 9, ""), posting("old", 800, 2, "")],
            )],
            100,
            false,
        );
        let idf = cut.lists[0].0;
        let expected = rare.lists[0].0 * 0.9 + idf * 0.1;
        let got = candidates(&[rare, cut], &[], false, &Filters::default(), 10);
        assert_eq!(got.len(), 1);
        assert!(got[0].verify);
        assert!((got[0].score - expected).abs() < 1e-12, "{got:?}");
    }

    #[test]
    fn equal_scores_go_to_the_newer_alert() {
        let slot = Slot::new(
            vec![list(
                2,
                vec![posting("old", 700, 1, ""), posting("new", 700, 2, "")],
            )],
            10,
            false,
        );
        let got = candidates(&[slot], &[], false, &Filters::default(), 10);
        assert_eq!(got[0].slug, "new");
    }
}
