//! What crosses the queues, as types read and written in one place: the
//! inquiries queue carries a `QueuedInquiry` (one kind of message, so a
//! struct), the alert-mail queue a `MailMessage` (an enum tagged by `k`).
//! Both queues' bodies cross the runtime as JSON text; `read_inquiry` and
//! `MailMessage::read` are the only readers, and a body that isn't one of
//! their shapes (damaged, an old shape, an unknown kind) is refused with a
//! `Malformed` kind for the log, and then kept as dead by the consumer:
//! never dropped, never a panic.
//!
//! Wire keys are one letter (a send message carries 25 ids and is written
//! once per 25 subscribers). Messages carry ids, never addresses.

use crate::form::QueuedInquiry;
use crate::ids::is_id;
use crate::mail::topics::Frequency;
use serde_json::Value;

/// Which queue a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    /// `inquiries`: send it.
    Inquiries,
    /// `inquiries-dlq`: keep it for the operator.
    DeadLetters,
    /// `alert-mail`: confirmation requests and the fan-out of mailings.
    AlertMail,
    /// `alert-mail-dlq`: keep it for the operator (D1's `dead_mail`).
    AlertMailDead,
    /// `mail-events`: Email Service's bounces and complaints (an event
    /// subscription), suppressed.
    MailEvents,
}

impl QueueKind {
    /// The kind of a queue by its name.
    pub fn of(queue_name: &str) -> Self {
        if queue_name.starts_with("mail-events") {
            return QueueKind::MailEvents;
        }
        let dead = queue_name.ends_with("-dlq");
        match (queue_name.starts_with("alert-mail"), dead) {
            (true, true) => QueueKind::AlertMailDead,
            (true, false) => QueueKind::AlertMail,
            (false, true) => QueueKind::DeadLetters,
            (false, false) => QueueKind::Inquiries,
        }
    }
}

/// What becomes of one queue message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ack,
    /// Deliver it again after this many seconds (or the queue's default).
    Retry(Option<u32>),
}

/// Why a body was refused, fit for a log line (it names no value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    /// Not JSON at all (damaged).
    NotJson,
    /// JSON, but not an object with a known `k`: the kind as found (cut
    /// to 24 letters, digits and dashes), or `None` without one.
    UnknownKind(Option<String>),
    /// A known kind with a field missing or of another type (an old shape).
    BadShape,
    /// An id that is not 1 to 64 ASCII letters and digits.
    BadId,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Malformed::NotJson => f.write_str("not-json"),
            Malformed::UnknownKind(Some(k)) => write!(f, "unknown-kind k={k}"),
            Malformed::UnknownKind(None) => f.write_str("unknown-kind k=none"),
            Malformed::BadShape => f.write_str("bad-shape"),
            Malformed::BadId => f.write_str("bad-id"),
        }
    }
}

/// One mailing as its messages carry it: which one, what it sends, to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailing {
    /// The mailing's id: the alert's slug, one of its change notes'
    /// (`notify::note_mailing`), or a digest's `digest:<yyyy-Www>`.
    pub id: String,
    /// The alert's slug; empty for a digest.
    pub slug: String,
    /// The subscribers it is for.
    pub frequency: Frequency,
    /// The alert's topics (`c:<category>`, `t:<tag>`).
    pub topics: Vec<String>,
    /// When the mailing was started (unix milliseconds).
    pub created_millis: i64,
    /// Every subscriber of the frequency, whatever their topics (digests:
    /// each reader's own topics are chosen when composing).
    pub everyone: bool,
    /// A digest's week: its first second and the next week's first.
    pub window: Option<(i64, i64)>,
    /// A digest's ISO week, `2024-W48`.
    pub week: Option<String>,
}

/// A message of the alert-mail queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailMessage {
    /// Send the confirmation request of pending subscription `p`.
    Confirm { pending: String },
    /// Read the next page of a mailing's recipients after id `a`.
    Page { mailing: Mailing, after: String },
    /// Mail these recipients (at most `PER_MESSAGE` subscriber ids, and at
    /// most the send rate's).
    Send {
        mailing: Mailing,
        recipients: Vec<String>,
    },
    /// Tell WebSub hub `h` that the feeds `u` changed (an alert went live
    /// or has a new change note).
    Ping { hub: String, feeds: Vec<String> },
    /// Deliver event `i` (its body `b`, as it is sent every time) to
    /// webhook endpoint `e`; attempt `n` (0 the first), each later one a
    /// new message delayed by the backoff (`crate::webhook::BACKOFF`).
    Hook(Hook),
}

/// One webhook delivery (`MailMessage::Hook`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// The endpoint's id (D1's `webhooks`).
    pub endpoint: String,
    /// `webhook-id`: the same on every attempt (`msg_<id>`).
    pub id: String,
    /// The body, exactly as signed and sent.
    pub body: String,
    /// 0 for the first attempt.
    pub attempt: u32,
}

/// Reads a mailing's fields from a page or send message; `None` when one
/// it needs is missing or of another type (an old shape). Read by hand
/// from the JSON value, like the rest of the wire shape: serde's derived
/// readers (a tagged enum, flattened fields) cost the Worker 14 KiB gzip
/// (`make size`).
fn mailing_of(v: &Value) -> Option<Mailing> {
    let text = |key: &str| v.get(key).map(|x| x.as_str().map(str::to_string));
    let topics = match v.get("t") {
        None => Vec::new(),
        Some(t) => strings(t)?,
    };
    let window = match v.get("d") {
        None | Some(Value::Null) => None,
        Some(d) => Some((d.get(0)?.as_i64()?, d.get(1)?.as_i64()?)),
    };
    Some(Mailing {
        id: text("m")??,
        slug: text("s").unwrap_or(Some(String::new()))?,
        frequency: Frequency::parse(v.get("f")?.as_str()?)?,
        topics,
        created_millis: v.get("c")?.as_i64()?,
        everyone: matches!(v.get("all"), Some(Value::Bool(true)))
            || v.get("all").and_then(Value::as_i64) == Some(1),
        window,
        week: text("w").unwrap_or(None),
    })
}

fn strings(v: &Value) -> Option<Vec<String>> {
    let items = v.as_array()?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(item.as_str()?.to_string());
    }
    Some(out)
}

fn mailing_json(k: &str, m: &Mailing) -> serde_json::Map<String, Value> {
    let mut o = serde_json::Map::new();
    o.insert("k".into(), k.into());
    o.insert("m".into(), m.id.as_str().into());
    o.insert("s".into(), m.slug.as_str().into());
    o.insert("f".into(), m.frequency.as_str().into());
    o.insert("t".into(), m.topics.clone().into());
    o.insert("c".into(), m.created_millis.into());
    if m.everyone {
        o.insert("all".into(), 1.into());
    }
    if let Some((from, to)) = m.window {
        o.insert("d".into(), vec![from, to].into());
    }
    if let Some(w) = &m.week {
        o.insert("w".into(), w.as_str().into());
    }
    o
}

const MAIL_KINDS: [&str; 5] = ["confirm", "page", "send", "ping", "hook"];

impl MailMessage {
    /// Reads one body (JSON text).
    pub fn read(text: &str) -> Result<Self, Malformed> {
        let value = json(text)?;
        known_kind(&value, &MAIL_KINDS)?;
        let message = match value.get("k").and_then(Value::as_str) {
            Some("confirm") => MailMessage::Confirm {
                pending: value
                    .get("p")
                    .and_then(Value::as_str)
                    .ok_or(Malformed::BadShape)?
                    .to_string(),
            },
            Some("ping") => MailMessage::Ping {
                hub: value
                    .get("h")
                    .and_then(Value::as_str)
                    .ok_or(Malformed::BadShape)?
                    .to_string(),
                feeds: value
                    .get("u")
                    .and_then(strings)
                    .ok_or(Malformed::BadShape)?,
            },
            Some("hook") => {
                let text = |key: &str| {
                    value
                        .get(key)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or(Malformed::BadShape)
                };
                MailMessage::Hook(Hook {
                    endpoint: text("e")?,
                    id: text("i")?,
                    body: text("b")?,
                    attempt: value
                        .get("n")
                        .and_then(Value::as_u64)
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or(Malformed::BadShape)?,
                })
            }
            Some("page") => MailMessage::Page {
                mailing: mailing_of(&value).ok_or(Malformed::BadShape)?,
                after: match value.get("a") {
                    None => String::new(),
                    Some(a) => a.as_str().ok_or(Malformed::BadShape)?.to_string(),
                },
            },
            _ => MailMessage::Send {
                recipients: value
                    .get("r")
                    .and_then(strings)
                    .ok_or(Malformed::BadShape)?,
                mailing: mailing_of(&value).ok_or(Malformed::BadShape)?,
            },
        };
        let ids_ok = match &message {
            MailMessage::Confirm { pending } => is_id(pending),
            MailMessage::Page { mailing, after } => {
                !mailing.id.is_empty() && (after.is_empty() || is_id(after))
            }
            MailMessage::Send {
                mailing,
                recipients,
            } => !mailing.id.is_empty() && recipients.iter().all(|r| is_id(r)),
            MailMessage::Ping { hub, feeds } => {
                hub.starts_with("http") && feeds.iter().all(|f| f.starts_with("http"))
            }
            MailMessage::Hook(hook) => {
                is_id(&hook.endpoint) && hook.id.strip_prefix("msg_").is_some_and(is_id)
            }
        };
        if ids_ok {
            Ok(message)
        } else {
            Err(Malformed::BadId)
        }
    }

    /// The body as the queue carries it.
    pub fn to_json(&self) -> String {
        let object = match self {
            MailMessage::Confirm { pending } => {
                let mut o = serde_json::Map::new();
                o.insert("k".into(), "confirm".into());
                o.insert("p".into(), pending.as_str().into());
                o
            }
            MailMessage::Page { mailing, after } => {
                let mut o = mailing_json("page", mailing);
                o.insert("a".into(), after.as_str().into());
                o
            }
            MailMessage::Send {
                mailing,
                recipients,
            } => {
                let mut o = mailing_json("send", mailing);
                o.insert("r".into(), recipients.clone().into());
                o
            }
            MailMessage::Ping { hub, feeds } => {
                let mut o = serde_json::Map::new();
                o.insert("k".into(), "ping".into());
                o.insert("h".into(), hub.as_str().into());
                o.insert("u".into(), feeds.clone().into());
                o
            }
            MailMessage::Hook(hook) => {
                let mut o = serde_json::Map::new();
                o.insert("k".into(), "hook".into());
                o.insert("e".into(), hook.endpoint.as_str().into());
                o.insert("i".into(), hook.id.as_str().into());
                o.insert("b".into(), hook.body.as_str().into());
                o.insert("n".into(), hook.attempt.into());
                o
            }
        };
        Value::Object(object).to_string()
    }

    /// The kind, for logs and the operator's listing.
    pub fn kind(&self) -> &'static str {
        match self {
            MailMessage::Confirm { .. } => "confirm",
            MailMessage::Page { .. } => "page",
            MailMessage::Send { .. } => "send",
            MailMessage::Ping { .. } => "ping",
            MailMessage::Hook(_) => "hook",
        }
    }

    /// The mailing it belongs to, if any.
    pub fn mailing(&self) -> Option<&Mailing> {
        match self {
            MailMessage::Confirm { .. } | MailMessage::Ping { .. } | MailMessage::Hook(_) => None,
            MailMessage::Page { mailing, .. } | MailMessage::Send { mailing, .. } => Some(mailing),
        }
    }
}

/// Reads one body of the inquiries queue (JSON text).
pub fn read_inquiry(text: &str) -> Result<QueuedInquiry, Malformed> {
    let value = json(text)?;
    if !value.is_object() {
        return Err(Malformed::BadShape);
    }
    let inquiry: QueuedInquiry = serde_json::from_value(value).map_err(|_| Malformed::BadShape)?;
    if is_id(&inquiry.id) {
        Ok(inquiry)
    } else {
        Err(Malformed::BadId)
    }
}

fn json(text: &str) -> Result<serde_json::Value, Malformed> {
    serde_json::from_str(text).map_err(|_| Malformed::NotJson)
}

fn known_kind(value: &serde_json::Value, kinds: &[&str]) -> Result<(), Malformed> {
    match value.get("k").and_then(|k| k.as_str()) {
        Some(k) if kinds.contains(&k) => Ok(()),
        Some(k) => Err(Malformed::UnknownKind(Some(
            k.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(24)
                .collect(),
        ))),
        None => Err(Malformed::UnknownKind(None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    fn mailing() -> Mailing {
        Mailing {
            id: "oewg".into(),
            slug: "oewg".into(),
            frequency: Frequency::Each,
            topics: vec!["c:General".into()],
            created_millis: 5,
            everyone: false,
            window: None,
            week: None,
        }
    }

    #[test]
    fn every_kind_reads_back_what_was_written() {
        let digest = Mailing {
            everyone: true,
            window: Some((1, 2)),
            week: Some("2024-W48".into()),
            frequency: Frequency::Weekly,
            ..mailing()
        };
        for m in [
            MailMessage::Confirm {
                pending: "abc123".into(),
            },
            MailMessage::Page {
                mailing: mailing(),
                after: String::new(),
            },
            MailMessage::Page {
                mailing: digest.clone(),
                after: "ff00".into(),
            },
            MailMessage::Send {
                mailing: digest,
                recipients: vec!["a1".into(), "b2".into()],
            },
            MailMessage::Hook(Hook {
                endpoint: "e1".into(),
                id: "msg_0abc".into(),
                body: r#"{"type":"alert.published"}"#.into(),
                attempt: 3,
            }),
        ] {
            assert_eq!(MailMessage::read(&m.to_json()), Ok(m));
        }
    }

    #[test]
    fn the_wire_keeps_its_short_keys() {
        let m = MailMessage::Send {
            mailing: Mailing {
                everyone: true,
                ..mailing()
            },
            recipients: vec!["a1".into()],
        };
        let v: serde_json::Value = serde_json::from_str(&m.to_json()).unwrap();
        assert_eq!(v["k"], "send");
        assert_eq!(v["m"], "oewg");
        assert_eq!(v["f"], "each");
        assert_eq!(v["all"], 1);
        assert_eq!(v["r"][0], "a1");
        assert!(v.get("d").is_none() && v.get("a").is_none());
    }

    #[test_case("{not json" => Malformed::NotJson; "damaged")]
    #[test_case("null" => Malformed::UnknownKind(None); "null")]
    #[test_case("[1,2]" => Malformed::UnknownKind(None); "an array")]
    #[test_case(r#"{"k":"launch","m":"x"}"# => Malformed::UnknownKind(Some("launch".into())); "unknown kind")]
    #[test_case(r#"{"k":"page\n<x>"}"# => Malformed::UnknownKind(Some("pagex".into())); "kind cleaned for the log")]
    #[test_case(r#"{"k":"send","m":"x","f":"each","c":1}"# => Malformed::BadShape; "no recipients")]
    #[test_case(r#"{"k":"page","m":"x","f":"daily","c":1}"# => Malformed::BadShape; "unknown frequency")]
    #[test_case(r#"{"k":"confirm"}"# => Malformed::BadShape; "old confirm without p")]
    #[test_case(r#"{"k":"confirm","p":"a.b"}"# => Malformed::BadId; "confirm id with a dot")]
    #[test_case(r#"{"k":"send","m":"x","f":"each","c":1,"r":["ok","no way"]}"# => Malformed::BadId; "recipient id with a space")]
    #[test_case(r#"{"k":"send","m":"","f":"each","c":1,"r":[]}"# => Malformed::BadId; "no mailing id")]
    #[test_case(r#"{"k":"hook","e":"e1","i":"msg_1","b":"{}"}"# => Malformed::BadShape; "hook without its attempt")]
    #[test_case(r#"{"k":"hook","e":"e1","i":"1","b":"{}","n":0}"# => Malformed::BadId; "hook id without msg_")]
    fn malformed_mail_is_named(text: &str) -> Malformed {
        MailMessage::read(text).unwrap_err()
    }

    #[test]
    fn the_first_digests_flag_is_read_as_written() {
        let text = r#"{"k":"page","m":"digest:2024-W48","s":"","f":"weekly","t":[],"all":1,"d":[1,2],"w":"2024-W48","c":9,"a":""}"#;
        let MailMessage::Page { mailing, after } = MailMessage::read(text).unwrap() else {
            panic!("a page")
        };
        assert!(mailing.everyone && after.is_empty());
        assert_eq!(mailing.window, Some((1, 2)));
        let as_bool = text.replace(r#""all":1"#, r#""all":true"#);
        let MailMessage::Page { mailing, .. } = MailMessage::read(&as_bool).unwrap() else {
            panic!("a page")
        };
        assert!(mailing.everyone, "true reads as 1 does");
        let off = text.replace(r#""all":1"#, r#""all":0"#);
        assert!(!MailMessage::read(&off).unwrap().mailing().unwrap().everyone);
    }

    #[test]
    fn inquiries_are_read_or_named() {
        let good = r#"{"id":"0abc","received_at":"t","contact":"c","name":"n","email":"e","organisation":"","subject":"s","message":"m"}"#;
        assert_eq!(read_inquiry(good).unwrap().id, "0abc");
        assert_eq!(read_inquiry("{").unwrap_err(), Malformed::NotJson);
        assert_eq!(read_inquiry("7").unwrap_err(), Malformed::BadShape);
        assert_eq!(
            read_inquiry(r#"{"id":"x"}"#).unwrap_err(),
            Malformed::BadShape
        );
        assert_eq!(
            read_inquiry(&good.replace("0abc", "../x")).unwrap_err(),
            Malformed::BadId
        );
    }

    #[test]
    fn queues_are_known_by_name() {
        assert_eq!(QueueKind::of("inquiries"), QueueKind::Inquiries);
        assert_eq!(QueueKind::of("mail-events"), QueueKind::MailEvents);
        assert_eq!(QueueKind::of("inquiries-dlq"), QueueKind::DeadLetters);
        assert_eq!(QueueKind::of("alert-mail"), QueueKind::AlertMail);
        assert_eq!(QueueKind::of("alert-mail-dlq"), QueueKind::AlertMailDead);
    }
}
