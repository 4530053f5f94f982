//! Listing pages: home, categories, tags, month archives (with their
//! neighbouring months), in English and in each language (the same
//! listing, its entries' translations shown), and the listing API. Each is one `Store::page`
//! (the listing's index and its chunks: KV reads, no `list()`), plus the
//! archive's months.

use super::params::{name_param, position_param};
use super::store::{Page, PageOf};
use super::{App, AppError, Platform, Query, Reply};
use crate::content::ListingMeta;
use crate::dates::{self, YearMonth};
use crate::i18n::{fill, month_in, Kind, Lang, Names};
use crate::keys;
use crate::listing::{EntryFilter, Listing};
use crate::routes::{self, Route};
use crate::views::{self, ListingPage, MonthLinks};

/// Alerts on a listing page.
const PAGE_SIZE: usize = 10;

/// What a listing page shows, besides its entries.
struct Spec {
    listing: Listing,
    /// A month's archive: only that month.
    month: Option<String>,
    /// Its chunk's hash, from the months (`PageOf::chunk`).
    chunk: Option<String>,
    heading: String,
    intro: Option<String>,
    /// The page in English (`/category/x`); it is shown in `lang`.
    route: Route<'static>,
    lang: Lang,
    feed: Option<(String, String)>,
    months: Option<MonthLinks>,
    /// Whether an empty first page is a 404 (an unknown category, tag or month).
    empty_is_unknown: bool,
    /// The category's or tag's name in the heading when it is English on a
    /// page in another language (marked `lang="en"` there).
    english_name: Option<String>,
}

impl Spec {
    fn new(listing: Listing, route: Route<'static>, lang: Lang) -> Self {
        Spec {
            listing,
            month: None,
            chunk: None,
            heading: String::new(),
            intro: None,
            route,
            lang,
            feed: None,
            months: None,
            english_name: None,
            empty_is_unknown: true,
        }
    }

    fn path(&self) -> String {
        self.route.clone().in_lang(self.lang).path()
    }
}

/// `/`, `/<lang>/`: the latest alerts.
pub async fn home<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    query: &Query,
) -> Result<Reply, AppError> {
    let spec = Spec {
        heading: lang.strings().latest.into(),
        empty_is_unknown: false,
        ..Spec::new(Listing::All, Route::Home, lang)
    };
    let (page, paged) = read(app, &spec, query).await?;
    let names = app.store.names_in(lang, app.now()).await?;
    Ok(render(app, spec, &page, paged, &names))
}

/// One page of a listing; an empty page is a 404 past the first page or
/// for an unknown name.
async fn read<P: Platform>(
    app: &App<'_, P>,
    spec: &Spec,
    query: &Query,
) -> Result<(Page, bool), AppError> {
    let after = position_param(query)?;
    let paged = after.is_some();
    let mut of = PageOf::new(spec.listing.clone(), PAGE_SIZE)
        .after(after)
        .chunk(spec.chunk.clone());
    if let Some(m) = &spec.month {
        of = of.month(m.clone());
    }
    if spec.lang != Lang::En && spec.month.is_none() {
        // The listing's index and the names, in one bulk read.
        let ahead = vec![spec.listing.index_key()];
        app.store.prefetch_in(spec.lang, ahead, app.now()).await?;
    }
    let page = app.store.page(of, app.now()).await?;
    if page.entries.is_empty() && (paged || spec.empty_is_unknown) {
        return Err(AppError::NotFound);
    }
    Ok((page, paged))
}

fn render<P: Platform>(
    app: &App<'_, P>,
    spec: Spec,
    page: &Page,
    paged: bool,
    names: &Names,
) -> Reply {
    let path = spec.path();
    let older = page.next.as_ref().map(|c| {
        let q = serde_urlencoded::to_string([("cursor", c)]).unwrap_or_default();
        format!("{path}?{q}")
    });
    let alternates = spec.route.versions(&Lang::ALL);
    let markup = views::listing_page(
        app.site(),
        &ListingPage {
            heading: &spec.heading,
            intro: spec.intro.as_deref(),
            path: &path,
            entries: &page.entries,
            older,
            paged,
            feed: spec.feed,
            months: spec.months,
            lang: spec.lang,
            alternates,
            names,
            english_name: spec.english_name.as_deref(),
        },
    );
    Reply::html(200, markup)
}

/// A category or tag page (one listing read: the display name comes from
/// its first entry); an unknown name is a 404.
pub async fn taxonomy<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    kind: Kind,
    name: &str,
    query: &Query,
) -> Result<Reply, AppError> {
    let owned = std::borrow::Cow::Owned(name.to_string());
    let mut spec = match kind {
        Kind::Category => Spec::new(Listing::Category(name.into()), Route::Category(owned), lang),
        Kind::Tag => Spec::new(Listing::Tag(name.into()), Route::Tag(owned), lang),
    };
    let (page, paged) = read(app, &spec, query).await?;
    let first = page.entries.first().ok_or(AppError::NotFound)?;
    let display = match kind {
        Kind::Category => first.meta.category.clone(),
        Kind::Tag => first
            .meta
            .tags
            .iter()
            .find(|t| keys::name_slug(t) == name)
            .cloned(),
    }
    .unwrap_or_else(|| name.to_string());
    let names = app.store.names_in(lang, app.now()).await?;
    let shown = names.shown(kind, lang, &display);
    // A name without a translation is marked English in the heading.
    spec.english_name = shown.lang.map(|_| display.clone());
    let display = shown.text.to_string();
    let t = lang.strings();
    let heading = match kind {
        Kind::Category => t.category_heading,
        Kind::Tag => t.tag_heading,
    };
    spec.heading = fill(heading, &display);
    spec.intro = Some(fill(t.filed_under, &display));
    // A category's feed is in English (the languages have one feed each).
    if kind == Kind::Category && lang == Lang::En {
        spec.feed = Some((
            format!("{} ({display})", app.site().name),
            Route::CategoryFeed(name.into()).path(),
        ));
    }
    Ok(render(app, spec, &page, paged, &names))
}

/// `/archive/<yyyy>/<mm>`: one month, with links to the neighbouring months
/// that have alerts. A month without public alerts is a 404.
pub async fn archive<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    y: i32,
    m: u32,
    query: &Query,
) -> Result<Reply, AppError> {
    let month = YearMonth { year: y, month: m };
    // The months (`site:months`, and the names for a page in another
    // language, in one read), then the month's chunk, which the months
    // name (the listing's index too, for months written before they did).
    let ahead = vec![crate::months::KEY.to_string()];
    app.store.prefetch_in(lang, ahead, app.now()).await?;
    let months = app.store.months(app.now()).await?;
    if !months.is_public(month, app.now()) {
        return Err(AppError::NotFound);
    }
    let (newer, older) = months.neighbours(month, app.now());
    let name = month_in(lang, y, m);
    let t = lang.strings();
    let spec = Spec {
        month: Some(format!("{y:04}-{m:02}")),
        heading: fill(t.month_heading, &name),
        intro: Some(fill(t.month_intro, &name)),
        months: Some(MonthLinks { newer, older }),
        chunk: months.chunk(month).map(str::to_string),
        ..Spec::new(Listing::All, Route::Archive(y, m), lang)
    };
    let (page, paged) = read(app, &spec, query).await?;
    let names = app.store.names_in(lang, app.now()).await?;
    Ok(render(app, spec, &page, paged, &names))
}

/// `/api/alerts?category=&tag=&cursor=&limit=`: a listing page as JSON.
pub async fn api<P: Platform>(app: &App<'_, P>, query: &Query) -> Result<Reply, AppError> {
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
    let after = position_param(query)?;
    let category = name_param(query, "category")?;
    let tag = name_param(query, "tag")?;
    let (listing, filter): (Listing, Option<EntryFilter>) = match (category, tag) {
        (Some(c), Some(t)) => (
            Listing::Tag(t),
            Some(Box::new(move |m: &ListingMeta| {
                m.category.as_deref().map(keys::name_slug).as_deref() == Some(c.as_str())
            })),
        ),
        (Some(c), None) => (Listing::Category(c), None),
        (None, Some(t)) => (Listing::Tag(t), None),
        (None, None) => (Listing::All, None),
    };
    let of = PageOf::new(listing, limit).after(after).filter(filter);
    let page = app.store.page(of, app.now()).await?;
    let site = app.site();
    let ts = |t: i64| dates::rfc3339(chrono::DateTime::from_timestamp(t, 0).unwrap_or_default());
    let alerts: Vec<serde_json::Value> = page
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "slug": e.slug,
                "title": e.meta.title,
                "date": ts(e.meta.date),
                "updated": e.updated_at(app.now()).map(ts),
                "category": e.meta.category,
                "tags": e.meta.tags,
                "summary": e.meta.summary,
                "url": site.abs(&routes::alert_path(&e.slug)),
            })
        })
        .collect();
    Ok(Reply::json(
        200,
        &serde_json::json!({ "alerts": alerts, "next": page.next }),
    ))
}
