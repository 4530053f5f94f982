//! Delivery of inquiries: the inquiries queue's consumer sends each one
//! through the `Mailer` port as a complete RFC 5322 message; failures are
//! retried per message and end, after the last retry, on the dead-letter
//! queue, whose consumer keeps them in KV for an operator. Operators list and
//! re-send them through bearer-authenticated endpoints.
//!
//! Logs name the inquiry id and an error kind only: never visitor data or a
//! contact address.

use super::messages::{read_inquiry, Outcome, QueueKind};
use super::operator::authorize;
use super::{App, AppError, Incoming, Level, Platform, Reply};
use crate::form::compose_email;
use crate::http::cache;
use crate::ids::is_id;
use crate::keys;
use serde_json::Value;

/// How long an undelivered inquiry is kept for the operator.
pub const DEAD_RETENTION_SECONDS: u64 = 30 * 24 * 3600;
/// How long a delivered inquiry's id is remembered (longer than any redelivery).
const SENT_RETENTION_SECONDS: u64 = 14 * 24 * 3600;

impl<P: Platform> App<'_, P> {
    /// Handles one queue message (its JSON text). Never fails: each
    /// message is acked or retried on its own (an `Err` from the queue
    /// handler would redeliver the whole batch).
    pub async fn consume(&self, queue: QueueKind, text: &str) -> Outcome {
        match queue {
            QueueKind::DeadLetters => keep_dead(self, text).await,
            QueueKind::Inquiries => deliver(self, text).await,
            QueueKind::AlertMail => self.consume_mail(text).await,
            QueueKind::AlertMailDead => self.keep_dead_mail(text).await,
            QueueKind::MailEvents => super::suppress::consume_event(self, text).await,
        }
    }
}

/// What the operator's listing shows of a dead inquiry, kept as its key's
/// metadata (KV allows 1,024 bytes) so that a page of the listing is one
/// `list()`: the id, the contact and when, and the subject cut short.
fn summary(id: &str, body: &Value) -> Value {
    let text = |field: &str, max: usize| -> String {
        body[field]
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(max)
            .collect()
    };
    serde_json::json!({
        "id": id,
        "contact": text("contact", 64),
        "received_at": text("received_at", 32),
        "subject": text("subject", 120),
    })
}

/// Stores a dead-lettered inquiry (its JSON text, whatever it holds) for
/// the operator, then acks it. Dead inquiries live in KV, dead alert mail
/// in D1: `super::mailing::dead` says why.
async fn keep_dead<P: Platform>(app: &App<'_, P>, text: &str) -> Outcome {
    let body: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    // An id fit for a key, or a made-up one for an unreadable message.
    let id = body["id"].as_str().filter(|id| is_id(id)).map_or_else(
        || {
            // One batch shares a clock: the random part keeps two apart.
            let id = app
                .new_id()
                .unwrap_or_else(|_| crate::ids::new(app.now_millis(), 0));
            format!("unknown-{id}")
        },
        str::to_string,
    );
    let stored = app
        .store
        .put_with_metadata(
            &keys::inquiry_dead(&id),
            text.as_bytes(),
            Some(DEAD_RETENTION_SECONDS),
            Some(&summary(&id, &body)),
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

async fn deliver<P: Platform>(app: &App<'_, P>, text: &str) -> Outcome {
    let retry = Outcome::Retry(Some(app.settings.retry_delay));
    let inquiry = match read_inquiry(text) {
        Ok(inquiry) => inquiry,
        // Unreadable: keep it for the operator rather than lose it.
        Err(malformed) => {
            app.log(
                Level::Error,
                &format!("inquiry: unreadable message ({malformed}) kept as dead"),
            );
            return keep_dead(app, text).await;
        }
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
    let raw = match compose_email(&inquiry, &app.site().name, from, to, app.now()) {
        Ok(raw) => raw,
        Err(unsafe_header) => {
            // Never sendable as it is: kept for the operator, not retried.
            app.log(
                Level::Error,
                &format!(
                    "inquiry id={id} error=unsafe-header header={}",
                    unsafe_header.0
                ),
            );
            return keep_dead(app, text).await;
        }
    };
    match app.platform.send_to_contact(from, to, &raw).await {
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

/// Dead inquiries on one page of `GET /operator/inquiries`.
const DEAD_PAGE: usize = 100;

/// `GET /operator/inquiries[?cursor=]`: the dead-lettered inquiries still
/// kept, 100 a page from one `list()` (their summaries), with the cursor of
/// the next page.
pub async fn list_dead<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    query: &super::Query,
) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let cursor = super::params::cursor_param(query)?;
    let page = app
        .store
        .keys(keys::INQUIRY_DEAD_PREFIX, DEAD_PAGE, &cursor)
        .await?;
    let items: Vec<Value> = page
        .keys
        .into_iter()
        .map(|k| {
            k.metadata.unwrap_or_else(|| {
                let id = k.name.trim_start_matches(keys::INQUIRY_DEAD_PREFIX);
                serde_json::json!({ "id": id })
            })
        })
        .collect();
    let next = page.cursor.filter(|_| !page.complete);
    Ok(Reply::json(
        200,
        &serde_json::json!({ "inquiries": items, "next": next }),
    )
    .cache(cache::NO_STORE))
}

/// `GET /operator/inquiries/<id>`: one dead inquiry in full.
pub async fn dead<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    id: &str,
) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let text = app
        .store
        .get_text(&keys::inquiry_dead(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok(Reply::json(200, &value).cache(cache::NO_STORE))
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
    let inquiry = read_inquiry(&text).map_err(|malformed| {
        AppError::BadRequest(format!(
            "This dead inquiry is not readable as an inquiry ({malformed}); see the listing."
        ))
    })?;
    app.platform.send_inquiry(&inquiry).await?;
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
