//! HTML pages, built with maud so that every interpolated value is escaped
//! by the template engine. One layout (here) and one stylesheet serve every
//! page; the pages are split by kind: `alert`, `listing`, `pages` (contact
//! form, fixed pages, messages). Links come from `crate::routes`, dates from
//! `crate::dates`.

pub mod alert;
pub mod assets;
pub mod listing;
pub mod pages;
pub mod search;
pub mod subscribe;

pub use alert::{alert_page, missing_translation_page, AlertPage};
pub use listing::{listing_page, ListingPage, MonthLinks};
pub use pages::{contact_page, message_page, privacy_page, thanks_page, ContactForm};

use crate::content::ListingEntry;
use crate::dates::{human_date, rfc3339};
use crate::i18n::{date_in, Kind, Lang, Names};
use crate::routes::{self, Route};
use assets::stylesheet_file;
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The site's identity, from `SITE_URL` and `SITE_NAME`.
/// The site's identity, from `SITE_URL` and `SITE_NAME`.
#[derive(Debug, Clone)]
pub struct Site {
    /// Origin and optional base path, without a trailing slash.
    pub url: String,
    pub name: String,
}

impl Site {
    pub fn new(url: &str, name: &str) -> Self {
        Site {
            url: url.trim_end_matches('/').to_string(),
            name: name.to_string(),
        }
    }

    /// The absolute URL of a site path (`/alerts/x`).
    pub fn abs(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }
}

pub struct Head<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Site path of the canonical URL (`/alerts/x`), if the page has one.
    pub path: Option<&'a str>,
    pub noindex: bool,
    pub og_type: &'a str,
    pub image: Option<&'a str>,
    /// Structured data (JSON-LD) for the page.
    pub json_ld: Option<String>,
    /// Turnstile's script, on the contact form when it is switched on.
    pub turnstile: bool,
    /// A feed of this page besides the site's (title, Atom path).
    pub feed: Option<(String, String)>,
    /// The search the page shows (kept in the header's box).
    pub query: Option<&'a str>,
    /// The page's language: its `<html lang dir>` and the strings of the
    /// page around its content.
    pub lang: Lang,
    /// Every language the page exists in, itself included, with its path:
    /// `<link rel="alternate" hreflang>` each, English as `x-default`.
    pub alternates: Vec<(Lang, String)>,
}

impl<'a> Head<'a> {
    pub fn new(title: &'a str, description: &'a str) -> Self {
        Head {
            title,
            description,
            path: None,
            noindex: false,
            og_type: "website",
            image: None,
            json_ld: None,
            turnstile: false,
            feed: None,
            query: None,
            lang: Lang::En,
            alternates: Vec::new(),
        }
    }
}

/// The page shell shared by every HTML response.
pub fn layout(site: &Site, head: &Head, main: Markup) -> Markup {
    let full_title = if head.title == site.name {
        site.name.clone()
    } else {
        format!("{} | {}", head.title, site.name)
    };
    let canonical = head.path.map(|p| site.abs(p));
    let t = head.lang.strings();
    // Links to pages that exist in English only, from a page in another
    // language, say so (`hreflang`).
    let home = Route::Home.in_lang(head.lang).path();
    let (atom, json) = (
        Route::Feed.in_lang(head.lang).path(),
        Route::JsonFeed.in_lang(head.lang).path(),
    );
    let feed_name = match head.lang {
        Lang::En => site.name.clone(),
        l => format!("{} ({})", site.name, l.autonym()),
    };
    html! {
        (DOCTYPE)
        html lang=(head.lang.code()) dir=(head.lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                meta name="description" content=(head.description);
                @if head.noindex { meta name="robots" content="noindex, nofollow"; }
                @if let Some(url) = &canonical { link rel="canonical" href=(url); }
                @if head.alternates.len() > 1 {
                    @for (lang, path) in &head.alternates {
                        link rel="alternate" hreflang=(lang.code()) href=(site.abs(path));
                        @if *lang == Lang::En {
                            link rel="alternate" hreflang="x-default" href=(site.abs(path));
                        }
                    }
                }
                link rel="stylesheet" href=(Route::Stylesheet(&stylesheet_file()).path());
                link rel="icon" type="image/svg+xml" href=(Route::Favicon.path());
                link rel="alternate" type="application/atom+xml" title={ (feed_name) " (Atom)" } href=(atom);
                link rel="alternate" type="application/feed+json" title={ (feed_name) " (JSON Feed)" } href=(json);
                @if let Some((title, path)) = &head.feed {
                    link rel="alternate" type="application/atom+xml" title=(title) href=(path);
                }
                link rel="search" type="application/opensearchdescription+xml" title=(site.name) href=(Route::OpenSearch.path());
                meta property="og:site_name" content=(site.name);
                meta property="og:title" content=(head.title);
                meta property="og:description" content=(head.description);
                meta property="og:type" content=(head.og_type);
                @if let Some(url) = &canonical { meta property="og:url" content=(url); }
                @if head.lang != Lang::En { meta property="og:locale" content=(head.lang.code()); }
                @if let Some(img) = head.image {
                    meta property="og:image" content=(img);
                    meta name="twitter:card" content="summary_large_image";
                } @else {
                    meta name="twitter:card" content="summary";
                }
                meta name="twitter:title" content=(head.title);
                meta name="twitter:description" content=(head.description);
                @if let Some(ld) = &head.json_ld {
                    script type="application/ld+json" { (PreEscaped(ld)) }
                }
                @if head.turnstile {
                    script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer {}
                }
            }
            body {
                a.skip href="#main" { (t.skip) }
                header.site-header {
                    div.wrap {
                        a.brand href=(home) { (site.name) }
                        nav aria-label=(t.site_nav) {
                            ul {
                                li { a href=(home) { (t.latest) } }
                                li { a href=(Route::Subscribe(head.lang).path()) { (t.email_alerts) } }
                                li { a href=(Route::Contact(head.lang).path()) { (t.contact) } }
                            }
                        }
                        form.site-search role="search" action=(Route::Search.in_lang(head.lang).path()) method="get" {
                            label for="site-search-q" { (t.search_label) }
                            input #site-search-q type="search" name="q" value=(head.query.unwrap_or("")) maxlength="400";
                            button type="submit" { (t.search_button) }
                        }
                    }
                }
                main #main.wrap { (main) }
                footer.site-footer {
                    div.wrap {
                        (subscribe::footer_form(head.lang))
                        p { "© " (site.name) }
                        ul {
                            li { a href=(atom) { (t.atom_feed) } }
                            li { a href=(json) { (t.json_feed) } }
                            li { a href=(Route::Privacy(head.lang).path()) { (t.privacy) } }
                            li { a href=(Route::Contact(head.lang).path()) { (t.contact_us) } }
                        }
                    }
                }
            }
        }
    }
}

/// A value sent back into a one-line field (`<input value>`, which HTML
/// does not let hold a line break): its line breaks as spaces. The form's
/// error says the field must be one line; the words are kept.
fn one_line(value: &str) -> std::borrow::Cow<'_, str> {
    match value.contains(['\r', '\n']) {
        true => value.replace(['\r', '\n'], " ").into(),
        false => value.into(),
    }
}

fn category_link(category: &Option<String>) -> Markup {
    html! {
        @if let Some(c) = category {
            a.category href=(routes::category_path(c)) { (c) }
        }
    }
}

fn dateline(date: DateTime<Utc>, category: &Option<String>) -> Markup {
    html! {
        p.dateline {
            time datetime=(rfc3339(date)) { (human_date(date)) }
            @if category.is_some() { " " span.sep aria-hidden="true" { "·" } " " (category_link(category)) }
        }
    }
}

/// The date and category line in `lang`: the date in its words, the
/// category's page in it, named as editors translated it (`names`), or in
/// English, marked, where they have not.
fn dateline_in(
    lang: Lang,
    names: &Names,
    date: DateTime<Utc>,
    category: &Option<String>,
) -> Markup {
    if lang == Lang::En {
        return dateline(date, category);
    }
    html! {
        p.dateline {
            time datetime=(rfc3339(date)) { (date_in(lang, date)) }
            @if let Some(c) = category {
                @let shown = names.shown(Kind::Category, lang, c);
                " " span.sep aria-hidden="true" { "·" } " "
                a.category href=(routes::category_path_in(lang, c)) lang=[shown.lang] { (shown.text) }
            }
        }
    }
}

/// The language switcher: every version of the page, each named in its
/// own language (`lang`), the page's own marked as current.
fn switcher(versions: &[(Lang, String)], lang: Lang, t: &crate::i18n::Strings) -> Markup {
    html! {
        nav.languages aria-label=(t.languages) {
            ul {
                @for (l, path) in versions {
                    li {
                        @if *l == lang {
                            a href=(path) aria-current="page" lang=(l.code()) { (l.autonym()) }
                        } @else {
                            a href=(path) hreflang=(l.code()) lang=(l.code()) { (l.autonym()) }
                        }
                    }
                }
            }
        }
    }
}

/// The heading level of a card's title: under the page's `h1` (a listing)
/// or under a section's `h2` (related articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardLevel {
    H2,
    H3,
}

/// One alert in a listing or the related block, on a page in `lang`: its
/// translation's title and summary, linking to it; else, so that no reader
/// misses an alert, the English ones (`lang="en"`), marked as such in the
/// page's language, linking to the English page.
pub fn card(entry: &ListingEntry, level: CardLevel, lang: Lang, names: &Names) -> Markup {
    let text = entry.meta.text(lang).filter(|_| lang != Lang::En);
    let english_only = lang != Lang::En && text.is_none();
    let (title, summary, path) = match text {
        Some(t) => (
            &t.title,
            &t.summary,
            routes::alert_path_in(lang, &entry.slug),
        ),
        None => (
            &entry.meta.title,
            &entry.meta.summary,
            routes::alert_path(&entry.slug),
        ),
    };
    let en = english_only.then_some("en");
    // English text on a right-to-left page reads left to right (its
    // punctuation, its ellipsis), and the page's own words around it not.
    let rtl = lang.dir() == "rtl";
    let (en_dir, own_dir) = match english_only && rtl {
        true => (Some("ltr"), Some(lang.dir())),
        false => (None, None),
    };
    let title = html! { a href=(path) hreflang=[en] { (title) } };
    let about = html! {
        @if english_only { p.english-only { (lang.strings().only_in_english) } }
        (dateline_in(lang, names, entry.date(), &entry.meta.category))
    };
    html! {
        article.card lang=[en] dir=[en_dir] {
            @match level { CardLevel::H3 => h3 { (title) }, CardLevel::H2 => h2 { (title) } }
            p.excerpt { (summary) }
            @if english_only { div lang=(lang.code()) dir=[own_dir] { (about) } } @else { (about) }
        }
    }
}
