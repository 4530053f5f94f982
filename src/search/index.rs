//! The search index as it lives in KV and the Worker reads it (the
//! publisher builds it: `super::build`).
//!
//! Four kinds of key, all written by `make publish` from `content/`:
//! - `search:t:<stem>`: one term's postings (`super::postings`), at most
//!   [`MAX_POSTINGS`] of them, after a first line with the term's document
//!   frequency. A query reads one such key per word: a word in every alert
//!   costs the same read and the same work as a rare one.
//! - `search:w:<first two letters>`: the words of the archive that start
//!   with those letters (folded, with their stem and how many alerts have
//!   them, most common first, at most [`MAX_BLOCK_WORDS`]): prefix matches
//!   and spelling suggestions.
//! - `search:meta`: how many alerts are indexed (for the IDF).
//!
//! Every count is of the alerts public when the index was built, plus the
//! dates of those scheduled then, so that a query counts only what is
//! public at its own time: a scheduled alert changes no score, order,
//! prefix or suggestion until its date (`docs_at`, `TermList::parse`,
//! `parse_block`). A term's best postings and a block's commonest words are
//! chosen among public alerts only; scheduled alerts' postings and words
//! follow them, all of them.
//! - `site:manifest`: the hash of every part derived from all of
//!   `content/` (these and `site:months`), read by the publisher only, so
//!   that it writes just the parts whose content changed.
//!
//! Each language besides English has the same three kinds under its code
//! (`search:fr:t:<stem>`...), built from its translations ([`meta_key`],
//! [`term_key_in`], [`words_key_in`]).
//!
//! The index is the one set of keys shared by many alerts (by nature: a
//! term's postings name every alert that has it), so it breaks the rule
//! that every key belongs to one alert. It is derived wholly from
//! `content/` by one publish run, which is its only writer.

use crate::i18n::Lang;

/// The hash of every part derived from all of `content/` (the search
/// index and `site:months`), read by the publisher only.
pub const MANIFEST_KEY: &str = "site:manifest";
/// A term keeps its best postings only: a query's work is bounded by this
/// however common its words are (about 40 KB for a word in every alert).
pub const MAX_POSTINGS: usize = 500;
/// The most words one prefix block keeps (the commonest).
pub const MAX_BLOCK_WORDS: usize = 2000;

/// Where `lang`'s index lives: English's keys as above (`search:t:`,
/// `search:w:`, `search:meta`), every other language's the same under its
/// code (`search:fr:t:<stem>`,
/// `search:fr:w:<block>`, `search:fr:meta`), built from its translations
/// alone, so that a search in a language counts, ranks and suggests from
/// that language's alerts and reads no key more than an English one.
fn space(lang: Lang) -> String {
    match lang {
        Lang::En => "search:".to_string(),
        _ => format!("search:{}:", lang.code()),
    }
}

pub fn meta_key(lang: Lang) -> String {
    format!("{}meta", space(lang))
}

pub fn term_key_in(lang: Lang, stem: &str) -> String {
    format!("{}t:{stem}", space(lang))
}

pub fn words_key_in(lang: Lang, folded: &str) -> String {
    format!("{}w:{}", space(lang), block_of(folded))
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

/// Dates as stored after a count: comma-separated unix seconds.
pub(super) fn render_dates(dates: &[i64]) -> String {
    let mut out = String::new();
    for (i, d) in dates.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&d.to_string());
    }
    out
}

/// `count` plus the stored `dates` that are not after `now`.
pub(super) fn count_at(count: u32, dates: &str, now: i64) -> u32 {
    let due = dates
        .split(',')
        .filter_map(|d| d.parse::<i64>().ok())
        .filter(|d| *d <= now)
        .count();
    count.saturating_add(due as u32)
}

/// One word of a prefix block, as read at a time. Stored as
/// `folded\tstem\tdf\tfirst[\tdates]`: `df` the alerts public when the
/// block was built, `dates` the scheduled ones'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockWord<'a> {
    pub folded: &'a str,
    pub stem: &'a str,
    /// How many alerts public at the time read have the word.
    pub df: u32,
    /// The earliest date (unix seconds) of an alert with the word: before
    /// it, the word is an embargoed alert's, and no prefix or suggestion
    /// may use it.
    pub first: i64,
}

/// Reads a prefix block (`search:w:<xx>`) as of `now`: the words of alerts
/// public then, commonest first (the first letters among equals); lines
/// that are not words are skipped.
pub fn parse_block(text: &str, now: i64) -> Vec<BlockWord<'_>> {
    // Words whose count grew since the block was built (scheduled alerts
    // public now) are put in their places; the rest are stored in order.
    let mut words: Vec<BlockWord> = Vec::new();
    let mut grown: Vec<BlockWord> = Vec::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let (Some(folded), Some(stem), Some(Ok(df))) =
            (f.next(), f.next(), f.next().map(str::parse::<u32>))
        else {
            continue;
        };
        let first = f.next().and_then(|d| d.parse().ok()).unwrap_or(0);
        let now_df = count_at(df, f.next().unwrap_or(""), now);
        let w = BlockWord {
            folded,
            stem,
            df: now_df,
            first,
        };
        if now_df == 0 || first > now {
            continue;
        }
        if now_df > df {
            grown.push(w);
        } else {
            words.push(w);
        }
    }
    for w in grown {
        let at = words.partition_point(|x| x.df > w.df || (x.df == w.df && x.folded < w.folded));
        words.insert(at, w);
    }
    words
}

/// `search:meta`: how many alerts were public when the index was built,
/// and the dates of those scheduled then: `{"n": 12, "s": [1733097600]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub docs: u32,
    pub scheduled: Vec<i64>,
}

impl Meta {
    /// How many alerts are public at `now`.
    pub fn docs_at(&self, now: i64) -> u32 {
        let due = self.scheduled.iter().filter(|d| **d <= now).count();
        self.docs.saturating_add(due as u32)
    }

    /// Reads the stored JSON by hand (serde's derived reader of a list
    /// cost the Worker bytes: `make size`); `None` if it is not one.
    pub fn parse(text: &str) -> Option<Meta> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let docs = u32::try_from(v.get("n")?.as_u64()?).ok()?;
        let scheduled = match v.get("s") {
            None => Vec::new(),
            Some(list) => list
                .as_array()?
                .iter()
                .filter_map(serde_json::Value::as_i64)
                .collect(),
        };
        Some(Meta { docs, scheduled })
    }

    pub fn render(&self) -> String {
        if self.scheduled.is_empty() {
            format!("{{\"n\":{}}}", self.docs)
        } else {
            format!(
                "{{\"n\":{},\"s\":[{}]}}",
                self.docs,
                render_dates(&self.scheduled)
            )
        }
    }
}

pub use super::build::build;
pub use super::fields::{all_equal, fields, fields_of, idf, impact, Field};
pub(super) use super::postings::{newest_first, posting_order};
pub use super::postings::{Posting, TermList};
pub use crate::derived::{plan, Plan};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::AlertRecord;
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    /// When these tests build and read the index: after every alert.
    const NOW: i64 = 1_733_011_200;

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
        let parts = build([&a, &b], NOW);
        let list = TermList::parse(&parts["search:t:accredit"], NOW).unwrap();
        assert_eq!(list.df, 2);
        assert!(list.complete());
        let [newer, older] = &list.postings[..] else {
            panic!("{list:?}")
        };
        assert_eq!((newer.slug, older.slug), ("b", "a"), "the newest first");
        assert!(
            older.impact > newer.impact,
            "a title match outweighs a body match"
        );
        assert_eq!(older.category, "opinion");
        assert!(older.has_tag("un-oewg"));
        assert_eq!(TermList::parse(&list.render(&[]), NOW), Some(list));
        assert!(
            !parts.contains_key("search:t:the"),
            "stop words are not indexed"
        );
        let block = parse_block(&parts["search:w:ac"], NOW);
        assert_eq!(block[0].folded, "accreditation");
        assert_eq!((block[0].stem, block[0].df), ("accredit", 2));
        assert_eq!(
            block[0].first,
            a.date.timestamp(),
            "the earlier alert's date"
        );
        assert_eq!(parts[&meta_key(Lang::En)], r#"{"n":2}"#);
    }

    #[test]
    fn drafts_are_not_indexed() {
        let mut d = alert("d", "Secret plan", "Hidden.", 1);
        d.draft = true;
        assert!(!build([&d], NOW).contains_key("search:t:secret"));
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
        let parts = build(&records, NOW);
        let list = TermList::parse(&parts["search:t:common"], NOW).unwrap();
        assert_eq!(list.df as usize, MAX_POSTINGS + 20);
        assert_eq!(list.postings.len(), MAX_POSTINGS);
        assert!(!list.complete());
        assert_eq!(list.postings[0].slug, format!("s{}", MAX_POSTINGS + 19));
    }

    #[test]
    fn plan_writes_only_changed_parts_and_deletes_gone_ones() {
        let a = alert("a", "Accreditation", "Body one.", 1);
        let b = alert("b", "Telecoms", "Body two.", 2);
        let first = build([&a, &b], NOW);
        let p = plan(&first, None, NOW);
        assert_eq!(p.put.len(), first.len() + 1);
        assert!(p.delete.is_empty());
        let manifest = &p.put.last().unwrap().1;
        assert!(plan(&first, Some(manifest), NOW).put.is_empty());
        let b2 = alert("b", "Telecoms", "Body changed.", 2);
        let second = build([&a, &b2], NOW);
        let p2 = plan(&second, Some(manifest), NOW);
        let written: Vec<&str> = p2.put.iter().map(|(k, _)| k.as_str()).collect();
        // `body` moves (b's body is longer? no: same length) and `chang` is new;
        // `two` is gone; a's own terms are untouched.
        assert!(written.contains(&"search:t:chang"));
        assert!(!written.contains(&"search:t:accredit"));
        assert!(p2.delete.contains(&"search:t:two".to_string()));
        assert_eq!(*written.last().unwrap(), MANIFEST_KEY);
    }

    #[test]
    fn a_scheduled_alert_counts_for_nothing_until_its_date() {
        let public: Vec<AlertRecord> = (1..=3)
            .map(|d| alert(&format!("p{d}"), "Mexico telecoms", "Regulators.", d))
            .collect();
        let mut later = alert("later", "Mexico mergers", "Embargoed words.", 1);
        later.date = chrono::DateTime::from_timestamp(NOW + 3600, 0).unwrap();
        let before = build(&public, NOW);
        let with: Vec<AlertRecord> = public.iter().cloned().chain([later.clone()]).collect();
        let after = build(&with, NOW);
        fn read(
            parts: &BTreeMap<String, String>,
            at: i64,
        ) -> (u32, TermList<'_>, Vec<(String, u32)>) {
            let meta = Meta::parse(&parts[&meta_key(Lang::En)]).unwrap();
            let list = TermList::parse(&parts["search:t:mexico"], at).unwrap();
            let block: Vec<(String, u32)> = parse_block(&parts["search:w:me"], at)
                .into_iter()
                .map(|w| (w.folded.to_string(), w.df))
                .collect();
            (meta.docs_at(at), list, block)
        }
        assert_eq!(read(&before, NOW), read(&after, NOW), "before its date");
        let (docs, list, block) = read(&after, NOW + 3600);
        assert_eq!(docs, 4, "at its date");
        assert_eq!(list.df, 4);
        assert!(list.postings.iter().any(|p| p.slug == "later"));
        assert!(block.contains(&("mergers".to_string(), 1)));
        assert_eq!(block[0], ("mexico".to_string(), 4), "commonest first");
        // Its postings come in the newest first, the one whose date came too.
        assert!(list.postings.windows(2).all(|w| w[0].date >= w[1].date));
        assert_eq!(list.postings[0].slug, "later");
    }

    /// What `parse_newest` reads is the start of what `parse` reads, at
    /// every time and length, with the impacts of all of it.
    #[test]
    fn the_newest_postings_are_the_start_of_the_whole_list() {
        let mut records: Vec<AlertRecord> = (0..MAX_POSTINGS + 30)
            .map(|i| {
                let body = "common ".repeat(1 + i % 7);
                let mut r = alert(&format!("s{i:03}"), "Title", &body, 1 + (i % 28) as u32);
                r.date += chrono::Duration::seconds((i % 3) as i64);
                r
            })
            .collect();
        for (i, later) in [60, 60, 7200].into_iter().enumerate() {
            let mut r = alert(&format!("later{i}"), "Common", "Common.", 1);
            r.date = chrono::DateTime::from_timestamp(NOW + later, 0).unwrap();
            records.push(r);
        }
        let built = build(&records, NOW);
        let text = &built["search:t:common"];
        for at in [NOW, NOW + 60, NOW + 7200] {
            let all = TermList::parse(text, at).unwrap();
            for want in [0, 1, 2, 10, 20, 499, 600] {
                let span = std::cell::Cell::new((0, 0));
                let equal = |_, max, min| {
                    span.set((max, min));
                    true
                };
                let head = TermList::parse_newest(text, at, want, equal).unwrap();
                let (max, min) = span.get();
                let n = want
                    .max(all.postings.len() - MAX_POSTINGS)
                    .min(all.postings.len());
                assert_eq!(head.postings, all.postings[..n], "{at} {want}");
                assert_eq!(head.df, all.df);
                assert_eq!(head.postings.len() + head.unread, all.postings.len());
                assert_eq!(head.complete(), all.complete());
                let impacts = all.postings.iter().map(|p| p.impact);
                assert_eq!(
                    (max, min),
                    (impacts.clone().max().unwrap(), impacts.min().unwrap())
                );
            }
        }
        let (head, rest) = text.split_once('\n').unwrap();
        let without_span = format!("{}\n{rest}", head.rsplit_once('\t').unwrap().0);
        assert!(TermList::parse_newest(&without_span, NOW, 10, |_, _, _| true).is_none());
        assert!(
            TermList::parse_newest(text, NOW, 10, |_, _, _| false).is_none(),
            "not when they rank apart"
        );
        assert_eq!(
            TermList::parse(&without_span, NOW),
            TermList::parse(text, NOW),
            "a list without its span is still read whole"
        );
    }

    #[test]
    fn a_scheduled_alert_never_pushes_a_public_posting_out_of_the_best() {
        let public: Vec<AlertRecord> = (0..MAX_POSTINGS)
            .map(|i| {
                let mut r = alert(&format!("s{i}"), "Common", "Body of some length here.", 1);
                r.date += chrono::Duration::seconds(i as i64);
                r
            })
            .collect();
        let mut strong = alert("strong", "Common common common", "Common.", 1);
        strong.date = chrono::DateTime::from_timestamp(NOW + 60, 0).unwrap();
        let with: Vec<AlertRecord> = public.iter().cloned().chain([strong]).collect();
        assert_eq!(
            TermList::parse(&build(&public, NOW)["search:t:common"], NOW),
            TermList::parse(&build(&with, NOW)["search:t:common"], NOW),
        );
        let built = build(&with, NOW);
        let at = TermList::parse(&built["search:t:common"], NOW + 60).unwrap();
        assert_eq!(at.postings[0].slug, "strong", "first at its date");
        assert_eq!(at.df as usize, MAX_POSTINGS + 1);
    }

    #[test]
    fn blocks_are_the_first_two_characters() {
        assert_eq!(block_of("accreditation"), "ac");
        assert_eq!(block_of("ü"), "ü");
        assert_eq!(block_of("éa1"), "éa");
    }
}
