//! `alerts publish` (`make publish`, `make dev`, `watch`, `seed-synthetic`):
//! brings the store to what `content/` says. It reads what is published
//! (the contacts, each alert's key list, the derived parts' manifest),
//! plans the writes and deletes (`publisher::keyset`,
//! `access_alerts::derived::plan`), and writes them in the order that
//! makes a run cut short safe to repeat and never lets a listing name an
//! alert whose record is not written yet.

use super::check::check;
use crate::cli::PublishArgs;
use access_alerts::content::PublishedMeta;
use access_alerts::keys::{ALERT_PREFIX, SITE_PREFIX};
use access_alerts::listing::is_chunk_key;
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
    writes.site(
        keyset::contacts_entry(&content.contacts),
        "contacts",
        &published,
    );
    writes.site(keyset::names_entry(&content.names), "names", &published);
    writes.alerts(
        keyset::plan(&records, &published.alerts, args.prune),
        where_,
    );
    writes.derived(&parts, published.manifest.as_deref(), now);
    // A key some alert of content/ still owns is never deleted (an alias
    // moved from one alert to another, a renamed file pruned).
    keyset::keep_owned(&mut writes.delete, &records);
    let version = site_version(chrono::Utc::now().timestamp_millis());
    let (written, deleted) = write(
        &w,
        &writes.put,
        &writes.delete,
        &writes.delete_derived,
        version,
    )
    .context("writing to the store")?;
    for line in &writes.report {
        println!("{line}");
    }
    println!(
        "{written} keys written, {deleted} deleted, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What is published now, as far as publishing needs to know.
struct Published {
    /// The `site:` keys as listed, with their metadata: the contacts' and
    /// the names' hashes (none before the first publish).
    site: Vec<serde_json::Value>,
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
            let site = s.spawn(|| w.list(SITE_PREFIX));
            let alerts = s.spawn(|| published(w));
            let manifest = s.spawn(|| w.get_text(index::MANIFEST_KEY));
            let derived = derive();
            let published = Published {
                site: joined(site.join())?,
                alerts: joined(alerts.join())?,
                manifest: joined(manifest.join())?,
            };
            Ok((published, derived))
        } else {
            let reads = s.spawn(|| -> Result<_, wrangler::Error> {
                Ok(Published {
                    site: w.list(SITE_PREFIX)?,
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
    /// Alerts' keys: superseded ones, and every key of an unpublished one.
    delete: Vec<String>,
    /// Derived parts no longer made (and retired listing chunks).
    delete_derived: Vec<String>,
    report: Vec<String>,
}

impl Writes {
    /// A site-wide value (the contacts, the names), unless the published
    /// one is the same (by its hash).
    fn site(&mut self, entry: KvEntry, what: &str, published: &Published) {
        let listed = published
            .site
            .iter()
            .find(|k| k["name"] == entry.key.as_str());
        if listed.map(|k| &k["metadata"]) != entry.metadata.as_ref() {
            self.put.push(entry);
            self.report.push(format!("published {what}"));
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

    /// The derived parts (listings, search index, months) that changed
    /// since `manifest`, and the new manifest.
    fn derived(&mut self, parts: &BTreeMap<String, String>, manifest: Option<&str>, now: i64) {
        let plan = access_alerts::derived::plan(parts, manifest, now);
        if plan.put.is_empty() && plan.delete.is_empty() {
            self.report.push(format!(
                "the listings, search index and months are up to date ({} parts)",
                parts.len()
            ));
            return;
        }
        let bytes: usize = plan.put.iter().map(|(_, v)| v.len()).sum();
        let listings = plan
            .put
            .iter()
            .filter(|(k, _)| k.starts_with(access_alerts::listing::PREFIX))
            .count();
        self.report.push(format!(
            "listings, search index and months: {} of {} parts written ({listings} of them listings', {bytes} bytes), {} deleted",
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
        self.delete_derived.extend(plan.delete);
    }
}

/// The writes in three groups: first every key that no listing names yet
/// (contacts, aliases, listing chunks, the search index, topics); then the
/// `alert:` records (whose hash tells the next run an alert is done)
/// followed by the listing indexes and the months (which name the `all`
/// listing's chunks) that name them; last
/// `site:notify` (what the cron mails: after the records it names) and the
/// derived parts' manifest.
fn ordered(put: &[KvEntry]) -> [Vec<KvEntry>; 3] {
    let notify = access_alerts::mail::notify::KEY;
    let is_index = |k: &str| {
        k.starts_with(access_alerts::listing::PREFIX) && !is_chunk_key(k)
            || k == access_alerts::months::KEY
    };
    let mut groups: [Vec<KvEntry>; 3] = Default::default();
    for e in put {
        let group = if e.key == index::MANIFEST_KEY || e.key == notify {
            2
        } else if e.key.starts_with(ALERT_PREFIX) || is_index(&e.key) {
            1
        } else {
            0
        };
        groups[group].push(e.clone());
    }
    // Records before the indexes that name them, notify before the manifest.
    groups[1].sort_by_key(|e| !e.key.starts_with(ALERT_PREFIX));
    groups[2].sort_by_key(|e| e.key == index::MANIFEST_KEY);
    groups
}

/// `site:version` for a publish at `now_ms`: a new value for each run
/// (the time and this process), which tells the Worker's isolates that
/// what they keep may have changed.
fn site_version(now_ms: i64) -> KvEntry {
    KvEntry {
        key: access_alerts::keys::VERSION_KEY.to_string(),
        value: format!("{now_ms}-{}", std::process::id()),
        metadata: None,
    }
}

/// One wrangler run of a publish.
enum Run {
    Put(Vec<KvEntry>),
    Delete(Vec<String>),
}

/// The runs of a publish: the first group of `ordered`, the alerts'
/// superseded keys deleted (before their records lose the list of them),
/// the records and indexes, the pruned records and derived parts no longer
/// made deleted (once no index names them), notify and the manifest; and
/// when anything was written or deleted, `version` alone, last of all
/// (an isolate that reads it may keep what it reads from then on).
/// Empty runs are left out and puts then adjacent are one run.
fn runs(
    put: &[KvEntry],
    delete: &[String],
    delete_derived: &[String],
    version: KvEntry,
) -> Vec<Run> {
    let [first, records, last] = ordered(put);
    let (late, early): (Vec<String>, Vec<String>) = delete
        .iter()
        .cloned()
        .partition(|k| k.starts_with(ALERT_PREFIX));
    let late: Vec<String> = late
        .into_iter()
        .chain(delete_derived.iter().cloned())
        .collect();
    let mut runs: Vec<Run> = Vec::new();
    for run in [
        Run::Put(first),
        Run::Delete(early),
        Run::Put(records),
        Run::Delete(late),
        Run::Put(last),
    ] {
        match (run, runs.last_mut()) {
            (Run::Put(p), _) if p.is_empty() => {}
            (Run::Delete(d), _) if d.is_empty() => {}
            (Run::Put(p), Some(Run::Put(prev))) => prev.extend(p),
            (run, _) => runs.push(run),
        }
    }
    if !runs.is_empty() {
        runs.push(Run::Put(vec![version]));
    }
    runs
}

/// Writes and deletes in the order `runs` gives; how many keys were
/// written (the version included) and deleted.
fn write(
    w: &Wrangler,
    put: &[KvEntry],
    delete: &[String],
    delete_derived: &[String],
    version: KvEntry,
) -> Result<(usize, usize), wrangler::Error> {
    let (mut written, mut deleted) = (0, 0);
    let runs = runs(put, delete, delete_derived, version);
    for (n, run) in runs.into_iter().enumerate() {
        match run {
            Run::Put(entries) => {
                for (m, chunk) in entries.chunks(BULK_KEYS).enumerate() {
                    w.bulk_put(&format!("publish-{n}-{m:03}"), chunk)?;
                }
                written += entries.len();
            }
            Run::Delete(keys) => {
                w.bulk_delete(&format!("publish-{n}"), &keys)?;
                deleted += keys.len();
            }
        }
    }
    Ok((written, deleted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use access_alerts::keys::CONTACTS_KEY;

    #[test]
    fn a_site_wide_value_is_written_only_when_its_hash_differs() {
        let contacts = keyset::contacts_entry(&[]);
        let mut names = access_alerts::i18n::Names::default();
        let listed = |entries: &[&KvEntry]| Published {
            site: entries
                .iter()
                .map(|e| serde_json::json!({ "name": e.key, "metadata": e.metadata }))
                .collect(),
            alerts: BTreeMap::new(),
            manifest: None,
        };
        let published = listed(&[&contacts, &keyset::names_entry(&names)]);
        let mut writes = Writes::default();
        writes.site(contacts.clone(), "contacts", &published);
        writes.site(keyset::names_entry(&names), "names", &published);
        assert!(writes.put.is_empty(), "nothing changed");
        names.insert(
            access_alerts::i18n::Kind::Tag,
            "Merger",
            access_alerts::i18n::Lang::Fr,
            "Fusion",
        );
        writes.site(keyset::names_entry(&names), "names", &published);
        let written: Vec<&str> = writes.put.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(written, ["site:names"]);
        assert_eq!(writes.report, ["published names"]);
        // Before the first publish nothing is listed: both are written.
        let mut first = Writes::default();
        first.site(contacts, "contacts", &listed(&[]));
        first.site(keyset::names_entry(&names), "names", &listed(&[]));
        assert_eq!(first.put.len(), 2);
    }

    fn entry(key: &str) -> KvEntry {
        KvEntry {
            key: key.to_string(),
            value: String::new(),
            metadata: None,
        }
    }

    fn described(runs: &[Run]) -> Vec<String> {
        runs.iter()
            .map(|r| match r {
                Run::Put(e) => format!(
                    "put {}",
                    e.iter()
                        .map(|e| e.key.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Run::Delete(k) => format!("delete {}", k.join(" ")),
            })
            .collect()
    }

    #[test]
    fn records_come_before_the_indexes_naming_them_and_the_manifest_last() {
        let notify = access_alerts::mail::notify::KEY;
        let manifest = index::MANIFEST_KEY;
        let put = [
            entry(manifest),
            entry("ls:all"),
            entry("alert:a"),
            entry(CONTACTS_KEY),
            entry(notify),
            entry("ls:all:2024-11:0123abcd"),
            entry("alias:/old"),
            entry(access_alerts::months::KEY),
        ];
        let delete = ["alias:/gone".to_string(), "alert:pruned".to_string()];
        let derived = ["search:t:gone".to_string()];
        let version = || site_version(1);
        assert_eq!(
            described(&runs(&put, &delete, &derived, version())),
            [
                "put site:contacts ls:all:2024-11:0123abcd alias:/old",
                "delete alias:/gone",
                "put alert:a ls:all site:months",
                "delete alert:pruned search:t:gone",
                format!("put {notify} {manifest}").as_str(),
                "put site:version",
            ]
        );
        // Nothing to delete: one run, in the same order, then the version.
        assert_eq!(
            described(&runs(&put, &[], &[], version())),
            [
                format!(
                "put site:contacts ls:all:2024-11:0123abcd alias:/old alert:a ls:all site:months {notify} {manifest}"
                )
                .as_str(),
                "put site:version",
            ]
        );
        // Nothing changed: nothing written, not even the version.
        assert!(runs(&[], &[], &[], version()).is_empty());
        // A delete alone is a change too.
        assert_eq!(
            described(&runs(&[], &["alias:/gone".to_string()], &[], version())),
            ["delete alias:/gone", "put site:version"]
        );
    }
}
