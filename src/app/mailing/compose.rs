//! What each reader of a mailing gets: the mailing's content, read once
//! per `send` message (an alert, or a digest's alerts), and one message
//! composed per recipient.

use crate::app::messages::Mailing;
use crate::app::{App, AppError, Platform};
use crate::mail::message::{self, AlertMail, DigestItem, Envelope, Links};
use crate::mail::notify;

/// What one `send` message mails: an alert, or a digest's alerts.
pub enum Content {
    Alert {
        /// Boxed: a record is some 440 bytes, the digest's variant 48.
        record: Box<crate::content::AlertRecord>,
        html: String,
        text: String,
        topics: Vec<String>,
    },
    Digest {
        week: String,
        items: Vec<(notify::Entry, crate::content::AlertRecord)>,
    },
}

/// The mailing's content, or `None` while its alert is not readable as the
/// mailing expects (not yet public here, another version, unpublished).
pub async fn content<P: Platform>(
    app: &App<'_, P>,
    mailing: &Mailing,
) -> Result<Option<Content>, AppError> {
    if let Some((from, to)) = mailing.window {
        let text = app.store.get_text(notify::KEY).await?.unwrap_or_default();
        let entries: Vec<notify::Entry> = notify::parse(&text)
            .into_iter()
            .filter(|e| e.date >= from && e.date < to && e.date <= app.now())
            .collect();
        let slugs: Vec<String> = entries.iter().map(|e| e.slug.clone()).collect();
        let records = app.store.alerts(&slugs).await?;
        let now = app.now_utc();
        let items = entries
            .into_iter()
            .filter_map(|e| {
                let r = records
                    .iter()
                    .find(|r| r.slug == e.slug && r.is_public(now))?
                    .clone();
                Some((e, r))
            })
            .collect();
        return Ok(Some(Content::Digest {
            week: mailing.week.clone().unwrap_or_default(),
            items,
        }));
    }
    let Some(record) = app.store.alert(&mailing.slug).await? else {
        return Ok(None);
    };
    if !record.is_public(app.now_utc()) || notify::mailing_of(&record) != mailing.id {
        return Ok(None);
    }
    let html = message::absolute_links(&app.body_html(&record), app.site());
    let text = crate::markdown::plain_text(&record.body).replace('\n', "\n\n");
    let topics = crate::mail::topics::of_alert(record.category.as_deref(), &record.tags);
    Ok(Some(Content::Alert {
        record: Box::new(record),
        html,
        text,
        topics,
    }))
}

/// One recipient's message, or `None` when the content is not for them
/// (a digest with none of their topics).
pub fn compose<P: Platform>(
    app: &App<'_, P>,
    content: &Content,
    envelope: &Envelope<'_>,
    choice: &crate::mail::topics::Choice,
    manage: &str,
    unsubscribe: &str,
) -> Option<Result<String, crate::form::UnsafeHeader>> {
    match content {
        Content::Alert {
            record,
            html,
            text,
            topics,
        } => {
            let reason = choice.reason(topics);
            let links = Links {
                manage,
                unsubscribe,
                reason: &reason,
            };
            let url = app.site().abs(&crate::routes::alert_path(&record.slug));
            let date = crate::dates::human_date(record.date);
            let mail = AlertMail {
                title: &record.title,
                summary: &record.summary,
                date: &date,
                url: &url,
                html,
                text,
            };
            Some(message::alert(envelope, &mail, &links))
        }
        Content::Digest { week, items } => {
            let mine: Vec<_> = items
                .iter()
                .filter(|(e, _)| choice.wants(&e.topics))
                .collect();
            if mine.is_empty() {
                return None;
            }
            let urls: Vec<(String, String)> = mine
                .iter()
                .map(|(_, r)| {
                    (
                        app.site().abs(&crate::routes::alert_path(&r.slug)),
                        crate::dates::human_date(r.date),
                    )
                })
                .collect();
            let list: Vec<DigestItem> = mine
                .iter()
                .zip(&urls)
                .map(|((_, r), (url, date))| DigestItem {
                    title: &r.title,
                    summary: &r.summary,
                    date,
                    url,
                })
                .collect();
            let reason = choice.describe();
            let links = Links {
                manage,
                unsubscribe,
                reason: &reason,
            };
            Some(message::digest(envelope, week, &list, &links))
        }
    }
}
