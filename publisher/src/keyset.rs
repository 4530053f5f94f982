//! The KV key set of one alert (see docs/kv-schema.md) and the plan that
//! turns what is published into what `content/` says.

use access_alerts::content::{AlertRecord, Contact, PublishedMeta};
use access_alerts::keys;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One line of a `wrangler kv bulk put` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KvEntry {
    pub key: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// The listing keys of an alert (none for a draft).
pub fn index_keys(r: &AlertRecord) -> Vec<String> {
    if r.draft {
        return Vec::new();
    }
    let category = r.category.as_deref().map(keys::name_slug);
    let tags: BTreeSet<String> = r.tags.iter().map(|t| keys::name_slug(t)).collect();
    keys::index_keys(
        &r.slug,
        r.date,
        category.as_deref(),
        &tags.into_iter().collect::<Vec<_>>(),
    )
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

/// Every key of the alert besides `alert:<slug>`.
fn dependent_keys(r: &AlertRecord) -> Vec<String> {
    let mut k = index_keys(r);
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
    let listing = serde_json::to_value(r.entry().meta).ok();
    let mut out = vec![KvEntry {
        key: keys::alert(&r.slug),
        value: serde_json::to_string(r).unwrap_or_default(),
        metadata: serde_json::to_value(published_meta(r)).ok(),
    }];
    out.extend(index_keys(r).into_iter().map(|key| KvEntry {
        key,
        value: String::new(),
        metadata: listing.clone(),
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

/// What to do for one alert.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Write the key set, then delete keys it no longer has.
    Publish {
        slug: String,
        put: Vec<KvEntry>,
        delete: Vec<String>,
    },
    /// Delete every key of an alert whose file is gone (`PRUNE=1`).
    Unpublish { slug: String, delete: Vec<String> },
}

/// Compares the alerts in `content/` with what is published (the metadata
/// of each `alert:<slug>` key) and lists the steps, unchanged alerts skipped.
pub fn plan(
    local: &[&AlertRecord],
    published: &BTreeMap<String, PublishedMeta>,
    prune: bool,
) -> Vec<Step> {
    let mut steps = Vec::new();
    for r in local {
        let old = published.get(&r.slug);
        if old.is_some_and(|o| o.hash == r.hash) {
            continue;
        }
        let new_keys: BTreeSet<String> = all_keys(r).into_iter().collect();
        let delete = old
            .map(|o| {
                o.keys
                    .iter()
                    .filter(|k| !new_keys.contains(*k))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        steps.push(Step::Publish {
            slug: r.slug.clone(),
            put: entries(r),
            delete,
        });
    }
    if prune {
        for (slug, meta) in published {
            if !local.iter().any(|r| &r.slug == slug) {
                let mut delete = vec![keys::alert(slug)];
                delete.extend(meta.keys.iter().cloned());
                steps.push(Step::Unpublish {
                    slug: slug.clone(),
                    delete,
                });
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn record(slug: &str, day: u32, category: &str) -> AlertRecord {
        let mut r = AlertRecord {
            category: Some(category.into()),
            tags: vec!["UN OEWG".into()],
            summary: "S".into(),
            aliases: vec!["/old/path/".into()],
            ..AlertRecord::new(
                slug,
                "T",
                Utc.with_ymd_and_hms(2024, 11, day, 0, 0, 0).unwrap(),
                "B",
            )
        };
        r.hash = format!("{day}{category}");
        r
    }

    #[test]
    fn key_set_has_record_listings_and_aliases() {
        let e = entries(&record("a", 25, "Opinion"));
        let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys[0], "alert:a");
        assert!(keys.iter().any(|k| k.starts_with("idx:cat:opinion:")));
        assert!(keys.iter().any(|k| k.starts_with("idx:tag:un-oewg:")));
        assert!(keys.contains(&"alias:/old/path"));
        assert_eq!(
            e[0].metadata.as_ref().unwrap()["k"]
                .as_array()
                .unwrap()
                .len(),
            keys.len() - 1
        );
    }

    #[test]
    fn drafts_own_only_their_record() {
        let mut r = record("a", 25, "Opinion");
        r.draft = true;
        assert_eq!(all_keys(&r), vec!["alert:a".to_string()]);
    }

    #[test]
    fn moving_an_alert_deletes_its_superseded_keys_only() {
        let before = record("a", 25, "Opinion");
        let published = BTreeMap::from([("a".to_string(), published_meta(&before))]);
        let after = record("a", 26, "General");
        let steps = plan(&[&after], &published, false);
        let Step::Publish { delete, put, .. } = &steps[0] else {
            panic!()
        };
        assert_eq!(put.len(), all_keys(&after).len());
        assert!(delete.iter().any(|k| k.starts_with("idx:cat:opinion:")));
        assert!(delete.iter().any(|k| k.starts_with("idx:all:")));
        assert!(
            !delete.contains(&"alias:/old/path".to_string()),
            "unchanged keys stay"
        );
        assert!(delete.iter().all(|k| !all_keys(&after).contains(k)));
    }

    #[test]
    fn unchanged_alerts_are_skipped_and_gone_ones_pruned() {
        let a = record("a", 25, "Opinion");
        let published = BTreeMap::from([
            ("a".to_string(), published_meta(&a)),
            (
                "gone".to_string(),
                published_meta(&record("gone", 1, "General")),
            ),
        ]);
        assert!(plan(&[&a], &published, false).is_empty());
        let steps = plan(&[&a], &published, true);
        assert!(
            matches!(&steps[0], Step::Unpublish { slug, delete } if slug == "gone" && delete[0] == "alert:gone" && delete.len() == 8)
        );
    }
}
