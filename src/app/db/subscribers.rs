//! Confirmation requests (`pending`), subscribers and their topics.

use super::{any, int, nothing, nth, rows, text, Db, FromRow, Query};
use crate::app::ports::Row;
use crate::app::ports::{Sql, Stmt};
use crate::mail::topics::Choice;
use serde_json::json;

/// A request for address `?2` (id `?1`, choice `?3`-`?5` and `?9`, sent at
/// `?6`, expiring at `?7`), replacing the address's earlier one unless that
/// was sent after `?8` (the throttle): then nothing is returned.
pub(super) const REQUEST: &str =
    "INSERT INTO pending (id, email, every, frequency, topics, sent_at, expires_at, lang) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9) \
     ON CONFLICT (email) DO UPDATE SET id = excluded.id, every = excluded.every, \
     frequency = excluded.frequency, topics = excluded.topics, sent_at = excluded.sent_at, \
     expires_at = excluded.expires_at, lang = excluded.lang WHERE pending.sent_at <= ?8 RETURNING id";
pub(super) const FORGET_REQUEST: &str = "DELETE FROM pending WHERE id = ?1";

/// Confirming request `?1` at `?2`: the address becomes subscriber `?3`
/// (or keeps its id, takes the new choice and a new version of its links,
/// which revokes every link sent before).
pub(super) const CONFIRM_SUBSCRIBER: &str = "INSERT INTO subscribers (id, email, every, frequency, confirmed_at, lang) \
     SELECT ?3, p.email, p.every, p.frequency, ?2, p.lang FROM pending p WHERE p.id = ?1 AND p.expires_at >= ?2 \
     ON CONFLICT (email) DO UPDATE SET every = excluded.every, frequency = excluded.frequency, \
     lang = excluded.lang, links = subscribers.links + 1";
pub(super) const CONFIRM_DELETE_TOPICS: &str = "DELETE FROM subscriber_topics WHERE subscriber_id = \
     (SELECT s.id FROM subscribers s JOIN pending p ON p.email = s.email WHERE p.id = ?1 AND p.expires_at >= ?2)";
pub(super) const CONFIRM_INSERT_TOPICS: &str = "INSERT INTO subscriber_topics (subscriber_id, topic) SELECT s.id, j.value \
     FROM pending p JOIN subscribers s ON s.email = p.email, json_each(p.topics) j WHERE p.id = ?1 AND p.expires_at >= ?2";
pub(super) const CONFIRM_SELECT: &str =
    "SELECT s.id, s.links, s.every, s.frequency, s.lang, p.topics FROM subscribers s \
     JOIN pending p ON p.email = s.email WHERE p.id = ?1 AND p.expires_at >= ?2";
/// The request is used up (a new id `?2`: the link no longer works), but
/// kept until the throttle (`?3` after its email) has passed, so the next
/// confirmation email for the address still waits that long.
pub(super) const CONFIRM_USE_REQUEST: &str =
    "UPDATE pending SET id = ?2, expires_at = sent_at + ?3 WHERE id = ?1";

pub(super) const CHOICE: &str = "SELECT every, frequency, lang, links, \
     (SELECT json_group_array(topic) FROM subscriber_topics WHERE subscriber_id = ?1) AS topics \
     FROM subscribers WHERE id = ?1";
pub(super) const SET_CHOICE: &str =
    "UPDATE subscribers SET every = ?2, frequency = ?3, lang = ?4 WHERE id = ?1";
pub(super) const DELETE_TOPICS: &str = "DELETE FROM subscriber_topics WHERE subscriber_id = ?1";
pub(super) const INSERT_TOPICS: &str =
    "INSERT INTO subscriber_topics (subscriber_id, topic) SELECT ?1, value FROM json_each(?2) \
     WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = ?1)";

/// A confirmation request of the same address goes with the subscriber.
pub(super) const ERASE_REQUEST: &str =
    "DELETE FROM pending WHERE email = (SELECT email FROM subscribers WHERE id = ?1)";
/// The whole erasure: topics and delivery records go with the row.
pub(super) const ERASE: &str = "DELETE FROM subscribers WHERE id = ?1 RETURNING id";
/// The same, by a link of version `?2` of the subscriber's links only.
pub(super) const UNSUBSCRIBE_REQUEST: &str =
    "DELETE FROM pending WHERE email = (SELECT email FROM subscribers WHERE id = ?1 AND links = ?2)";
pub(super) const UNSUBSCRIBE: &str =
    "DELETE FROM subscribers WHERE id = ?1 AND links = ?2 RETURNING id";
/// Whether subscriber `?1` is (still) there.
pub(super) const EXISTS: &str = "SELECT id FROM subscribers WHERE id = ?1";

pub(super) const REQUEST_TO_MAIL: &str =
    "SELECT email, every, frequency, lang, topics FROM pending WHERE id = ?1 AND expires_at >= ?2";
/// Requests past their expiry (the every-minute cron), by index.
pub(super) const EXPIRE_REQUESTS: &str = "DELETE FROM pending WHERE expires_at < ?1";

/// A new confirmation request.
pub struct NewRequest<'r> {
    pub id: &'r str,
    /// Normalised (trimmed, lowercase).
    pub email: &'r str,
    pub choice: &'r Choice,
    pub now_millis: i64,
    pub expires_millis: i64,
    /// An earlier request of the address sent after this is not replaced.
    pub throttle_before: i64,
}

/// A confirmation request about to be mailed.
#[derive(Debug)]
pub struct RequestToMail {
    pub email: String,
    pub choice: Choice,
}

impl FromRow for RequestToMail {
    const NAME: &'static str = "RequestToMail";
    fn from_row(row: &Row) -> Option<Self> {
        Some(RequestToMail {
            email: text(row, "email")?,
            choice: Choice::from_row(row)?,
        })
    }
}

/// A subscriber just confirmed.
#[derive(Debug)]
pub struct Confirmed {
    pub id: String,
    /// The version of their links (`subscribers.links`).
    pub links: i64,
    pub choice: Choice,
}

impl FromRow for Confirmed {
    const NAME: &'static str = "Confirmed";
    fn from_row(row: &Row) -> Option<Self> {
        Some(Confirmed {
            id: text(row, "id")?,
            links: int(row, "links")?,
            choice: Choice::from_row(row)?,
        })
    }
}

/// A subscriber as their own page shows them.
#[derive(Debug)]
pub struct Current {
    pub choice: Choice,
    /// The version of their links: only a link of this version works.
    pub links: i64,
}

impl FromRow for Current {
    const NAME: &'static str = "Current";
    fn from_row(row: &Row) -> Option<Self> {
        Some(Current {
            links: int(row, "links")?,
            choice: Choice::from_row(row)?,
        })
    }
}

/// What an unsubscribe link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribed {
    Erased,
    /// Nobody had that id any more.
    Gone,
    /// The subscriber is there, and the link is of an older version.
    Revoked,
}

impl<'a, S: Sql> Db<'a, S> {
    /// Keeps a request; false when the address asked too recently.
    pub fn request(&self, r: &NewRequest<'_>) -> Query<'a, S, bool> {
        self.query(
            vec![Stmt::new(
                REQUEST,
                vec![
                    r.id.into(),
                    r.email.into(),
                    i64::from(r.choice.every).into(),
                    r.choice.frequency.as_str().into(),
                    json!(r.choice.topics).to_string().into(),
                    r.now_millis.into(),
                    r.expires_millis.into(),
                    r.throttle_before.into(),
                    r.choice.lang.code().into(),
                ],
            )],
            |mut a| Ok(any(&mut a, 0)),
        )
    }

    /// Forgets a request whose email could not be queued.
    pub fn forget_request(&self, id: &str) -> Query<'a, S, ()> {
        self.query(vec![Stmt::new(FORGET_REQUEST, vec![id.into()])], nothing)
    }

    /// Turns live request `pending` into a subscriber (id `new` if the
    /// address is new) in one transaction; the request is used up (`used`
    /// is its new, unguessable id) and kept until `throttle_millis` after
    /// its email. `None` when the request is used or expired.
    pub fn confirm(
        &self,
        pending: &str,
        now_millis: i64,
        new: &str,
        used: &str,
        throttle_millis: i64,
    ) -> Query<'a, S, Option<Confirmed>> {
        let key = || vec![pending.into(), now_millis.into()];
        self.query(
            vec![
                Stmt::new(
                    CONFIRM_SUBSCRIBER,
                    vec![pending.into(), now_millis.into(), new.into()],
                ),
                Stmt::new(CONFIRM_DELETE_TOPICS, key()),
                Stmt::new(CONFIRM_INSERT_TOPICS, key()),
                Stmt::new(CONFIRM_SELECT, key()),
                Stmt::new(
                    CONFIRM_USE_REQUEST,
                    vec![pending.into(), used.into(), throttle_millis.into()],
                ),
            ],
            |mut a| {
                let confirmed: Vec<Confirmed> = rows(nth(&mut a, 3))?;
                Ok(confirmed.into_iter().next())
            },
        )
    }

    /// A subscriber's choice and links' version; `None` once they are gone.
    pub fn subscriber(&self, id: &str) -> Query<'a, S, Option<Current>> {
        self.query(vec![Stmt::new(CHOICE, vec![id.into()])], |mut a| {
            let found: Vec<Current> = rows(nth(&mut a, 0))?;
            Ok(found.into_iter().next())
        })
    }

    /// Replaces a subscriber's choice (nothing if they are gone).
    pub fn set_choice(&self, id: &str, choice: &Choice) -> Query<'a, S, ()> {
        self.query(
            vec![
                Stmt::new(
                    SET_CHOICE,
                    vec![
                        id.into(),
                        i64::from(choice.every).into(),
                        choice.frequency.as_str().into(),
                        choice.lang.code().into(),
                    ],
                ),
                Stmt::new(DELETE_TOPICS, vec![id.into()]),
                Stmt::new(
                    INSERT_TOPICS,
                    vec![id.into(), json!(choice.topics).to_string().into()],
                ),
            ],
            nothing,
        )
    }

    /// Erases a subscriber and any request of their address; false when
    /// they were already gone.
    pub fn erase(&self, id: &str) -> Query<'a, S, bool> {
        self.query(
            vec![
                Stmt::new(ERASE_REQUEST, vec![id.into()]),
                Stmt::new(ERASE, vec![id.into()]),
            ],
            |mut a| Ok(any(&mut a, 1)),
        )
    }

    /// Erases a subscriber and any request of their address, if `links`
    /// is the version of their links.
    pub fn unsubscribe(&self, id: &str, links: i64) -> Query<'a, S, Unsubscribed> {
        let key = || vec![id.into(), links.into()];
        self.query(
            vec![
                Stmt::new(UNSUBSCRIBE_REQUEST, key()),
                Stmt::new(UNSUBSCRIBE, key()),
                Stmt::new(EXISTS, vec![id.into()]),
            ],
            |mut a| {
                Ok(if any(&mut a, 1) {
                    Unsubscribed::Erased
                } else if any(&mut a, 2) {
                    Unsubscribed::Revoked
                } else {
                    Unsubscribed::Gone
                })
            },
        )
    }

    /// A live request, to mail its confirmation link.
    pub fn request_to_mail(
        &self,
        id: &str,
        now_millis: i64,
    ) -> Query<'a, S, Option<RequestToMail>> {
        self.query(
            vec![Stmt::new(
                REQUEST_TO_MAIL,
                vec![id.into(), now_millis.into()],
            )],
            |mut a| Ok(rows(nth(&mut a, 0))?.into_iter().next()),
        )
    }
}
