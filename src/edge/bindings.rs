//! The core's ports over the Worker's bindings: `ALERTS` (KV), `INQUIRIES`
//! (queue producer), `EMAIL` (send_email), `CONTACT_LIMITER` (rate limiter),
//! outbound fetch, the clock, randomness and the log; and the runtime's
//! Request as the core's `Incoming`.

use crate::app::ports::{
    BodyError, HttpClient, Incoming, InquiryQueue, Kv, KvKey, KvList, Level, MailError, MailQueue,
    Mailer, Platform, PortError, RateLimiter, Row, Sql, Stmt,
};
use crate::form::QueuedInquiry;
use crate::routes::Method;
use std::collections::HashMap;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use wasm_bindgen::JsCast;
use worker::worker_sys::web_sys;
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
    env: &'a Env,
}

impl<'a> Bindings<'a> {
    /// Borrows the environment: a clone would take a slot in wasm-bindgen's
    /// reference table on every request.
    pub fn new(env: &'a Env) -> Self {
        Bindings { env }
    }
}

fn port(e: impl std::fmt::Display) -> PortError {
    PortError(e.to_string())
}

fn js_error(e: &JsValue) -> PortError {
    PortError(
        e.dyn_ref::<js_sys::Error>()
            .map_or_else(|| format!("{e:?}"), |e| String::from(e.message())),
    )
}

#[wasm_bindgen(inline_js = "
export function kv_get_bytes(env, key) {
  return env.ALERTS.get(key, 'arrayBuffer');
}
export async function kv_get_many(env, keys) {
  const values = await env.ALERTS.get(JSON.parse(keys), 'text');
  return JSON.stringify(Object.fromEntries(values));
}
export function kv_put(env, key, value, ttl, metadata) {
  const options = {};
  if (ttl > 0) options.expirationTtl = ttl;
  if (metadata) options.metadata = JSON.parse(metadata);
  // A copy: `value` is a view into the wasm memory, which may move.
  return env.ALERTS.put(key, value.slice(), options);
}
export function kv_delete(env, key) {
  return env.ALERTS.delete(key);
}
export async function kv_list(env, prefix, limit, cursor) {
  const options = { prefix, limit };
  if (cursor) options.cursor = cursor;
  return JSON.stringify(await env.ALERTS.list(options));
}")]
extern "C" {
    /// One `get` of the `ALERTS` namespace, its value as bytes (an
    /// ArrayBuffer, or null): a value read as text would be decoded to a
    /// JavaScript string and then encoded again, character by character, on
    /// its way into wasm.
    #[wasm_bindgen(catch)]
    fn kv_get_bytes(env: &Env, key: &str) -> Result<js_sys::Promise, JsValue>;
    /// KV's bulk get (one call for up to 100 keys), keys and answer as JSON
    /// text: one string each way, and no serde-wasm-bindgen deserializer.
    #[wasm_bindgen(catch)]
    fn kv_get_many(env: &Env, keys: &str) -> Result<js_sys::Promise, JsValue>;
    /// One `put`: the value as bytes, a TTL in seconds (0: none), metadata
    /// as JSON text.
    #[wasm_bindgen(catch)]
    fn kv_put(
        env: &Env,
        key: &str,
        value: &[u8],
        ttl: f64,
        metadata: Option<String>,
    ) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kv_delete(env: &Env, key: &str) -> Result<js_sys::Promise, JsValue>;
    /// One `list()`, its answer as JSON text.
    #[wasm_bindgen(catch)]
    fn kv_list(
        env: &Env,
        prefix: &str,
        limit: u32,
        cursor: Option<String>,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// The text a JSON-returning binding call settles with.
async fn json_text(call: Result<js_sys::Promise, JsValue>) -> Result<String, PortError> {
    let promise = call.map_err(|e| js_error(&e))?;
    let value = settled(promise).await.map_err(|e| js_error(&e))?;
    value
        .as_string()
        .ok_or_else(|| PortError("a binding answered without text".into()))
}

/// The outcome of a Promise.
async fn settled(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(promise).await
}

impl Kv for Bindings<'_> {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        let promise = kv_get_bytes(self.env, key).map_err(|e| js_error(&e))?;
        let value = settled(promise).await.map_err(|e| js_error(&e))?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        Ok(Some(js_sys::Uint8Array::new(&value).to_vec()))
    }

    async fn get_many(&self, keys: &[String]) -> Result<HashMap<String, String>, PortError> {
        let keys = serde_json::to_string(keys).map_err(port)?;
        let text = json_text(kv_get_many(self.env, &keys)).await?;
        let values: HashMap<String, Option<String>> =
            serde_json::from_str(&text).map_err(|e| PortError(format!("kv bulk get: {e}")))?;
        Ok(values
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect())
    }

    async fn list(
        &self,
        prefix: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<KvList, PortError> {
        let text = json_text(kv_list(
            self.env,
            prefix,
            limit as u32,
            cursor.map(str::to_string),
        ))
        .await?;
        let mut answer: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| PortError(format!("kv list: {e}")))?;
        let keys = match answer["keys"].take() {
            serde_json::Value::Array(keys) => keys,
            _ => Vec::new(),
        };
        Ok(KvList {
            keys: keys
                .into_iter()
                .map(|mut k| KvKey {
                    name: k["name"].as_str().unwrap_or_default().to_string(),
                    metadata: Some(k["metadata"].take()).filter(|m| !m.is_null()),
                })
                .collect(),
            cursor: answer["cursor"].as_str().map(str::to_string),
            complete: answer["list_complete"].as_bool().unwrap_or(true),
        })
    }

    async fn put(
        &self,
        key: &str,
        value: &[u8],
        ttl: Option<u64>,
        metadata: Option<&serde_json::Value>,
    ) -> Result<(), PortError> {
        let promise = kv_put(
            self.env,
            key,
            value,
            ttl.unwrap_or(0) as f64,
            metadata.map(|m| m.to_string()),
        )
        .map_err(|e| js_error(&e))?;
        settled(promise).await.map(|_| ()).map_err(|e| js_error(&e))
    }

    async fn delete(&self, key: &str) -> Result<(), PortError> {
        let promise = kv_delete(self.env, key).map_err(|e| js_error(&e))?;
        settled(promise).await.map(|_| ()).map_err(|e| js_error(&e))
    }
}

impl InquiryQueue for Bindings<'_> {
    async fn send(&self, inquiry: &QueuedInquiry) -> Result<(), PortError> {
        let text = serde_json::to_string(&[inquiry]).map_err(port)?;
        self.enqueue("INQUIRIES", &text).await
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
    async fn send(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError> {
        self.send_through("EMAIL", from, to, raw).await
    }

    async fn send_to_reader(&self, from: &str, to: &str, raw: &str) -> Result<(), MailError> {
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
  await queue.sendBatch(JSON.parse(messages).map((body) => ({ body })));
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
    async fn enqueue(&self, binding: &str, messages_json: &str) -> Result<(), PortError> {
        let promise =
            queue_send_batch(self.env, binding, messages_json).map_err(|e| js_error(&e))?;
        settled(promise).await.map(|_| ()).map_err(|e| js_error(&e))
    }
}

impl MailQueue for Bindings<'_> {
    async fn send_batch(&self, messages: &[serde_json::Value]) -> Result<(), PortError> {
        let text = serde_json::Value::Array(messages.to_vec()).to_string();
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
    async fn post_form(&self, url: &str, body: &str) -> Result<Vec<u8>, PortError> {
        use worker::{Fetch, Headers, Method, Request, RequestInit};
        let headers = Headers::new();
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .map_err(port)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(body.into()));
        let request = Request::new_with_init(url, &init).map_err(port)?;
        let mut response = Fetch::Request(request).send().await.map_err(port)?;
        response.bytes().await.map_err(port)
    }
}

impl Platform for Bindings<'_> {
    type Kv = Self;
    type Queue = Self;
    type Mailer = Self;
    type Limiter = Self;
    type Http = Self;
    type Db = Self;
    type MailQueue = Self;

    fn kv(&self) -> &Self {
        self
    }
    fn queue(&self) -> &Self {
        self
    }
    fn mailer(&self) -> &Self {
        self
    }
    fn limiter(&self) -> &Self {
        self
    }
    fn http(&self) -> &Self {
        self
    }
    fn db(&self) -> &Self {
        self
    }
    fn mail_queue(&self) -> &Self {
        self
    }

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

#[wasm_bindgen(inline_js = "
export function request_line(request) {
  return request.method + ' ' + request.url;
}")]
extern "C" {
    /// The method and URL in one call (one string across, not two).
    fn request_line(request: &web_sys::Request) -> String;
}

/// The runtime's Request: method and URL read in one call, headers only
/// when a handler asks.
pub struct RawIncoming {
    raw: web_sys::Request,
    method: Method,
    url: String,
}

impl RawIncoming {
    /// The runtime's own Request (the Cache API's key).
    pub fn raw(&self) -> &web_sys::Request {
        &self.raw
    }

    pub fn new(raw: web_sys::Request) -> Self {
        let line = request_line(&raw);
        let (method, url) = line.split_once(' ').unwrap_or(("GET", ""));
        RawIncoming {
            method: Method::parse(method),
            url: url.to_string(),
            raw,
        }
    }
}

impl Incoming for RawIncoming {
    fn method(&self) -> Method {
        self.method
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn header(&self, name: &str) -> Option<String> {
        self.raw.headers().get(name).ok().flatten()
    }

    async fn body(&self, max: usize) -> Result<Vec<u8>, BodyError> {
        let promise = read_capped(&self.raw, max as f64);
        let value = settled(promise)
            .await
            .map_err(|e| BodyError::Unreadable(js_error(&e).0))?;
        if value.is_null() {
            return Err(BodyError::TooLarge);
        }
        Ok(js_sys::Uint8Array::new(&value).to_vec())
    }
}

#[wasm_bindgen(inline_js = "
// Past the cap, chunks are read and dropped (so that the client, which is
// still sending, gets the 413 rather than a broken connection), up to
// DRAIN bytes in all; then the body is cancelled.
const DRAIN = 16 * 1024 * 1024;
export async function read_capped(request, max) {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      chunks.length = 0;
      if (total > DRAIN) {
        await reader.cancel();
        return null;
      }
      continue;
    }
    chunks.push(value);
  }
  if (total > max) return null;
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}")]
extern "C" {
    /// The request's body, read chunk by chunk as it arrives; past `max`
    /// bytes (whatever `Content-Length` said or did not say) nothing more is
    /// kept and the answer is null: an oversized body never fills the
    /// isolate or the wasm.
    fn read_capped(request: &web_sys::Request, max: f64) -> js_sys::Promise;
}
