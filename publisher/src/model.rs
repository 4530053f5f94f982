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

/// Everything in `content/`, validated.
#[derive(Debug, Default)]
pub struct Content {
    pub contacts: Vec<Contact>,
    pub alerts: Vec<Alert>,
    /// Problems that do not block publishing (unsafe link URLs).
    pub warnings: Vec<Problem>,
}

pub(crate) fn problem(file: &Path, line: usize, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}
