//! The one error type of the handlers. It decides the status code and what
//! the visitor sees; internal detail is logged, never sent.

use super::ports::{Level, PortError};
use super::reply::Reply;
use crate::http::{cache, types};
use crate::i18n::{fill, ErrorStrings, Lang};
use crate::views::{self, Site};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    MethodNotAllowed(&'static str),
    BadRequest(String),
    Unauthorized,
    Forbidden(String),
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests(u32),
    /// A stored alert record that cannot be read: logged with its key.
    BrokenRecord {
        key: String,
        reason: String,
    },
    /// A link that is malformed, forged or used up (410 when `gone`).
    BadLink {
        gone: bool,
        problem: LinkProblem,
    },
    /// What was asked for is gone for good (410), and the message says why.
    Gone(String),
    /// A backing service (D1, the queue) failed: logged, answered 503 with
    /// `Retry-After`, so the visitor knows to try again and nothing was kept.
    Unavailable(String),
    /// Anything else: logged, answered with a generic message.
    Internal(String),
}

/// What is wrong with a subscriber's link, as its page says in the
/// reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// No token in it.
    Incomplete,
    /// Forged, altered, of another kind, or revoked.
    Invalid,
    /// A confirmation link past its 48 hours.
    ConfirmExpired,
    /// A link to the subscriber's page past its 90 days.
    TopicsExpired,
    /// A confirmation already used, or its request expired.
    Used,
    /// The subscription was deleted.
    Deleted,
}

impl LinkProblem {
    fn message(self, t: &ErrorStrings) -> &'static str {
        match self {
            LinkProblem::Incomplete => t.link_incomplete,
            LinkProblem::Invalid => t.link_invalid,
            LinkProblem::ConfirmExpired => t.confirm_expired,
            LinkProblem::TopicsExpired => t.topics_expired,
            LinkProblem::Used => t.link_used,
            LinkProblem::Deleted => t.subscription_deleted,
        }
    }
}

impl From<PortError> for AppError {
    fn from(e: PortError) -> Self {
        AppError::Internal(e.0)
    }
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::MethodNotAllowed(_) => 405,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::PayloadTooLarge => 413,
            AppError::UnsupportedMediaType => 415,
            AppError::TooManyRequests(_) => 429,
            AppError::BrokenRecord { .. } => 422,
            AppError::BadLink { gone: true, .. } => 410,
            AppError::BadLink { .. } => 400,
            AppError::Gone(_) => 410,
            AppError::Unavailable(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    /// What the visitor is told (never internal detail), in `lang` where
    /// a reader may meet it; what programs and operators meet, in English.
    fn public_message(&self, lang: Lang) -> (&'static str, String) {
        let t = lang.error_strings();
        match self {
            AppError::NotFound => (t.not_found_title, t.not_found.into()),
            AppError::MethodNotAllowed(allow) => (
                "Method not allowed",
                format!("This address answers only {allow}."),
            ),
            AppError::BadRequest(m) => ("Bad request", m.clone()),
            AppError::Unauthorized => ("Unauthorized", "A valid bearer token is required.".into()),
            AppError::Forbidden(m) => ("Forbidden", m.clone()),
            AppError::PayloadTooLarge => (
                "Request too large",
                format!(
                    "The request body must be at most {} KB.",
                    crate::form::MAX_BODY_BYTES / 1024
                ),
            ),
            AppError::UnsupportedMediaType => (
                "Unsupported content type",
                "Send application/x-www-form-urlencoded or application/json.".into(),
            ),
            AppError::TooManyRequests(s) => (t.too_many_title, fill(t.too_many, &s.to_string())),
            AppError::BrokenRecord { .. } => (t.broken_title, t.broken.into()),
            AppError::BadLink { problem, .. } => (t.bad_link_title, problem.message(t).into()),
            AppError::Gone(m) => ("Gone", m.clone()),
            AppError::Unavailable(_) => (t.unavailable_title, t.unavailable.into()),
            AppError::Internal(_) => (t.internal_title, t.internal.into()),
        }
    }

    /// What the operator needs to read in the logs (no visitor data), if
    /// anything.
    pub fn log_line(&self) -> Option<String> {
        match self {
            AppError::BrokenRecord { key, reason } => {
                Some(format!("broken record key={key} reason={reason}"))
            }
            AppError::Internal(detail) => Some(format!("internal error: {detail}")),
            AppError::Unavailable(detail) => Some(format!("unavailable: {detail}")),
            _ => None,
        }
    }

    /// The answer: an HTML page in `lang` (the path's language), or
    /// `{"error": ...}` when `json`.
    pub fn into_reply(
        self,
        site: &Site,
        json: bool,
        lang: Lang,
        log: impl Fn(Level, &str),
    ) -> Reply {
        if let Some(line) = self.log_line() {
            log(Level::Error, &line);
        }
        let status = self.status();
        let (title, message) = self.public_message(lang);
        let mut reply = if json {
            Reply::new(
                status,
                types::JSON,
                serde_json::json!({ "error": message }).to_string(),
            )
        } else {
            Reply::html(status, views::message_page(site, lang, title, &message))
        };
        reply.cache = if status == 404 {
            cache::SHORT
        } else {
            cache::NO_STORE
        };
        match self {
            AppError::MethodNotAllowed(allow) => reply.header("Allow", allow),
            AppError::TooManyRequests(s) => reply.header("Retry-After", &s.to_string()),
            AppError::Unavailable(_) => reply.header("Retry-After", "60"),
            AppError::Unauthorized => reply.header("WWW-Authenticate", "Bearer"),
            _ => reply,
        }
    }
}
