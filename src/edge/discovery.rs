//! Discovery: month archives, feeds, sitemaps and the listing API. Every
//! listing is read through `Store::page` (one `list()` with metadata); feeds
//! add one bulk `get` for the full text of their 20 entries.

use super::app::{cursor_param, listing, now, now_utc, Listing};
use super::error::AppError;
use super::reply::Reply;
use super::store::Store;
use crate::content::{AlertRecord, ListingMeta};
use crate::feeds::{self, FeedInfo, FeedItem, SitemapUrl};
use crate::http::types;
use crate::keys;
use crate::views::{self, Site};
use chrono::Datelike;
use std::collections::{BTreeSet, HashMap};
use worker::Env;

/// The year of the oldest public alert (the first key of the oldest-first
/// index), which bounds how far back the archive looks.
async fn first_year(store: &Store<'_>) -> Result<i32, AppError> {
    let page = store
        .page(keys::INDEX_OLDEST_FIRST, 1, now(), None, None)
        .await?;
    Ok(page
        .entries
        .first()
        .map_or_else(|| today().0, |e| e.date().year()))
}

fn today() -> (i32, u32) {
    let d = now_utc();
    (d.year(), d.month())
}

async fn has_public(store: &Store<'_>, prefix: &str) -> Result<bool, AppError> {
    Ok(!store
        .page(prefix, 1, now(), None, None)
        .await?
        .entries
        .is_empty())
}

/// The nearest month before (`step = -1`) or after (`step = 1`) `(y, m)`
/// that has public alerts. Years without any are skipped with one probe
/// each, so the cost does not grow with the number of alerts.
async fn neighbour(
    store: &Store<'_>,
    y: i32,
    m: u32,
    step: i32,
    first: i32,
) -> Result<Option<(i32, u32)>, AppError> {
    let (this_year, this_month) = today();
    let mut year = y;
    while (first..=this_year).contains(&year) {
        let months: Vec<u32> = match (year == y, step < 0) {
            (true, true) => (1..m).rev().collect(),
            (true, false) => (m + 1..=12).collect(),
            (false, true) => (1..=12).rev().collect(),
            (false, false) => (1..=12).collect(),
        };
        if !months.is_empty() && (year == y || has_public(store, &keys::year_prefix(year)).await?) {
            for month in months {
                if (year, month) > (this_year, this_month) {
                    break;
                }
                if has_public(store, &keys::month_prefix(year, month)).await? {
                    return Ok(Some((year, month)));
                }
            }
        }
        year += step;
    }
    Ok(None)
}

/// `/archive/<yyyy>/<mm>`: one month, with links to the neighbouring months
/// that have alerts. A month without public alerts is a 404.
pub async fn archive(
    env: &Env,
    site: &Site,
    y: i32,
    m: u32,
    query: &HashMap<String, String>,
) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let prefix = keys::month_prefix(y, m);
    if !has_public(&store, &prefix).await? {
        return Err(AppError::NotFound);
    }
    let first = first_year(&store).await?;
    let newer = neighbour(&store, y, m, 1, first).await?;
    let older = neighbour(&store, y, m, -1, first).await?;
    let name = views::month_name(y, m);
    listing(
        env,
        site,
        Listing {
            prefix,
            heading: format!("Alerts of {name}"),
            intro: Some(format!("Every alert published in {name}, newest first.")),
            path: views::archive_path(y, m),
            feed: None,
            months: Some((newer, older)),
            empty_is_unknown: true,
            query,
        },
    )
    .await
}

/// `/feed.xml`, `/feed.json` and `/category/<name>/feed.xml`: the 20 newest
/// public alerts with their full text.
pub async fn feed(
    env: &Env,
    site: &Site,
    category: Option<&str>,
    json: bool,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let prefix = category.map_or_else(|| keys::INDEX_ALL.to_string(), keys::category_prefix);
    let page = store
        .page(&prefix, feeds::FEED_SIZE, now(), None, None)
        .await?;
    if category.is_some() && page.entries.is_empty() {
        return Err(AppError::NotFound);
    }
    let slugs: Vec<String> = page.entries.iter().map(|e| e.slug.clone()).collect();
    let instant = now_utc();
    let records: Vec<AlertRecord> = store
        .alerts(&slugs)
        .await?
        .into_iter()
        .filter(|r| r.is_public(instant))
        .collect();
    let (title, page_path, atom_path) = match (category, page.entries.first()) {
        (Some(c), Some(e)) => (
            format!(
                "{} ({})",
                site.name,
                e.meta.category.clone().unwrap_or_else(|| c.to_string())
            ),
            format!("/category/{c}"),
            format!("/category/{c}/feed.xml"),
        ),
        _ => (site.name.clone(), "/".to_string(), "/feed.xml".to_string()),
    };
    // The validator comes from what the feed is made of (each record's
    // content hash), so a reader polling with If-None-Match gets its 304
    // before twenty bodies are rendered.
    let format = if json { "json" } else { "atom" };
    let mut parts = vec![crate::BUILD_VERSION, &site.url, &site.name, format, &title];
    parts.extend(records.iter().map(|r| r.hash.as_str()));
    let etag = crate::http::etag(&parts);
    let content_type = if json { types::FEED_JSON } else { types::ATOM };
    if let Some(reply) = super::app::unchanged(if_none_match.as_deref(), &etag, content_type) {
        return Ok(reply);
    }
    let items: Vec<FeedItem> = records.iter().map(FeedItem::new).collect();
    let info = FeedInfo {
        title: &title,
        page_path: &page_path,
        atom_path: &atom_path,
        json_path: "/feed.json",
    };
    let body = if json {
        feeds::json_feed(site, &info, &items)
    } else {
        feeds::atom(site, &info, &items)
    };
    Ok(Reply::new(200, content_type, body).etag(etag))
}

/// `/sitemap.xml`: an index of the pages part and one part per month with
/// alerts (found year by year, months of those years listed).
pub async fn sitemap_index(env: &Env, site: &Site) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let (this_year, this_month) = today();
    let mut parts = vec![SitemapUrl {
        loc: site.abs("/sitemap/pages.xml"),
        lastmod: None,
    }];
    for year in (first_year(&store).await?..=this_year).rev() {
        if !has_public(&store, &keys::year_prefix(year)).await? {
            continue;
        }
        for month in (1..=12).rev() {
            if (year, month) > (this_year, this_month) {
                continue;
            }
            if has_public(&store, &keys::month_prefix(year, month)).await? {
                parts.push(SitemapUrl {
                    loc: site.abs(&format!("/sitemap/{year:04}-{month:02}.xml")),
                    lastmod: None,
                });
            }
        }
    }
    Ok(Reply::new(200, types::XML, feeds::sitemap_index(&parts)))
}

/// `/sitemap/pages.xml`: the pages that are not alerts.
pub fn sitemap_pages(site: &Site) -> Reply {
    let urls: Vec<SitemapUrl> = ["/", "/contact", "/privacy"]
        .iter()
        .map(|p| SitemapUrl {
            loc: site.abs(p),
            lastmod: None,
        })
        .collect();
    Reply::new(200, types::XML, feeds::urlset(&urls))
}

/// `/sitemap/<yyyy>-<mm>.xml`: a month's alerts (with `lastmod`), its
/// archive page and the category and tag pages of its alerts.
pub async fn sitemap_month(env: &Env, site: &Site, y: i32, m: u32) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let prefix = keys::month_prefix(y, m);
    let mut urls = Vec::new();
    let mut taxonomy = BTreeSet::new();
    let mut cursor = None;
    loop {
        let page = store.page(&prefix, 1000, now(), cursor, None).await?;
        for e in &page.entries {
            urls.push(SitemapUrl {
                loc: site.abs(&views::alert_path(&e.slug)),
                lastmod: Some(e.modified()),
            });
            if let Some(c) = &e.meta.category {
                taxonomy.insert(format!("/category/{}", keys::name_slug(c)));
            }
            taxonomy.extend(
                e.meta
                    .tags
                    .iter()
                    .map(|t| format!("/tag/{}", keys::name_slug(t))),
            );
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    if urls.is_empty() {
        return Err(AppError::NotFound);
    }
    urls.push(SitemapUrl {
        loc: site.abs(&views::archive_path(y, m)),
        lastmod: None,
    });
    urls.extend(taxonomy.into_iter().map(|p| SitemapUrl {
        loc: site.abs(&p),
        lastmod: None,
    }));
    Ok(Reply::new(200, types::XML, feeds::urlset(&urls)))
}

/// `/api/alerts?category=&tag=&cursor=&limit=`: a listing page as JSON.
pub async fn api_alerts(
    env: &Env,
    site: &Site,
    query: &HashMap<String, String>,
) -> Result<Reply, AppError> {
    let limit = match query
        .get("limit")
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
    {
        None => 10,
        Some(l) => l
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest("`limit` must be a number (1-100).".into()))?
            .clamp(1, 100) as usize,
    };
    let cursor = cursor_param(query)?;
    let category = query
        .get("category")
        .map(|c| keys::name_slug(c))
        .filter(|c| !c.is_empty());
    let tag = query
        .get("tag")
        .map(|t| keys::name_slug(t))
        .filter(|t| !t.is_empty());
    let (prefix, filter): (String, Option<crate::listing::EntryFilter>) = match (&category, &tag) {
        (Some(c), Some(t)) => {
            let c = c.clone();
            (
                keys::tag_prefix(t),
                Some(Box::new(move |m: &ListingMeta| {
                    m.category.as_deref().map(keys::name_slug) == Some(c.clone())
                })),
            )
        }
        (Some(c), None) => (keys::category_prefix(c), None),
        (None, Some(t)) => (keys::tag_prefix(t), None),
        (None, None) => (keys::INDEX_ALL.to_string(), None),
    };
    let page = Store::new(env)
        .page(&prefix, limit, now(), cursor, filter)
        .await?;
    let ts = |t: i64| views::rfc3339(chrono::DateTime::from_timestamp(t, 0).unwrap_or_default());
    let alerts: Vec<serde_json::Value> = page
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "slug": e.slug,
                "title": e.meta.title,
                "date": ts(e.meta.date),
                "updated": e.meta.updated.map(ts),
                "category": e.meta.category,
                "tags": e.meta.tags,
                "summary": e.meta.summary,
                "url": site.abs(&views::alert_path(&e.slug)),
            })
        })
        .collect();
    Ok(Reply::json(
        200,
        &serde_json::json!({ "alerts": alerts, "next": page.next }),
    ))
}
