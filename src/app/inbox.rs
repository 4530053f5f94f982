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

/// An inquiry id fit for a key and a log line: ASCII letters and digits.
fn is_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Which queue a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    /// `inquiries`: send it.
    Inquiries,
    /// `inquiries-dlq`: keep it for the operator.
    DeadLetters,
    /// `alert-mail`: confirmation requests and the fan-out of mailings.
    AlertMail,
    /// `alert-mail-dlq`: keep it for the operator (D1's `dead_mail`).
    AlertMailDead,
}

impl QueueKind {
    /// The kind of a queue by its name.
    pub fn of(queue_name: &str) -> Self {
        let dead = queue_name.ends_with("-dlq");
        if queue_name.starts_with("alert-mail") {
            return if dead {
                QueueKind::AlertMailDead
            } else {
                QueueKind::AlertMail
            };
        }
        if dead {
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
            QueueKind::AlertMail => self.consume_mail(body).await,
            QueueKind::AlertMailDead => self.keep_dead_mail(body).await,
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

/// Stores a dead-lettered inquiry for the operator, then acks it.
async fn keep_dead<P: Platform>(app: &App<'_, P>, body: &Value) -> Outcome {
    // An id fit for a key, or a made-up one for an unreadable message.
    let id = body["id"].as_str().filter(|id| is_id(id)).map_or_else(
        || {
            // One batch shares a clock: the random part keeps two apart.
            let random = app.platform.random_u64().unwrap_or_default();
            format!("unknown-{:x}{random:016x}", app.now_millis())
        },
        str::to_string,
    );
    let stored = app
        .store
        .put_with_metadata(
            &keys::inquiry_dead(&id),
            body.to_string().as_bytes(),
            Some(DEAD_RETENTION_SECONDS),
            Some(&summary(&id, body)),
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
    let inquiry = match serde_json::from_value::<QueuedInquiry>(body.clone()) {
        Ok(inquiry) if is_id(&inquiry.id) => inquiry,
        // Unreadable: keep it for the operator rather than lose it.
        _ => return keep_dead(app, body).await,
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
            return keep_dead(app, body).await;
        }
    };
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

pub(super) fn authorize<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
) -> Result<(), AppError> {
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
    let cursor = super::listings::cursor_param(query)?;
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
