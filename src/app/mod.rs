//! The request pipeline: a request comes in through the `Incoming` port,
//! is resolved once against the routing table (`crate::routes`), dispatched
//! by one exhaustive match to a handler, and finished into a `Response` with
//! every header the site promises. Handlers reach the outside only through
//! `ports::Platform` (KV, the two queues, the mailers, D1, the rate limiter,
//! outbound HTTP, the clock), so all of this is plain Rust: the Worker runs
//! it over its bindings (`crate::edge`), the tests run it in-process over
//! memory (`tests/app/`).
//!
//! Handlers by responsibility:
//! - readers: `pages` (alerts, previews, the API's alert, fixed pages,
//!   aliases, health), `listings` (home, categories, tags, month archives,
//!   the listing API), `discovery` (feeds, sitemaps), `search`;
//! - visitors' forms: `contact` (the contact form) and `subscribe` (email
//!   alerts: subscribe, confirm, change, unsubscribe), sharing `forms`;
//! - queues and crons: `inbox` (the inquiries queue and its dead letters),
//!   `mailing` (the crons, the alert-mail queue's fan-out and sends, dead
//!   mail), their messages typed in `messages`;
//! - the operator: `operator` (the bearer token), the dead-letter endpoints
//!   in `inbox` and `mailing::dead`, the webhook endpoints in
//!   `mailing::endpoints`.
//!
//! Beside them: `store` (KV, typed), `db` (D1, typed), `cache` (the
//! isolate's), `reply` (every response), `params` (shared query
//! parameters), `settings`, `error`.

pub mod cache;
mod contact;
pub mod db;
#[cfg(feature = "diagnostics")]
mod diag;
mod discovery;
pub mod error;
mod forms;
mod hooks;
mod inbox;
mod listings;
mod mailing;
pub mod messages;
mod operator;
mod pages;
mod params;
pub mod ports;
pub mod reply;
mod search;
pub mod settings;
pub mod store;
mod subscribe;
mod subscriber;
pub mod suppress;

pub use error::AppError;
pub use mailing::{DIGEST_CRON, PAGE as MAILING_PAGE, PER_MESSAGE};
pub use messages::{MailMessage, Outcome, QueueKind};
pub use ports::{Incoming, Level, Platform};
pub use reply::{Reply, Response};
pub use settings::Settings;

use crate::i18n::Lang;
use crate::routes::{self, Method, Resolved, Route};
use crate::views::{self, Site};
use std::cell::OnceCell;
use std::collections::HashMap;
use store::Store;

/// The query string's decoded parameters.
pub type Query = HashMap<String, String>;

/// The app for one request or one queue batch: the platform's ports, the
/// settings, and the request's own KV store (with its count of operations).
pub struct App<'a, P: Platform> {
    pub platform: &'a P,
    pub settings: &'a Settings,
    pub store: Store<'a, P>,
    /// The isolate's cache (the platform's; the bench may give its own).
    pub cache: &'a cache::Cache,
    /// The clock, read once: every check of one request (an alert public,
    /// its related entries, a listing) is made at the same instant, and the
    /// runtime is asked once.
    now_millis: std::cell::OnceCell<i64>,
}

/// Whether an alert is shown as readers see it or as an editor previews it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Only if public now: drafts and scheduled alerts answer as unknown.
    Public,
    /// Whatever its state (a valid preview link), never cached or indexed.
    Preview,
}

impl<'a, P: Platform> App<'a, P> {
    pub fn new(platform: &'a P, settings: &'a Settings) -> Self {
        App::with_cache(platform, settings, platform.cache())
    }

    /// The same with a cache of the caller's (the bench's own-work route).
    pub fn with_cache(platform: &'a P, settings: &'a Settings, cache: &'a cache::Cache) -> Self {
        App {
            platform,
            settings,
            store: Store::new(platform, cache, settings.cache_ttl_seconds * 1000)
                .with_settle(settings.kv_settle_seconds * 1000),
            cache,
            now_millis: std::cell::OnceCell::new(),
        }
    }

    pub fn site(&self) -> &Site {
        &self.settings.site
    }

    /// The current time in unix milliseconds (read once per `App`).
    pub fn now_millis(&self) -> i64 {
        *self.now_millis.get_or_init(|| self.platform.now_millis())
    }

    /// The current time in unix seconds.
    pub fn now(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// The current time, to the second.
    pub fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(self.now(), 0).unwrap_or_default()
    }

    /// An alert's body as HTML, from the isolate's cache when this version
    /// of it (its content hash) was rendered before.
    pub fn body_html(
        &self,
        record: &crate::content::AlertRecord,
        lang: crate::i18n::Lang,
    ) -> std::rc::Rc<str> {
        use cache::Cached;
        // (The body's text is read only to render it: a translation's is
        // checked as UTF-8 then, not when the HTML is in the cache.)
        let render =
            || std::rc::Rc::<str>::from(crate::markdown::render(&record.body_in(lang)).html);
        if record.validator().is_empty() {
            return render();
        }
        let key = format!("body\u{0}{}\u{0}{}", record.validator(), lang.code());
        let cache = self.cache;
        if let Some(Cached::Text(html)) = cache.get(&key, self.now_millis()) {
            return html;
        }
        let html = render();
        cache.put(&key, Cached::Text(html.clone()), html.len(), None);
        html
    }

    /// The subscribers' database (D1), its statements typed.
    pub fn db(&self) -> db::Db<'a, P> {
        db::Db::new(self.platform)
    }

    /// A new id (`crate::ids`): this request's time and 64 random bits.
    pub fn new_id(&self) -> Result<String, AppError> {
        Ok(crate::ids::new(
            self.now_millis(),
            self.platform.random_u64()?,
        ))
    }

    pub fn log(&self, level: Level, line: &str) {
        self.platform.log(level, line);
    }

    /// Answers one request.
    pub async fn handle(&self, req: &impl Incoming) -> Response {
        let method = req.method();
        let url = req.url();
        let path = crate::http::path_of(url);
        // Read at most once: each header read may cross into the runtime.
        let inm = OnceCell::new();
        let if_none_match = || inm.get_or_init(|| req.header("If-None-Match")).clone();
        let mut shared = false;
        let result = match routes::resolve(method, path, self.settings.switches) {
            Resolved::Found(route) => {
                shared = route.shared_cache();
                self.dispatch(route, req, &if_none_match).await
            }
            Resolved::MethodNotAllowed(allow) => Err(AppError::MethodNotAllowed(allow)),
            Resolved::NotFound => pages::not_found(self, path).await,
        };
        let mut response = self.finish(req, path, result, if_none_match);
        if shared && response.status == 200 {
            // The Worker's own caches keep it until the TTL or the next
            // scheduled alert's date, whichever is sooner; browsers and
            // shared caches get the TTL whatever is scheduled, so that no
            // answer's lifetime tells when an alert goes live.
            response.edge_ttl = self.edge_ttl();
            let ttl = self.settings.cache_ttl_seconds;
            if ttl > 0 {
                response
                    .extra
                    .push(("Cache-Control", format!("public, max-age={ttl}")));
            }
        }
        response
    }

    /// How long a listing, feed or sitemap this request made stays fresh:
    /// the TTL, or less when a scheduled alert it holds goes live sooner.
    fn edge_ttl(&self) -> Option<u32> {
        let ttl = self.settings.cache_ttl_seconds;
        let until = self
            .store
            .fresh_until()
            .unwrap_or(self.now_millis() + ttl * 1000);
        let seconds = ((until - self.now_millis()) / 1000).min(ttl);
        u32::try_from(seconds).ok().filter(|s| *s > 0)
    }

    /// One exhaustive match: a new route is a compile error until handled.
    async fn dispatch(
        &self,
        route: Route<'_>,
        req: &impl Incoming,
        if_none_match: &dyn Fn() -> Option<String>,
    ) -> Result<Reply, AppError> {
        use crate::i18n::Kind;
        use discovery::Format;
        let query = || query_map(req.url());
        let inm = if_none_match;
        match route {
            Route::Home => listings::home(self, Lang::En, &query()).await,
            Route::HomeIn(lang) => listings::home(self, lang, &query()).await,
            Route::Category(name) => {
                listings::taxonomy(self, Lang::En, Kind::Category, &name, &query()).await
            }
            Route::CategoryIn(lang, name) => {
                listings::taxonomy(self, lang, Kind::Category, &name, &query()).await
            }
            Route::Tag(name) => {
                listings::taxonomy(self, Lang::En, Kind::Tag, &name, &query()).await
            }
            Route::TagIn(lang, name) => {
                listings::taxonomy(self, lang, Kind::Tag, &name, &query()).await
            }
            Route::Archive(y, m) => listings::archive(self, Lang::En, y, m, &query()).await,
            Route::ArchiveIn(lang, y, m) => listings::archive(self, lang, y, m, &query()).await,
            Route::ApiAlerts => listings::api(self, &query()).await,
            Route::Search => search::search(self, Lang::En, &query(), reply::Answer::Page).await,
            Route::SearchIn(lang) => {
                search::search(self, lang, &query(), reply::Answer::Page).await
            }
            Route::ApiSearch => {
                let lang = search::lang_param(&query())?;
                search::search(self, lang, &query(), reply::Answer::Json).await
            }
            Route::OpenSearch => Ok(search::opensearch(self)),
            Route::Feed => discovery::feed(self, Lang::En, None, Format::Atom, inm()).await,
            Route::JsonFeed => discovery::feed(self, Lang::En, None, Format::Json, inm()).await,
            Route::FeedIn(lang) => discovery::feed(self, lang, None, Format::Atom, inm()).await,
            Route::JsonFeedIn(lang) => discovery::feed(self, lang, None, Format::Json, inm()).await,
            Route::CategoryFeed(name) => {
                discovery::feed(self, Lang::En, Some(&name), Format::Atom, inm()).await
            }
            Route::Sitemap => discovery::sitemap_index(self).await,
            Route::SitemapPages => discovery::sitemap_pages(self).await,
            Route::SitemapMonth(y, m) => discovery::sitemap_month(self, y, m).await,
            Route::Alert(slug) => {
                pages::alert(self, slug, Lang::En, Visibility::Public, inm()).await
            }
            Route::AlertIn(lang, slug) => {
                pages::alert(self, slug, lang, Visibility::Public, inm()).await
            }
            Route::Preview(slug) => pages::preview(self, slug, &query()).await,
            Route::ApiAlert(slug) => pages::api_alert(self, slug, inm()).await,
            Route::ContactThanks(lang) => {
                Ok(Reply::html(200, views::thanks_page(self.site(), lang)))
            }
            Route::Privacy(lang) => Ok(Reply::html(200, views::privacy_page(self.site(), lang))),
            Route::Robots => Ok(pages::robots(self.site())),
            Route::Favicon => Ok(pages::favicon()),
            Route::Stylesheet(file) => pages::stylesheet(file),
            Route::Healthz => pages::healthz(self).await,
            Route::Contact(lang) if req.method() == Method::Post => {
                contact::submit(self, lang, req).await
            }
            Route::Contact(lang) => contact::form(self, lang, &query()).await,
            Route::Subscribe(lang) if req.method() == Method::Post => {
                subscribe::submit(self, lang, req).await
            }
            Route::Subscribe(lang) => subscribe::form(self, lang).await,
            Route::SubscribeCheck(lang) => Ok(Reply::html(
                200,
                views::subscribe::check_inbox_page(self.site(), lang),
            )),
            Route::SubscribeConfirm(lang) if req.method() == Method::Post => {
                subscriber::confirm(self, lang, req, &query()).await
            }
            Route::SubscribeConfirm(lang) => subscriber::confirm_form(self, lang, &query()).await,
            Route::Subscription(lang) => subscriber::settings(self, lang, req, &query()).await,
            Route::Unsubscribe(lang) => subscriber::unsubscribe(self, lang, req, &query()).await,
            Route::HookSes => hooks::ses(self, req).await,
            Route::DeadMail => mailing::dead::list(self, req).await,
            Route::ResendMail(id) => mailing::dead::resend(self, req, id).await,
            Route::TestEmail => mailing::test_send::send(self, req).await,
            Route::Webhooks if req.method() == Method::Post => {
                mailing::endpoints::add(self, req).await
            }
            Route::Webhooks => mailing::endpoints::list(self, req).await,
            Route::RemoveWebhook(id) => {
                mailing::endpoints::change(self, req, id, mailing::endpoints::Change::Remove).await
            }
            Route::EnableWebhook(id) => {
                mailing::endpoints::change(self, req, id, mailing::endpoints::Change::Enable).await
            }
            Route::DeadInquiries => inbox::list_dead(self, req, &query()).await,
            Route::DeadInquiry(id) => inbox::dead(self, req, id).await,
            Route::ResendInquiry(id) => inbox::resend(self, req, id).await,
            #[cfg(feature = "diagnostics")]
            Route::Diag(d) => diag::answer(self, d, req).await,
        }
    }

    /// Turns a handler's result into the response.
    fn finish(
        &self,
        req: &impl Incoming,
        path: &str,
        result: Result<Reply, AppError>,
        if_none_match: impl FnOnce() -> Option<String>,
    ) -> Response {
        let reply = result.unwrap_or_else(|e| {
            let wants_json = path.starts_with("/api/")
                || path.starts_with("/operator/")
                || path.starts_with("/hooks/")
                || req
                    .header("Content-Type")
                    .is_some_and(|t| t.starts_with("application/json"));
            // The page in the language of the address asked for.
            let lang = crate::routes::lang_of(path);
            e.into_reply(self.site(), wants_json, lang, |level, line| {
                self.log(level, line)
            })
        });
        for key in self.store.take_broken() {
            self.log(
                Level::Error,
                &format!("broken record key={key} reason=missing or unreadable"),
            );
        }
        #[cfg(feature = "diagnostics")]
        let reply = diag::count_kv_ops(self, reply);
        reply.finish(req.method(), if_none_match)
    }
}

fn query_map(url: &str) -> Query {
    if url.contains('?') {
        crate::http::query_pairs(url).into_iter().collect()
    } else {
        HashMap::new()
    }
}
