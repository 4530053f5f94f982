//! `alerts publish` (`make publish`, `make dev`, `watch`, `seed-synthetic`):
//! brings the store to what `content/` says. It reads what is published
//! (the contacts, each alert's key list, the derived parts' manifest),
//! plans the writes and deletes (`publisher::keyset`,
//! `access_alerts::search::index::plan`), and writes them in the order that
//! makes a run cut short safe to repeat.

use super::check::check;
use crate::cli::PublishArgs;
use access_alerts::content::PublishedMeta;
use access_alerts::keys::{ALERT_PREFIX, CONTACTS_KEY};
use access_alerts::search::index;
use anyhow::{anyhow, Context, Result};
use publisher::keyset::{self, KvEntry, Step};
use publisher::wrangler::{self, Wrangler};
use std::collections::BTreeMap;

/// The most keys one bulk file holds.
pub const BULK_KEYS: usize = 10_000;

pub fn publish(args: &PublishArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let content = check(&args.content.dir)?;
    let w = args.store.wrangler();
    let where_ = if args.store.remote {
        "Cloudflare"
    } else {
        "the local store"
    };
    let records: Vec<_> = content.alerts.iter().map(|a| &a.record).collect();
    let synthetic: Vec<_> = (0..args.synthetic)
        .map(publisher::synthetic::record)
        .collect();
    let now = chrono::Utc::now().timestamp();
    let derive = || keyset::derived(records.iter().copied().chain(&synthetic), now);
    let (published, parts) =
        read(&w, args.store.remote, derive).context("reading what is published")?;
    let mut writes = Writes::default();
    writes.contacts(keyset::contacts_entry(&content.contacts), &published);
    writes.alerts(
        keyset::plan(&records, &published.alerts, args.prune),
        where_,
    );
    writes.derived(&parts, published.manifest.as_deref());
    // A key some alert of content/ still owns is never deleted (an alias
    // moved from one alert to another, a renamed file pruned).
    keyset::keep_owned(&mut writes.delete, &records);
    write(&w, &writes.put, &writes.delete).context("writing to the store")?;
    for line in &writes.report {
        println!("{line}");
    }
    println!(
        "{} keys written, {} deleted, in {:.1} s",
        writes.put.len(),
        writes.delete.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What is published now, as far as publishing needs to know.
struct Published {
    /// The contacts key as listed, with its metadata (none before the
    /// first publish).
    contacts: Vec<serde_json::Value>,
    /// Every `alert:` key's metadata, by slug.
    alerts: BTreeMap<String, PublishedMeta>,
    /// The derived parts' manifest (none before the first publish).
    manifest: Option<String>,
}

/// Reads what is published while this thread runs `derive` (the derived
/// parts). Against Cloudflare the three reads run at once (each is a round
/// trip); locally one after another, on a thread of their own: wrangler
/// processes opening the same local store at the same moment can find it
/// locked (a failed local run is also tried again: see `Wrangler::run`).
fn read<T>(w: &Wrangler, remote: bool, derive: impl FnOnce() -> T) -> Result<(Published, T)> {
    std::thread::scope(|s| {
        if remote {
            let contacts = s.spawn(|| w.list(CONTACTS_KEY));
            let alerts = s.spawn(|| published(w));
            let manifest = s.spawn(|| w.get_text(index::MANIFEST_KEY));
            let derived = derive();
            let published = Published {
                contacts: joined(contacts.join())?,
                alerts: joined(alerts.join())?,
                manifest: joined(manifest.join())?,
            };
            Ok((published, derived))
        } else {
            let reads = s.spawn(|| -> Result<_, wrangler::Error> {
                Ok(Published {
                    contacts: w.list(CONTACTS_KEY)?,
                    alerts: published(w)?,
                    manifest: w.get_text(index::MANIFEST_KEY)?,
                })
            });
            let derived = derive();
            Ok((joined(reads.join())?, derived))
        }
    })
}

/// What is published now: the metadata of every `alert:` key.
fn published(w: &Wrangler) -> Result<BTreeMap<String, PublishedMeta>, wrangler::Error> {
    let mut map = BTreeMap::new();
    for key in w.list(ALERT_PREFIX)? {
        let Some(name) = key["name"].as_str() else {
            continue;
        };
        let slug = name.trim_start_matches(ALERT_PREFIX).to_string();
        let meta = serde_json::from_value(key["metadata"].clone()).unwrap_or(PublishedMeta {
            hash: String::new(),
            keys: Vec::new(),
        });
        map.insert(slug, meta);
    }
    Ok(map)
}

/// A read's result from its thread (a panic there is a failed read).
fn joined<T>(r: std::thread::Result<Result<T, wrangler::Error>>) -> Result<T> {
    match r {
        Ok(read) => Ok(read?),
        Err(_) => Err(anyhow!("a wrangler read failed")),
    }
}

/// What to write and delete, and a line for the editor about each change.
#[derive(Default)]
struct Writes {
    put: Vec<KvEntry>,
    delete: Vec<String>,
    report: Vec<String>,
}

impl Writes {
    /// The contacts, unless the published ones are the same.
    fn contacts(&mut self, entry: KvEntry, published: &Published) {
        if published.contacts.first().map(|k| &k["metadata"]) != entry.metadata.as_ref() {
            self.put.push(entry);
            self.report.push("published contacts".to_string());
        }
    }

    /// Each alert's keys to write and superseded keys to delete.
    fn alerts(&mut self, steps: Vec<Step>, where_: &str) {
        if steps.is_empty() {
            self.report
                .push(format!("{where_}'s alerts are up to date"));
        }
        for step in steps {
            match step {
                Step::Publish {
                    slug,
                    put: keys,
                    delete: gone,
                } => {
                    self.report.push(format!(
                        "published {slug} ({} keys written, {} superseded keys deleted)",
                        keys.len(),
                        gone.len()
                    ));
                    self.put.extend(keys);
                    self.delete.extend(gone);
                }
                Step::Unpublish { slug, delete: gone } => {
                    self.report
                        .push(format!("unpublished {slug} ({} keys deleted)", gone.len()));
                    self.delete.extend(gone);
                }
            }
        }
    }

    /// The derived parts (search index, months) that changed since
    /// `manifest`, and the new manifest.
    fn derived(&mut self, parts: &BTreeMap<String, String>, manifest: Option<&str>) {
        let plan = index::plan(parts, manifest);
        if plan.put.is_empty() && plan.delete.is_empty() {
            self.report.push(format!(
                "the search index and months are up to date ({} parts)",
                parts.len()
            ));
            return;
        }
        let bytes: usize = plan.put.iter().map(|(_, v)| v.len()).sum();
        self.report.push(format!(
            "search index and months: {} of {} parts written ({bytes} bytes), {} deleted",
            plan.put.len(),
            parts.len() + 1,
            plan.delete.len()
        ));
        self.put
            .extend(plan.put.into_iter().map(|(key, value)| KvEntry {
                key,
                value,
                metadata: None,
            }));
        self.delete.extend(plan.delete);
    }
}

/// The writes in two runs: first every key but the records (contacts,
/// index keys, aliases, derived parts), then (after the deletes) the
/// `alert:` records, whose hash tells the next run what is done, then
/// `site:notify` (what the cron mails: after the records it names, so that
/// the cron never starts a mailing for an alert not yet written), and the
/// derived parts' manifest last.
fn ordered(put: &[KvEntry]) -> (Vec<KvEntry>, Vec<KvEntry>) {
    let notify = access_alerts::mail::notify::KEY;
    let (last, first): (Vec<_>, Vec<_>) = put.iter().cloned().partition(|e| {
        e.key.starts_with(ALERT_PREFIX) || e.key == index::MANIFEST_KEY || e.key == notify
    });
    let (tail, records_last): (Vec<_>, Vec<_>) = last
        .into_iter()
        .partition(|e| e.key == index::MANIFEST_KEY || e.key == notify);
    let (manifest_entry, notify_entry): (Vec<_>, Vec<_>) =
        tail.into_iter().partition(|e| e.key == index::MANIFEST_KEY);
    let last = records_last
        .into_iter()
        .chain(notify_entry)
        .chain(manifest_entry)
        .collect();
    (first, last)
}

/// Writes `put` in the order `ordered` gives, with the deletes in between.
fn write(w: &Wrangler, put: &[KvEntry], delete: &[String]) -> Result<(), wrangler::Error> {
    let (first, last) = ordered(put);
    if delete.is_empty() {
        // Nothing to delete in between: one bulk put, the records and the
        // manifest at its end (wrangler writes a file in order).
        let all: Vec<_> = first.into_iter().chain(last).collect();
        for (n, chunk) in all.chunks(BULK_KEYS).enumerate() {
            w.bulk_put(&format!("publish-{n:03}"), chunk)?;
        }
    } else {
        for (n, chunk) in first.chunks(BULK_KEYS).enumerate() {
            w.bulk_put(&format!("publish-{n:03}"), chunk)?;
        }
        w.bulk_delete("publish", delete)?;
        for (n, chunk) in last.chunks(BULK_KEYS).enumerate() {
            w.bulk_put(&format!("publish-records-{n:03}"), chunk)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str) -> KvEntry {
        KvEntry {
            key: key.to_string(),
            value: String::new(),
            metadata: None,
        }
    }

    #[test]
    fn records_then_notify_then_the_manifest_come_last() {
        let notify = access_alerts::mail::notify::KEY;
        let manifest = index::MANIFEST_KEY;
        let record = format!("{ALERT_PREFIX}a");
        let put = [
            entry(manifest),
            entry(&record),
            entry(CONTACTS_KEY),
            entry(notify),
            entry("alias:/old"),
        ];
        let (first, last) = ordered(&put);
        let keys = |v: &[KvEntry]| v.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&first), [CONTACTS_KEY, "alias:/old"]);
        assert_eq!(keys(&last), [record.as_str(), notify, manifest]);
    }
}
