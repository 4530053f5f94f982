//! The fan-out: one `page` message reads the next `PAGE` subscribers a
//! mailing is for (by id) and puts their `send` messages on the queue,
//! `PER_MESSAGE` recipients each, with the next page's message. The
//! messages are spaced by their queue delay so that, at
//! `settings.max_send_rate` messages a second, one page's sends end about
//! when the next page's begin: a mailing to 100,000 subscribers at 14 a
//! second takes two hours instead of asking SES for all of it at once.

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
    let mut messages: Vec<MailMessage> = ids
        .chunks(PER_MESSAGE)
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
    let rate = app.settings.max_send_rate.max(1) as usize;
    let sends = ids.len().div_ceil(PER_MESSAGE);
    enqueue_later(app, &messages, |i| {
        // Send message i starts after the sends of the i before it; the
        // next page's message after all of this page's.
        let before = if i < sends {
            i * PER_MESSAGE
        } else {
            ids.len()
        };
        (before / rate) as u32
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
