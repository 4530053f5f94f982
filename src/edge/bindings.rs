//! The core's ports over the Worker's bindings: the queue producers
//! `INQUIRIES` and `ALERT_MAIL`, the mailers `EMAIL` (to contacts) and
//! `ALERT_EMAIL` (to subscribers), D1's `DB`, `CONTACT_LIMITER` (rate
//! limiter), outbound fetch, and the runtime (the isolate's cache, the
//! clock, randomness and the log). KV (`ALERTS`) is in `kv`, the runtime's
//! Request in `incoming`. `Bindings` is a `Platform` by implementing each
//! port.

use crate::app::messages::MailMessage;
use crate::app::ports::{
    Crypto, HttpAnswer, HttpClient, HttpRequest, InquiryQueue, Level, MailError, MailQueue, Mailer,
    PortError, RateLimiter, Row, Runtime, Sql, Stmt,
};
use crate::form::QueuedInquiry;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use wasm_bindgen::JsCast;
use worker::{js_sys, Env};

thread_local! {
    /// One per isolate: requests of the same instance share it.
    static CACHE: &'static crate::app::cache::Cache = Box::leak(Box::default());
}

/// The isolate's cache.
pub fn isolate_cache() -> &'static crate::app::cache::Cache {
    CACHE.with(|c| *c)
}

/// Every port, over one request's (or queue batch's) environment. KV is
/// reached through small JavaScript functions (below), not the SDK's
/// `KvStore`: one call each, values as bytes or JSON text, and no
/// serde-wasm-bindgen code for its types in the wasm.
pub struct Bindings<'a> {
    pub(super) env: &'a Env,
}

impl<'a> Bindings<'a> {
    /// Borrows the environment: a clone would take a slot in wasm-bindgen's
    /// reference table on every request.
    pub fn new(env: &'a Env) -> Self {
        Bindings { env }
    }
}

pub(super) fn port(e: impl std::fmt::Display) -> PortError {
    PortError(e.to_string())
}

pub(super) fn js_error(e: &JsValue) -> PortError {
    PortError(
        e.dyn_ref::<js_sys::Error>()
            .map_or_else(|| format!("{e:?}"), |e| String::from(e.message())),
    )
}

impl InquiryQueue for Bindings<'_> {
    async fn send_inquiry(&self, inquiry: &QueuedInquiry) -> Result<(), PortError> {
        // `queue_send_batch` takes `[body, delaySeconds]` pairs.
        let body = serde_json::to_string(inquiry).map_err(port)?;
        self.enqueue("INQUIRIES", &format!("[[{body},0]]")).await
    }
}

impl Bindings<'_> {
    async fn send_through(
        &self,
        binding: &str,
        from: &str,
        to: &str,
        raw: &str,
    ) -> Result<(), MailError> {
        let email =
            worker::EmailMessage::new(from, to, raw).map_err(|_| MailError::MessageRejected)?;
        let binding = self
            .env
            .send_email(binding)
            .map_err(|_| MailError::BindingMissing)?;
        binding.send(&email).await.map(|_| ()).map_err(|e| {
            // The runtime's message may name the address: only its kind leaves here.
            let e = format!("{e:?}");
            if e.contains("email from") && e.contains("not allowed") {
                MailError::SenderNotAllowed
            } else if e.contains("not allowed") {
                MailError::RecipientNotAllowed
            } else if e.contains("parse") || e.contains("invalid") {
                MailError::MessageRejected
            } else {
                MailError::SendFailed
            }
        })
    }
}

impl Mailer for Bindings<'_> {
    async fn send_to_contact(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError> {
        self.send_through("EMAIL", from, to, raw).await
    }

    async fn send_transactional(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError> {
        self.send_through("ALERT_EMAIL", from, to, raw).await
    }
}

#[wasm_bindgen(inline_js = "
export async function d1_batch(env, stmts) {
  const db = env.DB;
  if (!db) throw new Error('the D1 binding DB is missing');
  const prepared = JSON.parse(stmts).map(([sql, params]) => db.prepare(sql).bind(...params));
  const results = prepared.length === 1 ? [await prepared[0].all()] : await db.batch(prepared);
  return JSON.stringify(results.map((r) => r.results ?? []));
}
export async function queue_send_batch(env, binding, messages) {
  const queue = env[binding];
  if (!queue) throw new Error('the queue binding ' + binding + ' is missing');
  await queue.sendBatch(JSON.parse(messages).map(([body, delaySeconds]) => ({ body, delaySeconds })));
}
export async function rsa_sha256_verify(spki, message, signature) {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('spki', spki, algorithm, false, ['verify']);
  return crypto.subtle.verify(algorithm, key, signature, message);
}
export async function http_fetch(method, url, headers, body, timeout) {
  const init = { method, headers: JSON.parse(headers) };
  if (body.length) init.body = body;
  if (timeout) {
    init.signal = AbortSignal.timeout(timeout);
    init.redirect = 'manual';
  }
  const response = await fetch(url, init);
  return JSON.stringify([response.status, await response.text()]);
}")]
extern "C" {
    /// D1's `batch` (one statement: `all`), statements and rows as JSON
    /// text: one string each way instead of a value per cell.
    #[wasm_bindgen(catch)]
    fn d1_batch(env: &Env, stmts: &str) -> Result<js_sys::Promise, JsValue>;
    /// A queue binding's `sendBatch`, the messages as JSON text (one
    /// string across, and no serde-wasm-bindgen serializer per type).
    #[wasm_bindgen(catch)]
    fn queue_send_batch(
        env: &Env,
        binding: &str,
        messages: &str,
    ) -> Result<js_sys::Promise, JsValue>;
    /// WebCrypto's RSASSA-PKCS1-v1_5 with SHA-256 under a DER SPKI key.
    #[wasm_bindgen(catch)]
    fn rsa_sha256_verify(
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<js_sys::Promise, JsValue>;
    /// The runtime's `fetch`: headers as JSON pairs, the answer as JSON
    /// `[status, text]`; with a timeout (milliseconds, 0 for none) it is
    /// aborted then, and redirects are not followed.
    #[wasm_bindgen(catch)]
    fn http_fetch(
        method: &str,
        url: &str,
        headers: &str,
        body: &[u8],
        timeout: u32,
    ) -> Result<js_sys::Promise, JsValue>;
}

impl Sql for Bindings<'_> {
    async fn batch(&self, stmts: &[Stmt<'_>]) -> Result<Vec<Vec<Row>>, PortError> {
        let text = serde_json::Value::Array(
            stmts
                .iter()
                .map(|s| serde_json::json!([s.sql, s.params]))
                .collect(),
        )
        .to_string();
        let promise = d1_batch(self.env, &text).map_err(|e| js_error(&e))?;
        let answer = settled(promise).await.map_err(|e| js_error(&e))?;
        let answer = answer.as_string().unwrap_or_default();
        serde_json::from_str(&answer).map_err(|e| PortError(format!("d1 answer: {e}")))
    }
}

impl Bindings<'_> {
    /// `messages_json`: a JSON array of `[body, delaySeconds]` pairs.
    async fn enqueue(&self, binding: &str, messages_json: &str) -> Result<(), PortError> {
        let promise =
            queue_send_batch(self.env, binding, messages_json).map_err(|e| js_error(&e))?;
        settled(promise).await.map(|_| ()).map_err(|e| js_error(&e))
    }
}

impl MailQueue for Bindings<'_> {
    async fn send_mail(&self, messages: &[(MailMessage, u32)]) -> Result<(), PortError> {
        let bodies: Vec<String> = messages
            .iter()
            .map(|(m, delay)| format!("[{},{delay}]", m.to_json()))
            .collect();
        let text = format!("[{}]", bodies.join(","));
        self.enqueue("ALERT_MAIL", &text).await
    }
}

impl RateLimiter for Bindings<'_> {
    async fn allow(&self, key: &str) -> Result<bool, PortError> {
        let limiter = self.env.rate_limiter("CONTACT_LIMITER").map_err(port)?;
        Ok(limiter.limit(key.to_string()).await.map_err(port)?.success)
    }
}

impl HttpClient for Bindings<'_> {
    async fn fetch(&self, request: &HttpRequest) -> Result<HttpAnswer, PortError> {
        let headers = serde_json::to_string(&request.headers).map_err(port)?;
        let text = json_text(http_fetch(
            request.method,
            &request.url,
            &headers,
            &request.body,
            request.timeout_millis.unwrap_or(0),
        ))
        .await?;
        let (status, body): (u16, String) =
            serde_json::from_str(&text).map_err(|e| PortError(format!("fetch answer: {e}")))?;
        Ok(HttpAnswer { status, body })
    }
}

impl Crypto for Bindings<'_> {
    async fn verify_rsa_sha256(
        &self,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, PortError> {
        let promise = rsa_sha256_verify(spki, message, signature).map_err(|e| js_error(&e))?;
        let answer = settled(promise).await.map_err(|e| js_error(&e))?;
        Ok(answer.as_bool() == Some(true))
    }
}

impl Runtime for Bindings<'_> {
    fn cache(&self) -> &crate::app::cache::Cache {
        isolate_cache()
    }

    fn now_millis(&self) -> i64 {
        worker::Date::now().as_millis() as i64
    }

    fn random_u64(&self) -> Result<u64, PortError> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| PortError(format!("getrandom: {e}")))?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn log(&self, level: Level, line: &str) {
        match level {
            Level::Info => worker::console_log!("{line}"),
            Level::Warn => worker::console_warn!("{line}"),
            Level::Error => worker::console_error!("{line}"),
        }
    }
}

/// The text a JSON-returning binding call settles with.
pub(super) async fn json_text(call: Result<js_sys::Promise, JsValue>) -> Result<String, PortError> {
    let promise = call.map_err(|e| js_error(&e))?;
    let value = settled(promise).await.map_err(|e| js_error(&e))?;
    value
        .as_string()
        .ok_or_else(|| PortError("a binding answered without text".into()))
}

/// The outcome of a Promise.
pub(super) async fn settled(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(promise).await
}
