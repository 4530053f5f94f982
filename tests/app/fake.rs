//! The platform in memory: KV (with list cursors, metadata and TTLs), the
//! inquiries queue, the mailer, the rate limiter, outbound HTTP, a clock
//! that tests move, and a log the tests read. Each port can be told to fail.

use access_alerts::app::ports::{
    BodyError, Crypto, HttpAnswer, HttpClient, HttpRequest, Incoming, InquiryQueue, Kv, KvKey,
    KvList, Level, MailError, MailQueue, Mailer, PortError, RateLimiter, Row, Runtime, Sql, Stmt,
};
use access_alerts::app::{App, MailMessage, Outcome, QueueKind, Response, Settings};
use access_alerts::content::{AlertRecord, Contact};
use access_alerts::form::QueuedInquiry;
use access_alerts::keyset;
use access_alerts::routes::Method;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future that never waits (every port here answers at once).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("an in-memory port never waits"),
    }
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub value: Vec<u8>,
    pub metadata: Option<serde_json::Value>,
    /// Unix milliseconds after which the key is gone.
    pub expires: Option<i64>,
}

/// 2024-12-01T00:00:00Z: after every sample alert.
pub const START_MILLIS: i64 = 1_733_011_200_000;

#[derive(Default)]
pub struct Fake {
    pub kv: RefCell<BTreeMap<String, Stored>>,
    pub kv_fails: Cell<bool>,
    /// KV calls made (a bulk get counts once, as in KV's limits).
    pub kv_calls: Cell<u32>,
    /// Every key read (`get` and bulk `get`), in order.
    pub kv_read: RefCell<Vec<String>>,
    pub queue: RefCell<Vec<QueuedInquiry>>,
    pub queue_fails: Cell<bool>,
    /// (from, to, raw message)
    pub mail: RefCell<Vec<(String, String, String)>>,
    pub mail_fails: Cell<Option<MailError>>,
    /// Requests allowed per key before the limiter refuses.
    pub limit: Cell<usize>,
    pub limited: RefCell<HashMap<String, usize>>,
    /// What Turnstile's siteverify answers, and the bodies it was sent.
    pub http_answer: RefCell<String>,
    pub http_sent: RefCell<Vec<(String, String)>>,
    /// The same requests whole (headers included).
    pub http_requests: RefCell<Vec<HttpRequest>>,
    /// Answers (status, body) by exact URL (SNS certificates, its
    /// ConfirmSubscription); other URLs get `http_answer`.
    pub http_routes: RefCell<HashMap<String, (u16, String)>>,
    pub clock: Cell<i64>,
    /// The isolate's cache: one per site, as one isolate.
    pub cache: access_alerts::app::cache::Cache,
    pub random: Cell<u64>,
    pub logs: RefCell<Vec<(Level, String)>>,
    /// D1 as SQLite in memory, with `migrations/` applied.
    pub db: RefCell<Option<rusqlite::Connection>>,
    pub db_fails: Cell<bool>,
    /// Statements run and rows they returned (D1 bills rows read).
    pub db_statements: Cell<u64>,
    pub db_rows: Cell<u64>,
    /// The alert-mail queue's messages, in order.
    pub mail_queue: RefCell<Vec<serde_json::Value>>,
    pub mail_queue_fails: Cell<bool>,
    /// Every delay asked for a queue message, in the order they were sent.
    pub mail_delays: RefCell<Vec<u32>>,
    /// Mail to subscribers, through SES (bulk) or `ALERT_EMAIL`
    /// (transactional): (from, to, raw message).
    pub reader_mail: RefCell<Vec<(String, String, String)>>,
    /// The requests SES was sent, as they were sent.
    pub ses_requests: RefCell<Vec<HttpRequest>>,
    /// SES answers this many more sends with 429 (then it sends them).
    pub ses_throttles: Cell<u32>,
    /// Emails SES took.
    pub ses_sent: Cell<u64>,
    /// SES takes this many more sends before `ses_throttles` begins.
    pub ses_pass_before_throttle: Cell<u32>,
    /// Sends to this many more subscribers fail (then they succeed).
    pub reader_mail_failures: Cell<u32>,
    /// Whether sends to subscribers are kept (a bench sink drops them).
    pub reader_mail_dropped: Cell<bool>,
    /// When an alert was first published or unpublished since the derived
    /// keys were last rebuilt: the next KV call rebuilds them first, as
    /// `make publish` writes them in the same run (`reindex`).
    pub unindexed: Cell<Option<i64>>,
    /// Publishes so far: each writes a new `site:version` last.
    pub publishes: Cell<u64>,
    /// The `cacheTtl` of every bulk read, with its first key.
    pub bulk_ttls: RefCell<Vec<(String, Option<u32>)>>,
}

/// `migrations/*.sql` applied to a fresh in-memory SQLite, with D1's
/// foreign keys on.
pub fn migrated_db() -> rusqlite::Connection {
    let db = rusqlite::Connection::open_in_memory().expect("sqlite");
    db.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for f in files {
        db.execute_batch(&std::fs::read_to_string(&f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    db
}

fn to_sql(v: &serde_json::Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match v {
        serde_json::Value::Null => V::Null,
        serde_json::Value::Bool(b) => V::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(V::Integer)
            .unwrap_or_else(|| V::Real(n.as_f64().unwrap_or(0.0))),
        serde_json::Value::String(s) => V::Text(s.clone()),
        other => V::Text(other.to_string()),
    }
}

fn from_sql(v: rusqlite::types::ValueRef<'_>) -> serde_json::Value {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Null => serde_json::Value::Null,
        V::Integer(i) => i.into(),
        V::Real(f) => f.into(),
        V::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        V::Blob(b) => String::from_utf8_lossy(b).into_owned().into(),
    }
}

impl Sql for Fake {
    async fn batch(&self, stmts: &[Stmt<'_>]) -> Result<Vec<Vec<Row>>, PortError> {
        if self.db_fails.get() {
            return Err(PortError("d1 unavailable".into()));
        }
        let mut guard = self.db.borrow_mut();
        let db = guard.get_or_insert_with(migrated_db);
        let tx = db.transaction().map_err(|e| PortError(e.to_string()))?;
        let mut out = Vec::new();
        for s in stmts {
            assert!(s.params.len() <= 100, "D1 binds at most 100 parameters");
            self.db_statements.set(self.db_statements.get() + 1);
            let mut st = tx
                .prepare(s.sql)
                .map_err(|e| PortError(format!("{e}: {}", s.sql)))?;
            let names: Vec<String> = st.column_names().map(|c| c.to_string()).collect();
            let params: Vec<rusqlite::types::Value> = s.params.iter().map(to_sql).collect();
            let mut rows = st
                .query(rusqlite::params_from_iter(params))
                .map_err(|e| PortError(e.to_string()))?;
            let mut result = Vec::new();
            while let Some(row) = rows.next().map_err(|e| PortError(e.to_string()))? {
                let mut r = Row::new();
                for (i, n) in names.iter().enumerate() {
                    r.insert(n.clone(), from_sql(row.get_ref(i).unwrap()));
                }
                result.push(r);
            }
            self.db_rows.set(self.db_rows.get() + result.len() as u64);
            out.push(result);
        }
        tx.commit().map_err(|e| PortError(e.to_string()))?;
        Ok(out)
    }
}

impl MailQueue for Fake {
    async fn send_mail(&self, messages: &[(MailMessage, u32)]) -> Result<(), PortError> {
        assert!(
            messages.len() <= 100,
            "sendBatch takes at most 100 messages"
        );
        if self.mail_queue_fails.get() {
            return Err(PortError("queue unavailable".into()));
        }
        // Kept as the queue carries them: JSON.
        self.mail_queue.borrow_mut().extend(
            messages
                .iter()
                .map(|(m, _)| serde_json::from_str(&m.to_json()).unwrap()),
        );
        self.mail_delays
            .borrow_mut()
            .extend(messages.iter().map(|(_, delay)| *delay));
        Ok(())
    }
}

impl Fake {
    pub fn new() -> Self {
        let fake = Fake::default();
        fake.clock.set(START_MILLIS);
        fake.limit.set(10);
        *fake.http_answer.borrow_mut() = r#"{"success": true}"#.into();
        fake
    }

    pub fn now(&self) -> i64 {
        self.clock.get()
    }

    pub fn advance_seconds(&self, seconds: i64) {
        self.clock.set(self.clock.get() + seconds * 1000);
    }

    /// Writes one alert's key set, as the publisher does (the derived keys,
    /// listings and search, before the next KV call).
    pub fn publish(&self, record: &AlertRecord) {
        self.publish_record_only(record);
        self.unindexed
            .set(self.unindexed.get().or(Some(self.clock.get())));
    }

    /// Writes one alert's key set and nothing else: a publish cut short
    /// before the listings that name it.
    pub fn publish_record_only(&self, record: &AlertRecord) {
        for e in keyset::entries(record) {
            self.put_raw(&e.key, e.value.as_bytes(), e.metadata);
        }
    }

    /// Removes one alert's key set, as the publisher's unpublish does.
    pub fn unpublish(&self, record: &AlertRecord) {
        for key in keyset::all_keys(record) {
            self.kv.borrow_mut().remove(&key);
        }
        self.unindexed
            .set(self.unindexed.get().or(Some(self.clock.get())));
    }

    /// Rebuilds the derived keys (listings, search index, months...) from
    /// every stored record and writes what changed, as `make publish` does
    /// from `content/`; the plan applied.
    pub fn reindex(&self) -> access_alerts::search::index::Plan {
        let at = self.unindexed.take().unwrap_or(self.clock.get());
        self.reindex_at(at)
    }

    /// `reindex` as a publish at `at` (unix ms) would.
    pub fn reindex_at(&self, at: i64) -> access_alerts::search::index::Plan {
        use access_alerts::search::index;
        self.unindexed.set(None);
        let records: Vec<AlertRecord> = self
            .keys_with_prefix(access_alerts::keys::ALERT_PREFIX)
            .iter()
            .filter_map(|k| serde_json::from_str(&self.value(k)?).ok())
            .collect();
        let parts = keyset::derived(&records, at.div_euclid(1000));
        let plan = access_alerts::derived::plan(
            &parts,
            self.value(index::MANIFEST_KEY).as_deref(),
            at.div_euclid(1000),
        );
        for (key, value) in &plan.put {
            self.put_raw(key, value.as_bytes(), None);
        }
        for key in &plan.delete {
            self.kv.borrow_mut().remove(key);
        }
        // Last, as the publisher does: the site's new version.
        self.publishes.set(self.publishes.get() + 1);
        let version = format!("{at}-{}", self.publishes.get());
        self.put_raw(access_alerts::keys::VERSION_KEY, version.as_bytes(), None);
        plan
    }

    pub fn set_contacts(&self, contacts: &[Contact]) {
        let e = keyset::contacts_entry(contacts);
        self.put_raw(&e.key, e.value.as_bytes(), e.metadata);
    }

    /// The translated category and tag names, as `make publish` writes them.
    pub fn set_names(&self, names: &access_alerts::i18n::Names) {
        let e = keyset::names_entry(names);
        self.put_raw(&e.key, e.value.as_bytes(), e.metadata);
    }

    pub fn put_raw(&self, key: &str, value: &[u8], metadata: Option<serde_json::Value>) {
        self.kv.borrow_mut().insert(
            key.to_string(),
            Stored {
                value: value.to_vec(),
                metadata,
                expires: None,
            },
        );
    }

    pub fn value(&self, key: &str) -> Option<String> {
        self.live(key)
            .map(|s| String::from_utf8_lossy(&s.value).into_owned())
    }

    fn live(&self, key: &str) -> Option<Stored> {
        let now = self.now();
        self.kv
            .borrow()
            .get(key)
            .filter(|s| s.expires.is_none_or(|e| e > now))
            .cloned()
    }

    pub fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let now = self.now();
        self.kv
            .borrow()
            .iter()
            .filter(|(k, s)| k.starts_with(prefix) && s.expires.is_none_or(|e| e > now))
            .map(|(k, _)| k.clone())
            .collect()
    }

    pub fn logged(&self) -> String {
        self.logs
            .borrow()
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn check_kv(&self) -> Result<(), PortError> {
        if self.unindexed.get().is_some() {
            self.reindex();
        }
        self.kv_calls.set(self.kv_calls.get() + 1);
        if self.kv_fails.get() {
            Err(PortError("kv unavailable".into()))
        } else {
            Ok(())
        }
    }
}

/// Cursors are the hex of the last key returned (opaque to the app, and
/// within its cursor alphabet).
fn cursor_of(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn key_of(cursor: &str) -> Option<String> {
    if !cursor.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

impl Kv for Fake {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        self.check_kv()?;
        self.kv_read.borrow_mut().push(key.to_string());
        Ok(self.live(key).map(|s| s.value))
    }

    async fn get_many(
        &self,
        keys: &[String],
        cache_ttl: Option<u32>,
    ) -> Result<HashMap<String, String>, PortError> {
        self.check_kv()?;
        self.kv_read.borrow_mut().extend(keys.iter().cloned());
        if let Some(first) = keys.first() {
            self.bulk_ttls.borrow_mut().push((first.clone(), cache_ttl));
        }
        assert!(keys.len() <= 100, "KV's bulk get takes at most 100 keys");
        Ok(keys
            .iter()
            .filter_map(|k| Some((k.clone(), String::from_utf8(self.live(k)?.value).ok()?)))
            .collect())
    }

    async fn list(
        &self,
        prefix: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<KvList, PortError> {
        self.check_kv()?;
        assert!((1..=1000).contains(&limit), "KV's list limit is 1-1000");
        let after = match cursor {
            None => None,
            Some(c) => Some(key_of(c).ok_or_else(|| PortError("invalid cursor".into()))?),
        };
        let now = self.now();
        let kv = self.kv.borrow();
        let mut matching = kv
            .iter()
            .filter(|(k, s)| k.starts_with(prefix) && s.expires.is_none_or(|e| e > now))
            .filter(|(k, _)| after.as_ref().is_none_or(|a| *k > a));
        let keys: Vec<KvKey> = matching
            .by_ref()
            .take(limit)
            .map(|(k, s)| KvKey {
                name: k.clone(),
                metadata: s.metadata.clone(),
            })
            .collect();
        let complete = matching.next().is_none();
        let cursor = (!complete).then(|| cursor_of(&keys.last().unwrap().name));
        Ok(KvList {
            keys,
            cursor,
            complete,
        })
    }

    async fn put(
        &self,
        key: &str,
        value: &[u8],
        ttl: Option<u64>,
        metadata: Option<&serde_json::Value>,
    ) -> Result<(), PortError> {
        self.check_kv()?;
        if let Some(m) = metadata {
            assert!(
                m.to_string().len() <= 1024,
                "KV metadata is at most 1,024 bytes: {m}"
            );
        }
        let expires = ttl.map(|t| self.now() + t as i64 * 1000);
        self.kv.borrow_mut().insert(
            key.to_string(),
            Stored {
                value: value.to_vec(),
                metadata: metadata.cloned(),
                expires,
            },
        );
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), PortError> {
        self.check_kv()?;
        self.kv.borrow_mut().remove(key);
        Ok(())
    }
}

impl InquiryQueue for Fake {
    async fn send_inquiry(&self, inquiry: &QueuedInquiry) -> Result<(), PortError> {
        if self.queue_fails.get() {
            return Err(PortError("queue unavailable".into()));
        }
        self.queue.borrow_mut().push(inquiry.clone());
        Ok(())
    }
}

impl Mailer for Fake {
    async fn send_to_contact(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError> {
        if let Some(e) = self.mail_fails.get() {
            return Err(e);
        }
        self.mail
            .borrow_mut()
            .push((from.to_string(), to.to_string(), raw.to_string()));
        Ok(())
    }

    async fn send_transactional(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError> {
        if self.reader_mail_failures.get() > 0 {
            self.reader_mail_failures
                .set(self.reader_mail_failures.get() - 1);
            return Err(MailError::SendFailed);
        }
        if !self.reader_mail_dropped.get() {
            self.reader_mail
                .borrow_mut()
                .push((from.to_string(), to.to_string(), raw.to_string()));
        }
        Ok(())
    }
}

impl RateLimiter for Fake {
    async fn allow(&self, key: &str) -> Result<bool, PortError> {
        let mut seen = self.limited.borrow_mut();
        let n = seen.entry(key.to_string()).or_default();
        *n += 1;
        Ok(*n <= self.limit.get())
    }
}

impl HttpClient for Fake {
    /// Amazon SES's `SendEmail` (its path, at any host) keeps the raw
    /// message in `reader_mail`, answering as SES does (429 while
    /// `ses_throttles` lasts, 500 while `reader_mail_failures` does);
    /// anything else is Turnstile's siteverify.
    async fn fetch(&self, request: &HttpRequest) -> Result<HttpAnswer, PortError> {
        let body = String::from_utf8(request.body.clone()).unwrap();
        if request
            .url
            .ends_with(access_alerts::mail::ses::SEND_EMAIL_PATH)
        {
            self.ses_requests.borrow_mut().push(request.clone());
            let answer = |status: u16, body: &str| {
                Ok(HttpAnswer {
                    status,
                    body: body.into(),
                })
            };
            if self.ses_pass_before_throttle.get() > 0 {
                self.ses_pass_before_throttle
                    .set(self.ses_pass_before_throttle.get() - 1);
            } else if self.ses_throttles.get() > 0 {
                self.ses_throttles.set(self.ses_throttles.get() - 1);
                return answer(
                    429,
                    r#"{"__type":"TooManyRequestsException","message":"Maximum sending rate exceeded."}"#,
                );
            }
            if self.reader_mail_failures.get() > 0 {
                self.reader_mail_failures
                    .set(self.reader_mail_failures.get() - 1);
                return answer(500, r#"{"__type":"InternalFailure"}"#);
            }
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            let from = json["FromEmailAddress"].as_str().unwrap().to_string();
            let to = json["Destination"]["ToAddresses"][0]
                .as_str()
                .unwrap()
                .to_string();
            let raw = base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                json["Content"]["Raw"]["Data"].as_str().unwrap(),
            )
            .unwrap();
            if !self.reader_mail_dropped.get() {
                self.reader_mail
                    .borrow_mut()
                    .push((from, to, String::from_utf8(raw).unwrap()));
            }
            self.ses_sent.set(self.ses_sent.get() + 1);
            return answer(200, r#"{"MessageId":"0100018f-test"}"#);
        }
        self.http_sent
            .borrow_mut()
            .push((request.url.clone(), body));
        self.http_requests.borrow_mut().push(request.clone());
        if let Some((status, body)) = self.http_routes.borrow().get(&request.url) {
            return Ok(HttpAnswer {
                status: *status,
                body: body.clone(),
            });
        }
        Ok(HttpAnswer {
            status: 200,
            body: self.http_answer.borrow().clone(),
        })
    }
}

impl Crypto for Fake {
    /// The `rsa` crate stands in for WebCrypto.
    async fn verify_rsa_sha256(
        &self,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, PortError> {
        use rsa::pkcs1v15::{Signature, VerifyingKey};
        use rsa::pkcs8::DecodePublicKey;
        use rsa::signature::Verifier;
        let key = rsa::RsaPublicKey::from_public_key_der(spki)
            .map_err(|e| PortError(format!("importKey: {e}")))?;
        let Ok(signature) = Signature::try_from(signature) else {
            return Ok(false);
        };
        Ok(VerifyingKey::<rsa::sha2::Sha256>::new(key)
            .verify(message, &signature)
            .is_ok())
    }
}

impl Runtime for Fake {
    fn cache(&self) -> &access_alerts::app::cache::Cache {
        &self.cache
    }
    fn now_millis(&self) -> i64 {
        self.clock.get()
    }
    fn random_u64(&self) -> Result<u64, PortError> {
        self.random.set(self.random.get() + 1);
        Ok(self.random.get().wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
    fn log(&self, level: Level, line: &str) {
        self.logs.borrow_mut().push((level, line.to_string()));
    }
}

/// A request built by a test.
#[derive(Debug, Clone)]
pub struct TestRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The site's origin in these tests: not example.org, where the contacts'
/// addresses live, so that a leak check can look for that domain.
pub const ORIGIN: &str = "https://alerts.example.com";

impl TestRequest {
    pub fn new(method: Method, path: &str) -> Self {
        TestRequest {
            method,
            url: format!("{ORIGIN}{path}"),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn get(path: &str) -> Self {
        TestRequest::new(Method::Get, path)
    }

    pub fn post(path: &str, content_type: &str, body: &str) -> Self {
        TestRequest::new(Method::Post, path)
            .header("Content-Type", content_type)
            .body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = body.as_bytes().to_vec();
        self
    }
}

impl Incoming for TestRequest {
    fn method(&self) -> Method {
        self.method
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
    async fn body(&self, max: usize) -> Result<Vec<u8>, BodyError> {
        if self.body.len() > max {
            Err(BodyError::TooLarge)
        } else {
            Ok(self.body.clone())
        }
    }
}

/// The settings the tests run with (placeholder addresses only).
pub fn settings(extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<&str, &str> = HashMap::from([
        ("SITE_URL", ORIGIN),
        ("SITE_NAME", "Access Alerts"),
        ("MAIL_FROM", "alerts@example.org"),
        ("RETRY_DELAY_SECONDS", "7"),
    ]);
    vars.extend(crate::support::TEST_VARS);
    vars.extend(extra.iter().copied());
    Settings::read(|name| vars.get(name).map(|v| v.to_string()))
}

/// The platform and the settings: one site, requests sent in-process.
pub struct Site {
    pub fake: Fake,
    pub settings: Settings,
}

impl Site {
    pub fn with(vars: &[(&str, &str)]) -> Self {
        Site {
            fake: Fake::new(),
            settings: settings(vars),
        }
    }

    pub fn send(&self, req: TestRequest) -> Response {
        let app = App::new(&self.fake, &self.settings);
        block_on(app.handle(&req))
    }

    pub fn get(&self, path: &str) -> Response {
        self.send(TestRequest::get(path))
    }

    /// Delivers every queued inquiry once; the outcomes in order.
    pub fn deliver_all(&self) -> Vec<Outcome> {
        let queued: Vec<QueuedInquiry> = self.fake.queue.borrow_mut().drain(..).collect();
        queued
            .iter()
            .map(|q| self.consume(QueueKind::Inquiries, &serde_json::to_value(q).unwrap()))
            .collect()
    }

    /// Consumes one message, as the queue carries it (JSON text).
    pub fn consume(&self, kind: QueueKind, body: &serde_json::Value) -> Outcome {
        self.consume_text(kind, &body.to_string())
    }

    /// Consumes one body as it arrived, whatever it holds.
    pub fn consume_text(&self, kind: QueueKind, text: &str) -> Outcome {
        let app = App::new(&self.fake, &self.settings);
        block_on(app.consume(kind, text))
    }
}
