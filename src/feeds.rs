//! Feeds and sitemaps: Atom 1.0, JSON Feed 1.1 and the sitemaps protocol.
//! XML is written with maud, which escapes every value (its escaping of
//! `& < > "` is XML's); every element gets an explicit body so that none is
//! written as an HTML void element.

use crate::content::AlertRecord;
use crate::dates::rfc3339;
use crate::i18n::{Kind, Lang};
use crate::views::Site;
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped};

/// The number of alerts in a feed.
pub const FEED_SIZE: usize = 20;

/// One alert in a feed, with its rendered body, in the feed's language.
pub struct FeedItem<'a> {
    pub alert: &'a AlertRecord,
    pub html: String,
    /// English, or one of the alert's translations (`html` is its body).
    pub lang: Lang,
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
            lang: Lang::En,
        }
    }

    /// The item in `lang` (its translation's title, summary and URL; `html`
    /// must be the translation's body).
    pub fn in_lang(self, lang: Lang) -> Self {
        FeedItem { lang, ..self }
    }

    fn title(&self) -> &str {
        self.alert
            .translation(self.lang)
            .map_or(&self.alert.title, |t| &t.title)
    }

    fn summary(&self) -> &str {
        self.alert
            .translation(self.lang)
            .map_or(&self.alert.summary, |t| &t.summary)
    }

    fn url(&self, site: &Site) -> String {
        site.abs(&crate::routes::alert_path_in(self.lang, &self.alert.slug))
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
    /// The feed's language (`xml:lang`, JSON Feed's `language`).
    pub lang: Lang,
    /// Category and tag names in it (none in English).
    pub names: &'a crate::i18n::Names,
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
    // Checked by bytes (every forbidden character below U+0020 is one
    // byte; the two others are found as substrings): decoding each
    // character was most of a sitemap part's CPU.
    let control = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    if !doc.as_bytes().iter().any(control) && !doc.contains('\u{FFFE}') && !doc.contains('\u{FFFF}')
    {
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
        feed xmlns="http://www.w3.org/2005/Atom" xml:lang=(info.lang.code()) {
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
                @let url = item.url(site);
                entry {
                    id { (url) }
                    title { (item.title()) }
                    link rel="alternate" type="text/html" href=(url) {}
                    published { (rfc3339(a.date)) }
                    updated { (rfc3339(a.modified_at(info.now))) }
                    summary { (item.summary()) }
                    @if let Some(c) = &a.category {
                        category term=(crate::keys::name_slug(c)) label=(info.names.shown(Kind::Category, info.lang, c).text) {}
                    }
                    @for t in &a.tags {
                        category term=(crate::keys::name_slug(t)) label=(info.names.shown(Kind::Tag, info.lang, t).text) {}
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
            let url = i.url(site);
            let shown = |kind, name| info.names.shown(kind, info.lang, name).text;
            let mut tags: Vec<&str> = a
                .category
                .iter()
                .map(|c| shown(Kind::Category, c))
                .collect();
            tags.extend(a.tags.iter().map(|t| shown(Kind::Tag, t)));
            let mut item = serde_json::json!({
                "id": url,
                "url": url,
                "title": i.title(),
                "content_html": i.html,
                "summary": i.summary(),
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
        "language": info.lang.code(),
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
    /// Every language version of the page, itself included, as its
    /// `xhtml:link` alternates (English also as `x-default`), rendered once
    /// for all its versions' `<url>`s. Empty for a page in one language.
    pub alternates: std::rc::Rc<str>,
}

impl SitemapUrl {
    pub fn new(loc: String, lastmod: Option<DateTime<Utc>>) -> Self {
        SitemapUrl {
            loc,
            lastmod,
            alternates: "".into(),
        }
    }

    /// One `<url>` per version of a page (`versions`: each language's
    /// absolute URL), each naming them all, as search engines ask.
    pub fn versions(versions: &[(Lang, String)], lastmod: Option<DateTime<Utc>>) -> Vec<Self> {
        let alternates: std::rc::Rc<str> = if versions.len() > 1 {
            let links: Markup = html! {
                @for (lang, href) in versions {
                    xhtml:link rel="alternate" hreflang=(lang.code()) href=(href) {}
                    @if *lang == Lang::En {
                        xhtml:link rel="alternate" hreflang="x-default" href=(href) {}
                    }
                }
            };
            links.into_string().into()
        } else {
            "".into()
        };
        versions
            .iter()
            .map(|(_, loc)| SitemapUrl {
                loc: loc.clone(),
                lastmod,
                alternates: alternates.clone(),
            })
            .collect()
    }
}

/// A sitemap `urlset`.
pub fn urlset(urls: &[SitemapUrl]) -> String {
    let xhtml = urls
        .iter()
        .any(|u| !u.alternates.is_empty())
        .then_some("http://www.w3.org/1999/xhtml");
    let doc: Markup = html! {
        (xml_declaration())
        urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml=[xhtml] {
            @for u in urls {
                url {
                    loc { (u.loc) }
                    @if let Some(m) = u.lastmod { lastmod { (rfc3339(m)) } }
                    (PreEscaped(&*u.alternates))
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
            lang: Lang::En,
            names: &NO_NAMES,
        }
    }

    static NO_NAMES: crate::i18n::Names = crate::i18n::Names::EMPTY;

    #[test]
    fn hubs_are_advertised_in_both_formats_only_when_there_are_some() {
        let site = Site::new("https://alerts.example.org", "Access Alerts");
        let hubs = ["https://hub.example.net/".to_string()];
        let with = FeedInfo {
            hubs: &hubs,
            lang: Lang::En,
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
                lang: Lang::En,
                html: "<p>Body & more</p>".into(),
            }],
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
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
                lang: Lang::En,
                html: "<p>nul\u{0} and bell\u{7}</p>".into(),
            }],
        );
        assert!(xml.chars().all(allowed_in_xml), "{xml:?}");
        assert!(xml.contains("<title>Verticaltab</title>"));
        roxmltree::Document::parse(&xml).expect("parseable");
    }

    #[test]
    fn the_byte_check_finds_every_character_xml_forbids_and_no_other() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let doc = xml_document(PreEscaped(format!("a{c}é")));
            let want = if allowed_in_xml(c) {
                format!("a{c}é")
            } else {
                "aé".into()
            };
            assert_eq!(doc, want, "U+{:04X}", c as u32);
        }
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
                lang: Lang::En,
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
            lang: Lang::En,
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
            lang: Lang::En,
            html: String::new(),
        }];
        let j: serde_json::Value =
            serde_json::from_str(&json_feed(&site, &info(), &items)).unwrap();
        assert_eq!(j["items"][0]["date_modified"], "2024-11-29T00:00:00Z");
    }

    #[test]
    fn sitemaps_list_urls_with_lastmod() {
        let u = urlset(&[SitemapUrl::new(
            "https://a.example.org/x?a=1&b=2".into(),
            DateTime::from_timestamp(0, 0),
        )]);
        assert!(u.contains(
            "<loc>https://a.example.org/x?a=1&amp;b=2</loc><lastmod>1970-01-01T00:00:00Z</lastmod>"
        ));
        let i = sitemap_index(&[SitemapUrl::new(
            "https://a.example.org/sitemap/2024-11.xml".into(),
            None,
        )]);
        assert!(i.contains(
            "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>"
        ));
    }

    #[test]
    fn a_page_in_several_languages_is_a_url_each_naming_them_all() {
        let versions = [
            (Lang::En, "https://a.example.org/alerts/x".to_string()),
            (Lang::Ar, "https://a.example.org/ar/alerts/x".to_string()),
        ];
        let urls = SitemapUrl::versions(&versions, None);
        assert_eq!(urls.len(), 2);
        let u = urlset(&urls);
        assert!(
            u.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
            "{u}"
        );
        for (_, loc) in &versions {
            assert!(u.contains(&format!("<url><loc>{loc}</loc>")), "{u}");
        }
        let ar = "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://a.example.org/ar/alerts/x\"></xhtml:link>";
        let x = "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://a.example.org/alerts/x\"></xhtml:link>";
        assert_eq!(u.matches(ar).count(), 2, "in both urls: {u}");
        assert_eq!(u.matches(x).count(), 2, "{u}");
        // One language: no alternates, no namespace.
        let one = urlset(&SitemapUrl::versions(&versions[..1], None));
        assert!(!one.contains("xhtml"), "{one}");
    }
}
