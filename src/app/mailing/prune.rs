//! Pruning, by the every-minute cron: delivery records and dead mail older
//! than `KEEP_DAYS`, mailings older than `mailing_keep_days`, at most
//! `BATCH` rows of each a run, and the confirmation budget's past hours.
//! Without it `deliveries` grows by one row per subscriber per mailing
//! (24 million a year at 100,000 subscribers) until D1's size limit stops
//! every claim.

use crate::app::db::{Prune, HOUR_MILLIS};
use crate::app::{App, Level, Platform};

/// How long delivery records and dead mail are kept.
pub const KEEP_DAYS: i64 = 30;
/// The most rows of each kind one run deletes: 720,000 a day, beyond what
/// a mailing a day to 100,000 subscribers writes, and a bounded cost a run.
pub const BATCH: i64 = 500;
const DAY_MILLIS: i64 = 86_400_000;

/// How long a mailing's row is kept: `KEEP_DAYS`, or a day longer than
/// `NOTIFY_MAX_AGE_DAYS` when that is longer. A mailing's id is what keeps
/// the cron from starting it again, and the cron considers alerts and
/// notes dated up to `NOTIFY_MAX_AGE_DAYS` ago, all of whose mailings
/// started after their date: a row pruned younger than that window would
/// mail the alert again.
pub fn mailing_keep_days(notify_max_age_days: i64) -> i64 {
    KEEP_DAYS.max(notify_max_age_days + 1)
}

/// One bounded batch of each kind. A failure is logged and left to the
/// next run: it stops nothing else the cron does.
pub async fn prune<P: Platform>(app: &App<'_, P>) {
    let now = app.now_millis();
    let p = Prune {
        deliveries_before: now - KEEP_DAYS * DAY_MILLIS,
        mailings_before: now - mailing_keep_days(app.settings.notify_max_age_days) * DAY_MILLIS,
        dead_before: now - KEEP_DAYS * DAY_MILLIS,
        hours_before: now.div_euclid(HOUR_MILLIS) - 24,
        batch: BATCH,
    };
    if let Err(e) = app.db().prune(&p).run_raw().await {
        app.log(
            Level::Warn,
            &format!(
                "pruning failed, left to the next run: {}",
                crate::app::db::d1_kind(&e.0)
            ),
        );
    }
}

/// The earliest start at `now` of a mailing that may be resent: the
/// delivery records of one started before may be gone, or go before the
/// message is consumed (a day's margin), and a resend would mail again
/// everyone it had reached. (A mailing whose row is pruned is older.)
pub fn resendable_since(now: i64) -> i64 {
    now - (KEEP_DAYS - 1) * DAY_MILLIS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailing_outlives_the_window_in_which_the_cron_would_start_it_again() {
        assert_eq!(mailing_keep_days(7), 30);
        assert_eq!(mailing_keep_days(29), 30);
        assert_eq!(mailing_keep_days(30), 31);
        assert_eq!(mailing_keep_days(3650), 3651);
    }

    #[test]
    fn a_resend_is_refused_a_day_before_its_deliveries_may_be_pruned() {
        let now = 100 * DAY_MILLIS;
        assert_eq!(resendable_since(now), now - 29 * DAY_MILLIS);
        assert!(resendable_since(now) > now - KEEP_DAYS * DAY_MILLIS);
    }
}
