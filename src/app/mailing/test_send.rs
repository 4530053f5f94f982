//! A test send (`make test-email`, `POST /operator/test-email`): an
//! alert's email exactly as a subscriber of every alert would get it,
//! draft, scheduled or public, to one address the operator names, through
//! the transactional sender. It is marked as a test (`[Test]` in the
//! subject, a notice first), and its subscription links lead to the
//! subscribe page, so that they change no subscription; nobody else is
//! mailed and no mailing is started. With `lang`, it is the email a
//! subscriber of that language gets (the translation, or English with a
//! line saying so).

use super::compose::{alert_content, compose};
use crate::app::operator::OperatorForm;
use crate::app::reply::Reply;
use crate::app::{App, AppError, Incoming, Level, Platform};
use crate::i18n::Names;
use crate::mail::message::Envelope;
use crate::mail::topics::Choice;
use crate::routes::Route;

/// The endpoint: 202 once sent.
pub async fn send<P: Platform>(app: &App<'_, P>, req: &impl Incoming) -> Result<Reply, AppError> {
    let form = OperatorForm::read(app, req).await?;
    let (slug, to) = (form.field("slug"), form.field("to"));
    if !crate::keys::is_valid_slug(&slug) {
        return Err(AppError::BadRequest(
            "`slug` must be an alert's slug (SLUG=...)".into(),
        ));
    }
    if !crate::form::is_sendable_email(&to) {
        return Err(AppError::BadRequest(
            "`to` must be an email address (TO=name@example.org)".into(),
        ));
    }
    let Some(record) = app.store.alert(&slug).await? else {
        return Err(AppError::NotFound);
    };
    let state = if record.draft {
        "draft"
    } else if record.is_public(app.now_utc()) {
        "public"
    } else {
        "scheduled"
    };
    let lang = crate::app::params::lang_value(&form.field("lang"))?;
    let content = alert_content(record, None, true);
    let from = &app.settings.mail_from;
    let inert = app.site().abs(&Route::Subscribe(lang).path());
    let envelope = Envelope {
        site: app.site(),
        from,
        to: &to,
        id: &format!("test-{}", app.new_id()?),
        unix_time: app.now(),
    };
    let every = Choice {
        every: true,
        lang,
        ..Choice::default()
    };
    let raw = match compose(
        app,
        &content,
        &envelope,
        &every,
        &inert,
        &inert,
        &Names::EMPTY,
    ) {
        Some(Ok(raw)) => raw,
        _ => {
            return Err(AppError::Internal(
                "test send: the message could not be made".into(),
            ))
        }
    };
    if let Err(e) = app.platform.send_transactional(from, &to, &raw).await {
        return Err(AppError::Unavailable(format!("test send: {}", e.kind())));
    }
    app.log(Level::Info, &format!("test send of {slug} ({state}) sent"));
    Ok(Reply::json(
        202,
        &serde_json::json!({"sent": true, "slug": slug, "state": state}),
    ))
}
