//! The isolate's memory cache: what is costly to compute and the same for
//! every reader, kept between requests of one isolate (one per Worker
//! instance, at each location), bounded in bytes, least recently used out
//! first.
//!
//! - **Listing indexes** (`ls:<listing>`) for `CACHE_TTL_SECONDS`
//!   (default 30 s: half of KV's own propagation delay), then while the
//!   site's version holds (below); a page built from them is kept by the
//!   edge no later than the date of a scheduled alert it skipped, so that
//!   the alert appears on time.
//! - **Listing chunks**, named by their content: never stale, kept until
//!   evicted.
//! - **The months** (`site:months`), alert records as readers see them and
//!   a query's search parts, like the indexes.
//! - **Rendered alert bodies**, by the record's content hash: a new hash is
//!   a new entry, so they are never stale.
//! - **Whole feed bodies**, by their validator (made of the content hashes
//!   of their alerts): never stale either.
//!
//! A hit and a miss give byte-identical answers (tested).
//!
//! **The site's version.** Each publish that changes anything writes
//! `site:version` last (`crate::keys::VERSION_KEY`). What is kept for the
//! TTL is tagged with the version it was read under, once that version has
//! been seen for longer than KV's propagation delay (`KV_SETTLE_SECONDS`,
//! 60 s: by then no location serves a value written before it). When such
//! an entry's TTL has run out and the version is still the same, it is kept
//! for another TTL instead of read again: an isolate then pays one KV read
//! per TTL, the version's, for every listing, record and the months it
//! holds.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The most bytes the cache holds (estimated: keys, values and a fixed
/// overhead per entry). The Worker's memory goal is 16 MiB in all.
pub const DEFAULT_MAX_BYTES: usize = 8 << 20;
/// How long a listing index or the months are kept, by default: KV's own
/// window (a read is cached at a location for 60 s, so a shorter one buys
/// little freshness), and long enough that the free plan's first daily
/// limit is its Worker requests, not KV reads (`docs/capacity.md`).
pub const DEFAULT_TTL_SECONDS: i64 = 60;
/// How long a new site version must have been seen before what is read
/// is tagged with it, by default: KV's propagation delay (its reads are
/// cached at a location for 60 s).
pub const DEFAULT_SETTLE_SECONDS: i64 = 60;
/// An entry larger than this share of the cache is not kept.
const LARGEST_SHARE: usize = 8;
/// What an entry costs besides its key and value (maps, counters).
const OVERHEAD: usize = 96;

/// A cached value.
#[derive(Debug, Clone)]
pub enum Cached {
    Text(Rc<str>),
    /// An alert record as readers see it, parsed.
    Record(Rc<crate::content::AlertRecord>),
    /// The months that have alerts (`site:months`), parsed: at 100,000
    /// alerts over 46 years it is 12 KB, and parsing it on every view cost
    /// the month archive half a millisecond.
    Months(Rc<crate::months::Months>),
}

struct Entry {
    value: Cached,
    bytes: usize,
    /// Unix milliseconds; `None`: until evicted.
    expires: Option<i64>,
    used: u64,
    /// The site's version it was read under, once settled (see above).
    version: Option<Rc<str>>,
}

/// What the cache holds under a key at a time.
pub enum Lookup {
    /// Kept and fresh, until when (`None`: until evicted).
    Fresh(Cached, Option<i64>),
    /// Past its TTL but read under this site version: still good while
    /// the version is.
    Stale(Cached, Rc<str>),
    /// Past its TTL and untagged: dropped, to be read again.
    Expired,
    Miss,
}

/// The last check of the site's version (`site:version`).
struct VersionCheck {
    /// `None`: no publish has written one.
    value: Option<Rc<str>>,
    /// Checked again after this (unix ms).
    until: i64,
    /// When this isolate first read this value (unix ms).
    since: i64,
}

#[derive(Default)]
struct State {
    entries: HashMap<String, Entry>,
    version: Option<VersionCheck>,
    bytes: usize,
    tick: u64,
    hits: u64,
    misses: u64,
}

/// Counters, for tests and the bench.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub entries: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
}

pub struct Cache {
    max_bytes: usize,
    state: RefCell<State>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new(DEFAULT_MAX_BYTES)
    }
}

impl Cache {
    pub fn new(max_bytes: usize) -> Self {
        Cache {
            max_bytes,
            state: RefCell::new(State::default()),
        }
    }

    /// The value under `key` if it has not expired at `now_ms`.
    pub fn get(&self, key: &str, now_ms: i64) -> Option<Cached> {
        self.get_until(key, now_ms).map(|(v, _)| v)
    }

    /// The same, with when it expires.
    pub fn get_until(&self, key: &str, now_ms: i64) -> Option<(Cached, Option<i64>)> {
        match self.lookup(key, now_ms) {
            Lookup::Fresh(v, until) => Some((v, until)),
            Lookup::Stale(..) | Lookup::Expired | Lookup::Miss => None,
        }
    }

    /// What is kept under `key` at `now_ms`: fresh, stale but tagged with
    /// a site version (kept until the caller has checked it: `renew`), or
    /// nothing (an untagged expired entry is dropped).
    pub fn lookup(&self, key: &str, now_ms: i64) -> Lookup {
        let mut s = self.state.borrow_mut();
        let (expired, version) = match s.entries.get(key) {
            None => {
                s.misses += 1;
                return Lookup::Miss;
            }
            Some(e) => (e.expires.is_some_and(|t| t <= now_ms), e.version.clone()),
        };
        if expired {
            s.misses += 1;
            return match version {
                // Counted as a miss until `renew` finds it still good.
                Some(v) => Lookup::Stale(s.entries[key].value.clone(), v),
                None => {
                    s.remove(key);
                    Lookup::Expired
                }
            };
        }
        s.hits += 1;
        s.tick += 1;
        let tick = s.tick;
        let Some(e) = s.entries.get_mut(key) else {
            return Lookup::Miss;
        };
        e.used = tick;
        Lookup::Fresh(e.value.clone(), e.expires)
    }

    /// Keeps a stale entry until `expires`: its version is still the
    /// site's, so its lookup was a hit after all.
    pub fn renew(&self, key: &str, expires: i64) {
        let mut s = self.state.borrow_mut();
        s.tick += 1;
        let tick = s.tick;
        if let Some(e) = s.entries.get_mut(key) {
            e.expires = Some(expires);
            e.used = tick;
            s.misses = s.misses.saturating_sub(1);
            s.hits += 1;
        }
    }

    /// The site's version as last read, while that read is fresh
    /// (`Some(None)`: read, and no publish has written one).
    pub fn site_version(&self, now_ms: i64) -> Option<Option<Rc<str>>> {
        let s = self.state.borrow();
        let check = s.version.as_ref()?;
        (check.until > now_ms).then(|| check.value.clone())
    }

    /// Records a read of the site's version at `now_ms`, fresh until
    /// `until`. Entries tagged with another version are not kept past
    /// their TTL (`lookup` leaves them to the caller, which reads them
    /// again and replaces them).
    pub fn set_site_version(&self, value: Option<Rc<str>>, now_ms: i64, until: i64) {
        let mut s = self.state.borrow_mut();
        let since = match &s.version {
            Some(c) if c.value == value => c.since,
            _ => now_ms,
        };
        s.version = Some(VersionCheck {
            value,
            until,
            since,
        });
    }

    /// The version to tag what is read at `now_ms` with: the last one
    /// read, if it was first seen at least `settle_ms` ago (so that what is
    /// read now holds everything written before it). Its check need not
    /// be fresh: if the site has moved on since, what is read now is newer
    /// than the tag says, and the next check drops it.
    pub fn settled_version(&self, now_ms: i64, settle_ms: i64) -> Option<Rc<str>> {
        let s = self.state.borrow();
        let check = s.version.as_ref()?;
        if check.since + settle_ms > now_ms {
            return None;
        }
        check.value.clone()
    }

    /// Keeps `value` (about `bytes` large) until `expires` (unix ms), the
    /// least recently used entries evicted to make room.
    pub fn put(&self, key: &str, value: Cached, bytes: usize, expires: Option<i64>) {
        self.put_tagged(key, value, bytes, expires, None);
    }

    /// The same, tagged with the site version it was read under (see
    /// `lookup`).
    pub fn put_tagged(
        &self,
        key: &str,
        value: Cached,
        bytes: usize,
        expires: Option<i64>,
        version: Option<Rc<str>>,
    ) {
        let bytes = bytes + key.len() * 2 + OVERHEAD;
        if bytes > self.max_bytes / LARGEST_SHARE {
            return;
        }
        let mut s = self.state.borrow_mut();
        s.remove(key);
        while s.bytes + bytes > self.max_bytes {
            // The least recently used goes (a scan: evictions are rare, and
            // a second map would cost the bundle more than it saves).
            let Some(oldest) = s
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            s.remove(&oldest);
        }
        s.tick += 1;
        let tick = s.tick;
        s.bytes += bytes;
        s.entries.insert(
            key.to_string(),
            Entry {
                value,
                bytes,
                expires,
                used: tick,
                version,
            },
        );
    }

    pub fn stats(&self) -> Stats {
        let s = self.state.borrow();
        Stats {
            entries: s.entries.len(),
            bytes: s.bytes,
            hits: s.hits,
            misses: s.misses,
        }
    }
}

impl State {
    fn remove(&mut self, key: &str) {
        if let Some(e) = self.entries.remove(key) {
            self.bytes -= e.bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cached {
        Cached::Text(Rc::from(s))
    }

    fn get_text(c: &Cache, key: &str, now: i64) -> Option<String> {
        match c.get(key, now)? {
            Cached::Text(t) => Some(t.to_string()),
            _ => None,
        }
    }

    #[test]
    fn entries_expire_at_their_time() {
        let c = Cache::new(1 << 20);
        c.put("a", text("x"), 1, Some(1_000));
        assert_eq!(get_text(&c, "a", 999).as_deref(), Some("x"));
        assert_eq!(get_text(&c, "a", 1_000), None);
        assert_eq!(c.stats().entries, 0, "an expired entry is dropped");
    }

    #[test]
    fn the_bound_holds_and_the_least_recently_used_goes_first() {
        let max = 64 * 1024;
        let c = Cache::new(max);
        let value = "v".repeat(1000);
        for i in 0..10 {
            c.put(&format!("k{i}"), text(&value), value.len(), None);
        }
        assert!(
            get_text(&c, "k0", 0).is_some(),
            "k0 used again: now the newest"
        );
        for i in 10..200 {
            c.put(&format!("k{i}"), text(&value), value.len(), None);
            assert!(c.stats().bytes <= max, "{:?}", c.stats());
        }
        assert!(get_text(&c, "k1", 0).is_none(), "evicted");
        assert!(get_text(&c, "k199", 0).is_some());
        let s = c.stats();
        assert!(s.entries < 200 && s.bytes <= max, "{s:?}");
    }

    #[test]
    fn an_entry_too_large_for_its_share_is_not_kept() {
        let c = Cache::new(8_000);
        c.put("big", text("x"), 2_000, None);
        assert!(get_text(&c, "big", 0).is_none());
        assert_eq!(c.stats().bytes, 0);
    }

    #[test]
    fn a_tagged_entry_outlives_its_ttl_until_the_version_changes() {
        let c = Cache::new(1 << 20);
        c.set_site_version(Some(Rc::from("v1")), 0, 30_000);
        assert_eq!(c.settled_version(59_999, 60_000), None, "not settled yet");
        c.set_site_version(Some(Rc::from("v1")), 60_000, 90_000);
        let v1 = c.settled_version(60_000, 60_000);
        assert_eq!(v1.as_deref(), Some("v1"), "seen since 0");
        c.put_tagged("a", text("x"), 1, Some(90_000), v1);
        c.put("b", text("y"), 1, Some(90_000));
        assert!(matches!(c.lookup("a", 89_999), Lookup::Fresh(..)));
        assert!(matches!(c.lookup("a", 90_000), Lookup::Stale(_, ref v) if &**v == "v1"));
        assert!(matches!(c.lookup("b", 90_000), Lookup::Expired), "untagged");
        assert!(matches!(c.lookup("b", 90_000), Lookup::Miss), "and dropped");
        let before = c.stats();
        c.renew("a", 120_000);
        let after = c.stats();
        assert_eq!(
            (after.hits, after.misses),
            (before.hits + 1, before.misses - 1),
            "a renewed entry counts as a hit"
        );
        assert_eq!(get_text(&c, "a", 119_999).as_deref(), Some("x"));
        // A new version starts its own settling time; what the old one
        // tagged is stale with the old tag, which the caller compares.
        c.set_site_version(Some(Rc::from("v2")), 121_000, 151_000);
        assert!(matches!(c.lookup("a", 121_000), Lookup::Stale(_, ref v) if &**v == "v1"));
        assert_eq!(c.settled_version(121_000, 60_000), None);
        assert_eq!(c.site_version(150_999), Some(Some(Rc::from("v2"))));
        assert_eq!(c.site_version(151_000), None, "to be read again");
    }

    #[test]
    fn replacing_a_key_keeps_the_count_right() {
        let c = Cache::new(1 << 20);
        c.put("a", text("1"), 10, None);
        let once = c.stats().bytes;
        c.put("a", text("2"), 10, None);
        assert_eq!(c.stats().bytes, once);
        assert_eq!(get_text(&c, "a", 0).as_deref(), Some("2"));
    }
}
