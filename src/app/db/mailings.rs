//! Mailings (one row each, claimed once), their deliveries (one row per
//! subscriber, claimed before the send and marked after it), and alert
//! mail that failed every retry (`dead_mail`, ids only).

use super::subscribers::EXPIRE_REQUESTS;
use super::{any, int, nothing, nth, rows, text, Db, FromRow, IdRow, Query};
use crate::app::messages::MailMessage;
use crate::app::ports::Row;
use crate::app::ports::{Sql, Stmt};
use crate::mail::topics::{Choice, Frequency};
use serde_json::{json, Value};

/// Claims mailing `?1` (for alert `?2`, at `?3`, first message `?4`);
/// nothing is returned when it was claimed before.
pub(super) const CLAIM_MAILING: &str =
    "INSERT INTO mailings (id, slug, started_at, status, first) \
     VALUES (?1, ?2, ?3, 'claimed', ?4) ON CONFLICT (id) DO NOTHING RETURNING id";
pub(super) const MAILING_QUEUED: &str = "UPDATE mailings SET status = 'queued' WHERE id = ?1";
/// Which of the mailings listed in `?1` were started.
pub(super) const STARTED: &str =
    "SELECT id FROM mailings WHERE id IN (SELECT value FROM json_each(?1))";
/// The mailings of change notes of the days listed in `?1` (each a
/// `<slug>@<yyyy-mm-dd>#` prefix; a hash is hex, below `g`), except those
/// recorded as not sent because the note had been reworded.
pub(super) const NOTE_DAYS: &str = "SELECT m.id FROM json_each(?1) AS j CROSS JOIN mailings AS m \
     ON m.id > j.value AND m.id < j.value || 'g' WHERE m.first != 'reworded'";
/// Records mailing `?1` (of alert `?2`, at `?3`) as started with nothing
/// to send (`?4` says why: `covered`, `reworded`), so no run starts it.
pub(super) const SKIP_MAILING: &str = "INSERT INTO mailings (id, slug, started_at, status, first) \
     VALUES (?1, ?2, ?3, 'queued', ?4) ON CONFLICT (id) DO NOTHING";
/// Mailings claimed before `?1` whose first message never reached the queue.
pub(super) const STALE: &str =
    "SELECT id, first FROM mailings WHERE status = 'claimed' AND started_at < ?1";
/// Takes stale mailing `?1` for this run (at `?2`) if it is still stale.
pub(super) const RENEW: &str = "UPDATE mailings SET started_at = ?2 \
     WHERE id = ?1 AND status = 'claimed' AND started_at < ?3 RETURNING id";

/// The next `?5` matching subscribers of frequency `?1` after id `?2`: all
/// of them when `?3` is 1, else those of every alert or of a topic in `?4`.
pub(super) const PAGE: &str = "SELECT id FROM subscribers WHERE frequency = ?1 AND id > ?2 AND (?3 = 1 OR every = 1 OR EXISTS \
     (SELECT 1 FROM subscriber_topics t WHERE t.subscriber_id = subscribers.id \
     AND t.topic IN (SELECT value FROM json_each(?4)))) ORDER BY id LIMIT ?5";
/// Claims mailing `?2` for the subscribers listed in `?1` (attempt `?3`
/// at `?4`), taking over claims older than `?5`.
pub(super) const CLAIM: &str = "INSERT INTO deliveries (mailing, subscriber_id, status, attempt, at) \
     SELECT ?2, s.id, 'claimed', ?3, ?4 FROM subscribers s WHERE s.id IN (SELECT value FROM json_each(?1)) \
     ON CONFLICT (mailing, subscriber_id) DO UPDATE SET attempt = excluded.attempt, at = excluded.at \
     WHERE deliveries.status = 'claimed' AND deliveries.at < ?5";
/// The subscribers of the list `?3` this attempt (`?2`) claimed for `?1`.
pub(super) const CLAIMED: &str = "SELECT s.id, s.email, s.links, s.every, s.frequency, s.lang, \
     (SELECT json_group_array(topic) FROM subscriber_topics t WHERE t.subscriber_id = s.id) AS topics \
     FROM json_each(?3) AS j CROSS JOIN deliveries AS d ON d.mailing = ?1 AND d.subscriber_id = j.value AND d.attempt = ?2 \
     JOIN subscribers AS s ON s.id = j.value";
/// How many of the list `?3` another attempt than `?2` holds for `?1`.
pub(super) const IN_FLIGHT: &str = "SELECT count(*) AS n, min(d.at) AS oldest FROM json_each(?3) AS j CROSS JOIN deliveries AS d \
     ON d.mailing = ?1 AND d.subscriber_id = j.value WHERE d.status = 'claimed' AND d.attempt != ?2";
pub(super) const MARK_SENT: &str = "UPDATE deliveries SET status = 'sent' \
     WHERE mailing = ?1 AND subscriber_id = ?2 AND attempt = ?3";
pub(super) const RELEASE: &str = "DELETE FROM deliveries \
     WHERE mailing = ?1 AND subscriber_id = ?2 AND attempt = ?3 AND status = 'claimed'";

pub(super) const KEEP_DEAD: &str =
    "INSERT INTO dead_mail (id, body, failed_at) VALUES (?1, ?2, ?3)";
/// The oldest 100, by index.
pub(super) const LIST_DEAD: &str =
    "SELECT id, body, failed_at FROM dead_mail ORDER BY failed_at, id LIMIT 100";
pub(super) const DEAD_BODY: &str = "SELECT body FROM dead_mail WHERE id = ?1";
pub(super) const FORGET_DEAD: &str = "DELETE FROM dead_mail WHERE id = ?1";

/// A mailing claimed but never queued.
#[derive(Debug)]
pub struct StaleMailing {
    pub id: String,
    /// Its first message, as the queue carries it.
    pub first: String,
}

/// A subscriber claimed for a send.
#[derive(Debug)]
pub struct Recipient {
    pub id: String,
    pub email: String,
    /// The version of their links, which the links in the email carry.
    pub links: i64,
    pub choice: Choice,
}

impl FromRow for StaleMailing {
    const NAME: &'static str = "StaleMailing";
    fn from_row(row: &Row) -> Option<Self> {
        Some(StaleMailing {
            id: text(row, "id")?,
            first: text(row, "first")?,
        })
    }
}

impl FromRow for Recipient {
    const NAME: &'static str = "Recipient";
    fn from_row(row: &Row) -> Option<Self> {
        Some(Recipient {
            id: text(row, "id")?,
            email: text(row, "email")?,
            links: int(row, "links")?,
            choice: Choice::from_row(row)?,
        })
    }
}

impl FromRow for InFlight {
    const NAME: &'static str = "InFlight";
    fn from_row(row: &Row) -> Option<Self> {
        Some(InFlight {
            n: u64::try_from(int(row, "n")?).ok()?,
            oldest: match row.get("oldest")? {
                serde_json::Value::Null => None,
                v => Some(v.as_i64()?),
            },
        })
    }
}

impl FromRow for DeadMail {
    const NAME: &'static str = "DeadMail";
    fn from_row(row: &Row) -> Option<Self> {
        Some(DeadMail {
            id: text(row, "id")?,
            body: text(row, "body")?,
            failed_at: int(row, "failed_at")?,
        })
    }
}

impl FromRow for BodyRow {
    const NAME: &'static str = "BodyRow";
    fn from_row(row: &Row) -> Option<Self> {
        Some(BodyRow {
            body: text(row, "body")?,
        })
    }
}

/// Claims of the same list held by other attempts.
#[derive(Debug, Default)]
pub struct InFlight {
    pub n: u64,
    /// When the oldest of them was claimed (unix milliseconds).
    pub oldest: Option<i64>,
}

/// Alert mail kept for the operator.
#[derive(Debug)]
pub struct DeadMail {
    pub id: String,
    /// The message as the queue carried it.
    pub body: String,
    pub failed_at: i64,
}

#[derive(Debug)]
struct BodyRow {
    body: String,
}

/// What the every-minute cron finds.
pub struct Sweep {
    /// Which of the mailings asked about were started.
    pub started: Vec<String>,
    /// The mailings of change notes of the days asked about (sent, or
    /// carried by their alert's first mailing).
    pub note_days: Vec<String>,
    pub stale: Vec<StaleMailing>,
}

/// Why a mailing is recorded as started with nothing to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// A change note that the alert's first mailing, started in the same
    /// run, carries.
    Covered,
    /// A change note reworded after a note of its day went out.
    Reworded,
}

impl<'a, S: Sql> Db<'a, S> {
    /// One batch for the every-minute cron: expired requests deleted,
    /// which of `ids` were started, the mailings of change notes of
    /// `note_days` (`<slug>@<yyyy-mm-dd>#` prefixes), and mailings claimed
    /// before `stale_before` that never reached the queue.
    pub fn sweep(
        &self,
        now_millis: i64,
        ids: &[&str],
        note_days: &[&str],
        stale_before: i64,
    ) -> Query<'a, S, Sweep> {
        self.query(
            vec![
                Stmt::new(EXPIRE_REQUESTS, vec![now_millis.into()]),
                Stmt::new(STARTED, vec![json!(ids).to_string().into()]),
                Stmt::new(NOTE_DAYS, vec![json!(note_days).to_string().into()]),
                Stmt::new(STALE, vec![stale_before.into()]),
            ],
            |mut a| {
                let started: Vec<IdRow> = rows(nth(&mut a, 1))?;
                let note_days: Vec<IdRow> = rows(nth(&mut a, 2))?;
                Ok(Sweep {
                    started: started.into_iter().map(|r| r.id).collect(),
                    note_days: note_days.into_iter().map(|r| r.id).collect(),
                    stale: rows(nth(&mut a, 3))?,
                })
            },
        )
    }

    /// Records a mailing as started with nothing to send, unless it was
    /// started before.
    pub fn skip_mailing(
        &self,
        id: &str,
        slug: &str,
        now_millis: i64,
        why: Skip,
    ) -> Query<'a, S, ()> {
        let why = match why {
            Skip::Covered => "covered",
            Skip::Reworded => "reworded",
        };
        self.query(
            vec![Stmt::new(
                SKIP_MAILING,
                vec![id.into(), slug.into(), now_millis.into(), why.into()],
            )],
            nothing,
        )
    }

    /// Claims a mailing; false when it was claimed before.
    pub fn claim_mailing(
        &self,
        id: &str,
        slug: Option<&str>,
        now_millis: i64,
        first: &MailMessage,
    ) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(
                CLAIM_MAILING,
                vec![
                    id.into(),
                    slug.map_or(Value::Null, Into::into),
                    now_millis.into(),
                    first.to_json().into(),
                ],
            )],
            |mut a| Ok(any(&mut a, 0)),
        )
    }

    pub fn mailing_queued(&self, id: &str) -> Query<'a, S, ()> {
        self.query(vec![Stmt::new(MAILING_QUEUED, vec![id.into()])], nothing)
    }

    /// Takes a stale mailing for this run; false when another run did.
    pub fn renew(&self, id: &str, now_millis: i64, stale_before: i64) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(
                RENEW,
                vec![id.into(), now_millis.into(), stale_before.into()],
            )],
            |mut a| Ok(any(&mut a, 0)),
        )
    }

    /// The next `limit` subscriber ids of a mailing after `after`.
    pub fn page(
        &self,
        frequency: Frequency,
        after: &str,
        everyone: bool,
        topics: &[String],
        limit: usize,
    ) -> Query<'a, S, Vec<String>> {
        self.query(
            vec![Stmt::new(
                PAGE,
                vec![
                    frequency.as_str().into(),
                    after.into(),
                    i64::from(everyone).into(),
                    json!(topics).to_string().into(),
                    (limit as i64).into(),
                ],
            )],
            |mut a| {
                let ids: Vec<IdRow> = rows(nth(&mut a, 0))?;
                Ok(ids.into_iter().map(|r| r.id).collect())
            },
        )
    }

    /// Claims `mailing` for the listed subscribers as `attempt` (taking
    /// over claims from before `stale_before`): the subscribers this
    /// attempt holds, and the claims others hold.
    pub fn claim(
        &self,
        mailing: &str,
        attempt: &str,
        ids: &[&str],
        now_millis: i64,
        stale_before: i64,
    ) -> Query<'a, S, (Vec<Recipient>, InFlight)> {
        let list = json!(ids).to_string();
        self.query(
            vec![
                Stmt::new(
                    CLAIM,
                    vec![
                        list.clone().into(),
                        mailing.into(),
                        attempt.into(),
                        now_millis.into(),
                        stale_before.into(),
                    ],
                ),
                Stmt::new(
                    CLAIMED,
                    vec![mailing.into(), attempt.into(), list.clone().into()],
                ),
                Stmt::new(IN_FLIGHT, vec![mailing.into(), attempt.into(), list.into()]),
            ],
            |mut a| {
                let recipients = rows(nth(&mut a, 1))?;
                let in_flight: Vec<InFlight> = rows(nth(&mut a, 2))?;
                Ok((recipients, in_flight.into_iter().next().unwrap_or_default()))
            },
        )
    }

    /// Marks a claimed delivery sent.
    pub fn mark_sent(&self, mailing: &str, id: &str, attempt: &str) -> Query<'a, S, ()> {
        self.query(
            vec![Stmt::new(
                MARK_SENT,
                vec![mailing.into(), id.into(), attempt.into()],
            )],
            nothing,
        )
    }

    /// Releases a claim whose send failed or was not needed (a claim left
    /// is taken over later).
    pub fn release(&self, mailing: &str, id: &str, attempt: &str) -> Query<'a, S, ()> {
        self.query(
            vec![Stmt::new(
                RELEASE,
                vec![mailing.into(), id.into(), attempt.into()],
            )],
            nothing,
        )
    }

    /// Keeps a message (as the queue carried it) for the operator.
    pub fn keep_dead(&self, id: &str, body: &str, now_millis: i64) -> Query<'a, S, ()> {
        self.query(
            vec![Stmt::new(
                KEEP_DEAD,
                vec![id.into(), body.into(), now_millis.into()],
            )],
            nothing,
        )
    }

    /// The 100 oldest dead messages.
    pub fn dead_mail(&self) -> Query<'a, S, Vec<DeadMail>> {
        self.query(vec![Stmt::new(LIST_DEAD, vec![])], |mut a| {
            rows(nth(&mut a, 0))
        })
    }

    /// One dead message's body.
    pub fn dead_body(&self, id: &str) -> Query<'a, S, Option<String>> {
        self.query(vec![Stmt::new(DEAD_BODY, vec![id.into()])], |mut a| {
            let found: Vec<BodyRow> = rows(nth(&mut a, 0))?;
            Ok(found.into_iter().next().map(|r| r.body))
        })
    }

    pub fn forget_dead(&self, id: &str) -> Query<'a, S, ()> {
        self.query(vec![Stmt::new(FORGET_DEAD, vec![id.into()])], nothing)
    }
}
