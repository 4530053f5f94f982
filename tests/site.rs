//! The site through the real runtime: `wrangler dev` with throw-away state,
//! seeded from `content/` by the publishing tool (`wrangler kv bulk put`):
//! headers on the wire, revalidation, HEAD, switched-off routes, and what
//! editors do through wrangler (publish, move, unpublish, preview links).
//! Every page's behaviour is tested in-process (`tests/app/pages.rs`).

mod common;

use common::{content_copy, scenarios, Worker};

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

/// The page as the runtime sends it: the record read through the binding,
/// the canonical URL from `SITE_URL`, and the headers on the wire.
fn alert_page_on_the_wire(ctx: &Ctx) {
    let r = ctx.w.get(&alert_path());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_common_headers(&r);
    let canonical = format!(
        r#"<link rel="canonical" href="{}">"#,
        ctx.w.url(&alert_path())
    );
    assert!(r.body.contains(&canonical), "missing {canonical}");
    assert!(r
        .body
        .contains("<h1>Access Alert | Access Partnership joins collective call"));
    assert_eq!(
        r.body.matches(r#"<article class="card">"#).count(),
        4,
        "four related articles"
    );
    assert!(
        !r.body.contains("@example.org"),
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

fn preview_links(ctx: &Ctx) {
    write(ctx, "draft-alert", "+++\ntitle = \"Secret draft\"\ndate = 2024-01-01\ncategory = \"Opinion\"\ndraft = true\n+++\nDraft body.\n");
    ctx.w.publish(ctx.content.path(), false);
    assert_eq!(ctx.w.get("/alerts/draft-alert").status, 404);
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
    let listed = |path: &str| ctx.w.get(path).body.matches("\"moved-alert\"").count();
    assert_eq!(listed("/api/alerts?category=general&limit=100"), 1);
    let in_february = || {
        ctx.w
            .get("/archive/2024/02")
            .body
            .contains("/alerts/moved-alert")
    };
    assert!(in_february());
    write(ctx, "moved-alert", "+++\ntitle = \"Moved\"\ndate = 2024-03-05\ncategory = \"Analysis\"\naliases = [\"/2024/02/old-name/\", \"/news/old-name\"]\n+++\nMoved here.\n");
    let out = ctx.w.publish(ctx.content.path(), false);
    assert!(
        out.contains("published moved-alert") && out.contains("superseded keys deleted"),
        "{out}"
    );
    assert_eq!(
        listed("/api/alerts?category=general&limit=100"),
        0,
        "no stale category entry"
    );
    assert_eq!(listed("/api/alerts?limit=100"), 1, "one home entry");
    assert!(!in_february(), "gone from its old month");
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
    let listings = ctx.w.kv(&["key", "list", "--prefix", "ls:tag:"]);
    assert!(
        !listings.contains("\"ls:tag:fresh-tag\""),
        "its tag's listing is gone: {listings}"
    );
    assert!(
        listings.contains("\"ls:tag:fresh-tag:2024-11:"),
        "its chunk is retired, deleted by a publish 10 minutes later: {listings}"
    );
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
            ("alert_page_on_the_wire", alert_page_on_the_wire),
            ("revalidation_gets_304", revalidation_gets_304),
            ("head_and_wrong_methods", head_and_wrong_methods),
            (
                "unknown_paths_get_an_html_404",
                unknown_paths_get_an_html_404,
            ),
            (
                "markdown_html_and_dangerous_links_are_inert",
                markdown_html_and_dangerous_links_are_inert,
            ),
            ("preview_links", preview_links),
            ("alias_redirects", alias_redirects),
            (
                "date_and_category_change_leaves_no_stale_entry",
                date_and_category_change_leaves_no_stale_entry,
            ),
            (
                "publish_and_unpublish_one_alert",
                publish_and_unpublish_one_alert,
            ),
        ],
    );
}
