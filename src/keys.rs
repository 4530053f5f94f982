//! The Workers KV key schema, shared by the publisher (which writes keys) and
//! the Worker (which reads them). `docs/kv-schema.md` explains the design.
//!
//! Every key belongs to exactly one alert (its slug is in the key), so two
//! editors publishing different alerts never write the same key.

/// The largest key Workers KV accepts, in bytes.
pub const MAX_KEY_BYTES: usize = 512;
/// The largest metadata Workers KV accepts per key, in bytes (serialized JSON).
pub const MAX_METADATA_BYTES: usize = 1024;

/// The years an alert's date may fall in (`make check` refuses others), so
/// that the archive and the sitemap, which walk the years, do a bounded
/// amount of work whatever a typo says.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The longest category or tag slug, in bytes: its listing keys
/// (`ls:tag:<slug>:<yyyy-mm>:<hash>`) stay well within `MAX_KEY_BYTES`.
pub const MAX_NAME_BYTES: usize = 100;

/// Prefix of the full alert records (`alert:<slug>`).
pub const ALERT_PREFIX: &str = "alert:";
/// The public contact list (ids, names, roles; never addresses).
pub const CONTACTS_KEY: &str = "site:contacts";
/// The prefix of the site-wide keys (`site:contacts`, `site:names`...).
pub const SITE_PREFIX: &str = "site:";
/// The site's version: written last by every publish that writes or
/// deletes anything (any text; a new one each time), so that an isolate
/// can keep what it read for as long as it is unchanged
/// (`crate::app::cache`).
pub const VERSION_KEY: &str = "site:version";
/// The key of an alert's full record.
pub fn alert(slug: &str) -> String {
    format!("{ALERT_PREFIX}{slug}")
}

/// The key of an alert's search document (`crate::search::doc`).
pub fn search_doc(slug: &str) -> String {
    format!("doc:{slug}")
}

/// An alert's search document in `lang`: English's is [`search_doc`], a
/// translation's `doc:<lang>:<slug>`.
pub fn search_doc_in(lang: crate::i18n::Lang, slug: &str) -> String {
    match lang {
        crate::i18n::Lang::En => search_doc(slug),
        _ => format!("doc:{}:{slug}", lang.code()),
    }
}

/// The key that redirects an old path (`/2019/old-name/`) to an alert.
pub fn alias(path: &str) -> String {
    format!("alias:{path}")
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
pub const SCHEMA_VERSION: u32 = 8;

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
