//! Delivery of inquiries: the `INQUIRIES` queue consumer sends each one with
//! `send_email` (binding `EMAIL`) as a complete RFC 5322 message; failures are
//! retried per message and end, after the last retry, on the dead-letter
//! queue, whose consumer keeps them in KV for an operator. Operators list and
//! re-send them through bearer-authenticated endpoints.
//!
//! Logs name the inquiry id and an error kind only: never visitor data or a
//! contact address.

use super::config;
use super::error::AppError;
use super::reply::Reply;
use super::store::Store;
use crate::form::{compose_email, QueuedInquiry};
use crate::http::cache;
use serde_json::Value;
use worker::{
    EmailMessage, Env, Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Request,
};

/// How long an undelivered inquiry is kept for the operator.
pub const DEAD_RETENTION_SECONDS: u64 = 30 * 24 * 3600;
/// How long a delivered inquiry's id is remembered (longer than any redelivery).
const SENT_RETENTION_SECONDS: u64 = 14 * 24 * 3600;

fn sent_key(id: &str) -> String {
    format!("inq:sent:{id}")
}

fn dead_key(id: &str) -> String {
    format!("inq:dead:{id}")
}

pub async fn consume(batch: MessageBatch<Value>, env: Env) {
    let dead_letters = batch.queue().ends_with("-dlq");
    let messages = match batch.messages() {
        Ok(m) => m,
        Err(e) => {
            worker::console_error!("queue batch unreadable: {e}");
            batch.retry_all();
            return;
        }
    };
    let store = Store::new(&env);
    for message in messages {
        if dead_letters {
            keep_dead(&store, &message).await;
        } else {
            deliver(&store, &env, &message).await;
        }
    }
}

fn retry(env: &Env, message: &Message<Value>) {
    let delay = config::retry_delay(env);
    message.retry_with_options(
        &QueueRetryOptionsBuilder::new()
            .with_delay_seconds(delay)
            .build(),
    );
}

/// Stores a dead-lettered inquiry for the operator, then acks it.
async fn keep_dead(store: &Store<'_>, message: &Message<Value>) {
    let body = message.body();
    // An id fit for a key, or a made-up one for an unreadable message.
    let id = body["id"]
        .as_str()
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()))
        .map_or_else(
            || format!("unknown-{}", worker::Date::now().as_millis()),
            str::to_string,
        );
    let stored = match store
        .kv()
        .and_then(|kv| Ok(kv.put(&dead_key(&id), body.to_string())?))
    {
        Ok(put) => put
            .expiration_ttl(DEAD_RETENTION_SECONDS)
            .execute()
            .await
            .is_ok(),
        Err(_) => false,
    };
    if stored {
        worker::console_warn!("inquiry id={id} dead-lettered and kept for the operator");
        message.ack();
    } else {
        worker::console_error!("inquiry id={id} error=dead-letter-store-failed");
        message.retry();
    }
}

/// Why a send failed, as a kind fit for logs (the runtime's own message
/// may contain the address).
fn error_kind(e: &str) -> &'static str {
    if e.contains("not allowed") {
        "recipient-not-allowed"
    } else if e.contains("parse") || e.contains("invalid") {
        "message-rejected"
    } else {
        "send-failed"
    }
}

async fn deliver(store: &Store<'_>, env: &Env, message: &Message<Value>) {
    let Ok(inquiry) = serde_json::from_value::<QueuedInquiry>(message.body().clone()) else {
        // Unreadable: keep it for the operator rather than lose it.
        keep_dead(store, message).await;
        return;
    };
    let id = inquiry.id.clone();
    match store.get_bytes(&sent_key(&id)).await {
        Ok(Some(_)) => {
            worker::console_log!("inquiry id={id} already sent; redelivery skipped");
            message.ack();
            return;
        }
        Ok(None) => {}
        Err(_) => {
            worker::console_error!("inquiry id={id} error=sent-check-failed");
            retry(env, message);
            return;
        }
    }
    let Some(to) = config::contact_address(env, &inquiry.contact) else {
        worker::console_error!("inquiry id={id} error=no-address-configured");
        retry(env, message);
        return;
    };
    let from = config::mail_from(env);
    let site = config::site(env);
    let raw = compose_email(&inquiry, &site.name, &from, &to, super::app::now());
    let sent = match EmailMessage::new(&from, &to, &raw) {
        Ok(email) => match env.send_email("EMAIL") {
            Ok(binding) => binding
                .send(&email)
                .await
                .map_err(|e| error_kind(&format!("{e:?}"))),
            Err(_) => Err("binding-missing"),
        },
        Err(_) => Err("message-rejected"),
    };
    match sent {
        Ok(_) => {
            worker::console_log!("inquiry id={id} sent");
            if let Ok(put) = store.kv().and_then(|kv| Ok(kv.put(&sent_key(&id), "1")?)) {
                if put
                    .expiration_ttl(SENT_RETENTION_SECONDS)
                    .execute()
                    .await
                    .is_err()
                {
                    worker::console_warn!("inquiry id={id} error=sent-mark-failed");
                }
            }
            message.ack();
        }
        Err(kind) => {
            worker::console_error!("inquiry id={id} error={kind}");
            retry(env, message);
        }
    }
}

fn authorize(req: &Request, env: &Env) -> Result<(), AppError> {
    let Some(token) = config::operator_token(env) else {
        return Err(AppError::NotFound);
    };
    let given = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let expected = format!("Bearer {token}");
    if crate::preview::secrets_match(&given, &expected) {
        Ok(())
    } else {
        Err(AppError::Unauthorized)
    }
}

/// `GET /operator/inquiries`: every dead-lettered inquiry still kept.
pub async fn list_dead(req: &Request, env: &Env) -> Result<Reply, AppError> {
    authorize(req, env)?;
    let store = Store::new(env);
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut list = store.kv()?.list().prefix("inq:dead:".into());
        if let Some(c) = cursor.take() {
            list = list.cursor(c);
        }
        let page = list.execute().await?;
        for key in page.keys {
            if let Some(text) = store.get_text(&key.name).await? {
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                items.push(value);
            }
        }
        match page.cursor {
            Some(c) if !page.list_complete => cursor = Some(c),
            _ => break,
        }
    }
    Ok(Reply::json(200, &serde_json::json!({ "inquiries": items })).cache(cache::NO_STORE))
}

/// `POST /__test/enqueue` (test environment only): puts the posted inquiry
/// on the queue as it is, so tests can deliver the same id twice.
pub async fn test_enqueue(req: &mut Request, env: &Env) -> Result<Reply, AppError> {
    let inquiry: QueuedInquiry = req
        .json()
        .await
        .map_err(|_| AppError::BadRequest("expected a queued inquiry as JSON".into()))?;
    env.queue("INQUIRIES")?.send(&inquiry).await?;
    Ok(Reply::json(202, &serde_json::json!({ "id": inquiry.id })).cache(cache::NO_STORE))
}

/// `POST /operator/inquiries/<id>/resend`: puts a dead inquiry back on the
/// queue (after the operator fixed what made it fail) and forgets the copy.
pub async fn resend(req: &Request, env: &Env, id: &str) -> Result<Reply, AppError> {
    authorize(req, env)?;
    let store = Store::new(env);
    let Some(text) = store.get_text(&dead_key(id)).await? else {
        return Err(AppError::NotFound);
    };
    let inquiry: QueuedInquiry = serde_json::from_str(&text).map_err(|_| {
        AppError::BadRequest(
            "This dead inquiry is not readable as an inquiry; see the listing.".into(),
        )
    })?;
    env.queue("INQUIRIES")?.send(&inquiry).await?;
    store.kv()?.delete(&dead_key(id)).await?;
    worker::console_log!("inquiry id={id} re-queued by the operator");
    Ok(
        Reply::json(202, &serde_json::json!({ "id": id, "status": "queued" }))
            .cache(cache::NO_STORE),
    )
}
