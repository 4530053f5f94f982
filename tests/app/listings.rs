//! Listings, archives, feeds, sitemaps and the listing API, on the sample
//! content plus 25 synthetic alerts.

use crate::fake::{Site, ORIGIN};
use crate::json;
use crate::support::{all_pages as all_pages_of, api_all as api_all_of, cards};
use std::collections::BTreeSet;

/// 5 sample alerts + 25 synthetic ones.
const TOTAL: usize = 30;

fn get(site: &Site) -> impl Fn(&str) -> (u16, String) + '_ {
    move |path| {
        let r = site.get(path);
        (r.status, r.text())
    }
}

fn all_pages(site: &Site, first: &str) -> Vec<String> {
    all_pages_of(get(site), first)
}

fn api_all(site: &Site, query: &str) -> Vec<serde_json::Value> {
    api_all_of(get(site), query)
}

fn site() -> Site {
    let site = Site::from_content();
    site.seed_synthetic(25);
    site
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

#[test]
fn ordering_and_older_links_to_the_end() {
    let site = site();
    let first = site.get("/").text();
    let (page1, older) = cards(&first);
    assert_eq!(page1.len(), 10);
    assert!(older.unwrap().starts_with("/?cursor="));
    let slugs = all_pages(&site, "/");
    assert_eq!(slugs.len(), TOTAL, "{slugs:?}");
    assert_eq!(
        slugs.iter().collect::<BTreeSet<_>>().len(),
        TOTAL,
        "no duplicates"
    );
    assert_eq!(slugs[0], crate::SEED);
    assert_eq!(slugs[TOTAL - 1], "synthetic-000024");
    assert_eq!(
        site.get("/?cursor=%21%21%21").status,
        400,
        "outside the cursor alphabet"
    );
    assert_eq!(site.get("/?cursor=abc").status, 400, "not a place in time");
    assert_eq!(site.get("/?cursor=12-Bad").status, 400, "not a slug");
    let past_the_end = "/?cursor=1-a";
    assert_eq!(
        site.get(past_the_end).status,
        404,
        "an empty page past the first is unknown"
    );
}

#[test]
fn category_tag_and_archive_filters() {
    let site = site();
    let briefing = all_pages(&site, "/category/briefing");
    let expected: Vec<String> = (0..25)
        .filter(|i| i % 4 == 3)
        .map(|i| format!("synthetic-{i:06}"))
        .collect();
    assert_eq!(briefing, expected);
    assert_eq!(
        all_pages(&site, "/tag/topic-3"),
        vec!["synthetic-000003".to_string()]
    );
    assert_eq!(all_pages(&site, "/archive/2024/11").len(), TOTAL);
    assert_eq!(site.get("/archive/2024/09").status, 404);
    assert_eq!(site.get("/category/nonexistent").status, 404);
    assert_eq!(site.get("/tag/nonexistent").status, 404);
    let tag = site.get("/tag/united-nations").text();
    assert!(
        tag.contains("<h1>Tag: United Nations</h1>"),
        "the display name"
    );
    let cat = site.get("/category/opinion").text();
    assert!(cat.contains("<h1>Category: Opinion</h1>"));

    site.publish_text("october-alert", "+++\ntitle = \"An October alert\"\ndate = 2024-10-05\ncategory = \"General\"\n+++\nOctober.\n");
    site.publish_text("august-alert", "+++\ntitle = \"An August alert\"\ndate = 2023-08-05\ncategory = \"General\"\n+++\nAugust.\n");
    let nov = site.get("/archive/2024/11").text();
    assert!(
        nov.contains(r#"<a href="/archive/2024/10">October 2024 →</a>"#),
        "older month link"
    );
    assert!(!nov.contains("←"), "no newer month");
    let oct = site.get("/archive/2024/10").text();
    assert!(
        oct.contains(r#"<a href="/archive/2024/11">← November 2024</a>"#),
        "newer month link"
    );
    assert!(
        oct.contains(r#"<a href="/archive/2023/08">August 2023 →</a>"#),
        "across empty months and years"
    );
    let aug = site.get("/archive/2023/08").text();
    assert!(aug.contains(r#"<a href="/archive/2024/10">← October 2024</a>"#));
    assert_eq!(cards(&aug).0, vec!["august-alert".to_string()]);
}

#[test]
fn atom_feed_is_valid_and_complete() {
    let site = site();
    let r = site.get("/feed.xml");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/atom+xml; charset=utf-8")
    );
    assert!(r.header("etag").is_some());
    let text = r.text();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated", "author"] {
        assert!(child(feed, required).is_some(), "feed needs {required}");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 20);
    for e in &entries {
        for required in ["id", "title", "updated", "published", "summary", "content"] {
            assert!(
                child(*e, required).is_some_and(|n| n.text().is_some_and(|t| !t.is_empty())),
                "entry needs {required}"
            );
        }
        assert_eq!(
            child(*e, "content").unwrap().attribute("type"),
            Some("html")
        );
    }
    let first = child(entries[0], "content").unwrap().text().unwrap();
    assert!(
        first.starts_with("<p>Ahead of this week"),
        "full content: {first}"
    );
    let cat = site.get("/category/opinion/feed.xml").text();
    let doc = roxmltree::Document::parse(&cat).unwrap();
    let labels: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "category")
        .filter_map(|n| n.attribute("label"))
        .collect();
    assert!(
        !labels.is_empty() && !labels.contains(&"General"),
        "{labels:?}"
    );
    assert!(cat.contains("<title>Access Alerts (Opinion)</title>"));
    assert_eq!(site.get("/category/nonexistent/feed.xml").status, 404);
    let page = site.get("/category/opinion").text();
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="Access Alerts (Opinion)" href="/category/opinion/feed.xml">"#));
    for path in [
        "/",
        &format!("/alerts/{}", crate::SEED),
        "/contact",
        "/archive/2024/11",
    ] {
        let b = site.get(path).text();
        assert!(
            b.contains(r#"type="application/atom+xml""#)
                && b.contains(r#"type="application/feed+json""#),
            "{path} links its feeds"
        );
    }
}

#[test]
fn feeds_revalidate_with_304_and_change_with_an_alert() {
    let site = site();
    for path in ["/feed.xml", "/feed.json", "/category/opinion/feed.xml"] {
        let r = site.get(path);
        assert_eq!(r.status, 200, "{path}");
        let etag = r.header("etag").expect("etag");
        let again = site.request("GET", path, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_none(), "{path}");
        if path == "/feed.xml" {
            let json = site.request("GET", "/feed.json", &[("If-None-Match", &etag)]);
            assert_eq!(
                json.status, 200,
                "Atom and JSON are different representations"
            );
        }
    }
    let before = site.get("/feed.xml").header("etag").unwrap();
    site.publish_text(
        "newest-alert",
        "+++\ntitle = \"Newest\"\ndate = 2024-11-30\ncategory = \"Opinion\"\n+++\nNew.\n",
    );
    let after = site.get("/feed.xml");
    assert_ne!(after.header("etag").unwrap(), before);
    assert!(after.text().contains("/alerts/newest-alert"));
}

#[test]
fn json_feed_fields() {
    let site = site();
    let r = site.get("/feed.json");
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/feed+json; charset=utf-8")
    );
    let j = json(&r);
    assert_eq!(j["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(j["feed_url"], format!("{ORIGIN}/feed.json"));
    let items = j["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    for i in items {
        assert!(
            i["id"].is_string()
                && i["url"].is_string()
                && i["title"].is_string()
                && i["content_html"].is_string()
        );
        assert!(
            chrono::DateTime::parse_from_rfc3339(i["date_published"].as_str().unwrap()).is_ok()
        );
    }
}

#[test]
fn sitemap_covers_every_public_page_and_each_answers() {
    let site = site();
    let index = site.get("/sitemap.xml");
    assert_eq!(
        index.header("content-type").as_deref(),
        Some("application/xml; charset=utf-8")
    );
    let text = index.text();
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let parts: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert!(
        parts.iter().any(|p| p.ends_with("/sitemap/2024-11.xml"))
            && parts.iter().any(|p| p.ends_with("/sitemap/pages.xml")),
        "{parts:?}"
    );
    let mut locs = BTreeSet::new();
    for part in &parts {
        let path = part.trim_start_matches(ORIGIN);
        let r = site.get(path);
        assert_eq!(r.status, 200, "{path}");
        let text = r.text();
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        for url in doc.descendants().filter(|n| n.tag_name().name() == "url") {
            let loc = child(url, "loc").unwrap().text().unwrap().to_string();
            if loc.contains("/alerts/") {
                let lastmod = child(url, "lastmod").expect("lastmod").text().unwrap();
                assert!(chrono::DateTime::parse_from_rfc3339(lastmod).is_ok());
            }
            locs.insert(loc);
        }
    }
    for slug in all_pages(&site, "/") {
        assert!(
            locs.contains(&format!("{ORIGIN}/alerts/{slug}")),
            "{slug} in the sitemap"
        );
    }
    for page in [
        "/",
        "/contact",
        "/category/briefing",
        "/tag/topic-3",
        "/archive/2024/11",
    ] {
        assert!(
            locs.contains(&format!("{ORIGIN}{page}")),
            "{page} in the sitemap"
        );
    }
    for loc in &locs {
        let path = loc.trim_start_matches(ORIGIN);
        assert_eq!(
            site.get(path).status,
            200,
            "every URL in the sitemap answers: {path}"
        );
    }
    assert_eq!(site.get("/sitemap/2024-09.xml").status, 404);
}

#[test]
fn api_pages_and_clamps() {
    let site = site();
    let j = json(&site.get("/api/alerts"));
    assert_eq!(j["alerts"].as_array().unwrap().len(), 10);
    let a = &j["alerts"][0];
    assert_eq!(a["slug"], crate::SEED);
    assert_eq!(a["date"], "2024-11-26T00:00:00Z");
    assert!(a["updated"].is_null());
    assert_eq!(a["category"], "Opinion");
    assert_eq!(
        a["tags"],
        serde_json::json!(["Cybersecurity", "United Nations"])
    );
    assert_eq!(a["url"], format!("{ORIGIN}/alerts/{}", crate::SEED));
    assert!(j["next"].is_string());
    assert_eq!(api_all(&site, "limit=7").len(), TOTAL);
    let count = |q: &str| {
        json(&site.get(&format!("/api/alerts?{q}")))["alerts"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count("limit=1000"), TOTAL.min(100));
    assert_eq!(count("limit=0"), 1);
    assert_eq!(count("limit=-5"), 1);
    let bad = site.get("/api/alerts?limit=ten");
    assert_eq!(bad.status, 400);
    assert!(json(&bad)["error"].is_string());
    let bad = site.get("/api/alerts?cursor=%3Cnot%20a%20cursor%3E");
    assert_eq!(bad.status, 400);
    assert!(json(&bad)["error"].as_str().unwrap().contains("cursor"));
    let opinion = api_all(&site, "category=Opinion&limit=5");
    assert!(!opinion.is_empty() && opinion.iter().all(|a| a["category"] == "Opinion"));
    assert_eq!(api_all(&site, "tag=Topic%203").len(), 1);
    let both = api_all(&site, "category=Briefing&tag=Synthetic");
    assert_eq!(both.len(), 6);
    assert!(both.iter().all(|a| a["category"] == "Briefing"));
}

/// Where a slug appears: every listing, feed, sitemap and the API.
fn presence(site: &Site, slug: &str, category: &str, tag: &str, month: &str) -> Vec<&'static str> {
    let needle = format!("/alerts/{slug}");
    let checks: [(&'static str, String); 9] = [
        ("home", "/".into()),
        ("category", format!("/category/{category}")),
        ("tag", format!("/tag/{tag}")),
        ("archive", format!("/archive/{month}")),
        ("atom", "/feed.xml".into()),
        ("category feed", format!("/category/{category}/feed.xml")),
        ("json feed", "/feed.json".into()),
        (
            "sitemap",
            format!("/sitemap/{}.xml", month.replace('/', "-")),
        ),
        ("api", "/api/alerts?limit=100".into()),
    ];
    checks
        .into_iter()
        .filter(|(_, path)| site.get(path).text().contains(&needle))
        .map(|(name, _)| name)
        .collect()
}

const EVERYWHERE: [&str; 9] = [
    "home",
    "category",
    "tag",
    "archive",
    "atom",
    "category feed",
    "json feed",
    "sitemap",
    "api",
];

#[test]
fn drafts_and_scheduled_are_listed_nowhere_until_due() {
    let site = site();
    site.publish_text("listing-draft", "+++\ntitle = \"Listing draft\"\ndate = 2024-11-27\ncategory = \"Opinion\"\ntags = [\"Synthetic\"]\ndraft = true\n+++\nDraft.\n");
    site.publish_text("listing-scheduled", "+++\ntitle = \"Listing scheduled\"\ndate = 2024-12-01T00:05:00Z\ncategory = \"Opinion\"\ntags = [\"Synthetic\"]\n+++\nSoon.\n");
    assert!(presence(&site, "listing-draft", "opinion", "synthetic", "2024/11").is_empty());
    assert!(presence(
        &site,
        "listing-scheduled",
        "opinion",
        "synthetic",
        "2024/12"
    )
    .is_empty());
    site.fake.advance_seconds(300);
    assert_eq!(
        presence(
            &site,
            "listing-scheduled",
            "opinion",
            "synthetic",
            "2024/12"
        ),
        EVERYWHERE.to_vec()
    );
    assert!(
        presence(&site, "listing-draft", "opinion", "synthetic", "2024/11").is_empty(),
        "the draft stays unlisted"
    );
}

#[test]
fn published_everywhere_then_unpublished_nowhere() {
    let site = site();
    site.publish_text("everywhere-alert", "+++\ntitle = \"Everywhere alert\"\ndate = 2024-11-28T08:00:00Z\ncategory = \"Briefing\"\ntags = [\"Everywhere Tag\"]\n+++\nEverywhere.\n");
    assert_eq!(
        presence(
            &site,
            "everywhere-alert",
            "briefing",
            "everywhere-tag",
            "2024/11"
        ),
        EVERYWHERE.to_vec()
    );
    site.unpublish("everywhere-alert");
    assert!(presence(
        &site,
        "everywhere-alert",
        "briefing",
        "everywhere-tag",
        "2024/11"
    )
    .is_empty());
}

#[test]
fn listing_lines_that_cannot_be_read_are_skipped_and_logged() {
    let site = site();
    assert_eq!(site.get("/").status, 200, "the derived keys are written");
    let index = site.fake.value("ls:all").unwrap();
    let first = access_alerts::listing::index_lines(&index).next().unwrap();
    let key = access_alerts::listing::Listing::All.chunk_key(first.month, first.hash);
    let text = site.fake.value(&key).unwrap();
    let lines = text.lines().count();
    let broken = "1\tghost\t{\"nonsense\": true}\nnot a line\n";
    site.fake
        .put_raw(&key, format!("{text}{broken}").as_bytes(), None);
    // A month's sitemap reads its chunk, every line of it.
    let month = site.get(&format!("/sitemap/{}.xml", first.month));
    assert_eq!(month.status, 200);
    assert!(!month.text().contains("ghost"));
    let logged = site.fake.logged();
    assert!(
        logged.contains(&format!("broken record key={key} line {}", lines + 1)),
        "{logged}"
    );
    // The index's head, which the listing API reads here, likewise.
    let head = access_alerts::listing::index_head(&index).unwrap();
    assert!(head.whole, "the sample fits in the head");
    site.fake
        .put_raw("ls:all", format!("{index}{broken}").as_bytes(), None);
    let all = site.get("/api/alerts?limit=100");
    assert_eq!(all.status, 200);
    assert!(!all.text().contains("ghost"));
    let at = head.text.lines().count() + 2;
    assert!(
        site.fake
            .logged()
            .contains(&format!("broken record key=ls:all line {at}")),
        "{}",
        site.fake.logged()
    );
}
