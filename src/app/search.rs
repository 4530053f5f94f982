//! `/search` and `/api/search`: the query is read (`crate::search::query`),
//! the index parts it needs are read from KV in bulk, candidates ranked
//! (`crate::search::rank`), and the search documents of one page
//! (`crate::search::doc`: plain text, no record) read in one bulk call to
//! check them and cut their snippets. At most three KV calls,
//! whatever the archive's size: the words' postings (with `search:meta`
//! and the last word's prefix block), the words a prefix stands for, the
//! page's records. A query with no result may read its first unknown
//! word's block once more, for a spelling suggestion (a fourth call).

use super::params::name_param;
use super::reply::Answer;
use super::{error::AppError, App, Platform, Query, Reply};
use crate::http::{cache, types};
use crate::i18n::Lang;
use crate::keys;
use crate::routes::Route;
use crate::search::index::{self, Meta, TermList};
use crate::search::query::{self, Query as SearchQuery};
use crate::search::rank::{self, Analysed, Filters, Slot};
use crate::views::search::{Hit, Results};
use std::collections::HashMap;

/// Results a page shows.
pub const PAGE_SIZE: usize = 10;
/// Records read for a page whose candidates need checking (a phrase, an
/// excluded word, a word past its best postings): some may not match.
const CHECKED_PAGE: usize = 20;
/// Words of a snippet.
const SNIPPET_WORDS: usize = 30;
/// The most candidates a query can have (a prefix's words, each with its
/// best postings): no page starts past them.
const MAX_START: usize = index::MAX_POSTINGS * (rank::MAX_EXPANSIONS + 1);

fn params(query: &Query) -> Result<(Filters, usize), AppError> {
    let year = match query
        .get("year")
        .map(|y| y.trim())
        .filter(|y| !y.is_empty())
    {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| keys::YEARS.contains(y))
                .ok_or_else(|| AppError::BadRequest("`year` must be a year, like 2024.".into()))?,
        ),
    };
    let start = match query
        .get("start")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= MAX_START)
            .ok_or_else(|| {
                AppError::BadRequest("`start` is not a position in the results.".into())
            })?,
    };
    Ok((
        Filters {
            category: name_param(query, "category")?,
            tag: name_param(query, "tag")?,
            year,
        },
        start,
    ))
}

/// `/api/search`'s `lang` (a code, English when absent): which language's
/// alerts it searches, as `/<lang>/search` does.
pub fn lang_param(query: &Query) -> Result<Lang, AppError> {
    super::params::lang_value(query.get("lang").map_or("", String::as_str))
}

/// A search in `lang`: its own index, its analyzer, its translations.
pub async fn search<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    query: &Query,
    answer: Answer,
) -> Result<Reply, AppError> {
    let (filters, start) = params(query)?;
    let q = SearchQuery::parse_in(lang, query.get("q").map(String::as_str).unwrap_or(""));
    let results = if q.is_empty() {
        Results::new(q, filters, start)
    } else {
        run(app, q, filters, start).await?
    };
    let reply = match answer {
        Answer::Page => {
            let names = app.store.names_in(lang, app.now()).await?;
            let page = crate::views::search::page(app.site(), &results, &names);
            Reply::html(200, page)
        }
        Answer::Json => Reply::json(200, &results.to_json(app.site())),
    };
    Ok(reply.cache(cache::SHORT).header("X-Robots-Tag", "noindex"))
}

async fn run<P: Platform>(
    app: &App<'_, P>,
    q: SearchQuery,
    filters: Filters,
    start: usize,
) -> Result<Results, AppError> {
    let now = app.now();
    let lang = q.lang;
    let term_key = |stem: &str| index::term_key_in(lang, stem);
    // First read: every word's postings, the meta, the prefix's block.
    let prefix = q.required.iter().find(|r| r.prefix);
    let meta_key = index::meta_key(lang);
    let mut wanted: Vec<String> = vec![meta_key.clone()];
    wanted.extend(q.required.iter().map(|r| term_key(&r.stem)));
    wanted.extend(q.excluded.iter().map(|s| term_key(s)));
    if let Some(p) = prefix {
        wanted.push(index::words_key_in(lang, &p.folded));
    }
    wanted.dedup();
    let now_ms = app.now_millis();
    let mut texts = app.store.kept_texts(&wanted, now_ms).await?;
    let docs = texts
        .get(&meta_key)
        .and_then(|m| Meta::parse(m))
        .map(|m| m.docs_at(now))
        .unwrap_or(0);
    // The stems each required word stands for (a prefix: several).
    let mut stems: Vec<Vec<String>> = q.required.iter().map(|r| vec![r.stem.clone()]).collect();
    let mut more_words = vec![false; q.required.len()];
    if let Some((i, p)) = q.required.iter().enumerate().find(|(_, r)| r.prefix) {
        let block = texts
            .get(&index::words_key_in(lang, &p.folded))
            .map_or("", |t| &**t);
        let (expanded, cut) =
            rank::expansions(&p.folded, &p.stem, &index::parse_block(block, now), now);
        stems[i] = expanded;
        more_words[i] = cut;
        // Second read: the words the prefix stands for.
        let missing: Vec<String> = stems[i]
            .iter()
            .map(|s| term_key(s))
            .filter(|k| !texts.contains_key(k))
            .collect();
        if stems[i].len() > 1 && !missing.is_empty() {
            texts.extend(app.store.kept_texts(&missing, now_ms).await?);
        }
    }
    // One word, no filter or exclusion: when all its postings rank the
    // same (a word in nearly every alert), its results are the newest
    // first, as stored, and only the page's are read.
    let one_word =
        stems.len() == 1 && stems[0].len() == 1 && q.excluded.is_empty() && filters.is_empty();
    let list = |key: &str| -> Option<TermList<'_>> {
        let text = texts.get(key)?;
        if one_word {
            let equal = |df, max, min| index::all_equal(index::idf(docs, df), max, min);
            if let Some(list) = TermList::parse_newest(text, now, start + CHECKED_PAGE, equal) {
                return Some(list);
            }
        }
        let parsed = TermList::parse(text, now);
        if parsed.is_none() {
            app.store.note_broken(key);
        }
        parsed
    };
    let slots: Vec<Slot> = stems
        .iter()
        .zip(&more_words)
        .map(|(s, more)| {
            let lists = s.iter().filter_map(|s| list(&term_key(s))).collect();
            Slot::new(lists, docs, *more)
        })
        .collect();
    let excluded: Vec<TermList> = q
        .excluded
        .iter()
        .filter_map(|s| list(&term_key(s)))
        .collect();
    let candidates = rank::candidates(&slots, &excluded, !q.phrases.is_empty(), &filters, now);
    let mut results = Results::new(q, filters, start);
    if candidates.is_empty() {
        results.suggestion = suggest(app, &results.query, &slots, &texts, now).await?;
        return Ok(results);
    }
    // Third read: the records of one page, checked and cut into snippets.
    let window = if candidates
        .iter()
        .skip(start)
        .take(PAGE_SIZE)
        .any(|c| c.verify)
    {
        CHECKED_PAGE
    } else {
        PAGE_SIZE
    };
    let page: Vec<_> = candidates.iter().skip(start).take(window).collect();
    let slugs: Vec<String> = page.iter().map(|c| c.slug.to_string()).collect();
    let docs = app.store.search_docs(lang, &slugs, now_ms).await?;
    let keys = rank::Keys::new(&results.query, &stems);
    let mut consumed = 0;
    for (c, doc) in page.iter().zip(&docs) {
        if results.hits.len() == PAGE_SIZE {
            break;
        }
        consumed += 1;
        // Drafts have no document; a scheduled alert's is skipped.
        let Some(r) = doc.as_ref().filter(|d| d.date <= now) else {
            continue;
        };
        let text = Analysed::new(r, keys.clone());
        if c.verify && !text.matches(&results.query, &stems) {
            continue;
        }
        results.hits.push(Hit {
            slug: r.slug.clone(),
            title: r.title.clone(),
            date: chrono::DateTime::from_timestamp(r.date, 0).unwrap_or_default(),
            category: r.category.clone(),
            snippet: text.snippet(&results.query, &stems, SNIPPET_WORDS),
            score: c.score,
        });
    }
    // (Postings not read are candidates too: those of one word past its page.)
    let unread: usize = slots
        .iter()
        .flat_map(|s| &s.lists)
        .map(|(_, l)| l.unread)
        .sum();
    let total = candidates.len() + unread;
    let next = start + consumed;
    results.next = (next < total && next <= MAX_START).then_some(next);
    if results.hits.is_empty() && results.next.is_none() {
        results.suggestion = suggest(app, &results.query, &slots, &texts, now).await?;
    }
    Ok(results)
}

/// For a query with no result: the same query with its first unknown word
/// replaced by the closest known one, if there is one.
async fn suggest<P: Platform>(
    app: &App<'_, P>,
    q: &SearchQuery,
    slots: &[Slot<'_>],
    texts: &HashMap<String, String>,
    now: i64,
) -> Result<Option<String>, AppError> {
    // Unknown: no public alert has it (an embargoed alert's word is as
    // unknown as one no alert has).
    let unknown: Vec<&query::Required> = q
        .required
        .iter()
        .zip(slots)
        .filter(|(_, s)| {
            s.lists
                .iter()
                .all(|(_, l)| l.postings.iter().all(|p| p.date > now))
        })
        .map(|(r, _)| r)
        .collect();
    let Some(first) = unknown.first() else {
        return Ok(None);
    };
    let key = index::words_key_in(q.lang, &first.folded);
    let fetched;
    let block = match texts.get(&key) {
        Some(b) => b.as_str(),
        None => {
            fetched = (app.store)
                .kept_texts(std::slice::from_ref(&key), app.now_millis())
                .await?;
            fetched.get(&key).map_or("", String::as_str)
        }
    };
    Ok(
        rank::closest(&first.folded, &index::parse_block(block, now), now)
            .map(|word| q.replacing(&first.at, word)),
    )
}

/// `/opensearch.xml`: lets browsers add the site as a search engine.
pub fn opensearch<P: Platform>(app: &App<'_, P>) -> Reply {
    let site = app.site();
    let template = |route: Route| format!("{}?q={{searchTerms}}", site.abs(&route.path()));
    let body = maud::html! {
        (maud::PreEscaped("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" {
            ShortName { (site.name.chars().take(16).collect::<String>()) }
            Description { "Search " (site.name) }
            InputEncoding { "UTF-8" }
            Url type="text/html" method="get" template=(template(Route::Search)) {}
            Url type="application/json" method="get" template=(template(Route::ApiSearch)) {}
            Image width="16" height="16" type="image/svg+xml" { (site.abs(&Route::Favicon.path())) }
        }
    };
    Reply::new(200, types::OPENSEARCH, body.into_string()).cache(cache::DAY)
}
