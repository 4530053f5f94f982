//! Sending: each (mailing, subscriber) is claimed in D1 before its send, in
//! one statement, so that two copies of a message never both send; marked
//! sent after it; released if it fails. Through the bulk sender (SES):
//! when it throttles, the recipients not yet mailed go back on the queue
//! as a fresh message, later, and this one is done (a throttle is never
//! a retry, so it never ends in dead mail).

use super::bulk::{self, Bulk};
use super::compose::{compose, content};
use super::{enqueue_later, secret};
use crate::app::db::Stream;
use crate::app::messages::{MailMessage, Mailing, Outcome};
use crate::app::{App, AppError, Level, Platform};
use crate::mail::message::Envelope;
use crate::mail::token;
use crate::routes::Route;

/// How long a delivery claim protects a send in flight; an attempt that
/// stopped after claiming is taken over after this.
const DELIVERY_STALE_MILLIS: i64 = 15 * 60 * 1000;
/// How long a mailing's sends wait for its alert to be readable as
/// published (KV's propagation, a publish still writing) before giving up.
const CONTENT_PATIENCE_MILLIS: i64 = 10 * 60 * 1000;
/// How long recipients wait after SES throttled their send, in seconds.
pub const THROTTLE_PAUSE_SECONDS: u32 = 60;

/// Mails each recipient of the message who has not had this mailing.
pub async fn send<P: Platform>(
    app: &App<'_, P>,
    mailing: &Mailing,
    recipients: &[String],
) -> Result<Outcome, AppError> {
    let retry = Outcome::Retry(Some(app.settings.retry_delay));
    let id = &mailing.id;
    let Some(secret) = secret(app) else {
        return Ok(retry);
    };
    let Some(content) = content(app, mailing).await? else {
        let age = app.now_millis() - mailing.created_millis;
        if age < CONTENT_PATIENCE_MILLIS {
            app.log(
                Level::Info,
                &format!("mailing id={id}: its alert is not readable as published yet; waiting"),
            );
            return Ok(retry);
        }
        app.log(
            Level::Warn,
            &format!(
                "mailing id={id}: the alert is not public in this version any more; nothing sent"
            ),
        );
        return Ok(Outcome::Ack);
    };
    let attempt = app.new_id()?;
    let now = app.now_millis();
    let ids: Vec<&str> = recipients.iter().map(String::as_str).collect();
    let (claimed, in_flight) = app
        .db()
        .claim(id, &attempt, &ids, now, now - DELIVERY_STALE_MILLIS)
        .run()
        .await?;
    // Come back when the oldest of those claims may be taken over, if the
    // attempt holding it has not marked it sent by then.
    let takeover_delay = in_flight
        .oldest
        .map(|oldest| ((oldest + DELIVERY_STALE_MILLIS - now) / 1000 + 1).clamp(1, 900) as u32);
    let from = &app.settings.mail_from;
    let message_prefix = id.replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let (mut sent, mut failed) = (0, 0);
    let mut throttled_at = None;
    let mut names: Option<crate::i18n::Names> = None;
    for (i, reader) in claimed.iter().enumerate() {
        let sub = &reader.id;
        let manage = token::link(
            app.site(),
            &token::topics(secret, sub, reader.links, app.now()),
            Route::Subscription(reader.choice.lang),
        );
        let unsubscribe = token::link(
            app.site(),
            &token::unsubscribe(secret, sub, reader.links),
            Route::Unsubscribe(reader.choice.lang),
        );
        let message_id = format!("{message_prefix}-{sub}");
        let envelope = Envelope {
            site: app.site(),
            from,
            to: &reader.email,
            id: &message_id,
            unix_time: app.now(),
        };
        // The topics' names, for the line that says why the reader was
        // sent the mail: read once, for the first reader of a language
        // besides English (the value holds them all); in English if they
        // cannot be read (the mail goes all the same).
        let lang = reader.choice.lang;
        if lang != crate::i18n::Lang::En && names.is_none() {
            let read = app.store.names_in(lang, app.now()).await;
            names = Some(read.unwrap_or(crate::i18n::Names::EMPTY));
        }
        let outcome = match compose(
            app,
            &content,
            &envelope,
            &reader.choice,
            &manage,
            &unsubscribe,
            names.as_ref().unwrap_or(&crate::i18n::Names::EMPTY),
        ) {
            // Nothing for this reader: the claim goes, nothing is sent.
            None => Err(None),
            Some(Err(h)) => {
                app.log(
                    Level::Error,
                    &format!(
                        "mailing id={id} subscriber id={sub} error=unsafe-header header={}",
                        h.0
                    ),
                );
                Err(Some("unsafe-header"))
            }
            Some(Ok(raw)) => match bulk::send(app, from, &reader.email, &raw).await {
                Bulk::Sent => Ok(()),
                Bulk::Throttled => {
                    throttled_at = Some(i);
                    break;
                }
                Bulk::Failed { kind } => {
                    app.log(
                        Level::Error,
                        &format!("mailing id={id} subscriber id={sub} error={kind}"),
                    );
                    Err(Some("bulk-send-failed"))
                }
            },
        };
        match outcome {
            Ok(()) => {
                sent += 1;
                // Tried twice: a claim left unmarked is taken over after 15
                // minutes, and this reader would get the alert again.
                let db = app.db();
                if db.mark_sent(id, sub, &attempt).run_raw().await.is_err()
                    && db.mark_sent(id, sub, &attempt).run_raw().await.is_err()
                {
                    app.log(
                        Level::Warn,
                        &format!("mailing id={id} subscriber id={sub} error=delivery-not-marked"),
                    );
                }
            }
            Err(kind) => {
                if let Some(kind) = kind {
                    failed += 1;
                    app.log(
                        Level::Error,
                        &format!("mailing id={id} subscriber id={sub} error={kind}"),
                    );
                }
                // Best effort: a claim left is taken over later.
                let _ = app.db().release(id, sub, &attempt).run_raw().await;
            }
        }
    }
    app.log(
        Level::Info,
        &format!(
            "mailing id={id}: {sent} sent, {failed} failed, {} in flight elsewhere",
            in_flight.n
        ),
    );
    if sent > 0 {
        // Best effort: the rates' denominator, one write per message.
        let db = app.db();
        let _ = db
            .count(Stream::Bulk, "sent", sent, app.now_millis())
            .run_raw()
            .await;
    }
    if let Some(i) = throttled_at {
        return throttled(app, mailing, &claimed[i..], &attempt, failed > 0).await;
    }
    Ok(if failed > 0 {
        retry
    } else if in_flight.n > 0 {
        Outcome::Retry(takeover_delay.map(|d| d.max(app.settings.retry_delay)))
    } else {
        Outcome::Ack
    })
}

/// SES throttled the send to `rest[0]`: every claim from it on is released
/// and those recipients go back on the queue in a fresh message, after a
/// pause. This message is then done, unless a send before the throttle
/// failed (then it is retried as usual, and sends to nobody twice).
async fn throttled<P: Platform>(
    app: &App<'_, P>,
    mailing: &Mailing,
    rest: &[crate::app::db::Recipient],
    attempt: &str,
    failed: bool,
) -> Result<Outcome, AppError> {
    let id = &mailing.id;
    for reader in rest {
        // Best effort: a claim left is taken over after 15 minutes.
        let _ = app.db().release(id, &reader.id, attempt).run_raw().await;
    }
    let again = MailMessage::Send {
        mailing: mailing.clone(),
        recipients: rest.iter().map(|r| r.id.clone()).collect(),
    };
    enqueue_later(app, &[again], |_| THROTTLE_PAUSE_SECONDS).await?;
    app.log(
        Level::Warn,
        &format!(
            "mailing id={id}: SES throttled; {} recipients again in {THROTTLE_PAUSE_SECONDS} s",
            rest.len()
        ),
    );
    Ok(if failed {
        Outcome::Retry(Some(app.settings.retry_delay))
    } else {
        Outcome::Ack
    })
}
