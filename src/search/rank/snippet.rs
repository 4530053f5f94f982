//! The snippet shown with a search result: about `width` words of the
//! summary or the body around the densest run of matched words, the matched
//! words marked.

use super::text::Analysed;
use crate::search::analyze::Word;
use crate::search::index::Field;
use crate::search::query::Query;

impl Analysed<'_> {
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
        // already), else the body where one did (read as far as the
        // snippet needs); else the start of the body (a match in the title
        // or tags only: the title is already shown above the snippet),
        // else the summary.
        let summary = self.field(Field::Summary);
        if let Some((text, words)) = summary.filter(|(_, w)| w.iter().any(hit)) {
            return cut(text, words, true, hit, width);
        }
        let (text, words, complete) = self.body_for_snippet(hit, width);
        if !words.is_empty() {
            return cut(text, &words, complete, hit, width);
        }
        match summary {
            Some((text, words)) if !words.is_empty() => cut(text, words, true, hit, width),
            _ => Vec::new(),
        }
    }
}

/// The snippet of `text` (`words` its words, all of them if `complete`):
/// the window of `width` words with the most `hit`s.
fn cut(
    text: &str,
    words: &[Word],
    complete: bool,
    hit: impl Fn(&Word) -> bool,
    width: usize,
) -> Vec<(String, bool)> {
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
    let to = if end == words.len() && complete {
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
        if *h && w.at.end > at {
            if w.at.start < at {
                // Chinese terms overlap (`网络`, `络安`): a hit that starts
                // inside the last marked one extends it.
                if let Some((last, true)) = pieces.last_mut() {
                    last.push_str(&squash(&text[at..w.at.end]));
                }
            } else {
                push(&text[at..w.at.start], false, &mut pieces);
                push(&text[w.at.clone()], true, &mut pieces);
            }
            at = w.at.end;
        }
    }
    push(&text[at..to], false, &mut pieces);
    if start > 0 {
        pieces.insert(0, ("… ".into(), false));
    }
    if end < words.len() || !complete {
        pieces.push((" …".into(), false));
    }
    pieces
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

#[cfg(test)]
mod tests {
    use super::super::tests::record;
    use super::super::Keys;
    use super::*;

    #[test]
    fn snippets_mark_words_around_the_densest_run() {
        let filler = "Some words that say nothing much. ".repeat(10);
        let body = format!("{filler}The OEWG denied accreditation to NGOs.\n\n{filler}");
        let q = Query::parse("accreditation");
        let stems = vec![vec!["accredit".to_string()]];
        let r = record("Title", &body);
        let doc = crate::search::doc::SearchDoc::of(&r);
        let text = Analysed::new(&doc, Keys::new(&q, &stems));
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
    fn a_long_body_is_read_only_as_far_as_its_snippet_needs() {
        let filler = "Some words that say nothing much. ".repeat(400);
        let body = format!("The OEWG denied accreditation to NGOs. {filler}");
        let q = Query::parse("accreditation");
        let stems = vec![vec!["accredit".to_string()]];
        let r = record("Title", &body);
        let doc = crate::search::doc::SearchDoc::of(&r);
        let text = Analysed::new(&doc, Keys::new(&q, &stems));
        let hit = |w: &Word| w.stem == "accredit";
        let (_, words, complete) = text.body_for_snippet(hit, 90);
        assert!(!complete);
        assert_eq!(words.len(), 4 + 90, "to 90 words past the first hit");
        drop(words);
        let pieces = text.snippet(&q, &stems, 30);
        assert!(pieces.contains(&("accreditation".to_string(), true)));
        assert_eq!(pieces.last().unwrap().0, " …", "the body goes on");
        assert_eq!(
            text.body_read(),
            (4 + 90 + 1, false),
            "and one more word: whether it goes on"
        );
        // A match past the words a snippet looks through: the body's start.
        let late = format!("{filler} The OEWG denied accreditation to NGOs.");
        let r = record("Title", &late);
        let doc = crate::search::doc::SearchDoc::of(&r);
        let text = Analysed::new(&doc, Keys::new(&q, &stems));
        let pieces = text.snippet(&q, &stems, 30);
        assert!(pieces[0].0.starts_with("Some words"), "{pieces:?}");
        assert!(pieces.iter().all(|(_, marked)| !marked));
        // Once a check has read the body as far as the match, the snippet
        // uses it.
        assert!(text.matches(&q, &stems));
        assert_eq!(text.body_read(), (2400 + 4, false), "to the match");
        let pieces = text.snippet(&q, &stems, 30);
        assert!(pieces.contains(&("accreditation".to_string(), true)));
        assert_eq!(
            pieces.last().unwrap().0,
            " to NGOs. ",
            "the end: no ellipsis"
        );
    }

    #[test]
    fn a_title_only_match_shows_the_start_of_the_body_unmarked() {
        let q = Query::parse("census");
        let stems = vec![vec!["census".to_string()]];
        let r = record("Quokka census", "Marsupials were counted.");
        let doc = crate::search::doc::SearchDoc::of(&r);
        let text = Analysed::new(&doc, Keys::new(&q, &stems));
        let pieces = text.snippet(&q, &stems, 30);
        assert_eq!(pieces, [("Marsupials were counted. ".to_string(), false)]);
    }

    #[test]
    fn a_matching_summary_gives_the_snippet_and_the_body_is_not_parsed() {
        let mut r = record("T", "Body words about accreditation.");
        r.summary = "The summary on accreditation.".into();
        let q = Query::parse("accreditation");
        let stems = vec![vec!["accredit".to_string()]];
        let doc = crate::search::doc::SearchDoc::of(&r);
        let text = Analysed::new(&doc, Keys::new(&q, &stems));
        let pieces = text.snippet(&q, &stems, 30);
        assert_eq!(pieces[1], ("accreditation".to_string(), true));
        assert!(pieces[0].0.starts_with("The summary"), "{pieces:?}");
        assert_eq!(text.body_read().0, 0, "the body was not needed");
        assert!(text.matches(&q, &stems));
        assert_eq!(text.body_read().0, 0, "the summary answered the check too");
        let excluding = Query::parse("summary -words");
        let stems: Vec<Vec<String>> = excluding
            .required
            .iter()
            .map(|r| vec![r.stem.clone()])
            .collect();
        assert!(
            !Analysed::new(
                &crate::search::doc::SearchDoc::of(&r),
                Keys::new(&excluding, &stems)
            )
            .matches(&excluding, &stems),
            "an excluded word in the body is found"
        );
    }

    #[test]
    fn overlapping_chinese_pairs_are_marked_as_one_word() {
        use crate::i18n::Lang;
        let text = "在网络安全中，网络";
        let words = crate::search::languages::terms(Lang::Zh, text);
        let hit = |w: &Word| ["网络", "络安", "安全"].contains(&w.stem.as_str());
        let pieces = cut(text, &words, true, hit, 30);
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(marked, ["网络安全", "网络"]);
        let all: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(all, text, "nothing lost or repeated");
    }
}
