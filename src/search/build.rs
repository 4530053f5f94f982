//! How the publisher builds the search index (`super::index`, the format
//! the Worker reads) from the alerts: English's from the alerts, each other
//! language's from their translations into it, under its own keys
//! (`super::index::term_key_in`). What a publish writes of it (the parts
//! that changed) is `crate::derived::plan`'s.

use super::doc::SearchDoc;
use super::index::{
    block_of, fields_of, impact, meta_key, newest_first, posting_order, render_dates, term_key_in,
    Meta, Posting, TermList, MAX_BLOCK_WORDS, MAX_POSTINGS,
};
use super::languages::{is_stop_word, terms};
use crate::content::AlertRecord;
use crate::i18n::Lang;
use std::collections::{BTreeMap, HashMap};

struct OwnedPosting {
    impact: u32,
    date: i64,
    slug: String,
    category: String,
    tags: String,
}

/// One word of the archive while a block is built: its stem, how many
/// public alerts have it, the earliest date, the scheduled alerts' dates.
type WordCount = (String, u32, i64, Vec<i64>);

/// Builds every part of the index (key to value) in every language from
/// the alerts to search at `now` (unix seconds): drafts are left out;
/// alerts scheduled after `now` are in, counted by their dates, and the
/// Worker counts and lists them from their date on.
pub fn build<'a>(
    records: impl IntoIterator<Item = &'a AlertRecord>,
    now: i64,
) -> BTreeMap<String, String> {
    let records: Vec<&AlertRecord> = records.into_iter().filter(|r| !r.draft).collect();
    let mut parts = BTreeMap::new();
    for lang in Lang::ALL {
        let docs = records.iter().filter_map(|r| SearchDoc::in_lang(r, lang));
        parts.extend(build_in(lang, docs, now));
    }
    parts
}

/// `lang`'s index from its documents (none a draft).
fn build_in(
    lang: Lang,
    records: impl IntoIterator<Item = SearchDoc>,
    now: i64,
) -> BTreeMap<String, String> {
    let mut postings: HashMap<String, Vec<OwnedPosting>> = HashMap::new();
    let mut words: HashMap<String, WordCount> = HashMap::new();
    let mut docs = 0u32;
    let mut scheduled_docs = Vec::new();
    for r in records {
        let date = r.date;
        if date <= now {
            docs += 1;
        } else {
            scheduled_docs.push(date);
        }
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
        let fields = fields_of(&r.title, r.category.as_deref(), &r.tags, &r.summary, r.body);
        for (i, (_, text)) in fields.iter().enumerate() {
            for w in terms(lang, text) {
                if is_stop_word(lang, &w.folded) {
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
                date,
                slug: r.slug.clone(),
                category: category.clone(),
                tags: tags.clone(),
            });
        }
        for (folded, stem) in seen_words {
            let e = words.entry(folded).or_insert((stem, 0, date, Vec::new()));
            if date <= now {
                e.1 += 1;
            } else {
                e.3.push(date);
            }
            e.2 = e.2.min(date);
        }
    }
    let mut parts = BTreeMap::new();
    for (stem, all) in postings {
        // The best public postings, chosen among public alerts only; then
        // every scheduled one, counted by its date.
        let (mut list, mut later): (Vec<_>, Vec<_>) = all.into_iter().partition(|p| p.date <= now);
        let df = list.len() as u32;
        let order = |a: &OwnedPosting, b: &OwnedPosting| {
            posting_order((a.impact, a.date, &a.slug), (b.impact, b.date, &b.slug))
        };
        list.sort_by(order);
        list.truncate(MAX_POSTINGS);
        // Stored the newest first: a word whose postings all rank the same
        // is read no further than the page it shows.
        let newest =
            |a: &OwnedPosting, b: &OwnedPosting| newest_first((a.date, &a.slug), (b.date, &b.slug));
        list.sort_by(newest);
        later.sort_by(newest);
        let mut dates: Vec<i64> = later.iter().map(|p| p.date).collect();
        dates.sort_unstable();
        list.extend(later);
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
            unread: 0,
        };
        parts.insert(term_key_in(lang, &stem), stored.render(&dates));
    }
    let mut blocks: BTreeMap<String, Vec<(String, WordCount)>> = BTreeMap::new();
    for (folded, count) in words {
        blocks
            .entry(block_of(&folded).to_string())
            .or_default()
            .push((folded, count));
    }
    for (block, list) in blocks {
        // The commonest public words, chosen among public alerts only;
        // then every word scheduled alerts bring, counted by their dates.
        let (mut public, later): (Vec<_>, Vec<_>) = list.into_iter().partition(|(_, c)| c.1 > 0);
        public.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
        public.truncate(MAX_BLOCK_WORDS);
        let mut text = String::new();
        for (f, (s, df, first, mut dates)) in public.into_iter().chain(later) {
            text.push_str(&format!("{f}\t{s}\t{df}\t{first}"));
            if !dates.is_empty() {
                dates.sort_unstable();
                text.push('\t');
                text.push_str(&render_dates(&dates));
            }
            text.push('\n');
        }
        parts.insert(super::index::words_key_in(lang, &block), text);
    }
    scheduled_docs.sort_unstable();
    let meta = Meta {
        docs,
        scheduled: scheduled_docs,
    };
    parts.insert(meta_key(lang), meta.render());
    parts
}
