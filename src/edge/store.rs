//! The one place that reads and writes Workers KV (binding `ALERTS`), using
//! the key schema of `crate::keys`.

use super::error::AppError;
use crate::content::{AlertRecord, Contact, ListingEntry, ListingMeta};
use crate::keys;
use crate::listing::{ListedKey, ListedPage, PageCollector};
use std::cell::OnceCell;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use wasm_bindgen::JsCast;
use worker::js_sys;
use worker::kv::KvStore;
use worker::Env;

pub struct Store<'a> {
    env: &'a Env,
    /// The SDK's handle, made on first use: making it reads five methods off
    /// the binding, each a call into JavaScript, and the hot reads (an
    /// alert, the contacts, an alias) do not need it.
    kv: OnceCell<KvStore>,
}

#[wasm_bindgen(inline_js = "
export function kv_get_bytes(env, key) {
  return env.ALERTS.get(key, 'arrayBuffer');
}")]
extern "C" {
    /// One `get` of the `ALERTS` namespace, its value as bytes (an
    /// ArrayBuffer, or null): a value read as text would be decoded to a
    /// JavaScript string and then encoded again, character by character, on
    /// its way into wasm.
    #[wasm_bindgen(catch)]
    fn kv_get_bytes(env: &Env, key: &str) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    /// KV operations made by the current request (reported to `make bench`
    /// as `X-KV-Ops`, so that the cost of a page can be counted in calls,
    /// whatever the local emulator spends on each).
    static KV_OPS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts one KV operation of the current request.
fn count() {
    KV_OPS.with(|c| c.set(c.get() + 1));
}

/// Takes the count of KV operations since the last call.
pub fn take_kv_ops() -> u32 {
    KV_OPS.with(|c| c.replace(0))
}

/// One listing page: its entries and the cursor of the next (older) page.
pub struct Page {
    pub entries: Vec<ListingEntry>,
    pub next: Option<String>,
}

impl<'a> Store<'a> {
    /// Borrows the environment: a clone would take a slot in wasm-bindgen's
    /// reference table on every request.
    pub fn new(env: &'a Env) -> Self {
        Store {
            env,
            kv: OnceCell::new(),
        }
    }

    /// The SDK's KV handle (lists, writes, bulk reads).
    pub fn kv(&self) -> Result<&KvStore, AppError> {
        if let Some(kv) = self.kv.get() {
            return Ok(kv);
        }
        let kv = self.env.kv("ALERTS")?;
        Ok(self.kv.get_or_init(|| kv))
    }

    /// One value as bytes, `None` when the key does not exist.
    pub async fn get_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        count();
        let kv_error = |e: JsValue| {
            // The key's first two parts only: the third of an `inq:` key is
            // derived from what a visitor wrote.
            let kind = key.splitn(3, ':').take(2).collect::<Vec<_>>().join(":");
            let message = e
                .dyn_ref::<js_sys::Error>()
                .map_or_else(|| format!("{e:?}"), |e| String::from(e.message()));
            AppError::Internal(format!("kv get {kind}: {message}"))
        };
        let value = super::exec::settled(&kv_get_bytes(self.env, key).map_err(kv_error)?)
            .await
            .map_err(kv_error)?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        Ok(Some(js_sys::Uint8Array::new(&value).to_vec()))
    }

    /// One value as text (KV values written by this Worker are UTF-8).
    pub async fn get_text(&self, key: &str) -> Result<Option<String>, AppError> {
        let bytes = self.get_bytes(key).await?;
        Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// A JSON value; one that does not parse is an error naming its key.
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, AppError> {
        let Some(bytes) = self.get_bytes(key).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| AppError::BrokenRecord {
                key: key.to_string(),
                reason: e.to_string(),
            })
    }

    /// An alert record, whether public or not; a broken record is an error
    /// naming its key.
    pub async fn alert(&self, slug: &str) -> Result<Option<AlertRecord>, AppError> {
        self.get_json(&keys::alert(slug)).await
    }

    /// The public contact list (no addresses).
    pub async fn contacts(&self) -> Result<Vec<Contact>, AppError> {
        Ok(self.get_json(keys::CONTACTS_KEY).await?.unwrap_or_default())
    }

    /// Several alert records in one bulk read (KV's `get` of up to 100
    /// keys), in the order asked; missing or unreadable ones are skipped
    /// (and logged).
    pub async fn alerts(&self, slugs: &[String]) -> Result<Vec<AlertRecord>, AppError> {
        let keys: Vec<String> = slugs.iter().map(|s| keys::alert(s)).collect();
        let mut values = std::collections::HashMap::new();
        for chunk in keys.chunks(100) {
            count();
            values.extend(self.kv()?.get_bulk(chunk).text().await?);
        }
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            match values
                .remove(&key)
                .flatten()
                .map(|t| serde_json::from_str::<AlertRecord>(&t))
            {
                Some(Ok(record)) => out.push(record),
                Some(Err(e)) => worker::console_error!("broken record key={key} reason={e}"),
                None => {}
            }
        }
        Ok(out)
    }

    /// Where an old path redirects, if it is an alias.
    pub async fn alias(&self, path: &str) -> Result<Option<String>, AppError> {
        self.get_text(&keys::alias(path)).await
    }

    /// One listing page of `prefix`: `want` public entries at `now`, from
    /// `cursor`. A cursor KV rejects is a 400.
    pub async fn page(
        &self,
        prefix: &str,
        want: usize,
        now: i64,
        cursor: Option<String>,
        filter: Option<crate::listing::EntryFilter>,
    ) -> Result<Page, AppError> {
        let user_cursor = cursor.is_some();
        let mut collector = PageCollector::new(want, now, cursor);
        if let Some(f) = filter {
            collector = collector.with_filter(f);
        }
        while let Some(call) = collector.next_call() {
            let mut list = self
                .kv()?
                .list()
                .prefix(prefix.to_string())
                .limit(call.limit as u64);
            if let Some(c) = call.cursor {
                list = list.cursor(c);
            }
            count();
            let answer = match list.execute().await {
                Ok(a) => a,
                Err(e) if user_cursor => {
                    worker::console_warn!("list refused cursor: {e}");
                    return Err(AppError::BadRequest("The cursor is not valid.".into()));
                }
                Err(e) => return Err(e.into()),
            };
            collector.feed(ListedPage {
                keys: answer
                    .keys
                    .into_iter()
                    .map(|k| ListedKey {
                        metadata: k
                            .metadata
                            .and_then(|m| serde_json::from_value::<ListingMeta>(m).ok()),
                        name: k.name,
                    })
                    .collect(),
                cursor: answer.cursor,
                complete: answer.list_complete,
            });
        }
        for key in &collector.broken {
            worker::console_error!("broken record key={key} reason=missing or unreadable metadata");
        }
        let next = collector.next_cursor().map(str::to_string);
        Ok(Page {
            entries: collector.entries,
            next,
        })
    }
}
