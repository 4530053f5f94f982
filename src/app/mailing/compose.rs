//! What each reader of a mailing gets: the mailing's content, read once
//! per `send` message (an alert, or a digest's alerts), and one message
//! composed per recipient.

use crate::app::messages::Mailing;
use crate::app::{App, AppError, Platform};
use crate::content::{AlertRecord, Change};
use crate::i18n::{date_in, Lang, Names};
use crate::mail::message::{self, AlertMail, DigestItem, Envelope, Links, Update};
use crate::mail::notify;
use crate::routes::alert_path_in;
use std::cell::OnceCell;

/// What one `send` message mails: an alert (or an update of it), or a
/// digest's alerts.
pub enum Content {
    Alert {
        /// Boxed: a record is some 440 bytes, the digest's variant 48.
        record: Box<AlertRecord>,
        /// Its body as mailed, per language (`Lang as usize`), made the
        /// first time a recipient reads it: a message to 25 readers of
        /// English renders no translation.
        bodies: Box<[OnceCell<Body>; 6]>,
        topics: Vec<String>,
        /// The change note of an update mailing.
        update: Option<Change>,
        /// A test send (`super::test_send`).
        test: bool,
    },
    Digest {
        week: String,
        items: Vec<DigestEntry>,
    },
}

/// An alert's body as mailed in one language: as HTML (links absolute)
/// and as text.
pub struct Body {
    pub html: String,
    pub text: String,
}

/// `record`'s body in `lang` (a translation's, else English's), made once
/// per content.
fn body<'c, P: Platform>(
    app: &App<'_, P>,
    record: &AlertRecord,
    bodies: &'c [OnceCell<Body>; 6],
    lang: Lang,
) -> &'c Body {
    bodies[lang as usize].get_or_init(|| {
        let source = record.body_in(lang);
        Body {
            html: message::absolute_links(&app.body_html(record, lang), app.site()),
            text: crate::markdown::plain_text(&source).replace('\n', "\n\n"),
        }
    })
}

/// What a reader of `lang` gets of an alert: its title, summary and the
/// language they are in (the translation's, else English), and its URL.
struct Version<'r> {
    lang: Lang,
    title: &'r str,
    summary: &'r str,
    url: String,
}

fn version<'r, P: Platform>(app: &App<'_, P>, record: &'r AlertRecord, lang: Lang) -> Version<'r> {
    match record.translation(lang) {
        Some(t) => Version {
            lang,
            title: &t.title,
            summary: &t.summary,
            url: app.site().abs(&alert_path_in(lang, &record.slug)),
        },
        None => Version {
            lang: Lang::En,
            title: &record.title,
            summary: &record.summary,
            url: app.site().abs(&alert_path_in(Lang::En, &record.slug)),
        },
    }
}

/// One alert of a digest: new in its week, or (with `update`) updated in it.
pub struct DigestEntry {
    pub topics: Vec<String>,
    pub record: AlertRecord,
    pub update: Option<Change>,
}

/// A digest's alerts: those published in the window first, then, once
/// each, those of earlier weeks with a change note in it (the newest).
async fn digest_entries<P: Platform>(
    app: &App<'_, P>,
    (from, to): (i64, i64),
) -> Result<Vec<DigestEntry>, AppError> {
    let text = app.store.get_text(notify::KEY).await?.unwrap_or_default();
    let entries: Vec<notify::Entry> = notify::parse(&text)
        .into_iter()
        .filter(|e| e.date >= from && e.date < to && e.date <= app.now())
        .collect();
    let mut slugs: Vec<String> = entries.iter().map(|e| e.slug.clone()).collect();
    slugs.sort();
    slugs.dedup();
    let records = app.store.alerts(&slugs).await?;
    let now = app.now_utc();
    let mut items: Vec<DigestEntry> = Vec::new();
    // Alerts first, then notes (newest first): an alert listed once.
    let (alerts, notes): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| !e.is_note());
    for e in alerts.into_iter().chain(notes) {
        if items.iter().any(|i| i.record.slug == e.slug) {
            continue;
        }
        let Some(r) = records
            .iter()
            .find(|r| r.slug == e.slug && r.is_public(now))
        else {
            continue;
        };
        let update = if e.is_note() {
            match notify::note_of(r, &e.mailing).filter(|c| c.date <= now) {
                Some(c) => Some(c.clone()),
                None => continue,
            }
        } else {
            None
        };
        items.push(DigestEntry {
            topics: e.topics,
            record: r.clone(),
            update,
        });
    }
    Ok(items)
}

/// The mailing's content, or `None` while its alert is not readable as the
/// mailing expects (not yet public here, another version, unpublished, or
/// without the change note the mailing sends).
pub async fn content<P: Platform>(
    app: &App<'_, P>,
    mailing: &Mailing,
) -> Result<Option<Content>, AppError> {
    if let Some(window) = mailing.window {
        return Ok(Some(Content::Digest {
            week: mailing.week.clone().unwrap_or_default(),
            items: digest_entries(app, window).await?,
        }));
    }
    Ok(alert_of(app, mailing)
        .await?
        .map(|(record, update)| alert_content(record, update, false)))
}

/// The alert a mailing of an alert sends, public now, and the change
/// note an update mailing sends (public too); `None` when there is no
/// such alert or note any more, or it is not public.
pub async fn alert_of<P: Platform>(
    app: &App<'_, P>,
    mailing: &Mailing,
) -> Result<Option<(AlertRecord, Option<Change>)>, AppError> {
    let Some(record) = app.store.alert(&mailing.slug).await? else {
        return Ok(None);
    };
    let now = app.now_utc();
    if !record.is_public(now) {
        return Ok(None);
    }
    let update = if mailing.id == record.slug {
        None
    } else {
        match notify::note_of(&record, &mailing.id).filter(|c| c.date <= now) {
            Some(c) => Some(c.clone()),
            None => return Ok(None),
        }
    };
    Ok(Some((record, update)))
}

/// An alert's content as mailed: the alert (its body in a language made
/// when a recipient first needs it), its topics, and the change note of an
/// update.
pub fn alert_content(record: AlertRecord, update: Option<Change>, test: bool) -> Content {
    let topics = crate::mail::topics::of_alert(record.category.as_deref(), &record.tags);
    Content::Alert {
        record: Box::new(record),
        bodies: Default::default(),
        topics,
        update,
        test,
    }
}

/// One recipient's message, in their language (`choice.lang`: the alert's
/// translation in it, else the English original with a line saying so),
/// or `None` when the content is not for them (a digest with none of
/// their topics).
pub fn compose<P: Platform>(
    app: &App<'_, P>,
    content: &Content,
    envelope: &Envelope<'_>,
    choice: &crate::mail::topics::Choice,
    manage: &str,
    unsubscribe: &str,
    names: &Names,
) -> Option<Result<String, crate::form::UnsafeHeader>> {
    match content {
        Content::Alert {
            record,
            bodies,
            topics,
            update,
            test,
        } => {
            let lang = choice.lang;
            let reason = choice.reason(topics, lang, names);
            let links = Links {
                manage,
                unsubscribe,
                reason: &reason,
            };
            let v = version(app, record, lang);
            let body = body(app, record, bodies, v.lang);
            let date = date_in(lang, record.date);
            let note_date = update.as_ref().map(|c| date_in(lang, c.date));
            let mail = AlertMail {
                lang,
                in_english: v.lang != lang,
                title: v.title,
                summary: v.summary,
                date: &date,
                url: &v.url,
                html: &body.html,
                text: &body.text,
                update: update
                    .as_ref()
                    .zip(note_date.as_deref())
                    .map(|(c, date)| Update {
                        date,
                        note: &c.note,
                    }),
                test: *test,
            };
            Some(message::alert(envelope, &mail, &links))
        }
        Content::Digest { week, items } => {
            let mine: Vec<&DigestEntry> =
                items.iter().filter(|i| choice.wants(&i.topics)).collect();
            if mine.is_empty() {
                return None;
            }
            let lang = choice.lang;
            let dates: Vec<(Version, String, Option<String>)> = mine
                .iter()
                .map(|i| {
                    (
                        version(app, &i.record, lang),
                        date_in(lang, i.record.date),
                        i.update.as_ref().map(|c| date_in(lang, c.date)),
                    )
                })
                .collect();
            let list: Vec<DigestItem> = mine
                .iter()
                .zip(&dates)
                .map(|(i, (v, date, note_date))| DigestItem {
                    in_english: v.lang != lang,
                    title: v.title,
                    summary: v.summary,
                    date,
                    url: &v.url,
                    update: i
                        .update
                        .as_ref()
                        .zip(note_date.as_deref())
                        .map(|(c, date)| Update {
                            date,
                            note: &c.note,
                        }),
                })
                .collect();
            let reason = choice.describe(lang, names);
            let links = Links {
                manage,
                unsubscribe,
                reason: &reason,
            };
            Some(message::digest(envelope, week, &list, &links, lang))
        }
    }
}
