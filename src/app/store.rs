//! Typed reads and writes of Workers KV over the `Kv` port, with the key
//! schema of `crate::keys`. Every KV call of a request goes through one
//! `Store`, which counts them (`make bench` reports the count per page).

use super::cache::{Cache, Cached};
use super::error::AppError;
use super::ports::{Kv, KvList, PortError};
use crate::content::{AlertRecord, Contact, ListingEntry, ListingMeta};
use crate::keys;
use crate::listing::{EntryFilter, ListedKey, ListedPage, PageCollector};
use std::cell::Cell;
use std::rc::Rc;

pub struct Store<'a, K: Kv> {
    kv: &'a K,
    /// The isolate's cache, for list pages and the months.
    cache: &'a Cache,
    /// How long they are kept (ms); 0: not at all.
    ttl_ms: i64,
    /// The earliest time (unix ms) a list page or the months this request
    /// used stop being fresh: how long the edge may keep the answer.
    fresh_until: Cell<Option<i64>>,
    ops: Cell<u32>,
    /// Of which `list()` calls (the costliest and most limited).
    lists: Cell<u32>,
    /// The bench's own-work route: KV read once, then from memory.
    #[cfg(feature = "diagnostics")]
    pub memo: Option<std::rc::Rc<Memo>>,
    /// Keys whose record or metadata could not be read, for the log.
    broken: std::cell::RefCell<Vec<String>>,
}

/// KV values and list answers kept by the bench's own-work route, so that
/// only the first of its answers reads KV.
#[cfg(feature = "diagnostics")]
#[derive(Default)]
pub struct Memo {
    values: std::cell::RefCell<std::collections::HashMap<String, Option<Vec<u8>>>>,
    lists: std::cell::RefCell<std::collections::HashMap<String, KvList>>,
}

/// One listing page: its entries and the cursor of the next (older) page.
#[derive(Debug, Default)]
pub struct Page {
    pub entries: Vec<ListingEntry>,
    pub next: Option<String>,
}

/// Where a listing starts.
pub enum Cursor<'c> {
    First,
    /// A cursor from a visitor's URL: one KV refuses is a 400.
    Visitor(&'c str),
    /// A cursor from an earlier page of this request.
    Continue(String),
}

impl Cursor<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Cursor::First => None,
            Cursor::Visitor(c) => Some(c),
            Cursor::Continue(c) => Some(c),
        }
    }
}

impl<'a, K: Kv> Store<'a, K> {
    pub fn new(kv: &'a K, cache: &'a Cache, ttl_ms: i64) -> Self {
        Store {
            kv,
            cache,
            ttl_ms,
            fresh_until: Cell::new(None),
            ops: Cell::new(0),
            lists: Cell::new(0),
            #[cfg(feature = "diagnostics")]
            memo: None,
            broken: Default::default(),
        }
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

    /// Keys found unreadable so far (taken: each is logged once).
    pub fn take_broken(&self) -> Vec<String> {
        std::mem::take(&mut self.broken.borrow_mut())
    }

    fn count(&self) {
        self.ops.set(self.ops.get() + 1);
    }

    /// One value as bytes, `None` when the key does not exist.
    pub async fn get_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        #[cfg(feature = "diagnostics")]
        if let Some(v) = self
            .memo
            .as_ref()
            .and_then(|m| m.values.borrow().get(key).cloned())
        {
            return Ok(v);
        }
        self.count();
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

    /// An alert record, whether public or not; a broken record is an error
    /// naming its key.
    pub async fn alert(&self, slug: &str) -> Result<Option<AlertRecord>, AppError> {
        self.get_json(&keys::alert(slug)).await
    }

    /// An alert record for readers, shared with the isolate's cache (no
    /// copy per view), kept parsed there for
    /// the TTL like a list page (an edit shows within it, inside KV's own
    /// propagation delay); whether it is public is still decided per
    /// request from its date. Previews and mail read `alert`, uncached.
    pub async fn alert_kept(
        &self,
        slug: &str,
        now_ms: i64,
    ) -> Result<Option<Rc<AlertRecord>>, AppError> {
        let key = keys::alert(slug);
        if let Some((Cached::Record(r), _)) = self.cache.get_until(&key, now_ms) {
            return Ok(Some(r));
        }
        let Some(bytes) = self.get_bytes(&key).await? else {
            return Ok(None);
        };
        let record: Rc<AlertRecord> = Rc::new(parse_json(&key, &bytes)?);
        if self.ttl_ms > 0 {
            // Parsed, it takes about what it took as JSON.
            let value = Cached::Record(record.clone());
            self.cache
                .put(&key, value, bytes.len(), Some(now_ms + self.ttl_ms));
        }
        Ok(Some(record))
    }

    /// The public contact list (no addresses).
    pub async fn contacts(&self) -> Result<Vec<Contact>, AppError> {
        Ok(self.get_json(keys::CONTACTS_KEY).await?.unwrap_or_default())
    }

    /// Several alert records in bulk reads (up to 100 keys each), in the
    /// order asked; missing ones are skipped, unreadable ones skipped and
    /// remembered (`take_broken`).
    pub async fn alerts(&self, slugs: &[String]) -> Result<Vec<AlertRecord>, AppError> {
        let keys: Vec<String> = slugs.iter().map(|s| keys::alert(s)).collect();
        let mut values = self.texts(&keys).await?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            match values
                .remove(&key)
                .map(|t| serde_json::from_str::<AlertRecord>(&t))
            {
                Some(Ok(record)) => out.push(record),
                Some(Err(_)) => self.broken.borrow_mut().push(key),
                None => {}
            }
        }
        Ok(out)
    }

    /// Several values as text, in bulk reads of up to 100 keys each (KV
    /// counts a bulk read once); missing keys are absent from the answer.
    pub async fn texts(
        &self,
        keys: &[String],
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
            let got = self
                .kv
                .get_many(chunk)
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

    /// The months that have alerts (`site:months`; none before the first
    /// publish), kept in the isolate's cache for the TTL.
    pub async fn months(&self, now: i64) -> Result<Rc<crate::months::Months>, AppError> {
        let now_ms = now * 1000;
        let key = crate::months::KEY;
        let months = match self.kept(key, now_ms) {
            Some(Cached::Months(m)) => m,
            _ => {
                let text = self.get_text(key).await?.unwrap_or_default();
                let m = Rc::new(crate::months::Months::parse(&text));
                // The parsed months take about what their text does.
                self.keep(
                    key,
                    Cached::Months(m.clone()),
                    text.len(),
                    now_ms + self.ttl_ms,
                );
                m
            }
        };
        // A month of scheduled alerts appears at its first date.
        if let Some(first) = months.next_first(now) {
            self.fresh(first * 1000);
        }
        Ok(months)
    }

    /// Where an old path redirects, if it is an alias.
    pub async fn alias(&self, path: &str) -> Result<Option<String>, AppError> {
        self.get_text(&keys::alias(path)).await
    }

    /// One `list()` call, counted; a cursor a visitor gave that KV refuses
    /// is a 400, any other failure an internal error.
    async fn list(
        &self,
        prefix: &str,
        limit: usize,
        cursor: Option<&str>,
        from_visitor: bool,
    ) -> Result<KvList, AppError> {
        #[cfg(feature = "diagnostics")]
        let memo_key = format!("{prefix}\u{0}{limit}\u{0}{}", cursor.unwrap_or(""));
        #[cfg(feature = "diagnostics")]
        if let Some(l) = self
            .memo
            .as_ref()
            .and_then(|m| m.lists.borrow().get(&memo_key).cloned())
        {
            return Ok(l);
        }
        self.count();
        self.lists.set(self.lists.get() + 1);
        let list = self.kv.list(prefix, limit, cursor).await.map_err(|e| {
            if from_visitor {
                AppError::BadRequest("The cursor is not valid.".into())
            } else {
                kv_error("list", prefix, e)
            }
        })?;
        #[cfg(feature = "diagnostics")]
        if let Some(m) = &self.memo {
            m.lists.borrow_mut().insert(memo_key, list.clone());
        }
        Ok(list)
    }

    /// One listing page of `prefix`: `want` entries dated at or before
    /// `now`, from `cursor`, that pass `filter`.
    pub async fn page(
        &self,
        prefix: &str,
        want: usize,
        now: i64,
        cursor: Cursor<'_>,
        filter: Option<EntryFilter>,
    ) -> Result<Page, AppError> {
        let from_visitor = matches!(cursor, Cursor::Visitor(_));
        let mut collector = PageCollector::new(want, now, cursor.as_str().map(str::to_string));
        if let Some(f) = filter {
            collector = collector.with_filter(f);
        }
        while let Some(call) = collector.next_call() {
            let listed = self
                .listed(
                    prefix,
                    call.limit,
                    call.cursor.as_deref(),
                    from_visitor,
                    now,
                )
                .await?;
            collector.feed((*listed).clone());
        }
        self.broken
            .borrow_mut()
            .extend(std::mem::take(&mut collector.broken));
        // A page that found nothing before giving up (scheduled alerts
        // crowding the front) hands out no cursor: it would point into them.
        let next = collector
            .next_cursor()
            .filter(|_| !collector.entries.is_empty())
            .map(str::to_string);
        Ok(Page {
            entries: collector.entries,
            next,
        })
    }

    /// One `list()` of a listing index, its metadata parsed, from the
    /// isolate's cache while fresh: until the TTL, and never past the date
    /// of a scheduled alert it holds.
    async fn listed(
        &self,
        prefix: &str,
        limit: usize,
        cursor: Option<&str>,
        from_visitor: bool,
        now: i64,
    ) -> Result<Rc<ListedPage>, AppError> {
        let now_ms = now * 1000;
        let key = format!("list\u{0}{prefix}\u{0}{limit}\u{0}{}", cursor.unwrap_or(""));
        if let Some(Cached::Page(page)) = self.kept(&key, now_ms) {
            return Ok(page);
        }
        let answer = self.list(prefix, limit, cursor, from_visitor).await?;
        let page = Rc::new(ListedPage {
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
            complete: answer.complete,
        });
        let scheduled = page
            .keys
            .iter()
            .filter_map(|k| k.metadata.as_ref())
            .map(|m| m.date)
            .filter(|d| *d > now)
            .min();
        let until = (now_ms + self.ttl_ms).min(scheduled.map_or(i64::MAX, |d| d * 1000));
        let bytes = super::cache::page_bytes(&page);
        self.keep(&key, Cached::Page(page.clone()), bytes, until);
        Ok(page)
    }

    /// The isolate's copy of `key` while fresh; how long it stays so
    /// bounds this request's answer (`fresh_until`).
    fn kept(&self, key: &str, now_ms: i64) -> Option<Cached> {
        let (value, until) = self.cache.get_until(key, now_ms)?;
        self.fresh(until.unwrap_or(now_ms));
        Some(value)
    }

    /// Keeps what was just read until `until` (when caching is on), which
    /// also bounds this request's answer.
    fn keep(&self, key: &str, value: Cached, bytes: usize, until: i64) {
        self.fresh(until);
        if self.ttl_ms > 0 {
            self.cache.put(key, value, bytes, Some(until));
        }
    }

    /// One raw `list()` page of keys with their metadata (the operator's
    /// listing).
    pub async fn keys(
        &self,
        prefix: &str,
        limit: usize,
        cursor: &Cursor<'_>,
    ) -> Result<KvList, AppError> {
        let from_visitor = matches!(cursor, Cursor::Visitor(_));
        self.list(prefix, limit, cursor.as_str(), from_visitor)
            .await
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
