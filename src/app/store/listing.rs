//! Listing pages from KV reads (`crate::listing`): the listing's index (one
//! `get`, kept in the isolate until the TTL), then the chunks a page needs
//! in one bulk read (named by their content: read with a long `cacheTtl`
//! and kept in the isolate until evicted), filled into a page by
//! `crate::listing::Collector`. No `list()`: KV's scarcest operation.

use super::{kv_error, Store};
use crate::app::cache::Cached;
use crate::app::error::AppError;
use crate::app::ports::{Kv, KvList};
use crate::content::ListingEntry;
use crate::listing::{self, ChunkRef, Collector, EntryFilter, Listing, Position};
use std::rc::Rc;

/// How long KV's location caches keep a chunk (seconds): it never changes.
const CHUNK_CACHE_TTL: u32 = 30 * 24 * 3600;

/// One listing page: its entries and the cursor of the next (older) page.
#[derive(Debug, Default)]
pub struct Page {
    pub entries: Vec<ListingEntry>,
    pub next: Option<String>,
}

/// Where a KV `list()` starts (the operator's listings only).
pub enum Cursor<'c> {
    First,
    /// A cursor from a visitor's URL: one KV refuses is a 400.
    Visitor(&'c str),
}

impl Cursor<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Cursor::First => None,
            Cursor::Visitor(c) => Some(c),
        }
    }
}

/// Which page of which listing.
pub struct PageOf {
    pub listing: Listing,
    /// Only this month's chunk (`yyyy-mm`): a month's archive.
    pub month: Option<String>,
    /// That chunk's hash, when known without the index (`site:months`
    /// names the `all` listing's): the index is then not read.
    pub chunk: Option<String>,
    pub want: usize,
    pub after: Option<Position>,
    pub filter: Option<EntryFilter>,
}

impl PageOf {
    /// The first `want` entries of `listing`.
    pub fn new(listing: Listing, want: usize) -> Self {
        PageOf {
            listing,
            month: None,
            chunk: None,
            want,
            after: None,
            filter: None,
        }
    }

    pub fn after(mut self, after: Option<Position>) -> Self {
        self.after = after;
        self
    }

    pub fn month(mut self, month: String) -> Self {
        self.month = Some(month);
        self
    }

    pub fn chunk(mut self, hash: Option<String>) -> Self {
        self.chunk = hash;
        self
    }

    pub fn filter(mut self, filter: Option<EntryFilter>) -> Self {
        self.filter = filter;
        self
    }
}

impl<K: Kv> Store<'_, K> {
    /// One listing page: entries dated at or before `now`.
    pub async fn page(&self, of: PageOf, now: i64) -> Result<Page, AppError> {
        let index_key = of.listing.index_key();
        let index = match &of.chunk {
            Some(_) => Rc::from(""),
            None => self.kept_text(&index_key, now * 1000).await?,
        };
        let refs: Vec<_> = match (&of.month, &of.chunk) {
            // The only chunk (its count is not needed).
            (Some(month), Some(hash)) => vec![ChunkRef {
                month,
                entries: 0,
                hash,
            }],
            _ => listing::index_lines(&index)
                .filter(|r| of.month.as_deref().is_none_or(|m| r.month == m))
                .collect(),
        };
        // The first chunk that may hold an entry after the cursor.
        let mut i = match &of.after {
            None => 0,
            Some(p) => {
                let month = listing::month_of(p.date);
                refs.iter()
                    .position(|r| r.month <= month.as_str())
                    .unwrap_or(refs.len())
            }
        };
        let mut collector = Collector::new(of.want, now, of.after);
        if let Some(f) = of.filter {
            collector = collector.with_filter(f);
        }
        // The index's head: a page it fills needs no chunk.
        if let Some(head) = listing::index_head(&index).filter(|_| of.month.is_none()) {
            collector.feed(&index_key, head.text, head.whole);
            if collector.is_full() || head.whole {
                return Ok(self.finish(collector, !head.whole));
            }
            collector = collector.restart();
        }
        let mut rounds = 0;
        while !collector.is_full() && i < refs.len() && rounds < listing::MAX_ROUNDS {
            rounds += 1;
            // Enough chunks for what is missing, by their counts (which
            // include scheduled entries: a second round reads on).
            let start = i;
            let mut counted = 0;
            while i < refs.len()
                && i - start < listing::BULK_MAX
                && (i == start || counted < collector.missing())
            {
                counted += refs[i].entries;
                i += 1;
            }
            let keys: Vec<String> = refs[start..i]
                .iter()
                .map(|r| of.listing.chunk_key(r.month, r.hash))
                .collect();
            let texts = self.chunks(&keys, now).await?;
            for (n, (key, text)) in keys.iter().zip(texts).enumerate() {
                match text {
                    Some(text) => collector.feed(key, &text, start + n + 1 == refs.len()),
                    // Named by an index, not (yet or any more) readable.
                    None => collector.broken.push(key.clone()),
                }
                if collector.is_full() {
                    break;
                }
            }
        }
        Ok(self.finish(collector, i < refs.len()))
    }

    /// The page `collector` filled (`unfinished`: entries remain unread);
    /// its answer is fresh until the first scheduled entry it saw.
    fn finish(&self, mut collector: Collector, unfinished: bool) -> Page {
        if let Some(date) = collector.scheduled {
            self.fresh(date * 1000);
        }
        self.broken
            .borrow_mut()
            .extend(std::mem::take(&mut collector.broken));
        let next = collector.next_cursor(unfinished);
        Page {
            entries: collector.entries,
            next,
        }
    }

    /// Chunks by key, in the order of `keys` (`None`: not readable),
    /// from the isolate or in one bulk read. They never change: kept until
    /// evicted, and no bound on the answer's freshness.
    async fn chunks(&self, keys: &[String], now: i64) -> Result<Vec<Option<Rc<str>>>, AppError> {
        let mut out: Vec<Option<Rc<str>>> = keys
            .iter()
            .map(|k| match self.cache.get_until(k, now * 1000) {
                Some((Cached::Text(t), _)) => Some(t),
                _ => None,
            })
            .collect();
        let missing: Vec<String> = keys
            .iter()
            .zip(&out)
            .filter(|(_, t)| t.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        if missing.is_empty() {
            return Ok(out);
        }
        let mut read = self.texts(&missing, Some(CHUNK_CACHE_TTL)).await?;
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            if let Some(text) = read.remove(key) {
                let text: Rc<str> = text.into();
                if self.ttl_ms > 0 {
                    self.cache
                        .put(key, Cached::Text(text.clone()), text.len(), None);
                }
                *slot = Some(text);
            }
        }
        Ok(out)
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

    /// One raw `list()` page of keys with their metadata (the operator's
    /// listings: never a reader's).
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
