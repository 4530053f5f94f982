//! The Cron Triggers' side: each alert and each change note of
//! `site:notify` that is due gets one mailing (a note that its alert's
//! first mailing carries, or one reworded after it went out, is recorded
//! as started with nothing to send), each Monday's digest one, and a
//! mailing whose first message never reached the queue is put on it again.

use super::enqueue;
use crate::app::db::Skip;
use crate::app::messages::{MailMessage, Mailing};
use crate::app::{App, AppError, Level, Platform};
use crate::dates::{iso_week, Week};
use crate::mail::notify;
use crate::mail::topics::Frequency;

/// The weekly digest's cron (Mondays 08:00 UTC; `wrangler.toml`).
pub const DIGEST_CRON: &str = "0 8 * * 1";

/// How long a mailing may stay claimed but not queued before the cron puts
/// its first message on the queue again (an enqueue that failed, or a run
/// that stopped between the two).
const CLAIM_STALE_MILLIS: i64 = 5 * 60 * 1000;

/// Starts a mailing once: claims its id, puts `first` on the queue, then
/// marks it queued. A failed enqueue leaves the claim for the next run.
async fn start<P: Platform>(
    app: &App<'_, P>,
    slug: Option<&str>,
    first: &MailMessage,
) -> Result<(), AppError> {
    let Some(id) = first.mailing().map(|m| m.id.as_str()) else {
        return Ok(());
    };
    if app
        .db()
        .claim_mailing(id, slug, app.now_millis(), first)
        .run()
        .await?
    {
        queue_first(app, id, first).await?;
        // Once, with the claim: the feeds' hubs and the webhook endpoints
        // hear of it now too.
        if let Some(mailing) = first.mailing() {
            super::websub::announce(app, mailing).await;
            super::webhooks::announce(app, mailing).await;
        }
    }
    Ok(())
}

async fn queue_first<P: Platform>(
    app: &App<'_, P>,
    id: &str,
    first: &MailMessage,
) -> Result<(), AppError> {
    enqueue(app, std::slice::from_ref(first)).await?;
    app.db().mailing_queued(id).run().await?;
    app.log(Level::Info, &format!("mailing id={id} started"));
    Ok(())
}

/// Every minute: expired confirmation requests are deleted, old records
/// pruned (`super::prune`), mailings whose
/// first message never reached the queue are put on it, and each alert and
/// change note of `site:notify` that is due and has no mailing yet gets
/// one (`notes` first: some are recorded as carried by another).
pub async fn go_live<P: Platform>(app: &App<'_, P>) -> Result<(), AppError> {
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
    let mut days: Vec<&str> = due.iter().filter_map(|e| e.note_day()).collect();
    days.sort_unstable();
    days.dedup();
    let stale_before = app.now_millis() - CLAIM_STALE_MILLIS;
    let sweep = app
        .db()
        .sweep(app.now_millis(), &ids, &days, stale_before)
        .run()
        .await?;
    super::prune::prune(app).await;
    for stale in &sweep.stale {
        // Taken by this run only (a claim renewed now is left alone by the
        // next ones for 5 minutes), then put on the queue.
        if !app
            .db()
            .renew(&stale.id, app.now_millis(), stale_before)
            .run()
            .await?
        {
            continue;
        }
        let queued = match MailMessage::read(&stale.first) {
            Ok(first) => queue_first(app, &stale.id, &first).await,
            Err(malformed) => Err(AppError::Internal(format!(
                "its first message is unreadable ({malformed})"
            ))),
        };
        if let Err(e) = queued {
            app.log(
                Level::Error,
                &format!(
                    "mailing id={} still not queued: {}",
                    stale.id,
                    e.log_line().unwrap_or_default()
                ),
            );
        }
    }
    let started = |id: &str| sweep.started.iter().any(|s| s == id);
    if let (Some(at), Some(id)) = (digest_at, &digest_id) {
        if !started(id) {
            digest(app, at).await?;
        }
    }
    let new: Vec<&notify::Entry> = due
        .iter()
        .copied()
        .filter(|e| !started(&e.mailing))
        .collect();
    let (notes, alerts): (Vec<_>, Vec<_>) = new.into_iter().partition(|e| e.is_note());
    let mut to_start = Vec::with_capacity(notes.len() + alerts.len());
    for note in notes {
        match skipped(&due, &alerts, &sweep.note_days, note) {
            Some(why) => {
                // Recorded before the alert's own mailing is claimed, so
                // that no run sends the note apart from it.
                app.db()
                    .skip_mailing(&note.mailing, &note.slug, app.now_millis(), why)
                    .run()
                    .await?;
                let reason = match why {
                    Skip::Covered => "the alert's first mailing, started now, carries it",
                    Skip::Reworded => "a note of that day went out before it was reworded",
                };
                app.log(
                    Level::Info,
                    &format!("mailing id={} not sent: {reason}", note.mailing),
                );
            }
            None => to_start.push(note),
        }
    }
    for entry in alerts.into_iter().chain(to_start) {
        let first = MailMessage::Page {
            mailing: Mailing {
                id: entry.mailing.clone(),
                slug: entry.slug.clone(),
                frequency: Frequency::Each,
                topics: entry.topics.clone(),
                created_millis: app.now_millis(),
                everyone: false,
                window: None,
                week: None,
            },
            after: String::new(),
        };
        start(app, Some(&entry.slug), &first).await?;
    }
    Ok(())
}

/// Why a change note due and not started is not to be sent, if it is not:
/// its alert's first mailing starts in this run (`alerts`: those due and
/// not started yet), so the alert goes out with the note in it; or a
/// mailing of a note of its day exists for each note of that day that is
/// due now (`sent`: the mailings of those days), so this one is a note
/// that went out and was reworded since (its text, so its id, changed).
fn skipped(
    due: &[&notify::Entry],
    alerts: &[&notify::Entry],
    sent: &[String],
    note: &notify::Entry,
) -> Option<Skip> {
    if alerts.iter().any(|a| a.slug == note.slug) {
        return Some(Skip::Covered);
    }
    let day = note.note_day()?;
    let of_day = |id: &str| id.starts_with(day);
    let notes = due.iter().filter(|e| of_day(&e.mailing)).count();
    let mailed = sent.iter().filter(|id| of_day(id)).count();
    (mailed >= notes).then_some(Skip::Reworded)
}

/// The Monday 08:00 UTC (unix seconds) of the ISO week of `now`, once it
/// has passed.
fn this_weeks_digest(now: i64) -> Option<i64> {
    let at = iso_week(now).start + 8 * 3600;
    (now >= at).then_some(at)
}

/// The week a digest scheduled at `scheduled` sends: the one before.
fn digest_week(scheduled: i64) -> Week {
    iso_week(scheduled - 7 * 86_400)
}

/// The mailing id of the digest a cron scheduled at `scheduled` sends.
fn digest_id(scheduled: i64) -> String {
    format!("digest:{}", digest_week(scheduled).name)
}

/// Mondays: one digest mailing for the ISO week before the one the cron
/// was scheduled in, whatever time it runs.
pub async fn digest<P: Platform>(app: &App<'_, P>, scheduled: i64) -> Result<(), AppError> {
    let week = digest_week(scheduled);
    let first = MailMessage::Page {
        mailing: Mailing {
            id: digest_id(scheduled),
            slug: String::new(),
            frequency: Frequency::Weekly,
            topics: Vec::new(),
            created_millis: app.now_millis(),
            everyone: true,
            window: Some((week.start, week.end)),
            week: Some(week.name),
        },
        after: String::new(),
    };
    start(app, None, &first).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-12-02, a Monday, 00:00 UTC.
    const MONDAY: i64 = 1_733_097_600;

    #[test]
    fn this_weeks_digest_is_due_from_monday_eight() {
        assert_eq!(this_weeks_digest(MONDAY + 8 * 3600 - 1), None);
        assert_eq!(
            this_weeks_digest(MONDAY + 8 * 3600),
            Some(MONDAY + 8 * 3600)
        );
        assert_eq!(
            this_weeks_digest(MONDAY + 6 * 86_400),
            Some(MONDAY + 8 * 3600),
            "Sunday still points at its Monday"
        );
    }

    #[test]
    fn a_digest_sends_the_week_before_the_one_it_was_scheduled_in() {
        assert_eq!(digest_id(MONDAY + 8 * 3600), "digest:2024-W48");
        // Run late (Tuesday), it is still last week's digest.
        assert_eq!(digest_id(MONDAY + 86_400 + 8 * 3600), "digest:2024-W48");
        let w = digest_week(MONDAY + 8 * 3600);
        assert_eq!((w.start, w.end), (MONDAY - 7 * 86_400, MONDAY));
    }
}
