//! Alerts (public, preview, JSON), the fixed pages and assets, aliases of
//! old paths, and the health check.

use super::{App, AppError, Level, Platform, Query, Reply, Visibility};
use crate::content::{AlertRecord, ListingEntry};
use crate::http::{cache, types};
use crate::i18n::Lang;
use crate::keys;
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
        let Some(slug) = app.store.alias(candidate).await? else {
            continue;
        };
        // Only to a valid slug's page, and only once that alert is public:
        // the alias of an embargoed alert answers like any unknown path.
        if !keys::is_valid_slug(&slug) {
            app.log(
                Level::Warn,
                &format!("alias key={} reason=not a slug", keys::alias(candidate)),
            );
            break;
        }
        return match public_alert(app, &slug).await {
            Ok(_) => Ok(Reply::redirect(301, &routes::alert_path(&slug))),
            Err(AppError::NotFound) => break,
            Err(e) => Err(e),
        };
    }
    Err(AppError::NotFound)
}

/// Loads an alert that readers may see: drafts and scheduled alerts answer
/// exactly like unknown slugs, and so does a damaged record (whether it is
/// public cannot be read, and an embargoed alert must not be confirmed);
/// the damage is logged for the editors, and a preview shows it.
async fn public_alert<P: Platform>(
    app: &App<'_, P>,
    slug: &str,
) -> Result<std::rc::Rc<AlertRecord>, AppError> {
    match app.store.alert_kept(slug, app.now_millis()).await {
        Ok(Some(a)) if a.is_public(app.now_utc()) => Ok(a),
        Ok(_) => Err(AppError::NotFound),
        Err(e @ AppError::BrokenRecord { .. }) => {
            if let Some(line) = e.log_line() {
                app.log(Level::Error, &line);
            }
            Err(AppError::NotFound)
        }
        Err(e) => Err(e),
    }
}

/// The related list: the alert's own `related`, else the newest of its
/// category from one small listing read.
async fn related<P: Platform>(
    app: &App<'_, P>,
    a: &AlertRecord,
) -> Result<Vec<ListingEntry>, AppError> {
    if !a.related.is_empty() {
        // Checked on every request: a scheduled alert appears here by
        // itself at its date, and not a second before. (The publisher never
        // stores a draft here.)
        let now = app.now();
        return Ok(a
            .related
            .iter()
            .filter(|r| r.meta.date <= now)
            .take(RELATED)
            .cloned()
            .collect());
    }
    let Some(category) = &a.category else {
        return Ok(Vec::new());
    };
    let listing = crate::listing::Listing::Category(keys::name_slug(category));
    let page = app
        .store
        .page(super::store::PageOf::new(listing, RELATED + 1), app.now())
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
    lang: Lang,
    visibility: Visibility,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let site = app.site();
    if lang != Lang::En {
        // The record and the names, in one bulk read.
        let ahead = vec![keys::alert(slug)];
        app.store.prefetch_in(lang, ahead, app.now()).await?;
    }
    let record = match visibility {
        Visibility::Preview => app
            .store
            .alert(slug)
            .await?
            .map(std::rc::Rc::new)
            .ok_or(AppError::NotFound)?,
        Visibility::Public => public_alert(app, slug).await?,
    };
    if lang != Lang::En && record.translation(lang).is_none() {
        // A public alert not (yet) in this language: a 404 that links the
        // versions there are, never a redirect.
        let markup = views::missing_translation_page(site, &record, lang);
        return Ok(Reply::html(404, markup).cache(cache::NO_STORE));
    }
    let related = related(app, &record).await?;
    // What of the related entries the page shows, in one string.
    let mut related_key = String::new();
    for r in &related {
        use std::fmt::Write;
        let _ = writeln!(related_key, "{}:{}:{}", r.slug, r.meta.date, r.meta.title);
    }
    // Change notes show from their date on, checked on every request; a
    // preview shows them all.
    let now = match visibility {
        Visibility::Preview => chrono::DateTime::<chrono::Utc>::MAX_UTC,
        Visibility::Public => app.now_utc(),
    };
    let notes = record.changes_at(now).len().to_string();
    let names = app.store.names_in(lang, app.now()).await?;
    let etag = crate::http::etag(&[
        crate::BUILD_VERSION,
        &site.url,
        record.validator(),
        &related_key,
        &notes,
        lang.code(),
        names.value(),
    ]);
    if visibility == Visibility::Public {
        if let Some(reply) = Reply::unchanged(if_none_match.as_deref(), &etag, types::HTML) {
            return Ok(reply);
        }
    }
    let body_html = app.body_html(&record, lang);
    let markup = views::alert_page(
        site,
        &AlertPage {
            alert: &record,
            body_html: &body_html,
            related: &related,
            preview: visibility == Visibility::Preview,
            now,
            lang,
            names: &names,
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
    let max_seconds = app.settings.preview_max_days.saturating_mul(86_400);
    match crate::preview::verify(secret, slug, exp, sig, app.now(), max_seconds) {
        Ok(()) => alert(app, slug, Lang::En, Visibility::Preview, None).await,
        Err(crate::preview::PreviewError::Expired) => Err(AppError::Forbidden(
            "This preview link has expired. Ask an editor for a new one.".into(),
        )),
        Err(crate::preview::PreviewError::Invalid) => Err(AppError::Forbidden(
            "This preview link is not valid.".into(),
        )),
        Err(crate::preview::PreviewError::TooLong) => Err(AppError::Forbidden(
            "This preview link lives longer than the site allows. Ask an editor for a new one."
                .into(),
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
    let now = app.now_utc();
    let changes = a.changes_at(now);
    let notes = changes.len().to_string();
    let etag = crate::http::etag(&[
        crate::BUILD_VERSION,
        &site.url,
        a.validator(),
        "api",
        &notes,
    ]);
    if let Some(reply) = Reply::unchanged(if_none_match.as_deref(), &etag, types::JSON) {
        return Ok(reply);
    }
    let html = app.body_html(&a, Lang::En).to_string();
    let rfc = crate::dates::rfc3339;
    let body = serde_json::json!({
        "slug": a.slug,
        "title": a.title,
        "date": rfc(a.date),
        "updated": a.updated_at(now).map(rfc),
        "changes": changes
            .iter()
            .map(|c| serde_json::json!({ "date": rfc(c.date), "note": c.note }))
            .collect::<Vec<_>>(),
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

/// `/healthz`: the build, whether KV answers, whether the rate limiter is
/// on, and what of the configuration is missing or malformed (names only,
/// never values): 503 if anything is.
pub async fn healthz<P: Platform>(app: &App<'_, P>) -> Result<Reply, AppError> {
    let mut problems = app.settings.problems.clone();
    let kv = match app.store.contacts().await {
        Ok(contacts) => {
            if app.settings.problems.is_empty() {
                problems.extend(
                    contacts
                        .iter()
                        .filter(|c| !app.settings.contact_addresses.contains_key(&c.id))
                        .map(|c| {
                            format!("CONTACT_ADDRESSES has no address for contact `{}`", c.id)
                        }),
                );
            }
            "ok"
        }
        Err(e) => {
            let line = e.log_line().unwrap_or_default();
            app.log(Level::Error, &format!("healthz kv error: {line}"));
            "error"
        }
    };
    let status = if kv == "ok" && problems.is_empty() {
        200
    } else {
        503
    };
    // The senders' last 30 days, counts only: a warning, never a 503.
    let mut warnings = Vec::new();
    let mail = match super::suppress::rates(app).await {
        Ok((bulk, transactional)) => {
            for (name, r) in [("bulk", &bulk), ("transactional", &transactional)] {
                if r.complaints_past_limit() {
                    warnings.push(format!(
                        "{name} mail's complaint rate over the last {} days is past 0.3%: mailbox providers start refusing the domain's mail",
                        super::suppress::RATE_DAYS
                    ));
                }
            }
            serde_json::json!({"days": super::suppress::RATE_DAYS, "bulk": bulk.to_json(), "transactional": transactional.to_json()})
        }
        Err(_) => serde_json::Value::from("unavailable"),
    };
    // Webhook endpoints disabled for failing days in a row: a warning
    // (ids only: this page is public).
    let webhooks = match app.db().webhooks().run().await {
        Ok(endpoints) => {
            let disabled: Vec<&str> = endpoints
                .iter()
                .filter(|e| e.disabled_at.is_some())
                .map(|e| e.id.as_str())
                .collect();
            for id in &disabled {
                warnings.push(format!(
                    "webhook endpoint {id} is disabled after failing for days in a row (make webhooks, make webhook-enable)"
                ));
            }
            serde_json::json!({"endpoints": endpoints.len(), "disabled": disabled})
        }
        Err(_) => serde_json::Value::from("unavailable"),
    };
    // Said whatever the status: a limiter switched off is allowed only in
    // a diagnostics build, and should never go unnoticed there either.
    let rate_limit = if app.settings.rate_limit_disabled {
        "disabled"
    } else {
        "on"
    };
    let body = serde_json::json!({
        "version": crate::BUILD_VERSION,
        "kv": kv,
        "rate_limit": rate_limit,
        "problems": problems,
        "mail": mail,
        "webhooks": webhooks,
        "warnings": warnings,
    });
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
