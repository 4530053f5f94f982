//! A translation as stored in its alert's record (`alert:<slug>`, field
//! `translations`): what it says in its language. Everything else (date,
//! category, tags, contacts, image, related alerts) is the source's, and it
//! goes public with its source. Kept in the source's record, so that a
//! translated page reads the one key its English page reads (and shares
//! its copy in the isolate), and a publish writes or deletes it with the
//! alert, in the same key.

use super::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One translation of an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub lang: Lang,
    pub title: String,
    /// Plain text: its own `summary`, else its body's first paragraph.
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_alt: Option<String>,
    /// When it was made: the source updated later makes it outdated.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub translated: DateTime<Utc>,
    /// The Markdown body, rendered on each request.
    pub body: String,
}
