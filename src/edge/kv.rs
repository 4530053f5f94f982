//! Workers KV (binding `ALERTS`) as the core's `Kv` port, through small
//! JavaScript functions rather than the SDK's `KvStore`: one call each,
//! values as bytes or JSON text, and no serde-wasm-bindgen code for its
//! types in the wasm.

use super::bindings::{js_error, json_text, port, settled, Bindings};
use crate::app::ports::{framed_values, Kv, KvKey, KvList, PortError};
use std::collections::HashMap;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use worker::{js_sys, Env};

#[wasm_bindgen(inline_js = "
export function kv_get_bytes(env, key, cacheTtl) {
  return env.ALERTS.get(key, cacheTtl > 0 ? { type: 'arrayBuffer', cacheTtl } : 'arrayBuffer');
}
export async function kv_get_many(env, keys, cacheTtl) {
  const options = { type: 'text' };
  if (cacheTtl > 0) options.cacheTtl = cacheTtl;
  const asked = JSON.parse(keys);
  const values = await env.ALERTS.get(asked, options);
  const encoder = new TextEncoder();
  const parts = asked.map((k) => { const v = values.get(k); return v == null ? null : encoder.encode(v); });
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + (p ? p.length : 0), 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p ? p.length : 0xffffffff, true);
    at += 4;
    if (p) { out.set(p, at); at += p.length; }
  }
  return out;
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
    fn kv_get_bytes(env: &Env, key: &str, cache_ttl: f64) -> Result<js_sys::Promise, JsValue>;
    /// KV's bulk get (one call for up to 100 keys): the keys as JSON text,
    /// the values framed as bytes (`crate::app::ports::framed_values`), and
    /// no serde-wasm-bindgen deserializer.
    #[wasm_bindgen(catch)]
    fn kv_get_many(env: &Env, keys: &str, cache_ttl: f64) -> Result<js_sys::Promise, JsValue>;
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

impl Kv for Bindings<'_> {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        self.get_one(key, 0.0).await
    }

    async fn get_many(
        &self,
        keys: &[String],
        cache_ttl: Option<u32>,
    ) -> Result<HashMap<String, String>, PortError> {
        let ttl = cache_ttl.unwrap_or(0) as f64;
        // One key: a plain get, the same read for KV, and cheaper for the
        // runtime than a bulk one (measured in the local runtime).
        if let [key] = keys {
            return match self.get_one(key, ttl).await? {
                Some(v) => {
                    let v = String::from_utf8(v)
                        .map_err(|_| PortError(format!("kv get {key}: not UTF-8")))?;
                    Ok(HashMap::from([(key.clone(), v)]))
                }
                None => Ok(HashMap::new()),
            };
        }
        let asked = serde_json::to_string(keys).map_err(port)?;
        let promise = kv_get_many(self.env, &asked, ttl).map_err(|e| js_error(&e))?;
        let value = settled(promise).await.map_err(|e| js_error(&e))?;
        framed_values(keys, &js_sys::Uint8Array::new(&value).to_vec())
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

impl Bindings<'_> {
    /// One `get`, its value as bytes, kept by KV's location cache for
    /// `cache_ttl` seconds when over 0.
    async fn get_one(&self, key: &str, cache_ttl: f64) -> Result<Option<Vec<u8>>, PortError> {
        let promise = kv_get_bytes(self.env, key, cache_ttl).map_err(|e| js_error(&e))?;
        let value = settled(promise).await.map_err(|e| js_error(&e))?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        Ok(Some(js_sys::Uint8Array::new(&value).to_vec()))
    }
}
