//! The one error type of the handlers. It decides the status code and what
//! the visitor sees; internal detail is logged, never sent.

use super::ports::{Level, PortError};
use super::reply::Reply;
use crate::http::{cache, types};
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
        message: String,
    },
    /// What was asked for is gone for good (410), and the message says why.
    Gone(String),
    /// A backing service (D1, the queue) failed: logged, answered 503 with
    /// `Retry-After`, so the visitor knows to try again and nothing was kept.
    Unavailable(String),
    /// Anything else: logged, answered with a generic message.
    Internal(String),
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

    /// What the visitor is told (never internal detail).
    fn public_message(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound => ("Page not found", "There is no page at this address. It may have moved or been unpublished.".into()),
            AppError::MethodNotAllowed(allow) => ("Method not allowed", format!("This address answers only {allow}.")),
            AppError::BadRequest(m) => ("Bad request", m.clone()),
            AppError::Unauthorized => ("Unauthorized", "A valid bearer token is required.".into()),
            AppError::Forbidden(m) => ("Forbidden", m.clone()),
            AppError::PayloadTooLarge => ("Request too large", format!("The request body must be at most {} KB.", crate::form::MAX_BODY_BYTES / 1024)),
            AppError::UnsupportedMediaType => ("Unsupported content type", "Send application/x-www-form-urlencoded or application/json.".into()),
            AppError::TooManyRequests(s) => ("Too many requests", format!("Too many messages from your address. Please try again in {s} seconds.")),
            AppError::BrokenRecord { .. } => ("This alert cannot be shown", "The stored copy of this alert is damaged. The editors have been notified in the logs; other pages are unaffected.".into()),
            AppError::BadLink { message, .. } => ("This link does not work", message.clone()),
            AppError::Gone(m) => ("Gone", m.clone()),
            AppError::Unavailable(_) => ("Please try again", "This could not be done just now, and nothing was kept. Please try again in a minute.".into()),
            AppError::Internal(_) => ("Something went wrong", "Something went wrong on our side. Please try again shortly.".into()),
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

    /// The answer: an HTML page, or `{"error": ...}` when `json`.
    pub fn into_reply(self, site: &Site, json: bool, log: impl Fn(Level, &str)) -> Reply {
        if let Some(line) = self.log_line() {
            log(Level::Error, &line);
        }
        let status = self.status();
        let (title, message) = self.public_message();
        let mut reply = if json {
            Reply::new(
                status,
                types::JSON,
                serde_json::json!({ "error": message }).to_string(),
            )
        } else {
            Reply::html(status, views::message_page(site, title, &message))
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
