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
use crate::mail::sns::{self, SnsKind, SnsMessage};
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
    if let Err(why) = admit(app, &m) {
        return refused(app, why);
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

/// Whether `url` is at the test origin (`SNS_TEST_CERT_ORIGIN`, a test
/// build only).
fn test_origin(app: &App<'_, impl Platform>, url: &str) -> bool {
    app.settings
        .sns_test_cert_origin
        .as_deref()
        .is_some_and(|o| url.starts_with(&format!("{o}/")))
}

/// The checks that need neither the network nor the key (`sns::admit`),
/// with the test origin taken for the two URLs in a test build.
fn admit(app: &App<'_, impl Platform>, m: &SnsMessage) -> Result<(), &'static str> {
    if !(sns::cert_url_allowed(&m.signing_cert_url) || test_origin(app, &m.signing_cert_url)) {
        return Err("certificate URL");
    }
    if !sns::fresh(m.timestamp_millis, app.now_millis()) {
        return Err("stale");
    }
    if let SnsKind::SubscriptionConfirmation { subscribe_url, .. }
    | SnsKind::UnsubscribeConfirmation { subscribe_url, .. } = &m.kind
    {
        if !(sns::subscribe_url_allowed(subscribe_url, &m.topic_arn)
            || test_origin(app, subscribe_url))
        {
            return Err("subscribe URL");
        }
    }
    Ok(())
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
    let request = HttpRequest {
        method: "GET",
        url: url.to_string(),
        headers: Vec::new(),
        body: Vec::new(),
    };
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
    let request = HttpRequest {
        method: "GET",
        url: url.to_string(),
        headers: Vec::new(),
        body: Vec::new(),
    };
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
