//! What the handlers need from the platform, as small traits. The edge layer
//! (`crate::edge`, wasm only) implements them over the Worker's bindings;
//! the in-process tests (`tests/app/`) implement them in memory. Nothing here
//! knows about `worker`.
//!
//! The traits use `async fn`: the Worker is single-threaded, so no future
//! needs to be `Send`.
#![allow(async_fn_in_trait)]

use super::messages::MailMessage;
use crate::form::QueuedInquiry;
use std::collections::HashMap;

/// A platform call that failed. The text is for logs only: implementations
/// must not put visitor data or addresses in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortError(pub String);

impl std::fmt::Display for PortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One key of a KV `list()` answer, with its metadata (JSON) if it has any.
#[derive(Debug, Clone, PartialEq)]
pub struct KvKey {
    pub name: String,
    pub metadata: Option<serde_json::Value>,
}

/// One KV `list()` answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KvList {
    pub keys: Vec<KvKey>,
    /// Where the next call starts; `None` at the end.
    pub cursor: Option<String>,
    pub complete: bool,
}

/// A bulk read's values as the edge hands them over: for each key asked,
/// in order, its length in bytes (`u32`, little-endian; `u32::MAX` for a
/// missing key) and its UTF-8 text. Bytes rather than JSON: escaping a
/// value into a JSON string and out again cost more than reading it.
pub fn framed_values(
    keys: &[String],
    mut bytes: &[u8],
) -> Result<HashMap<String, String>, PortError> {
    let bad = || PortError("kv bulk get: a malformed answer".into());
    let mut out = HashMap::with_capacity(keys.len());
    for key in keys {
        let (len, rest) = bytes.split_first_chunk::<4>().ok_or_else(bad)?;
        let len = u32::from_le_bytes(*len);
        bytes = rest;
        if len == u32::MAX {
            continue;
        }
        let (value, rest) = bytes.split_at_checked(len as usize).ok_or_else(bad)?;
        out.insert(
            key.clone(),
            String::from_utf8(value.to_vec()).map_err(|_| bad())?,
        );
        bytes = rest;
    }
    Ok(out)
}

/// Workers KV (binding `ALERTS`).
pub trait Kv {
    /// One value as bytes; `None` when the key does not exist.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError>;
    /// Up to 100 values as text in one call (KV's bulk get counts once),
    /// kept by KV's location cache for `cache_ttl` seconds when given.
    async fn get_many(
        &self,
        keys: &[String],
        cache_ttl: Option<u32>,
    ) -> Result<HashMap<String, String>, PortError>;
    /// One `list()` call: at most `limit` (1-1000) keys of `prefix` in key
    /// order, from `cursor`.
    async fn list(
        &self,
        prefix: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<KvList, PortError>;
    /// Writes a value, expiring after `ttl_seconds` when given, with
    /// metadata (JSON, at most 1,024 bytes) that `list()` returns.
    async fn put(
        &self,
        key: &str,
        value: &[u8],
        ttl_seconds: Option<u64>,
        metadata: Option<&serde_json::Value>,
    ) -> Result<(), PortError>;
    async fn delete(&self, key: &str) -> Result<(), PortError>;
}

/// The inquiries queue (producer binding `INQUIRIES`).
pub trait InquiryQueue {
    async fn send_inquiry(&self, inquiry: &QueuedInquiry) -> Result<(), PortError>;
}

/// Why a send failed, as a kind fit for logs (the runtime's own message may
/// contain the address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailError {
    RecipientNotAllowed,
    /// The binding does not take this sender (`allowed_sender_addresses`).
    SenderNotAllowed,
    MessageRejected,
    BindingMissing,
    SendFailed,
}

impl MailError {
    pub fn kind(self) -> &'static str {
        match self {
            MailError::RecipientNotAllowed => "recipient-not-allowed",
            MailError::SenderNotAllowed => "sender-not-allowed",
            MailError::MessageRejected => "message-rejected",
            MailError::BindingMissing => "binding-missing",
            MailError::SendFailed => "send-failed",
        }
    }
}

/// `send_email`, the transactional sender: one complete RFC 5322 message.
/// Bulk mail (alerts, updates, digests) goes to Amazon SES over
/// `HttpClient` instead (`crate::app::mailing`): Email Service takes
/// transactional mail only.
pub trait Mailer {
    /// To a contact (binding `EMAIL`, restricted to the contacts' addresses).
    async fn send_to_contact(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError>;
    /// To one reader, one message they asked for: a confirmation request
    /// or a test send (binding `ALERT_EMAIL`, Email Service, any address).
    async fn send_transactional(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError>;
}

/// One row of a D1 answer: column name to value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// One SQL statement with its parameters (numbers, text or null), bound
/// in order to `?1`, `?2`...
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt<'a> {
    pub sql: &'a str,
    pub params: Vec<serde_json::Value>,
}

impl<'a> Stmt<'a> {
    pub fn new(sql: &'a str, params: Vec<serde_json::Value>) -> Self {
        Stmt { sql, params }
    }
}

/// D1 (binding `DB`), SQLite's dialect: the subscribers.
pub trait Sql {
    /// Runs the statements as one transaction (D1's `batch`: all or none)
    /// and returns each one's rows, in order.
    async fn batch(&self, stmts: &[Stmt<'_>]) -> Result<Vec<Vec<Row>>, PortError>;
}

/// The alert-mail queue (producer binding `ALERT_MAIL`).
pub trait MailQueue {
    /// Puts up to 100 messages on the queue in one call (each as its JSON,
    /// `MailMessage`'s wire shape), each delivered after its delay in
    /// seconds (0: at once; the queue takes at most 43,200).
    async fn send_mail(&self, messages: &[(MailMessage, u32)]) -> Result<(), PortError>;
}

/// The contact form's rate limiter (binding `CONTACT_LIMITER`).
pub trait RateLimiter {
    /// Whether one more request under `key` is allowed now.
    async fn allow(&self, key: &str) -> Result<bool, PortError>;
}

/// An outbound HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    /// Sent as given (a `Host` here is left to the runtime, which writes
    /// the URL's).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// For an address someone else chose (a webhook endpoint): the most
    /// milliseconds to wait for the answer, and redirects not followed
    /// (a 3xx is the answer). `None`: the runtime's own limits.
    pub timeout_millis: Option<u32>,
}

impl HttpRequest {
    /// A GET of `url`, no header.
    pub fn get(url: &str) -> Self {
        HttpRequest {
            method: "GET",
            url: url.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
            timeout_millis: None,
        }
    }

    /// A POST of a form-encoded `body` to `url`.
    pub fn form(url: &str, body: String) -> Self {
        HttpRequest {
            method: "POST",
            url: url.to_string(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: body.into_bytes(),
            timeout_millis: None,
        }
    }
}

/// An answer to an `HttpRequest`: its status and body (as text: every
/// service called answers JSON, a form or a PEM certificate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
}

/// Outbound HTTP: Turnstile's siteverify, Amazon SES, SNS certificates,
/// WebSub hubs and webhook endpoints.
pub trait HttpClient {
    /// Sends the request and reads the whole answer; `Err` only when no
    /// answer came (a network failure).
    async fn fetch(&self, request: &HttpRequest) -> Result<HttpAnswer, PortError>;

    /// POSTs a form-encoded body and returns the answer's body.
    async fn post_form(&self, url: &str, body: &str) -> Result<Vec<u8>, PortError> {
        let request = HttpRequest::form(url, body.to_string());
        Ok(self.fetch(&request).await?.body.into_bytes())
    }
}

/// The runtime's WebCrypto, for what it verifies better than the wasm
/// would (no RSA code in the bundle).
pub trait Crypto {
    /// Whether `signature` is `message`'s RSASSA-PKCS1-v1_5 signature with
    /// SHA-256 under the key `spki` (DER SubjectPublicKeyInfo); `Err` when
    /// the key can't be imported.
    async fn verify_rsa_sha256(
        &self,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, PortError>;
}

/// A log line's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// What the runtime itself gives: the isolate's cache, the clock,
/// randomness and the log.
pub trait Runtime {
    /// The isolate's memory cache (kept between requests; see `cache`).
    fn cache(&self) -> &super::cache::Cache;
    /// Milliseconds since the Unix epoch (`SystemTime` panics in wasm).
    fn now_millis(&self) -> i64;
    /// 64 random bits (ids).
    fn random_u64(&self) -> Result<u64, PortError>;
    /// A line for the operator's logs: ids and kinds, never visitor data.
    fn log(&self, level: Level, line: &str);
}

/// Everything the handlers reach outside themselves: the sum of the
/// capabilities above, implemented by whatever implements each of them
/// (the Worker's `Bindings`, the tests' `Fake`). One value per request (or
/// per queue batch), so per-request state (the KV operation count) is never
/// shared between requests.
pub trait Platform:
    Kv + InquiryQueue + Mailer + RateLimiter + HttpClient + Crypto + Sql + MailQueue + Runtime
{
}

impl<T> Platform for T where
    T: Kv + InquiryQueue + Mailer + RateLimiter + HttpClient + Crypto + Sql + MailQueue + Runtime
{
}

/// A request as the handlers see it: method and URL, headers read on
/// demand (each read may cross into the runtime), and a body read at most
/// once, up to a cap.
pub trait Incoming {
    fn method(&self) -> crate::routes::Method;
    /// The absolute URL.
    fn url(&self) -> &str;
    fn header(&self, name: &str) -> Option<String>;
    /// The body, or `BodyError::TooLarge` as soon as more than `max` bytes
    /// have arrived (whatever `Content-Length` says).
    async fn body(&self, max: usize) -> Result<Vec<u8>, BodyError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    Unreadable(String),
}

#[cfg(test)]
mod framed_tests {
    use super::*;

    fn frame(values: &[Option<&str>]) -> Vec<u8> {
        let mut out = Vec::new();
        for v in values {
            match v {
                Some(v) => {
                    out.extend((v.len() as u32).to_le_bytes());
                    out.extend(v.as_bytes());
                }
                None => out.extend(u32::MAX.to_le_bytes()),
            }
        }
        out
    }

    #[test]
    fn framed_values_are_read_in_the_order_asked_and_missing_ones_left_out() {
        let keys: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let bytes = frame(&[Some("tab\there\nلا"), None, Some(""), Some("last")]);
        let got = framed_values(&keys, &bytes).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got["a"], "tab\there\nلا");
        assert!(!got.contains_key("b"));
        assert_eq!(got["c"], "");
        assert_eq!(got["d"], "last");
    }

    #[test]
    fn a_short_or_broken_answer_is_an_error_not_a_panic() {
        let keys: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let whole = frame(&[Some("value"), Some("other")]);
        for cut in 0..whole.len() {
            assert!(framed_values(&keys, &whole[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = frame(&[Some("ab")]);
        bad[4] = 0xFF;
        assert!(framed_values(&keys[..1], &bad).is_err(), "not UTF-8");
    }
}
