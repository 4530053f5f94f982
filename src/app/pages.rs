//! Alerts (public, preview, JSON), the fixed pages and assets, aliases of
//! old paths, and the health check.

use super::store::From;
use super::{App, AppError, Level, Platform, Query, Reply, Visibility};
use crate::content::{AlertRecord, ListingEntry};
use crate::http::{cache, types};
use crate::keys;
use crate::markdown;
use crate::routes::{self, Route};
use crate::views::{self, AlertPage, Site};

/// Related articles under an alert.
const RELATED: usize = 4;

/// Unknown paths: an alias redirects (301) to its alert, else 404.
pub async fn not_found<P: Platform>(app: &App<'_, P>, path: &str) -> Result<Reply, AppError> {
    let trimmed = path.trim_end_matches('/');
    // Once, or twice when a trailing slash was given.
    let candidates = std::iter::once(path).chain((trimmed != path).then_some(trimmed));
    for candidate in candidates {
        if candidate.is_empty() || candidate.len() > keys::MAX_KEY_BYTES - 10 {
            continue;
        }
        if let Some(slug) = app.store.alias(candidate).await? {
            return Ok(Reply::redirect(301, &routes::alert_path(&slug)));
        }
    }
    Err(AppError::NotFound)
}

/// Loads an alert that readers may see: drafts and scheduled alerts answer
/// exactly like unknown slugs.
async fn public_alert<P: Platform>(app: &App<'_, P>, slug: &str) -> Result<AlertRecord, AppError> {
    match app.store.alert(slug).await? {
        Some(a) if a.is_public(app.now_utc()) => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

/// The related list: the alert's own `related`, else the newest of its
/// category from one small listing read.
async fn related<P: Platform>(
    app: &App<'_, P>,
    a: &AlertRecord,
) -> Result<Vec<ListingEntry>, AppError> {
    if !a.related.is_empty() {
        return Ok(a.related.iter().take(RELATED).cloned().collect());
    }
    let Some(category) = &a.category else {
        return Ok(Vec::new());
    };
    let prefix = keys::category_prefix(&keys::name_slug(category));
    let page = app
        .store
        .page(&prefix, RELATED + 1, app.now(), From::Start, None)
        .await?;
    Ok(page
        .entries
        .into_iter()
        .filter(|e| e.slug != a.slug)
        .take(RELATED)
        .collect())
}

/// `/alerts/<slug>` (public) and the page behind a preview link.
pub async fn alert<P: Platform>(
    app: &App<'_, P>,
    slug: &str,
    visibility: Visibility,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let site = app.site();
    let record = match visibility {
        Visibility::Preview => app.store.alert(slug).await?.ok_or(AppError::NotFound)?,
        Visibility::Public => public_alert(app, slug).await?,
    };
    let related = related(app, &record).await?;
    // What of the related entries the page shows, in one string.
    let mut related_key = String::new();
    for r in &related {
        use std::fmt::Write;
        let _ = writeln!(related_key, "{}:{}:{}", r.slug, r.meta.date, r.meta.title);
    }
    let etag = crate::http::etag(&[crate::BUILD_VERSION, &site.url, &record.hash, &related_key]);
    if visibility == Visibility::Public {
        if let Some(reply) = Reply::unchanged(if_none_match.as_deref(), &etag, types::HTML) {
            return Ok(reply);
        }
    }
    let rendered = markdown::render(&record.body);
    let markup = views::alert_page(
        site,
        &AlertPage {
            alert: &record,
            body_html: &rendered.html,
            related: &related,
            preview: visibility == Visibility::Preview,
        },
    );
    let reply = Reply::html(200, markup);
    Ok(match visibility {
        Visibility::Preview => reply
            .cache(cache::NO_STORE)
            .header("X-Robots-Tag", "noindex, nofollow"),
        Visibility::Public => reply.etag(etag),
    })
}

/// `/preview/<slug>?exp=&sig=`: a draft or scheduled alert for holders of a
/// signed, unexpired link.
pub async fn preview<P: Platform>(
    app: &App<'_, P>,
    slug: &str,
    query: &Query,
) -> Result<Reply, AppError> {
    let Some(secret) = &app.settings.preview_secret else {
        return Err(AppError::NotFound);
    };
    let exp = query.get("exp").map(String::as_str).unwrap_or("");
    let sig = query.get("sig").map(String::as_str).unwrap_or("");
    match crate::preview::verify(secret, slug, exp, sig, app.now()) {
        Ok(()) => alert(app, slug, Visibility::Preview, None).await,
        Err(crate::preview::PreviewError::Expired) => Err(AppError::Forbidden(
            "This preview link has expired. Ask an editor for a new one.".into(),
        )),
        Err(crate::preview::PreviewError::Invalid) => Err(AppError::Forbidden(
            "This preview link is not valid.".into(),
        )),
    }
}

/// `/api/alerts/<slug>`: the alert as JSON.
pub async fn api_alert<P: Platform>(
    app: &App<'_, P>,
    slug: &str,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let site = app.site();
    let a = public_alert(app, slug).await?;
    let etag = crate::http::etag(&[crate::BUILD_VERSION, &site.url, &a.hash, "api"]);
    if let Some(reply) = Reply::unchanged(if_none_match.as_deref(), &etag, types::JSON) {
        return Ok(reply);
    }
    let html = markdown::render(&a.body).html;
    let rfc = crate::dates::rfc3339;
    let body = serde_json::json!({
        "slug": a.slug,
        "title": a.title,
        "date": rfc(a.date),
        "updated": a.updated.map(rfc),
        "category": a.category,
        "tags": a.tags,
        "summary": a.summary,
        "contacts": a.contacts,
        "contact_note": a.contact_note,
        "image": a.image,
        "image_alt": a.image_alt,
        "html": html,
        "url": site.abs(&routes::alert_path(&a.slug)),
    });
    Ok(Reply::json(200, &body).etag(etag))
}

/// `/healthz`: the build and whether KV answers.
pub async fn healthz<P: Platform>(app: &App<'_, P>) -> Result<Reply, AppError> {
    let kv = match app.store.get_bytes(keys::CONTACTS_KEY).await {
        Ok(_) => "ok",
        Err(e) => {
            app.log(
                Level::Error,
                &format!("healthz kv error: {}", e.log_line().unwrap_or_default()),
            );
            "error"
        }
    };
    let status = if kv == "ok" { 200 } else { 503 };
    let body = serde_json::json!({ "version": crate::BUILD_VERSION, "kv": kv });
    Ok(Reply::json(status, &body).cache(cache::NO_STORE))
}

pub fn robots(site: &Site) -> Reply {
    Reply::new(
        200,
        types::TEXT,
        format!(
            "User-agent: *\nDisallow: /preview/\nDisallow: /operator/\n\nSitemap: {}\n",
            site.abs(&Route::Sitemap.path())
        ),
    )
}

pub fn favicon() -> Reply {
    Reply::new(200, types::SVG, views::assets::FAVICON).cache(cache::DAY)
}

/// `/assets/<file>`: the stylesheet under its fingerprinted name only.
pub fn stylesheet(file: &str) -> Result<Reply, AppError> {
    if file == views::assets::stylesheet_file() {
        Ok(Reply::new(200, types::CSS, views::assets::STYLESHEET).cache(cache::IMMUTABLE))
    } else {
        Err(AppError::NotFound)
    }
}
