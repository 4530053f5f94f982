//! Turning the index parts a query read into ranked candidates, and
//! checking a candidate against its alert's own text (phrases, excluded
//! words and words past a term's best postings are only known there).
//!
//! Here: the words a prefix stands for and the closest spelling of an
//! unknown word (from a block of the index); the ranking is in
//! `candidates`, the check of an alert's text in `text`, and the snippet
//! shown with a result in `snippet`.

mod candidates;
mod snippet;
mod text;

pub use candidates::{candidates, year_of, Candidate, Filters, Slot};
pub use text::{Analysed, Keys};

use super::index::BlockWord;

/// At most this many words a prefix stands for (the commonest).
pub const MAX_EXPANSIONS: usize = 5;

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
pub(super) mod tests {
    use super::*;

    /// An alert of this title and body, for the rank tests.
    pub fn record(title: &str, body: &str) -> crate::content::AlertRecord {
        crate::content::AlertRecord::new(
            "a",
            title,
            chrono::DateTime::from_timestamp(0, 0).unwrap(),
            body,
        )
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
