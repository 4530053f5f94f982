//! Bounces and complaints: the suppression list (keyed hashes, never
//! addresses), soft bounces, the mail counts behind the rates, and the SNS
//! messages already taken (replays).

use super::{any, int, nth, rows, text, Db, FromRow, Query};
use crate::app::ports::{Row, Sql, Stmt};

pub(super) const IS_SUPPRESSED: &str = "SELECT hash FROM suppressed WHERE hash = ?1";
/// Suppresses hash `?1` for reason `?2` at `?3` (the first reason stays).
pub(super) const SUPPRESS: &str = "INSERT INTO suppressed (hash, reason, at) VALUES (?1, ?2, ?3) \
     ON CONFLICT (hash) DO NOTHING";
pub(super) const FORGET_SOFT: &str = "DELETE FROM soft_bounces WHERE at < ?1";
pub(super) const SOFT_BOUNCE: &str =
    "INSERT INTO soft_bounces (hash, at) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
/// Hash `?1` is suppressed at `?2` once it has bounced softly
/// `SOFT_LIMIT` times since `?3`.
pub(super) const SOFT_SUPPRESS: &str = "INSERT INTO suppressed (hash, reason, at) \
     SELECT ?1, 'soft-bounces', ?2 WHERE \
     (SELECT COUNT(*) FROM soft_bounces WHERE hash = ?1 AND at >= ?3) >= 3 \
     ON CONFLICT (hash) DO NOTHING";
/// Address `?1`'s subscription and request go when its hash `?2` is
/// suppressed: the erasure one-click unsubscribe makes.
pub(super) const ERASE_SUPPRESSED_REQUEST: &str = "DELETE FROM pending WHERE email = ?1 \
     AND EXISTS (SELECT 1 FROM suppressed WHERE hash = ?2)";
pub(super) const ERASE_SUPPRESSED: &str = "DELETE FROM subscribers WHERE email = ?1 \
     AND EXISTS (SELECT 1 FROM suppressed WHERE hash = ?2) RETURNING id";
/// Adds `?4` to day `?1`'s count of kind `?3` in stream `?2`.
pub(super) const COUNT: &str = "INSERT INTO mail_counts (day, stream, kind, n) \
     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (day, stream, kind) DO UPDATE SET n = n + excluded.n";
pub(super) const COUNTS: &str = "SELECT stream, kind, SUM(n) AS n FROM mail_counts \
     WHERE day >= ?1 GROUP BY stream, kind";
pub(super) const HOOK_SEEN: &str = "SELECT id FROM hook_messages WHERE id = ?1";
/// Plain insert: a second copy of the message fails the whole batch.
pub(super) const HOOK_KEEP: &str = "INSERT INTO hook_messages (id, at) VALUES (?1, ?2)";
pub(super) const HOOK_FORGET: &str = "DELETE FROM hook_messages WHERE at < ?1";

/// Soft bounces within `SOFT_WINDOW_MILLIS` that suppress an address.
pub const SOFT_LIMIT: i64 = 3;
/// The window soft bounces are counted in: 30 days.
pub const SOFT_WINDOW_MILLIS: i64 = 30 * 86_400_000;

/// Why an address is suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    HardBounce,
    SoftBounce,
    Complaint,
}

impl Reason {
    /// The count's kind (`mail_counts.kind`).
    pub fn kind(self) -> &'static str {
        match self {
            Reason::HardBounce => "hard-bounce",
            Reason::SoftBounce => "soft-bounce",
            Reason::Complaint => "complaint",
        }
    }
}

/// Which sender a count is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Alerts, updates and digests (SES).
    Bulk,
    /// Confirmation requests (Email Service).
    Transactional,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Bulk => "bulk",
            Stream::Transactional => "transactional",
        }
    }
}

/// One recipient of a bounce or complaint report.
pub struct Reported<'r> {
    /// Normalised, as `subscribers.email` holds it.
    pub email: &'r str,
    pub hash: &'r str,
}

/// One row of the counts: a stream's kind summed over the days asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub stream: String,
    pub kind: String,
    pub n: i64,
}

impl FromRow for Count {
    const NAME: &'static str = "Count";
    fn from_row(row: &Row) -> Option<Self> {
        Some(Count {
            stream: text(row, "stream")?,
            kind: text(row, "kind")?,
            n: int(row, "n")?,
        })
    }
}

/// Days since the Unix epoch, UTC.
pub fn day_of(millis: i64) -> i64 {
    millis.div_euclid(86_400_000)
}

impl<'a, S: Sql> Db<'a, S> {
    /// Whether the address of this hash is suppressed.
    pub fn suppressed(&self, hash: &str) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(IS_SUPPRESSED, vec![hash.into()])],
            |mut a| Ok(any(&mut a, 0)),
        )
    }

    /// Applies one report of SNS message `hook` (its MessageId; `None` for
    /// Email Service's queue) at `now`: each recipient's hard bounce or
    /// complaint suppresses it, a soft bounce counts towards suppression,
    /// and a suppressed address's subscription and request are erased;
    /// the day's count of the reason grows. All or nothing: the message id
    /// is kept in the same transaction, so a second copy fails it whole.
    /// Answers how many subscribers were erased.
    pub fn report(
        &self,
        hook: Option<&str>,
        reason: Reason,
        stream: Stream,
        recipients: &[Reported<'_>],
        now: i64,
    ) -> Query<'a, S, usize> {
        let mut stmts = Vec::new();
        if let Some(id) = hook {
            stmts.push(Stmt::new(
                HOOK_FORGET,
                vec![(now - crate::mail::sns::MAX_AGE_MILLIS * 2).into()],
            ));
            stmts.push(Stmt::new(HOOK_KEEP, vec![id.into(), now.into()]));
        }
        if reason == Reason::SoftBounce {
            stmts.push(Stmt::new(
                FORGET_SOFT,
                vec![(now - SOFT_WINDOW_MILLIS).into()],
            ));
        }
        for r in recipients {
            match reason {
                Reason::SoftBounce => {
                    stmts.push(Stmt::new(SOFT_BOUNCE, vec![r.hash.into(), now.into()]));
                    stmts.push(Stmt::new(
                        SOFT_SUPPRESS,
                        vec![r.hash.into(), now.into(), (now - SOFT_WINDOW_MILLIS).into()],
                    ));
                }
                _ => stmts.push(Stmt::new(
                    SUPPRESS,
                    vec![r.hash.into(), reason.kind().into(), now.into()],
                )),
            }
            stmts.push(Stmt::new(
                ERASE_SUPPRESSED_REQUEST,
                vec![r.email.into(), r.hash.into()],
            ));
            stmts.push(Stmt::new(
                ERASE_SUPPRESSED,
                vec![r.email.into(), r.hash.into()],
            ));
        }
        stmts.push(count_stmt(
            stream,
            reason.kind(),
            recipients.len() as i64,
            now,
        ));
        // Only the erasures return rows (the ids erased).
        self.query(stmts, |a| Ok(a.iter().map(Vec::len).sum()))
    }

    /// Whether SNS message `id` was taken before.
    pub fn hook_seen(&self, id: &str) -> Query<'a, S, bool> {
        self.query(vec![Stmt::new(HOOK_SEEN, vec![id.into()])], |mut a| {
            Ok(any(&mut a, 0))
        })
    }

    /// Keeps SNS message `id` as taken (a message with nothing to apply).
    pub fn hook_keep(&self, id: &str, now: i64) -> Query<'a, S, ()> {
        self.query(
            vec![
                Stmt::new(
                    HOOK_FORGET,
                    vec![(now - crate::mail::sns::MAX_AGE_MILLIS * 2).into()],
                ),
                Stmt::new(HOOK_KEEP, vec![id.into(), now.into()]),
            ],
            super::nothing,
        )
    }

    /// Adds `n` to today's count of `kind` (`sent`) in `stream`.
    pub fn count(
        &self,
        stream: Stream,
        kind: &'static str,
        n: usize,
        now: i64,
    ) -> Query<'a, S, ()> {
        self.query(
            vec![count_stmt(stream, kind, n as i64, now)],
            super::nothing,
        )
    }

    /// Each stream's counts by kind since day `since` (inclusive).
    pub fn counts(&self, since_day: i64) -> Query<'a, S, Vec<Count>> {
        self.query(vec![Stmt::new(COUNTS, vec![since_day.into()])], |mut a| {
            rows(nth(&mut a, 0))
        })
    }
}

fn count_stmt(stream: Stream, kind: &str, n: i64, now: i64) -> Stmt<'static> {
    Stmt::new(
        COUNT,
        vec![
            day_of(now).into(),
            stream.as_str().into(),
            kind.into(),
            n.into(),
        ],
    )
}
