//! The search index as it lives in KV, and how the publisher builds it.
//!
//! Four kinds of key, all written by `make publish` from `content/`:
//! - `search:t:<stem>`: one term's postings, best first, at most
//!   [`MAX_POSTINGS`] of them, after a first line with the term's document
//!   frequency. A query reads one such key per word: a word in every alert
//!   costs the same read and the same work as a rare one.
//! - `search:w:<first two letters>`: the words of the archive that start
//!   with those letters (folded, with their stem and how many alerts have
//!   them, most common first, at most [`MAX_BLOCK_WORDS`]): prefix matches
//!   and spelling suggestions.
//! - `search:meta`: how many alerts are indexed (for the IDF).
//! - `site:manifest`: the hash of every part derived from all of
//!   `content/` (these and `site:months`), read by the publisher only, so
//!   that it writes just the parts whose content changed.
//!
//! The index is the one set of keys shared by many alerts (by nature: a
//! term's postings name every alert that has it), so it breaks the rule
//! that every key belongs to one alert. It is derived wholly from
//! `content/` by one publish run, which is its only writer.

use super::analyze::{self, is_stop_word};
use crate::content::AlertRecord;
use std::collections::{BTreeMap, HashMap};

pub const META_KEY: &str = "search:meta";
/// The hash of every part derived from all of `content/` (the search
/// index and `site:months`), read by the publisher only.
pub const MANIFEST_KEY: &str = "site:manifest";
pub const TERM_PREFIX: &str = "search:t:";
pub const WORDS_PREFIX: &str = "search:w:";
/// A term keeps its best postings only: a query's work is bounded by this
/// however common its words are (about 40 KB for a word in every alert).
pub const MAX_POSTINGS: usize = 500;
/// The most words one prefix block keeps (the commonest).
pub const MAX_BLOCK_WORDS: usize = 2000;

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
    fields_with(r, crate::markdown::plain_text(&r.body))
}

fn fields_with(r: &AlertRecord, body: String) -> [(Field, String); 4] {
    let mut tags = r.category.clone().unwrap_or_default();
    for t in &r.tags {
        tags.push('\n');
        tags.push_str(t);
    }
    [
        (Field::Title, r.title.clone()),
        (Field::Tags, tags),
        (Field::Summary, r.summary.clone()),
        (Field::Body, body),
    ]
}

/// The same without the body (title, tags, summary): cheap to analyse.
pub fn fields_but_body(r: &AlertRecord) -> [(Field, String); 3] {
    let [title, tags, summary, _] = fields_with(r, String::new());
    [title, tags, summary]
}

pub fn term_key(stem: &str) -> String {
    format!("{TERM_PREFIX}{stem}")
}

/// The block a folded word belongs to: its first two characters.
pub fn block_of(folded: &str) -> &str {
    let end = folded
        .char_indices()
        .nth(2)
        .map(|(i, _)| i)
        .unwrap_or(folded.len());
    &folded[..end]
}

pub fn words_key(folded: &str) -> String {
    format!("{WORDS_PREFIX}{}", block_of(folded))
}

/// One alert in a term's postings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting<'a> {
    /// BM25F term-frequency part, times 1,000 (the IDF is applied per query).
    pub impact: u32,
    /// Unix seconds (a scheduled alert is skipped until then).
    pub date: i64,
    pub slug: &'a str,
    /// Category slug, or empty.
    pub category: &'a str,
    /// Tag slugs, comma-separated.
    pub tags: &'a str,
}

impl Posting<'_> {
    pub fn has_tag(&self, slug: &str) -> bool {
        !self.tags.is_empty() && self.tags.split(',').any(|t| t == slug)
    }
}

/// A term's postings as stored (`search:t:<stem>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermList<'a> {
    /// How many alerts (drafts aside) have the term.
    pub df: u32,
    pub postings: Vec<Posting<'a>>,
}

impl<'a> TermList<'a> {
    /// Whether every alert with the term is listed (else only the best).
    pub fn complete(&self) -> bool {
        self.postings.len() as u64 >= u64::from(self.df)
    }

    /// Reads a stored list; `None` if it is not one (logged by the caller).
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut lines = text.lines();
        let df = lines.next()?.parse().ok()?;
        let postings = lines
            .map(|line| {
                let mut f = line.split('\t');
                Some(Posting {
                    impact: f.next()?.parse().ok()?,
                    date: f.next()?.parse().ok()?,
                    slug: f.next()?,
                    category: f.next()?,
                    tags: f.next()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(TermList { df, postings })
    }

    pub fn render(&self) -> String {
        let mut out = format!("{}\n", self.df);
        for p in &self.postings {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                p.impact, p.date, p.slug, p.category, p.tags
            ));
        }
        out
    }
}

/// One word of a prefix block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockWord<'a> {
    pub folded: &'a str,
    pub stem: &'a str,
    pub df: u32,
    /// The earliest date (unix seconds) of an alert with the word: before
    /// it, the word is an embargoed alert's, and no prefix or suggestion
    /// may use it.
    pub first: i64,
}

/// Reads a prefix block (`search:w:<xx>`); lines that are not words are skipped.
pub fn parse_block(text: &str) -> Vec<BlockWord<'_>> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some(BlockWord {
                folded: f.next()?,
                stem: f.next()?,
                df: f.next()?.parse().ok()?,
                first: f.next().and_then(|d| d.parse().ok()).unwrap_or(0),
            })
        })
        .collect()
}

/// `search:meta`: how many alerts are indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    #[serde(rename = "n")]
    pub docs: u32,
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

struct OwnedPosting {
    impact: u32,
    date: i64,
    slug: String,
    category: String,
    tags: String,
}

/// Builds every part of the index (key to value) from the alerts to search:
/// drafts are left out; scheduled alerts are in, and the Worker skips them
/// until their date.
pub fn build<'a>(records: impl IntoIterator<Item = &'a AlertRecord>) -> BTreeMap<String, String> {
    let mut postings: HashMap<String, Vec<OwnedPosting>> = HashMap::new();
    let mut words: HashMap<String, (String, u32, i64)> = HashMap::new();
    let mut docs = 0u32;
    for r in records.into_iter().filter(|r| !r.draft) {
        docs += 1;
        let category = r
            .category
            .as_deref()
            .map(crate::keys::name_slug)
            .unwrap_or_default();
        let mut tag_slugs: Vec<String> = r.tags.iter().map(|t| crate::keys::name_slug(t)).collect();
        tag_slugs.sort();
        tag_slugs.dedup();
        let tags = tag_slugs.join(",");
        let mut tf: HashMap<String, [u32; 4]> = HashMap::new();
        let mut len = [0u32; 4];
        let mut seen_words: HashMap<String, String> = HashMap::new();
        for (i, (_, text)) in fields(r).iter().enumerate() {
            for w in analyze::words(text) {
                if is_stop_word(&w.folded) {
                    continue;
                }
                len[i] += 1;
                tf.entry(w.stem.clone()).or_default()[i] += 1;
                seen_words.entry(w.folded).or_insert(w.stem);
            }
        }
        for (stem, counts) in tf {
            postings.entry(stem).or_default().push(OwnedPosting {
                impact: impact(counts, len),
                date: r.date.timestamp(),
                slug: r.slug.clone(),
                category: category.clone(),
                tags: tags.clone(),
            });
        }
        let date = r.date.timestamp();
        for (folded, stem) in seen_words {
            let e = words.entry(folded).or_insert((stem, 0, date));
            e.1 += 1;
            e.2 = e.2.min(date);
        }
    }
    let mut parts = BTreeMap::new();
    for (stem, mut list) in postings {
        let df = list.len() as u32;
        // Best first; newer first among equals (recency breaks ties).
        list.sort_by(|a, b| {
            b.impact
                .cmp(&a.impact)
                .then(b.date.cmp(&a.date))
                .then(a.slug.cmp(&b.slug))
        });
        list.truncate(MAX_POSTINGS);
        let stored = TermList {
            df,
            postings: list
                .iter()
                .map(|p| Posting {
                    impact: p.impact,
                    date: p.date,
                    slug: &p.slug,
                    category: &p.category,
                    tags: &p.tags,
                })
                .collect(),
        };
        parts.insert(term_key(&stem), stored.render());
    }
    let mut blocks: BTreeMap<String, Vec<(String, String, u32, i64)>> = BTreeMap::new();
    for (folded, (stem, df, first)) in words {
        blocks
            .entry(block_of(&folded).to_string())
            .or_default()
            .push((folded, stem, df, first));
    }
    for (block, mut list) in blocks {
        list.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        list.truncate(MAX_BLOCK_WORDS);
        let text: String = list
            .iter()
            .map(|(f, s, df, first)| format!("{f}\t{s}\t{df}\t{first}\n"))
            .collect();
        parts.insert(format!("{WORDS_PREFIX}{block}"), text);
    }
    parts.insert(
        META_KEY.to_string(),
        serde_json::to_string(&Meta { docs }).unwrap_or_default(),
    );
    parts
}

/// What a publish writes and deletes to bring the index in KV to `parts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Changed and new parts, then the new manifest (last, so that a run
    /// cut short is redone by the next one).
    pub put: Vec<(String, String)>,
    /// Parts the index no longer has.
    pub delete: Vec<String>,
}

fn part_hash(value: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(value.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares `parts` with the manifest of what is published (none: write
/// everything).
pub fn plan(parts: &BTreeMap<String, String>, published_manifest: Option<&str>) -> Plan {
    let old: HashMap<&str, &str> = published_manifest
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let mut manifest = String::new();
    let mut put = Vec::new();
    for (key, value) in parts {
        let hash = part_hash(value);
        if old.get(key.as_str()) != Some(&hash.as_str()) {
            put.push((key.clone(), value.clone()));
        }
        manifest.push_str(&format!("{key}\t{hash}\n"));
    }
    let delete: Vec<String> = old
        .keys()
        .filter(|k| !parts.contains_key(**k))
        .map(|k| k.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if put.is_empty() && published_manifest.is_some() && delete.is_empty() {
        return Plan { put, delete };
    }
    put.push((MANIFEST_KEY.to_string(), manifest));
    Plan { put, delete }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn alert(slug: &str, title: &str, body: &str, day: u32) -> AlertRecord {
        AlertRecord {
            category: Some("Opinion".into()),
            tags: vec!["UN OEWG".into()],
            ..AlertRecord::new(
                slug,
                title,
                chrono::Utc
                    .with_ymd_and_hms(2024, 11, day, 0, 0, 0)
                    .unwrap(),
                body,
            )
        }
    }

    #[test]
    fn postings_round_trip_and_put_title_matches_first() {
        let a = alert("a", "Accreditation denied", "Other words.", 1);
        let b = alert("b", "Other news", "The accreditation of NGOs.", 2);
        let parts = build([&a, &b]);
        let list = TermList::parse(&parts["search:t:accredit"]).unwrap();
        assert_eq!(list.df, 2);
        assert!(list.complete());
        assert_eq!(
            list.postings[0].slug, "a",
            "a title match outweighs a body match"
        );
        assert_eq!(list.postings[0].category, "opinion");
        assert!(list.postings[0].has_tag("un-oewg"));
        assert_eq!(TermList::parse(&list.render()), Some(list));
        assert!(
            !parts.contains_key("search:t:the"),
            "stop words are not indexed"
        );
        let block = parse_block(&parts["search:w:ac"]);
        assert_eq!(block[0].folded, "accreditation");
        assert_eq!((block[0].stem, block[0].df), ("accredit", 2));
        assert_eq!(
            block[0].first,
            a.date.timestamp(),
            "the earlier alert's date"
        );
        assert_eq!(parts[META_KEY], r#"{"n":2}"#);
    }

    #[test]
    fn drafts_are_not_indexed() {
        let mut d = alert("d", "Secret plan", "Hidden.", 1);
        d.draft = true;
        assert!(!build([&d]).contains_key("search:t:secret"));
    }

    #[test]
    fn a_common_term_keeps_only_its_best_postings_newest_first_among_equals() {
        let records: Vec<AlertRecord> = (0..MAX_POSTINGS + 20)
            .map(|i| {
                let mut r = alert(&format!("s{i}"), "Common", "Body.", 1);
                r.date += chrono::Duration::seconds(i as i64);
                r
            })
            .collect();
        let parts = build(&records);
        let list = TermList::parse(&parts["search:t:common"]).unwrap();
        assert_eq!(list.df as usize, MAX_POSTINGS + 20);
        assert_eq!(list.postings.len(), MAX_POSTINGS);
        assert!(!list.complete());
        assert_eq!(list.postings[0].slug, format!("s{}", MAX_POSTINGS + 19));
    }

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
    fn plan_writes_only_changed_parts_and_deletes_gone_ones() {
        let a = alert("a", "Accreditation", "Body one.", 1);
        let b = alert("b", "Telecoms", "Body two.", 2);
        let first = build([&a, &b]);
        let p = plan(&first, None);
        assert_eq!(p.put.len(), first.len() + 1);
        assert!(p.delete.is_empty());
        let manifest = &p.put.last().unwrap().1;
        assert!(plan(&first, Some(manifest)).put.is_empty());
        let b2 = alert("b", "Telecoms", "Body changed.", 2);
        let second = build([&a, &b2]);
        let p2 = plan(&second, Some(manifest));
        let written: Vec<&str> = p2.put.iter().map(|(k, _)| k.as_str()).collect();
        // `body` moves (b's body is longer? no: same length) and `chang` is new;
        // `two` is gone; a's own terms are untouched.
        assert!(written.contains(&"search:t:chang"));
        assert!(!written.contains(&"search:t:accredit"));
        assert!(p2.delete.contains(&"search:t:two".to_string()));
        assert_eq!(*written.last().unwrap(), MANIFEST_KEY);
    }

    #[test]
    fn blocks_are_the_first_two_characters() {
        assert_eq!(block_of("accreditation"), "ac");
        assert_eq!(block_of("ü"), "ü");
        assert_eq!(block_of("éa1"), "éa");
    }
}
