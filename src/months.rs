//! `site:months`: the months that have alerts, written by the publisher from
//! `content/` like the search index (one key derived from every alert), so
//! that a month's archive page is two KV calls (this key and the month's
//! listing) and the sitemap index one, whatever the archive's size.
//!
//! Each line is `yyyy-mm\t<earliest date in the month, unix seconds>\t<alerts>\t<chunk>`,
//! the last the hash of the month's chunk of the `all` listing, so that a
//! month's archive reads it without the listing's index (a line without it,
//! as written before it was added, is read too); drafts are left out. A
//! month is shown once its earliest alert is public, checked per request,
//! so a month of scheduled alerts appears by itself.

use crate::content::AlertRecord;
use crate::dates::YearMonth;
use std::collections::BTreeMap;

/// The key (see `docs/kv-schema.md`).
pub const KEY: &str = "site:months";

/// One month with alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub month: YearMonth,
    /// The earliest alert's date: the month is public from then on.
    pub first: i64,
    pub alerts: u32,
    /// The hash of the month's chunk of the `all` listing (`crate::listing`).
    pub chunk: Option<String>,
}

/// Every month with alerts, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Months(Vec<Month>);

impl Months {
    /// The months of these alerts (drafts left out).
    pub fn of<'a>(records: impl IntoIterator<Item = &'a AlertRecord>) -> Self {
        let mut by: BTreeMap<YearMonth, (i64, u32)> = BTreeMap::new();
        for r in records.into_iter().filter(|r| !r.draft) {
            let e = by
                .entry(YearMonth::of(r.date))
                .or_insert((r.date.timestamp(), 0));
            e.0 = e.0.min(r.date.timestamp());
            e.1 += 1;
        }
        Months(
            by.into_iter()
                .map(|(month, (first, alerts))| Month {
                    month,
                    first,
                    alerts,
                    chunk: None,
                })
                .collect(),
        )
    }

    /// Each month's chunk of the `all` listing, from its index's text.
    pub fn with_chunks(mut self, all_index: &str) -> Self {
        let hashes: BTreeMap<&str, &str> = crate::listing::index_lines(all_index)
            .map(|r| (r.month, r.hash))
            .collect();
        for m in &mut self.0 {
            let month = format!("{:04}-{:02}", m.month.year, m.month.month);
            m.chunk = hashes.get(month.as_str()).map(|h| h.to_string());
        }
        self
    }

    pub fn render(&self) -> String {
        self.0
            .iter()
            .map(|m| {
                format!(
                    "{:04}-{:02}\t{}\t{}\t{}\n",
                    m.month.year,
                    m.month.month,
                    m.first,
                    m.alerts,
                    m.chunk.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    /// Reads the stored list; lines that are not months are skipped.
    pub fn parse(text: &str) -> Self {
        let mut months: Vec<Month> = text
            .lines()
            .filter_map(|line| {
                let mut f = line.split('\t');
                let (y, m) = f.next()?.split_once('-')?;
                let month = YearMonth {
                    year: y.parse().ok()?,
                    month: m.parse().ok().filter(|m| (1..=12).contains(m))?,
                };
                Some(Month {
                    month,
                    first: f.next()?.parse().ok()?,
                    alerts: f.next()?.parse().ok()?,
                    chunk: f.next().filter(|h| !h.is_empty()).map(str::to_string),
                })
            })
            .collect();
        months.sort_by_key(|m| m.month);
        Months(months)
    }

    /// The months with a public alert at `now`, oldest first.
    pub fn public(&self, now: i64) -> impl DoubleEndedIterator<Item = YearMonth> + '_ {
        self.0
            .iter()
            .filter(move |m| m.first <= now)
            .map(|m| m.month)
    }

    pub fn is_public(&self, month: YearMonth, now: i64) -> bool {
        self.public(now).any(|m| m == month)
    }

    /// The earliest month start still ahead of `now` (unix seconds): when
    /// the list of public months next changes by itself.
    pub fn next_first(&self, now: i64) -> Option<i64> {
        self.0.iter().map(|m| m.first).filter(|f| *f > now).min()
    }

    /// The hash of `month`'s chunk of the `all` listing, when the months
    /// name it.
    pub fn chunk(&self, month: YearMonth) -> Option<&str> {
        self.0.iter().find(|m| m.month == month)?.chunk.as_deref()
    }

    /// The nearest newer and older months with a public alert.
    pub fn neighbours(&self, month: YearMonth, now: i64) -> (Option<YearMonth>, Option<YearMonth>) {
        (
            self.public(now).find(|m| *m > month),
            self.public(now).rev().find(|m| *m < month),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn alert(slug: &str, y: i32, m: u32, d: u32, draft: bool) -> AlertRecord {
        AlertRecord {
            draft,
            ..AlertRecord::new(
                slug,
                "T",
                chrono::Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap(),
                "B",
            )
        }
    }

    #[test]
    fn months_round_trip_and_skip_drafts() {
        let records = [
            alert("a", 2024, 11, 20, false),
            alert("b", 2024, 11, 5, false),
            alert("c", 2023, 2, 1, false),
            alert("d", 2022, 1, 1, true),
        ];
        let months = Months::of(&records);
        let text = months.render();
        assert_eq!(Months::parse(&text), months);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.starts_with("2023-02\t"));
        assert!(
            text.contains("2024-11\t1730764800\t2\t\n"),
            "earliest date, two alerts: {text}"
        );
    }

    #[test]
    fn months_name_the_all_listing_s_chunk_and_read_lines_without_it() {
        let records = [
            alert("a", 2024, 11, 20, false),
            alert("c", 2023, 2, 1, false),
        ];
        let index = "2024-11\t7\tabc123\n2023-02\t1\tdef456\n\nhead lines\n";
        let months = Months::of(&records).with_chunks(index);
        let back = Months::parse(&months.render());
        assert_eq!(back, months);
        let nov = YearMonth {
            year: 2024,
            month: 11,
        };
        // The hash the index has for the month's chunk.
        assert_eq!(back.chunk(nov), Some("abc123"));
        assert_eq!(
            back.chunk(YearMonth {
                year: 2023,
                month: 2
            }),
            Some("def456")
        );
        // Written before the chunk was named: read, with no chunk.
        let old = Months::parse("2024-11\t1732060800\t1\n");
        assert!(old.is_public(nov, 1_732_060_800));
        assert_eq!(old.chunk(nov), None);
        assert_eq!(
            back.chunk(YearMonth {
                year: 2024,
                month: 10
            }),
            None
        );
    }

    #[test]
    fn a_month_of_scheduled_alerts_appears_at_its_first_date() {
        let records = [
            alert("a", 2024, 10, 1, false),
            alert("b", 2024, 12, 10, false),
            alert("c", 2025, 1, 2, false),
        ];
        let months = Months::of(&records);
        let nov = YearMonth {
            year: 2024,
            month: 11,
        };
        let dec = YearMonth {
            year: 2024,
            month: 12,
        };
        let before = chrono::Utc
            .with_ymd_and_hms(2024, 12, 9, 0, 0, 0)
            .unwrap()
            .timestamp();
        assert!(!months.is_public(dec, before));
        assert_eq!(
            months.neighbours(nov, before),
            (
                None,
                Some(YearMonth {
                    year: 2024,
                    month: 10
                })
            )
        );
        let after = before + 2 * 86_400;
        assert!(months.is_public(dec, after));
        assert_eq!(months.neighbours(nov, after).0, Some(dec));
    }

    #[test]
    fn damaged_lines_are_skipped() {
        let months = Months::parse("2024-13\t0\t1\nnot a line\n2024-11\t5\t1\n");
        assert_eq!(
            months.public(10).collect::<Vec<_>>(),
            [YearMonth {
                year: 2024,
                month: 11
            }]
        );
    }
}
