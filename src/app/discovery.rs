//! Feeds and sitemaps. Feeds are one `Store::page` plus one bulk `get` for
//! the full text of their 20 entries; the sitemap index reads the months
//! (`site:months`), each month's part the month's chunk they name, and the
//! pages part the categories and tags (`site:topics`).

use super::cache::Cached;
use super::store::PageOf;
use super::{App, AppError, Platform, Reply};
use crate::content::AlertRecord;
use crate::feeds::{self, FeedInfo, FeedItem, SitemapUrl};
use crate::http::types;
use crate::i18n::Lang;
use crate::keys;
use crate::listing::{Listing, Position};
use crate::routes::Route;
use crate::views::Site;
use std::rc::Rc;

/// A feed's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Atom,
    Json,
}

/// `/feed.xml`, `/feed.json` and `/category/<name>/feed.xml`: the 20 newest
/// public alerts with their full text; `/<lang>/feed.xml` and
/// `/<lang>/feed.json`: the 20 newest translations into `lang` (its
/// listing, `Listing::Lang`), in it.
pub async fn feed<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    category: Option<&str>,
    format: Format,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let site = app.site();
    let listing = match (lang, category) {
        (Lang::En, None) => Listing::All,
        (Lang::En, Some(c)) => Listing::Category(c.to_string()),
        (l, _) => Listing::Lang(l),
    };
    let page = app
        .store
        .page(PageOf::new(listing, feeds::FEED_SIZE), app.now())
        .await?;
    if category.is_some() && page.entries.is_empty() {
        return Err(AppError::NotFound);
    }
    let (title, page_path, atom_path) = match (category, page.entries.first()) {
        (Some(c), Some(e)) => (
            format!(
                "{} ({})",
                site.name,
                e.meta.category.clone().unwrap_or_else(|| c.to_string())
            ),
            Route::Category(c.into()).path(),
            Route::CategoryFeed(c.into()).path(),
        ),
        _ if lang != Lang::En => (
            format!("{} ({})", site.name, lang.autonym()),
            Route::HomeIn(lang).path(),
            Route::FeedIn(lang).path(),
        ),
        _ => (site.name.clone(), Route::Home.path(), Route::Feed.path()),
    };
    // The validator comes from what the feed is made of (each alert's
    // content hash, in its listing entry), so that a reader polling with
    // If-None-Match gets its 304, and anyone else the body this isolate
    // already made, without a record read or a render.
    let format_name = match format {
        Format::Atom => "atom",
        Format::Json => "json",
    };
    let mut parts = vec![
        crate::BUILD_VERSION,
        &site.url,
        &site.name,
        format_name,
        &title,
        lang.code(),
    ];
    // The names of categories and tags in the language are in the body.
    let names = app.store.names_in(lang, app.now()).await?;
    parts.push(names.value());
    // The hubs are in the body: a change of WEBSUB_HUBS is a new version.
    let hubs = &app.settings.websub_hubs;
    parts.extend(hubs.iter().map(String::as_str));
    let json_path = Route::JsonFeed.in_lang(lang).path();
    let self_url = site.abs(match format {
        Format::Atom => &atom_path,
        Format::Json => &json_path,
    });
    let hashed = page.entries.iter().all(|e| !e.meta.hash.is_empty());
    // An entry updated later than now has a change note still to come: the
    // records say how many of its notes have come, which the feed's dates
    // (and so its validator) follow.
    let now = app.now();
    let pending = page
        .entries
        .iter()
        .any(|e| e.meta.updated.is_some_and(|u| u > now));
    let mut records = None;
    let said: Vec<String>;
    if hashed && !pending {
        parts.extend(page.entries.iter().map(|e| e.meta.hash.as_str()));
    } else {
        // Entries written before they carried a hash, or a note to come:
        // the records say.
        let read = feed_records(app, &page.entries).await?;
        said = read
            .iter()
            .map(|r| format!("{}:{}", r.validator(), r.changes_at(app.now_utc()).len()))
            .collect();
        records = Some(read);
        parts.extend(said.iter().map(String::as_str));
    }
    let etag = crate::http::etag(&parts);
    let content_type = match format {
        Format::Atom => types::ATOM,
        Format::Json => types::FEED_JSON,
    };
    if let Some(reply) = Reply::unchanged(if_none_match.as_deref(), &etag, content_type) {
        return Ok(reply);
    }
    let key = format!("feed\u{0}{etag}");
    let cache = app.cache;
    if let Some(Cached::Text(body)) = cache.get(&key, app.now_millis()) {
        let reply = Reply::new(200, content_type, body.as_bytes().to_vec()).etag(etag);
        return Ok(with_hubs(reply, hubs, &self_url));
    }
    let records = match records {
        Some(r) => r,
        None => feed_records(app, &page.entries).await?,
    };
    let items: Vec<FeedItem> = records
        .iter()
        .map(|r| FeedItem::with_html(r, &*app.body_html(r, lang)).in_lang(lang))
        .collect();
    let info = FeedInfo {
        title: &title,
        page_path: &page_path,
        atom_path: &atom_path,
        json_path: &json_path,
        now: app.now_utc(),
        hubs,
        lang,
        names: &names,
    };
    let body = match format {
        Format::Atom => feeds::atom(site, &info, &items),
        Format::Json => feeds::json_feed(site, &info, &items),
    };
    // Kept only when the records are the versions the entries name (KV
    // may show a new entry before its new record for a while).
    let agree = hashed
        && records.len() == page.entries.len()
        && records
            .iter()
            .zip(&page.entries)
            .all(|(r, e)| r.validator() == e.meta.hash);
    if agree {
        cache.put(
            &key,
            Cached::Text(Rc::from(body.as_str())),
            body.len(),
            None,
        );
    }
    Ok(with_hubs(
        Reply::new(200, content_type, body).etag(etag),
        hubs,
        &self_url,
    ))
}

/// WebSub discovery in HTTP too (its section 4): `Link` with each hub and
/// the feed's own URL.
fn with_hubs(reply: Reply, hubs: &[String], self_url: &str) -> Reply {
    if hubs.is_empty() {
        return reply;
    }
    let mut links: Vec<String> = hubs.iter().map(|h| format!("<{h}>; rel=\"hub\"")).collect();
    links.push(format!("<{self_url}>; rel=\"self\""));
    reply.header("Link", &links.join(", "))
}

/// The public records of a feed's entries (one bulk read).
async fn feed_records<P: Platform>(
    app: &App<'_, P>,
    entries: &[crate::content::ListingEntry],
) -> Result<Vec<AlertRecord>, AppError> {
    let slugs: Vec<String> = entries.iter().map(|e| e.slug.clone()).collect();
    let instant = app.now_utc();
    Ok(app
        .store
        .alerts(&slugs)
        .await?
        .into_iter()
        .filter(|r| r.is_public(instant))
        .collect())
}

/// `/sitemap.xml`: an index of the pages part and one part per month with
/// a public alert.
pub async fn sitemap_index<P: Platform>(app: &App<'_, P>) -> Result<Reply, AppError> {
    let site = app.site();
    let mut parts = vec![SitemapUrl::new(site.abs(&Route::SitemapPages.path()), None)];
    // One read: the months with a public alert, newest first.
    let months = app.store.months(app.now()).await?;
    parts.extend(
        months
            .public(app.now())
            .rev()
            .map(|m| SitemapUrl::new(site.abs(&Route::SitemapMonth(m.year, m.month).path()), None)),
    );
    Ok(Reply::new(200, types::XML, feeds::sitemap_index(&parts)))
}

/// Every language version of a page that has one per language (a listing,
/// in all six), as absolute URLs; any other page in English alone.
fn versions(site: &Site, route: &Route<'_>) -> Vec<(Lang, String)> {
    let langs: &[Lang] = match route {
        Route::Home
        | Route::Category(_)
        | Route::Tag(_)
        | Route::Archive(..)
        | Route::Contact(_)
        | Route::Privacy(_) => &Lang::ALL,
        _ => &[Lang::En],
    };
    absolute(site, route.versions(langs))
}

/// Versions' paths as absolute URLs.
fn absolute(site: &Site, versions: Vec<(Lang, String)>) -> Vec<(Lang, String)> {
    versions
        .into_iter()
        .map(|(l, p)| (l, site.abs(&p)))
        .collect()
}

/// `/sitemap/pages.xml`: the pages that are not alerts, in every
/// language: home, contact, privacy, and each public category's and tag's
/// page (one read: `site:topics`; here once, not in each month's part).
pub async fn sitemap_pages<P: Platform>(app: &App<'_, P>) -> Result<Reply, AppError> {
    let site = app.site();
    let topics = app.store.topics(app.now()).await?;
    // Categories first, then tags, each by name.
    let taxonomy = topics.iter().filter_map(|t| match t.split_once(':')? {
        ("c", name) => Some(Route::Category(keys::name_slug(name).into())),
        ("t", name) => Some(Route::Tag(keys::name_slug(name).into())),
        _ => None,
    });
    let urls: Vec<SitemapUrl> = [
        Route::Home,
        Route::Contact(Lang::En),
        Route::Privacy(Lang::En),
    ]
    .into_iter()
    .chain(taxonomy)
    .flat_map(|r| SitemapUrl::versions(&versions(site, &r), None))
    .collect();
    Ok(Reply::new(200, types::XML, feeds::urlset(&urls)))
}

/// `/sitemap/<yyyy>-<mm>.xml`: a month's alerts (with `lastmod`) and its
/// archive page, each in every language it exists in, with its alternates
/// (their categories and tags are in the pages part).
pub async fn sitemap_month<P: Platform>(
    app: &App<'_, P>,
    y: i32,
    m: u32,
) -> Result<Reply, AppError> {
    let site = app.site();
    // The month's chunk, which the months name (one small read, kept):
    // the listing's index is not read.
    let chunk = app
        .store
        .months(app.now())
        .await?
        .chunk(crate::dates::YearMonth { year: y, month: m })
        .map(str::to_string);
    let mut urls = Vec::new();
    let mut after = None;
    loop {
        let of = PageOf::new(Listing::All, 1000)
            .month(format!("{y:04}-{m:02}"))
            .chunk(chunk.clone())
            .after(after);
        let page = app.store.page(of, app.now()).await?;
        for e in &page.entries {
            let alert = absolute(site, Route::Alert(&e.slug).versions(&e.meta.languages()));
            urls.extend(SitemapUrl::versions(&alert, e.modified_at(app.now())));
        }
        match page.next.as_deref().and_then(Position::parse) {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    if urls.is_empty() {
        return Err(AppError::NotFound);
    }
    urls.extend(SitemapUrl::versions(
        &versions(site, &Route::Archive(y, m)),
        None,
    ));
    Ok(Reply::new(200, types::XML, feeds::urlset(&urls)))
}
