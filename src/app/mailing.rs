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
use super::subscribe::{choice_of, manage_url};
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
/// The most messages one `sendBatch` takes.
const BATCH: usize = 100;

impl<P: Platform> App<'_, P> {
    /// A Cron Trigger fired: the digest's, or the every-minute one that
    /// mails alerts that went live.
    pub async fn scheduled(&self, cron: &str) -> Result<(), AppError> {
        if cron == DIGEST_CRON {
            digest(self).await
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

/// Every minute: expired confirmation requests are deleted, and each alert
/// of `site:notify` that is due and has no mailing yet gets one.
async fn go_live<P: Platform>(app: &App<'_, P>) -> Result<(), AppError> {
    let now = app.now();
    let text = app.store.get_text(notify::KEY).await?.unwrap_or_default();
    let entries = notify::parse(&text);
    let due = notify::due(&entries, now, app.settings.notify_max_age_days * 86_400);
    let ids: Vec<&str> = due.iter().map(|e| e.mailing.as_str()).collect();
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
        ],
    )
    .await?;
    let started: Vec<&str> = rows[1].iter().filter_map(|r| r["id"].as_str()).collect();
    for entry in due
        .into_iter()
        .filter(|e| !started.contains(&e.mailing.as_str()))
    {
        let claimed = sql(
            app,
            &[Stmt::new(
                "INSERT INTO mailings (id, slug, started_at, status) VALUES (?1, ?2, ?3, 'sent') \
                 ON CONFLICT (id) DO NOTHING RETURNING id",
                vec![
                    entry.mailing.clone().into(),
                    entry.slug.clone().into(),
                    app.now_millis().into(),
                ],
            )],
        )
        .await?;
        if claimed[0].is_empty() {
            continue;
        }
        let first = json!({ "k": "page", "m": entry.mailing, "s": entry.slug, "f": "each", "t": entry.topics, "a": "" });
        if let Err(e) = enqueue(app, &[first]).await {
            // Unclaimed, so that the next run starts it.
            let _ = app
                .platform
                .db()
                .batch(&[Stmt::new(
                    "DELETE FROM mailings WHERE id = ?1",
                    vec![entry.mailing.clone().into()],
                )])
                .await;
            return Err(e);
        }
        app.log(
            Level::Info,
            &format!(
                "mailing id={} started for alert {}",
                entry.mailing, entry.slug
            ),
        );
    }
    Ok(())
}

/// The ISO week of a time, `2024-W48`.
fn iso_week(unix: i64) -> String {
    use chrono::Datelike;
    let w = chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Mondays: one digest mailing for the seven days before.
async fn digest<P: Platform>(app: &App<'_, P>) -> Result<(), AppError> {
    let now = app.now();
    let week = iso_week(now - 86_400);
    let id = format!("digest:{week}");
    let claimed = sql(
        app,
        &[Stmt::new(
            "INSERT INTO mailings (id, slug, started_at, status) VALUES (?1, NULL, ?2, 'sent') \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            vec![id.clone().into(), app.now_millis().into()],
        )],
    )
    .await?;
    if claimed[0].is_empty() {
        return Ok(());
    }
    let first = json!({ "k": "page", "m": id, "s": "", "f": "weekly", "t": [], "all": 1, "d": [now - 7 * 86_400, now], "w": week, "a": "" });
    enqueue(app, &[first]).await?;
    app.log(Level::Info, &format!("mailing id={id} started"));
    Ok(())
}

/// Sends the confirmation request of a pending subscription.
async fn confirm_mail<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Outcome, AppError> {
    let Some(id) = body["p"].as_str().filter(|id| is_id(id)) else {
        return Ok(keep_dead(app, body).await);
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
    let secret = app
        .settings
        .subscriber_secret
        .as_deref()
        .unwrap_or_default();
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
            return Ok(Outcome::Ack);
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
            "SELECT id FROM subscribers WHERE frequency = ?1 AND id > ?2 AND (?3 = 1 OR every = 1 OR EXISTS \
             (SELECT 1 FROM subscriber_topics t WHERE t.subscriber_id = subscribers.id \
             AND t.topic IN (SELECT value FROM json_each(?4)))) ORDER BY id LIMIT ?5",
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
        record: crate::content::AlertRecord,
        html: String,
        text: String,
        topics: Vec<String>,
    },
    Digest {
        week: String,
        items: Vec<(notify::Entry, crate::content::AlertRecord)>,
    },
}

async fn content<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Option<Content>, AppError> {
    if body["m"].as_str().is_some_and(|m| m.starts_with("digest:")) {
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
    if !record.is_public(app.now_utc()) {
        return Ok(None);
    }
    let html = message::absolute_links(&app.body_html(&record), app.site());
    let text = crate::markdown::plain_text(&record.body).replace('\n', "\n\n");
    let topics = crate::mail::topics::of_alert(record.category.as_deref(), &record.tags);
    Ok(Some(Content::Alert {
        record,
        html,
        text,
        topics,
    }))
}

/// Mails each recipient of the message who has not had this mailing.
async fn send<P: Platform>(app: &App<'_, P>, body: &Value) -> Result<Outcome, AppError> {
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
    let Some(content) = content(app, body).await? else {
        app.log(
            Level::Info,
            &format!("mailing id={mailing}: the alert is no longer public; nothing sent"),
        );
        return Ok(Outcome::Ack);
    };
    let rows = sql(
        app,
        &[Stmt::new(
            "SELECT s.id, s.email, s.every, s.frequency, \
             (SELECT json_group_array(topic) FROM subscriber_topics t WHERE t.subscriber_id = s.id) AS topics \
             FROM subscribers s WHERE s.id IN (SELECT value FROM json_each(?1)) \
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.mailing = ?2 AND d.subscriber_id = s.id)",
            vec![json!(ids).to_string().into(), mailing.clone().into()],
        )],
    )
    .await?;
    let secret = app
        .settings
        .subscriber_secret
        .as_deref()
        .unwrap_or_default();
    let from = &app.settings.mail_from;
    let (mut sent, mut failed) = (0, 0);
    for row in &rows[0] {
        let id = row["id"].as_str().unwrap_or_default();
        let to = row["email"].as_str().unwrap_or_default();
        let choice = choice_of(row);
        let manage = manage_url(app.site(), secret, id, Route::Subscription);
        let unsubscribe = manage_url(app.site(), secret, id, Route::Unsubscribe);
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
        let raw = match &content {
            Content::Alert {
                record,
                html,
                text,
                topics,
            } => {
                if !choice.wants(topics) {
                    continue;
                }
                let reason = choice.reason(topics);
                let links = Links {
                    manage: &manage,
                    unsubscribe: &unsubscribe,
                    reason: &reason,
                };
                let url = app.site().abs(&crate::routes::alert_path(&record.slug));
                let date = crate::dates::human_date(record.date);
                message::alert(
                    &envelope,
                    &AlertMail {
                        title: &record.title,
                        summary: &record.summary,
                        date: &date,
                        url: &url,
                        html,
                        text,
                    },
                    &links,
                )
            }
            Content::Digest { week, items } => {
                let mine: Vec<_> = items
                    .iter()
                    .filter(|(e, _)| choice.wants(&e.topics))
                    .collect();
                if mine.is_empty() {
                    continue;
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
                    manage: &manage,
                    unsubscribe: &unsubscribe,
                    reason: &reason,
                };
                message::digest(&envelope, week, &list, &links)
            }
        };
        let raw = match raw {
            Ok(raw) => raw,
            Err(h) => {
                app.log(
                    Level::Error,
                    &format!(
                        "mailing id={mailing} subscriber id={id} error=unsafe-header header={}",
                        h.0
                    ),
                );
                continue;
            }
        };
        match app.platform.mailer().send_to_reader(from, to, &raw).await {
            Ok(()) => {
                sent += 1;
                let recorded = app
                    .platform
                    .db()
                    .batch(&[Stmt::new(
                        "INSERT INTO deliveries (mailing, subscriber_id, sent_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                        vec![mailing.clone().into(), id.into(), app.now_millis().into()],
                    )])
                    .await;
                if recorded.is_err() {
                    app.log(
                        Level::Warn,
                        &format!(
                            "mailing id={mailing} subscriber id={id} error=delivery-not-recorded"
                        ),
                    );
                }
            }
            Err(kind) => {
                failed += 1;
                app.log(
                    Level::Error,
                    &format!(
                        "mailing id={mailing} subscriber id={id} error={}",
                        kind.kind()
                    ),
                );
            }
        }
    }
    app.log(
        Level::Info,
        &format!("mailing id={mailing}: {sent} sent, {failed} failed"),
    );
    Ok(if failed > 0 {
        Outcome::Retry(Some(app.settings.retry_delay))
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
                &format!("alert mail dead-letter store failed: {e}"),
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
