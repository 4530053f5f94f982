//! The analyzer: how text becomes searchable terms. The publisher indexes
//! alerts with it and the Worker reads queries with it, so a word is always
//! cut, folded and stemmed the same way on both sides.
//!
//! - **Words** are runs of letters and digits; an apostrophe inside a word
//!   joins (`don't`), a trailing `'s` is dropped (`UN’s` is `un`).
//! - **Folding** lowercases and removes diacritics (`Türkiye` is
//!   `turkiye`): each Latin letter whose canonical
//!   decomposition is a base letter and combining marks becomes that base
//!   letter (a table `build.rs` generates with `unicode-normalization`),
//!   combining marks are dropped, and the few Latin letters that do not
//!   decompose (`ø`, `ł`, `ß`, ...) are spelled out.
//! - **Stemming** is Snowball's English (Porter2) algorithm
//!   (`rust-stemmers`): `barring`, `barred` and `bars` are all `bar`.

use rust_stemmers::{Algorithm, Stemmer};
use std::ops::Range;

mod table {
    include!(concat!(env!("OUT_DIR"), "/fold.rs"));
}

/// Longer words are not indexed (they are not words: hashes, URLs run
/// together); it also keeps every index key far below KV's 512 bytes.
pub const MAX_WORD_CHARS: usize = 40;

/// A word of a text: where it is, its folded form and its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text.
    pub at: Range<usize>,
    /// Lowercased, without diacritics or apostrophes: what prefixes match.
    pub folded: String,
    /// What the index is keyed by.
    pub stem: String,
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Whether `c` is part of a word (a letter or digit): `char::is_alphanumeric`,
/// answered without its tables for the letters most texts here are made of
/// (Latin-1's, basic Cyrillic's, Arabic's): a result's text is read per
/// query, and the tables' lookup was a fifth of a Russian query's work.
fn is_word_char(c: char) -> bool {
    match c {
        c if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{ff}' => true,
        '\u{401}' | '\u{410}'..='\u{44f}' | '\u{451}' => true,
        '\u{621}'..='\u{63a}' | '\u{641}'..='\u{64a}' => true,
        c => c.is_alphanumeric(),
    }
}

/// The byte ranges of the words of `text`.
pub fn word_ranges(text: &str) -> WordRanges<'_> {
    WordRanges { text, at: 0 }
}

/// The words of a text as [`word_ranges`] reads them: a type, so that a
/// reading can be kept and resumed (a search result's body is read only as
/// far as a check or a snippet needs).
pub struct WordRanges<'t> {
    text: &'t str,
    /// The byte the reading is at.
    at: usize,
}

impl WordRanges<'_> {
    /// The character at byte `i` (an ASCII byte without decoding: most of
    /// a text, and a result's text is read per query).
    fn char_at(&self, i: usize) -> Option<char> {
        match *self.text.as_bytes().get(i)? {
            b if b.is_ascii() => Some(char::from(b)),
            _ => self.text[i..].chars().next(),
        }
    }
}

impl Iterator for WordRanges<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        // Skip to the first letter or digit.
        let start = loop {
            let c = self.char_at(self.at)?;
            self.at += c.len_utf8();
            if is_word_char(c) {
                break self.at - c.len_utf8();
            }
        };
        while let Some(c) = self.char_at(self.at) {
            let i = self.at;
            if is_word_char(c) {
                self.at += c.len_utf8();
            } else if is_apostrophe(c) {
                // Joins only between letters: `don't`; `UN’s` ends before it.
                let mut after = self.text[i + c.len_utf8()..].chars();
                match (after.next(), after.next()) {
                    (Some(n), next) if is_word_char(n) => {
                        let possessive =
                            (n == 's' || n == 'S') && next.is_none_or(|x| !is_word_char(x));
                        self.at += c.len_utf8();
                        if possessive {
                            self.at += n.len_utf8();
                            return Some(start..i);
                        }
                    }
                    _ => return Some(start..i),
                }
            } else {
                return Some(start..i);
            }
        }
        Some(start..self.text.len())
    }
}

/// Lowercase, without diacritics or apostrophes.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(|b| *b != b'\'')
                .map(|b| b.to_ascii_lowercase() as char),
        );
        return out;
    }
    for c in word.chars().flat_map(char::to_lowercase) {
        out.push_str(fold_char(c, &mut [0; 4]));
    }
    out
}

/// The first letter of `fold(word)`, without folding the rest: whether a
/// word may meet a query's keys at all, read before the word is worked on.
pub fn folded_initial(word: &str) -> Option<char> {
    word.chars()
        .flat_map(char::to_lowercase)
        .find_map(|c| fold_char(c, &mut [0; 4]).chars().next())
}

/// What one lowercase character folds to (nothing, one or two letters).
fn fold_char(c: char, buf: &mut [u8; 4]) -> &str {
    match c {
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ı' => "i",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        c if is_apostrophe(c) => "",
        // A combining mark typed on its own (decomposed input).
        '\u{300}'..='\u{36f}' => "",
        c => table::FOLD
            .binary_search_by_key(&c, |(l, _)| *l)
            .map_or(c, |i| table::FOLD[i].1)
            .encode_utf8(buf),
    }
}

/// The stem of a folded word.
pub fn stem(folded: &str) -> String {
    // A number's plural is the number (`1990s`, `under-16s`): Porter2 only
    // drops an `s` after a vowel.
    if let Some(digits) = folded.strip_suffix('s') {
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return digits.to_string();
        }
    }
    // The algorithm wants lowercase input, which `fold` guarantees.
    Stemmer::create(Algorithm::English)
        .stem(folded)
        .into_owned()
}

/// The words of `text`, folded and stemmed (over-long ones skipped).
pub fn words(text: &str) -> impl Iterator<Item = Word> + '_ {
    word_ranges(text).filter_map(move |at| {
        let raw = &text[at.clone()];
        if raw.chars().count() > MAX_WORD_CHARS {
            return None;
        }
        let folded = fold(raw);
        if folded.is_empty() {
            return None;
        }
        let stem = stem(&folded);
        Some(Word { at, folded, stem })
    })
}

/// English words too common to be worth matching on their own (Lucene's
/// English stop set): the index leaves them out and a query does not
/// require them, though a quoted phrase still checks them in place.
const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Whether a folded word is a stop word.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_are_the_alphanumeric_ones() {
        let differ: Vec<char> = (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| is_word_char(*c) != c.is_alphanumeric())
            .collect();
        assert!(differ.is_empty(), "{differ:?}");
    }

    #[test]
    fn the_folded_initial_is_the_first_letter_of_the_folded_word() {
        for word in [
            "Élan", "ÆON", "’tis", "ßa", "Ёж", "\u{301}e", "x", "'", "ŁÓDŹ",
        ] {
            assert_eq!(folded_initial(word), fold(word).chars().next(), "{word}");
        }
    }
    use test_case::test_case;

    fn stems(text: &str) -> Vec<String> {
        words(text).map(|w| w.stem).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && !is_stop_word("un"));
    }

    #[test_case("Türkiye", "turkiye")]
    #[test_case("TURKIYE", "turkiye")]
    #[test_case("İstanbul", "istanbul"; "dotted capital i")]
    #[test_case("Ørsted", "orsted"; "o with stroke")]
    #[test_case("Straße", "strasse")]
    #[test_case("Łódź", "lodz"; "l with stroke")]
    #[test_case("México", "mexico")]
    #[test_case("Việt Nam", "viet nam"; "vietnamese")]
    #[test_case("cafe\u{301}", "cafe"; "a combining accent typed on its own")]
    #[test_case("don't", "dont")]
    #[test_case("don’t", "dont")]
    fn folds_case_and_diacritics(word: &str, folded: &str) {
        let folded_table = super::table::FOLD.windows(2).all(|w| w[0].0 < w[1].0);
        assert!(folded_table, "sorted for binary search");
        assert_eq!(fold(word), folded);
    }

    #[test_case("barring", "bar")]
    #[test_case("barred", "bar")]
    #[test_case("organisations", "organis")]
    #[test_case("organisation", "organis")]
    #[test_case("accreditation", "accredit")]
    #[test_case("consultations", "consult")]
    #[test_case("16s", "16"; "a number's plural")]
    #[test_case("1990s", "1990"; "a decade")]
    fn stems_english_inflection(word: &str, expected: &str) {
        assert_eq!(stem(word), expected);
    }

    #[test]
    fn cuts_words_at_punctuation_and_drops_possessives() {
        let text = "the UN’s Open-Ended Working Group (OEWG), under-16s; rock'n'roll's end";
        let found: Vec<&str> = word_ranges(text).map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "the",
                "UN",
                "Open",
                "Ended",
                "Working",
                "Group",
                "OEWG",
                "under",
                "16s",
                "rock'n'roll",
                "end"
            ]
        );
        assert_eq!(stems("Barring organisations"), ["bar", "organis"]);
    }

    #[test]
    fn apostrophes_at_the_edges_are_not_words() {
        let text = "'quoted' ’tis dogs’ it's";
        let found: Vec<&str> = word_ranges(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["quoted", "tis", "dogs", "it"]);
    }

    #[test]
    fn over_long_words_are_skipped() {
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(stems(&format!("short {long} end")), ["short", "end"]);
    }

    #[test]
    fn analysis_never_panics_on_any_text() {
        use proptest::prelude::*;
        proptest!(|(text in "\\PC{0,80}")| {
            for w in words(&text) {
                prop_assert!(text.is_char_boundary(w.at.start) && text.is_char_boundary(w.at.end));
                prop_assert!(!w.folded.is_empty());
            }
        });
    }
}
