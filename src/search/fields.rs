//! What of an alert search weighs, and how much: its four fields and the
//! BM25F weights the index stores (`super::index`) and queries read.

use crate::content::AlertRecord;

/// BM25F's saturation constant.
const K1: f64 = 1.2;

/// Where a word is, and how much a match there weighs. Each field's length
/// is normalised against a fixed typical length (not the archive's average)
/// so that publishing one alert never changes every other alert's postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    /// Category and tags.
    Tags,
    Summary,
    Body,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Title, Field::Tags, Field::Summary, Field::Body];

    /// (weight, typical length in words, length normalisation b).
    fn params(self) -> (f64, f64, f64) {
        match self {
            Field::Title => (4.0, 12.0, 0.5),
            Field::Tags => (3.0, 4.0, 0.3),
            Field::Summary => (2.0, 35.0, 0.5),
            Field::Body => (1.0, 400.0, 0.75),
        }
    }
}

/// The searchable text of an alert, field by field: what the index is built
/// from and what the Worker checks a result against.
pub fn fields(r: &AlertRecord) -> [(Field, String); 4] {
    let body = crate::markdown::plain_text(&r.body);
    fields_of(&r.title, r.category.as_deref(), &r.tags, &r.summary, body)
}

/// The fields from their parts: the category is the first line of the
/// tags' field.
pub fn fields_of(
    title: &str,
    category: Option<&str>,
    tags: &[String],
    summary: &str,
    body: String,
) -> [(Field, String); 4] {
    let mut tag_field = category.unwrap_or_default().to_string();
    for t in tags {
        tag_field.push('\n');
        tag_field.push_str(t);
    }
    [
        (Field::Title, title.to_string()),
        (Field::Tags, tag_field),
        (Field::Summary, summary.to_string()),
        (Field::Body, body),
    ]
}

/// The BM25F weight of one term in one alert, times 1,000, from its
/// frequency and the length (in indexed words) of each field.
pub fn impact(tf: [u32; 4], len: [u32; 4]) -> u32 {
    let mut weighted = 0.0;
    for (i, field) in Field::ALL.iter().enumerate() {
        if tf[i] == 0 {
            continue;
        }
        let (w, typical, b) = field.params();
        let norm = 1.0 - b + b * f64::from(len[i]) / typical;
        weighted += w * f64::from(tf[i]) / norm;
    }
    (1000.0 * weighted * (K1 + 1.0) / (weighted + K1)).round() as u32
}

/// BM25's inverse document frequency.
pub fn idf(docs: u32, df: u32) -> f64 {
    let (n, df) = (f64::from(docs.max(df)), f64::from(df));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One posting's score for a word: the word's IDF times the posting's
/// impact.
pub fn score(idf: f64, impact: u32) -> f64 {
    idf * f64::from(impact) / 1000.0
}

/// What a result's rank compares: its score to a thousandth (equal ones go
/// to the newer alert).
pub fn rounded(score: f64) -> f64 {
    (score * 1000.0).round()
}

/// Whether every posting of a word whose impacts span `max..=min` ranks
/// the same at `idf` (a word in nearly every alert, whose IDF is near
/// zero): its results are then simply the newest first. The score and its
/// rounding never decrease with the impact, so the two ends decide.
pub fn all_equal(idf: f64, max: u32, min: u32) -> bool {
    rounded(score(idf, max)) == rounded(score(idf, min))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_saturates_and_prefers_short_fields() {
        let once = impact([0, 0, 0, 1], [0, 0, 0, 400]);
        let often = impact([0, 0, 0, 10], [0, 0, 0, 400]);
        assert!(
            often > once && often < 2300,
            "saturates below (k1 + 1) x 1000"
        );
        assert!(impact([1, 0, 0, 0], [12, 0, 0, 0]) > impact([0, 0, 1, 0], [0, 0, 35, 0]));
        assert!(impact([0, 0, 0, 1], [0, 0, 0, 100]) > impact([0, 0, 0, 1], [0, 0, 0, 2000]));
    }

    #[test]
    fn a_word_in_nearly_every_alert_ranks_its_postings_equal() {
        let common = idf(10_005, 10_005);
        assert!(all_equal(common, 2_100, 100), "{common}");
        let rare = idf(10_005, 3);
        assert!(!all_equal(rare, 2_100, 100) && all_equal(rare, 700, 700));
    }
}
