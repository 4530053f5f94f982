//! Turning the index parts a query read into ranked candidates, and
//! checking a candidate against its alert's own text (phrases, excluded
//! words and words past a term's best postings are only known there).

use super::analyze::{self, Word};
use super::index::{self, BlockWord, Field, Posting, TermList};
use super::query::Query;
use crate::content::AlertRecord;
use std::collections::HashMap;
use std::rc::Rc;

/// At most this many words a prefix stands for (the commonest).
pub const MAX_EXPANSIONS: usize = 5;

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

/// The stems a prefix word stands for: its own, then the commonest words of
/// its block that start with it.
pub fn expansions(
    folded: &str,
    own_stem: &str,
    block: &[BlockWord],
    now: i64,
) -> (Vec<String>, bool) {
    let mut stems = vec![own_stem.to_string()];
    let mut cut = false;
    for w in block
        .iter()
        .filter(|w| w.first <= now && w.folded.starts_with(folded))
    {
        if stems.iter().any(|s| s == w.stem) {
            continue;
        }
        if stems.len() > MAX_EXPANSIONS {
            cut = true;
            break;
        }
        stems.push(w.stem.to_string());
    }
    (stems, cut)
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
                let s = idf * f64::from(p.impact) / 1000.0;
                let e = out.entry(p.slug).or_insert((s, p));
                if s > e.0 {
                    *e = (s, p);
                }
            }
        }
        out
    }

    /// What an alert missing from the lists is taken to score.
    fn floor(&self) -> f64 {
        self.lists
            .iter()
            .filter_map(|(idf, l)| {
                l.postings
                    .last()
                    .map(|p| idf * f64::from(p.impact) / 1000.0)
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
    // already in order; no map to build.
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
                    score: idf * f64::from(p.impact) / 1000.0,
                    verify,
                });
            }
            sort(&mut out);
            return out;
        }
    }
    let scored: Vec<_> = slots.iter().map(Slot::scores).collect();
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
                    total += slot.floor();
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
        let (sa, sb) = ((a.score * 1000.0).round(), (b.score * 1000.0).round());
        sb.total_cmp(&sa)
            .then(b.date.cmp(&a.date))
            .then(a.slug.cmp(b.slug))
    });
}

/// An alert's searchable text, analysed once: checks and snippets. The
/// title, tags and summary are analysed at once; the body (parsed from
/// Markdown, the costly part) only when a check or the snippet needs it.
pub struct Analysed<'r> {
    record: &'r AlertRecord,
    keys: Rc<Keys>,
    fields: Vec<(Field, String, Vec<Word>)>,
    body: std::cell::OnceCell<(String, Vec<Word>)>,
}

/// How many leading characters a word must share with a query's stem or
/// prefix to be stemmed at all (Snowball's English stems keep a word's
/// start, but for a few irregular forms such as `dying`/`die`).
const SHARED_START: usize = 3;

fn start(s: &str) -> &str {
    let end = s
        .char_indices()
        .nth(SHARED_START)
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// What of a query a result's words are compared with: the first letters of
/// its stems, words, phrases and exclusions, and their initials. Made once
/// per query, used for each result.
pub struct Keys {
    starts: Vec<String>,
    initials: Vec<char>,
}

impl Keys {
    pub fn new(q: &Query, stems: &[Vec<String>]) -> Rc<Self> {
        let mut starts: Vec<String> = stems
            .iter()
            .flatten()
            .map(|s| start(s).to_string())
            .collect();
        starts.extend(q.required.iter().map(|r| start(&r.folded).to_string()));
        starts.extend(q.phrases.iter().flatten().map(|s| start(s).to_string()));
        starts.extend(q.excluded.iter().map(|s| start(s).to_string()));
        let initials = starts.iter().filter_map(|s| s.chars().next()).collect();
        Rc::new(Keys { starts, initials })
    }
}

/// The words of `text`, stemmed only where they may matter: a result's
/// text is analysed per request, and stemming every word of a long body
/// was most of that work. A word whose first letter no key starts with is
/// not even folded (its place is kept, for phrases and snippets).
fn analyse(text: &str, keys: &Keys) -> Vec<Word> {
    let Keys { starts, initials } = keys;
    analyze::word_ranges(text)
        .filter_map(|at| {
            let raw = &text[at.clone()];
            let first = raw.chars().next()?;
            if first.is_ascii() && !initials.contains(&first.to_ascii_lowercase()) {
                return Some(Word {
                    at,
                    folded: String::new(),
                    stem: String::new(),
                });
            }
            if raw.chars().count() > analyze::MAX_WORD_CHARS {
                return None;
            }
            let folded = analyze::fold(raw);
            if folded.is_empty() {
                return None;
            }
            let s = start(&folded);
            let stem = if starts
                .iter()
                .any(|p| p == s || (s.len() < p.len() && p.starts_with(s)))
            {
                analyze::stem(&folded)
            } else {
                String::new()
            };
            Some(Word { at, folded, stem })
        })
        .collect()
}

impl<'r> Analysed<'r> {
    pub fn new(r: &'r AlertRecord, keys: Rc<Keys>) -> Self {
        let fields = index::fields_but_body(r)
            .into_iter()
            .map(|(f, text)| {
                let words = analyse(&text, &keys);
                (f, text, words)
            })
            .collect();
        Analysed {
            record: r,
            keys,
            fields,
            body: std::cell::OnceCell::new(),
        }
    }

    fn body(&self) -> (&str, &[Word]) {
        let (text, words) = self.body.get_or_init(|| {
            let text = crate::markdown::plain_text(&self.record.body);
            let words = analyse(&text, &self.keys);
            (text, words)
        });
        (text, words)
    }

    /// The fields' words, the body's last (analysed only if reached).
    fn each_field<T>(&self, mut f: impl FnMut(&[Word]) -> Option<T>) -> Option<T> {
        self.fields
            .iter()
            .find_map(|(_, _, w)| f(w))
            .or_else(|| f(self.body().1))
    }

    fn has_word(&self, stems: &[String], prefix: Option<&str>) -> bool {
        self.each_field(|words| {
            words
                .iter()
                .any(|w| stems.contains(&w.stem) || prefix.is_some_and(|p| w.folded.starts_with(p)))
                .then_some(())
        })
        .is_some()
    }

    fn has_phrase(&self, phrase: &[String]) -> bool {
        self.each_field(|words| {
            words
                .windows(phrase.len())
                .any(|win| win.iter().zip(phrase).all(|(w, s)| &w.stem == s))
                .then_some(())
        })
        .is_some()
    }

    /// Whether the alert really matches: every word (any stem a prefix
    /// stands for), every phrase in order, no excluded word.
    pub fn matches(&self, q: &Query, stems: &[Vec<String>]) -> bool {
        q.required
            .iter()
            .zip(stems)
            .all(|(r, s)| self.has_word(s, r.prefix.then_some(r.folded.as_str())))
            && q.phrases.iter().all(|p| self.has_phrase(p))
            && !q
                .excluded
                .iter()
                .any(|e| self.has_word(std::slice::from_ref(e), None))
    }

    /// About `width` words of the summary or the body around the densest
    /// run of matched words, split into plain and
    /// marked pieces. Cut pieces start or end with an ellipsis.
    pub fn snippet(&self, q: &Query, stems: &[Vec<String>], width: usize) -> Vec<(String, bool)> {
        let hit = |w: &Word| {
            q.required
                .iter()
                .zip(stems)
                .any(|(r, s)| s.contains(&w.stem) || (r.prefix && w.folded.starts_with(&r.folded)))
        };
        // The summary where a word matched (it is short, and analysed
        // already), else the body where one did; else the start of the
        // body (a match in the title or tags only: the title is already
        // shown above the snippet), else the summary.
        let summary = self
            .fields
            .iter()
            .find(|(g, _, _)| *g == Field::Summary)
            .map(|(_, t, w)| (t.as_str(), w.as_slice()));
        let chosen = summary
            .filter(|(_, w)| w.iter().any(hit))
            .or_else(|| Some(self.body()).filter(|(_, w)| w.iter().any(hit)))
            .or_else(|| Some(self.body()).filter(|(_, w)| !w.is_empty()))
            .or(summary.filter(|(_, w)| !w.is_empty()))
            .map(|(t, w)| ((), t, w));
        let Some((_, text, words)) = chosen else {
            return Vec::new();
        };
        if words.is_empty() {
            return Vec::new();
        }
        let hits: Vec<bool> = words.iter().map(hit).collect();
        // The window of `width` words with the most hits (the first such).
        let width = width.min(words.len());
        let mut best = (0, 0);
        let mut count = hits[..width].iter().filter(|h| **h).count();
        best.1 = count;
        for start in 1..=words.len() - width {
            count = count + usize::from(hits[start + width - 1]) - usize::from(hits[start - 1]);
            if count > best.1 {
                best = (start, count);
            }
        }
        // Start a few words before the first hit of the window.
        let first_hit = (best.0..best.0 + width)
            .find(|i| hits[*i])
            .unwrap_or(best.0);
        let start = first_hit.saturating_sub(width / 4).min(words.len() - width);
        let end = start + width;
        let from = if start == 0 { 0 } else { words[start].at.start };
        let to = if end == words.len() {
            text.len()
        } else {
            words[end - 1].at.end
        };
        let mut pieces: Vec<(String, bool)> = Vec::new();
        let mut at = from;
        let push = |s: &str, marked: bool, pieces: &mut Vec<(String, bool)>| {
            if !s.is_empty() {
                pieces.push((squash(s), marked));
            }
        };
        for (w, h) in words[start..end].iter().zip(&hits[start..end]) {
            if *h {
                push(&text[at..w.at.start], false, &mut pieces);
                push(&text[w.at.clone()], true, &mut pieces);
                at = w.at.end;
            }
        }
        push(&text[at..to], false, &mut pieces);
        if start > 0 {
            pieces.insert(0, ("… ".into(), false));
        }
        if end < words.len() {
            pieces.push((" …".into(), false));
        }
        pieces
    }
}

/// Each run of white space (line breaks included) as one space.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// The closest public word of a block to an unknown one (at most two
/// edits; one for short words), the commonest among equals.
pub fn closest<'a>(folded: &str, block: &[BlockWord<'a>], now: i64) -> Option<&'a str> {
    let max = if folded.chars().count() <= 4 { 1 } else { 2 };
    block
        .iter()
        .filter(|w| w.first <= now && w.folded != folded)
        .map(|w| (strsim::osa_distance(folded, w.folded), w))
        .filter(|(d, _)| *d <= max)
        .min_by(|(da, a), (db, b)| da.cmp(db).then(b.df.cmp(&a.df)))
        .map(|(_, w)| w.folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::Posting;

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
        TermList { df, postings }
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

    fn record(title: &str, body: &str) -> AlertRecord {
        AlertRecord::new(
            "a",
            title,
            chrono::DateTime::from_timestamp(0, 0).unwrap(),
            body,
        )
    }

    #[test]
    fn snippets_mark_words_around_the_densest_run() {
        let filler = "Some words that say nothing much. ".repeat(10);
        let body = format!("{filler}The OEWG denied accreditation to NGOs.\n\n{filler}");
        let q = Query::parse("accreditation");
        let stems = vec![vec!["accredit".to_string()]];
        let r = record("Title", &body);
        let text = Analysed::new(&r, Keys::new(&q, &stems));
        assert!(text.matches(&q, &stems));
        let pieces = text.snippet(&q, &stems, 12);
        assert_eq!(pieces.first().unwrap().0, "… ");
        assert_eq!(pieces.last().unwrap().0, " …");
        assert!(pieces.contains(&("accreditation".to_string(), true)));
        let words: usize = pieces
            .iter()
            .map(|(t, _)| t.split_whitespace().filter(|w| *w != "…").count())
            .sum();
        assert!(words <= 12, "{pieces:?}");
    }

    #[test]
    fn a_title_only_match_shows_the_start_of_the_body_unmarked() {
        let q = Query::parse("census");
        let stems = vec![vec!["census".to_string()]];
        let r = record("Quokka census", "Marsupials were counted.");
        let text = Analysed::new(&r, Keys::new(&q, &stems));
        let pieces = text.snippet(&q, &stems, 30);
        assert_eq!(pieces, [("Marsupials were counted. ".to_string(), false)]);
    }

    #[test]
    fn a_matching_summary_gives_the_snippet_and_the_body_is_not_parsed() {
        let mut r = record("T", "Body words about accreditation.");
        r.summary = "The summary on accreditation.".into();
        let q = Query::parse("accreditation");
        let stems = vec![vec!["accredit".to_string()]];
        let text = Analysed::new(&r, Keys::new(&q, &stems));
        let pieces = text.snippet(&q, &stems, 30);
        assert_eq!(pieces[1], ("accreditation".to_string(), true));
        assert!(pieces[0].0.starts_with("The summary"), "{pieces:?}");
        assert!(text.body.get().is_none(), "the body was not needed");
        assert!(text.matches(&q, &stems));
        assert!(
            text.body.get().is_none(),
            "the summary answered the check too"
        );
        let excluding = Query::parse("summary -words");
        let stems: Vec<Vec<String>> = excluding
            .required
            .iter()
            .map(|r| vec![r.stem.clone()])
            .collect();
        assert!(
            !Analysed::new(&r, Keys::new(&excluding, &stems)).matches(&excluding, &stems),
            "an excluded word in the body is found"
        );
    }

    #[test]
    fn phrases_and_exclusions_are_checked_against_the_text() {
        let r = record("T", "The working group met; groups working elsewhere.");
        let check = |query: &str| {
            let q = Query::parse(query);
            let stems: Vec<Vec<String>> = q.required.iter().map(|r| vec![r.stem.clone()]).collect();
            Analysed::new(&r, Keys::new(&q, &stems)).matches(&q, &stems)
        };
        assert!(check("\"working group\""));
        assert!(!check("\"group met elsewhere\""));
        assert!(!check("working -elsewhere"));
        assert!(
            check("\"the working group\""),
            "stop words in a phrase are checked in place"
        );
        assert!(!check("\"a working group\""));
    }

    #[test]
    fn the_closest_spelling_within_two_edits() {
        let block = [
            BlockWord {
                folded: "accreditation",
                stem: "accredit",
                df: 3,
                first: 0,
            },
            BlockWord {
                folded: "accredited",
                stem: "accredit",
                df: 1,
                first: 0,
            },
            BlockWord {
                folded: "embargoed",
                stem: "embargo",
                df: 1,
                first: 100,
            },
        ];
        assert_eq!(closest("acreditation", &block, 50), Some("accreditation"));
        assert_eq!(closest("xyz", &block, 50), None);
        assert_eq!(
            closest("embargod", &block, 50),
            None,
            "a scheduled alert's word"
        );
        assert_eq!(closest("embargod", &block, 100), Some("embargoed"));
        assert_eq!(expansions("emb", "emb", &block, 50).0, ["emb"]);
        assert_eq!(expansions("emb", "emb", &block, 100).0, ["emb", "embargo"]);
    }
}
