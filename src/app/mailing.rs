//! Mail to subscribers: the Cron Triggers (`App::scheduled`) find the
//! alerts that went live since the last run and start one mailing each
//! (claimed once in D1's `mailings`), and start the weekly digest. The
//! alert-mail queue fans a mailing out: a `page` message reads the next
//! `PAGE` matching subscribers by id and enqueues `send` messages of
//! `PER_MESSAGE` recipients (and the next page); a `send` message mails each
//! recipient not yet in `deliveries` and records each one as it is sent, so
//! a redelivered message sends nobody twice. A message that keeps failing
//! ends in the dead-letter queue, whose consumer keeps it in `dead_mail`
//! for the operator (`/operator/mail`).
//!
//! Queue messages and logs carry ids, never addresses.

use super::ports::{MailQueue, Mailer, Row, Sql, Stmt};
use super::subscribe::{choice_of, manage_token, manage_url};
use super::{App, AppError, Incoming, Level, Outcome, Platform, Reply};
use crate::http::cache;
use crate::mail::message::{self, AlertMail, DigestItem, Envelope, Links};
use crate::mail::notify;
use crate::mail::token::is_id;
use crate::routes::Route;
use serde_json::{json, Value};

/// The weekly digest's cron (Mondays 08:00 UTC; `wrangler.toml`).
pub const DIGEST_CRON: &str = "0 8 * * 1";
/// Subscribers read per `page` message.
pub const PAGE: usize = 1000;
/// Recipients per `send` message.
pub const PER_MESSAGE: usize = 25;
/// The fan-out's statements, each an index search from its first table or
/// a `json_each` list of at most `PER_MESSAGE` ids, never a scan of a table
/// (D1 bills rows read: a send message must not read the mailing's every
/// delivery). A test reads each one's plan.
pub const FANOUT_SQL: [(&str, &str); 4] = [
    ("page", SQL_PAGE),
    ("claim", SQL_CLAIM),
    ("claimed", SQL_CLAIMED),
    ("in flight", SQL_IN_FLIGHT),
];

/// The next `?5` matching subscribers of frequency `?1` after id `?2`: all
/// of them when `?3` is 1, else those of every alert or of a topic in `?4`.
const SQL_PAGE: &str = "SELECT id FROM subscribers WHERE frequency = ?1 AND id > ?2 AND (?3 = 1 OR every = 1 OR EXISTS \
     (SELECT 1 FROM subscriber_topics t WHERE t.subscriber_id = subscribers.id \
     AND t.topic IN (SELECT value FROM json_each(?4)))) ORDER BY id LIMIT ?5";
/// Claims mailing `?2` for the subscribers listed in `?1` (attempt `?3`
/// at `?4`), taking over claims older than `?5`.
const SQL_CLAIM: &str = "INSERT INTO deliveries (mailing, subscriber_id, status, attempt, at) \
     SELECT ?2, s.id, 'claimed', ?3, ?4 FROM subscribers s WHERE s.id IN (SELECT value FROM json_each(?1)) \
     ON CONFLICT (mailing, subscriber_id) DO UPDATE SET attempt = excluded.attempt, at = excluded.at \
     WHERE deliveries.status = 'claimed' AND deliveries.at < ?5";
/// The subscribers of the list `?3` this attempt (`?2`) claimed for `?1`.
const SQL_CLAIMED: &str = "SELECT s.id, s.email, s.every, s.frequency, \
     (SELECT json_group_array(topic) FROM subscriber_topics t WHERE t.subscriber_id = s.id) AS topics \
     FROM json_each(?3) AS j CROSS JOIN deliveries AS d ON d.mailing = ?1 AND d.subscriber_id = j.value AND d.attempt = ?2 \
     JOIN subscribers AS s ON s.id = j.value";
/// How many of the list `?3` another attempt than `?2` holds for `?1`.
const SQL_IN_FLIGHT: &str = "SELECT count(*) AS n, min(d.at) AS oldest FROM json_each(?3) AS j CROSS JOIN deliveries AS d \
     ON d.mailing = ?1 AND d.subscriber_id = j.value WHERE d.status = 'claimed' AND d.attempt != ?2";

/// The most messages one `sendBatch` takes.
const BATCH: usize = 100;

impl<P: Platform> App<'_, P> {
    /// A Cron Trigger fired (`scheduled_millis`: the time it was scheduled
    /// for): the digest's, or the every-minute one that mails alerts that
    /// went live.
    pub async fn scheduled(&self, cron: &str, scheduled_millis: i64) -> Result<(), AppError> {
        if cron == DIGEST_CRON {
            digest(self, scheduled_millis.div_euclid(1000)).await
        } else {
            go_live(self).await
        }
    }

    /// One message of the alert-mail queue.
    pub async fn consume_mail(&self, body: &Value) -> Outcome {
        let outcome = match body["k"].as_str() {
            Some("confirm") => confirm_mail(self, body).await,
            Some("page") => page(self, body).await,
            Some("send") => send(self, body).await,
            _ => {
                self.log(Level::Error, "alert mail: unreadable message kept as dead");
                return keep_dead(self, body).await;
            }
        };
        outcome.unwrap_or_else(|e| {
            self.log(
                Level::Error,
                &format!("alert mail: {}", e.log_line().unwrap_or_default()),
            );
            Outcome::Retry(Some(self.settings.retry_delay))
        })
    }

    /// One message of the alert-mail dead-letter queue: kept for the operator.
    pub async fn keep_dead_mail(&self, body: &Value) -> Outcome {
        keep_dead(self, body).await
    }
}

async fn sql<P: Platform>(app: &App<'_, P>, stmts: &[Stmt<'_>]) -> Result<Vec<Vec<Row>>, AppError> {
    super::subscribe::db(app, stmts).await
}

async fn enqueue<P: Platform>(app: &App<'_, P>, messages: &[Value]) -> Result<(), AppError> {
    for chunk in messages.chunks(BATCH) {
        app.platform
            .mail_queue()
            .send_batch(chunk)
            .await
            .map_err(|e| AppError::Unavailable(format!("alert-mail enqueue: {e}")))?;
    }
    Ok(())
}

/// How long a mailing may stay claimed but not queued before the cron puts
/// its first message on the queue again (an enqueue that failed, or a run
/// that stopped between the two).
const CLAIM_STALE_MILLIS: i64 = 5 * 60 * 1000;
/// How long a delivery claim protects a send in flight; an attempt that
/// stopped after claiming is taken over after this.
const DELIVERY_STALE_MILLIS: i64 = 15 * 60 * 1000;
/// How long a mailing's sends wait for its alert to be readable as
/// published (KV's propagation, a publish still writing) before giving up.
const CONTENT_PATIENCE_MILLIS: i64 = 10 * 60 * 1000;

/// Starts a mailing once: claims its id, puts `first` on the queue, then
/// marks it queued. A failed enqueue leaves the claim for the next run.
async fn start<P: Platform>(
    app: &App<'_, P>,
    id: &str,
    slug: Option<&str>,
    first: &Value,
) -> Result<(), AppError> {
    let claimed = sql(
        app,
        &[Stmt::new(
            "INSERT INTO mailings (id, slug, started_at, status, first) VALUES (?1, ?2, ?3, 'claimed', ?4) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            vec![
                id.into(),
                slug.map_or(Value::Null, Into::into),
                app.now_millis().into(),
                first.to_string().into(),
            ],
        )],
    )
    .await?;
    if claimed[0].is_empty() {
        return Ok(());
    }
    queue_first(app, id, first).await
}

async fn queue_first<P: Platform>(
    app: &App<'_, P>,
    id: &str,
    first: &Value,
) -> Result<(), AppError> {
    enqueue(app, std::slice::from_ref(first)).await?;
    sql(
        app,
        &[Stmt::new(
            "UPDATE mailings SET status = 'queued' WHERE id = ?1",
            vec![id.into()],
        )],
    )
    .await?;
    app.log(Level::Info, &format!("mailing id={id} started"));
    Ok(())
}

/// Every minute: expired confirmation requests are deleted, mailings whose
/// first message never reached the queue are put on it, and each alert of
/// `site:notify` that is due and has no mailing yet gets one.
async fn go_live<P: Platform>(app: &App<'_, P>) -> Result<(), AppError> {
    let now = app.now();
    let text = app.store.get_text(notify::KEY).await?.unwrap_or_default();
    let entries = notify::parse(&text);
    let due = notify::due(&entries, now, app.settings.notify_max_age_days * 86_400);
    // This week's digest, if its Monday 08:00 has passed: started by the
    // Monday cron, or by the first run after it that finds it missing.
    let digest_at = this_weeks_digest(now);
    let digest_id = digest_at.map(digest_id);
    let ids: Vec<&str> = due
        .iter()
        .map(|e| e.mailing.as_str())
        .chain(digest_id.as_deref())
        .collect();
    let rows = sql(
        app,
        &[
            Stmt::new(
                "DELETE FROM pending WHERE expires_at < ?1",
                vec![app.now_millis().into()],
            ),
            Stmt::new(
                "SELECT id FROM mailings WHERE id IN (SELECT value FROM json_each(?1))",
                vec![json!(ids).to_string().into()],
            ),
            Stmt::new(
                "SELECT id, first FROM mailings WHERE status = 'claimed' AND started_at < ?1",
                vec![(app.now_millis() - CLAIM_STALE_MILLIS).into()],
            ),
        ],
    )
    .await?;
    for stale in &rows[2] {
        let (Some(id), Some(first)) = (stale["id"].as_str(), stale["first"].as_str()) else {
            continue;
        };
        // Taken by this run only (a claim renewed now is left alone by the
        // next ones for 5 minutes), then put on the queue.
        let renewed = sql(
            app,
            &[Stmt::new(
                "UPDATE mailings SET started_at = ?2 WHERE id = ?1 AND status = 'claimed' AND started_at < ?3 RETURNING id",
                vec![id.into(), app.now_millis().into(), (app.now_millis() - CLAIM_STALE_MILLIS).into()],
            )],
        )
        .await?;
        if renewed[0].is_empty() {
            continue;
        }
        let first: Value = serde_json::from_str(first).unwrap_or(Value::Null);
        if let Err(e) = queue_first(app, id, &first).await {
            app.log(
                Level::Error,
                &format!(
                    "mailing id={id} still not queued: {}",
                    e.log_line().unwrap_or_default()
                ),
            );
        }
    }
    let started: Vec<&str> = rows[1].iter().filter_map(|r| r["id"].as_str()).collect();
    if let (Some(at), Some(id)) = (digest_at, &digest_id) {
        if !started.contains(&id.as_str()) {
            digest(app, at).await?;
        }
    }
    for entry in due {
        if started.contains(&entry.mailing.as_str()) {
            continue;
        }
        let first = json!({
            "k": "page", "m": entry.mailing, "s": entry.slug, "f": "each",
            "t": entry.topics, "c": app.now_millis(), "a": "",
        });
        start(app, &entry.mailing, Some(&entry.slug), &first).await?;
    }
    Ok(())
}

/// The ISO week of a time, `2024-W48`, and its first and last second + 1
/// (Monday 00:00 UTC to the next Monday 00:00 UTC).
fn iso_week(unix: i64) -> (String, i64, i64) {
    use chrono::Datelike;
    let day = chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default();
    let w = day.iso_week();
    let monday = chrono::NaiveDate::from_isoywd_opt(w.year(), w.week(), chrono::Weekday::Mon)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp());
    (
        format!("{}-W{:02}", w.year(), w.week()),
        monday,
        monday + 7 * 86_400,
    )
}

/// The Monday 08:00 UTC (unix seconds) of the ISO week of `now`, once it
/// has passed.
fn this_weeks_digest(now: i64) -> Option<i64> {
    let (_, monday, _) = iso_week(now);
    let at = monday + 8 * 3600;
    (now >= at).then_some(at)
}

/// The mailing id of the digest a cron scheduled at `scheduled` sends.
fn digest_id(scheduled: i64) -> String {
    format!("digest:{}", iso_week(scheduled - 7 * 86_400).0)
}

/// Mondays: one digest mailing for the ISO week before the one the cron
/// was scheduled in, whatever time it runs.
async fn digest<P: Platform>(app: &App<'_, P>, scheduled: i64) -> Result<(), AppError> {
    let (week, from, to) = iso_week(scheduled - 7 * 86_400);
    let id = digest_id(scheduled);
    let first = json!({
        "k": "page", "m": id, "s": "", "f": "weekly", "t": [], "all": 1,
        "d": [from, to], "w": week, "c": app.now_millis(), "a": "",
    });
    start(app, &id, None, &first).await
}

/// The secret that signs subscribers' links: without it nothing is sent
/// (every link would be dead), and the message waits.
fn secret<'s, P: Platform>(app: &'s App<'_, P>) -> Option<&'s str> {
    let secret = app.settings.subscriber_secret.as_deref();
    if secret.is_none() {
        app.log(
            Level::Error,
            "alert mail: SUBSCRIBER_SECRET is not set; nothing sent",
        );
    }
    secret
}

/// Sends the confirmation request of a pending subscription.
async fn confirm_mail<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Outcome, AppError> {
    let Some(id) = body["p"].as_str().filter(|id| is_id(id)) else {
        return Ok(keep_dead(app, body).await);
    };
    let Some(secret) = secret(app) else {
        return Ok(Outcome::Retry(Some(app.settings.retry_delay)));
    };
    let rows = sql(
        app,
        &[Stmt::new(
            "SELECT email, every, frequency, topics FROM pending WHERE id = ?1 AND expires_at >= ?2",
            vec![id.into(), app.now_millis().into()],
        )],
    )
    .await?;
    let Some(row) = rows[0].first() else {
        app.log(
            Level::Info,
            &format!("confirm id={id}: request gone or replaced; nothing sent"),
        );
        return Ok(Outcome::Ack);
    };
    let exp = app.now() + crate::mail::token::CONFIRM_SECONDS;
    let token = crate::mail::token::sign(secret, crate::mail::token::Purpose::Confirm, id, exp);
    let url = app
        .site()
        .abs(&format!("{}?t={token}", Route::SubscribeConfirm.path()));
    let to = row["email"].as_str().unwrap_or_default();
    let envelope = Envelope {
        site: app.site(),
        from: &app.settings.mail_from,
        to,
        id: &format!("confirm-{id}"),
        unix_time: app.now(),
    };
    let raw = match message::confirmation(&envelope, &url, &choice_of(row).describe()) {
        Ok(raw) => raw,
        Err(h) => {
            app.log(
                Level::Error,
                &format!("confirm id={id} error=unsafe-header header={}", h.0),
            );
            return Ok(keep_dead(app, body).await);
        }
    };
    match app
        .platform
        .mailer()
        .send_to_reader(&app.settings.mail_from, to, &raw)
        .await
    {
        Ok(()) => {
            app.log(Level::Info, &format!("confirm id={id} sent"));
            Ok(Outcome::Ack)
        }
        Err(kind) => {
            app.log(
                Level::Error,
                &format!("confirm id={id} error={}", kind.kind()),
            );
            Ok(Outcome::Retry(Some(app.settings.retry_delay)))
        }
    }
}

/// One page of a mailing's recipients: `send` messages, then the next page.
async fn page<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Outcome, AppError> {
    let after = body["a"].as_str().unwrap_or_default();
    let frequency = if body["f"].as_str() == Some("weekly") {
        "weekly"
    } else {
        "each"
    };
    let all = i64::from(body["all"].as_i64() == Some(1));
    let rows = sql(
        app,
        &[Stmt::new(
            SQL_PAGE,
            vec![
                frequency.into(),
                after.into(),
                all.into(),
                body["t"].to_string().into(),
                (PAGE as i64).into(),
            ],
        )],
    )
    .await?;
    let ids: Vec<&str> = rows[0].iter().filter_map(|r| r["id"].as_str()).collect();
    let mut messages: Vec<Value> = ids
        .chunks(PER_MESSAGE)
        .map(|chunk| {
            let mut m = body.clone();
            m["k"] = "send".into();
            m["r"] = json!(chunk);
            if let Some(o) = m.as_object_mut() {
                o.remove("a");
            }
            m
        })
        .collect();
    if ids.len() == PAGE {
        let mut next = body.clone();
        next["a"] = ids[PAGE - 1].into();
        messages.push(next);
    }
    enqueue(app, &messages).await?;
    app.log(
        Level::Info,
        &format!(
            "mailing id={} page after '{after}': {} recipients",
            body["m"].as_str().unwrap_or(""),
            ids.len()
        ),
    );
    Ok(Outcome::Ack)
}

/// What one `send` message mails: an alert, or a digest's alerts.
enum Content {
    Alert {
        /// Boxed: a record is some 440 bytes, the digest's variant 48.
        record: Box<crate::content::AlertRecord>,
        html: String,
        text: String,
        topics: Vec<String>,
    },
    Digest {
        week: String,
        items: Vec<(notify::Entry, crate::content::AlertRecord)>,
    },
}

/// The mailing's content, or `None` while its alert is not readable as the
/// mailing expects (not yet public here, another version, unpublished).
async fn content<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Option<Content>, AppError> {
    let mailing = body["m"].as_str().unwrap_or_default();
    if mailing.starts_with("digest:") {
        let (from, to) = (
            body["d"][0].as_i64().unwrap_or(0),
            body["d"][1].as_i64().unwrap_or(0),
        );
        let text = app.store.get_text(notify::KEY).await?.unwrap_or_default();
        let entries: Vec<notify::Entry> = notify::parse(&text)
            .into_iter()
            .filter(|e| e.date >= from && e.date < to && e.date <= app.now())
            .collect();
        let slugs: Vec<String> = entries.iter().map(|e| e.slug.clone()).collect();
        let records = app.store.alerts(&slugs).await?;
        let now = app.now_utc();
        let items = entries
            .into_iter()
            .filter_map(|e| {
                let r = records
                    .iter()
                    .find(|r| r.slug == e.slug && r.is_public(now))?
                    .clone();
                Some((e, r))
            })
            .collect();
        return Ok(Some(Content::Digest {
            week: body["w"].as_str().unwrap_or_default().to_string(),
            items,
        }));
    }
    let slug = body["s"].as_str().unwrap_or_default();
    let Some(record) = app.store.alert(slug).await? else {
        return Ok(None);
    };
    if !record.is_public(app.now_utc()) || notify::mailing_of(&record) != mailing {
        return Ok(None);
    }
    let html = message::absolute_links(&app.body_html(&record), app.site());
    let text = crate::markdown::plain_text(&record.body).replace('\n', "\n\n");
    let topics = crate::mail::topics::of_alert(record.category.as_deref(), &record.tags);
    Ok(Some(Content::Alert {
        record: Box::new(record),
        html,
        text,
        topics,
    }))
}

/// One recipient's message, or `None` when the content is not for them
/// (a digest with none of their topics).
fn compose<P: Platform>(
    app: &App<'_, P>,
    content: &Content,
    envelope: &Envelope<'_>,
    choice: &crate::mail::topics::Choice,
    manage: &str,
    unsubscribe: &str,
) -> Option<Result<String, crate::form::UnsafeHeader>> {
    match content {
        Content::Alert {
            record,
            html,
            text,
            topics,
        } => {
            let reason = choice.reason(topics);
            let links = Links {
                manage,
                unsubscribe,
                reason: &reason,
            };
            let url = app.site().abs(&crate::routes::alert_path(&record.slug));
            let date = crate::dates::human_date(record.date);
            let mail = AlertMail {
                title: &record.title,
                summary: &record.summary,
                date: &date,
                url: &url,
                html,
                text,
            };
            Some(message::alert(envelope, &mail, &links))
        }
        Content::Digest { week, items } => {
            let mine: Vec<_> = items
                .iter()
                .filter(|(e, _)| choice.wants(&e.topics))
                .collect();
            if mine.is_empty() {
                return None;
            }
            let urls: Vec<(String, String)> = mine
                .iter()
                .map(|(_, r)| {
                    (
                        app.site().abs(&crate::routes::alert_path(&r.slug)),
                        crate::dates::human_date(r.date),
                    )
                })
                .collect();
            let list: Vec<DigestItem> = mine
                .iter()
                .zip(&urls)
                .map(|((_, r), (url, date))| DigestItem {
                    title: &r.title,
                    summary: &r.summary,
                    date,
                    url,
                })
                .collect();
            let reason = choice.describe();
            let links = Links {
                manage,
                unsubscribe,
                reason: &reason,
            };
            Some(message::digest(envelope, week, &list, &links))
        }
    }
}

/// Mails each recipient of the message who has not had this mailing: each
/// (mailing, subscriber) is claimed in D1 before its send, in one statement,
/// so that two copies of a message never both send; marked sent after it;
/// released if it fails.
async fn send<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Outcome, AppError> {
    let retry = Outcome::Retry(Some(app.settings.retry_delay));
    let mailing = body["m"].as_str().unwrap_or_default().to_string();
    let ids: Vec<&str> = body["r"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .filter(|id| is_id(id))
                .collect()
        })
        .unwrap_or_default();
    let Some(secret) = secret(app) else {
        return Ok(retry);
    };
    let Some(content) = content(app, body).await? else {
        let age = app.now_millis() - body["c"].as_i64().unwrap_or(0);
        if age < CONTENT_PATIENCE_MILLIS {
            app.log(
                Level::Info,
                &format!(
                    "mailing id={mailing}: its alert is not readable as published yet; waiting"
                ),
            );
            return Ok(retry);
        }
        app.log(Level::Warn, &format!("mailing id={mailing}: the alert is not public in this version any more; nothing sent"));
        return Ok(Outcome::Ack);
    };
    let attempt = super::subscribe::new_id(app)?;
    let now = app.now_millis();
    let list = json!(ids).to_string();
    let rows = sql(
        app,
        &[
            Stmt::new(
                SQL_CLAIM,
                vec![
                    list.clone().into(),
                    mailing.clone().into(),
                    attempt.clone().into(),
                    now.into(),
                    (now - DELIVERY_STALE_MILLIS).into(),
                ],
            ),
            Stmt::new(
                SQL_CLAIMED,
                vec![
                    mailing.clone().into(),
                    attempt.clone().into(),
                    list.clone().into(),
                ],
            ),
            Stmt::new(
                SQL_IN_FLIGHT,
                vec![mailing.clone().into(), attempt.clone().into(), list.into()],
            ),
        ],
    )
    .await?;
    let in_flight = rows[2].first().and_then(|r| r["n"].as_u64()).unwrap_or(0);
    // Come back when the oldest of those claims may be taken over, if the
    // attempt holding it has not marked it sent by then.
    let takeover_delay = rows[2]
        .first()
        .and_then(|r| r["oldest"].as_i64())
        .map(|oldest| ((oldest + DELIVERY_STALE_MILLIS - now) / 1000 + 1).clamp(1, 900) as u32);
    let from = &app.settings.mail_from;
    let (mut sent, mut failed) = (0, 0);
    for row in &rows[1] {
        let id = row["id"].as_str().unwrap_or_default();
        let to = row["email"].as_str().unwrap_or_default();
        let choice = choice_of(row);
        let token = manage_token(secret, id);
        let manage = manage_url(app.site(), &token, Route::Subscription);
        let unsubscribe = manage_url(app.site(), &token, Route::Unsubscribe);
        let message_id = format!(
            "{}-{id}",
            mailing.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        let envelope = Envelope {
            site: app.site(),
            from,
            to,
            id: &message_id,
            unix_time: app.now(),
        };
        let outcome = match compose(app, &content, &envelope, &choice, &manage, &unsubscribe) {
            // Nothing for this reader: the claim goes, nothing is sent.
            None => Err(None),
            Some(Err(h)) => {
                app.log(
                    Level::Error,
                    &format!(
                        "mailing id={mailing} subscriber id={id} error=unsafe-header header={}",
                        h.0
                    ),
                );
                Err(Some("unsafe-header"))
            }
            Some(Ok(raw)) => app
                .platform
                .mailer()
                .send_to_reader(from, to, &raw)
                .await
                .map_err(|kind| Some(kind.kind())),
        };
        let key = vec![mailing.clone().into(), id.into(), attempt.clone().into()];
        match outcome {
            Ok(()) => {
                sent += 1;
                let mark = [Stmt::new(
                    "UPDATE deliveries SET status = 'sent' WHERE mailing = ?1 AND subscriber_id = ?2 AND attempt = ?3",
                    key,
                )];
                // Tried twice: a claim left unmarked is taken over after 15
                // minutes, and this reader would get the alert again.
                let mut marked = app.platform.db().batch(&mark).await;
                if marked.is_err() {
                    marked = app.platform.db().batch(&mark).await;
                }
                if marked.is_err() {
                    app.log(
                        Level::Warn,
                        &format!(
                            "mailing id={mailing} subscriber id={id} error=delivery-not-marked"
                        ),
                    );
                }
            }
            Err(kind) => {
                if let Some(kind) = kind {
                    failed += 1;
                    app.log(
                        Level::Error,
                        &format!("mailing id={mailing} subscriber id={id} error={kind}"),
                    );
                }
                let _ = app
                    .platform
                    .db()
                    .batch(&[Stmt::new(
                        "DELETE FROM deliveries WHERE mailing = ?1 AND subscriber_id = ?2 AND attempt = ?3 AND status = 'claimed'",
                        key,
                    )])
                    .await;
            }
        }
    }
    app.log(
        Level::Info,
        &format!(
            "mailing id={mailing}: {sent} sent, {failed} failed, {in_flight} in flight elsewhere"
        ),
    );
    Ok(if failed > 0 {
        retry
    } else if in_flight > 0 {
        Outcome::Retry(takeover_delay.map(|d| d.max(app.settings.retry_delay)))
    } else {
        Outcome::Ack
    })
}

/// Keeps a message that failed every retry (ids only) for the operator.
async fn keep_dead<P: Platform>(app: &App<'_, P>, body: &Value) -> Outcome {
    let id = format!(
        "{:x}{:08x}",
        app.now_millis(),
        app.platform.random_u64().unwrap_or_default() as u32
    );
    let kept = app
        .platform
        .db()
        .batch(&[Stmt::new(
            "INSERT INTO dead_mail (id, body, failed_at) VALUES (?1, ?2, ?3)",
            vec![
                id.clone().into(),
                body.to_string().into(),
                app.now_millis().into(),
            ],
        )])
        .await;
    match kept {
        Ok(_) => {
            app.log(
                Level::Warn,
                &format!("alert mail dead id={id} kept for the operator"),
            );
            Outcome::Ack
        }
        Err(e) => {
            app.log(
                Level::Error,
                &format!(
                    "alert mail dead-letter store failed: {}",
                    super::subscribe::d1_kind(&e.0)
                ),
            );
            Outcome::Retry(None)
        }
    }
}

/// `GET /operator/mail`: dead alert mail, 100 oldest first: ids, the
/// mailing and how many recipients, never addresses.
pub async fn list_dead<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
) -> Result<Reply, AppError> {
    super::inbox::authorize(app, req)?;
    let rows = sql(
        app,
        &[Stmt::new(
            "SELECT id, body, failed_at FROM dead_mail ORDER BY failed_at, id LIMIT 100",
            vec![],
        )],
    )
    .await?;
    let items: Vec<Value> = rows[0]
        .iter()
        .map(|r| {
            let body: Value =
                serde_json::from_str(r["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null);
            json!({
                "id": r["id"],
                "failed_at": r["failed_at"],
                "kind": body["k"],
                "mailing": body["m"],
                "recipients": body["r"].as_array().map_or(0, Vec::len),
            })
        })
        .collect();
    Ok(Reply::json(200, &json!({ "mail": items })).cache(cache::NO_STORE))
}

/// `POST /operator/mail/<id>/resend`: back on the queue; recipients already
/// sent to are skipped there.
pub async fn resend<P: Platform>(
    app: &App<'_, P>,
    req: &impl Incoming,
    id: &str,
) -> Result<Reply, AppError> {
    super::inbox::authorize(app, req)?;
    let rows = sql(
        app,
        &[Stmt::new(
            "SELECT body FROM dead_mail WHERE id = ?1",
            vec![id.into()],
        )],
    )
    .await?;
    let Some(row) = rows[0].first() else {
        return Err(AppError::NotFound);
    };
    let body: Value =
        serde_json::from_str(row["body"].as_str().unwrap_or("null")).map_err(|_| {
            AppError::BadRequest("This dead mail is not readable; see the listing.".into())
        })?;
    enqueue(app, &[body]).await?;
    sql(
        app,
        &[Stmt::new(
            "DELETE FROM dead_mail WHERE id = ?1",
            vec![id.into()],
        )],
    )
    .await?;
    app.log(
        Level::Info,
        &format!("alert mail dead id={id} re-queued by the operator"),
    );
    Ok(Reply::json(202, &json!({ "id": id, "status": "queued" })).cache(cache::NO_STORE))
}
