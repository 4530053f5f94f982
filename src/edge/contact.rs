//! The contact form: `GET /contact` and `POST /contact` (form-encoded or
//! JSON). An inquiry is acknowledged only once it is on the `INQUIRIES`
//! queue; the rate limiter (`CONTACT_LIMITER`) is used here only.

use super::config;
use super::error::AppError;
use super::reply::Reply;
use super::store::Store;
use crate::content::Contact;
use crate::form::{self, Field, FormErrors, Inquiry, QueuedInquiry};
use crate::http::{cache, origin_of};
use crate::views::{self, ContactForm, Site};
use worker::{Env, Request};

/// Seconds a repeated (contact, email, message) is recognised as a duplicate.
const DUPLICATE_WINDOW_SECONDS: u64 = 600;
/// The rate limiter's period, told to clients in `Retry-After`.
const RATE_PERIOD_SECONDS: u32 = 60;

fn general(contacts: &[Contact]) -> String {
    contacts
        .iter()
        .find(|c| c.general)
        .or(contacts.first())
        .map(|c| c.id.clone())
        .unwrap_or_default()
}

pub async fn form(
    query: &std::collections::HashMap<String, String>,
    env: &Env,
    site: &Site,
) -> Result<Reply, AppError> {
    let contacts = Store::new(env).contacts().await?;
    let to = query
        .get("to")
        .filter(|to| contacts.iter().any(|c| &c.id == *to))
        .cloned()
        .unwrap_or_else(|| general(&contacts));
    let values = Inquiry {
        contact: to,
        ..Default::default()
    };
    Ok(render(
        env,
        site,
        &contacts,
        &values,
        &FormErrors::default(),
        200,
    ))
}

fn render(
    env: &Env,
    site: &Site,
    contacts: &[Contact],
    values: &Inquiry,
    errors: &FormErrors,
    status: u16,
) -> Reply {
    let turnstile = config::turnstile(env);
    let markup = views::contact_page(
        site,
        &ContactForm {
            contacts,
            values,
            errors,
            turnstile_site_key: turnstile.as_ref().map(|t| t.site_key.as_str()),
        },
    );
    let reply = Reply::html(status, markup);
    if status == 200 && errors.is_empty() {
        reply
    } else {
        reply.cache(cache::NO_STORE)
    }
}

/// A browser's `Origin` must be this site (as configured, or as requested);
/// a request without one (a script) is judged on its content.
fn check_origin(req: &Request, site: &Site) -> Result<(), AppError> {
    let Some(origin) = req.headers().get("Origin").ok().flatten() else {
        return Ok(());
    };
    let origin = origin.to_ascii_lowercase();
    let own = origin_of(&req.inner().url());
    if Some(&origin) == origin_of(&site.url).as_ref() || Some(&origin) == own.as_ref() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "This form can only be sent from this site.".into(),
        ))
    }
}

async fn rate_limited(req: &Request, env: &Env) -> Result<(), AppError> {
    if config::rate_limit_disabled(env) {
        return Ok(());
    }
    let ip = req
        .headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into());
    let limiter = env.rate_limiter("CONTACT_LIMITER")?;
    if limiter.limit(format!("contact:{ip}")).await?.success {
        Ok(())
    } else {
        Err(AppError::TooManyRequests(RATE_PERIOD_SECONDS))
    }
}

/// A new inquiry id: milliseconds since the epoch (sortable) and 64 random bits.
fn new_id() -> Result<String, AppError> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    let mut id = format!("{:012x}", worker::Date::now().as_millis());
    for b in random {
        id.push_str(&format!("{b:02x}"));
    }
    Ok(id)
}

fn accepted(json: bool, id: &str) -> Reply {
    if json {
        Reply::json(202, &serde_json::json!({ "id": id })).cache(cache::NO_STORE)
    } else {
        Reply::redirect(303, "/contact/thanks").cache(cache::NO_STORE)
    }
}

async fn verify_turnstile(
    t: &config::Turnstile,
    token: &str,
    ip: Option<String>,
) -> Result<bool, AppError> {
    use worker::{Fetch, Headers, Method, Request as WReq, RequestInit};
    let mut fields = vec![
        ("secret", t.secret.clone()),
        ("response", token.to_string()),
    ];
    if let Some(ip) = ip {
        fields.push(("remoteip", ip));
    }
    let body = serde_urlencoded::to_string(&fields).unwrap_or_default();
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = WReq::new_with_init(&t.verify_url, &init)?;
    let mut response = Fetch::Request(request).send().await?;
    let answer: serde_json::Value = response.json().await?;
    Ok(answer["success"].as_bool() == Some(true))
}

pub async fn submit(req: &mut Request, env: &Env, site: &Site) -> Result<Reply, AppError> {
    check_origin(req, site)?;
    let content_type = req
        .headers()
        .get("Content-Type")
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let json = match content_type.split(';').next().unwrap_or("").trim() {
        "application/x-www-form-urlencoded" => false,
        "application/json" => true,
        _ => return Err(AppError::UnsupportedMediaType),
    };
    let declared: Option<usize> = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|l| l.parse().ok());
    if declared.is_some_and(|l| l > form::MAX_BODY_BYTES) {
        return Err(AppError::PayloadTooLarge);
    }
    rate_limited(req, env).await?;
    let body = req.bytes().await?;
    if body.len() > form::MAX_BODY_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let parsed = if json {
        Inquiry::from_json(&body)
    } else {
        Inquiry::from_form(&body)
    };
    let inquiry = parsed.map_err(|e| AppError::BadRequest(e.0))?;
    if inquiry.is_spam() {
        // Answered like a success so robots learn nothing; dropped.
        return Ok(accepted(json, &new_id()?));
    }
    let store = Store::new(env);
    let contacts = store.contacts().await?;
    let errors = form::validate(&inquiry, &contacts);
    if !errors.is_empty() {
        return Ok(if json {
            Reply::json(422, &errors.to_json()).cache(cache::NO_STORE)
        } else {
            render(env, site, &contacts, &inquiry, &errors, 422)
        });
    }
    if let Some(t) = config::turnstile(env) {
        let ip = req.headers().get("CF-Connecting-IP").ok().flatten();
        let passed = !inquiry.turnstile_token.is_empty()
            && verify_turnstile(&t, &inquiry.turnstile_token, ip).await?;
        if !passed {
            let message =
                "The anti-robot check failed or is missing. Please complete it and send again.";
            return Ok(if json {
                Reply::json(403, &serde_json::json!({ "error": message, "errors": { Field::Turnstile.name(): message } }))
                    .cache(cache::NO_STORE)
            } else {
                let mut errors = FormErrors::default();
                errors.add(Field::Turnstile, message);
                render(env, site, &contacts, &inquiry, &errors, 403)
            });
        }
    }
    let fingerprint = format!("inq:recent:{}", form::duplicate_fingerprint(&inquiry));
    if let Some(previous) = store.get_text(&fingerprint).await? {
        return Ok(accepted(json, &previous));
    }
    let id = new_id()?;
    let received = super::app::now_utc();
    let received = views::rfc3339(received);
    let queued = QueuedInquiry::new(id.clone(), received, &inquiry);
    if let Err(e) = env.queue("INQUIRIES")?.send(&queued).await {
        worker::console_error!("inquiry id={id} error=enqueue-failed {e}");
        let mut errors = FormErrors::default();
        errors.add(Field::Message, "Your message could not be accepted just now. Nothing was sent; please try again in a minute.");
        return Ok(if json {
            Reply::json(503, &errors.to_json()).cache(cache::NO_STORE)
        } else {
            render(env, site, &contacts, &inquiry, &errors, 503)
        }
        .header("Retry-After", "60"));
    }
    worker::console_log!("inquiry id={id} queued");
    match store
        .kv()
        .and_then(|kv| Ok(kv.put(&fingerprint, id.as_str())?))
    {
        Ok(put) => {
            if let Err(e) = put.expiration_ttl(DUPLICATE_WINDOW_SECONDS).execute().await {
                worker::console_warn!("inquiry id={id} error=fingerprint-not-stored {e}");
            }
        }
        Err(e) => worker::console_warn!("inquiry id={id} error=fingerprint-not-stored {e:?}"),
    }
    Ok(accepted(json, &id))
}
