//! The subscribers' database (D1, binding `DB`; schema in `migrations/`)
//! over the `Sql` port, as `store` is over KV: every statement is a
//! constant of this module or its two children, each call is a method of
//! `Db`, and every row is read into a type here. Handlers never write SQL.
//!
//! - `subscribers`: confirmation requests (`pending`), subscribers and
//!   their topics;
//! - `mailings`: mailings, their deliveries, and dead alert mail.
//!
//! `STATEMENTS` lists every statement, so that a test reads each one's
//! query plan: each is an index search, or a `json_each` list of ids, never
//! a scan of a table (D1 bills rows read).

mod mailings;
mod subscribers;

pub use mailings::{DeadMail, InFlight, Recipient, StaleMailing, Sweep};
pub use subscribers::{Confirmed, NewRequest, RequestToMail};

use super::ports::{PortError, Row, Sql, Stmt};
use super::AppError;
use crate::mail::topics::{Choice, Frequency};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Every statement the Worker runs, by name: the query-plan test reads
/// each one.
pub const STATEMENTS: &[(&str, &str)] = &[
    ("request", subscribers::REQUEST),
    ("forget request", subscribers::FORGET_REQUEST),
    ("confirm: subscriber", subscribers::CONFIRM_SUBSCRIBER),
    ("confirm: old topics", subscribers::CONFIRM_DELETE_TOPICS),
    ("confirm: topics", subscribers::CONFIRM_INSERT_TOPICS),
    ("confirm: result", subscribers::CONFIRM_SELECT),
    ("confirm: request used", subscribers::CONFIRM_USE_REQUEST),
    ("choice", subscribers::CHOICE),
    ("set choice", subscribers::SET_CHOICE),
    ("set choice: old topics", subscribers::DELETE_TOPICS),
    ("set choice: topics", subscribers::INSERT_TOPICS),
    ("erase: request", subscribers::ERASE_REQUEST),
    ("erase", subscribers::ERASE),
    ("request to mail", subscribers::REQUEST_TO_MAIL),
    ("expire requests", subscribers::EXPIRE_REQUESTS),
    ("claim mailing", mailings::CLAIM_MAILING),
    ("mailing queued", mailings::MAILING_QUEUED),
    ("mailings started", mailings::STARTED),
    ("stale mailings", mailings::STALE),
    ("renew stale mailing", mailings::RENEW),
    ("page", mailings::PAGE),
    ("claim", mailings::CLAIM),
    ("claimed", mailings::CLAIMED),
    ("in flight", mailings::IN_FLIGHT),
    ("mark sent", mailings::MARK_SENT),
    ("release", mailings::RELEASE),
    ("keep dead", mailings::KEEP_DEAD),
    ("list dead", mailings::LIST_DEAD),
    ("dead body", mailings::DEAD_BODY),
    ("forget dead", mailings::FORGET_DEAD),
];

/// The database, for one request or queue batch.
pub struct Db<'a, S: Sql> {
    sql: &'a S,
}

impl<'a, S: Sql> Db<'a, S> {
    pub fn new(sql: &'a S) -> Self {
        Db { sql }
    }

    /// Runs statements as one transaction; D1's failures as 503s (nothing
    /// was kept, try again), logged by kind only.
    async fn run(&self, stmts: &[Stmt<'_>]) -> Result<Vec<Vec<Row>>, AppError> {
        self.sql
            .batch(stmts)
            .await
            .map_err(|e| AppError::Unavailable(format!("d1: {}", d1_kind(&e.0))))
    }

    /// The same, with the port's own error (for callers that decide
    /// themselves what a failure means).
    async fn run_raw(&self, stmts: &[Stmt<'_>]) -> Result<Vec<Vec<Row>>, PortError> {
        self.sql.batch(stmts).await
    }
}

/// Rows as `T`. A row that doesn't read (a database of another schema) is
/// an error naming the type, never the row's values.
fn rows<T: DeserializeOwned>(rows: Vec<Row>) -> Result<Vec<T>, AppError> {
    rows.into_iter()
        .map(|r| {
            serde_json::from_value(serde_json::Value::Object(r)).map_err(|_| {
                AppError::Internal(format!(
                    "d1 row unreadable as {}",
                    std::any::type_name::<T>()
                ))
            })
        })
        .collect()
}

/// The one statement's rows of a batch at `i` (D1 answers each).
fn nth(answer: &mut [Vec<Row>], i: usize) -> Vec<Row> {
    answer.get_mut(i).map(std::mem::take).unwrap_or_default()
}

/// A subscriber's choice as stored: `every` (0 or 1), `frequency`, and
/// `topics` as a JSON array in text (a column, or `json_group_array`).
#[derive(Debug, Clone, Deserialize)]
pub struct ChoiceRow {
    pub every: i64,
    pub frequency: String,
    pub topics: Option<String>,
}

impl ChoiceRow {
    pub fn choice(&self) -> Choice {
        choice(self.every, &self.frequency, self.topics.as_deref())
    }
}

/// A choice from its three columns (rows hold them beside others, not
/// nested: serde's `flatten` would read every row through its buffering
/// `Content`, bytes the Worker doesn't need).
fn choice(every: i64, frequency: &str, topics: Option<&str>) -> Choice {
    Choice {
        every: every == 1,
        topics: topics
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default(),
        frequency: Frequency::parse(frequency).unwrap_or_default(),
    }
}

/// A row holding an id.
#[derive(Debug, Deserialize)]
struct IdRow {
    id: String,
}

/// What a D1 failure was, fit for a log line: the runtime's message may
/// quote a value it was given (an address), so only its kind is kept, and
/// the phrases that name a table or column (a database not migrated).
pub fn d1_kind(message: &str) -> String {
    const SAFE: [&str; 6] = [
        "no such table",
        "no such column",
        "UNIQUE constraint failed",
        "FOREIGN KEY constraint failed",
        "CHECK constraint failed",
        "binding DB is missing",
    ];
    let code = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.starts_with("D1_") || w.starts_with("SQLITE_"))
        .unwrap_or("d1-call-failed");
    match SAFE.iter().find(|s| message.contains(*s)) {
        Some(phrase) => {
            let at = message.find(phrase).unwrap_or(0);
            let named: String = message[at..]
                .chars()
                .take_while(|c| *c != '\n' && *c != '(' && *c != '"' && *c != '\'')
                .take(80)
                .collect();
            format!("{code} {}", named.trim())
        }
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_reads_from_its_columns() {
        let row = ChoiceRow {
            every: 0,
            frequency: "weekly".into(),
            topics: Some(r#"["c:General","t:un"]"#.into()),
        };
        let c = row.choice();
        assert!(!c.every);
        assert_eq!(c.frequency, Frequency::Weekly);
        assert_eq!(c.topics, ["c:General", "t:un"]);
        let none = ChoiceRow {
            every: 1,
            frequency: "each".into(),
            topics: None,
        };
        assert!(none.choice().every && none.choice().topics.is_empty());
    }

    #[test]
    fn a_row_of_another_shape_is_an_error_naming_the_type_not_the_values() {
        let mut row = Row::new();
        row.insert("id".into(), serde_json::json!(7));
        row.insert("email".into(), serde_json::json!("ada@example.net"));
        let err = rows::<IdRow>(vec![row]).unwrap_err();
        let line = format!("{err:?}");
        assert!(line.contains("IdRow"), "{line}");
        assert!(!line.contains("ada@"), "{line}");
    }

    #[test]
    fn every_statement_is_listed_once() {
        let mut names: Vec<&str> = STATEMENTS.iter().map(|(n, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), STATEMENTS.len());
    }
}
