//! The hourly budget of confirmation emails (`confirmation_budget`): one
//! row an hour counts what was queued in it, all addresses together.

use super::{any, Db, Query};

/// The budget's period: a row counts one hour (`hour`: unix milliseconds
/// divided by this).
pub const HOUR_MILLIS: i64 = 3600 * 1000;

use crate::app::ports::{Sql, Stmt};

/// Counts one confirmation in hour `?1` unless `?2` were counted in it
/// already: then nothing is returned (and nothing written).
pub(super) const TAKE_CONFIRMATION: &str =
    "INSERT INTO confirmation_budget (hour, sent) VALUES (?1, 1) \
     ON CONFLICT (hour) DO UPDATE SET sent = sent + 1 WHERE sent < ?2 RETURNING sent";
/// The hours before `?1` (the every-minute cron), by the primary key.
pub(super) const FORGET_HOURS: &str = "DELETE FROM confirmation_budget WHERE hour < ?1";

impl<'a, S: Sql> Db<'a, S> {
    /// Takes one confirmation email from hour `hour`'s budget of
    /// `per_hour`; false when it is spent. A budget of 0 sends none: it
    /// is never asked (`subscribe::within_budget`).
    pub fn take_confirmation(&self, hour: i64, per_hour: i64) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(
                TAKE_CONFIRMATION,
                vec![hour.into(), per_hour.into()],
            )],
            |mut a| Ok(any(&mut a, 0)),
        )
    }
}
