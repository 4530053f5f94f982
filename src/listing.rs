//! Filling a listing page from KV `list()` pages, independent of KV itself.
//!
//! KV lists keys in lexicographic order, at most 1,000 per call, with an
//! opaque cursor; a call can return fewer keys than asked (even none) while
//! more remain. Index keys sort newest first (see `keys`), so scheduled
//! (future) alerts come first and are skipped. Each call asks for exactly the
//! number of entries still missing, so the cursor after the last call points
//! just past the last entry shown: the "Older alerts" link starts there.

use crate::content::{ListingEntry, ListingMeta};

/// A second criterion on listing entries (besides the key prefix).
pub type EntryFilter = Box<dyn Fn(&ListingMeta) -> bool>;

/// At most this many `list()` calls fill one page (bounds the subrequests
/// of a request when many scheduled alerts sit at the front).
pub const MAX_CALLS: usize = 20;
/// KV's per-call ceiling.
pub const KV_LIST_MAX: usize = 1000;

/// One key of a `list()` answer.
#[derive(Debug, Clone)]
pub struct ListedKey {
    pub name: String,
    pub metadata: Option<ListingMeta>,
}

/// One `list()` answer.
#[derive(Debug, Clone, Default)]
pub struct ListedPage {
    pub keys: Vec<ListedKey>,
    pub cursor: Option<String>,
    pub complete: bool,
}

/// The next `list()` call to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCall {
    pub cursor: Option<String>,
    pub limit: usize,
}

/// Collects one listing page of public entries.
pub struct PageCollector {
    want: usize,
    now: i64,
    cursor: Option<String>,
    complete: bool,
    calls: usize,
    /// Entries collected so far, newest first.
    pub entries: Vec<ListingEntry>,
    /// Keys whose metadata was missing or unreadable (logged by the caller).
    pub broken: Vec<String>,
    filter: Option<EntryFilter>,
}

impl PageCollector {
    /// A page of `want` entries dated at or before `now` (unix seconds),
    /// starting at `cursor`.
    pub fn new(want: usize, now: i64, cursor: Option<String>) -> Self {
        PageCollector {
            want: want.max(1),
            now,
            cursor,
            complete: false,
            calls: 0,
            entries: Vec::new(),
            broken: Vec::new(),
            filter: None,
        }
    }

    /// Keeps only entries the filter accepts (a second criterion on top of
    /// the prefix). A page may then come back short, with a next cursor,
    /// when `MAX_CALLS` calls found too few matches.
    pub fn with_filter(mut self, filter: EntryFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// The next call to make, or `None` when the page is full or the list ended.
    pub fn next_call(&self) -> Option<ListCall> {
        if self.complete || self.entries.len() >= self.want || self.calls >= MAX_CALLS {
            return None;
        }
        Some(ListCall {
            cursor: self.cursor.clone(),
            limit: (self.want - self.entries.len()).min(KV_LIST_MAX),
        })
    }

    /// Takes one `list()` answer.
    pub fn feed(&mut self, page: ListedPage) {
        self.calls += 1;
        for key in page.keys {
            let Some(slug) = crate::keys::slug_of_index_key(&key.name) else {
                self.broken.push(key.name);
                continue;
            };
            match key.metadata {
                Some(meta) if meta.date > self.now => {} // scheduled: not yet
                Some(meta) if self.filter.as_ref().is_some_and(|f| !f(&meta)) => {}
                Some(meta) => self.entries.push(ListingEntry {
                    slug: slug.to_string(),
                    meta,
                }),
                None => self.broken.push(key.name),
            }
        }
        self.complete = page.complete || page.cursor.is_none();
        self.cursor = page.cursor;
    }

    /// The cursor for the next (older) page, if any remain.
    pub fn next_cursor(&self) -> Option<&str> {
        if self.complete {
            None
        } else {
            self.cursor.as_deref()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(slug: &str, date: i64) -> ListedKey {
        ListedKey {
            name: format!("idx:all:{:011}:{slug}", 99_999_999_999 - date),
            metadata: Some(ListingMeta {
                title: slug.into(),
                date,
                hash: String::new(),
                updated: None,
                category: None,
                tags: vec![],
                summary: String::new(),
            }),
        }
    }

    /// A scripted source: answers pages of keys, with empty pages in between.
    fn drive(c: &mut PageCollector, script: &mut Vec<ListedPage>) -> Vec<ListCall> {
        let mut calls = vec![];
        while let Some(call) = c.next_call() {
            calls.push(call);
            c.feed(script.remove(0));
        }
        calls
    }

    #[test]
    fn keeps_reading_past_empty_pages() {
        let mut c = PageCollector::new(2, 100, None);
        let mut script = vec![
            ListedPage {
                keys: vec![],
                cursor: Some("c1".into()),
                complete: false,
            },
            ListedPage {
                keys: vec![key("a", 50)],
                cursor: Some("c2".into()),
                complete: false,
            },
            ListedPage {
                keys: vec![],
                cursor: Some("c3".into()),
                complete: false,
            },
            ListedPage {
                keys: vec![key("b", 40)],
                cursor: Some("c4".into()),
                complete: false,
            },
        ];
        let calls = drive(&mut c, &mut script);
        assert_eq!(calls.len(), 4);
        assert_eq!(
            calls[1],
            ListCall {
                cursor: Some("c1".into()),
                limit: 2
            }
        );
        assert_eq!(calls[3].limit, 1, "asks only for what is missing");
        assert_eq!(
            c.entries
                .iter()
                .map(|e| e.slug.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(c.next_cursor(), Some("c4"));
    }

    #[test]
    fn skips_scheduled_entries_without_shrinking_the_page() {
        let mut c = PageCollector::new(2, 100, None);
        let mut script = vec![
            ListedPage {
                keys: vec![key("future", 200), key("a", 90)],
                cursor: Some("c1".into()),
                complete: false,
            },
            ListedPage {
                keys: vec![key("b", 80)],
                cursor: Some("c2".into()),
                complete: false,
            },
        ];
        drive(&mut c, &mut script);
        assert_eq!(c.entries.len(), 2);
        assert_eq!(c.entries[1].slug, "b");
    }

    #[test]
    fn stops_at_the_end_of_the_list() {
        let mut c = PageCollector::new(10, 100, Some("start".into()));
        let mut script = vec![ListedPage {
            keys: vec![key("a", 1)],
            cursor: None,
            complete: true,
        }];
        let calls = drive(&mut c, &mut script);
        assert_eq!(calls[0].cursor.as_deref(), Some("start"));
        assert_eq!(c.next_cursor(), None);
    }

    #[test]
    fn records_keys_without_metadata() {
        let mut c = PageCollector::new(1, 100, None);
        let mut k = key("a", 1);
        k.metadata = None;
        c.feed(ListedPage {
            keys: vec![k],
            cursor: None,
            complete: true,
        });
        assert_eq!(c.broken.len(), 1);
        assert!(c.entries.is_empty());
    }

    #[test]
    fn filters_on_a_second_criterion() {
        let mut c = PageCollector::new(2, 100, None).with_filter(Box::new(|m| m.title != "b"));
        let mut script = vec![
            ListedPage {
                keys: vec![key("a", 90), key("b", 80)],
                cursor: Some("c1".into()),
                complete: false,
            },
            ListedPage {
                keys: vec![key("c", 70)],
                cursor: None,
                complete: true,
            },
        ];
        drive(&mut c, &mut script);
        assert_eq!(
            c.entries
                .iter()
                .map(|e| e.slug.as_str())
                .collect::<Vec<_>>(),
            ["a", "c"]
        );
    }

    #[test]
    fn bounds_the_number_of_calls() {
        let mut c = PageCollector::new(1, 100, None);
        let mut n = 0;
        while c.next_call().is_some() {
            n += 1;
            c.feed(ListedPage {
                keys: vec![],
                cursor: Some("x".into()),
                complete: false,
            });
        }
        assert_eq!(n, MAX_CALLS);
    }
}
