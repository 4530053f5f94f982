//! The confirmation request of a pending subscription (double opt-in).
//! A suppressed address never has a request here: `/subscribe` keeps none
//! for it, and suppressing an address erases its request
//! (`crate::app::suppress`).

use super::secret;
use crate::app::db::Stream;
use crate::app::messages::Outcome;
use crate::app::{App, AppError, Level, Platform};
use crate::mail::message::{self, Envelope};
use crate::mail::token::{self, Purpose};
use crate::routes::Route;

/// Sends request `id`'s confirmation link; `text` is the message as the
/// queue carried it (kept as dead if it can never be sent).
pub async fn send<P: Platform>(
    app: &App<'_, P>,
    id: &str,
    text: &str,
) -> Result<Outcome, AppError> {
    let Some(secret) = secret(app) else {
        return Ok(Outcome::Retry(Some(app.settings.retry_delay)));
    };
    let Some(request) = app.db().request_to_mail(id, app.now_millis()).run().await? else {
        app.log(
            Level::Info,
            &format!("confirm id={id}: request gone or replaced; nothing sent"),
        );
        return Ok(Outcome::Ack);
    };
    let exp = app.now() + token::CONFIRM_SECONDS;
    let t = token::sign(secret, Purpose::Confirm, id, exp);
    let lang = request.choice.lang;
    let url = token::link(app.site(), &t, Route::SubscribeConfirm(lang));
    let envelope = Envelope {
        site: app.site(),
        from: &app.settings.mail_from,
        to: &request.email,
        id: &format!("confirm-{id}"),
        unix_time: app.now(),
    };
    // The topics in the reader's language; in English if they cannot be
    // read (the mail is sent all the same).
    let names = app.store.names_in(lang, app.now()).await;
    let names = names.unwrap_or(crate::i18n::Names::EMPTY);
    let choice = request.choice.describe(lang, &names);
    let raw = match message::confirmation(&envelope, &url, &choice, lang) {
        Ok(raw) => raw,
        Err(h) => {
            app.log(
                Level::Error,
                &format!("confirm id={id} error=unsafe-header header={}", h.0),
            );
            return Ok(super::dead::keep(app, text).await);
        }
    };
    match app
        .platform
        .send_transactional(&app.settings.mail_from, &request.email, &raw)
        .await
    {
        Ok(()) => {
            app.log(Level::Info, &format!("confirm id={id} sent"));
            let db = app.db();
            let _ = db
                .count(Stream::Transactional, "sent", 1, app.now_millis())
                .run_raw()
                .await;
            Ok(Outcome::Ack)
        }
        Err(kind) => {
            app.log(
                Level::Error,
                &format!("confirm id={id} error={}", kind.kind()),
            );
            Ok(Outcome::Retry(Some(app.settings.retry_delay)))
        }
    }
}
