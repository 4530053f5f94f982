//! Listing pages: home, categories, tags, month archives.

use super::{card, layout, switcher, CardLevel, Head, Site};
use crate::content::ListingEntry;
use crate::dates::YearMonth;
use crate::i18n::{month_in, Lang, Names};
use crate::routes::Route;
use maud::{html, Markup};

/// A listing page (home, category, tag).
pub struct ListingPage<'a> {
    pub heading: &'a str,
    pub intro: Option<&'a str>,
    pub path: &'a str,
    pub entries: &'a [ListingEntry],
    /// The URL of the next (older) page, if there is one.
    pub older: Option<String>,
    /// Whether this is not the first page (a "Newest" link is shown).
    pub paged: bool,
    /// A feed of this listing besides the site's (title, Atom path).
    pub feed: Option<(String, String)>,
    /// On a month's archive: the newer and older months that have alerts.
    pub months: Option<MonthLinks>,
    /// The page's language, and the page in every language (all six: a
    /// listing in a language shows the alerts not translated into it in
    /// English).
    pub lang: Lang,
    pub alternates: Vec<(Lang, String)>,
    /// Category and tag names in the page's language (none in English).
    pub names: &'a Names,
    /// A category's or tag's name shown in English in the heading and
    /// intro of a page in another language: marked `lang="en"` there.
    pub english_name: Option<&'a str>,
}

/// `text` with the first `english` in it marked `lang="en"`.
fn marked(text: &str, english: Option<&str>) -> Markup {
    match english.and_then(|e| text.split_once(e).map(|(b, a)| (b, e, a))) {
        Some((before, name, after)) => html! { (before) span lang="en" { (name) } (after) },
        None => html! { (text) },
    }
}

/// The newer and older months of an archive page that have alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthLinks {
    pub newer: Option<YearMonth>,
    pub older: Option<YearMonth>,
}

pub fn listing_page(site: &Site, page: &ListingPage) -> Markup {
    let lang = page.lang;
    let t = lang.strings();
    let head = Head {
        path: Some(page.path),
        feed: page.feed.clone(),
        lang,
        alternates: page.alternates.clone(),
        ..Head::new(page.heading, page.intro.unwrap_or(page.heading))
    };
    let month = |m: YearMonth| {
        let path = Route::Archive(m.year, m.month).in_lang(lang).path();
        (path, month_in(lang, m.year, m.month))
    };
    // The months' arrows point the way the page reads.
    let (newer_arrow, older_arrow) = match lang.dir() {
        "rtl" => ("→", "←"),
        _ => ("←", "→"),
    };
    let main = html! {
        (switcher(&page.alternates, lang, t))
        h1 { (marked(page.heading, page.english_name)) }
        @if let Some(intro) = page.intro { p.intro { (marked(intro, page.english_name)) } }
        @if let Some((title, path)) = &page.feed {
            p.feed-link { a href=(path) { (crate::i18n::fill(t.subscribe_feed, title)) } }
        }
        @if page.entries.is_empty() {
            p { (t.no_alerts) }
        } @else {
            div.cards { @for e in page.entries { (card(e, CardLevel::H2, lang, page.names)) } }
        }
        @if let Some(MonthLinks { newer, older }) = page.months {
            nav.pager aria-label=(t.months) {
                @if let Some((path, name)) = newer.map(month) { a href=(path) { (newer_arrow) " " (name) } }
                @if let Some((path, name)) = older.map(month) { a href=(path) { (name) " " (older_arrow) } }
            }
        }
        @if page.older.is_some() || page.paged {
            nav.pager aria-label=(t.more_alerts) {
                @if page.paged { a href=(page.path) { (t.newest) } }
                @if let Some(older) = &page.older { a rel="next" href=(older) { (t.older) } }
            }
        }
    };
    layout(site, &head, main)
}
