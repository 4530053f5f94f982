//! The search results page and its JSON twin.

use super::{layout, Head, Site};
use crate::dates::{human_date, rfc3339};
use crate::routes::{self, Route};
use crate::search::query::{Cut, Query, MAX_QUERY_CHARS, MAX_TERMS};
use crate::search::rank::Filters;
use chrono::{DateTime, Utc};
use maud::{html, Markup};

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    pub date: DateTime<Utc>,
    pub category: Option<String>,
    /// Plain and marked pieces of text around the matched words.
    pub snippet: Vec<(String, bool)>,
    pub score: f64,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct Results {
    pub query: Query,
    pub filters: Filters,
    /// Position of this page's first candidate.
    pub start: usize,
    pub hits: Vec<Hit>,
    /// Where the next page starts, if there is one.
    pub next: Option<usize>,
    /// Candidates found (some may not survive the check of their text).
    pub total: usize,
    /// The query with an unknown word replaced by a known one.
    pub suggestion: Option<String>,
}

impl Results {
    pub fn new(query: Query, filters: Filters, start: usize) -> Self {
        Results {
            query,
            filters,
            start,
            hits: Vec::new(),
            next: None,
            total: 0,
            suggestion: None,
        }
    }

    /// A search URL for `q` with these filters, from `start`.
    pub fn url(route: Route, q: &str, filters: &Filters, start: usize) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", q.to_string())];
        if let Some(c) = &filters.category {
            pairs.push(("category", c.clone()));
        }
        if let Some(t) = &filters.tag {
            pairs.push(("tag", t.clone()));
        }
        if let Some(y) = filters.year {
            pairs.push(("year", y.to_string()));
        }
        if start > 0 {
            pairs.push(("start", start.to_string()));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{}?{query}", route.path())
    }

    fn snippet_text(hit: &Hit) -> String {
        hit.snippet.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// `/api/search`'s answer.
    pub fn to_json(&self, site: &Site) -> serde_json::Value {
        let results: Vec<serde_json::Value> = self
            .hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "slug": h.slug,
                    "title": h.title,
                    "date": rfc3339(h.date),
                    "category": h.category,
                    "snippet": Self::snippet_text(h),
                    "url": site.abs(&routes::alert_path(&h.slug)),
                    "score": (h.score * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        let mut out = serde_json::json!({
            "query": self.query.text,
            "results": results,
            "next": self.next.map(|n| n.to_string()),
        });
        if let Some(s) = &self.suggestion {
            out["suggestion"] = s.clone().into();
        }
        if let Some(note) = self.cut_note() {
            out["note"] = note.into();
        }
        out
    }

    fn cut_note(&self) -> Option<String> {
        self.query.cut.map(|c| match c {
            Cut::Length => {
                format!("Your search was cut to its first {MAX_QUERY_CHARS} characters.")
            }
            Cut::Terms => format!("Only the first {MAX_TERMS} words of your search were used."),
        })
    }
}

/// The page: the box (with the query), any note, the active filters as
/// removable choices, the results, and a link to the next page.
pub fn page(site: &Site, r: &Results) -> Markup {
    let q = r.query.text.as_str();
    let heading = if q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search results for “{q}”")
    };
    let head = Head {
        noindex: true,
        query: Some(q),
        ..Head::new(&heading, "Search every alert")
    };
    let without = |f: Filters| Results::url(Route::Search, q, &f, 0);
    // A filter's name as the results spell it (else its slug).
    let category_name = |slug: &str| -> String {
        r.hits
            .iter()
            .filter_map(|h| h.category.as_ref())
            .find(|c| crate::keys::name_slug(c) == slug)
            .cloned()
            .unwrap_or_else(|| slug.to_string())
    };
    // Each active filter, as a choice that links to the search without it.
    let f = &r.filters;
    let mut chips: Vec<(&str, String, Filters)> = Vec::new();
    if let Some(c) = &f.category {
        chips.push((
            "Category",
            category_name(c),
            Filters {
                category: None,
                ..f.clone()
            },
        ));
    }
    if let Some(t) = &f.tag {
        chips.push((
            "Tag",
            t.clone(),
            Filters {
                tag: None,
                ..f.clone()
            },
        ));
    }
    if let Some(y) = f.year {
        chips.push((
            "Year",
            y.to_string(),
            Filters {
                year: None,
                ..f.clone()
            },
        ));
    }
    let main = html! {
        h1 { (heading) }
        form.search-page role="search" action=(Route::Search.path()) method="get" {
            label for="search-page-q" { "Search alerts" }
            input #search-page-q type="search" name="q" value=(q) maxlength="400";
            @if let Some(c) = &r.filters.category { input type="hidden" name="category" value=(c); }
            @if let Some(t) = &r.filters.tag { input type="hidden" name="tag" value=(t); }
            @if let Some(y) = r.filters.year { input type="hidden" name="year" value=(y); }
            button type="submit" { "Search" }
        }
        p.hint { "All words must match. Use \"quotes\" for a phrase and -word to leave a word out." }
        @if let Some(note) = r.cut_note() { p.note role="status" { (note) } }
        @if !chips.is_empty() {
            ul.filters aria-label="Filters (select one to remove it)" {
                @for (label, value, rest) in &chips {
                    li { a href=(without(rest.clone())) { (label) ": " (value) " " span aria-hidden="true" { "×" } span.visually-hidden { "(remove)" } } }
                }
            }
        }
        @if q.is_empty() {
            p { "Type the words you are looking for." }
        } @else if r.hits.is_empty() && r.next.is_none() {
            p.none { "No alerts match your search." }
            @if let Some(s) = &r.suggestion {
                p { "Did you mean " a href=(Results::url(Route::Search, s, &r.filters, 0)) { "“" (s) "”" } "?" }
            }
            @if !r.filters.is_empty() {
                p { a href=(without(Filters::default())) { "Search every alert for “" (q) "”" } }
            }
        } @else {
            ol.results start=(r.start + 1) {
                @for h in &r.hits {
                    li.result {
                        h2 { a href=(routes::alert_path(&h.slug)) { (h.title) } }
                        p.dateline {
                            time datetime=(rfc3339(h.date)) { (human_date(h.date)) }
                            @if let Some(c) = &h.category {
                                " " span.sep aria-hidden="true" { "·" } " "
                                a.category href=(Results::url(Route::Search, q, &Filters { category: Some(crate::keys::name_slug(c)), ..r.filters.clone() }, 0)) { (c) }
                            }
                        }
                        p.snippet {
                            @for (text, marked) in &h.snippet {
                                @if *marked { mark { (text) } } @else { (text) }
                            }
                        }
                    }
                }
            }
            @if r.hits.is_empty() { p { "No more matches on this page." } }
            @if r.start > 0 || r.next.is_some() {
                nav.pager aria-label="More results" {
                    @if r.start > 0 { a href=(Results::url(Route::Search, q, &r.filters, 0)) { "First results" } }
                    @if let Some(n) = r.next { a rel="next" href=(Results::url(Route::Search, q, &r.filters, n)) { "More results" } }
                }
            }
        }
    };
    layout(site, &head, main)
}
