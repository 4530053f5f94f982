//! What the isolate keeps under the site's version: a value read is kept
//! for the TTL, then while `site:version` is the one it was read under
//! (one read of the version per TTL for everything an isolate holds);
//! the reads ahead of a page (`prefetch`) skip what is kept.

use super::Store;
use crate::app::cache::{Cached, Lookup};
use crate::app::error::AppError;
use crate::app::ports::Kv;

impl<K: Kv> Store<'_, K> {
    /// Reads in one bulk call those of `keys` this request will read
    /// and the isolate does not hold (fresh, or past its TTL under the
    /// site's current version), so that the reads that follow
    /// cost no call of their own (a month's archive: the months and the
    /// listing's index at once).
    pub async fn prefetch(&self, keys: &[String], now: i64) -> Result<(), AppError> {
        let mut wanted: Vec<String> = Vec::new();
        for k in keys {
            // Held (and, past its TTL, renewed under the same version).
            if self.kept(k, now * 1000).await?.is_none() {
                wanted.push(k.clone());
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let mut found = self.texts(&wanted, None).await?;
        let mut prefetched = self.prefetched.borrow_mut();
        for k in wanted {
            let v = found.remove(&k).map(String::into_bytes);
            prefetched.push((k, v));
        }
        Ok(())
    }

    /// `prefetch` of `keys` and, for a page in a language besides English,
    /// the category and tag names (`names_in`) in the same bulk read.
    pub async fn prefetch_in(
        &self,
        lang: crate::i18n::Lang,
        mut keys: Vec<String>,
        now: i64,
    ) -> Result<(), AppError> {
        if lang != crate::i18n::Lang::En {
            keys.push(crate::i18n::names::KEY.to_string());
        }
        self.prefetch(&keys, now).await
    }

    /// Several values as text, each from the isolate while it holds it
    /// (for the TTL, then while the site's version is the one it was read
    /// under), the rest in bulk reads, then kept the same way: what every
    /// query of a word reads (its postings, the meta, a prefix block) and
    /// the search documents. Missing keys are absent from the answer.
    pub async fn kept_texts(
        &self,
        keys: &[String],
        now_ms: i64,
    ) -> Result<std::collections::HashMap<String, String>, AppError> {
        let mut out = std::collections::HashMap::new();
        let mut missing = Vec::new();
        for k in keys {
            match self.kept(k, now_ms).await? {
                Some(Cached::Text(t)) => {
                    out.insert(k.clone(), t.to_string());
                }
                _ => missing.push(k.clone()),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let read = self.texts(&missing, None).await?;
        // A copy each way (the map's `String`s and the cache's `Rc<str>`):
        // a map of `Rc<str>` for the query cost 0.82 KiB gzip more
        // (bench/findings.md), and the copies are a small share of a query.
        for (k, v) in &read {
            self.keep(k, Cached::Text(v.as_str().into()), v.len(), now_ms);
        }
        out.extend(read);
        Ok(out)
    }

    /// One value as text (empty when missing), from the isolate while it
    /// holds it (for the TTL, then while the site's version is the one it
    /// was read under), else read and kept the same way: a listing's
    /// index, the names, the topics, the contacts.
    pub async fn kept_text(&self, key: &str, now_ms: i64) -> Result<std::rc::Rc<str>, AppError> {
        if let Some(Cached::Text(t)) = self.kept(key, now_ms).await? {
            return Ok(t);
        }
        let text: std::rc::Rc<str> = self.get_text(key).await?.unwrap_or_default().into();
        self.keep(key, Cached::Text(text.clone()), text.len(), now_ms);
        Ok(text)
    }

    /// The site's version (`site:version`), read at most once per TTL by
    /// an isolate; `None` before any publish wrote one.
    async fn site_version(&self, now_ms: i64) -> Result<Option<std::rc::Rc<str>>, AppError> {
        if let Some(v) = self.cache.site_version(now_ms) {
            return Ok(v);
        }
        self.version_reads.set(self.version_reads.get() + 1);
        let v = self
            .get_text(crate::keys::VERSION_KEY)
            .await?
            .map(|t| std::rc::Rc::from(t.trim()));
        self.cache
            .set_site_version(v.clone(), now_ms, now_ms + self.ttl_ms);
        Ok(v)
    }

    /// The isolate's copy of `key` while fresh, or past its TTL while the
    /// site's version is the one it was read under (then kept another
    /// TTL); how long it stays so bounds this request's answer
    /// (`fresh_until`). A copy past its TTL from before the version was
    /// known has the version read, so that what is read again is tagged.
    pub(super) async fn kept(&self, key: &str, now_ms: i64) -> Result<Option<Cached>, AppError> {
        let stale = match self.cache.lookup(key, now_ms) {
            Lookup::Fresh(value, until) => {
                self.fresh(until.unwrap_or(now_ms));
                return Ok(Some(value));
            }
            Lookup::Stale(value, tag) => Some((value, tag)),
            Lookup::Expired => None,
            Lookup::Miss => return Ok(None),
        };
        // One place awaits the version (each await of it costs the bundle
        // a copy of the read).
        let version = self.site_version(now_ms).await?;
        match stale {
            Some((value, tag)) if version.as_deref() == Some(&*tag) => {
                let until = now_ms + self.ttl_ms;
                self.cache.renew(key, until);
                self.fresh(until);
                Ok(Some(value))
            }
            _ => Ok(None),
        }
    }

    /// Keeps what was just read at `now_ms` for the TTL (when caching is
    /// on), tagged with the site's settled version if there is one; the
    /// TTL also bounds this request's answer.
    pub(super) fn keep(&self, key: &str, value: Cached, bytes: usize, now_ms: i64) {
        let until = now_ms + self.ttl_ms;
        self.fresh(until);
        if self.ttl_ms > 0 {
            let version = self.cache.settled_version(now_ms, self.settle_ms);
            self.cache
                .put_tagged(key, value, bytes, Some(until), version);
        }
    }
}
