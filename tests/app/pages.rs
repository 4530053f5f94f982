//! Alerts, previews, the alert API, fixed pages, aliases, errors, headers.

use crate::fake::{Site, ORIGIN};
use crate::{assert_common_headers, json, SEED};
use access_alerts::routes::Method;

fn alert_path() -> String {
    format!("/alerts/{SEED}")
}

#[test]
fn healthz_reports_version_and_kv() {
    let site = Site::from_content();
    let r = site.get("/healthz");
    assert_eq!(r.status, 200);
    assert_common_headers(&r);
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    assert!(r.header("etag").is_none(), "no-store answers carry no ETag");
    let j = json(&r);
    assert_eq!(j["kv"], "ok");
    assert!(j["version"].as_str().unwrap().starts_with("0.1.0+"), "{j}");
    site.fake.kv_fails.set(true);
    let down = site.get("/healthz");
    assert_eq!(down.status, 503);
    assert_eq!(json(&down)["kv"], "error");
}

#[test]
fn home_lists_alerts_newest_first() {
    let site = Site::from_content();
    let r = site.get("/");
    assert_eq!(r.status, 200);
    assert_common_headers(&r);
    let body = r.text();
    let order: Vec<usize> = [
        SEED,
        "mexico-abolition",
        "access-partnership-concludes",
        "mexico-new-agency",
        "australia-social",
    ]
    .iter()
    .map(|s| {
        body.find(&format!("/alerts/{s}"))
            .unwrap_or_else(|| panic!("{s} missing"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(body.contains("25 Nov 2024") && body.contains(">Opinion<"));
}

#[test]
fn alert_page_has_everything() {
    let site = Site::from_content();
    let r = site.get(&alert_path());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_common_headers(&r);
    let b = r.text();
    for needle in [
        "<h1>Access Alert | Access Partnership joins collective call",
        r#"<time datetime="2024-11-26T00:00:00Z">26 Nov 2024</time>"#,
        r#"href="/category/opinion""#,
        r#"href="/tag/united-nations""#,
        r#"href="/archive/2024/11">More from November 2024"#,
        r#"href="/contact?to=gordon-mackay">Write to Gordon Mackay"#,
        r#"href="/contact?to=luminita-tuchel">Write to Luminita Tuchel"#,
        "please contact:",
        "Related Articles",
        r#"property="og:title""#,
        r#"name="twitter:card""#,
        &format!(r#"<link rel="canonical" href="{ORIGIN}/alerts/{SEED}">"#),
        r#""@type":"NewsArticle""#,
        r#""publisher":{"@type":"Organization","name":"Access Alerts""#,
        "Mexico’s Congress has approved",
        "18 Nov 2024",
    ] {
        assert!(b.contains(needle), "missing {needle}");
    }
    assert_eq!(
        b.matches(r#"<article class="card">"#).count(),
        4,
        "four related articles"
    );
    assert!(
        !b.contains("@example.org"),
        "no contact address on the page"
    );
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(r.header("strict-transport-security").is_some());
    assert!(r.header("referrer-policy").is_some());
    assert!(r
        .header("cache-control")
        .unwrap()
        .contains("stale-while-revalidate"));
}

#[test]
fn revalidation_gets_304_before_rendering() {
    let site = Site::from_content();
    let r = site.get(&alert_path());
    let etag = r.header("etag").expect("an ETag");
    assert!(etag.starts_with('"'), "strong ETag: {etag}");
    let again = site.request("GET", &alert_path(), &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_none());
    assert_eq!(again.header("etag"), Some(etag.clone()));
    assert!(
        again.header("content-type").is_none(),
        "a 304 has no body to type"
    );
    assert_common_headers(&again);
    let weak = site.request(
        "GET",
        &alert_path(),
        &[("If-None-Match", &format!("W/{etag}, \"x\""))],
    );
    assert_eq!(weak.status, 304, "a weak match and a list both match");
    let other = site.request("GET", &alert_path(), &[("If-None-Match", "\"nope\"")]);
    assert_eq!(other.status, 200);
    let api_path = format!("/api/alerts/{SEED}");
    let api_etag = site.get(&api_path).header("etag").unwrap();
    let api = site.request("GET", &api_path, &[("If-None-Match", &api_etag)]);
    assert_eq!(api.status, 304);
    assert!(api.body.is_none());
    // Every cacheable 200 has an ETag, even fixed pages.
    let etag = site.get("/privacy").header("etag").unwrap();
    assert_eq!(
        site.request("GET", "/privacy", &[("If-None-Match", &etag)])
            .status,
        304
    );
    // A related alert's new title changes the page, so its ETag.
    let mut related = site.stored_record("mexico-abolition-of-telecoms-and-competition-regulators");
    related.title = "A new title".into();
    related.hash = "changed".into();
    site.publish(&related);
    let mut record = site.stored_record(SEED);
    record.related[0] = related.entry();
    site.publish(&record);
    assert_ne!(site.get(&alert_path()).header("etag"), Some(etag));
}

#[test]
fn head_and_wrong_methods() {
    let site = Site::from_content();
    let get = site.get(&alert_path());
    let head = site.request("HEAD", &alert_path(), &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_none());
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-type"), get.header("content-type"));
    for path in [
        "/",
        "/healthz",
        "/contact",
        "/privacy",
        "/feed.xml",
        "/sitemap.xml",
    ] {
        assert_eq!(site.request("HEAD", path, &[]).status, 200, "HEAD {path}");
    }
    let post = site.request("POST", &alert_path(), &[("Content-Type", "text/plain")]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow").as_deref(), Some("GET, HEAD"));
    assert_common_headers(&post);
    let put = site.request("PUT", "/contact", &[]);
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow").as_deref(), Some("GET, HEAD, POST"));
    let get_resend = site.request("GET", "/operator/inquiries/x/resend", &[]);
    assert_eq!(get_resend.status, 405);
    assert_eq!(get_resend.header("allow").as_deref(), Some("POST"));
}

#[test]
fn unknown_paths_get_an_html_404() {
    let site = Site::from_content();
    for path in [
        "/nowhere",
        "/alerts/no-such-alert",
        "/alerts/Not_A_Slug",
        "/category/no-such-category",
        "/tag/no-such-tag",
        "/assets/site.0000.css",
        "/archive/2024/13",
    ] {
        let r = site.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_common_headers(&r);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.text().contains("Page not found"));
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("public, max-age=30")
        );
    }
    let api = site.get("/api/alerts/no-such-alert");
    assert_eq!(api.status, 404);
    assert!(json(&api)["error"].is_string());
    // Test and bench routes do not exist in this build (no `diagnostics`
    // feature) or without their switch: unknown for every method.
    for path in [
        "/__bench/floor",
        "/__bench/render?n=1000",
        "/__bench/memory",
        "/__bench/kv/x",
        "/__test/panic",
        "/__test/enqueue",
    ] {
        assert_eq!(site.get(path).status, 404, "{path}");
        assert_eq!(site.request("POST", path, &[]).status, 404, "{path}");
    }
}

#[test]
fn stylesheet_is_fingerprinted_and_immutable() {
    let site = Site::from_content();
    let page = site.get("/").text();
    let start = page.find("/assets/site.").unwrap();
    let href = &page[start..start + page[start..].find('"').unwrap()];
    let css = site.get(href);
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    assert!(css.text().contains(":focus-visible"));
    let icon = site.get("/favicon.ico");
    assert_eq!(icon.status, 200);
    assert_eq!(
        icon.header("content-type").as_deref(),
        Some("image/svg+xml; charset=utf-8")
    );
    let robots = site.get("/robots.txt").text();
    assert!(
        robots.contains("Disallow: /preview/")
            && robots.contains(&format!("Sitemap: {ORIGIN}/sitemap.xml"))
    );
}

#[test]
fn api_returns_the_article() {
    let site = Site::from_content();
    let r = site.get(&format!("/api/alerts/{SEED}"));
    assert_eq!(r.status, 200);
    assert_common_headers(&r);
    let j = json(&r);
    assert_eq!(j["slug"], SEED);
    assert_eq!(j["date"], "2024-11-26T00:00:00Z");
    assert_eq!(j["category"], "Opinion");
    assert_eq!(j["tags"][0], "Cybersecurity");
    assert!(j["html"]
        .as_str()
        .unwrap()
        .starts_with("<p>Ahead of this week"));
    assert_eq!(j["url"], format!("{ORIGIN}/alerts/{SEED}"));
    assert!(!r.text().contains("@example.org"));
}

#[test]
fn markdown_html_and_dangerous_links_are_inert() {
    let site = Site::from_content();
    site.publish_text("inert-test", "+++\ntitle = \"Inert\"\ndate = 2024-01-02\ncategory = \"Test\"\n+++\nHello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) [tab](java\tscript:alert(4)) [ok](https://example.org/a) ![pic](data:image/png;base64,AA)\n");
    let r = site.get("/alerts/inert-test");
    assert_eq!(r.status, 200);
    let text = r.text();
    let body = &text[text.find("<div class=\"body\">").unwrap()..];
    assert!(
        !body.contains("<script>alert") && !body.contains("<img src=x"),
        "{body}"
    );
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !body.to_lowercase().contains("javascript:") && !body.contains("data:image"),
        "{body}"
    );
    assert!(body.contains(r#"<a href="https://example.org/a" rel="noopener">ok</a>"#));
}

#[test]
fn drafts_and_future_alerts_answer_like_unknown_slugs() {
    let site = Site::from_content();
    site.publish_text("draft-alert", "+++\ntitle = \"Secret draft\"\ndate = 2024-01-01\ncategory = \"Opinion\"\ndraft = true\n+++\nDraft body.\n");
    site.publish_text(
        "future-alert",
        "+++\ntitle = \"Future alert\"\ndate = 2099-01-01\ncategory = \"Opinion\"\n+++\nLater.\n",
    );
    let unknown = site.get("/alerts/never-existed");
    for slug in ["draft-alert", "future-alert"] {
        let page = site.get(&format!("/alerts/{slug}"));
        assert_eq!(page.status, 404, "{slug}");
        assert_eq!(
            page.text(),
            unknown.text(),
            "{slug} answers exactly like an unknown slug"
        );
        assert_eq!(page.headers(), unknown.headers(), "{slug}");
        assert_eq!(site.get(&format!("/api/alerts/{slug}")).status, 404);
    }
    let home = site.get("/").text();
    assert!(!home.contains("Secret draft") && !home.contains("Future alert"));
    assert!(!site
        .get("/category/opinion")
        .text()
        .contains("Future alert"));
}

#[test]
fn preview_links() {
    let site = Site::from_content();
    site.publish_text("draft-alert", "+++\ntitle = \"Secret draft\"\ndate = 2024-01-01\ncategory = \"Opinion\"\ndraft = true\n+++\nDraft body.\n");
    let now = site.fake.now() / 1000;
    let link = access_alerts::preview::link("test-preview-secret", "draft-alert", now + 600);
    let r = site.get(&link);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Secret draft") && r.text().contains("Preview of a draft"));
    assert!(r
        .text()
        .contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    assert_eq!(
        r.header("x-robots-tag").as_deref(),
        Some("noindex, nofollow")
    );
    assert!(r.header("etag").is_none());
    site.fake.advance_seconds(601);
    let e = site.get(&link);
    assert_eq!(e.status, 403);
    assert!(e.text().contains("expired"));
    let forged = access_alerts::preview::link("not-the-secret", "draft-alert", now + 6000);
    assert_eq!(site.get(&forged).status, 403);
    let fresh = access_alerts::preview::link("test-preview-secret", "draft-alert", now + 6000);
    let other_slug = fresh.replace("/preview/draft-alert", "/preview/future-alert");
    assert_eq!(site.get(&other_slug).status, 403);
    let without_secret = Site::with(&[("PREVIEW_SECRET", "")]);
    without_secret.publish_text(
        "draft-alert",
        "+++\ntitle = \"Secret draft\"\ndate = 2024-01-01\ndraft = true\n+++\nDraft.\n",
    );
    assert_eq!(
        without_secret.get(&fresh).status,
        404,
        "no secret, no previews"
    );
}

#[test]
fn scheduled_alert_goes_live_by_itself() {
    let site = Site::from_content();
    site.publish_text("soon-alert", "+++\ntitle = \"Soon alert\"\ndate = 2024-12-01T00:10:00Z\ncategory = \"Opinion\"\n+++\nSoon.\n");
    assert_eq!(site.get("/alerts/soon-alert").status, 404);
    assert!(!site.get("/").text().contains("Soon alert"));
    site.fake.advance_seconds(599);
    assert_eq!(
        site.get("/alerts/soon-alert").status,
        404,
        "one second early"
    );
    site.fake.advance_seconds(1);
    assert_eq!(site.get("/alerts/soon-alert").status, 200);
    assert!(site.get("/").text().contains("Soon alert"));
}

#[test]
fn alias_redirects() {
    let site = Site::from_content();
    site.publish_text("moved-alert", "+++\ntitle = \"Moved\"\ndate = 2024-02-01\ncategory = \"General\"\naliases = [\"/2024/02/old-name/\", \"/news/old-name\"]\n+++\nMoved here.\n");
    for old in [
        "/2024/02/old-name/",
        "/2024/02/old-name",
        "/news/old-name",
        "/news/old-name/",
    ] {
        let r = site.get(old);
        assert_eq!(r.status, 301, "{old}");
        assert_eq!(r.header("location").as_deref(), Some("/alerts/moved-alert"));
    }
    assert_eq!(site.get("/news/other-name").status, 404);
}

#[test]
fn publish_and_unpublish_one_alert() {
    let site = Site::from_content();
    site.publish_text("fresh-alert", "+++\ntitle = \"Fresh alert\"\ndate = 2024-11-27\ncategory = \"General\"\ntags = [\"Fresh Tag\"]\n+++\nFresh.\n");
    assert_eq!(site.get("/alerts/fresh-alert").status, 200);
    assert!(site.get("/").text().contains("Fresh alert"));
    assert_eq!(site.get("/tag/fresh-tag").status, 200);
    site.unpublish("fresh-alert");
    assert_eq!(site.get("/alerts/fresh-alert").status, 404);
    assert!(!site.get("/").text().contains("Fresh alert"));
    assert_eq!(site.get("/tag/fresh-tag").status, 404);
}

#[test]
fn date_and_category_change_moves_the_alert() {
    let site = Site::from_content();
    site.publish_text(
        "moved-alert",
        "+++\ntitle = \"Moved\"\ndate = 2024-02-01\ncategory = \"General\"\n+++\nMoved here.\n",
    );
    assert!(site
        .get("/category/general")
        .text()
        .contains("/alerts/moved-alert"));
    site.publish_text(
        "moved-alert",
        "+++\ntitle = \"Moved\"\ndate = 2024-03-05\ncategory = \"Analysis\"\n+++\nMoved here.\n",
    );
    assert!(site
        .get("/category/analysis")
        .text()
        .contains("/alerts/moved-alert"));
    assert!(!site
        .get("/category/general")
        .text()
        .contains("/alerts/moved-alert"));
    assert_eq!(site.get("/archive/2024/02").status, 404);
    assert_eq!(
        site.get("/")
            .text()
            .matches("/alerts/moved-alert\"")
            .count(),
        1
    );
}

#[test]
fn broken_record_answers_like_an_unknown_one_and_is_logged() {
    let site = Site::from_content();
    site.fake.put_raw("alert:broken-record", b"{not json", None);
    let unknown = site.get("/alerts/never-existed");
    let r = site.get("/alerts/broken-record");
    assert_eq!(
        (r.status, r.text()),
        (404, unknown.text()),
        "an embargoed alert's damage must not confirm it exists"
    );
    assert_common_headers(&r);
    assert!(site
        .fake
        .logged()
        .contains("broken record key=alert:broken-record reason="));
    assert_eq!(
        site.get(&alert_path()).status,
        200,
        "other pages unaffected"
    );
    assert_eq!(site.get("/api/alerts/broken-record").status, 404);
    // Editors, through a preview link, are told what is wrong.
    let now = site.fake.now() / 1000;
    let preview = site.get(&access_alerts::preview::link(
        "test-preview-secret",
        "broken-record",
        now + 60,
    ));
    assert_eq!(preview.status, 422);
    assert!(preview.text().contains("This alert cannot be shown"));
    assert!(
        !preview.text().contains("not json") && !preview.text().contains("expected"),
        "no internal detail"
    );
}

#[test]
fn kv_failure_is_a_generic_500_logged_by_kind() {
    let site = Site::from_content();
    site.fake.kv_fails.set(true);
    for path in ["/", &alert_path(), "/feed.xml", "/api/alerts"] {
        let r = site.get(path);
        assert_eq!(r.status, 500, "{path}");
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("private, no-store")
        );
        assert!(
            !r.text().contains("kv unavailable"),
            "{path}: no internal detail"
        );
    }
    assert!(site.fake.logged().contains("internal error: kv"));
    // Pages that need no KV still answer.
    assert_eq!(site.get("/privacy").status, 200);
    assert_eq!(site.get("/robots.txt").status, 200);
}

#[test]
fn requests_answer_whatever_the_url() {
    let site = Site::from_content();
    for path in [
        "/?cursor",
        "/alerts/",
        "//",
        "/a%2Fb",
        "/category/",
        "/archive/2024/1",
        "/%FF",
    ] {
        let r = site.get(path);
        assert!(r.status < 500, "{path}: {}", r.status);
    }
    let r = site.send(crate::fake::TestRequest::new(Method::Other, "/"));
    assert_eq!(r.status, 405);
}

impl Site {
    pub fn stored_record(&self, slug: &str) -> access_alerts::content::AlertRecord {
        serde_json::from_str(&self.fake.value(&access_alerts::keys::alert(slug)).unwrap()).unwrap()
    }
}
