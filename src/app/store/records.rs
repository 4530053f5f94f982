//! Typed reads of what the publisher wrote: alert records (one, one kept
//! parsed in the isolate's cache, or many in bulk reads), the contacts, the
//! months that have alerts, the topics, and aliases.

use super::{parse_json, Store};
use crate::app::cache::Cached;
use crate::app::error::AppError;
use crate::app::ports::Kv;
use crate::content::{AlertRecord, Contact};
use crate::keys;
use crate::search::doc::SearchDoc;
use std::rc::Rc;

impl<K: Kv> Store<'_, K> {
    /// An alert record, whether public or not; a broken record is an error
    /// naming its key.
    pub async fn alert(&self, slug: &str) -> Result<Option<AlertRecord>, AppError> {
        self.get_json(&keys::alert(slug)).await
    }

    /// An alert record for readers, shared with the isolate's cache (no
    /// copy per view), kept parsed there for
    /// the TTL like a listing index, and past it while the site's version
    /// is unchanged (an edit shows within the TTL of its publish, inside
    /// KV's own propagation delay); whether it is public is still decided
    /// per request from its date. Previews and mail read `alert`, uncached.
    pub async fn alert_kept(
        &self,
        slug: &str,
        now_ms: i64,
    ) -> Result<Option<Rc<AlertRecord>>, AppError> {
        let key = keys::alert(slug);
        if let Some(Cached::Record(r)) = self.kept(&key, now_ms).await? {
            return Ok(Some(r));
        }
        let Some(bytes) = self.get_bytes(&key).await? else {
            return Ok(None);
        };
        let record: Rc<AlertRecord> = Rc::new(parse_json(&key, &bytes)?);
        // Parsed, it takes about what it took as JSON.
        self.keep(&key, Cached::Record(record.clone()), bytes.len(), now_ms);
        Ok(Some(record))
    }

    /// The public contact list (no addresses), read from KV (`/healthz`
    /// asks KV itself).
    pub async fn contacts(&self) -> Result<Vec<Contact>, AppError> {
        Ok(self.get_json(keys::CONTACTS_KEY).await?.unwrap_or_default())
    }

    /// The same, kept in the isolate like the search parts, under the
    /// site's version: the contact form and its posts.
    pub async fn kept_contacts(&self, now_ms: i64) -> Result<Vec<Contact>, AppError> {
        let text = self.kept_text(keys::CONTACTS_KEY, now_ms).await?;
        match &*text {
            "" => Ok(Vec::new()),
            t => parse_json(keys::CONTACTS_KEY, t.as_bytes()),
        }
    }

    /// Several alert records in bulk reads (up to 100 keys each), in the
    /// order asked; missing ones are skipped, unreadable ones skipped and
    /// remembered (`take_broken`).
    pub async fn alerts(&self, slugs: &[String]) -> Result<Vec<AlertRecord>, AppError> {
        let keys: Vec<String> = slugs.iter().map(|s| keys::alert(s)).collect();
        let mut values = self.texts(&keys, None).await?;
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

    /// The search documents of `slugs` in `lang`, in their order (`None`: not
    /// written, or malformed and noted as broken), from the isolate or in
    /// one bulk read.
    pub async fn search_docs(
        &self,
        lang: crate::i18n::Lang,
        slugs: &[String],
        now_ms: i64,
    ) -> Result<Vec<Option<SearchDoc>>, AppError> {
        let keys: Vec<String> = slugs.iter().map(|s| keys::search_doc_in(lang, s)).collect();
        let mut values = self.kept_texts(&keys, now_ms).await?;
        Ok(slugs
            .iter()
            .zip(keys)
            .map(|(slug, key)| {
                let text = values.remove(&key)?;
                let doc = SearchDoc::parse(slug, &text);
                if doc.is_none() {
                    self.broken.borrow_mut().push(key);
                }
                doc
            })
            .collect())
    }

    /// The categories and tags public at `now` (`site:topics`: each from
    /// its first alert's date), kept in the isolate like the search parts;
    /// what is built from them is fresh until the next one's date.
    pub async fn topics(&self, now: i64) -> Result<Vec<String>, AppError> {
        let text = self.kept_text(crate::mail::topics::KEY, now * 1000).await?;
        let topics = crate::mail::topics::Topics::parse(&text);
        if let Some(next) = topics.0.iter().map(|k| k.first).filter(|f| *f > now).min() {
            self.fresh(next * 1000);
        }
        Ok(topics.public(now))
    }

    /// The months that have alerts (`site:months`; none before the first
    /// publish), kept in the isolate's cache for the TTL.
    pub async fn months(&self, now: i64) -> Result<Rc<crate::months::Months>, AppError> {
        let now_ms = now * 1000;
        let key = crate::months::KEY;
        let months = match self.kept(key, now_ms).await? {
            Some(Cached::Months(m)) => m,
            _ => {
                let text = self.get_text(key).await?.unwrap_or_default();
                let m = Rc::new(crate::months::Months::parse(&text));
                // The parsed months take about what their text does.
                self.keep(key, Cached::Months(m.clone()), text.len(), now_ms);
                m
            }
        };
        // A month of scheduled alerts appears at its first date.
        if let Some(first) = months.next_first(now) {
            self.fresh(first * 1000);
        }
        Ok(months)
    }

    /// The category and tag names for a page or mail in `lang`
    /// (`site:names`; none before a publish writes them): none to read for
    /// English; for the others kept in the isolate's cache for the TTL.
    pub async fn names_in(
        &self,
        lang: crate::i18n::Lang,
        now: i64,
    ) -> Result<crate::i18n::Names, AppError> {
        if lang == crate::i18n::Lang::En {
            return Ok(crate::i18n::Names::EMPTY);
        }
        let text = self.kept_text(crate::i18n::names::KEY, now * 1000).await?;
        Ok(crate::i18n::Names::from_value(text.to_string()))
    }

    /// Where an old path redirects, if it is an alias.
    pub async fn alias(&self, path: &str) -> Result<Option<String>, AppError> {
        self.get_text(&keys::alias(path)).await
    }
}
