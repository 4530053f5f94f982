//! Listing pages: home, categories, tags, month archives.

use super::{card, layout, CardLevel, Head, Site};
use crate::content::ListingEntry;
use crate::dates::{month_name, YearMonth};
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
}

/// The newer and older months of an archive page that have alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthLinks {
    pub newer: Option<YearMonth>,
    pub older: Option<YearMonth>,
}

pub fn listing_page(site: &Site, page: &ListingPage) -> Markup {
    let head = Head {
        path: Some(page.path),
        feed: page.feed.clone(),
        ..Head::new(page.heading, page.intro.unwrap_or(page.heading))
    };
    let main = html! {
        h1 { (page.heading) }
        @if let Some(intro) = page.intro { p.intro { (intro) } }
        @if let Some((title, path)) = &page.feed {
            p.feed-link { a href=(path) { "Subscribe: " (title) } }
        }
        @if page.entries.is_empty() {
            p { "No alerts here yet." }
        } @else {
            div.cards { @for e in page.entries { (card(e, CardLevel::H2)) } }
        }
        @if let Some(MonthLinks { newer, older }) = page.months {
            nav.pager aria-label="Months" {
                @if let Some(m) = newer { a href=(Route::Archive(m.year, m.month).path()) { "← " (month_name(m.year, m.month)) } }
                @if let Some(m) = older { a href=(Route::Archive(m.year, m.month).path()) { (month_name(m.year, m.month)) " →" } }
            }
        }
        @if page.older.is_some() || page.paged {
            nav.pager aria-label="More alerts" {
                @if page.paged { a href=(page.path) { "Newest" } }
                @if let Some(older) = &page.older { a rel="next" href=(older) { "Older alerts" } }
            }
        }
    };
    layout(site, &head, main)
}
