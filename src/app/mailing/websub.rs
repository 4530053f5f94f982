//! WebSub (W3C Recommendation) publisher pings: when an alert goes live or
//! has a new change note (the minute its mailing starts: at its date for a
//! scheduled alert, never for a draft or an edit without a note), each hub
//! of `WEBSUB_HUBS` is told which feeds changed, through the alert-mail
//! queue (its retries and dead mail), so that a slow or failing hub never
//! delays a page or an email. The feeds advertise the hubs themselves
//! (`crate::feeds`, `super::super::discovery`).

use super::enqueue;
use crate::app::messages::{MailMessage, Mailing, Outcome};
use crate::app::ports::HttpRequest;
use crate::app::{App, AppError, Level, Platform};
use crate::routes::Route;

/// The feeds an alert's mailing changes: the site's Atom and JSON feeds,
/// and its category's Atom feed (`c:<Category>` among the topics).
pub fn feeds_of<P: Platform>(app: &App<'_, P>, mailing: &Mailing) -> Vec<String> {
    let site = app.site();
    let mut feeds = vec![
        site.abs(&Route::Feed.path()),
        site.abs(&Route::JsonFeed.path()),
    ];
    for category in mailing.topics.iter().filter_map(|t| t.strip_prefix("c:")) {
        let slug = crate::keys::name_slug(category);
        feeds.push(site.abs(&Route::CategoryFeed(slug.into()).path()));
    }
    feeds
}

/// Puts one ping per hub on the queue for this mailing's feeds (none for a
/// digest, or without hubs). Logged, never an error: the mailing goes on.
pub async fn announce<P: Platform>(app: &App<'_, P>, mailing: &Mailing) {
    if app.settings.websub_hubs.is_empty() || mailing.window.is_some() {
        return;
    }
    let feeds = feeds_of(app, mailing);
    let pings: Vec<MailMessage> = app
        .settings
        .websub_hubs
        .iter()
        .map(|hub| MailMessage::Ping {
            hub: hub.clone(),
            feeds: feeds.clone(),
        })
        .collect();
    let id = &mailing.id;
    match enqueue(app, &pings).await {
        Ok(()) => app.log(
            Level::Info,
            &format!("websub: mailing id={id} announced to {} hubs", pings.len()),
        ),
        Err(e) => app.log(
            Level::Error,
            &format!(
                "websub: mailing id={id} not announced: {}",
                e.log_line().unwrap_or_default()
            ),
        ),
    }
}

/// One ping: `hub.mode=publish` with a `hub.url` per feed, form-encoded.
/// A 2xx is done; anything else is tried again (then kept as dead mail).
pub async fn ping<P: Platform>(
    app: &App<'_, P>,
    hub: &str,
    feeds: &[String],
) -> Result<Outcome, AppError> {
    let mut form = vec![("hub.mode", "publish")];
    form.extend(feeds.iter().map(|f| ("hub.url", f.as_str())));
    let body = serde_urlencoded::to_string(&form).unwrap_or_default();
    let request = HttpRequest::form(hub, body);
    let host = crate::http::origin_of(hub).unwrap_or_default();
    match app.platform.fetch(&request).await {
        Ok(a) if (200..300).contains(&a.status) => {
            app.log(
                Level::Info,
                &format!("websub: {host} told of {} feeds", feeds.len()),
            );
            Ok(Outcome::Ack)
        }
        Ok(a) => {
            app.log(
                Level::Warn,
                &format!("websub: {host} answered {}", a.status),
            );
            Ok(Outcome::Retry(Some(app.settings.retry_delay)))
        }
        Err(_) => {
            app.log(Level::Warn, &format!("websub: {host} unreachable"));
            Ok(Outcome::Retry(Some(app.settings.retry_delay)))
        }
    }
}
