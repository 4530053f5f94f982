//! Every route of the site (`Route`, and the `diagnostics` build's `Diag`),
//! what each is (switched on, shared-cacheable), and the one place paths are
//! made: `Route::path` and the `*_path` helpers, the inverse of the table.

use super::Switches;
use std::borrow::Cow;

/// Every page and endpoint of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route<'a> {
    Home,
    Alert(&'a str),
    /// `/<lang>/alerts/<slug>`: an alert's translation (never English).
    AlertIn(crate::i18n::Lang, &'a str),
    /// `/<lang>/`, `/<lang>/category/<c>`, `/<lang>/tag/<t>`,
    /// `/<lang>/archive/<yyyy>/<mm>`: a listing in a language (never
    /// English), its translations and the other alerts in English.
    HomeIn(crate::i18n::Lang),
    CategoryIn(crate::i18n::Lang, Cow<'a, str>),
    TagIn(crate::i18n::Lang, Cow<'a, str>),
    ArchiveIn(crate::i18n::Lang, i32, u32),
    /// `/<lang>/feed.xml`, `/<lang>/feed.json`: a language's translations.
    FeedIn(crate::i18n::Lang),
    JsonFeedIn(crate::i18n::Lang),
    /// `/<lang>/search?q=`: a language's translations searched with its
    /// analyzer.
    SearchIn(crate::i18n::Lang),
    ApiAlert(&'a str),
    Preview(&'a str),
    /// A category by its name's slug (decoded: `türkiye`).
    Category(Cow<'a, str>),
    CategoryFeed(Cow<'a, str>),
    /// A tag by its name's slug (decoded).
    Tag(Cow<'a, str>),
    /// `/archive/<yyyy>/<mm>`
    Archive(i32, u32),
    /// `/feed.xml`
    Feed,
    /// `/feed.json`
    JsonFeed,
    /// `/sitemap.xml`: the index of the parts below.
    Sitemap,
    /// `/sitemap/pages.xml`: pages that are not alerts.
    SitemapPages,
    /// `/sitemap/<yyyy>-<mm>.xml`: one month's alerts and pages.
    SitemapMonth(i32, u32),
    /// `/api/alerts`
    ApiAlerts,
    /// `/search?q=`: results as a page.
    Search,
    /// `/api/search?q=`: results as JSON.
    ApiSearch,
    /// `/opensearch.xml`
    OpenSearch,
    /// `/contact` (`/<lang>/contact`): the contact form (GET) and its
    /// submission (POST), in a language, English without a prefix.
    Contact(crate::i18n::Lang),
    /// `/contact/thanks`: the message was received.
    ContactThanks(crate::i18n::Lang),
    /// `/privacy`: the privacy notice.
    Privacy(crate::i18n::Lang),
    Healthz,
    Stylesheet(&'a str),
    Robots,
    Favicon,
    /// `/subscribe` (`/<lang>/subscribe`): the subscribe form (GET) and
    /// its submission (POST), in a language. Each subscriber page is in
    /// every language, English without a prefix; mail links to them in
    /// the subscriber's.
    Subscribe(crate::i18n::Lang),
    /// `/subscribe/check`: "check your inbox".
    SubscribeCheck(crate::i18n::Lang),
    /// `/subscribe/confirm?t=`: the confirm button (GET) and confirming (POST).
    SubscribeConfirm(crate::i18n::Lang),
    /// `/subscription?t=`: a subscriber's topics, frequency and language.
    Subscription(crate::i18n::Lang),
    /// `/unsubscribe?t=`: the button (GET) and the erasure (POST, RFC 8058).
    Unsubscribe(crate::i18n::Lang),
    /// `/hooks/ses`: SES's bounces and complaints through SNS (POST).
    HookSes,
    /// Operator: alert mail that failed every retry (bearer token).
    DeadMail,
    /// Operator: re-send one dead mail batch (bearer token).
    ResendMail(&'a str),
    /// Operator: an alert's email to one address, as a test (bearer token).
    TestEmail,
    /// Operator: webhook endpoints and their dead deliveries (GET), a new
    /// endpoint (POST) (bearer token).
    Webhooks,
    /// Operator: remove one webhook endpoint (bearer token).
    RemoveWebhook(&'a str),
    /// Operator: enable a disabled webhook endpoint again (bearer token).
    EnableWebhook(&'a str),
    /// Operator: list dead-lettered inquiries (bearer token).
    DeadInquiries,
    /// Operator: one dead-lettered inquiry in full (bearer token).
    DeadInquiry(&'a str),
    /// Operator: re-send one dead-lettered inquiry (bearer token).
    ResendInquiry(&'a str),
    /// Test and bench routes (a build with the `diagnostics` feature only).
    #[cfg(feature = "diagnostics")]
    Diag(Diag<'a>),
}

/// Routes for the integration tests and `make bench`, compiled only with
/// the `diagnostics` feature (never in the deployed build).
#[cfg(feature = "diagnostics")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diag<'a> {
    /// Test environment only: panics inside a request, after an await.
    TestPanic,
    /// Test environment only: panics before any I/O.
    TestPanicNow,
    /// Test environment only: panics after awaiting a KV `list()` through
    /// the SDK's own future (wasm-bindgen-futures' `JsFuture`).
    TestPanicAfterList,
    /// Test environment only: allocates until the wasm runs out of memory.
    TestOutOfMemory,
    /// Test environment only: puts a raw inquiry on the queue.
    TestEnqueue,
    /// Bench environment only: a fixed response (the per-request floor).
    BenchFloor,
    /// Bench environment only: renders a built-in 10 KB alert.
    BenchRender,
    /// Bench environment only: the size of the wasm linear memory.
    BenchMemory,
    /// Bench environment only: reads one alert's record from KV and answers
    /// a fixed response (the cost of the KV read alone).
    BenchKv(&'a str),
    /// Bench environment only: answers `?path=` `n` times in one request,
    /// KV read once and then from memory: the route's own work.
    BenchOwn,
}

impl Route<'_> {
    /// Whether the route exists with these switches: a switched-off test or
    /// bench route is unknown for every method (not a 405 that would show it).
    pub(super) fn is_on(&self, on: Switches) -> bool {
        let _ = on;
        match self {
            #[cfg(feature = "diagnostics")]
            Route::Diag(
                Diag::TestPanic
                | Diag::TestPanicNow
                | Diag::TestPanicAfterList
                | Diag::TestOutOfMemory
                | Diag::TestEnqueue,
            ) => on.test,
            #[cfg(feature = "diagnostics")]
            Route::Diag(_) => on.bench,
            _ => true,
        }
    }

    /// Whether every reader gets the same answer for this URL and the answer
    /// changes only through KV (listings, feeds, sitemaps): what the Cache
    /// API may keep, for as long as the isolate's cache would.
    pub fn shared_cache(&self) -> bool {
        matches!(
            self,
            Route::Home
                | Route::Category(_)
                | Route::Tag(_)
                | Route::Archive(..)
                | Route::Feed
                | Route::JsonFeed
                | Route::HomeIn(_)
                | Route::CategoryIn(..)
                | Route::TagIn(..)
                | Route::ArchiveIn(..)
                | Route::FeedIn(_)
                | Route::JsonFeedIn(_)
                | Route::CategoryFeed(_)
                | Route::Sitemap
                | Route::SitemapPages
                | Route::SitemapMonth(..)
                | Route::ApiAlerts
        )
    }

    /// The route's path: the one place links and redirects are made, the
    /// inverse of `resolve` (a test checks the round trip).
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Alert(slug) => format!("/alerts/{slug}"),
            Route::AlertIn(lang, slug) => format!("/{}/alerts/{slug}", lang.code()),
            Route::HomeIn(lang) => format!("/{}/", lang.code()),
            Route::CategoryIn(lang, c) => format!("/{}/category/{}", lang.code(), encode(c)),
            Route::TagIn(lang, t) => format!("/{}/tag/{}", lang.code(), encode(t)),
            Route::ArchiveIn(lang, y, m) => format!("/{}/archive/{y:04}/{m:02}", lang.code()),
            Route::FeedIn(lang) => format!("/{}/feed.xml", lang.code()),
            Route::JsonFeedIn(lang) => format!("/{}/feed.json", lang.code()),
            Route::SearchIn(lang) => format!("/{}/search", lang.code()),
            Route::ApiAlert(slug) => format!("/api/alerts/{slug}"),
            Route::Preview(slug) => format!("/preview/{slug}"),
            Route::Category(c) => format!("/category/{}", encode(c)),
            Route::CategoryFeed(c) => format!("/category/{}/feed.xml", encode(c)),
            Route::Tag(t) => format!("/tag/{}", encode(t)),
            Route::Archive(y, m) => format!("/archive/{y:04}/{m:02}"),
            Route::Feed => "/feed.xml".into(),
            Route::JsonFeed => "/feed.json".into(),
            Route::Sitemap => "/sitemap.xml".into(),
            Route::SitemapPages => "/sitemap/pages.xml".into(),
            Route::SitemapMonth(y, m) => format!("/sitemap/{y:04}-{m:02}.xml"),
            Route::ApiAlerts => "/api/alerts".into(),
            Route::Search => "/search".into(),
            Route::ApiSearch => "/api/search".into(),
            Route::OpenSearch => "/opensearch.xml".into(),
            Route::Contact(lang) => format!("{}/contact", prefix(*lang)),
            Route::ContactThanks(lang) => format!("{}/contact/thanks", prefix(*lang)),
            Route::Privacy(lang) => format!("{}/privacy", prefix(*lang)),
            Route::Healthz => "/healthz".into(),
            Route::Stylesheet(file) => format!("/assets/{file}"),
            Route::Robots => "/robots.txt".into(),
            Route::Favicon => "/favicon.svg".into(),
            Route::Subscribe(lang) => format!("{}/subscribe", prefix(*lang)),
            Route::SubscribeCheck(lang) => format!("{}/subscribe/check", prefix(*lang)),
            Route::SubscribeConfirm(lang) => format!("{}/subscribe/confirm", prefix(*lang)),
            Route::Subscription(lang) => format!("{}/subscription", prefix(*lang)),
            Route::Unsubscribe(lang) => format!("{}/unsubscribe", prefix(*lang)),
            Route::HookSes => "/hooks/ses".into(),
            Route::DeadMail => "/operator/mail".into(),
            Route::TestEmail => "/operator/test-email".into(),
            Route::ResendMail(id) => format!("/operator/mail/{id}/resend"),
            Route::Webhooks => "/operator/webhooks".into(),
            Route::RemoveWebhook(id) => format!("/operator/webhooks/{id}/remove"),
            Route::EnableWebhook(id) => format!("/operator/webhooks/{id}/enable"),
            Route::DeadInquiries => "/operator/inquiries".into(),
            Route::DeadInquiry(id) => format!("/operator/inquiries/{id}"),
            Route::ResendInquiry(id) => format!("/operator/inquiries/{id}/resend"),
            #[cfg(feature = "diagnostics")]
            Route::Diag(d) => match d {
                Diag::TestPanic => "/__test/panic".into(),
                Diag::TestPanicNow => "/__test/panic-now".into(),
                Diag::TestPanicAfterList => "/__test/panic-after-list".into(),
                Diag::TestOutOfMemory => "/__test/out-of-memory".into(),
                Diag::TestEnqueue => "/__test/enqueue".into(),
                Diag::BenchFloor => "/__bench/floor".into(),
                Diag::BenchRender => "/__bench/render".into(),
                Diag::BenchMemory => "/__bench/memory".into(),
                Diag::BenchKv(slug) => format!("/__bench/kv/{slug}"),
                Diag::BenchOwn => "/__bench/own".into(),
            },
        }
    }
}

impl<'a> Route<'a> {
    /// This page's versions in `langs`, each with its path (`in_lang`): a
    /// listing's in every language, an alert's in those it is read in.
    pub fn versions(&self, langs: &[crate::i18n::Lang]) -> Vec<(crate::i18n::Lang, String)> {
        langs
            .iter()
            .map(|l| (*l, self.clone().in_lang(*l).path()))
            .collect()
    }

    /// This page in `lang`: a page that has a version per language (an
    /// alert, a listing, a feed) as that version; English, and every other
    /// page, as it is.
    pub fn in_lang(self, lang: crate::i18n::Lang) -> Route<'a> {
        match self {
            // The pages of forms carry their language, English's too.
            Route::Contact(_) => Route::Contact(lang),
            Route::ContactThanks(_) => Route::ContactThanks(lang),
            Route::Privacy(_) => Route::Privacy(lang),
            Route::Subscribe(_) => Route::Subscribe(lang),
            Route::SubscribeCheck(_) => Route::SubscribeCheck(lang),
            Route::SubscribeConfirm(_) => Route::SubscribeConfirm(lang),
            Route::Subscription(_) => Route::Subscription(lang),
            Route::Unsubscribe(_) => Route::Unsubscribe(lang),
            other if lang == crate::i18n::Lang::En => other,
            Route::Home => Route::HomeIn(lang),
            Route::Alert(s) => Route::AlertIn(lang, s),
            Route::Category(c) => Route::CategoryIn(lang, c),
            Route::Tag(t) => Route::TagIn(lang, t),
            Route::Archive(y, m) => Route::ArchiveIn(lang, y, m),
            Route::Feed => Route::FeedIn(lang),
            Route::JsonFeed => Route::JsonFeedIn(lang),
            Route::Search => Route::SearchIn(lang),
            other => other,
        }
    }
}

/// A language's path prefix: none for English, `/<code>` for the others.
fn prefix(lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::En => String::new(),
        l => format!("/{}", l.code()),
    }
}

/// The path of an alert's page.
pub fn alert_path(slug: &str) -> String {
    Route::Alert(slug).path()
}

/// The path of an alert's page in `lang` (English: `alert_path`).
pub fn alert_path_in(lang: crate::i18n::Lang, slug: &str) -> String {
    Route::Alert(slug).in_lang(lang).path()
}

/// The path of a category's page, from its name as editors write it.
pub fn category_path(name: &str) -> String {
    category_path_in(crate::i18n::Lang::En, name)
}

/// The path of a category's page in `lang`.
pub fn category_path_in(lang: crate::i18n::Lang, name: &str) -> String {
    Route::Category(crate::keys::name_slug(name).into())
        .in_lang(lang)
        .path()
}

/// The path of a tag's page, from its name as editors write it.
pub fn tag_path(name: &str) -> String {
    tag_path_in(crate::i18n::Lang::En, name)
}

/// The path of a tag's page in `lang`.
pub fn tag_path_in(lang: crate::i18n::Lang, name: &str) -> String {
    Route::Tag(crate::keys::name_slug(name).into())
        .in_lang(lang)
        .path()
}

/// A name slug as a path segment: ASCII letters, digits and hyphens as
/// they are, anything else percent-encoded (UTF-8).
fn encode(slug: &str) -> Cow<'_, str> {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-');
    percent_encoding::utf8_percent_encode(slug, KEEP).into()
}

#[cfg(test)]
mod tests {
    use super::super::table::SAMPLES;
    use super::super::{resolve, Method, Resolved};
    use super::*;

    #[test]
    fn every_route_renders_the_path_it_resolves_from() {
        for route in SAMPLES {
            let path = route.path();
            let method = if matches!(
                route,
                Route::ResendInquiry(_)
                    | Route::ResendMail(_)
                    | Route::HookSes
                    | Route::TestEmail
                    | Route::RemoveWebhook(_)
                    | Route::EnableWebhook(_)
            ) {
                Method::Post
            } else {
                Method::Get
            };
            assert_eq!(
                resolve(method, &path, Switches::ALL),
                Resolved::Found(route.clone()),
                "{path}"
            );
        }
        assert_eq!(category_path("UN OEWG"), "/category/un-oewg");
        assert_eq!(tag_path("Cybersecurity"), "/tag/cybersecurity");
        assert_eq!(tag_path("Türkiye"), "/tag/t%C3%BCrkiye");
        assert_eq!(
            resolve(Method::Get, "/tag/t%C3%BCrkiye", Switches::ALL),
            Resolved::Found(Route::Tag("türkiye".into()))
        );
        assert_eq!(
            resolve(Method::Get, "/tag/türkiye", Switches::ALL),
            Resolved::Found(Route::Tag("türkiye".into())),
            "as sent raw"
        );
        let long = format!("/tag/{}", "a".repeat(crate::keys::MAX_NAME_BYTES + 1));
        for other in [
            "/tag/T%C3%BCrkiye",
            "/tag/t%FF",
            "/tag/%2D",
            "/tag/a%20b",
            &long,
        ] {
            assert_eq!(
                resolve(Method::Get, other, Switches::ALL),
                Resolved::NotFound,
                "{other}"
            );
        }
    }
}
