//! An alert's searchable text, analysed once per request (the body only if
//! reached): whether the alert really matches a query (every word, every
//! phrase in order, no excluded word). Its snippet is `super::snippet`'s.

use crate::search::analyze::{self, Word};
use crate::search::doc::SearchDoc;
use crate::search::index::Field;
use crate::search::query::Query;
use std::rc::Rc;

/// An alert's searchable text, analysed once: checks and snippets. The
/// title, tags and summary are analysed at once; the body (the longest
/// part) only when a check or the snippet needs it.
pub struct Analysed<'r> {
    doc: &'r SearchDoc,
    keys: Rc<Keys>,
    pub(super) fields: Vec<(Field, String, Vec<Word>)>,
    pub(super) body: std::cell::OnceCell<Vec<Word>>,
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

/// Where [`analyse`] may stop: `after` words past the first word that is a
/// `hit`, or [`SNIPPET_SCAN`] words when none is.
pub(super) struct Stop<'h> {
    pub hit: &'h dyn Fn(&Word) -> bool,
    pub after: usize,
}

/// The words of `text`, stemmed only where they may matter: a result's
/// text is analysed per request, and stemming every word of a long body
/// was most of that work. A word whose start no key shares is not even
/// folded (its place is kept, for phrases and snippets). With whether these
/// are all of `text`'s words (not if `stop` ended the reading).
fn analyse(text: &str, keys: &Keys, stop: Option<Stop>) -> (Vec<Word>, bool) {
    let Keys { starts, initials } = keys;
    // Keys are folded (lower case); `s` may be an unfolded ASCII start.
    let shares = |s: &[u8]| {
        starts.iter().any(|p| {
            let p = p.as_bytes();
            s.len() <= p.len() && p[..s.len()].eq_ignore_ascii_case(s)
        })
    };
    let mut words = Vec::new();
    let mut first_hit = None;
    for at in analyze::word_ranges(text) {
        if let Some(Stop { after, .. }) = &stop {
            if words.len() >= first_hit.map_or(SNIPPET_SCAN, |i: usize| i + 1 + after) {
                return (words, false);
            }
        }
        let raw = &text[at.clone()];
        let Some(first) = raw.chars().next() else {
            continue;
        };
        // An ASCII start is compared before the word is folded (most
        // words: no allocation).
        let head = &raw.as_bytes()[..raw.len().min(SHARED_START)];
        let (folded, stem) = if (first.is_ascii()
            && !initials.contains(&first.to_ascii_lowercase()))
            || (head.iter().all(u8::is_ascii_alphanumeric) && !shares(head))
        {
            (String::new(), String::new())
        } else {
            if raw.chars().count() > analyze::MAX_WORD_CHARS {
                continue;
            }
            let folded = analyze::fold(raw);
            if folded.is_empty() {
                continue;
            }
            let stem = if shares(start(&folded).as_bytes()) {
                analyze::stem(&folded)
            } else {
                String::new()
            };
            (folded, stem)
        };
        let word = Word { at, folded, stem };
        if first_hit.is_none() && stop.as_ref().is_some_and(|s| (s.hit)(&word)) {
            first_hit = Some(words.len());
        }
        words.push(word);
    }
    (words, true)
}

/// A snippet looks this many words into a body for a matched word, at
/// most (a match past them shows the body's start, as a title match does).
const SNIPPET_SCAN: usize = 1000;

impl<'r> Analysed<'r> {
    pub fn new(doc: &'r SearchDoc, keys: Rc<Keys>) -> Self {
        let fields = doc
            .fields_but_body()
            .into_iter()
            .map(|(f, text)| {
                let (words, _) = analyse(&text, &keys, None);
                (f, text, words)
            })
            .collect();
        Analysed {
            doc,
            keys,
            fields,
            body: std::cell::OnceCell::new(),
        }
    }

    pub(super) fn body(&self) -> (&str, &[Word]) {
        let words = self
            .body
            .get_or_init(|| analyse(&self.doc.body, &self.keys, None).0);
        (&self.doc.body, words)
    }

    /// The body's words as far as a snippet needs them: up to `after`
    /// words past the first `hit` (the first [`SNIPPET_SCAN`] when none is
    /// there), so that a long body is not analysed to its end for a
    /// snippet near its start. All of it if a check analysed it already.
    /// With whether these are all the body's words.
    pub(super) fn body_for_snippet(
        &self,
        hit: &dyn Fn(&Word) -> bool,
        after: usize,
    ) -> (&str, std::borrow::Cow<'_, [Word]>, bool) {
        if let Some(all) = self.body.get() {
            return (&self.doc.body, all.as_slice().into(), true);
        }
        let (words, complete) = analyse(&self.doc.body, &self.keys, Some(Stop { hit, after }));
        (&self.doc.body, words.into(), complete)
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
}

#[cfg(test)]
mod tests {
    use super::super::tests::record;
    use super::*;

    #[test]
    fn phrases_and_exclusions_are_checked_against_the_text() {
        let r = record("T", "The working group met; groups working elsewhere.");
        let check = |query: &str| {
            let q = Query::parse(query);
            let stems: Vec<Vec<String>> = q.required.iter().map(|r| vec![r.stem.clone()]).collect();
            Analysed::new(&SearchDoc::of(&r), Keys::new(&q, &stems)).matches(&q, &stems)
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
}
