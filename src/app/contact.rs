//! The contact form: `GET /contact` and `POST /contact` (form-encoded or
//! JSON). An inquiry is acknowledged only once it is on the inquiries queue.

use super::ports::{BodyError, HttpClient, InquiryQueue, RateLimiter};
use super::settings::Turnstile;
use super::{App, AppError, Incoming, Level, Platform, Query, Reply};
use crate::content::Contact;
use crate::form::{self, Field, FormErrors, Inquiry, QueuedInquiry};
use crate::http::{cache, origin_of, Scripts};
use crate::keys;
use crate::routes::Route;
use crate::views::{self, ContactForm};

/// Seconds a repeated (contact, email, message) is recognised as a duplicate.
const DUPLICATE_WINDOW_SECONDS: u64 = 600;
/// The rate limiter's period, told to clients in `Retry-After`.
const RATE_PERIOD_SECONDS: u32 = 60;

/// How the visitor sent the form, and so how it is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    /// A browser's form post: pages and a 303.
    Page,
    /// A script's JSON: JSON and a 202.
    Json,
}

fn general(contacts: &[Contact]) -> String {
    contacts
        .iter()
        .find(|c| c.general)
        .or(contacts.first())
        .map(|c| c.id.clone())
        .unwrap_or_default()
}

/// `GET /contact[?to=<id>]`.
pub async fn form<P: Platform>(app: &App<'_, P>, query: &Query) -> Result<Reply, AppError> {
    let contacts = app.store.contacts().await?;
    let to = query
        .get("to")
        .filter(|to| contacts.iter().any(|c| &c.id == *to))
        .cloned()
        .unwrap_or_else(|| general(&contacts));
    let values = Inquiry {
        contact: to,
        ..Default::default()
    };
    Ok(render(app, &contacts, &values, &FormErrors::default(), 200))
}

fn render<P: Platform>(
    app: &App<'_, P>,
    contacts: &[Contact],
    values: &Inquiry,
    errors: &FormErrors,
    status: u16,
) -> Reply {
    let markup = views::contact_page(
        app.site(),
        &ContactForm {
            contacts,
            values,
            errors,
            turnstile_site_key: turnstile_site_key(app),
        },
    );
    form_reply(app, markup, status, errors.is_empty())
}

/// Turnstile's site key when it is on: the forms show its widget.
pub(super) fn turnstile_site_key<'s, P: Platform>(app: &'s App<'_, P>) -> Option<&'s str> {
    app.settings.turnstile.as_ref().map(|t| t.site_key.as_str())
}

/// A form page as answered: Turnstile's script when it is on, and kept by
/// nobody unless it is the blank form (an answer with errors holds what a
/// visitor typed).
pub(super) fn form_reply<P: Platform>(
    app: &App<'_, P>,
    page: maud::Markup,
    status: u16,
    blank: bool,
) -> Reply {
    let mut reply = Reply::html(status, page);
    if app.settings.turnstile.is_some() {
        reply = reply.scripts(Scripts::Turnstile);
    }
    if status == 200 && blank {
        reply
    } else {
        reply.cache(cache::NO_STORE)
    }
}

/// A browser's `Origin` must be this site (as configured, or as requested);
/// a request without one (a script) is judged on its content.
fn check_origin<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<(), AppError> {
    let Some(origin) = req.header("Origin") else {
        return Ok(());
    };
    let origin = origin.to_ascii_lowercase();
    let own = origin_of(req.url());
    if Some(&origin) == origin_of(&app.site().url).as_ref() || Some(&origin) == own.as_ref() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "This form can only be sent from this site.".into(),
        ))
    }
}

/// One bucket per client address, an IPv6 client by its /64. A request
/// that does not say where it comes from (Cloudflare's edge always does) is
/// refused rather than put in a bucket shared by all such requests.
async fn rate_limited<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    limit_key: &str,
) -> Result<(), AppError> {
    if app.settings.rate_limit_disabled {
        return Ok(());
    }
    let bucket = req
        .header("CF-Connecting-IP")
        .as_deref()
        .and_then(crate::http::client_bucket)
        .ok_or_else(|| {
            AppError::BadRequest(
                "This request does not say which address it comes from, so it cannot be accepted."
                    .into(),
            )
        })?;
    if app
        .platform
        .limiter()
        .allow(&format!("{limit_key}:{bucket}"))
        .await?
    {
        Ok(())
    } else {
        Err(AppError::TooManyRequests(RATE_PERIOD_SECONDS))
    }
}

/// A new inquiry id: milliseconds since the epoch (sortable) and 64 random bits.
fn new_id<P: Platform>(app: &App<'_, P>) -> Result<String, AppError> {
    let random = app.platform.random_u64()?;
    Ok(format!("{:012x}{random:016x}", app.now_millis()))
}

fn accepted(answer: Answer, id: &str) -> Reply {
    match answer {
        Answer::Json => Reply::json(202, &serde_json::json!({ "id": id })).cache(cache::NO_STORE),
        Answer::Page => Reply::redirect(303, &Route::ContactThanks.path()).cache(cache::NO_STORE),
    }
}

/// Turnstile's verdict when it is on: `Some(message)` for a missing or
/// failed check, to be shown by the form's field.
pub(super) async fn turnstile_refusal<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    token: &str,
) -> Result<Option<&'static str>, AppError> {
    let Some(t) = &app.settings.turnstile else {
        return Ok(None);
    };
    let ip = req.header("CF-Connecting-IP");
    let passed = !token.is_empty() && verify_turnstile(app, t, token, ip).await?;
    Ok((!passed)
        .then_some("The anti-robot check failed or is missing. Please complete it and send again."))
}

async fn verify_turnstile<P: Platform>(
    app: &App<'_, P>,
    t: &Turnstile,
    token: &str,
    ip: Option<String>,
) -> Result<bool, AppError> {
    let mut fields = vec![
        ("secret", t.secret.clone()),
        ("response", token.to_string()),
    ];
    if let Some(ip) = ip {
        fields.push(("remoteip", ip));
    }
    let body = serde_urlencoded::to_string(&fields).unwrap_or_default();
    let answer = app.platform.http().post_form(&t.verify_url, &body).await?;
    let answer: serde_json::Value = serde_json::from_slice(&answer)
        .map_err(|e| AppError::Internal(format!("turnstile answer: {e}")))?;
    Ok(answer["success"].as_bool() == Some(true))
}

/// What every form post goes through before its fields are read: the
/// `Origin`, the media type (which also says how to answer), the size, the
/// client's rate (bucket `<limit_key>:<client>`) and the body, read up to
/// the cap.
pub(super) async fn read_post<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    limit_key: &str,
) -> Result<(Answer, Vec<u8>), AppError> {
    check_origin(app, req)?;
    let content_type = req
        .header("Content-Type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let answer = match content_type.split(';').next().unwrap_or("").trim() {
        "application/x-www-form-urlencoded" => Answer::Page,
        "application/json" => Answer::Json,
        _ => return Err(AppError::UnsupportedMediaType),
    };
    let declared: Option<usize> = req.header("Content-Length").and_then(|l| l.parse().ok());
    if declared.is_some_and(|l| l > form::MAX_BODY_BYTES) {
        return Err(AppError::PayloadTooLarge);
    }
    rate_limited(app, req, limit_key).await?;
    match req.body(form::MAX_BODY_BYTES).await {
        Ok(body) => Ok((answer, body)),
        Err(BodyError::TooLarge) => Err(AppError::PayloadTooLarge),
        Err(BodyError::Unreadable(e)) => {
            // The runtime's words go to the log, not to the visitor.
            app.log(Level::Warn, &format!("{limit_key} body unreadable: {e}"));
            Err(AppError::BadRequest(
                "The request body could not be read.".into(),
            ))
        }
    }
}

/// `POST /contact`.
pub async fn submit<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    let (answer, body) = read_post(app, req, "contact").await?;
    let parsed = match answer {
        Answer::Json => Inquiry::from_json(&body),
        Answer::Page => Inquiry::from_form(&body),
    };
    let inquiry = parsed.map_err(|e| AppError::BadRequest(e.0))?;
    // The honeypot is looked at last, once everything a person would be
    // told about has been checked: a filled one changes no answer.
    let contacts = app.store.contacts().await?;
    let errors = form::validate(&inquiry, &contacts);
    if !errors.is_empty() {
        return Ok(match answer {
            Answer::Json => Reply::json(422, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, &contacts, &inquiry, &errors, 422),
        });
    }
    if let Some(message) = turnstile_refusal(app, req, &inquiry.turnstile_token).await? {
        let mut errors = FormErrors::default();
        errors.add(Field::Turnstile, message);
        return Ok(match answer {
            Answer::Json => Reply::json(403, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, &contacts, &inquiry, &errors, 403),
        });
    }
    // A baited post is remembered apart, so that it never makes a person's
    // identical post look like a repeat.
    let mut fingerprint = keys::inquiry_recent(&form::duplicate_fingerprint(&inquiry));
    if inquiry.is_spam() {
        fingerprint.push_str(":honeypot");
    }
    if let Some(previous) = app.store.get_text(&fingerprint).await? {
        return Ok(accepted(answer, &previous));
    }
    let id = new_id(app)?;
    if inquiry.is_spam() {
        // Answered like a success, repeats included, and never sent.
        app.log(
            Level::Info,
            &format!("inquiry id={id} dropped: honeypot filled"),
        );
        remember(app, &fingerprint, &id).await;
        return Ok(accepted(answer, &id));
    }
    let received = crate::dates::rfc3339(app.now_utc());
    let queued = QueuedInquiry::new(id.clone(), received, &inquiry);
    if let Err(e) = app.platform.queue().send(&queued).await {
        app.log(
            Level::Error,
            &format!("inquiry id={id} error=enqueue-failed {e}"),
        );
        let mut errors = FormErrors::default();
        errors.add(Field::Message, "Your message could not be accepted just now. Nothing was sent; please try again in a minute.");
        return Ok(match answer {
            Answer::Json => Reply::json(503, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, &contacts, &inquiry, &errors, 503),
        }
        .header("Retry-After", "60"));
    }
    app.log(Level::Info, &format!("inquiry id={id} queued"));
    remember(app, &fingerprint, &id).await;
    Ok(accepted(answer, &id))
}

/// Remembers the id answered for this (contact, email, message), so that a
/// repeat within the window gets the same answer and is not sent again.
async fn remember<P: Platform>(app: &App<'_, P>, fingerprint: &str, id: &str) {
    let stored = app
        .store
        .put(fingerprint, id.as_bytes(), Some(DUPLICATE_WINDOW_SECONDS))
        .await;
    if stored.is_err() {
        app.log(
            Level::Warn,
            &format!("inquiry id={id} error=fingerprint-not-stored"),
        );
    }
}
