//! Webhook endpoints (`migrations/0005_webhooks.sql`): added, listed and
//! removed by the operator, read by the announcement at go-live and by
//! each delivery, and their health (the last success, the first failure
//! since, disabled) kept as deliveries succeed or fail. Times are unix
//! milliseconds.

use super::{int, int_or_null, nothing, nth, rows, text, Db, FromRow, Query};
use crate::app::ports::{Row, Sql, Stmt};
use crate::webhook::Format;

pub(super) const ADD: &str = "INSERT INTO webhooks (id, url, format, topics, secret, created_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/// Every endpoint, secrets left out (a handful; at most 100 read).
pub(super) const LIST: &str = "SELECT id, url, format, topics, '' AS secret, created_at, \
     last_success, failing_since, disabled_at FROM webhooks ORDER BY id LIMIT 100";
/// One endpoint, its secret included (a delivery signs with it).
pub(super) const ONE: &str = "SELECT id, url, format, topics, secret, created_at, \
     last_success, failing_since, disabled_at FROM webhooks WHERE id = ?1";
pub(super) const REMOVE: &str = "DELETE FROM webhooks WHERE id = ?1 RETURNING id";
/// The operator enables `?1` again: healthy until it fails anew.
pub(super) const ENABLE: &str =
    "UPDATE webhooks SET disabled_at = NULL, failing_since = NULL WHERE id = ?1 RETURNING id";
/// A delivery to `?1` succeeded at `?2`: healthy again.
pub(super) const SUCCEEDED: &str =
    "UPDATE webhooks SET last_success = ?2, failing_since = NULL WHERE id = ?1";
/// A delivery to `?1` failed at `?2`: its first failure is kept, and the
/// endpoint is disabled once that is `?3` or more ago. Returns whether it
/// is disabled now.
pub(super) const FAILED: &str = "UPDATE webhooks SET failing_since = COALESCE(failing_since, ?2), \
     disabled_at = COALESCE(disabled_at, CASE WHEN COALESCE(failing_since, ?2) <= ?2 - ?3 THEN ?2 END) \
     WHERE id = ?1 RETURNING disabled_at IS NOT NULL AS disabled";

/// One endpoint as D1 keeps it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub format: Format,
    /// `c:<Category>` and `t:<tag>`; empty: every alert.
    pub topics: Vec<String>,
    /// `whsec_...`; empty when listed (only a delivery reads it).
    pub secret: String,
    pub created_at: i64,
    pub last_success: Option<i64>,
    /// The first failure since the last success.
    pub failing_since: Option<i64>,
    pub disabled_at: Option<i64>,
}

/// A new endpoint, as the operator asked for it.
pub struct NewEndpoint<'e> {
    pub id: &'e str,
    pub url: &'e str,
    pub format: Format,
    pub topics: &'e [String],
    pub secret: &'e str,
}

impl FromRow for Endpoint {
    const NAME: &'static str = "Endpoint";
    fn from_row(row: &Row) -> Option<Self> {
        Some(Endpoint {
            id: text(row, "id")?,
            url: text(row, "url")?,
            format: Format::parse(&text(row, "format")?)?,
            topics: serde_json::from_str(&text(row, "topics")?).ok()?,
            secret: text(row, "secret")?,
            created_at: int(row, "created_at")?,
            last_success: int_or_null(row, "last_success")?,
            failing_since: int_or_null(row, "failing_since")?,
            disabled_at: int_or_null(row, "disabled_at")?,
        })
    }
}

impl<'a, S: Sql> Db<'a, S> {
    pub fn add_webhook(&self, new: &NewEndpoint<'_>, now_millis: i64) -> Query<'a, S, ()> {
        let topics = serde_json::Value::from(new.topics.to_vec()).to_string();
        self.query(
            vec![Stmt::new(
                ADD,
                vec![
                    new.id.into(),
                    new.url.into(),
                    new.format.as_str().into(),
                    topics.into(),
                    new.secret.into(),
                    now_millis.into(),
                ],
            )],
            nothing,
        )
    }

    /// Every endpoint (secrets left out), by id.
    pub fn webhooks(&self) -> Query<'a, S, Vec<Endpoint>> {
        self.query(vec![Stmt::new(LIST, vec![])], |mut a| rows(nth(&mut a, 0)))
    }

    /// One endpoint with its secret.
    pub fn webhook(&self, id: &str) -> Query<'a, S, Option<Endpoint>> {
        self.query(vec![Stmt::new(ONE, vec![id.into()])], |mut a| {
            Ok(rows(nth(&mut a, 0))?.into_iter().next())
        })
    }

    /// Removes an endpoint; whether it existed.
    pub fn remove_webhook(&self, id: &str) -> Query<'a, S, bool> {
        self.query(vec![Stmt::new(REMOVE, vec![id.into()])], |mut a| {
            Ok(super::any(&mut a, 0))
        })
    }

    /// Enables an endpoint again; whether it exists.
    pub fn enable_webhook(&self, id: &str) -> Query<'a, S, bool> {
        self.query(vec![Stmt::new(ENABLE, vec![id.into()])], |mut a| {
            Ok(super::any(&mut a, 0))
        })
    }

    pub fn webhook_succeeded(&self, id: &str, now_millis: i64) -> Query<'a, S, ()> {
        self.query(
            vec![Stmt::new(SUCCEEDED, vec![id.into(), now_millis.into()])],
            nothing,
        )
    }

    /// Records a failure; whether the endpoint is disabled now.
    pub fn webhook_failed(
        &self,
        id: &str,
        now_millis: i64,
        disable_after_millis: i64,
    ) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(
                FAILED,
                vec![id.into(), now_millis.into(), disable_after_millis.into()],
            )],
            |mut a| {
                let row = nth(&mut a, 0);
                Ok(row.first().and_then(|r| int(r, "disabled")) == Some(1))
            },
        )
    }
}
