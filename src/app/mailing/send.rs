//! Sending: each (mailing, subscriber) is claimed in D1 before its send, in
//! one statement, so that two copies of a message never both send; marked
//! sent after it; released if it fails.

use super::compose::{compose, content};
use super::secret;
use crate::app::messages::{Mailing, Outcome};
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
    for reader in &claimed {
        let sub = &reader.id;
        let t = token::manage(secret, sub);
        let manage = token::link(app.site(), &t, Route::Subscription);
        let unsubscribe = token::link(app.site(), &t, Route::Unsubscribe);
        let message_id = format!("{message_prefix}-{sub}");
        let envelope = Envelope {
            site: app.site(),
            from,
            to: &reader.email,
            id: &message_id,
            unix_time: app.now(),
        };
        let outcome = match compose(
            app,
            &content,
            &envelope,
            &reader.choice,
            &manage,
            &unsubscribe,
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
            Some(Ok(raw)) => app
                .platform
                .send_to_reader(from, &reader.email, &raw)
                .await
                .map_err(|kind| Some(kind.kind())),
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
    Ok(if failed > 0 {
        retry
    } else if in_flight.n > 0 {
        Outcome::Retry(takeover_delay.map(|d| d.max(app.settings.retry_delay)))
    } else {
        Outcome::Ack
    })
}
