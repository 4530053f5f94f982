//! The KV key set of one alert (see docs/kv-schema.md): every key and value
//! the publisher writes for it, derived here beside the key schema so that
//! the publisher and the in-process tests write exactly the same thing.

use crate::content::{AlertRecord, Contact, PublishedMeta};
use crate::keys;
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

/// Every key of the alert besides `alert:<slug>`: its search document,
/// one per translation, and its aliases (none for a draft).
fn dependent_keys(r: &AlertRecord) -> Vec<String> {
    let mut k = Vec::new();
    if !r.draft {
        k.push(keys::search_doc(&r.slug));
        k.extend(
            r.translations
                .iter()
                .map(|t| keys::search_doc_in(t.lang, &r.slug)),
        );
    }
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
    if !r.draft {
        for lang in crate::i18n::Lang::ALL {
            if let Some(doc) = crate::search::doc::SearchDoc::in_lang(r, lang) {
                out.push(KvEntry {
                    key: keys::search_doc_in(lang, &r.slug),
                    value: doc.render(),
                    metadata: None,
                });
            }
        }
    }
    out.extend(alias_keys(r).into_iter().map(|key| KvEntry {
        key,
        value: r.slug.clone(),
        metadata: None,
    }));
    out
}

/// The contact list entry (names and roles only) with its hash.
pub fn contacts_entry(contacts: &[Contact]) -> KvEntry {
    use sha2::{Digest, Sha256};
    let value = serde_json::to_string(contacts).unwrap_or_default();
    let hash: String = Sha256::digest(value.as_bytes())[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    KvEntry {
        key: keys::CONTACTS_KEY.to_string(),
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
    parts.insert(
        crate::months::KEY.to_string(),
        crate::months::Months::of(records.clone()).render(),
    );
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
