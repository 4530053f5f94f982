//! Readers' side of email alerts, asking: `/subscribe` (form and JSON,
//! with the contact form's refusals), in every language
//! (`/<lang>/subscribe`), which puts the confirmation request of double
//! opt-in on the queue; `super::subscriber` does the rest, through the
//! signed links. Subscribers live in D1 (`migrations/`). Whatever the
//! address, the answer to a subscription is the same "check your inbox":
//! nobody can learn who subscribes. No page, JSON answer or log line holds
//! an address.

use super::db::{NewRequest, HOUR_MILLIS};
use super::forms::{form_reply, read_post, turnstile_refusal, turnstile_site_key, Limit};
use super::messages::MailMessage;
use super::reply::Answer;
use super::{App, AppError, Incoming, Level, Platform, Reply};
use crate::http::cache;
use crate::i18n::{Lang, Names};
use crate::mail::form::{self, Errors, Request};
use crate::mail::token;
use crate::routes::Route;
use crate::views::subscribe as views;
use serde_json::json;

/// One confirmation email per address per this long.
pub const THROTTLE_MILLIS: i64 = 10 * 60 * 1000;

/// The secret that signs links, or 503: without it nothing can be confirmed.
pub(super) fn secret<'s, P: Platform>(app: &'s App<'_, P>) -> Result<&'s str, AppError> {
    app.settings
        .subscriber_secret
        .as_deref()
        .ok_or_else(|| AppError::Unavailable("SUBSCRIBER_SECRET is not set".into()))
}

/// The topics a reader may choose now.
pub(super) async fn known_topics<P: Platform>(app: &App<'_, P>) -> Result<Vec<String>, AppError> {
    app.store.topics(app.now()).await
}

/// `GET /subscribe` (`/<lang>/subscribe`).
pub async fn form<P: Platform>(app: &App<'_, P>, lang: Lang) -> Result<Reply, AppError> {
    let topics = known_topics(app).await?;
    let names = app.store.names_in(lang, app.now()).await?;
    Ok(render(
        app,
        lang,
        &topics,
        &names,
        &Request::default(),
        &Errors::default(),
        200,
    ))
}

fn render<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    topics: &[String],
    names: &Names,
    values: &Request,
    errors: &Errors,
    status: u16,
) -> Reply {
    let page = views::subscribe_page(
        app.site(),
        &views::SubscribeForm {
            lang,
            topics,
            names,
            values,
            errors,
            turnstile_site_key: turnstile_site_key(app),
        },
    );
    form_reply(
        app,
        page,
        status,
        errors.is_empty() && values.email.is_empty(),
    )
}

fn check_inbox(answer: Answer, lang: Lang) -> Reply {
    match answer {
        Answer::Json => Reply::json(
            202,
            &json!({ "status": "pending", "message": "Check your inbox: a confirmation link is on its way if the address can receive our alerts." }),
        ),
        Answer::Page => Reply::redirect(303, &Route::SubscribeCheck(lang).path()),
    }
    .cache(cache::NO_STORE)
}

/// `POST /subscribe` (`/<lang>/subscribe`: its messages in that language,
/// and the mails' unless the form names another).
pub async fn submit<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    req: &impl Incoming,
) -> Result<Reply, AppError> {
    let (answer, body) = read_post(app, req, Limit::Subscribe).await?;
    let request = match answer {
        Answer::Json => Request::from_json(&body),
        Answer::Page => Request::from_form(&body),
    }
    .map_err(|e| AppError::BadRequest(e.0))?;
    let topics = known_topics(app).await?;
    let names = app.store.names_in(lang, app.now()).await?;
    if request.prefill {
        // The footer's short form: the full form with the address in it;
        // nothing is kept or sent.
        let values = Request {
            email: request.email,
            ..Request::default()
        };
        // Not a blank form: kept by nobody (see `form_reply`).
        return Ok(render(
            app,
            lang,
            &topics,
            &names,
            &values,
            &Errors::default(),
            200,
        ));
    }
    let choice = match form::validate(&request, &topics, lang) {
        Ok(choice) => choice,
        Err(errors) => {
            return Ok(match answer {
                Answer::Json => Reply::json(422, &errors.to_json()).cache(cache::NO_STORE),
                Answer::Page => render(app, lang, &topics, &names, &request, &errors, 422),
            })
        }
    };
    if let Some(message) = turnstile_refusal(app, req, &request.turnstile_token, lang).await? {
        let errors = Errors(vec![("turnstile", message.to_string())]);
        return Ok(match answer {
            Answer::Json => Reply::json(403, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, lang, &topics, &names, &request, &errors, 403),
        });
    }
    secret(app)?;
    // The honeypot is looked at last: a filled one changes no answer.
    if request.is_spam() {
        app.log(Level::Info, "subscription dropped: honeypot filled");
        return Ok(check_inbox(answer, lang));
    }
    let id = app.new_id()?;
    let now = app.now_millis();
    let kept = app
        .db()
        .request(&NewRequest {
            id: &id,
            email: &request.normalised_email(),
            choice: &choice,
            now_millis: now,
            expires_millis: now + token::CONFIRM_SECONDS * 1000,
            throttle_before: now - THROTTLE_MILLIS,
        })
        .run()
        .await?;
    if !kept {
        // Asked less than ten minutes ago: the same answer, no new email.
        app.log(Level::Info, "subscription request throttled");
        return Ok(check_inbox(answer, lang));
    }
    if super::suppress::is_suppressed(app, &request.normalised_email()).await? {
        // Bounced or complained before: the same answer, nothing kept or
        // sent, and none of the hour's budget spent on it.
        let _ = app.db().forget_request(&id).run_raw().await;
        app.log(
            Level::Info,
            "subscription request: the address is suppressed; nothing sent",
        );
        return Ok(check_inbox(answer, lang));
    }
    if !within_budget(app).await? {
        // Past the hour's budget: the same answer, nothing kept or sent;
        // the visitor may ask again in a later hour.
        let _ = app.db().forget_request(&id).run_raw().await;
        app.log(
            Level::Warn,
            &format!(
                "subscription request dropped: the hour's {} confirmation emails (CONFIRMATIONS_PER_HOUR) are spent",
                app.settings.confirmations_per_hour
            ),
        );
        return Ok(check_inbox(answer, lang));
    }
    let confirm = MailMessage::Confirm {
        pending: id.clone(),
    };
    if let Err(e) = app.platform.send_mail(&[(confirm, 0)]).await {
        // Not kept: the visitor is told to try again, and may at once.
        let _ = app.db().forget_request(&id).run_raw().await;
        return Err(AppError::Unavailable(format!(
            "confirm id={id} enqueue failed: {e}"
        )));
    }
    app.log(
        Level::Info,
        &format!("subscription pending id={id}: confirmation queued"),
    );
    Ok(check_inbox(answer, lang))
}

/// Takes one confirmation email from this hour's budget, all addresses
/// together (`CONFIRMATIONS_PER_HOUR`); false when it is spent.
async fn within_budget<P: Platform>(app: &App<'_, P>) -> Result<bool, AppError> {
    let per_hour = app.settings.confirmations_per_hour;
    if per_hour <= 0 {
        return Ok(false);
    }
    let hour = app.now_millis().div_euclid(HOUR_MILLIS);
    app.db().take_confirmation(hour, per_hour).run().await
}
