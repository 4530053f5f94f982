//! `site:notify`: the alerts and change notes that may still be mailed,
//! derived by the publisher from every alert like `site:months`, so that
//! the scheduled handler reads one key a run, whatever the archive's size.
//!
//! It holds the `RECENT` newest non-draft alerts by date (scheduled ones
//! are the newest), then the `RECENT` newest change notes of non-draft
//! alerts dated after their alert's own date (a note dated with the alert
//! is part of its first mailing). One line each:
//! `<mailing>\t<slug>\t<date, unix seconds>\t<topic>\t<topic>...`, the date
//! being the note's for a note. The mailing id is the slug for the alert,
//! and `<slug>@<yyyy-mm-dd>#<hash>` for a change note (`note_mailing`: the
//! note's day and the first 8 hex digits of its text's SHA-256), so that
//! each note is one mailing, claimed once in D1 whatever the retries, and
//! any other edit none. Each goes out once its date has passed, if that
//! date is at most `max_age` old (an alert dated long ago is an archive
//! import, not news).

use crate::content::{AlertRecord, Change};
use chrono::Datelike;
use sha2::{Digest, Sha256};

/// The key (see `docs/kv-schema.md`).
pub const KEY: &str = "site:notify";
/// How many of the newest alerts the key holds, and how many of the newest
/// change notes.
pub const RECENT: usize = 100;

/// One alert, or one change note, that may go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub mailing: String,
    pub slug: String,
    /// Unix seconds: the alert's date, or the note's.
    pub date: i64,
    pub topics: Vec<String>,
}

impl Entry {
    /// Whether it is a change note's mailing (else the alert's first).
    pub fn is_note(&self) -> bool {
        self.mailing != self.slug
    }

    /// A note's mailing id up to its hash, `<slug>@<yyyy-mm-dd>#`: the
    /// same for every wording of a note of that day.
    pub fn note_day(&self) -> Option<&str> {
        let hash = self.mailing.find('#')?;
        self.is_note().then(|| &self.mailing[..=hash])
    }
}

/// The mailing id of a change note of alert `slug`:
/// `<slug>@<yyyy-mm-dd>#<8 hex digits of the note's SHA-256>`.
pub fn note_mailing(slug: &str, change: &Change) -> String {
    let d = change.date;
    let digest = Sha256::digest(change.note.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{slug}@{:04}-{:02}-{:02}#{hash}",
        d.year(),
        d.month(),
        d.day()
    )
}

/// The change note of `record` that mailing `id` sends: the note with that
/// id or, when it was reworded after its mailing started (its id changed
/// with its words), the only note of its day, as it reads now.
pub fn note_of<'r>(record: &'r AlertRecord, id: &str) -> Option<&'r Change> {
    let ids: Vec<String> = record
        .changes
        .iter()
        .map(|c| note_mailing(&record.slug, c))
        .collect();
    if let Some(i) = ids.iter().position(|m| m == id) {
        return record.changes.get(i);
    }
    let day = &id[..=id.find('#')?];
    let mut of_day = ids.iter().enumerate().filter(|(_, m)| m.starts_with(day));
    match (of_day.next(), of_day.next()) {
        (Some((i, _)), None) => record.changes.get(i),
        _ => None,
    }
}

fn line(mailing: &str, r: &AlertRecord, date: i64) -> String {
    let mut line = format!("{mailing}\t{}\t{date}", r.slug);
    for t in super::topics::of_alert(r.category.as_deref(), &r.tags) {
        line.push('\t');
        line.push_str(&t);
    }
    line.push('\n');
    line
}

/// The key's value for these alerts.
pub fn render<'a>(records: impl IntoIterator<Item = &'a AlertRecord>) -> String {
    let mut public: Vec<&AlertRecord> = records.into_iter().filter(|r| !r.draft).collect();
    public.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    let mut notes: Vec<(&AlertRecord, &Change)> = public
        .iter()
        .flat_map(|r| {
            r.changes
                .iter()
                .filter(|c| c.date > r.date)
                .map(move |c| (*r, c))
        })
        .collect();
    notes.sort_by(|(ra, a), (rb, b)| b.date.cmp(&a.date).then(ra.slug.cmp(&rb.slug)));
    let alerts = public
        .iter()
        .take(RECENT)
        .map(|r| line(&r.slug, r, r.date.timestamp()));
    let notes = notes
        .iter()
        .take(RECENT)
        .map(|(r, c)| line(&note_mailing(&r.slug, c), r, c.date.timestamp()));
    alerts.chain(notes).collect()
}

/// Whether `mailing` is one of `slug`'s: the slug itself, or a change
/// note's id (`<slug>@<yyyy-mm-dd>#<hash>`).
fn of_slug(mailing: &str, slug: &str) -> bool {
    mailing == slug
        || mailing
            .strip_prefix(slug)
            .and_then(|rest| rest.strip_prefix('@'))
            .and_then(|rest| rest.split_once('#'))
            .is_some_and(|(day, hash)| {
                day.len() == 10
                    && day.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                    && !hash.is_empty()
                    && hash.bytes().all(|b| b.is_ascii_hexdigit())
            })
}

/// Reads the key's value; malformed lines, and lines of another shape
/// (such as the `<slug>#<hash>` of the retired `notify = "again"`), are
/// skipped.
pub fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let mailing = f.next()?.to_string();
            let slug = f.next()?.to_string();
            let date = f.next()?.parse().ok()?;
            (crate::keys::is_valid_slug(&slug) && of_slug(&mailing, &slug)).then_some(())?;
            Some(Entry {
                mailing,
                slug,
                date,
                topics: f.map(str::to_string).collect(),
            })
        })
        .collect()
}

/// The entries due at `now` (unix seconds): dated up to now, and at most
/// `max_age_seconds` before it.
pub fn due(entries: &[Entry], now: i64, max_age_seconds: i64) -> Vec<&Entry> {
    entries
        .iter()
        .filter(|e| e.date <= now && e.date >= now - max_age_seconds)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(day: u32) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc
            .with_ymd_and_hms(2024, 11, day, 0, 0, 0)
            .unwrap()
    }

    fn alert(slug: &str, d: u32) -> AlertRecord {
        AlertRecord {
            category: Some("Opinion".into()),
            tags: vec!["UN OEWG".into()],
            content_hash: format!("{slug}-hash-0123456789abcdef"),
            ..AlertRecord::new(slug, "T", day(d), "x")
        }
    }

    fn note(d: u32, text: &str) -> Change {
        Change {
            date: day(d),
            note: text.into(),
        }
    }

    fn at(d: u32) -> i64 {
        day(d).timestamp()
    }

    #[test]
    fn holds_the_newest_public_alerts() {
        let mut records: Vec<AlertRecord> = (1..=28).map(|d| alert(&format!("a{d}"), d)).collect();
        records[1].draft = true;
        let mut many = records.clone();
        for i in 0..RECENT {
            many.push(alert(&format!("z{i}"), 29));
        }
        let entries = parse(&render(&many));
        assert_eq!(entries.len(), RECENT, "the newest only");
        assert!(entries.iter().all(|e| e.slug.starts_with('z')));
        let entries = parse(&render(&records));
        assert!(
            entries.iter().all(|e| e.slug != "a2"),
            "a draft never goes out"
        );
        let e = &entries[0];
        assert_eq!(e.slug, "a28");
        assert_eq!(e.mailing, "a28");
        assert!(!e.is_note());
        assert_eq!(e.topics, ["c:Opinion", "t:UN OEWG"]);
    }

    #[test]
    fn due_when_public_and_recent() {
        let records = vec![alert("old", 1), alert("recent", 20), alert("scheduled", 28)];
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
    }

    #[test]
    fn a_note_s_mailing_id_names_the_alert_the_day_and_the_words() {
        let n = note(27, "Corrected the deadline for comments to 6 December.");
        let id = note_mailing("oewg-call", &n);
        assert!(id.starts_with("oewg-call@2024-11-27#"), "{id}");
        assert_eq!(id.len(), "oewg-call@2024-11-27#".len() + 8);
        assert_eq!(id, note_mailing("oewg-call", &n.clone()), "stable");
        let reworded = note(27, "Corrected the deadline for comments to 7 December.");
        assert_ne!(id, note_mailing("oewg-call", &reworded));
        // A datetime's day is its UTC day.
        let late = Change {
            date: chrono::Utc
                .with_ymd_and_hms(2024, 11, 27, 23, 59, 0)
                .unwrap(),
            ..n
        };
        assert!(note_mailing("oewg-call", &late).starts_with("oewg-call@2024-11-27#"));
    }

    #[test]
    fn each_note_dated_after_its_alert_is_an_entry_of_its_own() {
        let mut a = alert("a", 20);
        a.changes = vec![
            note(20, "Dated with the alert: its first mailing carries it."),
            note(22, "First correction."),
            note(25, "Second correction."),
        ];
        let mut draft = alert("d", 21);
        draft.draft = true;
        draft.changes = vec![note(23, "A draft's note.")];
        let entries = parse(&render([&a, &draft]));
        let mailings: Vec<&str> = entries.iter().map(|e| e.mailing.as_str()).collect();
        assert_eq!(
            mailings,
            [
                "a".to_string(),
                note_mailing("a", &a.changes[2]),
                note_mailing("a", &a.changes[1]),
            ]
        );
        let first = &entries[1];
        assert!(first.is_note());
        assert_eq!(first.date, at(25), "the note's date");
        assert_eq!(
            first.topics,
            ["c:Opinion", "t:UN OEWG"],
            "the alert's topics"
        );
        assert_eq!(first.note_day(), Some("a@2024-11-25#"));
        assert_eq!(entries[0].note_day(), None);
        assert_eq!(note_of(&a, &first.mailing), Some(&a.changes[2]));
        assert_eq!(
            note_of(&a, "a@2024-11-25#00000000"),
            Some(&a.changes[2]),
            "reworded since: the note of that day as it reads now"
        );
        assert_eq!(note_of(&a, "a@2024-11-24#00000000"), None);
        assert_eq!(note_of(&a, "b@2024-11-25#00000000"), None);
        assert_eq!(note_of(&a, "a"), None);
        // Within the window, each note is due from its date on.
        let week = 7 * 86_400;
        let due_at = |now| {
            due(&entries, now, week)
                .iter()
                .map(|e| e.mailing.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(due_at(at(21)), ["a"]);
        assert_eq!(due_at(at(24)).len(), 2);
        assert_eq!(due_at(at(25)).len(), 3);
        assert_eq!(
            due_at(at(30)),
            [note_mailing("a", &a.changes[2])],
            "the alert and the first note are past the window"
        );
    }

    #[test]
    fn holds_the_newest_notes_only() {
        let mut a = alert("a", 1);
        a.changes = (0..RECENT as i64 + 5)
            .map(|i| Change {
                date: day(2) + chrono::Duration::minutes(i),
                note: format!("Note {i}."),
            })
            .collect();
        let entries = parse(&render([&a]));
        assert_eq!(entries.len(), 1 + RECENT);
        assert_eq!(
            entries[1].mailing,
            note_mailing("a", a.changes.last().unwrap())
        );
    }

    #[test]
    fn lines_of_another_shape_are_skipped() {
        let text = "a\ta\t1\nb#0123456789abcdef\tb\t1\nc@2024-11-27#0a1b2c3d\tc\t1\nd@x#y\td\t1\nx@2024-11-27#0a1b2c3d\te\t1\n";
        let mailings: Vec<String> = parse(text).into_iter().map(|e| e.mailing).collect();
        assert_eq!(mailings, ["a", "c@2024-11-27#0a1b2c3d"]);
    }
}
