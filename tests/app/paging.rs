//! Listings read from their index and chunks (issue 23): paging across a
//! publish, a scheduled alert appearing at its date on every listing and
//! feed, a publish cut short and finished by the next, and chunks read
//! with a long `cacheTtl`.

use crate::fake::{Site, START_MILLIS};
use crate::support::{all_pages, cards};
use access_alerts::content::AlertRecord;
use access_alerts::listing::{is_chunk_key, Listing};
use std::collections::BTreeSet;

fn get(site: &Site) -> impl Fn(&str) -> (u16, String) + '_ {
    move |path| {
        let r = site.get(path);
        (r.status, r.text())
    }
}

fn site() -> Site {
    let site = Site::from_content();
    site.seed_synthetic(25);
    site
}

/// An alert in "Briefing" tagged "Embargo", dated `seconds` after the fake
/// clock's start (2024-12-01 00:00 UTC), or at `date` (an RFC 3339 day).
fn alert_at(slug: &str, date: &str) -> AlertRecord {
    let mut r = AlertRecord {
        category: Some("Briefing".into()),
        tags: vec!["Embargo".into()],
        summary: format!("The summary of {slug}."),
        ..AlertRecord::new(
            slug,
            &format!("The alert {slug}"),
            chrono::DateTime::parse_from_rfc3339(date).unwrap().into(),
            "Body.",
        )
    };
    r.hash = slug.into();
    r
}

fn seconds_from_start(seconds: i64) -> String {
    chrono::DateTime::from_timestamp_millis(START_MILLIS + seconds * 1000)
        .unwrap()
        .to_rfc3339()
}

#[test]
fn paging_across_a_publish_neither_skips_nor_repeats() {
    let site = site();
    let before = all_pages(get(&site), "/");
    let (first, older) = cards(&site.get("/").text());
    let older = older.unwrap().replace("&amp;", "&");
    // While the reader looks at page 1: an alert newer than all, and one
    // dated between the alerts on the pages still to come.
    site.publish(&alert_at("newest-of-all", &seconds_from_start(-60)));
    site.publish(&alert_at("in-between", "2024-11-16T13:00:00Z"));
    let rest = all_pages(get(&site), &older);
    let seen: Vec<&String> = first.iter().chain(&rest).collect();
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>().len(),
        seen.len(),
        "nothing repeated: {seen:?}"
    );
    let expected: BTreeSet<&String> = before.iter().collect();
    let seen_set: BTreeSet<&String> = seen.iter().copied().collect();
    assert!(expected.is_subset(&seen_set), "nothing skipped");
    assert!(
        rest.contains(&"in-between".to_string()),
        "older than page 1"
    );
    assert!(!seen_set.contains(&"newest-of-all".to_string()));
    assert_eq!(all_pages(get(&site), "/")[0], "newest-of-all");
}

#[test]
fn a_scheduled_alert_appears_at_its_date_on_every_listing_and_feed() {
    for ttl in ["0", "30"] {
        let site = Site::from_content_with(&[("CACHE_TTL_SECONDS", ttl)]);
        site.seed_synthetic(25);
        site.publish(&alert_at("at-ten-seconds", &seconds_from_start(10)));
        let paths = [
            "/",
            "/category/briefing",
            "/tag/embargo",
            "/archive/2024/12",
            "/feed.xml",
            "/feed.json",
            "/category/briefing/feed.xml",
            "/sitemap.xml",
            "/sitemap/2024-12.xml",
            "/api/alerts",
            "/api/alerts?category=briefing&tag=embargo",
        ];
        let shows = |path: &str| {
            let r = site.get(path);
            r.status == 200 && r.text().contains("at-ten-seconds")
                || path == "/sitemap.xml" && r.text().contains("2024-12")
        };
        for path in paths {
            assert!(!shows(path), "{path} before its date (TTL {ttl})");
        }
        site.fake.advance_seconds(11);
        for path in paths {
            assert!(shows(path), "{path} at its date (TTL {ttl})");
        }
    }
}

#[test]
fn a_publish_cut_short_is_consistent_and_the_next_one_finishes_it() {
    let site = site();
    let home = site.get("/").text();
    // The run wrote the new chunks, then stopped: no index names them yet,
    // and the record is not written.
    let new = alert_at("cut-short", &seconds_from_start(-60));
    let mut records: Vec<AlertRecord> = site
        .fake
        .keys_with_prefix(access_alerts::keys::ALERT_PREFIX)
        .iter()
        .filter_map(|k| serde_json::from_str(&site.fake.value(k)?).ok())
        .collect();
    records.push(new.clone());
    let now = START_MILLIS / 1000;
    let parts = access_alerts::keyset::derived(&records, now);
    let manifest = site
        .fake
        .value(access_alerts::search::index::MANIFEST_KEY)
        .unwrap();
    let plan = access_alerts::derived::plan(&parts, Some(&manifest), now);
    let chunks: Vec<&(String, String)> = plan.put.iter().filter(|(k, _)| is_chunk_key(k)).collect();
    assert_eq!(chunks.len(), 3, "all, Briefing, Embargo: {chunks:?}");
    for (key, value) in &chunks {
        site.fake.put_raw(key, value.as_bytes(), None);
    }
    assert_eq!(site.get("/").text(), home, "the same page, byte for byte");
    // Then the record: still no listing names it (its index is not written).
    site.fake.publish_record_only(&new);
    assert_eq!(site.get("/alerts/cut-short").status, 200);
    assert_eq!(site.get("/").text(), home);
    // The next publish writes what is missing.
    let finished = site.fake.reindex();
    let written: Vec<&str> = finished.put.iter().map(|(k, _)| k.as_str()).collect();
    assert!(
        written.contains(&Listing::All.index_key().as_str()),
        "{written:?}"
    );
    let rewritten: Vec<&str> = written
        .iter()
        .copied()
        .filter(|k| is_chunk_key(k))
        .collect();
    assert_eq!(
        rewritten,
        chunks.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        "the same chunks, named by the same content (the manifest did not list them yet)"
    );
    assert_eq!(cards(&site.get("/").text()).0[0], "cut-short");
    assert_eq!(all_pages(get(&site), "/tag/embargo"), ["cut-short"]);
}

#[test]
fn chunks_are_read_with_a_long_cache_ttl_the_rest_with_kvs_default() {
    let site = site();
    site.fake.bulk_ttls.borrow_mut().clear();
    assert_eq!(site.get("/archive/2024/11").status, 200);
    assert_eq!(site.get("/search?q=oewg").status, 200);
    let ttls = site.fake.bulk_ttls.borrow();
    assert!(
        ttls.iter()
            .any(|(k, ttl)| is_chunk_key(k) && *ttl == Some(30 * 24 * 3600)),
        "{ttls:?}"
    );
    assert!(
        ttls.iter()
            .filter(|(k, _)| !is_chunk_key(k))
            .all(|(_, t)| t.is_none()),
        "{ttls:?}"
    );
}
