//! `site:notify`: the alerts that may still be mailed, derived by the
//! publisher from every alert like `site:months`, so that the scheduled
//! handler reads one key a run, whatever the archive's size.
//!
//! It holds the `RECENT` newest non-draft alerts by date (scheduled ones
//! are the newest), plus every alert whose front matter says
//! `notify = "again"`. One line each:
//! `<mailing>\t<slug>\t<date, unix seconds>\t<topic>\t<topic>...`.
//! The mailing id is the slug, or `<slug>#<content hash>` for `notify =
//! "again"`, so that each edit of such an alert is one more mailing and
//! any other edit none. An alert goes out when its date has passed, if its
//! date is at most `max_age` old (an alert dated long ago is an archive
//! import, not news) or it asks to go out again.

use crate::content::AlertRecord;

/// The key (see `docs/kv-schema.md`).
pub const KEY: &str = "site:notify";
/// How many of the newest alerts the key holds.
pub const RECENT: usize = 100;

/// One alert that may go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub mailing: String,
    pub slug: String,
    /// Unix seconds.
    pub date: i64,
    pub topics: Vec<String>,
}

impl Entry {
    pub fn again(&self) -> bool {
        self.mailing.contains('#')
    }
}

/// The mailing id of an alert.
pub fn mailing_of(r: &AlertRecord) -> String {
    if r.notify_again {
        let hash: String = r.validator().chars().take(16).collect();
        format!("{}#{hash}", r.slug)
    } else {
        r.slug.clone()
    }
}

/// The key's value for these alerts.
pub fn render<'a>(records: impl IntoIterator<Item = &'a AlertRecord>) -> String {
    let mut public: Vec<&AlertRecord> = records.into_iter().filter(|r| !r.draft).collect();
    public.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    public
        .iter()
        .enumerate()
        .filter(|(i, r)| *i < RECENT || r.notify_again)
        .map(|(_, r)| {
            let mut line = format!("{}\t{}\t{}", mailing_of(r), r.slug, r.date.timestamp());
            for t in super::topics::of_alert(r.category.as_deref(), &r.tags) {
                line.push('\t');
                line.push_str(&t);
            }
            line.push('\n');
            line
        })
        .collect()
}

/// Reads the key's value; malformed lines are skipped.
pub fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let mailing = f.next()?.to_string();
            let slug = f.next()?.to_string();
            let date = f.next()?.parse().ok()?;
            (!mailing.is_empty() && crate::keys::is_valid_slug(&slug)).then_some(())?;
            Some(Entry {
                mailing,
                slug,
                date,
                topics: f.map(str::to_string).collect(),
            })
        })
        .collect()
}

/// The entries due at `now` (unix seconds): public, and recent enough or
/// sent again on purpose.
pub fn due(entries: &[Entry], now: i64, max_age_seconds: i64) -> Vec<&Entry> {
    entries
        .iter()
        .filter(|e| e.date <= now && (e.again() || e.date >= now - max_age_seconds))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn alert(slug: &str, day: u32) -> AlertRecord {
        AlertRecord {
            category: Some("Opinion".into()),
            tags: vec!["UN OEWG".into()],
            content_hash: format!("{slug}-hash-0123456789abcdef"),
            ..AlertRecord::new(
                slug,
                "T",
                chrono::Utc
                    .with_ymd_and_hms(2024, 11, day, 0, 0, 0)
                    .unwrap(),
                "x",
            )
        }
    }

    fn at(day: u32) -> i64 {
        chrono::Utc
            .with_ymd_and_hms(2024, 11, day, 0, 0, 0)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn holds_the_newest_public_alerts_and_the_ones_sent_again() {
        let mut records: Vec<AlertRecord> = (1..=28).map(|d| alert(&format!("a{d}"), d)).collect();
        records[0].notify_again = true;
        records[1].draft = true;
        let mut many = records.clone();
        for i in 0..RECENT {
            many.push(alert(&format!("z{i}"), 29));
        }
        let entries = parse(&render(&many));
        assert_eq!(
            entries.len(),
            RECENT + 1,
            "the newest, and the one sent again"
        );
        assert!(entries.iter().any(|e| e.slug == "a1" && e.again()));
        assert!(
            entries.iter().all(|e| e.slug != "a2"),
            "a draft never goes out"
        );
        let e = &parse(&render(&records))[0];
        assert_eq!(e.slug, "a28");
        assert_eq!(e.mailing, "a28");
        assert_eq!(e.topics, ["c:Opinion", "t:UN OEWG"]);
    }

    #[test]
    fn due_when_public_and_recent_or_asked_again() {
        let mut records = vec![alert("old", 1), alert("recent", 20), alert("scheduled", 28)];
        records[0].notify_again = false;
        let entries = parse(&render(&records));
        let week = 7 * 86_400;
        let slugs = |now| {
            due(&entries, now, week)
                .iter()
                .map(|e| e.slug.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(slugs(at(21)), ["recent"]);
        assert_eq!(slugs(at(27)), ["recent"], "seven days old");
        assert_eq!(
            slugs(at(28)),
            ["scheduled"],
            "eight days old: no longer news"
        );
        records[0].notify_again = true;
        let entries = parse(&render(&records));
        let due_now: Vec<_> = due(&entries, at(21), week)
            .into_iter()
            .map(|e| e.mailing.clone())
            .collect();
        assert_eq!(due_now, ["recent", "old#old-hash-0123456"]);
    }
}
