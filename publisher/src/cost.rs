//! What publishing one alert writes, by kind of key, against an archive of
//! synthetic alerts (`alerts publish-cost`, `make bench`): the bound that
//! keeps the free plan's 1,000 writes a day enough for an editor.

use access_alerts::content::AlertRecord;
use access_alerts::derived::{self, Plan};
use access_alerts::keyset;
use access_alerts::listing;
use serde::Serialize;

/// The keys one publish writes and deletes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cost {
    /// The alert's own keys (its record, its aliases).
    pub alert: usize,
    /// Listing indexes and chunks.
    pub listings: usize,
    /// Search index parts.
    pub search: usize,
    /// `site:` keys (months, topics, notify, the manifest, and the
    /// version, written last by every publish that changes anything).
    pub site: usize,
    /// Keys deleted now (retired chunks go 10 minutes later).
    pub deleted: usize,
    /// Listing chunks retired (deleted by a later publish).
    pub retired: usize,
}

impl Cost {
    pub fn written(&self) -> usize {
        self.alert + self.listings + self.search + self.site
    }
}

/// The derived parts' manifest once `records` are published.
pub fn manifest(records: &[&AlertRecord], now: i64) -> String {
    let plan = derived::plan(&keyset::derived(records.iter().copied(), now), None, now);
    plan.put.last().map(|(_, m)| m.clone()).unwrap_or_default()
}

/// What publishing `changed` (new, or an edit of one of `records`) writes
/// where `records` are published with `manifest`.
pub fn of(records: &[&AlertRecord], manifest: &str, changed: &AlertRecord, now: i64) -> Cost {
    let after: Vec<&AlertRecord> = records
        .iter()
        .copied()
        .filter(|r| r.slug != changed.slug)
        .chain([changed])
        .collect();
    let Plan { put, delete } = derived::plan(
        &keyset::derived(after.iter().copied(), now),
        Some(manifest),
        now,
    );
    let count = |prefix: &str| put.iter().filter(|(k, _)| k.starts_with(prefix)).count();
    let new_manifest = put.last().map(|(_, m)| m.as_str()).unwrap_or(manifest);
    let retired = |m: &str| m.lines().filter(|l| l.contains("\t~")).count();
    Cost {
        alert: keyset::entries(changed).len(),
        listings: count(listing::PREFIX),
        search: count("search:"),
        site: count("site:") + 1,
        deleted: delete.len(),
        retired: retired(new_manifest) - retired(manifest).min(retired(new_manifest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic;

    fn costs(n: usize) -> (Cost, Cost, usize) {
        let archive: Vec<AlertRecord> = (0..n).map(synthetic::record).collect();
        let records: Vec<&AlertRecord> = archive.iter().collect();
        let now = 1_733_011_200;
        let manifest = manifest(&records, now);
        // A new alert, newest of all, in a category and two tags.
        let mut new = synthetic::record(0);
        new.slug = "a-new-alert".into();
        new.date += chrono::Duration::hours(4);
        new.hash = "new".into();
        // An edit deep in the archive.
        let mut edit = synthetic::record(n / 2);
        edit.title = format!("{} (edited)", edit.title);
        edit.hash = "edited".into();
        let tags = new.tags.len();
        (
            of(&records, &manifest, &new, now),
            of(&records, &manifest, &edit, now),
            tags,
        )
    }

    #[test]
    fn publishing_one_alert_writes_as_many_keys_at_10005_alerts_as_at_1005() {
        let (new, edit, tags) = costs(10_005);
        // all, its category, its two tags: a chunk and an index each.
        assert_eq!(new.listings, 2 * (2 + tags), "{new:?}");
        assert_eq!(edit.listings, 2 * (2 + tags), "{edit:?}");
        // Its record and its search document.
        assert_eq!((new.alert, new.deleted, new.retired), (2, 0, 4), "{new:?}");
        // Months, topics, notify, the manifest; the version always.
        assert!(new.site <= 5 && edit.site <= 5, "{new:?} {edit:?}");
        let (small_new, small_edit, _) = costs(1_005);
        assert_eq!(new, small_new, "grows with the archive");
        assert_eq!(
            edit.written(),
            small_edit.written(),
            "{edit:?} {small_edit:?}"
        );
    }
}
