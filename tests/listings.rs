//! Listings, feeds, sitemaps and the listing API through the real runtime,
//! on the sample content plus 25 synthetic alerts written by the editors'
//! tool: the listings' index and chunk keys as the publisher writes them,
//! read with real bulk reads, and no `list()` on any reader's route.
//! Every other behaviour of these routes is tested in-process
//! (`tests/app/listings.rs`).

mod common;

use common::support::{all_pages, api_all, cards};
use common::{content_copy, scenarios, Worker};
use std::collections::BTreeSet;

struct Ctx {
    w: Worker,
    content: tempfile::TempDir,
}

/// 5 sample alerts + 25 synthetic ones.
const TOTAL: usize = 30;

fn get(w: &Worker) -> impl Fn(&str) -> (u16, String) + '_ {
    move |path| {
        let r = w.get(path);
        (r.status, r.body)
    }
}

/// Every listing followed through its cursors, to its end.
fn paging_through_every_listing(ctx: &Ctx) {
    let w = &ctx.w;
    let home = all_pages(get(w), "/");
    assert_eq!(home.len(), TOTAL, "{home:?}");
    assert_eq!(
        home.iter().collect::<BTreeSet<_>>().len(),
        TOTAL,
        "no duplicates"
    );
    assert_eq!(home[TOTAL - 1], "synthetic-000024");
    let briefing = all_pages(get(w), "/category/briefing");
    let expected: Vec<String> = (0..25)
        .filter(|i| i % 4 == 3)
        .map(|i| format!("synthetic-{i:06}"))
        .collect();
    assert_eq!(briefing, expected);
    assert_eq!(all_pages(get(w), "/tag/topic-3"), vec!["synthetic-000003"]);
    assert_eq!(all_pages(get(w), "/archive/2024/11").len(), TOTAL);
    assert_eq!(api_all(get(w), "limit=7").len(), TOTAL);
    let both = api_all(get(w), "category=Briefing&tag=Synthetic&limit=2");
    assert_eq!(
        both.len(),
        6,
        "a filtered listing pages through its matches"
    );
    assert_eq!(w.get("/?cursor=%21%21%21").status, 400, "not a cursor");
}

/// The feed's twenty bodies come from one bulk read of the binding.
fn feed_reads_its_records_in_bulk(ctx: &Ctx) {
    let r = ctx.w.get("/feed.xml");
    assert_eq!(r.status, 200);
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let contents: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "content")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(contents.len(), 20);
    assert!(
        contents[0].starts_with("<p>Ahead of this week"),
        "{}",
        contents[0]
    );
    assert!(contents.iter().all(|c| !c.is_empty()));
}

/// Every URL of every sitemap part answers 200 through the runtime.
fn every_sitemap_url_answers(ctx: &Ctx) {
    let index = ctx.w.get("/sitemap.xml");
    let doc = roxmltree::Document::parse(&index.body).unwrap();
    let locs = |doc: &roxmltree::Document| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == "loc")
            .map(|n| n.text().unwrap().to_string())
            .collect()
    };
    let mut urls = BTreeSet::new();
    for part in locs(&doc) {
        let r = ctx.w.get(part.trim_start_matches(&ctx.w.url("")));
        assert_eq!(r.status, 200, "{part}");
        urls.extend(locs(&roxmltree::Document::parse(&r.body).unwrap()));
    }
    assert!(urls.len() > TOTAL, "{}", urls.len());
    for url in urls {
        let path = url.trim_start_matches(&ctx.w.url(""));
        assert_eq!(ctx.w.get(path).status, 200, "{path}");
    }
}

/// The archive finds its neighbouring months through the year and month
/// indexes, across empty months and years.
fn archive_neighbours_across_years(ctx: &Ctx) {
    for (slug, date) in [
        ("october-alert", "2024-10-05"),
        ("august-alert", "2023-08-05"),
    ] {
        let text = format!("+++\ntitle = \"An alert of {date}\"\ndate = {date}\ncategory = \"General\"\n+++\nText.\n");
        std::fs::write(ctx.content.path().join(format!("alerts/{slug}.md")), text).unwrap();
    }
    ctx.w.publish(ctx.content.path(), false);
    let oct = ctx.w.get("/archive/2024/10").body;
    assert!(
        oct.contains(r#"<a href="/archive/2024/11">← November 2024</a>"#),
        "newer month"
    );
    assert!(
        oct.contains(r#"<a href="/archive/2023/08">August 2023 →</a>"#),
        "older, a year back"
    );
    let aug = ctx.w.get("/archive/2023/08").body;
    assert_eq!(cards(&aug).0, vec!["august-alert".to_string()]);
}

/// No route a reader or a feed poller reaches makes a KV `list()`: the
/// Worker counts its KV calls and lists per answer (`BENCH_ROUTES`).
fn no_reader_route_lists(ctx: &Ctx) {
    let w = &ctx.w;
    let second_page = {
        let (_, older) = cards(&w.get("/").body);
        older.expect("an older page").replace("&amp;", "&")
    };
    let routes = [
        "/",
        second_page.as_str(),
        "/category/briefing",
        "/tag/synthetic",
        "/archive/2024/11",
        "/feed.xml",
        "/feed.json",
        "/category/briefing/feed.xml",
        "/sitemap.xml",
        "/sitemap/2024-11.xml",
        "/api/alerts?limit=7",
        "/api/alerts?category=Briefing&tag=Synthetic&limit=2",
        "/alerts/oewg-collective-call-against-barring-organisations",
        "/search?q=oewg",
        "/api/search?q=mexico",
        "/subscribe",
        "/contact",
    ];
    let mut read = 0;
    for path in routes {
        let r = w.get(path);
        assert_eq!(r.status, 200, "{path}");
        read += usize::from(r.header("x-kv-ops").is_some());
        assert_eq!(
            r.header("x-kv-lists").unwrap_or("0"),
            "0",
            "{path} made a KV list()"
        );
    }
    assert!(
        read >= 10,
        "the KV calls are counted: {read} routes read KV"
    );
}

#[test]
fn listings() {
    let w = Worker::start(&[("BENCH_ROUTES", "1")]);
    let content = content_copy();
    w.publish(content.path(), false);
    w.alerts(&["seed-synthetic", "25"]);
    let ctx = Ctx { w, content };
    scenarios(
        &ctx,
        &[
            ("paging_through_every_listing", paging_through_every_listing),
            ("no_reader_route_lists", no_reader_route_lists),
            (
                "feed_reads_its_records_in_bulk",
                feed_reads_its_records_in_bulk,
            ),
            ("every_sitemap_url_answers", every_sitemap_url_answers),
            (
                "archive_neighbours_across_years",
                archive_neighbours_across_years,
            ),
        ],
    );
}
