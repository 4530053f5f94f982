//! The listing keys (`crate::listing`) built from every alert, by the
//! publisher, like the search index: one index per listing and one chunk
//! per month of it. Publishing one alert changes the chunks of its month in
//! the listings it is in (every alert, its category, each of its tags) and
//! those listings' indexes: 2 × (2 + tags + translations) keys, whatever
//! the archive's size, and a month's chunk holds that month's alerts only.
//! A language's listing (`Listing::Lang`) holds the alerts translated into
//! it: its feeds read it.

use crate::content::{AlertRecord, ListingEntry};
use crate::derived::part_hash;
use crate::keys;
use crate::listing::{chunk_line, index_text, month_of, Listing, HEAD};
use std::collections::{BTreeMap, BTreeSet};

/// Every listing key and its value, for these alerts (drafts left out).
pub fn build<'a>(records: impl IntoIterator<Item = &'a AlertRecord>) -> BTreeMap<String, String> {
    let mut listings: BTreeMap<Listing, BTreeMap<String, Vec<ListingEntry>>> = BTreeMap::new();
    for r in records.into_iter().filter(|r| !r.draft) {
        let entry = r.entry();
        let month = month_of(entry.meta.date);
        let mut of = vec![Listing::All];
        of.extend(
            r.category
                .as_deref()
                .map(|c| Listing::Category(keys::name_slug(c))),
        );
        let tags: BTreeSet<String> = r.tags.iter().map(|t| keys::name_slug(t)).collect();
        of.extend(tags.into_iter().map(Listing::Tag));
        of.extend(r.translations.iter().map(|t| Listing::Lang(t.lang)));
        for listing in of {
            listings
                .entry(listing)
                .or_default()
                .entry(month.clone())
                .or_default()
                .push(entry.clone());
        }
    }
    let mut parts = BTreeMap::new();
    for (listing, months) in listings {
        let mut refs = Vec::new();
        let mut head = Vec::new();
        for (month, mut entries) in months.into_iter().rev() {
            entries.sort_by(|a, b| b.meta.date.cmp(&a.meta.date).then(a.slug.cmp(&b.slug)));
            let lines: Vec<String> = entries.iter().map(chunk_line).collect();
            let take = HEAD.saturating_sub(head.len()).min(lines.len());
            head.extend_from_slice(&lines[..take]);
            let text = lines.concat();
            let hash = part_hash(&text);
            refs.push((month.clone(), entries.len(), hash.clone()));
            parts.insert(listing.chunk_key(&month, &hash), text);
        }
        let index = index_text(
            refs.iter().map(|(m, n, h)| (m.as_str(), *n, h.as_str())),
            &head,
        );
        parts.insert(listing.index_key(), index);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::index_lines;
    use chrono::{TimeZone, Utc};

    fn record(slug: &str, month: u32, day: u32, tags: &[&str]) -> AlertRecord {
        AlertRecord {
            category: Some("UN OEWG".into()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..AlertRecord::new(
                slug,
                "T",
                Utc.with_ymd_and_hms(2024, month, day, 0, 0, 0).unwrap(),
                "B",
            )
        }
    }

    #[test]
    fn one_index_per_listing_and_one_chunk_per_month_newest_first() {
        let a = record("a", 10, 3, &["Mexico"]);
        let b = record("b", 11, 5, &["Mexico", "Telecoms"]);
        let c = record("c", 11, 5, &[]);
        let mut draft = record("d", 11, 9, &["Mexico"]);
        draft.draft = true;
        let parts = build([&a, &b, &c, &draft]);
        let all = &parts["ls:all"];
        let refs: Vec<_> = index_lines(all).collect();
        assert_eq!(
            refs.iter()
                .map(|r| (r.month, r.entries))
                .collect::<Vec<_>>(),
            [("2024-11", 2), ("2024-10", 1)]
        );
        let november = &parts[&Listing::All.chunk_key("2024-11", refs[0].hash)];
        let slugs: Vec<&str> = november
            .lines()
            .map(|l| l.split('\t').nth(1).unwrap())
            .collect();
        assert_eq!(slugs, ["b", "c"], "same date: by slug; no draft");
        assert!(parts.contains_key("ls:cat:un-oewg"));
        assert!(parts.contains_key("ls:tag:mexico"));
        assert!(parts.contains_key("ls:tag:telecoms"));
        // 1 all + 1 category + 2 tags, an index each, and a chunk per
        // month of each: all 2, category 2, Mexico 2, Telecoms 1.
        assert_eq!(parts.len(), 4 + 2 + 2 + 2 + 1);
    }

    #[test]
    fn a_translated_alert_is_also_in_its_languages_listings() {
        let mut a = record("a", 10, 3, &[]);
        let b = record("b", 10, 4, &[]);
        a.translations = vec![crate::i18n::Translation {
            lang: crate::i18n::Lang::Fr,
            title: "Titre".into(),
            summary: "Résumé.".into(),
            contact_note: None,
            image_alt: None,
            translated: a.date,
            body: "Texte.".into(),
        }];
        let parts = build([&a, &b]);
        let fr = &parts["ls:lang:fr"];
        let refs: Vec<_> = index_lines(fr).collect();
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].entries, 1, "only the translated alert");
        let chunk =
            &parts[&Listing::Lang(crate::i18n::Lang::Fr).chunk_key("2024-10", refs[0].hash)];
        assert!(chunk.contains("\tfr\u{1f}Titre\u{1f}Résumé."), "{chunk:?}");
        assert!(!parts.contains_key("ls:lang:ar"));
        // Its lines in every listing carry the translation.
        assert!(parts["ls:all"].contains("fr\u{1f}Titre"));
    }

    #[test]
    fn the_index_holds_the_newest_entries_as_its_head() {
        let old: Vec<AlertRecord> = (1..=28)
            .flat_map(|d| (1..=3).map(move |m| record(&format!("a-{m}-{d}"), m, d, &[])))
            .collect();
        let parts = build(&old);
        let head = crate::listing::index_head(&parts["ls:all"]).unwrap();
        assert!(!head.whole);
        let slugs: Vec<&str> = head
            .text
            .lines()
            .map(|l| l.split('\t').nth(1).unwrap())
            .collect();
        assert_eq!(slugs.len(), HEAD);
        assert_eq!(&slugs[..2], ["a-3-28", "a-3-27"], "newest first");
        assert_eq!(slugs[HEAD - 1], "a-2-27", "across months");
        let few = build(&old[..3]);
        assert!(crate::listing::index_head(&few["ls:all"]).unwrap().whole);
    }

    #[test]
    fn adding_an_alert_changes_only_its_months_chunks_and_their_indexes() {
        let old: Vec<AlertRecord> = (1..=28)
            .flat_map(|d| (1..=12).map(move |m| record(&format!("a-{m}-{d}"), m, d, &["Tag"])))
            .collect();
        let before = build(&old);
        let new = record("new", 6, 15, &["Tag", "Other"]);
        let after = build(old.iter().chain([&new]));
        let changed: Vec<&String> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(*v))
            .map(|(k, _)| k)
            .collect();
        // all, category, Tag: chunk + index each; Other: new chunk + index.
        assert_eq!(changed.len(), 8, "{changed:?}");
        assert!(changed
            .iter()
            .all(|k| !k.contains("2024-05") && !k.contains("2024-07")));
    }
}
