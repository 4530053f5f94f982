//! Typed reads and writes of Workers KV over the `Kv` port, with the key
//! schema of `crate::keys`. Every KV call of a request goes through one
//! `Store`, which counts them (`make bench` reports the count per page).
//!
//! Here: the `Store` itself, its counts and the freshness of what it read,
//! and the raw reads and writes; the typed reads of records, contacts, the
//! months and aliases are in `records`, the listing pages (KV reads) in
//! `listing`, what the isolate keeps under the site's version (and the
//! reads ahead of a page) in `kept`.

mod kept;
mod listing;
mod records;

pub use listing::{Cursor, Page, PageOf};

use crate::app::cache::Cache;
use crate::app::error::AppError;
#[cfg(feature = "diagnostics")]
use crate::app::ports::KvList;
use crate::app::ports::{Kv, PortError};
use std::cell::Cell;

pub struct Store<'a, K: Kv> {
    kv: &'a K,
    /// The isolate's cache, for listing indexes and chunks and the months.
    cache: &'a Cache,
    /// How long they are kept (ms); 0: not at all.
    ttl_ms: i64,
    /// How long a new site version must have been seen before what is
    /// read under it is tagged with it (ms; KV's propagation delay).
    settle_ms: i64,
    /// The earliest time (unix ms) a listing index or the months this request
    /// used stop being fresh: how long the edge may keep the answer.
    fresh_until: Cell<Option<i64>>,
    ops: Cell<u32>,
    /// Of which `list()` calls (the costliest and most limited).
    lists: Cell<u32>,
    /// Keys read: a bulk read is one call but each of its keys is billed
    /// as a read.
    keys_read: Cell<u32>,
    /// Of which reads of the site's version.
    version_reads: Cell<u32>,
    /// The bench's own-work route: KV read once, then from memory.
    #[cfg(feature = "diagnostics")]
    pub memo: Option<std::rc::Rc<Memo>>,
    /// Keys whose record or metadata could not be read, for the log.
    broken: std::cell::RefCell<Vec<String>>,
    /// Values read ahead by `prefetch`, each taken by its first read.
    prefetched: std::cell::RefCell<Vec<(String, Option<Vec<u8>>)>>,
}

/// KV values and list answers kept by the bench's own-work route, so that
/// only the first of its answers reads KV.
#[cfg(feature = "diagnostics")]
#[derive(Default)]
pub struct Memo {
    values: std::cell::RefCell<std::collections::HashMap<String, Option<Vec<u8>>>>,
    lists: std::cell::RefCell<std::collections::HashMap<String, KvList>>,
}

impl<'a, K: Kv> Store<'a, K> {
    pub fn new(kv: &'a K, cache: &'a Cache, ttl_ms: i64) -> Self {
        Store {
            kv,
            cache,
            ttl_ms,
            settle_ms: crate::app::cache::DEFAULT_SETTLE_SECONDS * 1000,
            fresh_until: Cell::new(None),
            ops: Cell::new(0),
            lists: Cell::new(0),
            keys_read: Cell::new(0),
            version_reads: Cell::new(0),
            #[cfg(feature = "diagnostics")]
            memo: None,
            broken: Default::default(),
            prefetched: Default::default(),
        }
    }

    /// The same, with KV's propagation delay set (`KV_SETTLE_SECONDS`).
    pub fn with_settle(mut self, settle_ms: i64) -> Self {
        self.settle_ms = settle_ms;
        self
    }

    /// Until when (unix ms) what this request listed stays fresh, if it
    /// listed anything: a scheduled alert's date, or the cache's TTL.
    pub fn fresh_until(&self) -> Option<i64> {
        self.fresh_until.get()
    }

    fn fresh(&self, until: i64) {
        let t = self.fresh_until.get().map_or(until, |t| t.min(until));
        self.fresh_until.set(Some(t));
    }

    /// KV calls made so far.
    pub fn ops(&self) -> u32 {
        self.ops.get()
    }

    /// Of which `list()` calls.
    pub fn lists(&self) -> u32 {
        self.lists.get()
    }

    /// Keys read (what KV bills as reads).
    pub fn keys_read(&self) -> u32 {
        self.keys_read.get()
    }

    /// Of which reads of the site's version.
    pub fn version_reads(&self) -> u32 {
        self.version_reads.get()
    }

    /// Keys found unreadable so far (taken: each is logged once).
    pub fn take_broken(&self) -> Vec<String> {
        std::mem::take(&mut self.broken.borrow_mut())
    }

    fn count(&self) {
        self.ops.set(self.ops.get() + 1);
    }

    /// One value as bytes, `None` when the key does not exist.
    pub async fn get_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        let ahead = {
            let mut prefetched = self.prefetched.borrow_mut();
            let at = prefetched.iter().position(|(k, _)| k == key);
            at.map(|i| prefetched.swap_remove(i).1)
        };
        if let Some(v) = ahead {
            return Ok(v);
        }
        #[cfg(feature = "diagnostics")]
        if let Some(v) = self
            .memo
            .as_ref()
            .and_then(|m| m.values.borrow().get(key).cloned())
        {
            return Ok(v);
        }
        self.count();
        self.keys_read.set(self.keys_read.get() + 1);
        let v = self
            .kv
            .get(key)
            .await
            .map_err(|e| kv_error("get", key, e))?;
        #[cfg(feature = "diagnostics")]
        if let Some(m) = &self.memo {
            m.values.borrow_mut().insert(key.to_string(), v.clone());
        }
        Ok(v)
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
        parse_json(key, &bytes).map(Some)
    }

    pub async fn put(&self, key: &str, value: &[u8], ttl: Option<u64>) -> Result<(), AppError> {
        self.put_with_metadata(key, value, ttl, None).await
    }

    /// A write whose metadata `list()` hands back with the key.
    pub async fn put_with_metadata(
        &self,
        key: &str,
        value: &[u8],
        ttl: Option<u64>,
        metadata: Option<&serde_json::Value>,
    ) -> Result<(), AppError> {
        self.count();
        self.kv
            .put(key, value, ttl, metadata)
            .await
            .map_err(|e| kv_error("put", key, e))
    }

    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        self.count();
        self.kv
            .delete(key)
            .await
            .map_err(|e| kv_error("delete", key, e))
    }

    /// Several values as text, in bulk reads of up to 100 keys each (KV
    /// counts a bulk read once), kept by KV's location cache for
    /// `cache_ttl` seconds when given (its default, 60, otherwise); missing
    /// keys are absent from the answer.
    pub async fn texts(
        &self,
        keys: &[String],
        cache_ttl: Option<u32>,
    ) -> Result<std::collections::HashMap<String, String>, AppError> {
        #[cfg(feature = "diagnostics")]
        if let Some(m) = &self.memo {
            if keys.iter().all(|k| m.values.borrow().contains_key(k)) {
                let values = m.values.borrow();
                return Ok(keys
                    .iter()
                    .filter_map(|k| {
                        let v = values.get(k)?.as_ref()?;
                        Some((k.clone(), String::from_utf8_lossy(v).into_owned()))
                    })
                    .collect());
            }
        }
        let mut values = std::collections::HashMap::new();
        for chunk in keys.chunks(100) {
            self.count();
            self.keys_read
                .set(self.keys_read.get() + chunk.len() as u32);
            let got = self
                .kv
                .get_many(chunk, cache_ttl)
                .await
                .map_err(|e| kv_error("get", &chunk[0], e))?;
            values.extend(got);
        }
        #[cfg(feature = "diagnostics")]
        if let Some(m) = &self.memo {
            let mut memo = m.values.borrow_mut();
            for k in keys {
                memo.insert(k.clone(), values.get(k).map(|v| v.clone().into_bytes()));
            }
        }
        Ok(values)
    }

    /// Remembers a key whose value could not be read (logged once).
    pub fn note_broken(&self, key: &str) {
        self.broken.borrow_mut().push(key.to_string());
    }
}

/// A KV failure for the log, naming the key's kind only (the first two
/// parts): the third part of an `inq:` key is derived from what a visitor
/// wrote.
fn kv_error(op: &str, key: &str, e: PortError) -> AppError {
    let kind = key.splitn(3, ':').take(2).collect::<Vec<_>>().join(":");
    AppError::Internal(format!("kv {op} {kind}: {e}"))
}

/// A stored JSON value; one that does not parse is a broken record, named
/// by its key.
fn parse_json<T: serde::de::DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| AppError::BrokenRecord {
        key: key.to_string(),
        reason: e.to_string(),
    })
}
