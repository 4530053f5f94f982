//! The one place that reads and writes Workers KV (binding `ALERTS`), using
//! the key schema of `crate::keys`.

use super::error::AppError;
use crate::content::{AlertRecord, Contact, ListingEntry, ListingMeta};
use crate::keys;
use crate::listing::{ListedKey, ListedPage, PageCollector};
use worker::kv::KvStore;
use worker::Env;

pub struct Store {
    kv: KvStore,
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

impl Store {
    pub fn new(env: &Env) -> Result<Self, AppError> {
        Ok(Store {
            kv: env.kv("ALERTS")?,
        })
    }

    pub fn kv(&self) -> &KvStore {
        &self.kv
    }

    /// An alert record, whether public or not; a broken record is an error
    /// naming its key.
    pub async fn alert(&self, slug: &str) -> Result<Option<AlertRecord>, AppError> {
        let key = keys::alert(slug);
        count();
        let Some(text) = self.kv.get(&key).text().await? else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| AppError::BrokenRecord {
                key,
                reason: e.to_string(),
            })
    }

    /// The public contact list (no addresses).
    pub async fn contacts(&self) -> Result<Vec<Contact>, AppError> {
        count();
        let Some(text) = self.kv.get(keys::CONTACTS_KEY).text().await? else {
            return Ok(Vec::new());
        };
        serde_json::from_str(&text).map_err(|e| AppError::BrokenRecord {
            key: keys::CONTACTS_KEY.into(),
            reason: e.to_string(),
        })
    }

    /// Several alert records in one bulk read (KV's `get` of up to 100
    /// keys), in the order asked; missing or unreadable ones are skipped
    /// (and logged).
    pub async fn alerts(&self, slugs: &[String]) -> Result<Vec<AlertRecord>, AppError> {
        let keys: Vec<String> = slugs.iter().map(|s| keys::alert(s)).collect();
        let mut values = std::collections::HashMap::new();
        for chunk in keys.chunks(100) {
            count();
            values.extend(self.kv.get_bulk(chunk).text().await?);
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
        count();
        Ok(self.kv.get(&keys::alias(path)).text().await?)
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
                .kv
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
