//! The plan that turns what is published into what `content/` says. The
//! key set of one alert is the core's (`access_alerts::keyset`).

use access_alerts::content::{AlertRecord, PublishedMeta};
use access_alerts::keys;
pub use access_alerts::keyset::*;
use std::collections::{BTreeMap, BTreeSet};

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

/// Drops from `delete` every key an alert of `local` still owns: a key
/// superseded for one alert may have become another's (an alias moved, a
/// renamed file pruned), and one publish writes before it deletes.
pub fn keep_owned(delete: &mut Vec<String>, local: &[&AlertRecord]) {
    let owned: BTreeSet<String> = local.iter().flat_map(|r| all_keys(r)).collect();
    delete.retain(|k| !owned.contains(k));
    delete.sort();
    delete.dedup();
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
        assert!(
            keys.iter().all(|k| !k.starts_with("ls:")),
            "listings are derived from every alert, not one's"
        );
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
    fn a_key_moved_to_another_alert_is_not_deleted() {
        let a_before = record("a", 25, "Opinion");
        let mut a_after = record("a", 25, "Opinion");
        a_after.aliases.clear();
        a_after.hash = "changed".into();
        let b = record("b", 20, "Opinion");
        let published = BTreeMap::from([
            ("a".to_string(), published_meta(&a_before)),
            ("b".to_string(), published_meta(&b)),
        ]);
        let mut delete: Vec<String> = plan(&[&a_after, &b], &published, false)
            .into_iter()
            .flat_map(|s| match s {
                Step::Publish { delete, .. } | Step::Unpublish { delete, .. } => delete,
            })
            .collect();
        assert!(
            delete.contains(&"alias:/old/path".to_string()),
            "a dropped it"
        );
        keep_owned(&mut delete, &[&a_after, &b]);
        assert!(
            !delete.contains(&"alias:/old/path".to_string()),
            "b owns it"
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
        let mut after = record("a", 26, "General");
        after.aliases.push("/older/path/".into());
        let steps = plan(&[&after], &published, false);
        let Step::Publish { delete, put, .. } = &steps[0] else {
            panic!()
        };
        assert_eq!(put.len(), all_keys(&after).len());
        assert!(delete.is_empty(), "unchanged keys stay: {delete:?}");
        let mut fewer = after.clone();
        fewer.aliases = vec!["/older/path/".into()];
        fewer.hash = "fewer".into();
        let published = BTreeMap::from([("a".to_string(), published_meta(&after))]);
        let Step::Publish { delete, .. } = &plan(&[&fewer], &published, false)[0] else {
            panic!()
        };
        assert_eq!(delete, &["alias:/old/path".to_string()]);
        assert!(delete.iter().all(|k| !all_keys(&fewer).contains(k)));
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
            matches!(&steps[0], Step::Unpublish { slug, delete } if slug == "gone" && delete[0] == "alert:gone" && delete.contains(&"doc:gone".to_string()) && delete.len() == 3),
            "the record, its search document and its alias: {steps:?}"
        );
    }
}
