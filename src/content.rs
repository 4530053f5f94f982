//! The content model as the Worker reads it from KV: already structured by
//! the publisher (which parses the TOML front matter natively), so the Worker
//! only deserializes JSON.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A named contact as the public may see it: never an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Stable id (`gordon-mackay`), used in `/contact?to=<id>`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Optional role shown under the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The general inbox, preselected when no one is chosen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub general: bool,
}

/// One alert as stored under `alert:<slug>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    pub slug: String,
    pub title: String,
    /// Publication time; in the future means scheduled. Stored as unix
    /// seconds, so the Worker needs no date parser (about 10 KB of wasm).
    #[serde(with = "chrono::serde::ts_seconds")]
    pub date: DateTime<Utc>,
    #[serde(default, with = "chrono::serde::ts_seconds_option")]
    pub updated: Option<DateTime<Utc>>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Listing, feed and meta-description text (plain).
    pub summary: String,
    /// Named contacts, resolved by the publisher (names and roles only).
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub contact_note: Option<String>,
    /// Explicit related alerts, resolved by the publisher.
    #[serde(default)]
    pub related: Vec<ListingEntry>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_alt: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Change notes (`[[changes]]`), oldest first, each dated after the
    /// alert's date (the publisher checks the order). A note is shown, and
    /// mailed once (`crate::mail::notify`), from its date on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Its public translations (`crate::i18n::Translation`), in
    /// `crate::i18n::CODES` order, at most one per language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<crate::i18n::Translation>,
    /// The Markdown body, rendered on each request.
    pub body: String,
    /// Hash of the whole record (related entries included): what the
    /// publisher compares to know whether to write the alert again.
    pub hash: String,
    /// Hash of what the alert itself shows (its record without `related`):
    /// the basis of its ETags and of the feeds', so that editing an
    /// embargoed alert named in `related` changes nothing a reader can see.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_hash: String,
}

/// One change note: what changed in the alert, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    #[serde(with = "chrono::serde::ts_seconds")]
    pub date: DateTime<Utc>,
    /// Plain text (escaped wherever it is shown).
    pub note: String,
}

impl AlertRecord {
    /// The change notes readers may see at `now` (those dated up to it),
    /// oldest first.
    pub fn changes_at(&self, now: DateTime<Utc>) -> &[Change] {
        let seen = self.changes.partition_point(|c| c.date <= now);
        &self.changes[..seen]
    }

    /// When the alert was last updated as readers see it at `now`: the
    /// later of its `updated` and its newest change note that has come.
    pub fn updated_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let note = self.changes_at(now).last().map(|c| c.date);
        self.updated.max(note)
    }

    /// When the alert last changed as readers see it at `now`: its update
    /// (`updated_at`), else its publication (the publisher refuses an
    /// update or a change note before the date).
    pub fn modified_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.updated_at(now).unwrap_or(self.date)
    }

    /// Its latest update, change notes dated later than now included: what
    /// its listing entries carry as `u`.
    pub fn last_update(&self) -> Option<DateTime<Utc>> {
        self.updated_at(DateTime::<Utc>::MAX_UTC)
    }

    /// A public alert with no category, tags, contacts, image or aliases:
    /// the start of a record for tools, tests and benchmarks.
    pub fn new(slug: &str, title: &str, date: DateTime<Utc>, body: &str) -> Self {
        AlertRecord {
            slug: slug.into(),
            title: title.into(),
            date,
            updated: None,
            category: None,
            tags: Vec::new(),
            summary: String::new(),
            contacts: Vec::new(),
            contact_note: None,
            related: Vec::new(),
            draft: false,
            image: None,
            image_alt: None,
            aliases: Vec::new(),
            changes: Vec::new(),
            translations: Vec::new(),
            body: body.into(),
            hash: String::new(),
            content_hash: String::new(),
        }
    }

    /// What the alert's validators are made of: its content hash (records
    /// written before it existed: the whole record's).
    pub fn validator(&self) -> &str {
        if self.content_hash.is_empty() {
            &self.hash
        } else {
            &self.content_hash
        }
    }

    /// Its translation into `lang`, if it has one.
    pub fn translation(&self, lang: crate::i18n::Lang) -> Option<&crate::i18n::Translation> {
        self.translations.iter().find(|t| t.lang == lang)
    }

    /// Its Markdown body in `lang`: its translation's, else its own.
    pub fn body_in(&self, lang: crate::i18n::Lang) -> std::borrow::Cow<'_, str> {
        self.translation(lang)
            .map_or(std::borrow::Cow::Borrowed(&*self.body), |t| t.body.text())
    }

    /// The languages it can be read in: English, then its translations'.
    pub fn languages(&self) -> Vec<crate::i18n::Lang> {
        let mut out = vec![crate::i18n::Lang::En];
        out.extend(self.translations.iter().map(|t| t.lang));
        out
    }

    /// Whether readers may see it at `now`: not a draft, date passed.
    pub fn is_public(&self, now: DateTime<Utc>) -> bool {
        !self.draft && self.date <= now
    }

    /// The listing entry for this alert (the metadata of its index keys),
    /// with the summary cut to fit KV's metadata limit.
    pub fn entry(&self) -> ListingEntry {
        ListingEntry {
            slug: self.slug.clone(),
            meta: ListingMeta {
                title: self.title.clone(),
                date: self.date.timestamp(),
                hash: self.validator().to_string(),
                updated: self.last_update().map(|u| u.timestamp()),
                category: self.category.clone(),
                tags: self.tags.clone(),
                summary: truncate_words(&self.summary, SUMMARY_MAX_CHARS),
                texts: self
                    .translations
                    .iter()
                    .map(|t| EntryText {
                        lang: t.lang,
                        title: t.title.clone(),
                        summary: truncate_words(&t.summary, SUMMARY_MAX_CHARS),
                    })
                    .collect(),
            },
        }
    }
}

/// What a listing needs of one alert: one line of a listing's chunk
/// (`crate::listing`), and as JSON an alert's related entries (short field
/// names, since every record carries a few).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingMeta {
    #[serde(rename = "t")]
    pub title: String,
    /// Unix seconds.
    #[serde(rename = "d")]
    pub date: i64,
    /// The alert's content hash (its validator): feeds are validated and
    /// cached by it without reading the records.
    #[serde(rename = "h", default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<i64>,
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(rename = "g", default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(rename = "s")]
    pub summary: String,
    /// Its title and summary in each language it is translated into (UN
    /// order): listings in a language show them, feeds in it hold them.
    #[serde(rename = "l", default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<EntryText>,
}

/// An alert's title and summary in one of its translations' languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryText {
    #[serde(rename = "l")]
    pub lang: crate::i18n::Lang,
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "s")]
    pub summary: String,
}

impl ListingMeta {
    /// The languages it can be read in: English, then its translations'.
    pub fn languages(&self) -> Vec<crate::i18n::Lang> {
        let mut out = vec![crate::i18n::Lang::En];
        out.extend(self.texts.iter().map(|t| t.lang));
        out
    }

    /// Its title and summary in `lang`, if it is translated into it.
    pub fn text(&self, lang: crate::i18n::Lang) -> Option<&EntryText> {
        self.texts.iter().find(|t| t.lang == lang)
    }
}

/// A listing entry: the slug (from the key) and its metadata. Stored (in
/// an alert's `related`) as one flat object, `{"slug", "t", "d", ...}`; the
/// conversion through `FlatEntry` does what `#[serde(flatten)]` would without
/// its buffering, which made every alert read about a tenth slower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "FlatEntry", into = "FlatEntry")]
pub struct ListingEntry {
    pub slug: String,
    pub meta: ListingMeta,
}

#[derive(Clone, Serialize, Deserialize)]
struct FlatEntry {
    slug: String,
    #[serde(rename = "t")]
    title: String,
    #[serde(rename = "d")]
    date: i64,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    updated: Option<i64>,
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(rename = "g", default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(rename = "s")]
    summary: String,
    #[serde(rename = "l", default, skip_serializing_if = "Vec::is_empty")]
    texts: Vec<EntryText>,
}

impl From<FlatEntry> for ListingEntry {
    fn from(f: FlatEntry) -> Self {
        ListingEntry {
            slug: f.slug,
            meta: ListingMeta {
                title: f.title,
                date: f.date,
                // Related entries do not carry it (the record's own hash
                // would then change with every related alert's edit).
                hash: String::new(),
                updated: f.updated,
                category: f.category,
                tags: f.tags,
                summary: f.summary,
                texts: f.texts,
            },
        }
    }
}

impl From<ListingEntry> for FlatEntry {
    fn from(e: ListingEntry) -> Self {
        let m = e.meta;
        FlatEntry {
            slug: e.slug,
            title: m.title,
            date: m.date,
            updated: m.updated,
            category: m.category,
            tags: m.tags,
            summary: m.summary,
            texts: m.texts,
        }
    }
}

impl ListingEntry {
    /// When the alert last changed as readers see it at `now` (unix
    /// seconds): its update, else its publication; `None` while its latest
    /// update is dated later than `now` (a change note still to come: the
    /// entry does not say what came before it).
    pub fn modified_at(&self, now: i64) -> Option<DateTime<Utc>> {
        match self.meta.updated {
            Some(u) if u > now => None,
            u => DateTime::from_timestamp(u.unwrap_or(self.meta.date), 0),
        }
    }

    /// Its update as readers see it at `now`: `None` while it is dated
    /// later (see `modified_at`).
    pub fn updated_at(&self, now: i64) -> Option<i64> {
        self.meta.updated.filter(|u| *u <= now)
    }

    pub fn date(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.meta.date, 0).unwrap_or_default()
    }
}

/// Metadata of `alert:<slug>`: what the publisher needs to know what changed
/// (`h`, the source hash) and which keys to delete when the alert moves
/// (`k`, every other key of its key set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedMeta {
    #[serde(rename = "h")]
    pub hash: String,
    #[serde(rename = "k", default)]
    pub keys: Vec<String>,
}

/// Listing summaries are cut to this many characters to keep metadata small.
pub const SUMMARY_MAX_CHARS: usize = 240;

/// Cuts `text` to at most `max` characters at a word boundary, adding "…".
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || c == ',')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_at_word_boundary() {
        assert_eq!(truncate_words("short", 10), "short");
        assert_eq!(truncate_words("one two three four", 12), "one two…");
    }

    #[test]
    fn listing_meta_uses_short_names() {
        let m = ListingMeta {
            title: "T".into(),
            date: 1,
            hash: String::new(),
            updated: None,
            category: None,
            tags: vec![],
            summary: "S".into(),
            texts: vec![],
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"t":"T","d":1,"s":"S"}"#
        );
        let fr = ListingMeta {
            texts: vec![EntryText {
                lang: crate::i18n::Lang::Fr,
                title: "Titre".into(),
                summary: "R".into(),
            }],
            ..m
        };
        assert_eq!(
            serde_json::to_string(&fr).unwrap(),
            r#"{"t":"T","d":1,"s":"S","l":[{"l":"fr","t":"Titre","s":"R"}]}"#
        );
    }

    #[test]
    fn change_notes_count_from_their_date_on() {
        let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
        let day = 86_400;
        let mut a = AlertRecord::new("x", "T", at(10 * day), "");
        assert_eq!(a.modified_at(at(20 * day)), at(10 * day));
        assert_eq!(a.entry().meta.updated, None);
        a.changes = [12, 14]
            .map(|d| Change {
                date: at(d * day),
                note: format!("Note of day {d}."),
            })
            .to_vec();
        assert!(a.changes_at(at(11 * day)).is_empty());
        assert_eq!(a.modified_at(at(11 * day)), at(10 * day));
        assert_eq!(a.changes_at(at(13 * day)).len(), 1);
        assert_eq!(a.modified_at(at(13 * day)), at(12 * day));
        assert_eq!(a.modified_at(at(14 * day)), at(14 * day), "at its date");
        // Listing entries carry the newest, and say nothing before it.
        let e = a.entry();
        assert_eq!(e.meta.updated, Some(14 * day));
        assert_eq!(e.modified_at(13 * day), None);
        assert_eq!(e.updated_at(13 * day), None);
        assert_eq!(e.modified_at(14 * day), Some(at(14 * day)));
        // An `updated` later than every note is the modified date.
        a.updated = Some(at(15 * day));
        assert_eq!(a.modified_at(at(20 * day)), at(15 * day));
        assert_eq!(a.entry().meta.updated, Some(15 * day));
        // Stored only when there are some: other records keep their hash.
        let plain = AlertRecord::new("x", "T", at(10 * day), "");
        assert!(!serde_json::to_string(&plain).unwrap().contains("changes"));
        let back: AlertRecord = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back.changes, a.changes);
    }

    #[test]
    fn listing_entry_is_one_flat_object() {
        let json = r#"{"slug":"a","t":"T","d":1,"c":"Opinion","g":["x"],"s":"S"}"#;
        let e: ListingEntry = serde_json::from_str(json).unwrap();
        assert_eq!(e.slug, "a");
        assert_eq!(e.meta.category.as_deref(), Some("Opinion"));
        assert_eq!(e.meta.tags, ["x"]);
        assert_eq!(serde_json::to_string(&e).unwrap(), json);
        // Unknown fields are ignored, missing required ones are errors.
        assert!(serde_json::from_str::<ListingEntry>(
            r#"{"slug":"a","t":"T","d":1,"s":"S","z":0}"#
        )
        .is_ok());
        assert!(serde_json::from_str::<ListingEntry>(r#"{"slug":"a","t":"T","s":"S"}"#).is_err());
        // The entry is its metadata's own serialization plus the slug.
        let mut value = serde_json::to_value(&e).unwrap();
        value.as_object_mut().unwrap().remove("slug");
        assert_eq!(value, serde_json::to_value(&e.meta).unwrap());
    }

    /// A record's body in a language: its translation's where it has one,
    /// else its own; and a record read back from its JSON reads the same.
    #[test]
    fn the_body_in_a_language_is_its_translation_s_else_the_source_s() {
        use crate::i18n::{Lang, Translation};
        let date = chrono::DateTime::from_timestamp(1_732_579_200, 0).unwrap();
        let mut r = AlertRecord::new("x", "Title", date, "English *body*.");
        r.translations.push(Translation {
            lang: Lang::Fr,
            title: "Titre".into(),
            summary: "Résumé.".into(),
            contact_note: None,
            image_alt: None,
            translated: date,
            body: "Corps *français*.\n\nDeuxième « paragraphe ».".into(),
        });
        let back: AlertRecord = serde_json::from_slice(&serde_json::to_vec(&r).unwrap()).unwrap();
        for record in [&r, &back] {
            assert_eq!(record.body_in(Lang::En), "English *body*.");
            assert_eq!(
                record.body_in(Lang::Fr),
                "Corps *français*.\n\nDeuxième « paragraphe »."
            );
            assert_eq!(record.body_in(Lang::Ar), "English *body*.", "no Arabic");
        }
        assert_eq!(back, r);
    }
}
