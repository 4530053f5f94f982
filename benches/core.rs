//! Native CPU cost of the core, with the release profile the Worker ships
//! with (opt-level "s", LTO). Run by `make bench`.

use access_alerts::content::{AlertRecord, ListingMeta};
use access_alerts::feeds::{self, FeedInfo, FeedItem};
use access_alerts::form::{validate, Inquiry};
use access_alerts::listing::{chunk_line, Collector};
use access_alerts::markdown;

/// The 10 KB alert `make bench` renders in workerd too.
const BENCH_ALERT: &str = include_str!("../bench/alert-10k.md");
use access_alerts::views::{self, ListingPage, Site};
use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

fn sized(kb: usize) -> String {
    let mut s = String::new();
    while s.len() < kb * 1024 {
        s.push_str(BENCH_ALERT);
    }
    let cut = s[..kb * 1024].rfind("\n\n").unwrap_or(kb * 1024);
    s[..cut].to_string()
}

#[divan::bench(args = [1, 10, 100])]
fn render_alert(bencher: Bencher, kb: usize) {
    let text = sized(kb);
    bencher.bench(|| markdown::render(black_box(&text)).html.len());
}

fn metadata(i: usize) -> ListingMeta {
    ListingMeta {
        title: format!("Access Alert {i}: a policy development worth knowing"),
        date: 1_732_000_000 - i as i64 * 3600,
        hash: format!("{i:024x}"),
        updated: None,
        category: Some("Opinion".into()),
        tags: vec!["Cybersecurity".into(), "United Nations".into()],
        summary: "Ahead of this week’s meeting of the UN’s Open-Ended Working Group (OEWG) on cybersecurity, more than 30 non-governmental entities have been denied participation.".into(),
        texts: vec![],
    }
}

#[divan::bench]
fn listing_page_from_1000_entries(bencher: Bencher) {
    let site = Site::new("https://alerts.example.org", "Access Alerts");
    // One listing chunk of 1,000 entries, as the Worker reads it.
    let chunk: String = (0..1000)
        .map(|i| {
            chunk_line(&access_alerts::content::ListingEntry {
                slug: format!("alert-{i}"),
                meta: metadata(i),
            })
        })
        .collect();
    bencher.bench(|| {
        let mut c = Collector::new(1000, 1_800_000_000, None);
        c.feed("ls:all:2024-11:0", black_box(&chunk), true);
        let page = ListingPage {
            heading: "Latest alerts",
            intro: None,
            path: "/",
            entries: &c.entries,
            older: None,
            paged: false,
            feed: None,
            months: None,
            lang: access_alerts::i18n::Lang::En,
            // As the Worker's: the page in each of the six languages.
            alternates: access_alerts::i18n::Lang::ALL
                .iter()
                .map(|l| (*l, access_alerts::routes::Route::Home.in_lang(*l).path()))
                .collect(),
            names: &access_alerts::i18n::Names::EMPTY,
            english_name: None,
        };
        views::listing_page(&site, &page).into_string().len()
    });
}

#[divan::bench]
fn feed_of_20_alerts(bencher: Bencher) {
    let site = Site::new("https://alerts.example.org", "Access Alerts");
    let body = sized(2);
    let records: Vec<AlertRecord> = (0..20)
        .map(|i| AlertRecord {
            category: Some("Opinion".into()),
            tags: vec!["Cybersecurity".into()],
            summary: "Summary".into(),
            hash: "h".into(),
            ..AlertRecord::new(
                &format!("alert-{i}"),
                &format!("Access Alert {i}"),
                chrono::DateTime::from_timestamp(1_732_000_000 - i * 86_400, 0).unwrap(),
                &body,
            )
        })
        .collect();
    let info = FeedInfo {
        title: "Access Alerts",
        page_path: "/",
        atom_path: "/feed.xml",
        json_path: "/feed.json",
        now: chrono::DateTime::from_timestamp(1_732_000_000, 0).unwrap(),
        hubs: &[],
        lang: access_alerts::i18n::Lang::En,
        names: &access_alerts::i18n::Names::EMPTY,
    };
    bencher.bench(|| {
        let items: Vec<FeedItem> = records.iter().map(FeedItem::new).collect();
        feeds::atom(&site, &info, &items).len()
    });
}

#[divan::bench]
fn validate_contact_form(bencher: Bencher) {
    let contacts = vec![access_alerts::content::Contact {
        id: "gordon-mackay".into(),
        name: "Gordon Mackay".into(),
        role: None,
        general: false,
    }];
    let body = b"name=Ada+Lovelace&email=ada%40example.net&organisation=Engines&contact=gordon-mackay&subject=OEWG+access&message=Hello+Gordon%2C+a+question+about+the+OEWG.&consent=yes&website=";
    bencher.bench(|| {
        let inquiry = Inquiry::from_form(black_box(body)).unwrap();
        validate(&inquiry, &contacts, access_alerts::i18n::Lang::En).is_empty()
    });
}

#[divan::bench(args = [10])]
/// pulldown-cmark alone with the same options: the floor our rewrites add to.
fn render_plain_pulldown(bencher: Bencher, kb: usize) {
    let text = sized(kb);
    let opts = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_TASKLISTS
        | pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
    bencher.bench(|| {
        let mut s = String::new();
        pulldown_cmark::html::push_html(
            &mut s,
            pulldown_cmark::Parser::new_ext(black_box(&text), opts),
        );
        s.len()
    });
}
