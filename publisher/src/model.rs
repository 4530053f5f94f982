//! What loading `content/` yields, shared by the parser (`load`) and the
//! linker (`link`): an alert as parsed, the validated content, and the
//! problems an editor is shown, each at a file and line.

use access_alerts::content::{AlertRecord, Contact};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a content file, at a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl std::error::Error for Problem {}

/// A parsed alert before cross-file checks.
#[derive(Debug, Clone)]
pub struct Alert {
    pub file: PathBuf,
    pub record: AlertRecord,
    pub(crate) contact_ids: Vec<String>,
    pub(crate) related_slugs: Vec<String>,
    /// Line of each front-matter key, for later messages.
    pub(crate) lines: HashMap<String, usize>,
}

/// A translation of an alert (`alerts/<slug>.<lang>.md`): what it says
/// in its language; everything else is its source's.
#[derive(Debug, Clone)]
pub struct Translation {
    pub file: PathBuf,
    /// The source alert's slug.
    pub slug: String,
    /// One of `crate::load::LANGUAGES`.
    pub lang: String,
    pub title: String,
    pub summary: Option<String>,
    pub contact_note: Option<String>,
    pub image_alt: Option<String>,
    /// When it was made: a source updated later makes it outdated.
    pub translated: chrono::DateTime<chrono::Utc>,
    /// Its own `draft`, when it sets one (else the source's).
    pub draft: Option<bool>,
    pub body: String,
    pub(crate) translated_line: usize,
    pub(crate) draft_line: usize,
}

/// Everything in `content/`, validated.
#[derive(Debug, Default)]
pub struct Content {
    pub contacts: Vec<Contact>,
    pub alerts: Vec<Alert>,
    /// Translations of the alerts (not published yet: issue 24).
    pub translations: Vec<Translation>,
    /// Category and tag names in the other languages (`names.toml`).
    pub names: access_alerts::i18n::Names,
    /// Problems that do not block publishing (unsafe link URLs, outdated
    /// translations).
    pub warnings: Vec<Problem>,
}

pub(crate) fn problem(file: &Path, line: usize, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}
