//! The Workers KV key schema, shared by the publisher (which writes keys) and
//! the Worker (which reads them). `docs/kv-schema.md` explains the design.
//!
//! Every key belongs to exactly one alert (its slug is in the key), so two
//! editors publishing different alerts never write the same key.

use chrono::{DateTime, Datelike, Utc};

/// The largest key Workers KV accepts, in bytes.
pub const MAX_KEY_BYTES: usize = 512;
/// The largest metadata Workers KV accepts per key, in bytes (serialized JSON).
pub const MAX_METADATA_BYTES: usize = 1024;

/// The years an alert's date may fall in (`make check` refuses others), so
/// that the archive and the sitemap, which walk the years, do a bounded
/// amount of work whatever a typo says.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The longest category or tag slug, in bytes: its listing keys
/// (`idx:tag:<slug>:<11 digits>:<slug of at most 200>`) stay within
/// `MAX_KEY_BYTES`.
pub const MAX_NAME_BYTES: usize = 100;

/// Prefix of the full alert records (`alert:<slug>`).
pub const ALERT_PREFIX: &str = "alert:";
/// The public contact list (ids, names, roles; never addresses).
pub const CONTACTS_KEY: &str = "site:contacts";
/// Prefix of the newest-first index of every public alert.
pub const INDEX_ALL: &str = "idx:all:";
/// Inverted timestamps are counted down from this, so newer sorts first.
const INVERT_FROM: i64 = 99_999_999_999;

/// The key of an alert's full record.
pub fn alert(slug: &str) -> String {
    format!("{ALERT_PREFIX}{slug}")
}

/// The key that redirects an old path (`/2019/old-name/`) to an alert.
pub fn alias(path: &str) -> String {
    format!("alias:{path}")
}

/// The prefix listing one category, newest first.
pub fn category_prefix(category_slug: &str) -> String {
    format!("idx:cat:{category_slug}:")
}

/// The prefix listing one tag, newest first.
pub fn tag_prefix(tag_slug: &str) -> String {
    format!("idx:tag:{tag_slug}:")
}

/// The prefix listing one month (`2024`, `11`), newest first.
pub fn month_prefix(year: i32, month: u32) -> String {
    format!("idx:month:{year:04}-{month:02}:")
}

/// Prefix of the inquiries kept after their last failed delivery.
pub const INQUIRY_DEAD_PREFIX: &str = "inq:dead:";

/// An undelivered inquiry, kept for the operator.
pub fn inquiry_dead(id: &str) -> String {
    format!("{INQUIRY_DEAD_PREFIX}{id}")
}

/// Marks a delivered inquiry, so that a redelivery is skipped.
pub fn inquiry_sent(id: &str) -> String {
    format!("inq:sent:{id}")
}

/// The id of an inquiry recently accepted with this fingerprint of
/// (contact, email, message): a repeat within the window is not sent again.
pub fn inquiry_recent(fingerprint: &str) -> String {
    format!("inq:recent:{fingerprint}")
}

/// Bumped whenever the key set of an alert changes shape, so the publisher
/// rewrites every alert once.
pub const SCHEMA_VERSION: u32 = 6;

/// Eleven digits that sort newest first: `99999999999 - unix seconds`.
pub fn inverted(date: DateTime<Utc>) -> String {
    format!("{:011}", INVERT_FROM - date.timestamp())
}

/// Every listing key of an alert dated `date` with these taxonomy slugs.
pub fn index_keys(
    slug: &str,
    date: DateTime<Utc>,
    category_slug: Option<&str>,
    tag_slugs: &[String],
) -> Vec<String> {
    let inv = inverted(date);
    let mut keys = vec![format!("{INDEX_ALL}{inv}:{slug}")];
    if let Some(cat) = category_slug {
        keys.push(format!("{}{inv}:{slug}", category_prefix(cat)));
    }
    for tag in tag_slugs {
        keys.push(format!("{}{inv}:{slug}", tag_prefix(tag)));
    }
    keys.push(format!(
        "{}{inv}:{slug}",
        month_prefix(date.year(), date.month())
    ));
    keys
}

/// The slug at the end of a listing key.
pub fn slug_of_index_key(key: &str) -> Option<&str> {
    key.rsplit_once(':').map(|(_, slug)| slug)
}

/// Lowercased, hyphenated form of a category or tag name for URLs and keys:
/// `"UN OEWG"` becomes `"un-oewg"`. Letters and digits are kept (Unicode
/// letters lowercased), everything else separates words.
pub fn name_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            // Only letters and digits of the lowercase form (`İ` lowercases
            // to `i` and a combining dot): a slug is its own slug.
            out.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A valid alert slug: lowercase ASCII letters, digits and single hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn newer_alerts_sort_first() {
        let older = Utc.with_ymd_and_hms(2024, 11, 18, 0, 0, 0).unwrap();
        let newer = Utc.with_ymd_and_hms(2024, 11, 25, 0, 0, 0).unwrap();
        let a = index_keys("a", older, None, &[]);
        let b = index_keys("b", newer, None, &[]);
        assert!(b[0] < a[0], "{} should sort before {}", b[0], a[0]);
        assert_eq!(a[0].len(), b[0].len());
    }

    #[test]
    fn index_keys_cover_every_listing() {
        let d = Utc.with_ymd_and_hms(2024, 11, 25, 0, 0, 0).unwrap();
        let keys = index_keys("x", d, Some("opinion"), &["un-oewg".into()]);
        assert_eq!(keys.len(), 4);
        assert!(keys[1].starts_with("idx:cat:opinion:"));
        assert!(keys[2].starts_with("idx:tag:un-oewg:"));
        assert!(keys[3].starts_with("idx:month:2024-11:"));
        assert!(keys.iter().all(|k| slug_of_index_key(k) == Some("x")));
    }

    #[test]
    fn name_slugs_are_lowercase_and_hyphenated() {
        assert_eq!(name_slug("UN OEWG"), "un-oewg");
        assert_eq!(name_slug("  Tech -- Policy! "), "tech-policy");
        assert_eq!(name_slug("Opinion"), "opinion");
    }

    #[test]
    fn non_ascii_names_keep_their_letters() {
        assert_eq!(name_slug("Türkiye"), "türkiye");
        assert_eq!(name_slug("İstanbul"), "istanbul");
        assert_eq!(name_slug("Région Île-de-France"), "région-île-de-france");
    }

    proptest::proptest! {
        #[test]
        fn a_slug_is_its_own_slug(name in "\\PC{0,40}") {
            let slug = name_slug(&name);
            proptest::prop_assert_eq!(name_slug(&slug), slug);
        }
    }

    #[test]
    fn slugs_are_checked() {
        assert!(is_valid_slug("un-oewg-2024"));
        for bad in ["", "Upper", "a--b", "-a", "a-", "a_b", "a b", "é"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
