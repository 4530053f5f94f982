//! Readers' side of email alerts: `/subscribe` (form and JSON, with the
//! contact form's refusals), double opt-in through `/subscribe/confirm`,
//! a subscriber's own page `/subscription`, and `/unsubscribe` (RFC 8058
//! one-click). Subscribers live in D1 (`migrations/`). Whatever the
//! address, the answer to a subscription is the same "check your inbox":
//! nobody can learn who subscribes. No page, JSON answer or log line holds
//! an address.

use super::contact::{form_reply, read_post, turnstile_refusal, turnstile_site_key, Answer};
use super::ports::{MailQueue, Sql, Stmt};
use super::{App, AppError, Incoming, Level, Platform, Query, Reply};
use crate::http::cache;
use crate::mail::form::{self, Errors, Request};
use crate::mail::token::{self, Purpose, TokenError};
use crate::mail::topics::{Choice, Frequency, Topics};
use crate::routes::Route;
use crate::views::subscribe as views;
use serde_json::{json, Value};

/// One confirmation email per address per this long.
pub const THROTTLE_MILLIS: i64 = 10 * 60 * 1000;

/// The secret that signs links, or 503: without it nothing can be confirmed.
fn secret<'s, P: Platform>(app: &'s App<'_, P>) -> Result<&'s str, AppError> {
    app.settings
        .subscriber_secret
        .as_deref()
        .ok_or_else(|| AppError::Unavailable("SUBSCRIBER_SECRET is not set".into()))
}

/// D1's failures as 503s: nothing was kept, try again.
pub(super) async fn db<P: Platform>(
    app: &App<'_, P>,
    stmts: &[Stmt<'_>],
) -> Result<Vec<Vec<super::ports::Row>>, AppError> {
    app.platform
        .db()
        .batch(stmts)
        .await
        .map_err(|e| AppError::Unavailable(format!("d1: {}", d1_kind(&e.0))))
}

/// What a D1 failure was, fit for a log line: the runtime's message may
/// quote a value it was given (an address), so only its kind is kept, and
/// the phrases that name a table or column (a database not migrated).
pub fn d1_kind(message: &str) -> String {
    const SAFE: [&str; 6] = [
        "no such table",
        "no such column",
        "UNIQUE constraint failed",
        "FOREIGN KEY constraint failed",
        "CHECK constraint failed",
        "binding DB is missing",
    ];
    let code = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.starts_with("D1_") || w.starts_with("SQLITE_"))
        .unwrap_or("d1-call-failed");
    match SAFE.iter().find(|s| message.contains(*s)) {
        Some(phrase) => {
            let at = message.find(phrase).unwrap_or(0);
            let named: String = message[at..]
                .chars()
                .take_while(|c| *c != '\n' && *c != '(' && *c != '"' && *c != '\'')
                .take(80)
                .collect();
            format!("{code} {}", named.trim())
        }
        None => code.to_string(),
    }
}

/// The topics a reader may choose now.
pub(super) async fn known_topics<P: Platform>(app: &App<'_, P>) -> Result<Vec<String>, AppError> {
    let text = app.store.get_text(crate::mail::topics::KEY).await?;
    Ok(Topics::parse(text.as_deref().unwrap_or("")).public(app.now()))
}

/// A subscriber's token, which both their links carry (it does not expire).
pub fn manage_token(secret: &str, id: &str) -> String {
    token::sign(secret, Purpose::Manage, id, 0)
}

/// A subscriber's link (topics and frequency, or unsubscribe) as an
/// absolute URL, from their token.
pub fn manage_url(site: &crate::views::Site, token: &str, route: Route) -> String {
    site.abs(&format!("{}?t={token}", route.path()))
}

/// A new id: 64 random bits in hex.
pub(super) fn new_id<P: Platform>(app: &App<'_, P>) -> Result<String, AppError> {
    Ok(format!("{:016x}", app.platform.random_u64()?))
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
    let (answer, body) = read_post(app, req, "subscribe").await?;
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
    let id = new_id(app)?;
    let now = app.now_millis();
    let rows = db(
        app,
        &[Stmt::new(
            "INSERT INTO pending (id, email, every, frequency, topics, sent_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (email) DO UPDATE SET id = excluded.id, every = excluded.every, \
             frequency = excluded.frequency, topics = excluded.topics, sent_at = excluded.sent_at, \
             expires_at = excluded.expires_at WHERE pending.sent_at <= ?8 RETURNING id",
            vec![
                id.clone().into(),
                request.normalised_email().into(),
                i64::from(choice.every).into(),
                choice.frequency.as_str().into(),
                json!(choice.topics).to_string().into(),
                now.into(),
                (now + token::CONFIRM_SECONDS * 1000).into(),
                (now - THROTTLE_MILLIS).into(),
            ],
        )],
    )
    .await?;
    if rows[0].is_empty() {
        // Asked less than ten minutes ago: the same answer, no new email.
        app.log(Level::Info, "subscription request throttled");
        return Ok(check_inbox(answer));
    }
    if let Err(e) = app
        .platform
        .mail_queue()
        .send_batch(&[json!({ "k": "confirm", "p": id })])
        .await
    {
        // Not kept: the visitor is told to try again, and may at once.
        let _ = app
            .platform
            .db()
            .batch(&[Stmt::new(
                "DELETE FROM pending WHERE id = ?1",
                vec![id.clone().into()],
            )])
            .await;
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

/// One field of a form-encoded body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The token of a GET's query or a POST's form body.
async fn token_of(req: &impl Incoming, query: &Query) -> Result<String, AppError> {
    if let Some(t) = query.get("t") {
        return Ok(t.clone());
    }
    if req.method() == crate::routes::Method::Post {
        if let Ok(body) = req.body(crate::form::MAX_BODY_BYTES).await {
            if let Some(t) = form_field(&body, "t") {
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
        TokenError::Invalid => AppError::BadLink {
            gone: false,
            message: "This link is not valid. Open the link from the email as it is.".into(),
        },
    })
}

/// A GET's link token (`?t=`) and the id it names.
fn query_token<P: Platform>(
    app: &App<'_, P>,
    query: &Query,
    purpose: Purpose,
) -> Result<(String, String), AppError> {
    let t = query.get("t").cloned().unwrap_or_default();
    let id = verify(app, purpose, &t)?;
    Ok((t, id))
}

/// `GET /subscribe/confirm?t=`: a button, so that a scanner that follows
/// the link confirms nothing.
pub async fn confirm_form<P: Platform>(app: &App<'_, P>, query: &Query) -> Result<Reply, AppError> {
    let (t, _) = query_token(app, query, Purpose::Confirm)?;
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
    let now = app.now_millis();
    let new = new_id(app)?;
    let live = "p.id = ?1 AND p.expires_at >= ?2";
    let sub =
        format!("SELECT s.id FROM subscribers s JOIN pending p ON p.email = s.email WHERE {live}");
    let delete_topics = format!("DELETE FROM subscriber_topics WHERE subscriber_id = ({sub})");
    let insert_topics = format!(
        "INSERT INTO subscriber_topics (subscriber_id, topic) SELECT s.id, j.value \
         FROM pending p JOIN subscribers s ON s.email = p.email, json_each(p.topics) j WHERE {live}"
    );
    let select = format!("SELECT s.id, s.every, s.frequency, p.topics FROM subscribers s JOIN pending p ON p.email = s.email WHERE {live}");
    let key = || vec![pending.clone().into(), now.into()];
    let rows = db(
        app,
        &[
            Stmt::new(
                "INSERT INTO subscribers (id, email, every, frequency, confirmed_at) \
                 SELECT ?3, p.email, p.every, p.frequency, ?2 FROM pending p WHERE p.id = ?1 AND p.expires_at >= ?2 \
                 ON CONFLICT (email) DO UPDATE SET every = excluded.every, frequency = excluded.frequency",
                vec![pending.clone().into(), now.into(), new.into()],
            ),
            Stmt::new(&delete_topics, key()),
            Stmt::new(&insert_topics, key()),
            Stmt::new(&select, key()),
            // The request is used up (a new id: the link no longer works),
            // but kept until ten minutes after its email, so the next
            // confirmation email for the address still waits that long.
            Stmt::new(
                "UPDATE pending SET id = ?2, expires_at = sent_at + ?3 WHERE id = ?1",
                vec![pending.clone().into(), new_id(app)?.into(), THROTTLE_MILLIS.into()],
            ),
        ],
    )
    .await?;
    let Some(row) = rows.get(3).and_then(|r| r.first()) else {
        return Err(AppError::BadLink {
            gone: true,
            message: "This link was already used, or the request has expired. Subscribe again if you want to.".into(),
        });
    };
    let id = row["id"].as_str().unwrap_or_default().to_string();
    let choice = choice_of(row);
    app.log(
        Level::Info,
        &format!("subscriber id={id} confirmed (request {pending})"),
    );
    let manage = manage_url(
        app.site(),
        &manage_token(secret(app)?, &id),
        Route::Subscription,
    );
    Ok(
        Reply::html(200, views::subscribed_page(app.site(), &manage, &choice))
            .cache(cache::NO_STORE),
    )
}

/// A choice from a row's `every`, `frequency` and `topics` (a JSON array).
pub(super) fn choice_of(row: &super::ports::Row) -> Choice {
    let topics = match &row["topics"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or_default(),
        Value::Array(a) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Choice {
        every: row["every"].as_i64() == Some(1),
        topics,
        frequency: row["frequency"]
            .as_str()
            .and_then(Frequency::parse)
            .unwrap_or_default(),
    }
}

async fn subscriber<P: Platform>(app: &App<'_, P>, id: &str) -> Result<Choice, AppError> {
    let rows = db(
        app,
        &[Stmt::new(
            "SELECT every, frequency, (SELECT json_group_array(topic) FROM subscriber_topics WHERE subscriber_id = ?1) AS topics \
             FROM subscribers WHERE id = ?1",
            vec![id.into()],
        )],
    )
    .await?;
    rows[0].first().map(choice_of).ok_or(AppError::BadLink {
        gone: true,
        message: "This subscription no longer exists: the address was unsubscribed and deleted."
            .into(),
    })
}

/// `GET /subscription?t=` and `POST /subscription`: a subscriber's topics
/// and frequency.
pub async fn settings<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    query: &Query,
) -> Result<Reply, AppError> {
    if req.method() != crate::routes::Method::Post {
        let (t, id) = query_token(app, query, Purpose::Manage)?;
        let choice = subscriber(app, &id).await?;
        let mut topics = known_topics(app).await?;
        merge(&mut topics, &choice.topics);
        let page =
            views::subscription_page(app.site(), &t, &topics, &choice, &Errors::default(), false);
        return Ok(Reply::html(200, page).cache(cache::NO_STORE));
    }
    let (_, body) = read_post(app, req, "subscribe").await?;
    let t = form_field(&body, "t").unwrap_or_default();
    let id = verify(app, Purpose::Manage, &t)?;
    let current = subscriber(app, &id).await?;
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
    db(
        app,
        &[
            Stmt::new(
                "UPDATE subscribers SET every = ?2, frequency = ?3 WHERE id = ?1",
                vec![id.clone().into(), i64::from(choice.every).into(), choice.frequency.as_str().into()],
            ),
            Stmt::new("DELETE FROM subscriber_topics WHERE subscriber_id = ?1", vec![id.clone().into()]),
            Stmt::new(
                "INSERT INTO subscriber_topics (subscriber_id, topic) SELECT ?1, value FROM json_each(?2) \
                 WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = ?1)",
                vec![id.clone().into(), json!(choice.topics).to_string().into()],
            ),
        ],
    )
    .await?;
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
/// providers send without an Origin: the signed link is the authority.
pub async fn unsubscribe<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    query: &Query,
) -> Result<Reply, AppError> {
    if req.method() != crate::routes::Method::Post {
        let (t, _) = query_token(app, query, Purpose::Manage)?;
        return Ok(Reply::html(200, views::unsubscribe_page(app.site(), &t)).cache(cache::NO_STORE));
    }
    let t = token_of(req, query).await?;
    let id = verify(app, Purpose::Manage, &t)?;
    let rows = db(
        app,
        &[
            // A confirmation request of the same address goes too.
            Stmt::new(
                "DELETE FROM pending WHERE email = (SELECT email FROM subscribers WHERE id = ?1)",
                vec![id.clone().into()],
            ),
            Stmt::new(
                "DELETE FROM subscribers WHERE id = ?1 RETURNING id",
                vec![id.clone().into()],
            ),
        ],
    )
    .await?;
    if rows[1].is_empty() {
        app.log(
            Level::Info,
            &format!("subscriber id={id} was already unsubscribed"),
        );
    } else {
        app.log(
            Level::Info,
            &format!("subscriber id={id} unsubscribed and deleted"),
        );
    }
    Ok(Reply::html(200, views::unsubscribed_page(app.site())).cache(cache::NO_STORE))
}
