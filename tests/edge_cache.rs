//! The location's cache (the Cache API) through the real runtime:
//! `wrangler dev` emulates `caches.default`. Listings, feeds and sitemaps
//! are answered from it after the first request, revalidate with 304, and
//! expire at a scheduled alert's date; other pages never go through it.
//! The isolate's own cache is tested in-process (`tests/app/cache.rs`).

mod common;

use common::{content_copy, Worker};
use std::time::{Duration, Instant};

const SEED: &str = "oewg-collective-call-against-barring-organisations";

/// The answer once the location has it (the put runs after the first
/// answer is sent).
fn hit(w: &Worker, path: &str) -> common::Resp {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = w.get(path);
        if r.header("x-edge-cache") == Some("HIT") {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never came from the cache: {:?}",
            r.headers
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn listings_feeds_and_sitemaps_come_from_the_location_cache() {
    let w = Worker::start(&[("CACHE_TTL_SECONDS", "30")]);
    let content = content_copy();
    w.publish(content.path(), false);
    for path in [
        "/",
        "/feed.xml",
        "/sitemap.xml",
        "/category/opinion",
        "/api/alerts",
    ] {
        let first = w.get(path);
        assert_eq!(first.status, 200, "{path}: {}", w.log());
        assert_eq!(
            first.header("x-edge-cache"),
            None,
            "{path}: the first answer is the Worker's"
        );
        let cached = hit(&w, path);
        assert_eq!(cached.body, first.body, "{path}");
        assert_eq!(cached.header("etag"), first.header("etag"), "{path}");
        assert!(
            cached
                .header("cache-control")
                .is_some_and(|c| c.starts_with("public, max-age=")),
            "{path}"
        );
        let etag = first.header("etag").unwrap().to_string();
        let again = w.request("GET", path, &[("If-None-Match", &etag)], b"");
        assert_eq!(again.status, 304, "{path}: revalidates");
    }
    for path in [
        format!("/alerts/{SEED}"),
        "/search?q=oewg".into(),
        "/contact".into(),
    ] {
        w.get(&path);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            w.get(&path).header("x-edge-cache"),
            None,
            "{path} is never kept"
        );
    }
    let head = w.request("HEAD", "/", &[], b"");
    assert_eq!(
        head.header("x-edge-cache"),
        None,
        "only GET goes through the cache"
    );
}

#[test]
fn a_scheduled_alert_ends_the_cached_listing_at_its_date() {
    let w = Worker::start(&[("CACHE_TTL_SECONDS", "30")]);
    let content = content_copy();
    let at = chrono::Utc::now() + chrono::Duration::seconds(40);
    std::fs::write(
        content.path().join("alerts/edge-scheduled.md"),
        format!(
            "+++\ntitle = \"Edge scheduled\"\ndate = {}\ncategory = \"Opinion\"\n+++\nSoon.\n",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    )
    .unwrap();
    w.publish(content.path(), false);
    assert!(!w.get("/").body.contains("edge-scheduled"));
    let cached = hit(&w, "/");
    assert!(!cached.body.contains("edge-scheduled"));
    assert_eq!(
        cached.header("cache-control"),
        Some("public, max-age=30"),
        "browsers get the TTL from the location too: nothing says when the alert goes live"
    );
    assert!(cached.header("x-edge-cache-control").is_none());
    assert!(cached.header("x-edge-expires").is_none());
    while chrono::Utc::now() < at + chrono::Duration::seconds(2) {
        std::thread::sleep(Duration::from_millis(500));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !w.get("/").body.contains("edge-scheduled") {
        assert!(
            Instant::now() < deadline,
            "the home page never showed the alert after its date"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}
