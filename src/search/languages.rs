//! The analyzer in each of the site's six languages (issue 24): how a text
//! in Arabic, Chinese, French, Russian or Spanish becomes searchable terms,
//! beside English's (`super::analyze`). The publisher will index each
//! translation with its language's analyzer and the Worker read a query
//! with the same one, so that a word is cut, normalised and stemmed alike.
//!
//! - **French, Spanish, Russian**: words as in English, lowercased, stemmed
//!   by their Snowball algorithm (`rust-stemmers`), then folded (diacritics
//!   removed, `ё` read as `е`; a Spanish `-cion` read as `-ción`), so that
//!   `négociations` and a query typed without accents, `negociation`, meet.
//! - **Arabic**: normalised first (the short-vowel and other marks and the
//!   tatweel removed; `أ`, `إ`, `آ`, `ٱ` read as `ا`; `ى` as `ي`; `ة` as
//!   `ه`), the article and the particles joined to it removed (Snowball
//!   stems a word with and without it differently), then stemmed by
//!   Snowball's Arabic algorithm (the common prefixes and suffixes).
//! - **Chinese**: no spaces between words, so a run of Han characters is
//!   indexed as each character and each overlapping pair of characters
//!   (`网络安全`: `网`, `络`, `安`, `全`, `网络`, `络安`, `安全`). A query is
//!   read the same way and needs all its pairs (or its one character), so
//!   that a word of any length is found wherever its characters are
//!   adjacent. Latin words and digits among them are English's.

use super::analyze::{self, Word, MAX_WORD_CHARS};
use crate::i18n::Lang;
use rust_stemmers::{Algorithm, Stemmer};

/// The Snowball algorithm that stems `lang`, if one does (English is
/// `super::analyze`'s, Chinese has none).
fn snowball(lang: Lang) -> Option<Algorithm> {
    match lang {
        Lang::Ar => Some(Algorithm::Arabic),
        Lang::Fr => Some(Algorithm::French),
        Lang::Ru => Some(Algorithm::Russian),
        Lang::Es => Some(Algorithm::Spanish),
        Lang::En | Lang::Zh => None,
    }
}

/// Whether `c` is a Han character (CJK Unified Ideographs and their first
/// extension, and the compatibility block).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Arabic text normalised for search: marks and tatweel removed, letter
/// variants unified (see the module's documentation).
pub fn normalise_arabic(word: &str) -> String {
    word.chars().filter_map(arabic_letter).collect()
}

/// One character as Arabic normalisation leaves it (`None`: a mark or the
/// tatweel, removed).
fn arabic_letter(c: char) -> Option<char> {
    match c {
        '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{0640}' => None,
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ى' => Some('ي'),
        'ة' => Some('ه'),
        c => Some(c),
    }
}

/// Whether a key may meet an Arabic word (of at most `MAX_WORD_CHARS`)
/// wherever Snowball may leave its stem's start: some three letters of it
/// (fewer at its end), normalised as the word would be, that `wanted`
/// takes, a hamza's seat (`ؤ`, `ئ`) as Snowball rewrites it (`ء` where
/// the stem ends on it, else `و`, `ي`: each way). A word with a letter
/// that is not a plain Arabic letter (but for a word of ASCII letters and
/// digits only), or with none, may always meet one. Read
/// before the word is normalised, folded and stemmed, which most words of
/// a text never need.
///
/// `initials` (bits of [`arabic_initials`]) are the letters the keys
/// start with: a window starting with none of them is refused before it
/// is offered to `wanted` (a text's words are offered several windows
/// each, and most windows start with no key's letter).
fn arabic_may_meet(raw: &str, initials: u64, wanted: &dyn Fn(&str) -> bool) -> bool {
    // Digits and Latin letters alone (`2024`, `OEWG`): Snowball's Arabic
    // leaves them as they are (its rules are Arabic letters'), so their
    // first one decides, as in the other languages.
    if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let first = raw.as_bytes().first().map(u8::to_ascii_lowercase);
        return first.is_some_and(|b| wanted(std::str::from_utf8(&[b]).unwrap_or("")));
    }
    // The letters, each two bytes of UTF-8 (U+0621 to U+064A), a hamza's
    // seat (`ؤ`, `ئ`) as Snowball writes it but at the stem's end: `و`,
    // `ي` (and `seats` says where).
    let mut buf = [0u8; 2 * MAX_WORD_CHARS];
    // The bit of each letter a window may start at, as the window may
    // begin (a seat: also `ء`'s).
    let mut firsts = [0u64; ARABIC_STEM_STARTS];
    let mut n = 0;
    let mut seats: u64 = 0;
    for c in raw.chars().filter_map(arabic_letter) {
        if !matches!(c, 'ء'..='غ' | 'ف'..='ي') || n == MAX_WORD_CHARS {
            return true;
        }
        let seat = matches!(c, 'ؤ' | 'ئ');
        seats |= u64::from(seat) << n;
        let c = match c {
            'ؤ' => 'و',
            'ئ' => 'ي',
            c => c,
        };
        if let Some(first) = firsts.get_mut(n) {
            *first = arabic_bit(c) | if seat { arabic_bit('ء') } else { 0 };
        }
        c.encode_utf8(&mut buf[2 * n..]);
        n += 1;
    }
    let starts = n.min(ARABIC_STEM_STARTS);
    n == 0
        || (0..starts).any(|j| {
            if firsts[j] & initials == 0 {
                return false;
            }
            let len = n.min(j + 3) - j;
            // A seat in the window is `ء` where the stem ends on it: each
            // of the window's seats either way.
            let here = (seats >> j) & ((1 << len) - 1);
            (0..=here).filter(|m| m & !here == 0).any(|m| {
                let mut window = [0u8; 6];
                window[..2 * len].copy_from_slice(&buf[2 * j..2 * (j + len)]);
                for k in (0..len).filter(|k| m >> k & 1 == 1) {
                    'ء'.encode_utf8(&mut window[2 * k..]);
                }
                std::str::from_utf8(&window[..2 * len]).is_ok_and(wanted)
            })
        })
}

/// [`arabic_initials`] of no key in particular: every window is offered.
pub const ARABIC_ANY: u64 = u64::MAX;

/// An Arabic letter's bit (U+0621 to U+064A; none for another character).
fn arabic_bit(c: char) -> u64 {
    match c {
        'ء'..='ي' => 1 << (c as u32 - 'ء' as u32),
        _ => 0,
    }
}

/// The Arabic letters the keys `starts` begin with, as bits, for
/// [`terms_at`]: a word no window of which starts with one of them is
/// refused before its windows are compared with the keys (an empty start,
/// which meets every word: all of them).
pub fn arabic_initials<'a>(starts: impl IntoIterator<Item = &'a str>) -> u64 {
    starts
        .into_iter()
        .fold(0, |bits, s| match s.chars().next() {
            Some(c) => bits | arabic_bit(c),
            None => ARABIC_ANY,
        })
}

/// The definite article and the particles joined to it (`ال`, `وال`,
/// `بال`, `كال`, `فال`, `لل`), as Lucene's light stemmer removes them, when
/// at least three letters are left. Snowball's Arabic stems a word with
/// the article and without it differently (`المفاوضات`: `مفاوض`;
/// `مفاوضات`: `مفاوضا`), so that a query typed with the article would miss
/// the text's word without it: both are stemmed without it.
fn without_article(word: &str) -> &str {
    for prefix in ["وال", "بال", "كال", "فال", "ال", "لل"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            if rest.chars().count() >= 3 {
                return rest;
            }
        }
    }
    word
}

/// A word lowercased and normalised as `lang`'s stemmer wants it.
fn normalised(lang: Lang, raw: &str) -> String {
    let lower = raw.to_lowercase();
    match lang {
        Lang::Ar => without_article(&normalise_arabic(&lower)).to_string(),
        // `-ción` is always written with its accent in the singular (the
        // plural `-ciones` has none), which Snowball's Spanish needs to
        // find the suffix: a query typed without it gets it back.
        Lang::Es => match lower.strip_suffix("cion") {
            Some(stem) => format!("{stem}ción"),
            None => lower,
        },
        Lang::Ru => lower.replace('ё', "е"),
        _ => lower,
    }
}

/// The stem of one word (not Chinese) in `lang`, from its raw form;
/// `None` when nothing is left of it.
fn stem_in(lang: Lang, raw: &str) -> Option<Word> {
    let algorithm = match snowball(lang) {
        Some(a) => a,
        None => return analyze::words(raw).next(),
    };
    let lower = normalised(lang, raw);
    if lower.is_empty() {
        return None;
    }
    let stem = Stemmer::create(algorithm).stem(&lower).into_owned();
    let folded = analyze::fold(&lower);
    Some(Word {
        at: 0..raw.len(),
        folded,
        stem: analyze::fold(&stem),
    })
}

/// The terms of `text` as `lang`'s index and queries read it: English's
/// words (`super::analyze::words`) or [`words_in`]'s.
pub fn terms(lang: Lang, text: &str) -> Vec<Word> {
    match lang {
        Lang::En => analyze::words(text).collect(),
        _ => words_in(lang, text),
    }
}

/// Whether `lang` leaves this folded word out of its index and queries
/// (English's stop words; the other languages keep every word).
pub fn is_stop_word(lang: Lang, folded: &str) -> bool {
    lang == Lang::En && analyze::is_stop_word(folded)
}

/// The terms a query in `lang` requires of a text: [`terms`], but a run
/// of Han characters by its pairs only (each one character of a run of
/// one), since a text that has a run's pairs has its characters too.
pub fn query_terms(lang: Lang, text: &str) -> Vec<Word> {
    let all = terms(lang, text);
    if lang != Lang::Zh {
        return all;
    }
    let pair = |w: &Word| w.stem.chars().count() == 2 && w.stem.chars().all(is_han);
    let covered = |w: &Word| {
        all.iter()
            .any(|p| pair(p) && p.at.start <= w.at.start && w.at.end <= p.at.end)
    };
    let mut out: Vec<Word> = Vec::new();
    for w in &all {
        let single = w.stem.chars().count() == 1 && w.stem.chars().all(is_han);
        if !(single && covered(w)) {
            out.push(w.clone());
        }
    }
    out
}

/// Whether a term is Chinese (a Han character or pair), which is matched
/// whole: never as a prefix, never checked as a phrase.
pub fn is_han_term(term: &str) -> bool {
    term.chars().next().is_some_and(is_han)
}

/// The terms of `text` in `lang`: each word's stem (see the module's
/// documentation; Chinese: characters and pairs), with where it is.
pub fn words_in(lang: Lang, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for at in analyze::word_ranges(text) {
        terms_at(lang, text, at, ARABIC_ANY, &|_| true, &mut out);
    }
    out
}

/// The most letters Snowball's Arabic takes off a word's start (`وال`,
/// `بال`, `يست`... and a conjunction before them).
const ARABIC_PREFIX_CHARS: usize = 4;

/// Where in a word Snowball's Arabic stem may start: at most
/// `ARABIC_PREFIX_CHARS` letters in once the article, at most three, is
/// off.
const ARABIC_STEM_STARTS: usize = 3 + ARABIC_PREFIX_CHARS + 1;

/// The terms of one word of `text` (`at`, a range of
/// `analyze::word_ranges`) in `lang`, pushed onto `out` as [`words_in`]
/// makes them, but a word whose folded form `wanted` refuses is pushed
/// unstemmed (empty folded form and stem), its place kept for phrases and
/// snippets: a result's text is analysed on each request, and stemming
/// every word of it was most of a query's work. An Arabic word is offered
/// to `wanted` from each of its first letters (Snowball's Arabic removes
/// prefixes, so a stem need not start as its word does); Han characters
/// are never stemmed (they are terms as they are). Whether anything was
/// pushed.
pub fn terms_at(
    lang: Lang,
    text: &str,
    at: std::ops::Range<usize>,
    arabic_initials: u64,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<Word>,
) -> bool {
    let raw = &text[at.clone()];
    let before = out.len();
    if lang == Lang::Zh && raw.chars().any(is_han) {
        han_terms(text, at, out);
        return out.len() > before;
    }
    if raw.chars().count() > MAX_WORD_CHARS {
        return false;
    }
    // Latin words among Chinese are English's.
    let stemmer = if lang == Lang::Zh { Lang::En } else { lang };
    // Most words of a text meet no key, and their first letter, folded as
    // the word would be, says so before the word is lowercased and folded
    // (an Arabic word: any three of its letters, since Snowball's Arabic
    // takes letters off the start).
    let refused = if stemmer == Lang::Ar {
        !arabic_may_meet(raw, arabic_initials, wanted)
    } else {
        analyze::folded_initial(raw).is_some_and(|c| {
            let c = if stemmer == Lang::Ru && c == 'ё' {
                'е'
            } else {
                c
            };
            !wanted(c.encode_utf8(&mut [0; 4]))
        })
    };
    if refused {
        out.push(Word {
            at,
            folded: String::new(),
            stem: String::new(),
        });
        return true;
    }
    let lower = normalised(stemmer, raw);
    if lower.is_empty() {
        return false;
    }
    let folded = analyze::fold(&lower);
    // Snowball's Arabic may take up to four letters off a word's start
    // (a conjunction, a preposition, a verb's prefix): the word is wanted
    // if a key meets it there too.
    let skips = if stemmer == Lang::Ar {
        ARABIC_PREFIX_CHARS
    } else {
        0
    };
    // It also rewrites letters (Arabic-Indic digits, presentation forms,
    // `ؤ` and `ئ`): a word with any of them is stemmed whatever its start.
    let rewritten = stemmer == Lang::Ar
        && folded
            .chars()
            .any(|c| matches!(c, 'ؤ' | 'ئ') || !matches!(c, 'ء'..='غ' | 'ف'..='ي'));
    let meets = rewritten
        || folded
            .char_indices()
            .map(|(i, _)| i)
            .take(skips + 1)
            .any(|i| wanted(&folded[i..]));
    if !meets {
        out.push(Word {
            at,
            folded: String::new(),
            stem: String::new(),
        });
        return true;
    }
    if let Some(mut w) = stem_in(stemmer, raw) {
        w.at = at;
        out.push(w);
    }
    out.len() > before
}

/// A word that mixes Han characters with others (`5G网络`): each Han run
/// as characters and pairs, each other run as an English word.
fn han_terms(text: &str, at: std::ops::Range<usize>, out: &mut Vec<Word>) {
    // The word's runs: (start, end, Han or not), in byte offsets of `text`.
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    for (i, c) in text[at.clone()].char_indices() {
        let (start, han) = (at.start + i, is_han(c));
        match runs.last_mut() {
            Some(run) if run.2 == han => run.1 = start + c.len_utf8(),
            _ => runs.push((start, start + c.len_utf8(), han)),
        }
    }
    for (start, end, han) in runs {
        if !han {
            if text[start..end].chars().count() <= MAX_WORD_CHARS {
                out.extend(stem_in(Lang::En, &text[start..end]).map(|w| Word {
                    at: start..end,
                    ..w
                }));
            }
            continue;
        }
        let chars: Vec<(usize, char)> = text[start..end]
            .char_indices()
            .map(|(i, c)| (start + i, c))
            .collect();
        for (k, &(from, c)) in chars.iter().enumerate() {
            let term = |to: usize| Word {
                at: from..to,
                folded: text[from..to].to_string(),
                stem: text[from..to].to_string(),
            };
            out.push(term(from + c.len_utf8()));
            if let Some(&(next, n)) = chars.get(k + 1) {
                out.push(term(next + n.len_utf8()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    fn stems(lang: Lang, text: &str) -> Vec<String> {
        words_in(lang, text).into_iter().map(|w| w.stem).collect()
    }

    /// Whether every term of `query` is among `text`'s (how a query finds
    /// a document).
    fn finds(lang: Lang, query: &str, text: &str) -> bool {
        let have = stems(lang, text);
        let want = stems(lang, query);
        !want.is_empty() && want.iter().all(|s| have.contains(s))
    }

    #[test_case(Lang::Fr, "négociations", "negociation"; "french plural typed without accents")]
    #[test_case(Lang::Fr, "Organisations non gouvernementales", "organisation gouvernementale"; "french adjective agreement")]
    #[test_case(Lang::Es, "organizaciones", "organización"; "spanish plural and accent")]
    #[test_case(Lang::Es, "negociaciones", "negociacion"; "spanish typed without accents")]
    #[test_case(Lang::Ru, "переговорах", "переговоры"; "russian case endings")]
    #[test_case(Lang::Ru, "ещё", "еще"; "russian yo read as ye")]
    fn inflected_and_unaccented_queries_find_their_words(lang: Lang, text: &str, query: &str) {
        assert!(
            finds(lang, query, text),
            "{query:?} in {text:?}: {:?} vs {:?}",
            stems(lang, query),
            stems(lang, text)
        );
    }

    #[test]
    fn arabic_is_normalised_then_stemmed() {
        assert_eq!(normalise_arabic("أَمْنٌ"), "امن");
        assert_eq!(normalise_arabic("إلى"), "الي");
        assert_eq!(normalise_arabic("مدرسة"), "مدرسه");
        assert_eq!(normalise_arabic("ســلام"), "سلام", "tatweel");
        // With and without the article, marks and a variant alef.
        // The article and the prepositions joined to it go (Snowball's
        // rules, which leave an article-less plural and a joined `و` be).
        assert!(finds(Lang::Ar, "المفاوضات", "بالمفاوضات"));
        assert!(finds(Lang::Ar, "الدول", "للدول"));
        assert!(
            finds(Lang::Ar, "الامن", "الأمن السيبراني"),
            "{:?}",
            stems(Lang::Ar, "الأمن")
        );
        assert!(
            finds(Lang::Ar, "الأمْن", "أمن"),
            "{:?} {:?}",
            stems(Lang::Ar, "الأمْن"),
            stems(Lang::Ar, "أمن")
        );
        assert!(!finds(Lang::Ar, "المفاوضات", "الأمن"));
        // With the article or without it, a word meets itself.
        assert!(finds(Lang::Ar, "المفاوضات", "مفاوضات الأمم المتحدة"));
        assert!(finds(Lang::Ar, "مفاوضات", "وبالمفاوضات"));
        assert_eq!(
            stems(Lang::Ar, "الان"),
            stems(Lang::Ar, "الآن"),
            "two letters left: kept"
        );
    }

    /// A hamza's seat is read as Snowball writes it in the stem (`و`, `ي`,
    /// or `ء` at its end): a word with one is offered to a key where its
    /// stem may meet it, and refused where it cannot (it used to be
    /// stemmed whatever the key).
    #[test]
    fn a_hamza_seat_is_read_as_snowball_writes_it() {
        let meets = |word: &str, key: &str| {
            let key: String = key.chars().take(3).collect();
            arabic_may_meet(word, arabic_initials([key.as_str()]), &|w: &str| {
                let n = w.len().min(key.len());
                w.as_bytes()[..n] == key.as_bytes()[..n]
            })
        };
        for word in [
            "رئيس",
            "الرئيس",
            "المسؤولين",
            "مسؤول",
            "القوائم",
            "أُنشئ",
            "شؤون",
            "بيئة",
            "يقرؤون",
            "مبادئ",
            "سئل",
            "ملء",
            "بطئ",
            "جزئ",
            "مئه",
            "لؤلؤ",
        ] {
            let stem = stems(Lang::Ar, word).pop().unwrap();
            assert!(meets(word, &stem), "{word}: its stem {stem}");
        }
        assert!(!meets("القوائم", "تنب"));
        assert!(!meets("أُنشئ", "تنب"));
        // `بيئة` stems to `بيء`: the seat read as `ي` alone would refuse it.
        assert!(meets("بيئة", "بيء") && !meets("بيئة", "بين"));
    }

    /// The keys' Arabic initials: a Latin or digit start adds none (an
    /// Arabic word's windows never start with one), an empty start meets
    /// every word, so lets every window through.
    #[test]
    fn arabic_initials_are_the_letters_keys_start_with() {
        assert_eq!(arabic_initials(["تنب", "oewg", "2024"]), arabic_bit('ت'));
        assert_eq!(arabic_initials(["ء", "ي"]), 1 | 1 << 41);
        assert_eq!(arabic_initials(["تنب", ""]), ARABIC_ANY);
        // A word is refused by its windows' first letters alone, whatever
        // `wanted` would say.
        assert!(!arabic_may_meet("القوائم", arabic_bit('ت'), &|_| true));
        assert!(arabic_may_meet("القوائم", arabic_bit('ق'), &|_| {
            true
        }));
    }

    /// What `arabic_may_meet` relies on: Snowball's Arabic leaves a word
    /// of ASCII letters and digits as it is (lowercased).
    #[test]
    fn arabic_leaves_latin_letters_and_digits_alone() {
        for word in ["OEWG2024", "un", "150", "alal", "x1y2"] {
            assert_eq!(stems(Lang::Ar, word), [word.to_lowercase()], "{word}");
        }
    }

    #[test]
    fn chinese_is_read_as_characters_and_pairs() {
        assert_eq!(
            stems(Lang::Zh, "网络安全"),
            ["网", "网络", "络", "络安", "安", "安全", "全"]
        );
        let text = "联合国网络安全问题不限成员名额工作组";
        assert!(finds(Lang::Zh, "网络安全", text));
        assert!(finds(Lang::Zh, "工作组", text));
        assert!(
            finds(Lang::Zh, "网", text),
            "a one-character query finds its character"
        );
        assert!(!finds(Lang::Zh, "安网", text), "pairs keep their order");
        // Longer than the 40 characters a word may have: still every term.
        let long = "会员国".repeat(20);
        assert!(finds(Lang::Zh, "会员国", &long));
        // Latin words and digits among Han characters are English's.
        assert_eq!(
            stems(Lang::Zh, "5G网络 OEWG"),
            ["5g", "网", "网络", "络", "oewg"]
        );
        let w = words_in(Lang::Zh, "在网络");
        assert_eq!(&"在网络"[w[1].at.clone()], "在网");
    }

    #[test]
    fn english_is_the_english_analyzer() {
        assert_eq!(stems(Lang::En, "Barring organisations"), ["bar", "organis"]);
    }

    #[test]
    fn analysis_never_panics_in_any_language() {
        use proptest::prelude::*;
        proptest!(|(text in "\\PC{0,60}")| {
            for lang in Lang::ALL {
                for w in words_in(lang, &text) {
                    prop_assert!(text.is_char_boundary(w.at.start) && text.is_char_boundary(w.at.end));
                }
            }
        });
    }
}
