//! A subscriber's side of email alerts, through the links mailed to them
//! (signed, `crate::mail::token`): double opt-in through
//! `/subscribe/confirm`, their own page `/subscription` (topics,
//! frequency, language), and `/unsubscribe` (RFC 8058 one-click); each in
//! every language (`/<lang>/...`), mail linking to the subscriber's. No
//! page or log line holds an address.

use super::db::Unsubscribed;
use super::error::LinkProblem;
use super::forms::{self as post, read_post, Limit};
use super::subscribe::{known_topics, secret, THROTTLE_MILLIS};
use super::{App, AppError, Incoming, Level, Platform, Query, Reply};
use crate::http::cache;
use crate::i18n::Lang;
use crate::mail::form::{self, Errors, Request};
use crate::mail::token::{self, Holder, Link, Purpose, TokenError};
use crate::mail::topics::Choice;
use crate::routes::Route;
use crate::views::subscribe as views;

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
        problem: LinkProblem::Incomplete,
    })
}

fn verify<P: Platform>(app: &App<'_, P>, purpose: Purpose, t: &str) -> Result<String, AppError> {
    token::verify(secret(app)?, purpose, t, app.now()).map_err(|e| match e {
        TokenError::Expired => AppError::BadLink {
            gone: true,
            problem: LinkProblem::ConfirmExpired,
        },
        TokenError::Invalid => not_valid(),
    })
}

/// A link refused: forged, altered, of another kind, or revoked (an older
/// version of the subscriber's links) all answer alike.
fn not_valid() -> AppError {
    AppError::BadLink {
        gone: false,
        problem: LinkProblem::Invalid,
    }
}

/// Who holds a subscriber's link good for `link` (its version not yet
/// checked against theirs).
fn verify_link<P: Platform>(app: &App<'_, P>, link: Link, t: &str) -> Result<Holder, AppError> {
    token::verify_link(secret(app)?, link, t, app.now()).map_err(|e| match e {
        TokenError::Expired => AppError::BadLink {
            gone: true,
            // TOPICS_SECONDS, in days.
            problem: LinkProblem::TopicsExpired,
        },
        TokenError::Invalid => not_valid(),
    })
}

/// `GET /subscribe/confirm?t=`: a button, so that a scanner that follows
/// the link confirms nothing.
pub async fn confirm_form<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    query: &Query,
) -> Result<Reply, AppError> {
    let t = query.get("t").cloned().unwrap_or_default();
    verify(app, Purpose::Confirm, &t)?;
    Ok(Reply::html(200, views::confirm_page(app.site(), lang, &t)).cache(cache::NO_STORE))
}

/// `POST /subscribe/confirm`: the pending request becomes a subscriber (or
/// replaces the address's choice), in one transaction.
pub async fn confirm<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
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
            problem: LinkProblem::Used,
        });
    };
    app.log(
        Level::Info,
        &format!("subscriber id={id} confirmed (request {pending})"),
    );
    let manage = token::link(
        app.site(),
        &token::topics(secret(app)?, &id, links, app.now()),
        Route::Subscription(lang),
    );
    // Confirmed already: a failed read of the names shows them in
    // English rather than an error.
    let names = app.store.names_in(lang, app.now()).await;
    let names = names.unwrap_or(crate::i18n::Names::EMPTY);
    Ok(Reply::html(
        200,
        views::subscribed_page(app.site(), lang, &names, &manage, &choice),
    )
    .cache(cache::NO_STORE))
}

/// The choice of the subscriber holding a link, if the link is of the
/// current version of their links.
async fn subscriber<P: Platform>(app: &App<'_, P>, holder: &Holder) -> Result<Choice, AppError> {
    let current = app.db().subscriber(&holder.id).run().await?;
    let current = current.ok_or(AppError::BadLink {
        gone: true,
        problem: LinkProblem::Deleted,
    })?;
    if current.links != holder.links {
        return Err(not_valid());
    }
    Ok(current.choice)
}

/// `GET /subscription?t=` and `POST /subscription`: a subscriber's topics,
/// frequency and language.
pub async fn settings<P: Platform>(
    app: &App<'_, P>,
    lang: Lang,
    req: &impl Incoming,
    query: &Query,
) -> Result<Reply, AppError> {
    let names = app.store.names_in(lang, app.now()).await?;
    let page = |token: &str, topics: &[String], choice: &Choice, errors: &Errors, saved| {
        let page = views::SubscriptionPage {
            lang,
            token,
            topics,
            names: &names,
            choice,
            errors,
            saved,
        };
        views::subscription_page(app.site(), &page)
    };
    if req.method() != crate::routes::Method::Post {
        let t = query.get("t").cloned().unwrap_or_default();
        let choice = subscriber(app, &verify_link(app, Link::Topics, &t)?).await?;
        let mut topics = known_topics(app).await?;
        merge(&mut topics, &choice.topics);
        let page = page(&t, &topics, &choice, &Errors::default(), false);
        return Ok(Reply::html(200, page).cache(cache::NO_STORE));
    }
    let (_, body) = read_post(app, req, Limit::Subscribe).await?;
    let t = post::field(&body, "t").unwrap_or_default();
    let holder = verify_link(app, Link::Topics, &t)?;
    let id = holder.id.clone();
    let current = subscriber(app, &holder).await?;
    let mut request = Request::from_form(&body).map_err(|e| AppError::BadRequest(e.0))?;
    let mut topics = known_topics(app).await?;
    merge(&mut topics, &current.topics);
    if request.lang.is_empty() {
        // A form without the language keeps the subscriber's.
        request.lang = current.lang.code().to_string();
    }
    let choice = match form::choice(&request, &topics, lang) {
        Ok(c) => c,
        Err(errors) => {
            let page = page(&t, &topics, &current, &errors, false);
            return Ok(Reply::html(422, page).cache(cache::NO_STORE));
        }
    };
    app.db().set_choice(&id, &choice).run().await?;
    app.log(
        Level::Info,
        &format!("subscriber id={id} changed their choice"),
    );
    let page = page(&t, &topics, &choice, &Errors::default(), true);
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
    lang: Lang,
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
        return Ok(
            Reply::html(200, views::unsubscribe_page(app.site(), lang, &t)).cache(cache::NO_STORE),
        );
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
    Ok(Reply::html(200, views::unsubscribed_page(app.site(), lang)).cache(cache::NO_STORE))
}
