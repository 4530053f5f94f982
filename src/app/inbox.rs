//! Delivery of inquiries: the inquiries queue's consumer sends each one
//! through the `Mailer` port as a complete RFC 5322 message; failures are
//! retried per message and end, after the last retry, on the dead-letter
//! queue, whose consumer keeps them in KV for an operator. Operators list and
//! re-send them through bearer-authenticated endpoints.
//!
//! Logs name the inquiry id and an error kind only: never visitor data or a
//! contact address.

use super::ports::{InquiryQueue, Mailer};
use super::{App, AppError, Incoming, Level, Platform, Reply};
use crate::form::{compose_email, QueuedInquiry};
use crate::http::cache;
use crate::keys;
use serde_json::Value;

/// How long an undelivered inquiry is kept for the operator.
pub const DEAD_RETENTION_SECONDS: u64 = 30 * 24 * 3600;
/// How long a delivered inquiry's id is remembered (longer than any redelivery).
const SENT_RETENTION_SECONDS: u64 = 14 * 24 * 3600;

/// Which queue a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    /// `inquiries`: send it.
    Inquiries,
    /// `inquiries-dlq`: keep it for the operator.
    DeadLetters,
}

impl QueueKind {
    /// The kind of a queue by its name.
    pub fn of(queue_name: &str) -> Self {
        if queue_name.ends_with("-dlq") {
            QueueKind::DeadLetters
        } else {
            QueueKind::Inquiries
        }
    }
}

/// What becomes of one queue message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ack,
    /// Deliver it again after this many seconds (or the queue's default).
    Retry(Option<u32>),
}

impl<P: Platform> App<'_, P> {
    /// Handles one queue message. Never fails: each message is acked or
    /// retried on its own (an `Err` from the queue handler would redeliver
    /// the whole batch).
    pub async fn consume(&self, queue: QueueKind, body: &Value) -> Outcome {
        match queue {
            QueueKind::DeadLetters => keep_dead(self, body).await,
            QueueKind::Inquiries => deliver(self, body).await,
        }
    }
}

/// Stores a dead-lettered inquiry for the operator, then acks it.
async fn keep_dead<P: Platform>(app: &App<'_, P>, body: &Value) -> Outcome {
    // An id fit for a key, or a made-up one for an unreadable message.
    let id = body["id"]
        .as_str()
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()))
        .map_or_else(
            || format!("unknown-{}", app.platform.now_millis()),
            str::to_string,
        );
    let stored = app
        .store
        .put(
            &keys::inquiry_dead(&id),
            body.to_string().as_bytes(),
            Some(DEAD_RETENTION_SECONDS),
        )
        .await;
    if stored.is_ok() {
        app.log(
            Level::Warn,
            &format!("inquiry id={id} dead-lettered and kept for the operator"),
        );
        Outcome::Ack
    } else {
        app.log(
            Level::Error,
            &format!("inquiry id={id} error=dead-letter-store-failed"),
        );
        Outcome::Retry(None)
    }
}

async fn deliver<P: Platform>(app: &App<'_, P>, body: &Value) -> Outcome {
    let retry = Outcome::Retry(Some(app.settings.retry_delay));
    let Ok(inquiry) = serde_json::from_value::<QueuedInquiry>(body.clone()) else {
        // Unreadable: keep it for the operator rather than lose it.
        return keep_dead(app, body).await;
    };
    let id = &inquiry.id;
    match app.store.get_bytes(&keys::inquiry_sent(id)).await {
        Ok(Some(_)) => {
            app.log(
                Level::Info,
                &format!("inquiry id={id} already sent; redelivery skipped"),
            );
            return Outcome::Ack;
        }
        Ok(None) => {}
        Err(_) => {
            app.log(
                Level::Error,
                &format!("inquiry id={id} error=sent-check-failed"),
            );
            return retry;
        }
    }
    let Some(to) = app.settings.contact_addresses.get(&inquiry.contact) else {
        app.log(
            Level::Error,
            &format!("inquiry id={id} error=no-address-configured"),
        );
        return retry;
    };
    let from = &app.settings.mail_from;
    let raw = compose_email(&inquiry, &app.site().name, from, to, app.now());
    match app.platform.mailer().send(from, to, &raw).await {
        Ok(()) => {
            app.log(Level::Info, &format!("inquiry id={id} sent"));
            let marked = app
                .store
                .put(&keys::inquiry_sent(id), b"1", Some(SENT_RETENTION_SECONDS))
                .await;
            if marked.is_err() {
                app.log(
                    Level::Warn,
                    &format!("inquiry id={id} error=sent-mark-failed"),
                );
            }
            Outcome::Ack
        }
        Err(kind) => {
            app.log(
                Level::Error,
                &format!("inquiry id={id} error={}", kind.kind()),
            );
            retry
        }
    }
}

fn authorize<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<(), AppError> {
    let Some(token) = &app.settings.operator_token else {
        return Err(AppError::NotFound);
    };
    let given = req.header("Authorization").unwrap_or_default();
    let expected = format!("Bearer {token}");
    if crate::preview::secrets_match(&given, &expected) {
        Ok(())
    } else {
        Err(AppError::Unauthorized)
    }
}

/// `GET /operator/inquiries`: every dead-lettered inquiry still kept.
pub async fn list_dead<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app
            .store
            .keys(keys::INQUIRY_DEAD_PREFIX, 1000, cursor.as_deref())
            .await?;
        for key in page.keys {
            if let Some(text) = app.store.get_text(&key.name).await? {
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                items.push(value);
            }
        }
        match page.cursor {
            Some(c) if !page.complete => cursor = Some(c),
            _ => break,
        }
    }
    Ok(Reply::json(200, &serde_json::json!({ "inquiries": items })).cache(cache::NO_STORE))
}

/// `POST /operator/inquiries/<id>/resend`: puts a dead inquiry back on the
/// queue (after the operator fixed what made it fail) and forgets the copy.
pub async fn resend<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    id: &str,
) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let key = keys::inquiry_dead(id);
    let Some(text) = app.store.get_text(&key).await? else {
        return Err(AppError::NotFound);
    };
    let inquiry: QueuedInquiry = serde_json::from_str(&text).map_err(|_| {
        AppError::BadRequest(
            "This dead inquiry is not readable as an inquiry; see the listing.".into(),
        )
    })?;
    app.platform.queue().send(&inquiry).await?;
    app.store.delete(&key).await?;
    app.log(
        Level::Info,
        &format!("inquiry id={id} re-queued by the operator"),
    );
    Ok(
        Reply::json(202, &serde_json::json!({ "id": id, "status": "queued" }))
            .cache(cache::NO_STORE),
    )
}
