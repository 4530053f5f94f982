//! Listings, feeds, sitemaps and the listing API through the real runtime,
//! on the sample content plus 25 synthetic alerts.

mod common;

use common::{content_copy, scenarios, Worker};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

struct Ctx {
    w: Worker,
    content: tempfile::TempDir,
}

/// 5 sample alerts + 25 synthetic ones.
const TOTAL: usize = 30;

fn write(ctx: &Ctx, slug: &str, text: &str) {
    std::fs::write(ctx.content.path().join(format!("alerts/{slug}.md")), text).unwrap();
}

/// Slugs of the cards on an HTML listing page, and its "Older alerts" link.
fn cards(body: &str) -> (Vec<String>, Option<String>) {
    let slugs = body
        .split(r#"<article class="card"><h2><a href="/alerts/"#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    let older = body
        .find(r#"<a rel="next" href=""#)
        .map(|i| &body[i + 20..])
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"));
    (slugs, older)
}

fn dates(body: &str) -> Vec<String> {
    body.split(r#"<time datetime=""#)
        .skip(1)
        .map(|s| s[..20].to_string())
        .collect()
}

/// Every slug of a listing, following "Older alerts" to the end.
fn all_pages(w: &Worker, first: &str) -> Vec<String> {
    let mut slugs = Vec::new();
    let mut next = Some(first.to_string());
    let mut pages = 0;
    while let Some(path) = next {
        let r = w.get(&path);
        assert_eq!(r.status, 200, "{path}");
        let (s, older) = cards(&r.body);
        let d = dates(&r.body);
        assert!(
            d.windows(2).all(|p| p[0] >= p[1]),
            "newest first on {path}: {d:?}"
        );
        if pages > 0 {
            assert!(r.body.contains(">Newest</a>"), "a Newest link on {path}");
        }
        slugs.extend(s);
        next = older;
        pages += 1;
        assert!(pages < 50);
    }
    slugs
}

fn api_all(w: &Worker, query: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let c = cursor
            .as_deref()
            .map(|c| {
                format!(
                    "&cursor={}",
                    &serde_urlencoded::to_string([("c", c)]).unwrap()[2..]
                )
            })
            .unwrap_or_default();
        let r = w.get(&format!("/api/alerts?{query}{c}"));
        assert_eq!(r.status, 200, "{}", r.body);
        let j = r.json();
        out.extend(j["alerts"].as_array().unwrap().iter().cloned());
        match j["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => {
                assert!(j["next"].is_null());
                break;
            }
        }
    }
    out
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

fn ordering_and_older_links_to_the_end(ctx: &Ctx) {
    let first = ctx.w.get("/");
    let (page1, older) = cards(&first.body);
    assert_eq!(page1.len(), 10);
    assert!(older.unwrap().starts_with("/?cursor="));
    let slugs = all_pages(&ctx.w, "/");
    assert_eq!(slugs.len(), TOTAL, "{slugs:?}");
    assert_eq!(
        slugs.iter().collect::<BTreeSet<_>>().len(),
        TOTAL,
        "no duplicates"
    );
    assert_eq!(
        slugs[0],
        "oewg-collective-call-against-barring-organisations"
    );
    assert_eq!(slugs[TOTAL - 1], "synthetic-000024");
    let bad = ctx.w.get("/?cursor=%21%21%21");
    assert_eq!(bad.status, 400);
}

fn category_tag_and_archive_filters(ctx: &Ctx) {
    let briefing = all_pages(&ctx.w, "/category/briefing");
    let expected: Vec<String> = (0..25)
        .filter(|i| i % 4 == 3)
        .map(|i| format!("synthetic-{i:06}"))
        .collect();
    assert_eq!(briefing, expected);
    let tag = all_pages(&ctx.w, "/tag/topic-3");
    assert_eq!(tag, vec!["synthetic-000003".to_string()]);
    let november = all_pages(&ctx.w, "/archive/2024/11");
    assert_eq!(november.len(), TOTAL);
    assert_eq!(ctx.w.get("/archive/2024/09").status, 404);
    assert_eq!(ctx.w.get("/category/nonexistent").status, 404);
    assert_eq!(ctx.w.get("/tag/nonexistent").status, 404);

    write(ctx, "october-alert", "+++\ntitle = \"An October alert\"\ndate = 2024-10-05\ncategory = \"General\"\n+++\nOctober.\n");
    write(ctx, "august-alert", "+++\ntitle = \"An August alert\"\ndate = 2023-08-05\ncategory = \"General\"\n+++\nAugust.\n");
    ctx.w.publish(ctx.content.path(), false);
    let nov = ctx.w.get("/archive/2024/11");
    assert!(
        nov.body
            .contains(r#"<a href="/archive/2024/10">October 2024 →</a>"#),
        "older month link"
    );
    let oct = ctx.w.get("/archive/2024/10");
    assert!(
        oct.body
            .contains(r#"<a href="/archive/2024/11">← November 2024</a>"#),
        "newer month link"
    );
    assert!(
        oct.body
            .contains(r#"<a href="/archive/2023/08">August 2023 →</a>"#),
        "across empty months and years"
    );
    let aug = ctx.w.get("/archive/2023/08");
    assert!(aug
        .body
        .contains(r#"<a href="/archive/2024/10">← October 2024</a>"#));
    assert_eq!(cards(&aug.body).0, vec!["august-alert".to_string()]);
}

fn atom_feed_is_valid_and_complete(ctx: &Ctx) {
    let r = ctx.w.get("/feed.xml");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    assert!(r.header("etag").is_some());
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(feed.tag_name().name(), "feed");
    for required in ["id", "title", "updated", "author"] {
        assert!(child(feed, required).is_some(), "feed needs {required}");
    }
    assert!(feed
        .children()
        .any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self")));
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
        let updated = child(*e, "updated").unwrap().text().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(updated).is_ok(),
            "{updated}"
        );
        assert!(e
            .children()
            .any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("alternate")));
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
    let cat = ctx.w.get("/category/opinion/feed.xml");
    let doc = roxmltree::Document::parse(&cat.body).unwrap();
    let labels: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "category")
        .filter_map(|n| n.attribute("label"))
        .collect();
    assert!(
        !labels.is_empty() && !labels.contains(&"General"),
        "{labels:?}"
    );
    assert_eq!(ctx.w.get("/category/nonexistent/feed.xml").status, 404);
    let page = ctx.w.get("/category/opinion");
    assert!(page.body.contains(r#"<link rel="alternate" type="application/atom+xml" title="Access Alerts (Opinion)" href="/category/opinion/feed.xml">"#));
    for path in [
        "/",
        "/alerts/oewg-collective-call-against-barring-organisations",
        "/contact",
        "/archive/2024/11",
    ] {
        let b = ctx.w.get(path).body;
        assert!(
            b.contains(r#"type="application/atom+xml""#)
                && b.contains(r#"type="application/feed+json""#),
            "{path} links its feeds"
        );
    }
}

fn feeds_revalidate_with_304(ctx: &Ctx) {
    for path in ["/feed.xml", "/feed.json", "/category/opinion/feed.xml"] {
        let r = ctx.w.get(path);
        assert_eq!(r.status, 200, "{path}");
        let etag = r.header("etag").expect("etag").to_string();
        let again = ctx.w.request("GET", path, &[("If-None-Match", &etag)], b"");
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty(), "{path}");
        assert_eq!(again.header("etag"), Some(etag.as_str()), "{path}");
        // The Atom and JSON feeds are different representations.
        if path == "/feed.xml" {
            let json = ctx
                .w
                .request("GET", "/feed.json", &[("If-None-Match", &etag)], b"");
            assert_eq!(json.status, 200);
        }
    }
}

fn json_feed_fields(ctx: &Ctx) {
    let r = ctx.w.get("/feed.json");
    assert_eq!(
        r.header("content-type"),
        Some("application/feed+json; charset=utf-8")
    );
    let j = r.json();
    assert_eq!(j["version"], "https://jsonfeed.org/version/1.1");
    assert!(
        j["title"].is_string()
            && j["home_page_url"].is_string()
            && j["feed_url"].as_str().unwrap().ends_with("/feed.json")
    );
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

fn sitemap_covers_every_public_page(ctx: &Ctx) {
    let robots = ctx.w.get("/robots.txt");
    assert!(robots
        .body
        .contains(&format!("Sitemap: {}", ctx.w.url("/sitemap.xml"))));
    let index = ctx.w.get("/sitemap.xml");
    assert_eq!(
        index.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let doc = roxmltree::Document::parse(&index.body).unwrap();
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
        let path = part.trim_start_matches(&ctx.w.url(""));
        let r = ctx.w.get(path);
        assert_eq!(r.status, 200, "{path}");
        let doc = roxmltree::Document::parse(&r.body).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        for url in doc.descendants().filter(|n| n.tag_name().name() == "url") {
            let loc = url
                .children()
                .find(|c| c.tag_name().name() == "loc")
                .unwrap()
                .text()
                .unwrap()
                .to_string();
            if loc.contains("/alerts/") {
                let lastmod = url
                    .children()
                    .find(|c| c.tag_name().name() == "lastmod")
                    .expect("lastmod")
                    .text()
                    .unwrap();
                assert!(chrono::DateTime::parse_from_rfc3339(lastmod).is_ok());
            }
            locs.insert(loc);
        }
    }
    for slug in all_pages(&ctx.w, "/") {
        assert!(
            locs.contains(&ctx.w.url(&format!("/alerts/{slug}"))),
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
        assert!(locs.contains(&ctx.w.url(page)), "{page} in the sitemap");
    }
}

fn api_pages_and_clamps(ctx: &Ctx) {
    let r = ctx.w.get("/api/alerts");
    let j = r.json();
    assert_eq!(j["alerts"].as_array().unwrap().len(), 10);
    let a = &j["alerts"][0];
    assert_eq!(
        a["slug"],
        "oewg-collective-call-against-barring-organisations"
    );
    assert_eq!(a["date"], "2024-11-26T00:00:00Z");
    assert!(a["updated"].is_null());
    assert_eq!(a["category"], "Opinion");
    assert_eq!(
        a["tags"],
        serde_json::json!(["Cybersecurity", "United Nations"])
    );
    assert!(
        a["summary"].is_string()
            && a["url"]
                .as_str()
                .unwrap()
                .ends_with("/alerts/oewg-collective-call-against-barring-organisations")
    );
    assert!(j["next"].is_string());
    let all = api_all(&ctx.w, "limit=7");
    assert_eq!(all.len(), TOTAL);
    assert_eq!(
        ctx.w.get("/api/alerts?limit=1000").json()["alerts"]
            .as_array()
            .unwrap()
            .len(),
        TOTAL.min(100)
    );
    assert_eq!(
        ctx.w.get("/api/alerts?limit=0").json()["alerts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        ctx.w.get("/api/alerts?limit=-5").json()["alerts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let bad = ctx.w.get("/api/alerts?limit=ten");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].is_string());
    let bad = ctx.w.get("/api/alerts?cursor=%3Cnot%20a%20cursor%3E");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("cursor"));
    let opinion = api_all(&ctx.w, "category=Opinion&limit=5");
    assert!(!opinion.is_empty() && opinion.iter().all(|a| a["category"] == "Opinion"));
    let tag = api_all(&ctx.w, "tag=Topic%203");
    assert_eq!(tag.len(), 1);
    let both = api_all(&ctx.w, "category=Briefing&tag=Synthetic");
    assert_eq!(both.len(), 6);
    assert!(both.iter().all(|a| a["category"] == "Briefing"));
}

/// Collects where a slug appears: every listing, feed, sitemap and the API.
fn presence(ctx: &Ctx, slug: &str, category: &str, tag: &str, month: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
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
    for (name, path) in checks {
        if ctx.w.get(&path).body.contains(&needle) {
            found.push(name);
        }
    }
    found
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

fn drafts_and_scheduled_are_listed_nowhere_until_due(ctx: &Ctx) {
    write(ctx, "listing-draft", "+++\ntitle = \"Listing draft\"\ndate = 2024-11-27\ncategory = \"Opinion\"\ntags = [\"Synthetic\"]\ndraft = true\n+++\nDraft.\n");
    let at = chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp() + 5 + 2, 0).unwrap();
    write(ctx, "listing-scheduled", &format!("+++\ntitle = \"Listing scheduled\"\ndate = {}\ncategory = \"Opinion\"\ntags = [\"Synthetic\"]\n+++\nSoon.\n", at.format("%Y-%m-%dT%H:%M:%SZ")));
    ctx.w.publish(ctx.content.path(), false);
    let month = at.format("%Y/%m").to_string();
    assert!(presence(ctx, "listing-draft", "opinion", "synthetic", "2024/11").is_empty());
    if chrono::Utc::now() < at {
        assert!(presence(ctx, "listing-scheduled", "opinion", "synthetic", &month).is_empty());
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while chrono::Utc::now() < at + chrono::Duration::seconds(1) {
        std::thread::sleep(Duration::from_millis(200));
    }
    loop {
        let p = presence(ctx, "listing-scheduled", "opinion", "synthetic", &month);
        if p.len() == EVERYWHERE.len() {
            break;
        }
        assert!(Instant::now() < deadline, "went live only in {p:?}");
        std::thread::sleep(Duration::from_millis(500));
    }
    assert!(
        presence(ctx, "listing-draft", "opinion", "synthetic", "2024/11").is_empty(),
        "the draft stays unlisted"
    );
}

fn published_everywhere_then_unpublished_nowhere(ctx: &Ctx) {
    write(ctx, "everywhere-alert", "+++\ntitle = \"Everywhere alert\"\ndate = 2024-11-28T08:00:00Z\ncategory = \"Briefing\"\ntags = [\"Everywhere Tag\"]\n+++\nEverywhere.\n");
    ctx.w.publish(ctx.content.path(), false);
    assert_eq!(
        presence(
            ctx,
            "everywhere-alert",
            "briefing",
            "everywhere-tag",
            "2024/11"
        ),
        EVERYWHERE.to_vec()
    );
    std::fs::remove_file(ctx.content.path().join("alerts/everywhere-alert.md")).unwrap();
    ctx.w.publish(ctx.content.path(), true);
    assert!(presence(
        ctx,
        "everywhere-alert",
        "briefing",
        "everywhere-tag",
        "2024/11"
    )
    .is_empty());
}

#[test]
fn listings() {
    let w = Worker::start(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    w.alerts(&["seed-synthetic", "25"]);
    let ctx = Ctx { w, content };
    scenarios(
        &ctx,
        &[
            (
                "ordering_and_older_links_to_the_end",
                ordering_and_older_links_to_the_end,
            ),
            (
                "atom_feed_is_valid_and_complete",
                atom_feed_is_valid_and_complete,
            ),
            ("feeds_revalidate_with_304", feeds_revalidate_with_304),
            ("json_feed_fields", json_feed_fields),
            ("api_pages_and_clamps", api_pages_and_clamps),
            (
                "category_tag_and_archive_filters",
                category_tag_and_archive_filters,
            ),
            (
                "sitemap_covers_every_public_page",
                sitemap_covers_every_public_page,
            ),
            (
                "drafts_and_scheduled_are_listed_nowhere_until_due",
                drafts_and_scheduled_are_listed_nowhere_until_due,
            ),
            (
                "published_everywhere_then_unpublished_nowhere",
                published_everywhere_then_unpublished_nowhere,
            ),
        ],
    );
}
