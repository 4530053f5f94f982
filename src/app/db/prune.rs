//! Pruning: delivery records, mailings and dead mail past their age, a
//! bounded batch each (the every-minute cron), and the budget's old hours.
//! Each picks its oldest rows by an index on their age (migrations/0004)
//! and deletes them by key.

use super::budget::FORGET_HOURS;
use super::{any, Db, Query};
use crate::app::ports::{Sql, Stmt};

/// The oldest `?2` deliveries claimed before `?1`.
pub(super) const PRUNE_DELIVERIES: &str =
    "DELETE FROM deliveries WHERE (mailing, subscriber_id) IN \
     (SELECT mailing, subscriber_id FROM deliveries WHERE at < ?1 ORDER BY at LIMIT ?2)";
/// The oldest `?2` mailings started before `?1`.
pub(super) const PRUNE_MAILINGS: &str = "DELETE FROM mailings WHERE id IN \
     (SELECT id FROM mailings WHERE started_at < ?1 ORDER BY started_at LIMIT ?2)";
/// The oldest `?2` dead messages kept before `?1`.
pub(super) const PRUNE_DEAD: &str = "DELETE FROM dead_mail WHERE id IN \
     (SELECT id FROM dead_mail WHERE failed_at < ?1 ORDER BY failed_at, id LIMIT ?2)";
/// Mailing `?1`, if its row is kept and it was started at `?2` or after.
pub(super) const MAILING_SINCE: &str = "SELECT id FROM mailings WHERE id = ?1 AND started_at >= ?2";

/// What to prune: rows older than each time (unix milliseconds), at most
/// `batch` of each kind.
pub struct Prune {
    pub deliveries_before: i64,
    pub mailings_before: i64,
    pub dead_before: i64,
    /// The budget's hours before this one go.
    pub hours_before: i64,
    pub batch: i64,
}

impl<'a, S: Sql> Db<'a, S> {
    /// One batch of each kind (run with `run_raw`: the cron goes on if it
    /// fails, and the next run prunes what this one did not).
    pub fn prune(&self, p: &Prune) -> Query<'a, S, ()> {
        self.query(
            vec![
                Stmt::new(
                    PRUNE_DELIVERIES,
                    vec![p.deliveries_before.into(), p.batch.into()],
                ),
                Stmt::new(
                    PRUNE_MAILINGS,
                    vec![p.mailings_before.into(), p.batch.into()],
                ),
                Stmt::new(PRUNE_DEAD, vec![p.dead_before.into(), p.batch.into()]),
                Stmt::new(FORGET_HOURS, vec![p.hours_before.into()]),
            ],
            super::nothing,
        )
    }

    /// Whether a mailing's row is kept and it was started at `since`
    /// (unix milliseconds) or after.
    pub fn mailing_since(&self, id: &str, since: i64) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(MAILING_SINCE, vec![id.into(), since.into()])],
            |mut a| Ok(any(&mut a, 0)),
        )
    }
}
