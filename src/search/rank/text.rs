//! An alert's searchable text, analysed once per request (the body only if
//! reached): whether the alert really matches a query (every word, every
//! phrase in order, no excluded word). Its snippet is `super::snippet`'s.

use crate::i18n::Lang;
use crate::search::analyze::{self, Word, WordRanges};
use crate::search::doc::SearchDoc;
use crate::search::index::Field;
use crate::search::query::Query;
use crate::search::{arabic, languages};
use std::cell::{OnceCell, Ref, RefCell};
use std::ops::Range;
use std::rc::Rc;

/// An alert's searchable text, analysed once: checks and snippets. Each
/// field is analysed when first needed; the body (the longest part) only
/// as far as a check or the snippet reads it.
pub struct Analysed<'r> {
    doc: &'r SearchDoc,
    keys: Rc<Keys>,
    /// Title, tags and summary, each analysed when first needed (a
    /// snippet needs the summary only).
    fields: [(Field, String, OnceCell<Vec<Word>>); 3],
    body: RefCell<Body<'r>>,
}

/// The body's words read so far, and where the reading stopped (`None`
/// once at its end).
struct Body<'r> {
    words: Vec<Word>,
    rest: Option<WordRanges<'r>>,
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
    /// The Arabic letters the starts begin with (`arabic::initials`, for
    /// `languages::terms_at`).
    arabic_initials: u64,
    /// The query's language: its words are analysed only where they may
    /// match (below, and `languages::terms_at`), with its own analyzer.
    lang: Lang,
}

impl Keys {
    pub fn new(q: &Query, stems: &[Vec<String>]) -> Rc<Self> {
        // (A word's stem and its folded form mostly start alike: each
        // start once, as each result's words are compared with them all.)
        let mut starts: Vec<String> = Vec::new();
        let all = (stems.iter().flatten())
            .chain(q.required.iter().map(|r| &r.folded))
            .chain(q.phrases.iter().flatten())
            .chain(q.excluded.iter());
        for s in all {
            let s = start(s);
            if !starts.iter().any(|t| t == s) {
                starts.push(s.to_string());
            }
        }
        let initials = starts.iter().filter_map(|s| s.chars().next()).collect();
        Rc::new(Keys {
            arabic_initials: arabic::initials(starts.iter().map(String::as_str)),
            starts,
            initials,
            lang: q.lang,
        })
    }
}

/// A word of a text, stemmed only where it may matter: a result's text is
/// analysed per request, and stemming every word of a long body was most
/// of that work. A word whose start no key shares is not even folded (its
/// place is kept, for phrases and snippets). `None` for a word the index
/// skips too (too long, or nothing once folded).
fn analyse(text: &str, at: Range<usize>, keys: &Keys) -> Option<Word> {
    let Keys {
        starts, initials, ..
    } = keys;
    // Keys are folded (lower case); `s` may be an unfolded ASCII start.
    let shares = |s: &[u8]| {
        starts.iter().any(|p| {
            let p = p.as_bytes();
            s.len() <= p.len() && p[..s.len()].eq_ignore_ascii_case(s)
        })
    };
    let raw = &text[at.clone()];
    let first = raw.chars().next()?;
    // An ASCII start is compared before the word is folded (most words: no
    // allocation).
    let head = &raw.as_bytes()[..raw.len().min(SHARED_START)];
    if (first.is_ascii() && !initials.contains(&first.to_ascii_lowercase()))
        || (head.iter().all(u8::is_ascii_alphanumeric) && !shares(head))
    {
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
    let stem = if shares(start(&folded).as_bytes()) {
        analyze::stem(&folded)
    } else {
        String::new()
    };
    Some(Word { at, folded, stem })
}

/// A snippet looks this many words into a body for a matched word, at
/// most (a match past them shows the body's start, as a title match does).
const SNIPPET_SCAN: usize = 1000;

impl<'r> Analysed<'r> {
    pub fn new(doc: &'r SearchDoc, keys: Rc<Keys>) -> Self {
        let fields = doc
            .fields_but_body()
            .map(|(f, text)| (f, text, OnceCell::new()));
        let body = Body {
            words: Vec::new(),
            rest: Some(analyze::word_ranges(&doc.body)),
        };
        Analysed {
            doc,
            keys,
            fields,
            body: RefCell::new(body),
        }
    }

    /// A field's text and words (analysed on first use).
    pub(super) fn field(&self, field: Field) -> Option<(&str, &[Word])> {
        let (_, text, words) = self.fields.iter().find(|(f, _, _)| *f == field)?;
        let words = words.get_or_init(|| {
            let mut words = Vec::new();
            for at in analyze::word_ranges(text) {
                self.push_word(text, at, &mut words);
            }
            words
        });
        Some((text, words))
    }

    /// Reads the body's next word; false at its end.
    fn read_word(&self, body: &mut Body<'r>) -> bool {
        let Some(rest) = body.rest.as_mut() else {
            return false;
        };
        for at in rest {
            if self.push_word(&self.doc.body, at, &mut body.words) {
                return true;
            }
        }
        body.rest = None;
        false
    }

    /// Pushes the terms of the word of `text` at `at` (English's through
    /// `analyse`, another language's through its analyzer, each stemmed
    /// only where a key may meet it); whether any.
    fn push_word(&self, text: &str, at: Range<usize>, out: &mut Vec<Word>) -> bool {
        let keys = &self.keys;
        if keys.lang == Lang::En {
            return analyse(text, at, keys).map(|w| out.push(w)).is_some();
        }
        // A folded word's start against each key's, as far as the shorter
        // goes (a stem may be shorter than `SHARED_START`).
        // (Byte by byte: most words part from every key at their first
        // letter, and a call to compare slices of a few bytes cost more
        // than the comparing; an Arabic text offers each word's letters
        // to these keys several times.)
        let wanted = |folded: &str| {
            let s = start(folded).as_bytes();
            (keys.starts.iter()).any(|p| s.iter().zip(p.as_bytes()).all(|(a, b)| a == b))
        };
        languages::terms_at(keys.lang, text, at, keys.arabic_initials, &wanted, out)
    }

    /// Whether some word of the body ends a match (`found`, given the
    /// words up to it): the body is read only as far as the first.
    fn body_has(&self, found: impl Fn(&[Word]) -> bool) -> bool {
        let mut body = self.body.borrow_mut();
        let mut i = 0;
        while i < body.words.len() || self.read_word(&mut body) {
            if found(&body.words[..=i]) {
                return true;
            }
            i += 1;
        }
        false
    }

    /// How many of the body's words have been read, and whether all.
    #[cfg(test)]
    pub(super) fn body_read(&self) -> (usize, bool) {
        let body = self.body.borrow();
        (body.words.len(), body.rest.is_none())
    }

    /// The body's words as far as a snippet needs them: up to `after`
    /// words past the first `hit` (looked for in the first
    /// [`SNIPPET_SCAN`] words, or as far as a check has read), so that a
    /// long body is not analysed to its end for a snippet near its start.
    /// With whether these are all the body's words.
    pub(super) fn body_for_snippet(
        &self,
        hit: impl Fn(&Word) -> bool,
        after: usize,
    ) -> (&str, Ref<'_, [Word]>, bool) {
        let mut body = self.body.borrow_mut();
        let scan = SNIPPET_SCAN.max(body.words.len());
        let mut first_hit = None;
        let mut i = 0;
        while i < first_hit.map_or(scan, |h| h + 1 + after)
            && (i < body.words.len() || self.read_word(&mut body))
        {
            if first_hit.is_none() && hit(&body.words[i]) {
                first_hit = Some(i);
            }
            i += 1;
        }
        let complete = i == body.words.len() && !self.read_word(&mut body);
        drop(body);
        let body = Ref::map(self.body.borrow(), |b| &b.words[..i]);
        (&self.doc.body, body, complete)
    }

    /// Whether a field's words hold a match (`found`, given the words up
    /// to each), the body's last (read only as far as needed).
    fn has(&self, found: impl Fn(&[Word]) -> bool) -> bool {
        self.fields
            .iter()
            .filter_map(|(f, _, _)| self.field(*f))
            .any(|(_, words)| (0..words.len()).any(|i| found(&words[..=i])))
            || self.body_has(found)
    }

    fn has_word(&self, stems: &[String], prefix: Option<&str>) -> bool {
        self.has(|words| {
            words.last().is_some_and(|w| {
                stems.contains(&w.stem) || prefix.is_some_and(|p| w.folded.starts_with(p))
            })
        })
    }

    fn has_phrase(&self, phrase: &[String]) -> bool {
        self.has(|words| {
            words.len() >= phrase.len()
                && words[words.len() - phrase.len()..]
                    .iter()
                    .zip(phrase)
                    .all(|(w, s)| &w.stem == s)
        })
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

    /// A query in `lang` read against `doc`: the query, its words' stems
    /// (one each) and the text analysed for it.
    fn against<'d>(
        doc: &'d SearchDoc,
        lang: Lang,
        query: &str,
    ) -> (Query, Vec<Vec<String>>, Analysed<'d>) {
        let q = Query::parse_in(lang, query);
        let stems: Vec<Vec<String>> = q.required.iter().map(|r| vec![r.stem.clone()]).collect();
        let text = Analysed::new(doc, Keys::new(&q, &stems));
        (q, stems, text)
    }

    #[test]
    fn phrases_and_exclusions_are_checked_against_the_text() {
        let r = record("T", "The working group met; groups working elsewhere.");
        let doc = SearchDoc::of(&r);
        let check = |query: &str| {
            let (q, stems, text) = against(&doc, Lang::En, query);
            text.matches(&q, &stems)
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
    fn a_check_reads_the_body_only_as_far_as_its_match() {
        let filler = "Some words that say nothing much. ".repeat(400);
        let r = record("T", &format!("The working group met. {filler}"));
        let doc = SearchDoc::of(&r);
        let analysed = |query: &str| {
            let (q, stems, text) = against(&doc, Lang::En, query);
            (text.matches(&q, &stems), text.body_read())
        };
        assert_eq!(analysed("\"working group\""), (true, (3, false)));
        assert_eq!(analysed("met"), (true, (4, false)));
        // An absent word, or an excluded one, is looked for to the end.
        assert_eq!(analysed("absent"), (false, (2404, true)));
        assert_eq!(analysed("working -absent"), (true, (2404, true)));
    }

    /// A language's text is stemmed only where a key may meet it, and read
    /// only as far as a match: the answers are those of the whole text
    /// analysed as the index is (`languages::words_in`).
    #[test]
    fn a_translation_s_words_are_stemmed_only_where_a_query_may_meet_them() {
        use crate::search::languages::words_in;
        let texts = [
            (
                Lang::Fr,
                "Les négociations ont repris à Genève avec la société civile.",
                ["negociation", "société", "civiles", "geneve", "absent"],
            ),
            (
                Lang::Es,
                "Las negociaciones sobre ciberseguridad continúan en Nueva York.",
                ["negociacion", "ciberseguridad", "nueva", "york", "ausente"],
            ),
            (
                Lang::Ru,
                "Переговоры о кибербезопасности продолжаются в Нью-Йорке.",
                ["переговоры", "кибербезопасность", "йорк", "ёлка", "нет"],
            ),
            (
                Lang::Ar,
                "وقالت المنظمات ومفاوضات فالمفاوضات بالأمن للمنظمات وسيستمر الحوار السيبراني في ٢٠٢٤ مع الرئيس والمسؤولين",
                ["مفاوضات", "2024", "رئيس", "مسؤول", "غائب"],
            ),
            (
                Lang::Zh,
                "网络安全谈判在纽约继续进行 OEWG",
                ["网络", "谈判", "纽约", "oewg", "缺席"],
            ),
        ];
        for (lang, text, queries) in texts {
            let r = record("T", text);
            let doc = SearchDoc::of(&r);
            let all: Vec<String> = words_in(lang, &doc.body)
                .into_iter()
                .map(|w| w.stem)
                .collect();
            let mut found = 0;
            for query in queries {
                let (q, stems, text) = against(&doc, lang, query);
                let whole = stems.iter().all(|s| s.iter().any(|s| all.contains(s)));
                assert_eq!(text.matches(&q, &stems), whole, "{lang:?} {query}: {all:?}");
                found += usize::from(whole);
            }
            assert!((2..5).contains(&found), "{lang:?}: {found} of 5 found");
        }
        // An excluded word whose stem Snowball's Arabic rewrites (`ئ`).
        let r = record("T", "مفاوضات مع رئيس الوفد");
        let doc = SearchDoc::of(&r);
        let (q, stems, text) = against(&doc, Lang::Ar, "مفاوضات -رئيس");
        assert!(!text.matches(&q, &stems), "the excluded word is seen");
        // A capital `Ё` starts a word read as `е`, as the index reads it.
        let r = record("T", "Ёлки стоят у входа.");
        let doc = SearchDoc::of(&r);
        for query in ["елка", "ёлки"] {
            let (q, stems, text) = against(&doc, Lang::Ru, query);
            assert!(text.matches(&q, &stems), "{query}");
        }
        // Read only as far as the match, and a word no key meets not stemmed.
        let filler = "Des mots qui ne disent pas grand-chose. ".repeat(400);
        let r = record("T", &format!("Les négociations ont repris. {filler}"));
        let doc = SearchDoc::of(&r);
        let (q, stems, text) = against(&doc, Lang::Fr, "negociation");
        assert!(text.matches(&q, &stems));
        assert_eq!(text.body_read(), (2, false));
        let words = text.body.borrow();
        assert_eq!(words.words[0].stem, "", "`Les` is not stemmed");
        assert_ne!(words.words[1].stem, "");
    }

    /// Every word of the seed alert's translations, and each without its
    /// first letter (a word the text may lack), as a query: the text
    /// analysed only where the query's keys may meet it answers as the
    /// whole text analysed as the index is.
    #[test]
    fn each_word_of_the_translations_is_found_as_the_index_finds_it() {
        use crate::search::languages::words_in;
        let seed = |lang: &str| -> String {
            let path = format!(
                "{}/content/alerts/oewg-collective-call-against-barring-organisations.{lang}.md",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(path).unwrap();
            text.rsplit("+++").next().unwrap().to_string()
        };
        for lang in [Lang::Ar, Lang::Fr, Lang::Ru, Lang::Es, Lang::Zh] {
            let r = record("T", &seed(lang.code()));
            let doc = SearchDoc::of(&r);
            // (The title, `T`, is searched too.)
            let all = words_in(lang, &format!("T {}", doc.body));
            // Each word and it without its first letter; in Chinese, each
            // two and three characters in a row.
            let queries: Vec<String> = if lang == Lang::Zh {
                let chars: Vec<char> = doc.body.chars().collect();
                (2..4)
                    .flat_map(|n| chars.windows(n).map(|w| w.iter().collect()))
                    .collect()
            } else {
                doc.body
                    .split_whitespace()
                    .flat_map(|w| {
                        let shorter = w.char_indices().nth(1).map_or("", |(i, _)| &w[i..]);
                        [w.to_string(), shorter.to_string()]
                    })
                    .collect()
            };
            let mut checked = 0;
            for word in &queries {
                let (q, stems, text) = against(&doc, lang, word);
                if q.required.is_empty() || !q.phrases.is_empty() || !q.excluded.is_empty() {
                    continue;
                }
                // A word of the text has the stem (or starts with a prefix).
                let whole = q.required.iter().all(|r| {
                    all.iter()
                        .any(|w| w.stem == r.stem || (r.prefix && w.folded.starts_with(&r.folded)))
                });
                assert_eq!(text.matches(&q, &stems), whole, "{lang:?} {word}");
                checked += 1;
            }
            assert!(checked > 200, "{lang:?}: {checked}");
        }
    }
}
