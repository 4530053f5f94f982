//! Reading what a reader typed: words that must all match, `"quoted
//! phrases"`, `-excluded` words, and the last word as a prefix.

use super::analyze;
use super::languages::{is_han_term, is_stop_word, query_terms};
use crate::i18n::Lang;
use std::ops::Range;

/// A longer query is cut to this many characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words past this many are dropped.
pub const MAX_TERMS: usize = 10;
/// The last word matches as a prefix when it has at least this many
/// characters (and is not a number): `acc` finds `accreditation`.
pub const MIN_PREFIX_CHARS: usize = 3;

/// One word every result must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub folded: String,
    pub stem: String,
    /// Where it is in the (cut) query text: a spelling suggestion replaces it.
    pub at: Range<usize>,
    /// The query's last word: words that start with it match too.
    pub prefix: bool,
}

/// How the query was cut, if it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Longer than [`MAX_QUERY_CHARS`].
    Length,
    /// More than [`MAX_TERMS`] words.
    Terms,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The language it is read in, and whose index it searches.
    pub lang: Lang,
    /// The query as searched (after any cut): what goes back in the box.
    pub text: String,
    pub required: Vec<Required>,
    /// Each phrase's stems in order, stop words included.
    pub phrases: Vec<Vec<String>>,
    pub excluded: Vec<String>,
    pub cut: Option<Cut>,
    /// Words left out as too common (`the`), outside phrases.
    pub ignored: Vec<String>,
}

impl Query {
    /// An English query.
    pub fn parse(raw: &str) -> Query {
        Query::parse_in(Lang::En, raw)
    }

    /// A query in `lang`, read with that language's analyzer
    /// (`super::languages`): its stop words (English's only), its stems,
    /// Chinese by character pairs, which are never a prefix and make no
    /// phrase (each pair already holds its two characters in order).
    pub fn parse_in(lang: Lang, raw: &str) -> Query {
        let mut q = Query {
            lang,
            ..Query::default()
        };
        let trimmed = raw.trim();
        let text: String = if trimmed.chars().count() > MAX_QUERY_CHARS {
            q.cut = Some(Cut::Length);
            trimmed.chars().take(MAX_QUERY_CHARS).collect()
        } else {
            trimmed.to_string()
        };
        let mut terms = 0;
        let mut take = |q: &mut Query| {
            terms += 1;
            if terms > MAX_TERMS {
                q.cut.get_or_insert(Cut::Terms);
                false
            } else {
                true
            }
        };
        // Walk the text: quotes open and close phrases; outside them, a
        // chunk starting with `-` excludes its words.
        let mut in_phrase = false;
        let mut start = 0;
        let mut chunks: Vec<(Range<usize>, bool)> = Vec::new();
        for (i, c) in text.char_indices() {
            if c == '"' || c == '\u{201C}' || c == '\u{201D}' {
                chunks.push((start..i, in_phrase));
                in_phrase = !in_phrase;
                start = i + c.len_utf8();
            }
        }
        chunks.push((start..text.len(), in_phrase));
        let mut last_bare: Option<usize> = None;
        for (range, phrase) in chunks {
            let chunk = &text[range.clone()];
            if phrase {
                let words: Vec<analyze::Word> = query_terms(lang, chunk);
                let mut stems = Vec::new();
                for w in words {
                    if !take(&mut q) {
                        break;
                    }
                    if !is_stop_word(lang, &w.folded)
                        && !q.required.iter().any(|r| r.stem == w.stem)
                    {
                        q.required.push(Required {
                            folded: w.folded.clone(),
                            stem: w.stem.clone(),
                            at: range.start + w.at.start..range.start + w.at.end,
                            prefix: false,
                        });
                    }
                    stems.push(w.stem);
                }
                if stems.len() > 1 && !stems.iter().any(|s| is_han_term(s)) {
                    q.phrases.push(stems);
                }
                last_bare = None;
                continue;
            }
            let mut offset = range.start;
            for piece in chunk.split_whitespace() {
                let at = offset + text[offset..].find(piece).unwrap_or(0);
                offset = at + piece.len();
                let excluded = piece.starts_with('-');
                for w in query_terms(lang, piece) {
                    if !take(&mut q) {
                        break;
                    }
                    let at = at + w.at.start..at + w.at.end;
                    if excluded {
                        q.excluded.push(w.stem);
                    } else if is_stop_word(lang, &w.folded) {
                        q.ignored.push(w.folded);
                        last_bare = None;
                    } else if let Some(i) = q.required.iter().position(|r| r.stem == w.stem) {
                        last_bare = Some(i);
                    } else {
                        q.required.push(Required {
                            folded: w.folded,
                            stem: w.stem,
                            at,
                            prefix: false,
                        });
                        last_bare = Some(q.required.len() - 1);
                    }
                }
            }
        }
        // The last word typed matches as a prefix, unless the text goes on
        // after it (a space, a closing quote).
        let ends_in_word = text.chars().last().is_some_and(char::is_alphanumeric);
        if let Some(i) = last_bare.filter(|_| ends_in_word) {
            let r = &mut q.required[i];
            if r.at.end == text.len()
                && r.folded.chars().count() >= MIN_PREFIX_CHARS
                && !r.folded.chars().all(|c| c.is_ascii_digit())
                && !is_han_term(&r.stem)
            {
                r.prefix = true;
            }
        }
        q.text = text;
        q
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.required.is_empty()
    }

    /// The query text with one word replaced (a spelling suggestion).
    pub fn replacing(&self, at: &Range<usize>, with: &str) -> String {
        format!("{}{with}{}", &self.text[..at.start], &self.text[at.end..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(q: &Query) -> Vec<&str> {
        q.required.iter().map(|r| r.stem.as_str()).collect()
    }

    #[test]
    fn words_phrases_exclusions_and_the_prefix() {
        let q = Query::parse(r#"NGO "barring organisations" -mexico accredit"#);
        assert_eq!(stems(&q), ["ngo", "bar", "organis", "accredit"]);
        assert_eq!(q.phrases, [vec!["bar".to_string(), "organis".to_string()]]);
        assert_eq!(q.excluded, ["mexico"]);
        assert_eq!(
            q.required.iter().map(|r| r.prefix).collect::<Vec<_>>(),
            [false, false, false, true]
        );
        assert_eq!(&q.text[q.required[3].at.clone()], "accredit");
    }

    #[test]
    fn prefix_rules() {
        assert!(Query::parse("accredit").required[0].prefix);
        assert!(!Query::parse("\"accredit\"").required[0].prefix);
        assert!(!Query::parse("topic 42").required[1].prefix);
        assert!(!Query::parse("un").required[0].prefix);
        assert!(!Query::parse("accredit -mexico").required[0].prefix);
    }

    #[test]
    fn stop_words_are_not_required_but_stay_in_phrases() {
        let q = Query::parse(r#"the "access to information""#);
        assert_eq!(stems(&q), ["access", "inform"]);
        assert_eq!(q.ignored, ["the"]);
        assert_eq!(q.phrases[0], ["access", "to", "inform"]);
    }

    #[test]
    fn long_queries_are_cut_with_a_reason() {
        let long = "word ".repeat(60);
        let q = Query::parse(&long);
        assert_eq!(q.cut, Some(Cut::Length));
        assert!(q.text.chars().count() <= MAX_QUERY_CHARS);
        let many = (0..15)
            .map(|i| format!("w{i}x"))
            .collect::<Vec<_>>()
            .join(" ");
        let q = Query::parse(&many);
        assert_eq!(q.cut, Some(Cut::Terms));
        assert_eq!(q.required.len(), MAX_TERMS);
    }

    #[test]
    fn unbalanced_quotes_and_odd_text_never_panic() {
        use proptest::prelude::*;
        proptest!(|(text in "[\"a-z \\-’é]{0,60}")| {
            let q = Query::parse(&text);
            for r in &q.required {
                prop_assert!(q.text.get(r.at.clone()).is_some());
            }
        });
        assert_eq!(stems(&Query::parse("\"open ended")), ["open", "end"]);
    }

    #[test]
    fn a_query_is_read_with_its_language_s_analyzer() {
        let fr = Query::parse_in(Lang::Fr, "négociations");
        assert_eq!(fr.lang, Lang::Fr);
        let typed = Query::parse_in(Lang::Fr, "negociation");
        assert_eq!(stems(&fr), stems(&typed), "inflected and unaccented");
        assert!(typed.required[0].prefix);
        // French keeps the words English would drop as stop words.
        assert_eq!(stems(&Query::parse_in(Lang::Fr, "on")), ["on"]);
        let ar = Query::parse_in(Lang::Ar, "الأمْن");
        assert_eq!(stems(&ar), stems(&Query::parse_in(Lang::Ar, "امن")));
    }

    #[test]
    fn a_chinese_query_needs_its_pairs_and_is_never_a_prefix_or_phrase() {
        let q = Query::parse_in(Lang::Zh, "网络安全");
        assert_eq!(stems(&q), ["网络", "络安", "安全"]);
        assert!(q.required.iter().all(|r| !r.prefix));
        assert_eq!(&q.text[q.required[2].at.clone()], "安全");
        assert_eq!(stems(&Query::parse_in(Lang::Zh, "网")), ["网"]);
        let quoted = Query::parse_in(Lang::Zh, "\"工作组\" OEWG");
        assert_eq!(stems(&quoted), ["工作", "作组", "oewg"]);
        assert!(quoted.phrases.is_empty());
        assert!(quoted.required[2].prefix, "a Latin word still is");
        let mixed = Query::parse_in(Lang::Zh, "网 安全");
        assert_eq!(stems(&mixed), ["网", "安全"]);
    }

    #[test]
    fn a_suggestion_replaces_one_word() {
        let q = Query::parse("acreditation mexico");
        assert_eq!(
            q.replacing(&q.required[0].at, "accreditation"),
            "accreditation mexico"
        );
    }
}
