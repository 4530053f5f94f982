//! Bounces and complaints, whichever sender reports them (SES through
//! `hooks`, Email Service through its events queue): a hard bounce or a
//! complaint suppresses the address, soft bounces do once there are
//! `SOFT_LIMIT` within 30 days, and a suppressed address's subscription is
//! erased as one-click unsubscribe erases it. The list keeps keyed hashes,
//! never addresses. Also the rates the operator watches.

use super::db::{day_of, Reason, Reported, Stream};
use super::{App, AppError, Level, Platform};
use crate::mail::events::{read_email_service, BounceEvent};
use crate::mail::form::normalise;
use crate::sign;

/// The complaint rate past which mailbox providers (Gmail's and Yahoo's
/// bulk-sender rules) start refusing: 0.3%, as 3 in 1,000.
pub const COMPLAINT_LIMIT: (i64, i64) = (3, 1000);
/// The days the rates are counted over.
pub const RATE_DAYS: i64 = 30;

/// An address's keyed hash: the first 16 bytes of
/// HMAC-SHA256(`secret`, `"suppress\n<normalised address>"`), hex.
pub fn hash(secret: &str, email: &str) -> String {
    sign::sign_hex(secret, &["suppress", &normalise(email)], 16)
}

/// The suppression secret, or an error that leaves the report to be
/// delivered again once it is set.
fn secret<'s, P: Platform>(app: &'s App<'_, P>) -> Result<&'s str, AppError> {
    app.settings
        .suppression_secret
        .as_deref()
        .ok_or_else(|| AppError::Unavailable("SUPPRESSION_SECRET is not set".into()))
}

/// Whether `email` may not be mailed.
pub async fn is_suppressed<P: Platform>(app: &App<'_, P>, email: &str) -> Result<bool, AppError> {
    let hash = hash(secret(app)?, email);
    app.db().suppressed(&hash).run().await
}

/// Applies a report from `stream`'s sender; `hook` is the SNS message's
/// id (kept in the same transaction: a replay fails whole). Logs counts
/// and kinds only.
pub async fn apply<P: Platform>(
    app: &App<'_, P>,
    event: &BounceEvent,
    stream: Stream,
    hook: Option<&str>,
) -> Result<(), AppError> {
    let (reason, recipients) = match event {
        BounceEvent::HardBounce { recipients } => (Reason::HardBounce, recipients),
        BounceEvent::SoftBounce { recipients } => (Reason::SoftBounce, recipients),
        BounceEvent::Complaint { recipients } => (Reason::Complaint, recipients),
        BounceEvent::Other => {
            if let Some(id) = hook {
                app.db().hook_keep(id, app.now_millis()).run().await?;
            }
            return Ok(());
        }
    };
    let secret = secret(app)?;
    let emails: Vec<String> = recipients.iter().map(|r| normalise(r)).collect();
    let hashes: Vec<String> = emails.iter().map(|e| hash(secret, e)).collect();
    let reported: Vec<Reported<'_>> = emails
        .iter()
        .zip(&hashes)
        .map(|(email, hash)| Reported { email, hash })
        .collect();
    let erased = app
        .db()
        .report(hook, reason, stream, &reported, app.now_millis())
        .run()
        .await?;
    app.log(
        Level::Info,
        &format!(
            "{} {}: {} recipients, {erased} subscribers erased",
            stream.as_str(),
            reason.kind(),
            reported.len()
        ),
    );
    Ok(())
}

/// One message of Email Service's events queue (its JSON text): a bounce
/// or complaint of transactional mail. One that doesn't read is logged by
/// kind and acknowledged (it would never read).
pub async fn consume_event<P: Platform>(app: &App<'_, P>, text: &str) -> super::messages::Outcome {
    use super::messages::Outcome;
    match read_email_service(text) {
        Err(e) => {
            app.log(
                Level::Warn,
                &format!("mail events: unreadable event ({e}) dropped"),
            );
            Outcome::Ack
        }
        Ok(event) => match apply(app, &event, Stream::Transactional, None).await {
            Ok(()) => Outcome::Ack,
            Err(e) => {
                app.log(
                    Level::Error,
                    &format!("mail events: {}", e.log_line().unwrap_or_default()),
                );
                Outcome::Retry(Some(app.settings.retry_delay))
            }
        },
    }
}

/// A stream's last 30 days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    pub sent: i64,
    pub hard_bounces: i64,
    pub soft_bounces: i64,
    pub complaints: i64,
}

impl Rates {
    /// `n` in hundredths of a percent of what was sent (0 when nothing
    /// was), rounded down: integers only, since float formatting would
    /// cost the Worker kilobytes (`make size`).
    fn basis_points(&self, n: i64) -> i64 {
        if self.sent == 0 {
            0
        } else {
            n * 10_000 / self.sent
        }
    }

    /// Bounces, hard and soft, in hundredths of a percent.
    pub fn bounce_bp(&self) -> i64 {
        self.basis_points(self.hard_bounces + self.soft_bounces)
    }

    /// Complaints in hundredths of a percent.
    pub fn complaint_bp(&self) -> i64 {
        self.basis_points(self.complaints)
    }

    /// Whether complaints are past `COMPLAINT_LIMIT` of what was sent.
    pub fn complaints_past_limit(&self) -> bool {
        self.complaints * COMPLAINT_LIMIT.1 > self.sent * COMPLAINT_LIMIT.0
    }

    /// As `/healthz` shows it: counts, and rates as percent text with two
    /// decimals (`"0.35"`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "sent": self.sent,
            "hard_bounces": self.hard_bounces,
            "soft_bounces": self.soft_bounces,
            "complaints": self.complaints,
            "bounce_rate_percent": percent(self.bounce_bp()),
            "complaint_rate_percent": percent(self.complaint_bp()),
        })
    }
}

/// Hundredths of a percent as percent text: 35 is `"0.35"`.
pub fn percent(bp: i64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// The bulk and transactional streams' last `RATE_DAYS` days.
pub async fn rates<P: Platform>(app: &App<'_, P>) -> Result<(Rates, Rates), AppError> {
    let since = day_of(app.now_millis()) - (RATE_DAYS - 1);
    let counts = app.db().counts(since).run().await?;
    let (mut bulk, mut transactional) = (Rates::default(), Rates::default());
    for c in counts {
        let r = if c.stream == "bulk" {
            &mut bulk
        } else {
            &mut transactional
        };
        match c.kind.as_str() {
            "sent" => r.sent += c.n,
            "hard-bounce" => r.hard_bounces += c.n,
            "soft-bounce" => r.soft_bounces += c.n,
            _ => r.complaints += c.n,
        }
    }
    Ok((bulk, transactional))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_keyed_and_of_the_normalised_address() {
        let a = hash("k", "Ada@Example.NET ");
        assert_eq!(a, hash("k", "ada@example.net"));
        assert_ne!(a, hash("other key", "ada@example.net"));
        assert_eq!(a.len(), 32);
        assert!(!a.contains("ada"));
    }

    #[test]
    fn rates_are_of_what_was_sent() {
        let r = Rates {
            sent: 2000,
            hard_bounces: 10,
            soft_bounces: 10,
            complaints: 7,
        };
        assert_eq!(r.bounce_bp(), 100);
        assert!(r.complaints_past_limit());
        assert_eq!(r.to_json()["complaint_rate_percent"], "0.35");
        assert_eq!(r.to_json()["bounce_rate_percent"], "1.00");
        let at_limit = Rates {
            sent: 1000,
            complaints: 3,
            ..Rates::default()
        };
        assert!(!at_limit.complaints_past_limit(), "0.3% is not past 0.3%");
        assert_eq!(Rates::default().complaint_bp(), 0, "nothing sent");
        assert!(!Rates::default().complaints_past_limit());
    }
}
