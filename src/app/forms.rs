//! What every form of the site shares (the contact form and the
//! subscription forms): how a post is read before its fields are (origin,
//! media type, size, the client's rate, the body), Turnstile's check, and
//! how a form page is answered.

use super::ports::BodyError;
use super::reply::Answer;
use super::settings::Turnstile;
use super::{App, AppError, Incoming, Level, Platform, Reply};
use crate::form;
use crate::http::{cache, origin_of, Scripts, V6Group};

/// The rate limiter's period, told to clients in `Retry-After`.
const RATE_PERIOD_SECONDS: u32 = 60;

/// Which form a post is, for the rate limiter: its bucket's name and how
/// an IPv6 client is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The contact form, an IPv6 client by its /64: what it sends goes to
    /// our own contacts, and a /48 may be a whole provider's pool (mobile
    /// networks hand each device a /64 of a shared /48), whose other
    /// visitors must still be able to write.
    Contact,
    /// Subscribing (and a subscriber's own page), an IPv6 client by its
    /// /48: each request mails an address the visitor names, so a bot
    /// rotating /64s within its prefix must share one bucket.
    Subscribe,
}

impl Limit {
    fn key(self) -> &'static str {
        match self {
            Limit::Contact => "contact",
            Limit::Subscribe => "subscribe",
        }
    }

    fn v6_group(self) -> V6Group {
        match self {
            Limit::Contact => V6Group::Slash64,
            Limit::Subscribe => V6Group::Slash48,
        }
    }
}

/// Turnstile's site key when it is on: the forms show its widget.
pub fn turnstile_site_key<'s, P: Platform>(app: &'s App<'_, P>) -> Option<&'s str> {
    app.settings.turnstile.as_ref().map(|t| t.site_key.as_str())
}

/// A form page as answered: Turnstile's script when it is on, and kept by
/// nobody unless it is the blank form (an answer with errors holds what a
/// visitor typed).
pub fn form_reply<P: Platform>(
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

/// One bucket per client address, an IPv6 client by its /64 or /48
/// (`Limit`). A request
/// that does not say where it comes from (Cloudflare's edge always does) is
/// refused rather than put in a bucket shared by all such requests.
async fn rate_limited<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    limit: Limit,
) -> Result<(), AppError> {
    if app.settings.rate_limit_disabled {
        return Ok(());
    }
    let bucket = req
        .header("CF-Connecting-IP")
        .as_deref()
        .and_then(|ip| crate::http::client_bucket(ip, limit.v6_group()))
        .ok_or_else(|| {
            AppError::BadRequest(
                "This request does not say which address it comes from, so it cannot be accepted."
                    .into(),
            )
        })?;
    if app
        .platform
        .allow(&format!("{}:{bucket}", limit.key()))
        .await?
    {
        Ok(())
    } else {
        Err(AppError::TooManyRequests(RATE_PERIOD_SECONDS))
    }
}

/// Turnstile's verdict when it is on: `Some(message)` (in `lang`, the
/// form's) for a missing or failed check, to be shown by the form's field.
pub async fn turnstile_refusal<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    token: &str,
    lang: crate::i18n::Lang,
) -> Result<Option<&'static str>, AppError> {
    let Some(t) = &app.settings.turnstile else {
        return Ok(None);
    };
    let ip = req.header("CF-Connecting-IP");
    let passed = !token.is_empty() && verify_turnstile(app, t, token, ip).await?;
    Ok((!passed).then_some(lang.error_strings().turnstile))
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
    let answer = app.platform.post_form(&t.verify_url, &body).await?;
    let answer: serde_json::Value = serde_json::from_slice(&answer)
        .map_err(|e| AppError::Internal(format!("turnstile answer: {e}")))?;
    Ok(answer["success"].as_bool() == Some(true))
}

/// What every form post goes through before its fields are read: the
/// `Origin`, the media type (which also says how to answer), the size, the
/// client's rate (bucket `<form>:<client>`) and the body, read up to the
/// cap.
pub async fn read_post<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    limit: Limit,
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
    rate_limited(app, req, limit).await?;
    match req.body(form::MAX_BODY_BYTES).await {
        Ok(body) => Ok((answer, body)),
        Err(BodyError::TooLarge) => Err(AppError::PayloadTooLarge),
        Err(BodyError::Unreadable(e)) => {
            // The runtime's words go to the log, not to the visitor.
            app.log(
                Level::Warn,
                &format!("{} body unreadable: {e}", limit.key()),
            );
            Err(AppError::BadRequest(
                "The request body could not be read.".into(),
            ))
        }
    }
}

/// One field of a form-encoded body.
pub fn field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}
