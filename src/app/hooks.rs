//! `POST /hooks/ses`: SES's bounces and complaints, delivered by Amazon SNS
//! over HTTPS. Every message is verified before anything is done with it,
//! in every configuration: its topic is `SNS_TOPIC_ARN`, its certificate
//! comes from an SNS host over HTTPS (cached while valid), its signature
//! (SignatureVersion 2, RSA with SHA-256) verifies under that certificate's
//! key through the runtime's WebCrypto, it is at most an hour old, and its
//! MessageId was not taken before. Anything else answers 403 and changes
//! nothing. A verified subscription confirmation is confirmed (a GET of its
//! SubscribeURL, an SNS host's `ConfirmSubscription` of this topic).

use super::cache::Cached;
use super::db::Stream;
use super::ports::{BodyError, HttpRequest, Incoming};
use super::reply::Reply;
use super::{suppress, App, AppError, Level, Platform};
use crate::mail::events::{read_ses, EventError};
use crate::mail::sns::{self, SnsKind};
use base64::Engine as _;

/// SNS messages are at most 256 KiB.
const MAX_BODY: usize = 256 * 1024;
/// How long a certificate's key is kept in the isolate (at most until the
/// certificate expires).
const CERT_CACHE_MILLIS: i64 = 24 * 3600 * 1000;

/// Why a message was refused: for the log only (the answer is always the
/// same 403).
fn refused(app: &App<'_, impl Platform>, why: &str) -> Result<Reply, AppError> {
    app.log(Level::Warn, &format!("hooks/ses: refused ({why})"));
    Err(AppError::Forbidden("This message is not accepted.".into()))
}

/// The endpoint.
pub async fn ses<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    let body = match req.body(MAX_BODY).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return Err(AppError::PayloadTooLarge),
        Err(BodyError::Unreadable(_)) => {
            return Err(AppError::BadRequest("unreadable body".into()))
        }
    };
    let m = match sns::read(&body) {
        Ok(m) => m,
        Err(e) => return refused(app, &e.to_string()),
    };
    let Some(topic) = app.settings.sns_topic_arn.as_deref() else {
        return refused(app, "SNS_TOPIC_ARN is not set");
    };
    if m.topic_arn != topic {
        return refused(app, "another topic");
    }
    let local = app.settings.sns_test_cert_origin.as_deref();
    if let Err(e) = sns::admit(&m, app.now_millis(), local) {
        return refused(app, &e.to_string());
    }
    let Some(spki) = certificate(app, &m.signing_cert_url).await? else {
        return refused(app, "certificate unusable");
    };
    let text = sns::string_to_sign(&m);
    let genuine = app
        .platform
        .verify_rsa_sha256(&spki, text.as_bytes(), &m.signature)
        .await
        .unwrap_or(false);
    if !genuine {
        return refused(app, "signature");
    }
    if app.db().hook_seen(&m.message_id).run().await? {
        return refused(app, "replayed");
    }
    let id = &m.message_id;
    match &m.kind {
        SnsKind::SubscriptionConfirmation { subscribe_url, .. } => {
            confirm(app, subscribe_url).await?;
            app.db().hook_keep(id, app.now_millis()).run().await?;
            app.log(
                Level::Info,
                &format!("hooks/ses: subscription of the topic confirmed (message {id})"),
            );
        }
        SnsKind::UnsubscribeConfirmation { .. } => {
            app.db().hook_keep(id, app.now_millis()).run().await?;
            app.log(Level::Warn, &format!("hooks/ses: SNS unsubscribed this endpoint (message {id}): bounces are no longer taken"));
        }
        SnsKind::Notification { .. } => match read_ses(&m.message) {
            Ok(event) => suppress::apply(app, &event, Stream::Bulk, Some(id)).await?,
            Err(e) => {
                // SES's first message to a new destination is a sentence.
                let level = if e == EventError::NotJson {
                    Level::Info
                } else {
                    Level::Warn
                };
                app.log(
                    level,
                    &format!("hooks/ses: message {id} is no event ({e}); taken"),
                );
                app.db().hook_keep(id, app.now_millis()).run().await?;
            }
        },
    }
    Ok(Reply::json(200, &serde_json::json!({"ok": true})))
}

/// The key of the certificate at `url`: from the isolate's cache, or
/// fetched and read; `None` when it can't be had, read, or is not valid
/// now.
async fn certificate<P: Platform>(
    app: &App<'_, P>,
    url: &str,
) -> Result<Option<Vec<u8>>, AppError> {
    let key = format!("sns-cert\u{0}{url}");
    let now = app.now_millis();
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(Cached::Text(spki)) = app.cache.get(&key, now) {
        return Ok(b64.decode(spki.as_bytes()).ok());
    }
    let request = HttpRequest::get(url);
    let answer = match app.platform.fetch(&request).await {
        Ok(a) if a.status == 200 => a,
        Ok(a) => {
            app.log(
                Level::Warn,
                &format!("hooks/ses: certificate answered {}", a.status),
            );
            return Ok(None);
        }
        Err(_) => {
            return Err(AppError::Unavailable(
                "hooks/ses: certificate unreachable".into(),
            ))
        }
    };
    let Ok(cert) = sns::certificate_from_pem(answer.body.as_bytes()) else {
        return Ok(None);
    };
    if !cert.valid_at(now) {
        return Ok(None);
    }
    let text: std::rc::Rc<str> = b64.encode(&cert.spki).into();
    let until = (now + CERT_CACHE_MILLIS).min(cert.not_after_millis);
    app.cache
        .put(&key, Cached::Text(text.clone()), text.len(), Some(until));
    Ok(Some(cert.spki))
}

/// Confirms the topic's subscription: GET its SubscribeURL.
async fn confirm<P: Platform>(app: &App<'_, P>, url: &str) -> Result<(), AppError> {
    let request = HttpRequest::get(url);
    match app.platform.fetch(&request).await {
        Ok(a) if a.status == 200 => Ok(()),
        // SNS sends the confirmation again if it is not answered 2xx.
        Ok(a) => Err(AppError::Unavailable(format!(
            "hooks/ses: ConfirmSubscription answered {}",
            a.status
        ))),
        Err(_) => Err(AppError::Unavailable(
            "hooks/ses: ConfirmSubscription unreachable".into(),
        )),
    }
}
