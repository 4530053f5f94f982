//! The operator's webhook endpoints (`make webhook-add`, `make webhooks`,
//! `make webhook-remove`, `make webhook-enable`): `/operator/webhooks`,
//! behind the operator's token. A new endpoint's secret is in the answer
//! that adds it and nowhere else (never logged, never listed); a listing
//! names each endpoint's host only (a Slack URL's path is its secret).

use crate::app::db::{Endpoint, NewEndpoint};
use crate::app::messages::MailMessage;
use crate::app::operator::{authorize, OperatorForm};
use crate::app::reply::Reply;
use crate::app::{App, AppError, Incoming, Level, Platform};
use crate::http::cache;
use crate::webhook::signature::Secret;
use crate::webhook::{self, Format};
use serde_json::json;

/// Bytes of a new secret (Standard Webhooks asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// `POST /operator/webhooks`: a new endpoint; 201 with its id and, this
/// once, its secret.
pub async fn add<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    let form = OperatorForm::read(app, req).await?;
    let field = |name: &str| form.field(name);
    let url = field("url");
    if !webhook::is_push_url(&url, app.settings.local_targets) {
        return Err(AppError::BadRequest(
            "`url` must be an https:// address with a host name, no IP address and no credentials (URL=https://...)".into(),
        ));
    }
    let format = match field("format").as_str() {
        "" => Format::Json,
        f => Format::parse(f)
            .ok_or_else(|| AppError::BadRequest("`format` is json or slack (FORMAT=...)".into()))?,
    };
    let topics = topics(&field("topics"))?;
    let mut random = Vec::with_capacity(SECRET_BYTES);
    while random.len() < SECRET_BYTES {
        random.extend(app.platform.random_u64()?.to_le_bytes());
    }
    let secret = Secret::from_random(&random).text();
    let id = app.new_id()?;
    let new = NewEndpoint {
        id: &id,
        url: &url,
        format,
        topics: &topics,
        secret: &secret,
    };
    app.db().add_webhook(&new, app.now_millis()).run().await?;
    let host = crate::http::origin_of(&url).unwrap_or_default();
    app.log(
        Level::Info,
        &format!("webhook: endpoint {id} added ({host}, {})", format.as_str()),
    );
    Ok(Reply::json(
        201,
        &json!({
            "id": id,
            "host": host,
            "format": format.as_str(),
            "topics": topics,
            "secret": (format == Format::Json).then_some(secret),
            "note": "Keep the secret now: it is not shown again.",
        }),
    )
    .cache(cache::NO_STORE))
}

/// `TOPICS=c:Opinion,t:un`: categories and tags as mailings name them;
/// none for every alert.
fn topics(text: &str) -> Result<Vec<String>, AppError> {
    let mut topics: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if topics
        .iter()
        .any(|t| !(t.starts_with("c:") || t.starts_with("t:")) || t.len() < 3 || t.len() > 100)
    {
        return Err(AppError::BadRequest(
            "`topics` are categories (c:Name) and tags (t:name), comma-separated (TOPICS=...)"
                .into(),
        ));
    }
    topics.sort();
    topics.dedup();
    Ok(topics)
}

/// `GET /operator/webhooks`: every endpoint and its health, and the dead
/// deliveries (to resend with `make webhook-resend`).
pub async fn list<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let now = app.now_millis();
    let endpoints: Vec<serde_json::Value> = app
        .db()
        .webhooks()
        .run()
        .await?
        .iter()
        .map(|e| summary(e, now))
        .collect();
    let dead: Vec<serde_json::Value> = app
        .db()
        .dead_mail()
        .run()
        .await?
        .iter()
        .filter_map(|d| match MailMessage::read(&d.body) {
            Ok(MailMessage::Hook(hook)) => Some(json!({
                "id": d.id,
                "failed_at": d.failed_at,
                "endpoint": hook.endpoint,
                "webhook_id": hook.id,
            })),
            _ => None,
        })
        .collect();
    Ok(Reply::json(200, &json!({ "webhooks": endpoints, "dead": dead })).cache(cache::NO_STORE))
}

/// One endpoint as listed (and on `/healthz`): no secret, the host only.
pub fn summary(e: &Endpoint, now_millis: i64) -> serde_json::Value {
    json!({
        "id": e.id,
        "host": crate::http::origin_of(&e.url),
        "format": e.format.as_str(),
        "topics": e.topics,
        "last_success": e.last_success,
        "failing_days": failing_days(e, now_millis),
        "disabled": e.disabled_at.is_some(),
    })
}

/// Days in a row an endpoint has been failing: 0 when its last delivery
/// succeeded, 1 on the day of its first failure since.
pub fn failing_days(e: &Endpoint, now_millis: i64) -> i64 {
    e.failing_since
        .map_or(0, |since| (now_millis - since).div_euclid(86_400_000) + 1)
}

/// What the operator does to one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `POST /operator/webhooks/<id>/remove`.
    Remove,
    /// `POST /operator/webhooks/<id>/enable`: a disabled endpoint is sent
    /// events again (its dead deliveries stay dead until resent).
    Enable,
}

/// Removes or enables one endpoint; 404 when there is no such endpoint.
pub async fn change<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    id: &str,
    change: Change,
) -> Result<Reply, AppError> {
    authorize(app, req)?;
    let (found, status) = match change {
        Change::Remove => (app.db().remove_webhook(id).run().await?, "removed"),
        Change::Enable => (app.db().enable_webhook(id).run().await?, "enabled"),
    };
    if !found {
        return Err(AppError::NotFound);
    }
    app.log(Level::Info, &format!("webhook: endpoint {id} {status}"));
    Ok(Reply::json(200, &json!({ "id": id, "status": status })).cache(cache::NO_STORE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_categories_and_tags() {
        assert_eq!(topics("").unwrap(), Vec::<String>::new());
        assert_eq!(
            topics(" t:un , c:Opinion,t:un").unwrap(),
            ["c:Opinion", "t:un"]
        );
        assert!(topics("Opinion").is_err());
        assert!(topics("c:").is_err());
    }
}
