//! Dead alert mail: a message that failed every retry (or can never be
//! read) is kept in D1's `dead_mail`, as the queue carried it (ids only),
//! for the operator to list and put back on the queue.
//!
//! Why not KV, as dead inquiries are (`crate::app::inbox`): an inquiry
//! holds a visitor's words and address, must outlive a site without D1
//! (the contact form needs none), and KV expires it by itself after 30
//! days; alert mail holds ids that only mean something beside the
//! subscribers and deliveries in D1, and a resend is checked against those
//! deliveries there.

use super::enqueue;
use crate::app::messages::{MailMessage, Outcome};
use crate::app::operator::authorize;
use crate::app::{App, AppError, Incoming, Level, Platform, Reply};
use crate::http::cache;
use serde_json::json;

/// Keeps a message (its JSON text) for the operator.
pub async fn keep<P: Platform>(app: &App<'_, P>, text: &str) -> Outcome {
    let id = app
        .new_id()
        .unwrap_or_else(|_| crate::ids::new(app.now_millis(), 0));
    match app
        .db()
        .keep_dead(&id, text, app.now_millis())
        .run_raw()
        .await
    {
        Ok(()) => {
            app.log(
                Level::Warn,
                &format!("alert mail dead id={id} kept for the operator"),
            );
            Outcome::Ack
        }
        Err(e) => {
            app.log(
                Level::Error,
                &format!(
                    "alert mail dead-letter store failed: {}",
                    crate::app::db::d1_kind(&e.0)
                ),
            );
            Outcome::Retry(None)
        }
    }
}

/// `GET /operator/mail`: dead alert mail, 100 oldest first: ids, the kind,
/// the mailing and how many recipients, never addresses.
pub async fn list<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let items: Vec<serde_json::Value> = app
        .db()
        .dead_mail()
        .run()
        .await?
        .iter()
        .map(|dead| {
            let message = MailMessage::read(&dead.body);
            let (kind, mailing, recipients) = match &message {
                Ok(m @ MailMessage::Send { recipients, .. }) => {
                    (m.kind().to_string(), m.mailing(), recipients.len())
                }
                Ok(m) => (m.kind().to_string(), m.mailing(), 0),
                Err(malformed) => (format!("unreadable: {malformed}"), None, 0),
            };
            json!({
                "id": dead.id,
                "failed_at": dead.failed_at,
                "kind": kind,
                "mailing": mailing.map(|m| m.id.as_str()),
                "recipients": recipients,
            })
        })
        .collect();
    Ok(Reply::json(200, &json!({ "mail": items })).cache(cache::NO_STORE))
}

/// `POST /operator/mail/<id>/resend`: back on the queue; recipients already
/// sent to are skipped there. Refused (410) once the mailing is too old
/// for its delivery records to be sure to be there (`prune`).
pub async fn resend<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    id: &str,
) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let Some(body) = app.db().dead_body(id).run().await? else {
        return Err(AppError::NotFound);
    };
    let message = MailMessage::read(&body).map_err(|malformed| {
        AppError::BadRequest(format!(
            "This dead mail is not readable ({malformed}); see the listing."
        ))
    })?;
    if let Some(mailing) = message.mailing() {
        let since = super::prune::resendable_since(app.now_millis());
        if !app.db().mailing_since(&mailing.id, since).run().await? {
            // Its recipients' delivery records are gone, or may go before
            // it is read: a resend would mail again everyone it reached.
            // Kept for the listing until it is pruned itself.
            app.log(
                Level::Warn,
                &format!("alert mail dead id={id} not resent: its mailing is too old"),
            );
            return Err(AppError::Gone("Not resent: its mailing is older than its delivery records are kept (30 days), so it would mail again everyone it reached.".into()));
        }
    }
    enqueue(app, &[message]).await?;
    app.db().forget_dead(id).run().await?;
    app.log(
        Level::Info,
        &format!("alert mail dead id={id} re-queued by the operator"),
    );
    Ok(Reply::json(202, &json!({ "id": id, "status": "queued" })).cache(cache::NO_STORE))
}
