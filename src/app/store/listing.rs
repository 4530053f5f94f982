//! Listing pages over KV's `list()`: each call counted (a visitor's cursor
//! that KV refuses is a 400), its answers kept in the isolate's cache while
//! fresh (never past a scheduled alert's date), and filled into pages of
//! entries by `crate::listing::PageCollector`.

use super::{kv_error, Store};
use crate::app::cache::Cached;
use crate::app::error::AppError;
use crate::app::ports::{Kv, KvList};
use crate::content::{ListingEntry, ListingMeta};
use crate::listing::{EntryFilter, ListedKey, ListedPage, PageCollector};
use std::rc::Rc;

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

impl<K: Kv> Store<'_, K> {
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
        let bytes = crate::app::cache::page_bytes(&page);
        self.keep(&key, Cached::Page(page.clone()), bytes, until);
        Ok(page)
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
