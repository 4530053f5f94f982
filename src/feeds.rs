//! Feeds and sitemaps: Atom 1.0, JSON Feed 1.1 and the sitemaps protocol.
//! XML is written with maud, which escapes every value (its escaping of
//! `& < > "` is XML's); every element gets an explicit body so that none is
//! written as an HTML void element.

use crate::content::AlertRecord;
use crate::dates::rfc3339;
use crate::views::Site;
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped};

/// The number of alerts in a feed.
pub const FEED_SIZE: usize = 20;

/// One alert in a feed, with its rendered body.
pub struct FeedItem<'a> {
    pub alert: &'a AlertRecord,
    pub html: String,
}

impl<'a> FeedItem<'a> {
    /// The feed item of an alert, its body rendered.
    pub fn new(alert: &'a AlertRecord) -> Self {
        FeedItem::with_html(alert, crate::markdown::render(&alert.body).html)
    }

    /// The feed item of an alert whose body is already rendered.
    pub fn with_html(alert: &'a AlertRecord, html: impl Into<String>) -> Self {
        FeedItem {
            alert,
            html: html.into(),
        }
    }
}

/// What a feed is about.
pub struct FeedInfo<'a> {
    pub title: &'a str,
    /// Site path of the page the feed mirrors (`/`, `/category/opinion`).
    pub page_path: &'a str,
    /// Site path of the Atom feed itself.
    pub atom_path: &'a str,
    /// Site path of the JSON Feed.
    pub json_path: &'a str,
    /// When the feed is made: a change note dated later is not counted in
    /// an entry's modified date yet.
    pub now: DateTime<Utc>,
    /// WebSub hubs to advertise (`WEBSUB_HUBS`; may be none).
    pub hubs: &'a [String],
}

/// Whether XML 1.0 allows `c` in a document: not the C0 controls other than
/// tab, newline and carriage return, nor U+FFFE and U+FFFF.
pub fn allowed_in_xml(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A whole XML document without the characters XML forbids: the publisher
/// refuses them, but one stray character in KV must not make every reader's
/// feed unparseable.
fn xml_document(markup: Markup) -> String {
    let doc = markup.into_string();
    if doc.chars().all(allowed_in_xml) {
        doc
    } else {
        doc.chars().filter(|c| allowed_in_xml(*c)).collect()
    }
}

fn xml_declaration() -> PreEscaped<&'static str> {
    PreEscaped("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
}

/// An Atom 1.0 feed with full content.
pub fn atom(site: &Site, info: &FeedInfo, items: &[FeedItem]) -> String {
    let updated = items
        .iter()
        .map(|i| i.alert.modified_at(info.now))
        .max()
        .unwrap_or_default();
    let feed: Markup = html! {
        (xml_declaration())
        feed xmlns="http://www.w3.org/2005/Atom" {
            id { (site.abs(info.page_path)) }
            title { (info.title) }
            updated { (rfc3339(updated)) }
            link rel="self" type="application/atom+xml" href=(site.abs(info.atom_path)) {}
            @for hub in info.hubs { link rel="hub" href=(hub) {} }
            link rel="alternate" type="text/html" href=(site.abs(info.page_path)) {}
            author { name { (site.name) } uri { (site.abs("/")) } }
            generator { "access-alerts" }
            @for item in items {
                @let a = item.alert;
                @let url = site.abs(&crate::routes::alert_path(&a.slug));
                entry {
                    id { (url) }
                    title { (a.title) }
                    link rel="alternate" type="text/html" href=(url) {}
                    published { (rfc3339(a.date)) }
                    updated { (rfc3339(a.modified_at(info.now))) }
                    summary { (a.summary) }
                    @if let Some(c) = &a.category {
                        category term=(crate::keys::name_slug(c)) label=(c) {}
                    }
                    @for t in &a.tags {
                        category term=(crate::keys::name_slug(t)) label=(t) {}
                    }
                    content type="html" { (item.html) }
                }
            }
        }
    };
    xml_document(feed)
}

/// A JSON Feed 1.1 with full content.
pub fn json_feed(site: &Site, info: &FeedInfo, items: &[FeedItem]) -> String {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            let a = i.alert;
            let url = site.abs(&crate::routes::alert_path(&a.slug));
            let mut tags = a.category.iter().cloned().collect::<Vec<_>>();
            tags.extend(a.tags.iter().cloned());
            let mut item = serde_json::json!({
                "id": url,
                "url": url,
                "title": a.title,
                "content_html": i.html,
                "summary": a.summary,
                "date_published": rfc3339(a.date),
                "date_modified": rfc3339(a.modified_at(info.now)),
                "tags": tags,
            });
            if let Some(img) = &a.image {
                item["image"] = serde_json::Value::from(if img.starts_with('/') {
                    site.abs(img)
                } else {
                    img.clone()
                });
            }
            item
        })
        .collect();
    let mut feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": site.abs(info.page_path),
        "feed_url": site.abs(info.json_path),
        "language": "en",
        "authors": [{ "name": site.name, "url": site.abs("/") }],
        "items": items,
    });
    if !info.hubs.is_empty() {
        feed["hubs"] = info
            .hubs
            .iter()
            .map(|h| serde_json::json!({ "type": "WebSub", "url": h }))
            .collect();
    }
    feed.to_string()
}

/// One `<url>` of a sitemap.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<DateTime<Utc>>,
}

/// A sitemap `urlset`.
pub fn urlset(urls: &[SitemapUrl]) -> String {
    let doc: Markup = html! {
        (xml_declaration())
        urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" {
            @for u in urls {
                url {
                    loc { (u.loc) }
                    @if let Some(m) = u.lastmod { lastmod { (rfc3339(m)) } }
                }
            }
        }
    };
    xml_document(doc)
}

/// A sitemap index of parts.
pub fn sitemap_index(parts: &[SitemapUrl]) -> String {
    let doc: Markup = html! {
        (xml_declaration())
        sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" {
            @for p in parts {
                sitemap {
                    loc { (p.loc) }
                    @if let Some(m) = p.lastmod { lastmod { (rfc3339(m)) } }
                }
            }
        }
    };
    xml_document(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(slug: &str, title: &str) -> AlertRecord {
        AlertRecord {
            category: Some("Opinion".into()),
            tags: vec!["UN & Cyber".into()],
            summary: "Summary <with> markup & ampersands".into(),
            image: Some("/lead.png".into()),
            image_alt: Some("Lead".into()),
            ..AlertRecord::new(
                slug,
                title,
                DateTime::from_timestamp(1_732_579_200, 0).unwrap(),
                "",
            )
        }
    }

    fn info() -> FeedInfo<'static> {
        FeedInfo {
            title: "Access Alerts",
            page_path: "/",
            atom_path: "/feed.xml",
            json_path: "/feed.json",
            now: DateTime::from_timestamp(1_733_011_200, 0).unwrap(),
            hubs: &[],
        }
    }

    #[test]
    fn hubs_are_advertised_in_both_formats_only_when_there_are_some() {
        let site = Site::new("https://alerts.example.org", "Access Alerts");
        let hubs = ["https://hub.example.net/".to_string()];
        let with = FeedInfo {
            hubs: &hubs,
            ..info()
        };
        let xml = atom(&site, &with, &[]);
        assert!(
            xml.contains(r#"<link rel="hub" href="https://hub.example.net/"></link>"#),
            "{xml}"
        );
        let j: serde_json::Value = serde_json::from_str(&json_feed(&site, &with, &[])).unwrap();
        assert_eq!(j["hubs"][0]["type"], "WebSub");
        assert_eq!(j["hubs"][0]["url"], "https://hub.example.net/");
        assert!(!atom(&site, &info(), &[]).contains("rel=\"hub\""));
        let j: serde_json::Value = serde_json::from_str(&json_feed(&site, &info(), &[])).unwrap();
        assert!(j.get("hubs").is_none());
    }

    #[test]
    fn atom_escapes_and_has_required_elements() {
        let site = Site::new("https://alerts.example.org", "Access Alerts");
        let a = alert("x", "A & B <c>");
        let xml = atom(
            &site,
            &info(),
            &[FeedItem {
                alert: &a,
                html: "<p>Body & more</p>".into(),
            }],
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert!(xml.contains("<title>A &amp; B &lt;c&gt;</title>"));
        assert!(xml.contains("<content type=\"html\">&lt;p&gt;Body &amp; more&lt;/p&gt;</content>"));
        assert!(xml.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://alerts.example.org/feed.xml\"></link>"));
        assert!(xml.contains("<updated>2024-11-26T00:00:00Z</updated>"));
        assert!(xml.contains("<category term=\"un-cyber\" label=\"UN &amp; Cyber\"></category>"));
    }

    #[test]
    fn characters_xml_forbids_never_reach_a_feed() {
        let site = Site::new("https://alerts.example.org", "Access Alerts");
        let mut a = alert("x", "Vertical\u{0B}tab");
        a.summary = "Form\u{0C}feed and \u{FFFF}".into();
        let xml = atom(
            &site,
            &info(),
            &[FeedItem {
                alert: &a,
                html: "<p>nul\u{0} and bell\u{7}</p>".into(),
            }],
        );
        assert!(xml.chars().all(allowed_in_xml), "{xml:?}");
        assert!(xml.contains("<title>Verticaltab</title>"));
        roxmltree::Document::parse(&xml).expect("parseable");
    }

    #[test]
    fn json_feed_has_the_fields_of_version_1_1() {
        let site = Site::new("https://alerts.example.org", "Access Alerts");
        let a = alert("x", "T");
        let j: serde_json::Value = serde_json::from_str(&json_feed(
            &site,
            &info(),
            &[FeedItem {
                alert: &a,
                html: "<p>B</p>".into(),
            }],
        ))
        .unwrap();
        assert_eq!(j["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(j["feed_url"], "https://alerts.example.org/feed.json");
        assert_eq!(j["items"][0]["id"], "https://alerts.example.org/alerts/x");
        assert_eq!(j["items"][0]["content_html"], "<p>B</p>");
        assert_eq!(j["items"][0]["date_published"], "2024-11-26T00:00:00Z");
        assert_eq!(
            j["items"][0]["image"],
            "https://alerts.example.org/lead.png"
        );
        assert_eq!(j["items"][0]["tags"][0], "Opinion");
    }

    #[test]
    fn the_newest_change_note_come_is_the_modified_date() {
        use crate::content::Change;
        let site = Site::new("https://alerts.example.org", "Access Alerts");
        let mut a = alert("x", "T");
        let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
        // Published 26 November; notes of 27 and 28 November, and one of
        // 3 December, after the feed's now (1 December).
        a.changes = [1_732_665_600, 1_732_752_000, 1_733_184_000]
            .map(|d| Change {
                date: at(d),
                note: "Corrected.".into(),
            })
            .to_vec();
        let items = [FeedItem {
            alert: &a,
            html: String::new(),
        }];
        let xml = atom(&site, &info(), &items);
        assert!(xml.contains("<published>2024-11-26T00:00:00Z</published><updated>2024-11-28T00:00:00Z</updated>"), "{xml}");
        assert!(
            xml.contains("<generator>access-alerts</generator>")
                && xml.contains("<updated>2024-11-28T00:00:00Z</updated><link rel=\"self\""),
            "{xml}"
        );
        let j: serde_json::Value =
            serde_json::from_str(&json_feed(&site, &info(), &items)).unwrap();
        assert_eq!(j["items"][0]["date_modified"], "2024-11-28T00:00:00Z");
        let later = FeedInfo {
            now: at(1_733_184_000),
            ..info()
        };
        let j: serde_json::Value = serde_json::from_str(&json_feed(&site, &later, &items)).unwrap();
        assert_eq!(
            j["items"][0]["date_modified"], "2024-12-03T00:00:00Z",
            "from its date on"
        );
        // An `updated` later than every note is the modified date.
        a.updated = Some(at(1_732_838_400));
        let items = [FeedItem {
            alert: &a,
            html: String::new(),
        }];
        let j: serde_json::Value =
            serde_json::from_str(&json_feed(&site, &info(), &items)).unwrap();
        assert_eq!(j["items"][0]["date_modified"], "2024-11-29T00:00:00Z");
    }

    #[test]
    fn sitemaps_list_urls_with_lastmod() {
        let u = urlset(&[SitemapUrl {
            loc: "https://a.example.org/x?a=1&b=2".into(),
            lastmod: DateTime::from_timestamp(0, 0),
        }]);
        assert!(u.contains(
            "<loc>https://a.example.org/x?a=1&amp;b=2</loc><lastmod>1970-01-01T00:00:00Z</lastmod>"
        ));
        let i = sitemap_index(&[SitemapUrl {
            loc: "https://a.example.org/sitemap/2024-11.xml".into(),
            lastmod: None,
        }]);
        assert!(i.contains(
            "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>"
        ));
    }
}
