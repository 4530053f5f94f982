//! The fan-out: one `page` message reads the next `PAGE` subscribers a
//! mailing is for (by id) and puts their `send` messages on the queue,
//! with the next page's message. The sends are paced for the bulk
//! sender's rate (`settings.max_send_rate`, r a second): a message holds
//! at most `PER_MESSAGE` recipients and at most r, and message i is
//! delayed by the sends before it over r (whole seconds), so that no
//! second starts more than r sends; the next page's message comes after
//! all of this page's. A mailing to 100,000 subscribers at 14 a second
//! takes two hours instead of asking SES for all of it at once.

use super::{enqueue_later, PAGE, PER_MESSAGE};
use crate::app::messages::{MailMessage, Mailing, Outcome};
use crate::app::{App, AppError, Level, Platform};

/// One page of a mailing's recipients after id `after`.
pub async fn page<P: Platform>(
    app: &App<'_, P>,
    mailing: &Mailing,
    after: &str,
) -> Result<Outcome, AppError> {
    let ids = app
        .db()
        .page(
            mailing.frequency,
            after,
            mailing.everyone,
            &mailing.topics,
            PAGE,
        )
        .run()
        .await?;
    let rate = app.settings.max_send_rate.max(1) as usize;
    let per = PER_MESSAGE.min(rate);
    let mut messages: Vec<MailMessage> = ids
        .chunks(per)
        .map(|chunk| MailMessage::Send {
            mailing: mailing.clone(),
            recipients: chunk.to_vec(),
        })
        .collect();
    if let Some(last) = ids.get(PAGE - 1) {
        messages.push(MailMessage::Page {
            mailing: mailing.clone(),
            after: last.clone(),
        });
    }
    let sends = ids.len().div_ceil(per);
    enqueue_later(app, &messages, |i| {
        // Send message i starts after the sends of the i before it; the
        // next page's message in the second after the last of this page's
        // began (rounded up: its first sends never share that second).
        if i < sends {
            (i * per / rate) as u32
        } else {
            ids.len().div_ceil(rate) as u32
        }
    })
    .await?;
    app.log(
        Level::Info,
        &format!(
            "mailing id={} page after '{after}': {} recipients",
            mailing.id,
            ids.len()
        ),
    );
    Ok(Outcome::Ack)
}
