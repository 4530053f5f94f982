//! The isolate's cache in-process: list pages kept for the TTL and never
//! past a scheduled alert's date, rendered bodies and feeds kept by content
//! hash, hits byte-identical to misses, and the KV calls it saves.

use crate::fake::{Site, ORIGIN, START_MILLIS};
use crate::SEED;

fn cached_site() -> Site {
    let site = Site::from_content_with(&[("CACHE_TTL_SECONDS", "30")]);
    site.seed_synthetic(30);
    site
}

/// Publishes an alert in "Opinion" dated `seconds` after the fake clock's start.
fn schedule(site: &Site, slug: &str, title: &str, seconds: i64) {
    let date = chrono::DateTime::from_timestamp_millis(START_MILLIS + seconds * 1000).unwrap();
    site.publish_text(
        slug,
        &format!(
            "+++\ntitle = \"{title}\"\ndate = {}\ncategory = \"Opinion\"\n+++\nSoon.\n",
            date.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
}

fn calls(site: &Site, path: &str) -> (u32, String) {
    let before = site.fake.kv_calls.get();
    let r = site.get(path);
    assert_eq!(r.status, 200, "{path}");
    (site.fake.kv_calls.get() - before, r.text())
}

#[test]
fn a_thousand_views_of_a_listing_cost_one_read() {
    let site = cached_site();
    let before = site.fake.kv_calls.get();
    for _ in 0..1000 {
        assert_eq!(site.get("/").status, 200);
    }
    assert_eq!(
        site.fake.kv_calls.get() - before,
        1,
        "the index, whose head holds the page, for 1,000 views"
    );
}

#[test]
fn a_hit_is_byte_identical_to_a_miss() {
    let paths = [
        "/".to_string(),
        "/category/opinion".into(),
        "/tag/synthetic".into(),
        "/archive/2024/11".into(),
        "/feed.xml".into(),
        "/feed.json".into(),
        "/category/opinion/feed.xml".into(),
        "/sitemap.xml".into(),
        "/sitemap/2024-11.xml".into(),
        "/api/alerts?limit=5".into(),
        format!("/alerts/{SEED}"),
        format!("/api/alerts/{SEED}"),
    ];
    let site = cached_site();
    let uncached = Site::from_content();
    uncached.seed_synthetic(30);
    for path in &paths {
        let (miss_calls, miss) = calls(&site, path);
        let (hit_calls, hit) = calls(&site, path);
        assert_eq!(hit, miss, "{path}");
        assert_eq!(
            uncached.get(path).text(),
            miss,
            "{path}: the same as with no cache"
        );
        assert!(
            hit_calls <= miss_calls,
            "{path}: {hit_calls} > {miss_calls}"
        );
    }
    let stats = site.fake.cache.stats();
    assert!(
        stats.hits > 0 && stats.bytes <= access_alerts::app::cache::DEFAULT_MAX_BYTES,
        "{stats:?}"
    );
}

#[test]
fn warm_feeds_read_nothing_and_render_nothing() {
    let site = cached_site();
    let (cold, _) = calls(&site, "/feed.xml");
    assert!(cold >= 2, "a list and a bulk read of the records");
    let (warm, _) = calls(&site, "/feed.xml");
    assert_eq!(warm, 0, "the list page and the body come from the cache");
    // A new alert is a new body: the list expires with the TTL.
    site.publish_text("fresh-feed-alert", "+++\ntitle = \"Fresh feed alert\"\ndate = 2024-11-29\ncategory = \"Opinion\"\n+++\nFresh.\n");
    assert!(
        !site.get("/feed.xml").text().contains("fresh-feed-alert"),
        "within the TTL"
    );
    site.fake.advance_seconds(31);
    assert!(site.get("/feed.xml").text().contains("fresh-feed-alert"));
}

#[test]
fn a_scheduled_alert_appears_at_its_date_not_after_the_ttl() {
    let site = cached_site();
    schedule(&site, "scheduled-soon", "Scheduled soon", 10);
    let r = site.get("/");
    assert!(!r.text().contains("scheduled-soon"));
    assert_eq!(
        r.edge_ttl,
        Some(10),
        "the location may keep it until the alert's date"
    );
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("public, max-age=30"),
        "browsers get the TTL: nothing says an alert goes live in 10 s"
    );
    // Byte for byte what a listing with nothing scheduled answers.
    let plain = cached_site();
    assert_eq!(
        plain.get("/").header("cache-control"),
        r.header("cache-control")
    );
    let tag = site.get("/api/alerts?limit=37");
    assert_eq!(
        tag.header("cache-control").as_deref(),
        Some("public, max-age=30")
    );
    site.fake.advance_seconds(11);
    assert!(
        site.get("/").text().contains("scheduled-soon"),
        "on time, though the TTL is 30 s"
    );
    assert!(site.get("/feed.xml").text().contains("scheduled-soon"));
}

#[test]
fn listings_feeds_and_sitemaps_carry_an_edge_ttl_pages_do_not() {
    let site = cached_site();
    for path in [
        "/",
        "/feed.xml",
        "/sitemap.xml",
        "/sitemap/pages.xml",
        "/archive/2024/11",
        "/api/alerts",
    ] {
        let r = site.get(path);
        assert_eq!(r.edge_ttl, Some(30), "{path}");
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("public, max-age=30"),
            "{path}: browsers keep it as long"
        );
    }
    for path in [
        format!("/alerts/{SEED}"),
        "/contact".into(),
        "/search?q=oewg".into(),
        "/nowhere".into(),
    ] {
        assert_eq!(site.get(&path).edge_ttl, None, "{path}");
    }
    let off = Site::from_content();
    assert_eq!(
        off.get("/").edge_ttl,
        None,
        "CACHE_TTL_SECONDS=0: nothing is kept"
    );
}

#[test]
fn the_archive_is_two_kv_calls_the_sitemap_index_one_and_a_month_two() {
    let site = Site::from_content();
    site.seed_synthetic(300);
    site.fake.kv_read.borrow_mut().clear();
    assert_eq!(
        calls(&site, "/archive/2024/11").0,
        2,
        "the months, then the chunk they name"
    );
    let read = site.fake.kv_read.take();
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(
        read[0] == "site:months" && read[1].starts_with("ls:all:2024-11:"),
        "{read:?}"
    );
    assert_eq!(calls(&site, "/sitemap.xml").0, 1);
    site.fake.kv_read.take();
    assert_eq!(calls(&site, "/sitemap/2024-10.xml").0, 2, "months, chunk");
    assert!(
        !site.fake.kv_read.take().contains(&"ls:all".to_string()),
        "the listing's index is not read"
    );
    let page = site.get("/archive/2024/10").text();
    assert!(
        page.contains(r#"href="/archive/2024/11""#) && page.contains(r#"href="/archive/2024/09""#),
        "neighbours"
    );
}

#[test]
fn a_cached_copy_keeps_its_own_expiry_and_browsers_a_constant_one() {
    let site = cached_site();
    for path in ["/sitemap.xml", "/", "/archive/2024/11"] {
        assert_eq!(site.get(path).edge_ttl, Some(30), "{path}");
    }
    site.fake.advance_seconds(20);
    for path in ["/sitemap.xml", "/", "/archive/2024/11"] {
        let r = site.get(path);
        assert_eq!(
            r.edge_ttl,
            Some(10),
            "{path}: read 20 s ago, fresh 10 s more"
        );
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("public, max-age=30"),
            "{path}: browsers' lifetime is constant"
        );
    }
}

#[test]
fn an_alert_page_reads_kv_once_per_ttl_and_shows_an_edit_after_it() {
    let site = cached_site();
    let path = format!("/alerts/{SEED}");
    let (first, _) = calls(&site, &path);
    assert!(first >= 1);
    let before = site.fake.kv_calls.get();
    for _ in 0..1000 {
        assert_eq!(site.get(&path).status, 200);
    }
    // The related list's listing page is cached too: nothing is read.
    assert_eq!(
        site.fake.kv_calls.get() - before,
        0,
        "1,000 warm views read nothing"
    );
    // An edit shows once the kept copy is older than the TTL.
    let mut edited: access_alerts::content::AlertRecord =
        serde_json::from_str(&site.fake.value(&access_alerts::keys::alert(SEED)).unwrap()).unwrap();
    edited.title = "Edited title".into();
    edited.content_hash = "edited".into();
    site.fake.publish(&edited);
    assert!(
        !site.get(&path).text().contains("Edited title"),
        "kept for the TTL"
    );
    site.fake.advance_seconds(31);
    assert!(
        site.get(&path).text().contains("Edited title"),
        "read again after it"
    );
}

#[test]
fn a_kept_scheduled_alert_appears_at_its_date_not_before() {
    let site = cached_site();
    schedule(&site, "soon", "Soon", 10);
    assert_eq!(site.get("/alerts/soon").status, 404);
    site.fake.advance_seconds(11);
    assert_eq!(
        site.get("/alerts/soon").status,
        200,
        "public at its date, cached or not"
    );
}

#[test]
fn kept_months_show_a_scheduled_month_at_its_date_not_after_the_ttl() {
    let site = cached_site();
    // START_MILLIS is 2024-12-01 00:00 UTC; the synthetic alerts end in November.
    schedule(&site, "first-of-december", "First of December", 10);
    let r = site.get("/sitemap.xml");
    assert!(!r.text().contains("2024-12"), "{}", r.text());
    assert_eq!(
        r.edge_ttl,
        Some(10),
        "the location may keep it until that date"
    );
    assert_eq!(site.get("/archive/2024/12").status, 404);
    let (warm, _) = calls(&site, "/archive/2024/11");
    assert_eq!(
        warm, 1,
        "the months are kept: only the month's chunk is read"
    );
    site.fake.advance_seconds(11);
    assert!(
        site.get("/sitemap.xml")
            .text()
            .contains("/sitemap/2024-12.xml"),
        "on time, though the months were read less than the TTL ago"
    );
    assert_eq!(site.get("/archive/2024/12").status, 200);
}

#[test]
fn the_pages_sitemap_names_a_scheduled_tag_at_its_date_not_after_the_ttl() {
    let site = cached_site();
    let date = chrono::DateTime::from_timestamp_millis(START_MILLIS + 10_000).unwrap();
    site.publish_text(
        "tagged-later",
        &format!(
            "+++\ntitle = \"Tagged later\"\ndate = {}\ncategory = \"Opinion\"\ntags = [\"Later Tag\"]\n+++\nSoon.\n",
            date.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    let (first, text) = calls(&site, "/sitemap/pages.xml");
    assert_eq!(first, 1, "one read: the topics");
    assert!(!text.contains("later-tag"), "not before its date: {text}");
    assert!(
        text.contains(&format!("{ORIGIN}/ar/tag/topic-3</loc>")),
        "{text}"
    );
    let r = site.get("/sitemap/pages.xml");
    assert_eq!(
        r.edge_ttl,
        Some(10),
        "the location may keep it until that date"
    );
    assert_eq!(calls(&site, "/sitemap/pages.xml").0, 0, "kept");
    site.fake.advance_seconds(11);
    let text = site.get("/sitemap/pages.xml").text();
    assert!(
        text.contains(&format!("<loc>{ORIGIN}/tag/later-tag</loc>"))
            && text.contains(&format!("<loc>{ORIGIN}/zh/tag/later-tag</loc>")),
        "on time, though the topics were read less than the TTL ago: {text}"
    );
    // A month's part names its alerts and its archive page, not their
    // categories and tags (those are the pages part's, once).
    let month = site.get("/sitemap/2024-11.xml").text();
    assert!(month.contains(&format!("<loc>{ORIGIN}/fr/archive/2024/11</loc>")));
    assert!(
        !month.contains("/tag/") && !month.contains("/category/"),
        "{month}"
    );
}

#[test]
fn months_written_before_they_named_chunks_still_serve_the_archive_from_the_index() {
    let site = Site::from_content();
    site.seed_synthetic(300);
    let new = (
        site.get("/archive/2024/10").text(),
        site.get("/sitemap/2024-10.xml").text(),
    );
    {
        let mut kv = site.fake.kv.borrow_mut();
        let months = kv.get_mut("site:months").unwrap();
        let text = String::from_utf8(months.value.clone()).unwrap();
        let old: String = text
            .lines()
            .map(|l| format!("{}\n", l.rsplit_once('\t').unwrap().0))
            .collect();
        assert!(old.lines().all(|l| l.split('\t').count() == 3), "{old}");
        months.value = old.into_bytes();
    }
    site.fake.kv_read.take();
    let old = (
        site.get("/archive/2024/10").text(),
        site.get("/sitemap/2024-10.xml").text(),
    );
    assert_eq!(old, new, "the same answers");
    assert!(site.fake.kv_read.take().contains(&"ls:all".to_string()));
}
