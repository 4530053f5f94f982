//! Mail to subscribers, in four pieces:
//! - `schedule`: the Cron Triggers (`App::scheduled`) find the alerts that
//!   went live since the last run and start one mailing each (claimed once
//!   in D1's `mailings`), and start the weekly digest;
//! - `fanout`: a `page` message reads the next `PAGE` matching subscribers
//!   by id and enqueues `send` messages of `PER_MESSAGE` recipients (and
//!   the next page), spaced so that the sends keep under the bulk
//!   sender's rate (`SES_MAX_SEND_RATE`);
//! - `send` (with `compose`, what each reader gets, and `bulk`, the SES
//!   call): a `send` message mails each recipient not yet in `deliveries`
//!   and records each one as it is sent, so a redelivered message sends
//!   nobody twice; `confirm` sends a confirmation request (transactional);
//!   `websub` tells the feeds' hubs when a mailing of an alert starts,
//!   and `webhooks` the operator's endpoints (signed, retried for a day
//!   and more), which `endpoints` adds, lists and removes;
//! - `dead`: a message that keeps failing ends in the dead-letter queue,
//!   whose consumer keeps it in `dead_mail` for the operator
//!   (`/operator/mail`);
//! - `prune`: the every-minute cron deletes delivery records, mailings
//!   and dead mail past their age, a bounded batch a run.
//!
//! Messages are `MailMessage`s (`super::messages`); statements are
//! `super::db`'s. Queue messages and logs carry ids, never addresses.

mod bulk;
mod compose;
mod confirm;
pub mod dead;
pub mod endpoints;
mod fanout;
mod prune;
mod schedule;
mod send;
pub mod test_send;
mod webhooks;
mod websub;

pub use schedule::DIGEST_CRON;

use super::messages::{MailMessage, Outcome};
use super::{App, AppError, Level, Platform};

/// Subscribers read per `page` message.
pub const PAGE: usize = 1000;
/// Recipients per `send` message.
pub const PER_MESSAGE: usize = 25;
/// The most messages one `sendBatch` takes.
const BATCH: usize = 100;

impl<P: Platform> App<'_, P> {
    /// A Cron Trigger fired (`scheduled_millis`: the time it was scheduled
    /// for): the digest's, or the every-minute one that mails alerts that
    /// went live.
    pub async fn scheduled(&self, cron: &str, scheduled_millis: i64) -> Result<(), AppError> {
        if cron == DIGEST_CRON {
            schedule::digest(self, scheduled_millis.div_euclid(1000)).await
        } else {
            schedule::go_live(self).await
        }
    }

    /// One message of the alert-mail queue (its JSON text). One that
    /// doesn't read is kept as dead, its kind logged.
    pub async fn consume_mail(&self, text: &str) -> Outcome {
        let message = match MailMessage::read(text) {
            Ok(message) => message,
            Err(malformed) => {
                self.log(
                    Level::Error,
                    &format!("alert mail: unreadable message ({malformed}) kept as dead"),
                );
                return dead::keep(self, text).await;
            }
        };
        let outcome = match &message {
            MailMessage::Confirm { pending } => confirm::send(self, pending, text).await,
            MailMessage::Page { mailing, after } => fanout::page(self, mailing, after).await,
            MailMessage::Send {
                mailing,
                recipients,
            } => send::send(self, mailing, recipients).await,
            MailMessage::Ping { hub, feeds } => websub::ping(self, hub, feeds).await,
            MailMessage::Hook(hook) => webhooks::deliver(self, hook).await,
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
    pub async fn keep_dead_mail(&self, text: &str) -> Outcome {
        dead::keep(self, text).await
    }
}

/// Puts messages on the alert-mail queue, 100 a call, to be delivered at
/// once.
async fn enqueue<P: Platform>(app: &App<'_, P>, messages: &[MailMessage]) -> Result<(), AppError> {
    enqueue_later(app, messages, |_| 0).await
}

/// The longest a queue message may be delayed (Cloudflare Queues: 12 hours).
const MAX_DELAY_SECONDS: u32 = 43_200;

/// Puts messages on the alert-mail queue, 100 a call, message `i` after
/// `delay(i)` seconds (at most 12 hours).
async fn enqueue_later<P: Platform>(
    app: &App<'_, P>,
    messages: &[MailMessage],
    delay: impl Fn(usize) -> u32,
) -> Result<(), AppError> {
    let delayed: Vec<(MailMessage, u32)> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| (m.clone(), delay(i).min(MAX_DELAY_SECONDS)))
        .collect();
    for chunk in delayed.chunks(BATCH) {
        app.platform
            .send_mail(chunk)
            .await
            .map_err(|e| AppError::Unavailable(format!("alert-mail enqueue: {e}")))?;
    }
    Ok(())
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
