//! The KV key set of one alert (see docs/kv-schema.md): every key and value
//! the publisher writes for it, derived here beside the key schema so that
//! the publisher and the in-process tests write exactly the same thing.

use crate::content::{AlertRecord, Contact, PublishedMeta};
use crate::i18n::Lang;
use crate::keys;
use crate::search::doc::SearchDoc;
use serde::Serialize;
use serde_json::Value;

/// One line of a `wrangler kv bulk put` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KvEntry {
    pub key: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// The alias keys of an alert (none for a draft).
pub fn alias_keys(r: &AlertRecord) -> Vec<String> {
    if r.draft {
        return Vec::new();
    }
    r.aliases
        .iter()
        .map(|a| {
            keys::alias(if a.len() > 1 {
                a.trim_end_matches('/')
            } else {
                a
            })
        })
        .collect()
}

/// The languages the alert has a search document in: English and each
/// translation's (none for a draft).
fn doc_langs(r: &AlertRecord) -> impl Iterator<Item = Lang> + '_ {
    let translated = r.translations.iter().map(|t| t.lang);
    std::iter::once(Lang::En)
        .chain(translated)
        .filter(|_| !r.draft)
}

/// Every key of the alert besides `alert:<slug>`: its search document,
/// one per translation, and its aliases (none for a draft).
fn dependent_keys(r: &AlertRecord) -> Vec<String> {
    let mut k: Vec<String> = doc_langs(r)
        .map(|lang| keys::search_doc_in(lang, &r.slug))
        .collect();
    k.extend(alias_keys(r));
    k
}

/// Every key the alert owns.
pub fn all_keys(r: &AlertRecord) -> Vec<String> {
    let mut k = vec![keys::alert(&r.slug)];
    k.extend(dependent_keys(r));
    k
}

/// The metadata of `alert:<slug>`: its hash and its other keys.
pub fn published_meta(r: &AlertRecord) -> PublishedMeta {
    PublishedMeta {
        hash: r.hash.clone(),
        keys: dependent_keys(r),
    }
}

/// The whole key set of one alert, as `wrangler kv bulk put` takes it.
pub fn entries(r: &AlertRecord) -> Vec<KvEntry> {
    let mut out = vec![KvEntry {
        key: keys::alert(&r.slug),
        value: serde_json::to_string(r).unwrap_or_default(),
        metadata: serde_json::to_value(published_meta(r)).ok(),
    }];
    out.extend(doc_langs(r).filter_map(|lang| {
        Some(KvEntry {
            key: keys::search_doc_in(lang, &r.slug),
            value: SearchDoc::in_lang(r, lang)?.render(),
            metadata: None,
        })
    }));
    out.extend(alias_keys(r).into_iter().map(|key| KvEntry {
        key,
        value: r.slug.clone(),
        metadata: None,
    }));
    out
}

/// The contact list entry (names and roles only) with its hash.
pub fn contacts_entry(contacts: &[Contact]) -> KvEntry {
    let value = serde_json::to_string(contacts).unwrap_or_default();
    hashed(keys::CONTACTS_KEY, value)
}

/// The translated category and tag names' entry with its hash.
pub fn names_entry(names: &crate::i18n::Names) -> KvEntry {
    hashed(crate::i18n::names::KEY, names.value().to_string())
}

/// A site-wide value with its hash as metadata (`{"h"}`): the publisher
/// writes it only when the published one's differs.
fn hashed(key: &str, value: String) -> KvEntry {
    use sha2::{Digest, Sha256};
    let hash: String = Sha256::digest(value.as_bytes())[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    KvEntry {
        key: key.to_string(),
        value,
        metadata: Some(serde_json::json!({ "h": hash })),
    }
}

/// The keys derived from every alert at once (not one alert's): the search
/// index, the listings, the months that have alerts, the topics and what
/// the cron may mail, as of `now` (unix seconds: what is public then and
/// what is scheduled). The publisher writes the parts that changed
/// (`crate::derived::plan`).
pub fn derived<'a>(
    records: impl IntoIterator<Item = &'a AlertRecord> + Clone,
    now: i64,
) -> std::collections::BTreeMap<String, String> {
    let mut parts = crate::search::index::build(records.clone(), now);
    parts.extend(crate::listing_build::build(records.clone()));
    let all = parts
        .get(&crate::listing::Listing::All.index_key())
        .map_or("", String::as_str);
    let months = crate::months::Months::of(records.clone()).with_chunks(all);
    parts.insert(crate::months::KEY.to_string(), months.render());
    parts.insert(
        crate::mail::topics::KEY.to_string(),
        crate::mail::topics::Topics::of(records.clone()).render(),
    );
    parts.insert(
        crate::mail::notify::KEY.to_string(),
        crate::mail::notify::render(records),
    );
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Translation;
    use chrono::{TimeZone, Utc};

    #[test]
    fn each_translation_has_its_search_document_among_the_alert_s_keys() {
        let date = Utc.with_ymd_and_hms(2024, 11, 26, 0, 0, 0).unwrap();
        let mut r = AlertRecord::new("k", "Title", date, "Body.");
        r.translations.push(Translation {
            lang: Lang::Fr,
            title: "Titre".into(),
            summary: "Résumé".into(),
            contact_note: None,
            image_alt: None,
            translated: date,
            body: "Corps du *texte*.".into(),
        });
        let written: Vec<String> = entries(&r).into_iter().map(|e| e.key).collect();
        assert_eq!(written, all_keys(&r), "what is written is what it owns");
        assert_eq!(written, ["alert:k", "doc:k", "doc:fr:k"]);
        let fr = entries(&r).pop().unwrap().value;
        assert!(fr.contains("\tTitre\nRésumé\nCorps du texte."), "{fr}");
        r.draft = true;
        assert_eq!(all_keys(&r), ["alert:k"], "a draft has no document");
    }
}
