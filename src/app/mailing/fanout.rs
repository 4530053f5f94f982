//! The fan-out: one `page` message reads the next `PAGE` subscribers a
//! mailing is for (by id) and puts their `send` messages on the queue,
//! `PER_MESSAGE` recipients each, with the next page's message.

use super::{enqueue, PAGE, PER_MESSAGE};
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
    enqueue(app, &messages).await?;
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
