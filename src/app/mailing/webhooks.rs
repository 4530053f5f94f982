//! Signed webhooks' delivery (README, "Push"): when a mailing of an alert
//! starts (the minute it goes live, or has a new change note: the same
//! moment WebSub's hubs are told, never for a draft or an edit without a
//! note), each enabled endpoint whose topics match gets one `hook`
//! message on the alert-mail queue, its body made once. Each message is
//! one endpoint's, so a slow or failing endpoint delays no email and no
//! other endpoint; its fetch is bounded (`webhook::TIMEOUT_MILLIS`).
//!
//! A failed attempt is recorded against the endpoint's health and put
//! back on the queue as a new message with the same `webhook-id`, delayed
//! by the next step of `webhook::BACKOFF` (27.6 hours in all, longer than
//! the queue's own retries could wait); after the last it is kept as dead
//! mail (`super::dead`), to be listed and resent by the operator. An
//! endpoint failing for `DISABLE_AFTER_SECONDS` is disabled: nothing more
//! is sent to it, and `/healthz` and `make webhooks` say so.

use super::{dead, enqueue, enqueue_later};
use crate::app::db::Endpoint;
use crate::app::messages::{Hook, MailMessage, Mailing, Outcome};
use crate::app::ports::HttpRequest;
use crate::app::{App, AppError, Level, Platform};
use crate::webhook::event::AlertEvent;
use crate::webhook::signature::Secret;
use crate::webhook::{self, Format};

/// Puts one delivery per matching endpoint on the queue for this
/// mailing's event (none for a digest). Logged, never an error: the
/// mailing goes on.
pub async fn announce<P: Platform>(app: &App<'_, P>, mailing: &Mailing) {
    if mailing.window.is_some() {
        return;
    }
    let id = &mailing.id;
    if let Err(e) = queue_event(app, mailing).await {
        app.log(
            Level::Error,
            &format!(
                "webhooks: mailing id={id} not announced: {}",
                e.log_line().unwrap_or_default()
            ),
        );
    }
}

async fn queue_event<P: Platform>(app: &App<'_, P>, mailing: &Mailing) -> Result<(), AppError> {
    let endpoints: Vec<Endpoint> = app
        .db()
        .webhooks()
        .run()
        .await?
        .into_iter()
        .filter(|e| e.disabled_at.is_none() && webhook::wants(&e.topics, &mailing.topics))
        .collect();
    if endpoints.is_empty() {
        return Ok(());
    }
    let Some((record, change)) = super::compose::alert_of(app, mailing).await? else {
        return Ok(());
    };
    let event = AlertEvent {
        record: &record,
        url: app.site().abs(&crate::routes::alert_path(&record.slug)),
        change: change.as_ref(),
        at: app.now(),
    };
    let id = format!("msg_{}", app.new_id()?);
    let json = event.body(Format::Json);
    let slack = event.body(Format::Slack);
    let hooks: Vec<MailMessage> = endpoints
        .iter()
        .map(|e| {
            MailMessage::Hook(Hook {
                endpoint: e.id.clone(),
                id: id.clone(),
                body: match e.format {
                    Format::Json => json.clone(),
                    Format::Slack => slack.clone(),
                },
                attempt: 0,
            })
        })
        .collect();
    enqueue(app, &hooks).await?;
    app.log(
        Level::Info,
        &format!(
            "webhooks: mailing id={} {} {id} queued for {} endpoints",
            mailing.id,
            event.kind(),
            hooks.len()
        ),
    );
    Ok(())
}

/// One attempt of one delivery.
pub async fn deliver<P: Platform>(app: &App<'_, P>, hook: &Hook) -> Result<Outcome, AppError> {
    let Some(endpoint) = app.db().webhook(&hook.endpoint).run().await? else {
        app.log(
            Level::Info,
            &format!(
                "webhook: endpoint {} was removed; {} dropped",
                hook.endpoint, hook.id
            ),
        );
        return Ok(Outcome::Ack);
    };
    let host = crate::http::origin_of(&endpoint.url).unwrap_or_default();
    if endpoint.disabled_at.is_some() {
        app.log(
            Level::Warn,
            &format!("webhook: {host} is disabled; {} kept as dead", hook.id),
        );
        return Ok(keep_dead(app, hook).await);
    }
    let Some(request) = request(app, &endpoint, hook) else {
        app.log(
            Level::Error,
            &format!(
                "webhook: endpoint {}'s secret is unreadable; {} kept as dead",
                endpoint.id, hook.id
            ),
        );
        return Ok(keep_dead(app, hook).await);
    };
    let attempt = hook.attempt + 1;
    match app.platform.fetch(&request).await {
        Ok(a) if (200..300).contains(&a.status) => {
            app.db()
                .webhook_succeeded(&endpoint.id, app.now_millis())
                .run()
                .await?;
            app.log(
                Level::Info,
                &format!("webhook: {host} took {} (attempt {attempt})", hook.id),
            );
            return Ok(Outcome::Ack);
        }
        Ok(a) => app.log(
            Level::Warn,
            &format!(
                "webhook: {host} answered {} to {} (attempt {attempt})",
                a.status, hook.id
            ),
        ),
        Err(_) => app.log(
            Level::Warn,
            &format!(
                "webhook: {host} unreachable or slow for {} (attempt {attempt})",
                hook.id
            ),
        ),
    }
    let disabled = app
        .db()
        .webhook_failed(
            &endpoint.id,
            app.now_millis(),
            webhook::DISABLE_AFTER_SECONDS * 1000,
        )
        .run()
        .await?;
    if disabled {
        app.log(
            Level::Warn,
            &format!(
                "webhook: endpoint {} ({host}) disabled: failing for {} days",
                endpoint.id,
                webhook::DISABLE_AFTER_SECONDS / 86_400
            ),
        );
        return Ok(keep_dead(app, hook).await);
    }
    let Some(delay) = webhook::BACKOFF.get(hook.attempt as usize) else {
        app.log(
            Level::Warn,
            &format!(
                "webhook: {} failed {attempt} attempts; kept as dead",
                hook.id
            ),
        );
        return Ok(keep_dead(app, hook).await);
    };
    let next = MailMessage::Hook(Hook {
        attempt,
        ..hook.clone()
    });
    // A new message, so that the wait can be longer than the queue's own
    // retries allow; if it can't be queued, the queue tries this one again.
    enqueue_later(app, &[next], |_| *delay).await?;
    Ok(Outcome::Ack)
}

/// The attempt's request: the body as queued, JSON signed with the
/// endpoint's secret and this attempt's time, Slack's unsigned.
fn request<P: Platform>(app: &App<'_, P>, endpoint: &Endpoint, hook: &Hook) -> Option<HttpRequest> {
    let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    if endpoint.format == Format::Json {
        let secret = Secret::parse(&endpoint.secret)?;
        let now = app.now();
        headers.extend([
            ("webhook-id".to_string(), hook.id.clone()),
            ("webhook-timestamp".to_string(), now.to_string()),
            (
                "webhook-signature".to_string(),
                secret.sign(&hook.id, now, hook.body.as_bytes()),
            ),
        ]);
    }
    Some(HttpRequest {
        method: "POST",
        url: endpoint.url.clone(),
        headers,
        body: hook.body.clone().into_bytes(),
        timeout_millis: Some(webhook::TIMEOUT_MILLIS),
    })
}

/// Keeps the delivery as dead mail, its attempts counted from the start
/// again: a resend by the operator gets the whole schedule.
async fn keep_dead<P: Platform>(app: &App<'_, P>, hook: &Hook) -> Outcome {
    let fresh = MailMessage::Hook(Hook {
        attempt: 0,
        ..hook.clone()
    });
    dead::keep(app, &fresh.to_json()).await
}
