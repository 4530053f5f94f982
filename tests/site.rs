//! The site through the real runtime: `wrangler dev` with throw-away state,
//! seeded from `content/` by the publishing tool (`wrangler kv bulk put`).

mod common;

use common::{content_copy, scenarios, Worker};
use std::time::{Duration, Instant};

struct Ctx {
    w: Worker,
    content: tempfile::TempDir,
}

const SEED: &str = "oewg-collective-call-against-barring-organisations";

fn alert_path() -> String {
    format!("/alerts/{SEED}")
}

fn write(ctx: &Ctx, slug: &str, text: &str) {
    std::fs::write(ctx.content.path().join(format!("alerts/{slug}.md")), text).unwrap();
}

/// Every response carries nosniff and a Cache-Control; text types a charset.
fn assert_common_headers(r: &common::Resp) {
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{:?}",
        r.headers
    );
    assert!(r.header("cache-control").is_some(), "{:?}", r.headers);
    if let Some(t) = r.header("content-type") {
        assert!(t.contains("charset=utf-8"), "{t}");
    }
}

fn healthz_reports_version_and_kv(ctx: &Ctx) {
    let r = ctx.w.get("/healthz");
    assert_eq!(r.status, 200);
    assert_common_headers(&r);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    assert!(r.header("etag").is_none(), "no-store answers carry no ETag");
    let j = r.json();
    assert_eq!(j["kv"], "ok");
    assert!(j["version"].as_str().unwrap().starts_with("0.1.0+"), "{j}");
}

fn home_lists_alerts_newest_first(ctx: &Ctx) {
    let r = ctx.w.get("/");
    assert_eq!(r.status, 200);
    assert_common_headers(&r);
    let order: Vec<usize> = [
        SEED,
        "mexico-abolition",
        "access-partnership-concludes",
        "mexico-new-agency",
        "australia-social",
    ]
    .iter()
    .map(|s| {
        r.body
            .find(&format!("/alerts/{s}"))
            .unwrap_or_else(|| panic!("{s} missing"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(r.body.contains("25 Nov 2024") && r.body.contains(">Opinion<"));
}

fn alert_page_has_everything(ctx: &Ctx) {
    let r = ctx.w.get(&alert_path());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_common_headers(&r);
    let b = &r.body;
    for needle in [
        "<h1>Access Alert | Access Partnership joins collective call",
        r#"<time datetime="2024-11-26T00:00:00Z">26 Nov 2024</time>"#,
        r#"href="/category/opinion""#,
        r#"href="/contact?to=gordon-mackay">Write to Gordon Mackay"#,
        r#"href="/contact?to=luminita-tuchel">Write to Luminita Tuchel"#,
        "please contact:",
        "Related Articles",
        r#"property="og:title""#,
        r#"name="twitter:card""#,
        r#"<link rel="canonical" href="http://127.0.0.1:"#,
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

fn revalidation_gets_304(ctx: &Ctx) {
    let r = ctx.w.get(&alert_path());
    let etag = r.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"'), "strong ETag: {etag}");
    let again = ctx
        .w
        .request("GET", &alert_path(), &[("If-None-Match", &etag)], b"");
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert_common_headers(&again);
    let other = ctx
        .w
        .request("GET", &alert_path(), &[("If-None-Match", "\"nope\"")], b"");
    assert_eq!(other.status, 200);
    // The JSON API revalidates the same way.
    let api_path = format!("/api/alerts/{SEED}");
    let api_etag = ctx.w.get(&api_path).header("etag").unwrap().to_string();
    let api = ctx
        .w
        .request("GET", &api_path, &[("If-None-Match", &api_etag)], b"");
    assert_eq!(api.status, 304);
    assert!(api.body.is_empty());
    // Every cacheable 200 has an ETag, even fixed pages.
    let privacy = ctx.w.get("/privacy");
    let etag = privacy.header("etag").unwrap().to_string();
    assert_eq!(
        ctx.w
            .request("GET", "/privacy", &[("If-None-Match", &etag)], b"")
            .status,
        304
    );
}

fn head_and_wrong_methods(ctx: &Ctx) {
    let get = ctx.w.get(&alert_path());
    let head = ctx.w.request("HEAD", &alert_path(), &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-type"), get.header("content-type"));
    for path in ["/", "/healthz", "/contact", "/privacy"] {
        assert_eq!(
            ctx.w.request("HEAD", path, &[], b"").status,
            200,
            "HEAD {path}"
        );
    }
    let post = ctx.w.request(
        "POST",
        &alert_path(),
        &[("Content-Type", "text/plain")],
        b"x",
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    assert_common_headers(&post);
    let put = ctx.w.request("PUT", "/contact", &[], b"");
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow"), Some("GET, HEAD, POST"));
}

fn unknown_paths_get_an_html_404(ctx: &Ctx) {
    for path in [
        "/nowhere",
        "/alerts/no-such-alert",
        "/category/no-such-category",
        "/assets/site.0000.css",
    ] {
        let r = ctx.w.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_common_headers(&r);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.body.contains("Page not found"));
    }
    let api = ctx.w.get("/api/alerts/no-such-alert");
    assert_eq!(api.status, 404);
    assert!(api.json()["error"].is_string());
    // Bench routes are off (no BENCH_ROUTES): unknown for every method.
    for path in [
        "/__bench/floor",
        "/__bench/render?n=1000",
        "/__bench/memory",
        "/__bench/kv/x",
    ] {
        assert_eq!(ctx.w.get(path).status, 404, "{path}");
        assert_eq!(ctx.w.request("POST", path, &[], b"").status, 404, "{path}");
    }
}

fn stylesheet_is_fingerprinted_and_immutable(ctx: &Ctx) {
    let page = ctx.w.get("/");
    let start = page.body.find("/assets/site.").unwrap();
    let href = &page.body[start..start + page.body[start..].find('"').unwrap()];
    let css = ctx.w.get(href);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    assert!(css.body.contains(":focus-visible"));
}

fn api_returns_the_article(ctx: &Ctx) {
    let r = ctx.w.get(&format!("/api/alerts/{SEED}"));
    assert_eq!(r.status, 200);
    assert_common_headers(&r);
    let j = r.json();
    assert_eq!(j["slug"], SEED);
    assert_eq!(j["date"], "2024-11-26T00:00:00Z");
    assert_eq!(j["category"], "Opinion");
    assert_eq!(j["tags"][0], "Cybersecurity");
    assert!(j["html"]
        .as_str()
        .unwrap()
        .starts_with("<p>Ahead of this week"));
    assert!(j["url"].as_str().unwrap().ends_with(&alert_path()));
    assert!(!r.body.contains("@example.org"));
}

fn category_and_tag_pages(ctx: &Ctx) {
    let r = ctx.w.get("/category/general");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("access-partnership-concludes-2024"));
    assert!(!r.body.contains("/alerts/mexico-"), "only General alerts");
    let t = ctx.w.get("/tag/united-nations");
    assert_eq!(t.status, 200);
    assert!(t.body.contains(&alert_path()));
}

fn markdown_html_and_dangerous_links_are_inert(ctx: &Ctx) {
    write(ctx, "inert-test", "+++\ntitle = \"Inert\"\ndate = 2024-01-02\ncategory = \"Test\"\n+++\nHello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) [tab](java\tscript:alert(4)) [ok](https://example.org/a) ![pic](data:image/png;base64,AA)\n");
    let out = ctx.w.publish(ctx.content.path(), false);
    assert!(
        out.contains("warning:") && out.contains("inert-test.md:8"),
        "{out}"
    );
    let r = ctx.w.get("/alerts/inert-test");
    assert_eq!(r.status, 200);
    let body = &r.body[r.body.find("<div class=\"body\">").unwrap()..];
    assert!(
        !body.contains("<script>alert") && !body.contains("<img src=x"),
        "{body}"
    );
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !body.to_lowercase().contains("javascript:") && !body.contains("data:image"),
        "{body}"
    );
    assert!(body.contains("click") && body.contains("pic"));
    assert!(body.contains(r#"<a href="https://example.org/a" rel="noopener">ok</a>"#));
}

fn drafts_and_future_alerts_are_hidden(ctx: &Ctx) {
    write(ctx, "draft-alert", "+++\ntitle = \"Secret draft\"\ndate = 2024-01-01\ncategory = \"Opinion\"\ndraft = true\n+++\nDraft body.\n");
    write(
        ctx,
        "future-alert",
        "+++\ntitle = \"Future alert\"\ndate = 2099-01-01\ncategory = \"Opinion\"\n+++\nLater.\n",
    );
    ctx.w.publish(ctx.content.path(), false);
    for slug in ["draft-alert", "future-alert"] {
        let unknown = ctx.w.get("/alerts/never-existed");
        let page = ctx.w.get(&format!("/alerts/{slug}"));
        assert_eq!(page.status, 404, "{slug}");
        assert_eq!(
            page.body, unknown.body,
            "{slug} answers exactly like an unknown slug"
        );
        assert_eq!(ctx.w.get(&format!("/api/alerts/{slug}")).status, 404);
    }
    let home = ctx.w.get("/");
    assert!(!home.body.contains("Secret draft") && !home.body.contains("Future alert"));
    assert!(!ctx.w.get("/category/opinion").body.contains("Future alert"));
}

fn preview_links(ctx: &Ctx) {
    let link = ctx.w.alerts(&["preview-link", "draft-alert", "--base", ""]);
    let link = link.trim().replace("--persist-to", "");
    assert!(link.starts_with("/preview/draft-alert?exp="), "{link}");
    let now = chrono::Utc::now().timestamp();
    let r = ctx.w.get(&link);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Secret draft") && r.body.contains("Preview of a draft"));
    assert!(r
        .body
        .contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    let expired = access_alerts::preview::link("test-preview-secret", "draft-alert", now - 1);
    let e = ctx.w.get(&expired);
    assert_eq!(e.status, 403);
    assert!(e.body.contains("expired"));
    let forged = access_alerts::preview::link("not-the-secret", "draft-alert", now + 600);
    assert_eq!(ctx.w.get(&forged).status, 403);
    let other_slug = link.replace("/preview/draft-alert", "/preview/future-alert");
    assert_eq!(ctx.w.get(&other_slug).status, 403);
}

fn scheduled_alert_goes_live_by_itself(ctx: &Ctx) {
    let at = chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp() + 4 + 2, 0).unwrap();
    write(
        ctx,
        "soon-alert",
        &format!(
            "+++\ntitle = \"Soon alert\"\ndate = {}\ncategory = \"Opinion\"\n+++\nSoon.\n",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    ctx.w.publish(ctx.content.path(), false);
    let early = ctx.w.get("/alerts/soon-alert");
    if chrono::Utc::now() < at {
        assert_eq!(early.status, 404);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while chrono::Utc::now() < at + chrono::Duration::seconds(1) {
        std::thread::sleep(Duration::from_millis(200));
    }
    loop {
        let r = ctx.w.get("/alerts/soon-alert");
        if r.status == 200 {
            assert!(ctx.w.get("/").body.contains("Soon alert"));
            break;
        }
        assert!(Instant::now() < deadline, "never went live");
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn alias_redirects(ctx: &Ctx) {
    write(ctx, "moved-alert", "+++\ntitle = \"Moved\"\ndate = 2024-02-01\ncategory = \"General\"\naliases = [\"/2024/02/old-name/\", \"/news/old-name\"]\n+++\nMoved here.\n");
    ctx.w.publish(ctx.content.path(), false);
    for old in ["/2024/02/old-name/", "/2024/02/old-name", "/news/old-name"] {
        let r = ctx.w.get(old);
        assert_eq!(r.status, 301, "{old}");
        assert_eq!(r.header("location"), Some("/alerts/moved-alert"));
    }
}

fn date_and_category_change_leaves_no_stale_entry(ctx: &Ctx) {
    let keys_before = ctx.w.kv(&["key", "list", "--prefix", "idx:cat:general:"]);
    assert!(keys_before.contains("moved-alert"));
    write(ctx, "moved-alert", "+++\ntitle = \"Moved\"\ndate = 2024-03-05\ncategory = \"Analysis\"\naliases = [\"/2024/02/old-name/\", \"/news/old-name\"]\n+++\nMoved here.\n");
    let out = ctx.w.publish(ctx.content.path(), false);
    assert!(
        out.contains("published moved-alert") && out.contains("superseded keys deleted"),
        "{out}"
    );
    let general = ctx.w.kv(&["key", "list", "--prefix", "idx:cat:general:"]);
    assert!(
        !general.contains("moved-alert"),
        "stale category entry: {general}"
    );
    let all = ctx.w.kv(&["key", "list", "--prefix", "idx:all:"]);
    assert_eq!(
        all.matches(":moved-alert\"").count(),
        1,
        "one home entry: {all}"
    );
    assert!(ctx
        .w
        .get("/category/analysis")
        .body
        .contains("/alerts/moved-alert"));
    assert!(!ctx
        .w
        .get("/category/general")
        .body
        .contains("/alerts/moved-alert"));
    assert_eq!(
        ctx.w.get("/news/old-name").status,
        301,
        "unchanged keys stay"
    );
    let again = ctx.w.publish(ctx.content.path(), false);
    assert!(
        again.contains("up to date"),
        "nothing changed, nothing written: {again}"
    );
}

fn publish_and_unpublish_one_alert(ctx: &Ctx) {
    write(ctx, "fresh-alert", "+++\ntitle = \"Fresh alert\"\ndate = 2024-11-27\ncategory = \"General\"\ntags = [\"Fresh Tag\"]\n+++\nFresh.\n");
    let out = ctx.w.publish(ctx.content.path(), false);
    assert!(
        out.contains("published fresh-alert") && !out.contains("published oewg"),
        "only what changed: {out}"
    );
    assert_eq!(ctx.w.get("/alerts/fresh-alert").status, 200);
    assert!(ctx.w.get("/").body.contains("Fresh alert"));
    assert_eq!(ctx.w.get("/tag/fresh-tag").status, 200);
    std::fs::remove_file(ctx.content.path().join("alerts/fresh-alert.md")).unwrap();
    let kept = ctx.w.publish(ctx.content.path(), false);
    assert!(
        !kept.contains("unpublished"),
        "without --prune nothing is removed"
    );
    let out = ctx.w.publish(ctx.content.path(), true);
    assert!(out.contains("unpublished fresh-alert"), "{out}");
    assert_eq!(ctx.w.get("/alerts/fresh-alert").status, 404);
    assert!(!ctx.w.get("/").body.contains("Fresh alert"));
    assert_eq!(ctx.w.get("/tag/fresh-tag").status, 404);
    assert_eq!(
        ctx.w
            .kv(&["key", "list", "--prefix", "idx:"])
            .matches("fresh-alert")
            .count(),
        0
    );
}

fn broken_record_is_contained(ctx: &Ctx) {
    ctx.w
        .kv(&["key", "put", "alert:broken-record", "{not json"]);
    let r = ctx.w.get("/alerts/broken-record");
    assert_eq!(r.status, 422);
    assert_common_headers(&r);
    assert!(r.body.contains("This alert cannot be shown"));
    assert!(
        !r.body.contains("not json") && !r.body.contains("expected"),
        "no internal detail"
    );
    let log = ctx.w.wait_for_log(
        "broken record key=alert:broken-record",
        1,
        Duration::from_secs(5),
    );
    assert!(log.contains("reason="));
    assert_eq!(
        ctx.w.get(&alert_path()).status,
        200,
        "other pages unaffected"
    );
}

fn a_panic_does_not_break_the_next_request(ctx: &Ctx) {
    // After an await (the trap happens in a Promise callback) and before
    // any I/O (the synchronous path, caught by src/entry.mjs itself).
    for path in ["/__test/panic", "/__test/panic-now", "/__test/panic"] {
        let r = ctx.w.get(path);
        assert!(r.status >= 500 || r.status == 0, "{path}: {}", r.status);
        for _ in 0..3 {
            assert_eq!(ctx.w.get("/healthz").status, 200, "after {path}");
            assert_eq!(ctx.w.get(&alert_path()).status, 200, "after {path}");
            assert_eq!(ctx.w.get("/robots.txt").status, 200, "after {path}");
        }
    }
}

#[test]
fn site() {
    let w = Worker::start(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    let ctx = Ctx { w, content };
    scenarios(
        &ctx,
        &[
            (
                "healthz_reports_version_and_kv",
                healthz_reports_version_and_kv,
            ),
            (
                "home_lists_alerts_newest_first",
                home_lists_alerts_newest_first,
            ),
            ("alert_page_has_everything", alert_page_has_everything),
            ("revalidation_gets_304", revalidation_gets_304),
            ("head_and_wrong_methods", head_and_wrong_methods),
            (
                "unknown_paths_get_an_html_404",
                unknown_paths_get_an_html_404,
            ),
            (
                "stylesheet_is_fingerprinted_and_immutable",
                stylesheet_is_fingerprinted_and_immutable,
            ),
            ("api_returns_the_article", api_returns_the_article),
            ("category_and_tag_pages", category_and_tag_pages),
            (
                "markdown_html_and_dangerous_links_are_inert",
                markdown_html_and_dangerous_links_are_inert,
            ),
            (
                "drafts_and_future_alerts_are_hidden",
                drafts_and_future_alerts_are_hidden,
            ),
            ("preview_links", preview_links),
            (
                "scheduled_alert_goes_live_by_itself",
                scheduled_alert_goes_live_by_itself,
            ),
            ("alias_redirects", alias_redirects),
            (
                "date_and_category_change_leaves_no_stale_entry",
                date_and_category_change_leaves_no_stale_entry,
            ),
            (
                "publish_and_unpublish_one_alert",
                publish_and_unpublish_one_alert,
            ),
            ("broken_record_is_contained", broken_record_is_contained),
            (
                "a_panic_does_not_break_the_next_request",
                a_panic_does_not_break_the_next_request,
            ),
        ],
    );
}
