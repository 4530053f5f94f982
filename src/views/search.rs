//! The search results page and its JSON twin.

use super::{layout, Head, Site};
use crate::dates::rfc3339;
use crate::i18n::{date_in, fill, Kind, Lang, Names};
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
                    "url": site.abs(&routes::alert_path_in(self.query.lang, &h.slug)),
                    "score": (h.score * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        let mut out = serde_json::json!({
            "query": self.query.text,
            "lang": self.query.lang.code(),
            "results": results,
            "next": self.next.map(|n| n.to_string()),
        });
        if let Some(s) = &self.suggestion {
            out["suggestion"] = s.clone().into();
        }
        if let Some(note) = self.cut_note(Lang::En) {
            out["note"] = note.into();
        }
        out
    }

    /// Why the query was cut, if it was, in `lang` (the API's in English).
    fn cut_note(&self, lang: Lang) -> Option<String> {
        let t = lang.search_strings();
        self.query.cut.map(|c| match c {
            Cut::Length => fill(t.cut_length, &MAX_QUERY_CHARS.to_string()),
            Cut::Terms => fill(t.cut_terms, &MAX_TERMS.to_string()),
        })
    }
}

/// The page: the box (with the query), any note, the active filters as
/// removable choices, the results, and a link to the next page.
pub fn page(site: &Site, r: &Results, names: &Names) -> Markup {
    let q = r.query.text.as_str();
    let lang = r.query.lang;
    let (t, s) = (lang.strings(), lang.search_strings());
    let route = Route::Search.in_lang(lang);
    let heading = if q.is_empty() {
        s.heading.to_string()
    } else {
        fill(s.results_for, q)
    };
    let head = Head {
        noindex: true,
        query: Some(q),
        lang,
        ..Head::new(&heading, s.description)
    };
    let without = |f: Filters| Results::url(route.clone(), q, &f, 0);
    // A filter's name as the results spell it (else its slug).
    let category_name = |slug: &str| -> String {
        r.hits
            .iter()
            .filter_map(|h| h.category.as_ref())
            .find(|c| crate::keys::name_slug(c) == slug)
            .map(|c| names.shown(Kind::Category, lang, c).text)
            .unwrap_or(slug)
            .to_string()
    };
    // Each active filter, as a choice that links to the search without it.
    let f = &r.filters;
    let mut chips: Vec<(&str, String, Filters)> = Vec::new();
    if let Some(c) = &f.category {
        chips.push((
            s.category,
            category_name(c),
            Filters {
                category: None,
                ..f.clone()
            },
        ));
    }
    if let Some(t) = &f.tag {
        chips.push((
            s.tag,
            t.clone(),
            Filters {
                tag: None,
                ..f.clone()
            },
        ));
    }
    if let Some(y) = f.year {
        chips.push((
            s.year,
            y.to_string(),
            Filters {
                year: None,
                ..f.clone()
            },
        ));
    }
    let main = html! {
        h1 { (heading) }
        form.search-page role="search" action=(route.path()) method="get" {
            label for="search-page-q" { (t.search_label) }
            input #search-page-q type="search" name="q" value=(q) maxlength="400";
            @if let Some(c) = &r.filters.category { input type="hidden" name="category" value=(c); }
            @if let Some(t) = &r.filters.tag { input type="hidden" name="tag" value=(t); }
            @if let Some(y) = r.filters.year { input type="hidden" name="year" value=(y); }
            button type="submit" { (t.search_button) }
        }
        p.hint { (s.hint) }
        @if let Some(note) = r.cut_note(lang) { p.note role="status" { (note) } }
        @if !chips.is_empty() {
            ul.filters aria-label=(s.filters) {
                @for (label, value, rest) in &chips {
                    li { a href=(without(rest.clone())) { (label) ": " (value) " " span aria-hidden="true" { "×" } span.visually-hidden { (s.remove) } } }
                }
            }
        }
        @if q.is_empty() {
            p { (s.empty) }
        } @else if r.hits.is_empty() && r.next.is_none() {
            p.none { (s.no_match) }
            @if let Some(suggested) = &r.suggestion {
                @let (before, after) = s.did_you_mean.split_once("{}").unwrap_or((s.did_you_mean, ""));
                p { (before) a href=(Results::url(route.clone(), suggested, &r.filters, 0)) { (suggested) } (after) }
            }
            @if !r.filters.is_empty() {
                p { a href=(without(Filters::default())) { (fill(s.everywhere, q)) } }
            }
        } @else {
            ol.results start=(r.start + 1) {
                @for h in &r.hits {
                    li.result {
                        h2 { a href=(routes::alert_path_in(lang, &h.slug)) { (h.title) } }
                        p.dateline {
                            time datetime=(rfc3339(h.date)) { (date_in(lang, h.date)) }
                            @if let Some(c) = &h.category {
                                @let shown = names.shown(Kind::Category, lang, c);
                                " " span.sep aria-hidden="true" { "·" } " "
                                a.category href=(Results::url(route.clone(), q, &Filters { category: Some(crate::keys::name_slug(c)), ..r.filters.clone() }, 0)) lang=[shown.lang] { (shown.text) }
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
            @if r.hits.is_empty() { p { (s.no_more) } }
            @if r.start > 0 || r.next.is_some() {
                nav.pager aria-label=(s.pager) {
                    @if r.start > 0 { a href=(Results::url(route.clone(), q, &r.filters, 0)) { (s.first) } }
                    @if let Some(n) = r.next { a rel="next" href=(Results::url(route.clone(), q, &r.filters, n)) { (s.more) } }
                }
            }
        }
    };
    layout(site, &head, main)
}
