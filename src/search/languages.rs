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
use super::arabic;
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

/// A word lowercased and normalised as `lang`'s stemmer wants it.
fn normalised(lang: Lang, raw: &str) -> String {
    let lower = raw.to_lowercase();
    match lang {
        Lang::Ar => arabic::without_article(&arabic::normalise(&lower)).to_string(),
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
        terms_at(lang, text, at, arabic::ANY, &|_| true, &mut out);
    }
    out
}

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
        !arabic::may_meet(raw, arabic_initials, wanted)
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
        arabic::PREFIX_CHARS
    } else {
        0
    };
    // It also rewrites letters (Arabic-Indic digits, presentation forms,
    // `ؤ` and `ئ`): a word with any of them is stemmed whatever its start.
    let rewritten = stemmer == Lang::Ar
        && folded
            .chars()
            .any(|c| matches!(c, 'ؤ' | 'ئ') || !arabic::is_plain_letter(c));
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
        assert_eq!(arabic::normalise("أَمْنٌ"), "امن");
        assert_eq!(arabic::normalise("إلى"), "الي");
        assert_eq!(arabic::normalise("مدرسة"), "مدرسه");
        assert_eq!(arabic::normalise("ســلام"), "سلام", "tatweel");
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
