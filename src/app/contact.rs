//! The contact form: `GET /contact` and `POST /contact` (form-encoded or
//! JSON), and the same under each language's prefix (`/fr/contact`), in
//! that language. An inquiry is acknowledged only once it is on the
//! inquiries queue.

use super::forms::{form_reply, read_post, turnstile_refusal, turnstile_site_key, Limit};
use super::reply::Answer;
use super::{App, AppError, Incoming, Level, Platform, Query, Reply};
use crate::content::Contact;
use crate::form::{self, Field, FormErrors, Inquiry, QueuedInquiry};
use crate::http::cache;
use crate::i18n::Lang;
use crate::keys;
use crate::routes::Route;
use crate::views::{self, ContactForm};

/// Seconds a repeated (contact, email, message) is recognised as a duplicate.
const DUPLICATE_WINDOW_SECONDS: u64 = 600;

fn general(contacts: &[Contact]) -> String {
    contacts
        .iter()
        .find(|c| c.general)
        .or(contacts.first())
        .map(|c| c.id.clone())
        .unwrap_or_default()
}

/// `GET /contact[?to=<id>]` (`/<lang>/contact`).
pub async fn form<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    query: &Query,
) -> Result<Reply, AppError> {
    let contacts = app.store.kept_contacts(app.now_millis()).await?;
    let to = query
        .get("to")
        .filter(|to| contacts.iter().any(|c| &c.id == *to))
        .cloned()
        .unwrap_or_else(|| general(&contacts));
    let values = Inquiry {
        contact: to,
        ..Default::default()
    };
    let blank = FormErrors::default();
    Ok(render(app, lang, &contacts, &values, &blank, 200))
}

fn render<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    contacts: &[Contact],
    values: &Inquiry,
    errors: &FormErrors,
    status: u16,
) -> Reply {
    let markup = views::contact_page(
        app.site(),
        &ContactForm {
            lang,
            contacts,
            values,
            errors,
            turnstile_site_key: turnstile_site_key(app),
        },
    );
    form_reply(app, markup, status, errors.is_empty())
}

fn accepted(answer: Answer, lang: Lang, id: &str) -> Reply {
    match answer {
        Answer::Json => Reply::json(202, &serde_json::json!({ "id": id })).cache(cache::NO_STORE),
        Answer::Page => {
            Reply::redirect(303, &Route::ContactThanks(lang).path()).cache(cache::NO_STORE)
        }
    }
}

/// `POST /contact` (`/<lang>/contact`).
pub async fn submit<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    req: &impl Incoming,
) -> Result<Reply, AppError> {
    let (answer, body) = read_post(app, req, Limit::Contact).await?;
    let parsed = match answer {
        Answer::Json => Inquiry::from_json(&body),
        Answer::Page => Inquiry::from_form(&body),
    };
    let inquiry = parsed.map_err(|e| AppError::BadRequest(e.0))?;
    // The honeypot is looked at last, once everything a person would be
    // told about has been checked: a filled one changes no answer.
    let contacts = app.store.kept_contacts(app.now_millis()).await?;
    let errors = form::validate(&inquiry, &contacts, lang);
    if !errors.is_empty() {
        return Ok(match answer {
            Answer::Json => Reply::json(422, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, lang, &contacts, &inquiry, &errors, 422),
        });
    }
    if let Some(message) = turnstile_refusal(app, req, &inquiry.turnstile_token, lang).await? {
        let mut errors = FormErrors::default();
        errors.add(Field::Turnstile, message);
        return Ok(match answer {
            Answer::Json => Reply::json(403, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, lang, &contacts, &inquiry, &errors, 403),
        });
    }
    // A baited post is remembered apart, so that it never makes a person's
    // identical post look like a repeat.
    let mut fingerprint = keys::inquiry_recent(&form::duplicate_fingerprint(&inquiry));
    if inquiry.is_spam() {
        fingerprint.push_str(":honeypot");
    }
    if let Some(previous) = app.store.get_text(&fingerprint).await? {
        return Ok(accepted(answer, lang, &previous));
    }
    let id = app.new_id()?;
    if inquiry.is_spam() {
        // Answered like a success, repeats included, and never sent.
        app.log(
            Level::Info,
            &format!("inquiry id={id} dropped: honeypot filled"),
        );
        remember(app, &fingerprint, &id).await;
        return Ok(accepted(answer, lang, &id));
    }
    let received = crate::dates::rfc3339(app.now_utc());
    let queued = QueuedInquiry::new(id.clone(), received, &inquiry, lang);
    if let Err(e) = app.platform.send_inquiry(&queued).await {
        app.log(
            Level::Error,
            &format!("inquiry id={id} error=enqueue-failed {e}"),
        );
        let mut errors = FormErrors::default();
        errors.add(Field::Message, lang.contact_errors().unavailable);
        return Ok(match answer {
            Answer::Json => Reply::json(503, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, lang, &contacts, &inquiry, &errors, 503),
        }
        .header("Retry-After", "60"));
    }
    app.log(Level::Info, &format!("inquiry id={id} queued"));
    remember(app, &fingerprint, &id).await;
    Ok(accepted(answer, lang, &id))
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
