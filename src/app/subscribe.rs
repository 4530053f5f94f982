//! Readers' side of email alerts: `/subscribe` (form and JSON, with the
//! contact form's refusals), double opt-in through `/subscribe/confirm`,
//! a subscriber's own page `/subscription`, and `/unsubscribe` (RFC 8058
//! one-click). Subscribers live in D1 (`migrations/`). Whatever the
//! address, the answer to a subscription is the same "check your inbox":
//! nobody can learn who subscribes. No page, JSON answer or log line holds
//! an address.

use super::db::{NewRequest, Unsubscribed, HOUR_MILLIS};
use super::forms::{
    self as post, form_reply, read_post, turnstile_refusal, turnstile_site_key, Limit,
};
use super::messages::MailMessage;
use super::reply::Answer;
use super::{App, AppError, Incoming, Level, Platform, Query, Reply};
use crate::http::cache;
use crate::mail::form::{self, Errors, Request};
use crate::mail::token::{self, Holder, Link, Purpose, TokenError};
use crate::mail::topics::{Choice, Topics};
use crate::routes::Route;
use crate::views::subscribe as views;
use serde_json::json;

/// One confirmation email per address per this long.
pub const THROTTLE_MILLIS: i64 = 10 * 60 * 1000;

/// The secret that signs links, or 503: without it nothing can be confirmed.
fn secret<'s, P: Platform>(app: &'s App<'_, P>) -> Result<&'s str, AppError> {
    app.settings
        .subscriber_secret
        .as_deref()
        .ok_or_else(|| AppError::Unavailable("SUBSCRIBER_SECRET is not set".into()))
}

/// The topics a reader may choose now.
pub(super) async fn known_topics<P: Platform>(app: &App<'_, P>) -> Result<Vec<String>, AppError> {
    let text = app.store.get_text(crate::mail::topics::KEY).await?;
    Ok(Topics::parse(text.as_deref().unwrap_or("")).public(app.now()))
}

/// `GET /subscribe`.
pub async fn form<P: Platform>(app: &App<'_, P>) -> Result<Reply, AppError> {
    let topics = known_topics(app).await?;
    Ok(render(
        app,
        &topics,
        &Request::default(),
        &Errors::default(),
        200,
    ))
}

fn render<P: Platform>(
    app: &App<'_, P>,
    topics: &[String],
    values: &Request,
    errors: &Errors,
    status: u16,
) -> Reply {
    let page = views::subscribe_page(
        app.site(),
        &views::SubscribeForm {
            topics,
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

fn check_inbox(answer: Answer) -> Reply {
    match answer {
        Answer::Json => Reply::json(
            202,
            &json!({ "status": "pending", "message": "Check your inbox: a confirmation link is on its way if the address can receive our alerts." }),
        ),
        Answer::Page => Reply::redirect(303, &Route::SubscribeCheck.path()),
    }
    .cache(cache::NO_STORE)
}

/// `POST /subscribe`.
pub async fn submit<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    let (answer, body) = read_post(app, req, Limit::Subscribe).await?;
    let request = match answer {
        Answer::Json => Request::from_json(&body),
        Answer::Page => Request::from_form(&body),
    }
    .map_err(|e| AppError::BadRequest(e.0))?;
    let topics = known_topics(app).await?;
    if request.prefill {
        // The footer's short form: the full form with the address in it;
        // nothing is kept or sent.
        let values = Request {
            email: request.email,
            ..Request::default()
        };
        // Not a blank form: kept by nobody (see `form_reply`).
        return Ok(render(app, &topics, &values, &Errors::default(), 200));
    }
    let choice = match form::validate(&request, &topics) {
        Ok(choice) => choice,
        Err(errors) => {
            return Ok(match answer {
                Answer::Json => Reply::json(422, &errors.to_json()).cache(cache::NO_STORE),
                Answer::Page => render(app, &topics, &request, &errors, 422),
            })
        }
    };
    if let Some(message) = turnstile_refusal(app, req, &request.turnstile_token).await? {
        let errors = Errors(vec![("turnstile", message.to_string())]);
        return Ok(match answer {
            Answer::Json => Reply::json(403, &errors.to_json()).cache(cache::NO_STORE),
            Answer::Page => render(app, &topics, &request, &errors, 403),
        });
    }
    secret(app)?;
    // The honeypot is looked at last: a filled one changes no answer.
    if request.is_spam() {
        app.log(Level::Info, "subscription dropped: honeypot filled");
        return Ok(check_inbox(answer));
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
        return Ok(check_inbox(answer));
    }
    if super::suppress::is_suppressed(app, &request.normalised_email()).await? {
        // Bounced or complained before: the same answer, nothing kept or
        // sent, and none of the hour's budget spent on it.
        let _ = app.db().forget_request(&id).run_raw().await;
        app.log(
            Level::Info,
            "subscription request: the address is suppressed; nothing sent",
        );
        return Ok(check_inbox(answer));
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
        return Ok(check_inbox(answer));
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
    Ok(check_inbox(answer))
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

/// The token of a GET's query or a POST's form body.
async fn token_of(req: &impl Incoming, query: &Query) -> Result<String, AppError> {
    if let Some(t) = query.get("t") {
        return Ok(t.clone());
    }
    if req.method() == crate::routes::Method::Post {
        if let Ok(body) = req.body(crate::form::MAX_BODY_BYTES).await {
            if let Some(t) = post::field(&body, "t") {
                return Ok(t);
            }
        }
    }
    Err(AppError::BadLink {
        gone: false,
        message: "This link is incomplete. Open the link from the email as it is.".into(),
    })
}

fn verify<P: Platform>(app: &App<'_, P>, purpose: Purpose, t: &str) -> Result<String, AppError> {
    token::verify(secret(app)?, purpose, t, app.now()).map_err(|e| match e {
        TokenError::Expired => AppError::BadLink {
            gone: true,
            message: "This confirmation link has expired (links work for 48 hours). Subscribe again to get a new one.".into(),
        },
        TokenError::Invalid => not_valid(),
    })
}

/// A link refused: forged, altered, of another kind, or revoked (an older
/// version of the subscriber's links) all answer alike.
fn not_valid() -> AppError {
    AppError::BadLink {
        gone: false,
        message: "This link is not valid. Open the link from the email as it is.".into(),
    }
}

/// Who holds a subscriber's link good for `link` (its version not yet
/// checked against theirs).
fn verify_link<P: Platform>(app: &App<'_, P>, link: Link, t: &str) -> Result<Holder, AppError> {
    token::verify_link(secret(app)?, link, t, app.now()).map_err(|e| match e {
        TokenError::Expired => AppError::BadLink {
            gone: true,
            // TOPICS_SECONDS, in days.
            message: "This link to change your topics has expired (it works for 90 days). Use the link in a recent alert email; every email also has a link to unsubscribe.".into(),
        },
        TokenError::Invalid => not_valid(),
    })
}

/// `GET /subscribe/confirm?t=`: a button, so that a scanner that follows
/// the link confirms nothing.
pub async fn confirm_form<P: Platform>(app: &App<'_, P>, query: &Query) -> Result<Reply, AppError> {
    let t = query.get("t").cloned().unwrap_or_default();
    verify(app, Purpose::Confirm, &t)?;
    Ok(Reply::html(200, views::confirm_page(app.site(), &t)).cache(cache::NO_STORE))
}

/// `POST /subscribe/confirm`: the pending request becomes a subscriber (or
/// replaces the address's choice), in one transaction.
pub async fn confirm<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    query: &Query,
) -> Result<Reply, AppError> {
    let t = token_of(req, query).await?;
    let pending = verify(app, Purpose::Confirm, &t)?;
    let (new, used) = (app.new_id()?, app.new_id()?);
    let confirmed = app
        .db()
        .confirm(&pending, app.now_millis(), &new, &used, THROTTLE_MILLIS)
        .run()
        .await?;
    let Some(super::db::Confirmed { id, links, choice }) = confirmed else {
        return Err(AppError::BadLink {
            gone: true,
            message: "This link was already used, or the request has expired. Subscribe again if you want to.".into(),
        });
    };
    app.log(
        Level::Info,
        &format!("subscriber id={id} confirmed (request {pending})"),
    );
    let manage = token::link(
        app.site(),
        &token::topics(secret(app)?, &id, links, app.now()),
        Route::Subscription,
    );
    Ok(
        Reply::html(200, views::subscribed_page(app.site(), &manage, &choice))
            .cache(cache::NO_STORE),
    )
}

/// The choice of the subscriber holding a link, if the link is of the
/// current version of their links.
async fn subscriber<P: Platform>(app: &App<'_, P>, holder: &Holder) -> Result<Choice, AppError> {
    let current = app.db().subscriber(&holder.id).run().await?;
    let current = current.ok_or(AppError::BadLink {
        gone: true,
        message: "This subscription no longer exists: the address was unsubscribed and deleted."
            .into(),
    })?;
    if current.links != holder.links {
        return Err(not_valid());
    }
    Ok(current.choice)
}

/// `GET /subscription?t=` and `POST /subscription`: a subscriber's topics
/// and frequency.
pub async fn settings<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    query: &Query,
) -> Result<Reply, AppError> {
    if req.method() != crate::routes::Method::Post {
        let t = query.get("t").cloned().unwrap_or_default();
        let choice = subscriber(app, &verify_link(app, Link::Topics, &t)?).await?;
        let mut topics = known_topics(app).await?;
        merge(&mut topics, &choice.topics);
        let page =
            views::subscription_page(app.site(), &t, &topics, &choice, &Errors::default(), false);
        return Ok(Reply::html(200, page).cache(cache::NO_STORE));
    }
    let (_, body) = read_post(app, req, Limit::Subscribe).await?;
    let t = post::field(&body, "t").unwrap_or_default();
    let holder = verify_link(app, Link::Topics, &t)?;
    let id = holder.id.clone();
    let current = subscriber(app, &holder).await?;
    let request = Request::from_form(&body).map_err(|e| AppError::BadRequest(e.0))?;
    let mut topics = known_topics(app).await?;
    merge(&mut topics, &current.topics);
    let choice = match form::choice(&request, &topics) {
        Ok(c) => c,
        Err(errors) => {
            let page = views::subscription_page(app.site(), &t, &topics, &current, &errors, false);
            return Ok(Reply::html(422, page).cache(cache::NO_STORE));
        }
    };
    app.db().set_choice(&id, &choice).run().await?;
    app.log(
        Level::Info,
        &format!("subscriber id={id} changed their choice"),
    );
    let page = views::subscription_page(app.site(), &t, &topics, &choice, &Errors::default(), true);
    Ok(Reply::html(200, page).cache(cache::NO_STORE))
}

/// A subscriber's own topics stay choosable even when no public alert has
/// them any more.
fn merge(topics: &mut Vec<String>, own: &[String]) {
    for t in own {
        if !topics.contains(t) {
            topics.push(t.clone());
        }
    }
    topics.sort();
}

/// `GET /unsubscribe?t=`: a button. `POST /unsubscribe?t=`: the erasure,
/// one statement (topics and delivery records go with the row). This is
/// also RFC 8058's one-click POST (`List-Unsubscribe=One-Click`), which mail
/// providers send without an Origin: the signed link is the authority,
/// if it is of the current version of the subscriber's links.
pub async fn unsubscribe<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    query: &Query,
) -> Result<Reply, AppError> {
    if req.method() != crate::routes::Method::Post {
        let t = query.get("t").cloned().unwrap_or_default();
        let holder = verify_link(app, Link::Unsubscribe, &t)?;
        // A link already used shows the button all the same (pressing it
        // says "unsubscribed"); a revoked one is refused.
        let current = app.db().subscriber(&holder.id).run().await?;
        if current.is_some_and(|c| c.links != holder.links) {
            return Err(not_valid());
        }
        return Ok(Reply::html(200, views::unsubscribe_page(app.site(), &t)).cache(cache::NO_STORE));
    }
    let t = token_of(req, query).await?;
    let holder = verify_link(app, Link::Unsubscribe, &t)?;
    let id = &holder.id;
    let what = match app.db().unsubscribe(id, holder.links).run().await? {
        Unsubscribed::Erased => "unsubscribed and deleted",
        Unsubscribed::Gone => "was already unsubscribed",
        Unsubscribed::Revoked => {
            app.log(
                Level::Info,
                &format!("subscriber id={id}: a revoked unsubscribe link refused"),
            );
            return Err(not_valid());
        }
    };
    app.log(Level::Info, &format!("subscriber id={id} {what}"));
    Ok(Reply::html(200, views::unsubscribed_page(app.site())).cache(cache::NO_STORE))
}
