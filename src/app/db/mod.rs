//! The subscribers' database (D1, binding `DB`; schema in `migrations/`)
//! over the `Sql` port, as `store` is over KV: every statement is a
//! constant of this module or its children, each call is a method of
//! `Db`, and every row is read into a type here. Handlers never write SQL.
//!
//! - `subscribers`: confirmation requests (`pending`), subscribers and
//!   their topics;
//! - `mailings`: mailings, their deliveries, and dead alert mail;
//! - `suppression`: bounces and complaints, the counts behind the rates,
//!   SNS messages taken;
//! - `budget`: the hourly budget of confirmation emails;
//! - `prune`: old delivery records, mailings and dead mail deleted;
//! - `webhooks`: the operator's webhook endpoints and their health.
//!
//! `STATEMENTS` lists every statement, so that a test reads each one's
//! query plan: each is an index search, or a `json_each` list of ids, never
//! a scan of a table (D1 bills rows read).

mod budget;
mod mailings;
mod prune;
mod subscribers;
mod suppression;
mod webhooks;

pub use budget::HOUR_MILLIS;
pub use mailings::{DeadMail, InFlight, Recipient, Skip, StaleMailing, Sweep};
pub use prune::Prune;
pub use subscribers::{Confirmed, Current, NewRequest, RequestToMail, Unsubscribed};
pub use suppression::{day_of, Count, Reason, Reported, Stream, SOFT_LIMIT, SOFT_WINDOW_MILLIS};
pub use webhooks::{Endpoint, NewEndpoint};

use super::ports::{PortError, Row, Sql, Stmt};
use super::AppError;
use crate::mail::topics::{Choice, Frequency};

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
    ("mailings of note days", mailings::NOTE_DAYS),
    ("skip mailing", mailings::SKIP_MAILING),
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
    // Bounces and complaints.
    ("is suppressed", suppression::IS_SUPPRESSED),
    ("suppress", suppression::SUPPRESS),
    ("forget soft bounces", suppression::FORGET_SOFT),
    ("soft bounce", suppression::SOFT_BOUNCE),
    ("soft bounces suppress", suppression::SOFT_SUPPRESS),
    (
        "erase suppressed request",
        suppression::ERASE_SUPPRESSED_REQUEST,
    ),
    ("erase suppressed", suppression::ERASE_SUPPRESSED),
    ("count", suppression::COUNT),
    ("counts", suppression::COUNTS),
    ("hook seen", suppression::HOOK_SEEN),
    ("hook keep", suppression::HOOK_KEEP),
    ("hook forget", suppression::HOOK_FORGET),
    // Abuse bounded (migrations/0004).
    ("take confirmation", budget::TAKE_CONFIRMATION),
    ("forget budget hours", budget::FORGET_HOURS),
    ("prune deliveries", prune::PRUNE_DELIVERIES),
    ("prune mailings", prune::PRUNE_MAILINGS),
    ("prune dead mail", prune::PRUNE_DEAD),
    ("mailing since", prune::MAILING_SINCE),
    ("unsubscribe: request", subscribers::UNSUBSCRIBE_REQUEST),
    ("unsubscribe", subscribers::UNSUBSCRIBE),
    ("subscriber exists", subscribers::EXISTS),
    // Signed webhooks (migrations/0005).
    ("add webhook", webhooks::ADD),
    ("list webhooks", webhooks::LIST),
    ("one webhook", webhooks::ONE),
    ("remove webhook", webhooks::REMOVE),
    ("enable webhook", webhooks::ENABLE),
    ("webhook succeeded", webhooks::SUCCEEDED),
    ("webhook failed", webhooks::FAILED),
];

/// The database, for one request or queue batch.
pub struct Db<'a, S: Sql> {
    sql: &'a S,
}

/// The rows of each statement of a batch, in order.
type Answer = Vec<Vec<Row>>;

/// Statements to run as one transaction, and how their answer is read.
/// Its methods build one; `run` (or `run_raw`) sends it. The statements
/// are built without awaiting anything and read by a plain function, so
/// the Worker carries one small future per answer type rather than one per
/// method (`make size`).
#[must_use = "a query does nothing until it is run"]
pub struct Query<'a, S: Sql, T> {
    sql: &'a S,
    stmts: Vec<Stmt<'static>>,
    read: fn(Answer) -> Result<T, AppError>,
}

impl<'a, S: Sql> Db<'a, S> {
    pub fn new(sql: &'a S) -> Self {
        Db { sql }
    }

    fn query<T>(
        &self,
        stmts: Vec<Stmt<'static>>,
        read: fn(Answer) -> Result<T, AppError>,
    ) -> Query<'a, S, T> {
        Query {
            sql: self.sql,
            stmts,
            read,
        }
    }
}

impl<S: Sql, T> Query<'_, S, T> {
    /// Runs it; D1's failures as 503s (nothing was kept, try again),
    /// logged by kind only.
    pub async fn run(self) -> Result<T, AppError> {
        let answer = exec(self.sql, &self.stmts).await?;
        (self.read)(answer)
    }
}

impl<S: Sql> Query<'_, S, ()> {
    /// Runs it with the port's own error, for callers that decide
    /// themselves what a failure means.
    pub async fn run_raw(self) -> Result<(), PortError> {
        self.sql.batch(&self.stmts).await.map(|_| ())
    }
}

async fn exec<S: Sql>(sql: &S, stmts: &[Stmt<'_>]) -> Result<Answer, AppError> {
    sql.batch(stmts)
        .await
        .map_err(|e| AppError::Unavailable(format!("d1: {}", d1_kind(&e.0))))
}

/// An answer read as nothing.
fn nothing(_: Answer) -> Result<(), AppError> {
    Ok(())
}

/// Whether statement `i` returned a row.
fn any(answer: &mut Answer, i: usize) -> bool {
    !nth(answer, i).is_empty()
}

/// A row read into its type: `None` when a column is missing or of
/// another type. Written by hand over the row's map (a few `get`s each),
/// not derived: serde's derived readers of each row type cost the Worker
/// bytes that these few lines don't (`make size`).
trait FromRow: Sized {
    /// The type's name, for the error when a row doesn't read.
    const NAME: &'static str;
    fn from_row(row: &Row) -> Option<Self>;
}

/// A column as text.
fn text(row: &Row, column: &str) -> Option<String> {
    row.get(column)?.as_str().map(str::to_string)
}

/// A column as an integer.
fn int(row: &Row, column: &str) -> Option<i64> {
    row.get(column)?.as_i64()
}

/// A column as text, or `None` when it is null.
fn text_or_null(row: &Row, column: &str) -> Option<Option<String>> {
    match row.get(column)? {
        serde_json::Value::Null => Some(None),
        v => v.as_str().map(|s| Some(s.to_string())),
    }
}

/// A column as an integer, or `None` when it is null.
fn int_or_null(row: &Row, column: &str) -> Option<Option<i64>> {
    match row.get(column)? {
        serde_json::Value::Null => Some(None),
        v => v.as_i64().map(Some),
    }
}

/// Rows as `T`. A row that doesn't read (a database of another schema) is
/// an error naming the type, never the row's values. (A loop: iterator
/// adapters collecting into a `Result` cost bytes for every row type.)
fn rows<T: FromRow>(rows: Vec<Row>) -> Result<Vec<T>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        match T::from_row(row) {
            Some(t) => out.push(t),
            None => return Err(unreadable(T::NAME)),
        }
    }
    Ok(out)
}

fn unreadable(type_name: &str) -> AppError {
    AppError::Internal(format!("d1 row unreadable as {type_name}"))
}

/// The one statement's rows of a batch at `i` (D1 answers each).
fn nth(answer: &mut [Vec<Row>], i: usize) -> Vec<Row> {
    answer.get_mut(i).map(std::mem::take).unwrap_or_default()
}

/// A subscriber's choice as stored, in the columns of any row that holds
/// one: `every` (0 or 1), `frequency`, `lang` (a code, English when
/// unknown), and `topics` as a JSON array in text (a column, or
/// `json_group_array`; null when there are none).
impl FromRow for Choice {
    const NAME: &'static str = "Choice";
    fn from_row(row: &Row) -> Option<Self> {
        let topics = text_or_null(row, "topics")?;
        Some(Choice {
            every: int(row, "every")? == 1,
            topics: topics
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default(),
            frequency: Frequency::parse(&text(row, "frequency")?).unwrap_or_default(),
            lang: crate::i18n::Lang::from_code(&text(row, "lang")?).unwrap_or_default(),
        })
    }
}

/// A row holding an id.
#[derive(Debug)]
struct IdRow {
    id: String,
}

impl FromRow for IdRow {
    const NAME: &'static str = "IdRow";
    fn from_row(row: &Row) -> Option<Self> {
        Some(IdRow {
            id: text(row, "id")?,
        })
    }
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
        let row = |every: i64, topics: serde_json::Value| {
            let mut r = Row::new();
            r.insert("every".into(), every.into());
            r.insert("frequency".into(), "weekly".into());
            r.insert("lang".into(), "ar".into());
            r.insert("topics".into(), topics);
            r
        };
        let c = Choice::from_row(&row(0, r#"["c:General","t:un"]"#.into())).unwrap();
        assert!(!c.every);
        assert_eq!(c.frequency, Frequency::Weekly);
        assert_eq!(c.topics, ["c:General", "t:un"]);
        assert_eq!(c.lang, crate::i18n::Lang::Ar);
        let none = Choice::from_row(&row(1, serde_json::Value::Null)).unwrap();
        assert!(none.every && none.topics.is_empty());
        assert_eq!(
            Choice::from_row(&row(1, 7.into())),
            None,
            "topics of another type"
        );
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
