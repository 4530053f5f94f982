//! Search through the real runtime: `wrangler dev`, the index written by
//! the publishing tool (`wrangler kv bulk put`), queried over HTTP after a
//! publish, an edit, a draft, a scheduled alert reaching its date, an
//! unpublish, and a search in each language of the seed's translations. Ranking, paging, filters and escaping are tested in-process
//! (`tests/app/search.rs`).

mod common;

use common::{content_copy, scenarios, Worker};
use std::time::{Duration, Instant};

struct Ctx {
    w: Worker,
    content: tempfile::TempDir,
}

const SEED: &str = "oewg-collective-call-against-barring-organisations";

fn write(ctx: &Ctx, slug: &str, text: &str) {
    std::fs::write(ctx.content.path().join(format!("alerts/{slug}.md")), text).unwrap();
}

fn found(ctx: &Ctx, q: &str) -> Vec<String> {
    let r = ctx.w.get(&format!("/api/search?q={q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

fn alert(title: &str, date: &str, draft: bool, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\ncategory = \"General\"\ndraft = {draft}\n+++\n{body}\n")
}

fn results_page_on_the_wire(ctx: &Ctx) {
    let r = ctx.w.get("/search?q=barring+organisations");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-robots-tag"), Some("noindex"));
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'none'"), "no script: {csp}");
    assert!(r.body.contains(&format!("/alerts/{SEED}")), "{}", r.body);
    assert!(r.body.contains("<mark>"));
    let os = ctx.w.get("/opensearch.xml");
    assert_eq!(
        os.header("content-type"),
        Some("application/opensearchdescription+xml; charset=utf-8")
    );
    assert_eq!(found(ctx, "accredit"), [SEED]);
}

fn each_language_searches_its_own_index(ctx: &Ctx) {
    // French unaccented, Arabic unnormalised, Chinese by its pairs: each
    // from its `search:<lang>:` keys and `doc:<lang>:` documents.
    for (lang, q) in [
        ("fr", "negociation"),
        ("ar", "%D8%A7%D9%84%D8%A7%D9%85%D9%86"), // الامن
        ("zh", "%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8"), // 网络安全
    ] {
        let r = ctx.w.get(&format!("/api/search?q={q}&lang={lang}"));
        assert_eq!(r.status, 200, "{}", r.body);
        let url = r.json()["results"][0]["url"].as_str().unwrap().to_string();
        assert!(
            url.ends_with(&format!("/{lang}/alerts/{SEED}")),
            "{lang}: {url}"
        );
        let page = ctx.w.get(&format!("/{lang}/search?q={q}"));
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains(&format!("lang=\"{lang}\"")),
            "{}",
            page.body
        );
    }
    assert!(
        found(ctx, "%E7%BD%91%E7%BB%9C").is_empty(),
        "English has no 网络"
    );
}

fn an_edit_is_searchable_after_publish(ctx: &Ctx) {
    write(
        ctx,
        "search-fresh",
        &alert(
            "Fresh search alert",
            "2024-11-27",
            false,
            "Numbats were counted.",
        ),
    );
    let out = ctx.w.publish(ctx.content.path(), false);
    assert!(out.contains("search index and months:"), "{out}");
    assert_eq!(found(ctx, "numbats"), ["search-fresh"]);
    write(
        ctx,
        "search-fresh",
        &alert(
            "Fresh search alert",
            "2024-11-27",
            false,
            "Bilbies were counted.",
        ),
    );
    ctx.w.publish(ctx.content.path(), false);
    assert!(found(ctx, "numbats").is_empty(), "the old word is gone");
    assert_eq!(found(ctx, "bilbies"), ["search-fresh"]);
    let again = ctx.w.publish(ctx.content.path(), false);
    assert!(
        again.contains("the listings, search index and months are up to date"),
        "{again}"
    );
}

fn a_draft_never_appears(ctx: &Ctx) {
    write(
        ctx,
        "search-draft",
        &alert(
            "Draft search alert",
            "2024-11-27",
            true,
            "Quolls in secret.",
        ),
    );
    ctx.w.publish(ctx.content.path(), false);
    assert!(found(ctx, "quolls").is_empty());
    assert!(!ctx
        .w
        .kv(&["key", "list", "--prefix", "search:t:quoll"])
        .contains("quoll"));
}

fn a_scheduled_alert_appears_at_its_date(ctx: &Ctx) {
    let at = chrono::Utc::now() + chrono::Duration::seconds(20);
    let date = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    write(
        ctx,
        "search-scheduled",
        &alert("Scheduled search alert", &date, false, "Dunnarts at dawn."),
    );
    ctx.w.publish(ctx.content.path(), false);
    assert!(found(ctx, "dunnarts").is_empty(), "not before its date");
    let deadline = Instant::now() + Duration::from_secs(60);
    while chrono::Utc::now() < at + chrono::Duration::seconds(1) {
        std::thread::sleep(Duration::from_millis(500));
    }
    loop {
        if found(ctx, "dunnarts") == ["search-scheduled"] {
            break;
        }
        assert!(Instant::now() < deadline, "never appeared");
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn unpublishing_removes_it(ctx: &Ctx) {
    std::fs::remove_file(ctx.content.path().join("alerts/search-fresh.md")).unwrap();
    let out = ctx.w.publish(ctx.content.path(), true);
    assert!(out.contains("unpublished search-fresh"), "{out}");
    assert!(found(ctx, "bilbies").is_empty());
    assert!(!ctx
        .w
        .kv(&["key", "list", "--prefix", "search:t:bilbi"])
        .contains("bilbi"));
}

#[test]
fn search() {
    let w = Worker::start(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    let ctx = Ctx { w, content };
    scenarios(
        &ctx,
        &[
            ("results_page_on_the_wire", results_page_on_the_wire),
            (
                "each_language_searches_its_own_index",
                each_language_searches_its_own_index,
            ),
            (
                "an_edit_is_searchable_after_publish",
                an_edit_is_searchable_after_publish,
            ),
            ("a_draft_never_appears", a_draft_never_appears),
            (
                "a_scheduled_alert_appears_at_its_date",
                a_scheduled_alert_appears_at_its_date,
            ),
            ("unpublishing_removes_it", unpublishing_removes_it),
        ],
    );
}
