//! `alerts`: the editors' tool. Checks `content/`, publishes it to Workers KV
//! through `wrangler kv`, starts new alerts and signs preview links.
//! `content/` in git is the source of truth; KV is derived from it.

#[cfg(test)]
mod snapshots;

use publisher::{keyset, load, wrangler};

use access_alerts::content::PublishedMeta;
use keyset::Step;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};
use wrangler::{Target, Wrangler};

const USAGE: &str = "usage:
  alerts check        [--content DIR]
  alerts publish      [--content DIR] [--remote] [--prune] [--persist-to DIR] [--synthetic N]
  alerts watch        [--content DIR] [--persist-to DIR] [--crons http://127.0.0.1:8787]
                      (republishes on every change; fires the Cron Triggers there each minute)
  alerts new SLUG     [--content DIR] [--title TITLE]
  alerts preview-link SLUG [--hours N] [--base URL]        (needs PREVIEW_SECRET or .dev.vars)
  alerts check-deploy                                      (what `make deploy` asks first)
  alerts seed-synthetic N [--content DIR] [--persist-to DIR] (N short synthetic alerts, for scale tests)
  alerts index-size   [--content DIR] [--synthetic N]      (the search index's parts and bytes, as JSON)
  alerts subscribers  [--remote] [--persist-to DIR]        (email alerts' counts from D1; never an address)";

#[derive(Clone)]
struct Args {
    command: String,
    positional: Vec<String>,
    content: PathBuf,
    persist_to: PathBuf,
    remote: bool,
    prune: bool,
    title: Option<String>,
    hours: i64,
    base: String,
    /// Synthetic alerts the store also holds (`seed-synthetic`), searched too.
    synthetic: usize,
    /// `watch --crons <http://127.0.0.1:8787>`: fire the Cron Triggers there.
    crons: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let command = it.next().ok_or("no command")?;
    let mut a = Args {
        command,
        positional: Vec::new(),
        content: PathBuf::from("content"),
        persist_to: PathBuf::from(".wrangler/state"),
        remote: false,
        prune: false,
        title: None,
        hours: 72,
        base: "http://127.0.0.1:8787".into(),
        synthetic: 0,
        crons: None,
    };
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--content" => a.content = value("--content")?.into(),
            "--persist-to" => a.persist_to = value("--persist-to")?.into(),
            "--remote" => a.remote = true,
            "--prune" => a.prune = true,
            "--title" => a.title = Some(value("--title")?),
            "--hours" => {
                a.hours = value("--hours")?
                    .parse()
                    .map_err(|_| "--hours takes a number")?
            }
            "--base" => a.base = value("--base")?,
            "--crons" => a.crons = Some(value("--crons")?),
            "--synthetic" => {
                a.synthetic = value("--synthetic")?
                    .parse()
                    .map_err(|_| "--synthetic takes a number")?
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => a.positional.push(s.to_string()),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match args.command.as_str() {
        "check" => check(&args.content).map(|_| ()),
        "publish" => publish(&args),
        "watch" => watch(&args),
        "new" => new_alert(&args),
        "preview-link" => preview_link(&args),
        "check-deploy" => check_deploy(),
        "seed-synthetic" => seed_synthetic(&args),
        "index-size" => index_size(&args),
        "subscribers" => subscribers(&args),
        _ => Err(format!("unknown command {}\n{USAGE}", args.command)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Validates everything; prints warnings; fails on any error.
fn check(root: &Path) -> Result<load::Content, String> {
    match load::load(root) {
        Ok(content) => {
            for w in &content.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "content OK: {} alerts, {} contacts",
                content.alerts.len(),
                content.contacts.len()
            );
            Ok(content)
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            Err(format!(
                "{} problem(s) in {}; nothing was published",
                problems.len(),
                root.display()
            ))
        }
    }
}

fn wrangler_for(args: &Args) -> Wrangler {
    let target = if args.remote {
        Target::Remote
    } else {
        Target::Local {
            persist_to: args.persist_to.clone(),
        }
    };
    Wrangler::new(target, Path::new(".publish"))
}

/// What is published now: the metadata of every `alert:` key.
fn published(w: &Wrangler) -> Result<BTreeMap<String, PublishedMeta>, String> {
    let mut map = BTreeMap::new();
    for key in w.list(access_alerts::keys::ALERT_PREFIX)? {
        let Some(name) = key["name"].as_str() else {
            continue;
        };
        let slug = name
            .trim_start_matches(access_alerts::keys::ALERT_PREFIX)
            .to_string();
        let meta = serde_json::from_value(key["metadata"].clone()).unwrap_or(PublishedMeta {
            hash: String::new(),
            keys: Vec::new(),
        });
        map.insert(slug, meta);
    }
    Ok(map)
}

fn publish(args: &Args) -> Result<(), String> {
    use access_alerts::search::index;
    let started = std::time::Instant::now();
    let content = check(&args.content)?;
    let w = wrangler_for(args);
    let where_ = if args.remote {
        "Cloudflare"
    } else {
        "the local store"
    };
    let records: Vec<_> = content.alerts.iter().map(|a| &a.record).collect();
    let synthetic: Vec<_> = (0..args.synthetic)
        .map(publisher::synthetic::record)
        .collect();
    let contacts = keyset::contacts_entry(&content.contacts);
    // Against Cloudflare the three reads run at once (each is a round trip);
    // locally one after another, on a thread of their own while this one
    // builds the derived parts: wrangler processes opening the same local
    // store at the same moment can find it locked (a failed local run is
    // also tried again: see `Wrangler::run`).
    let derive = || keyset::derived(records.iter().copied().chain(&synthetic));
    let ((current, published, manifest), parts) = std::thread::scope(|s| -> Result<_, String> {
        if args.remote {
            let current = s.spawn(|| w.list(access_alerts::keys::CONTACTS_KEY));
            let published = s.spawn(|| published(&w));
            let manifest = s.spawn(|| w.get_text(index::MANIFEST_KEY));
            let parts = derive();
            let reads = (
                joined(current.join())?,
                joined(published.join())?,
                joined(manifest.join())?,
            );
            Ok((reads, parts))
        } else {
            let reads = s.spawn(|| -> Result<_, String> {
                Ok((
                    w.list(access_alerts::keys::CONTACTS_KEY)?,
                    published(&w)?,
                    w.get_text(index::MANIFEST_KEY)?,
                ))
            });
            let parts = derive();
            Ok((joined(reads.join())?, parts))
        }
    })?;
    // What to write and delete. The order of the writes is what makes a run
    // cut short safe to repeat: first every key but the records (contacts,
    // index keys, aliases, derived parts), then the deletes, then the
    // `alert:` records, whose hash tells the next run what is done, and the
    // derived parts' manifest last.
    let mut put = Vec::new();
    let mut delete = Vec::new();
    let mut report = Vec::new();
    if current.first().map(|k| &k["metadata"]) != contacts.metadata.as_ref() {
        put.push(contacts);
        report.push("published contacts".to_string());
    }
    let steps = keyset::plan(&records, &published, args.prune);
    if steps.is_empty() {
        report.push(format!("{where_}'s alerts are up to date"));
    }
    for step in steps {
        match step {
            Step::Publish {
                slug,
                put: keys,
                delete: gone,
            } => {
                report.push(format!(
                    "published {slug} ({} keys written, {} superseded keys deleted)",
                    keys.len(),
                    gone.len()
                ));
                put.extend(keys);
                delete.extend(gone);
            }
            Step::Unpublish { slug, delete: gone } => {
                report.push(format!("unpublished {slug} ({} keys deleted)", gone.len()));
                delete.extend(gone);
            }
        }
    }
    let plan = index::plan(&parts, manifest.as_deref());
    if plan.put.is_empty() && plan.delete.is_empty() {
        report.push(format!(
            "the search index and months are up to date ({} parts)",
            parts.len()
        ));
    } else {
        let bytes: usize = plan.put.iter().map(|(_, v)| v.len()).sum();
        report.push(format!(
            "search index and months: {} of {} parts written ({bytes} bytes), {} deleted",
            plan.put.len(),
            parts.len() + 1,
            plan.delete.len()
        ));
        put.extend(plan.put.into_iter().map(|(key, value)| keyset::KvEntry {
            key,
            value,
            metadata: None,
        }));
        delete.extend(plan.delete);
    }
    // A key some alert of content/ still owns is never deleted (an alias
    // moved from one alert to another, a renamed file pruned).
    keyset::keep_owned(&mut delete, &records);
    // `site:notify` (what the cron mails) comes after the records it names,
    // so that the cron never starts a mailing for an alert not yet written.
    let notify = access_alerts::mail::notify::KEY;
    let (last, first): (Vec<_>, Vec<_>) = put.iter().cloned().partition(|e| {
        e.key.starts_with(access_alerts::keys::ALERT_PREFIX)
            || e.key == index::MANIFEST_KEY
            || e.key == notify
    });
    let (tail, records_last): (Vec<_>, Vec<_>) = last
        .into_iter()
        .partition(|e| e.key == index::MANIFEST_KEY || e.key == notify);
    let (manifest_entry, notify_entry): (Vec<_>, Vec<_>) =
        tail.into_iter().partition(|e| e.key == index::MANIFEST_KEY);
    let last: Vec<_> = records_last
        .into_iter()
        .chain(notify_entry)
        .chain(manifest_entry)
        .collect();
    if delete.is_empty() {
        // Nothing to delete in between: one bulk put, the records and the
        // manifest at its end (wrangler writes a file in order).
        let all: Vec<_> = first.into_iter().chain(last).collect();
        for (n, chunk) in all.chunks(10_000).enumerate() {
            w.bulk_put(&format!("publish-{n:03}"), chunk)?;
        }
    } else {
        for (n, chunk) in first.chunks(10_000).enumerate() {
            w.bulk_put(&format!("publish-{n:03}"), chunk)?;
        }
        w.bulk_delete("publish", &delete)?;
        for (n, chunk) in last.chunks(10_000).enumerate() {
            w.bulk_put(&format!("publish-records-{n:03}"), chunk)?;
        }
    }
    for line in report {
        println!("{line}");
    }
    println!(
        "{} keys written, {} deleted, in {:.1} s",
        put.len(),
        delete.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A read's result from its thread (a panic there is a failed read).
fn joined<T>(r: std::thread::Result<Result<T, String>>) -> Result<T, String> {
    r.unwrap_or_else(|_| Err("a wrangler read failed".to_string()))
}

/// The newest modification time under `dir`.
fn newest_change(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if let Ok(m) = entry.metadata() {
                if let Ok(t) = m.modified() {
                    newest = newest.max(t);
                }
                if m.is_dir() {
                    stack.push(path);
                }
            }
        }
    }
    newest
}

/// Publishes whenever a file under `content/` changes (polling once a second).
fn watch(args: &Args) -> Result<(), String> {
    let mut seen = newest_change(&args.content);
    println!("watching {} for changes", args.content.display());
    if let Some(base) = &args.crons {
        println!("firing the Worker's Cron Triggers on {base} as their minutes come");
    }
    let mut fired_minute = None;
    loop {
        std::thread::sleep(Duration::from_secs(1));
        if let Some(base) = &args.crons {
            let utc = chrono::Utc::now();
            let minute = utc.timestamp() / 60;
            if fired_minute != Some(minute) {
                fired_minute = Some(minute);
                for cron in publisher::crons::due(utc) {
                    match publisher::crons::fire(base, cron) {
                        Ok(200) => {}
                        Ok(code) => eprintln!("cron {cron}: the Worker answered {code}"),
                        // The Worker is not up yet (make dev starts it after).
                        Err(_) => {}
                    }
                }
            }
        }
        let now = newest_change(&args.content);
        if now != seen {
            seen = now;
            if let Err(e) = publish(args) {
                eprintln!("{e}");
            }
        }
    }
}

fn new_alert(args: &Args) -> Result<(), String> {
    let slug = args.positional.first().ok_or("new needs a SLUG")?;
    if !access_alerts::keys::is_valid_slug(slug) {
        return Err(format!(
            "`{slug}` is not a valid slug: use lowercase letters, digits and single hyphens"
        ));
    }
    let path = args.content.join("alerts").join(format!("{slug}.md"));
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| "Access Alert: ".into());
    let text = format!(
        r#"+++
title = {title:?}
date = {today}
category = "Opinion"
tags = []
# summary = "One or two sentences for listings and feeds (default: the first paragraph)."
contacts = ["gordon-mackay"]
contact_note = "For more information, please contact:"
draft = true
+++
Opening paragraph: what happened and why it matters.

## What it means

## What to do next
"#
    );
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "created {} (a draft: set `draft = false` to publish)",
        path.display()
    );
    Ok(())
}

/// Counts of email alerts' subscribers, from the local D1 database or
/// Cloudflare's (`--remote`).
fn subscribers(args: &Args) -> Result<(), String> {
    let bin = std::env::var("WRANGLER").unwrap_or_else(|_| "node_modules/.bin/wrangler".into());
    let mut cmd = std::process::Command::new(&bin);
    cmd.args([
        "d1",
        "execute",
        "DB",
        "--json",
        "--command",
        publisher::subscribers::QUERY,
    ]);
    if args.remote {
        cmd.arg("--remote");
    } else {
        cmd.arg("--local").arg("--persist-to").arg(&args.persist_to);
    }
    let out = cmd
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "wrangler d1 execute failed (is the database migrated? make migrate): {}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    print!(
        "{}",
        publisher::subscribers::report(&String::from_utf8_lossy(&out.stdout))?
    );
    Ok(())
}

/// Refuses a deployment that lacks a setting (wrangler.toml vars, and the
/// secrets `wrangler secret list` names).
fn check_deploy() -> Result<(), String> {
    let toml =
        std::fs::read_to_string("wrangler.toml").map_err(|e| format!("wrangler.toml: {e}"))?;
    let bin = std::env::var("WRANGLER").unwrap_or_else(|_| "node_modules/.bin/wrangler".into());
    let out = std::process::Command::new(&bin)
        .args(["secret", "list", "--format", "json"])
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "wrangler secret list failed (log in with `npx wrangler login`): {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let secrets = publisher::deploy::secret_names(&String::from_utf8_lossy(&out.stdout))?;
    let mut problems = publisher::deploy::problems(&toml, &secrets);
    // The queues wrangler.toml names must exist: deploy would fail on them.
    let queues = std::process::Command::new(&bin)
        .args(["queues", "list"])
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    if queues.status.success() {
        problems.extend(publisher::deploy::missing_queues(
            &toml,
            &String::from_utf8_lossy(&queues.stdout),
        ));
    } else {
        problems.push("wrangler queues list failed: the queues could not be checked".into());
    }
    if problems.is_empty() {
        println!("the configuration has every setting the Worker needs");
        return Ok(());
    }
    for p in &problems {
        eprintln!("error: {p}");
    }
    Err(format!(
        "not deploying: {} setting(s) missing (README, \"Deploying to Cloudflare\")",
        problems.len()
    ))
}

/// The preview secret from the environment, else from `.dev.vars`.
fn preview_secret() -> Option<String> {
    if let Ok(s) = std::env::var("PREVIEW_SECRET") {
        return Some(s);
    }
    let vars = std::fs::read_to_string(".dev.vars").ok()?;
    vars.lines()
        .find_map(|l| l.strip_prefix("PREVIEW_SECRET="))
        .map(|s| s.trim().trim_matches('"').to_string())
}

fn preview_link(args: &Args) -> Result<(), String> {
    let slug = args.positional.first().ok_or("preview-link needs a SLUG")?;
    let secret = preview_secret().ok_or("set PREVIEW_SECRET (or add it to .dev.vars)")?;
    // The Worker refuses a link that lives longer than its PREVIEW_MAX_DAYS
    // (wrangler.toml [vars]; the environment may say otherwise for a test).
    let configured = std::env::var("PREVIEW_MAX_DAYS").ok().or_else(|| {
        let toml: toml::Table = std::fs::read_to_string("wrangler.toml")
            .ok()?
            .parse()
            .ok()?;
        Some(
            toml.get("vars")?
                .get("PREVIEW_MAX_DAYS")?
                .as_str()?
                .to_string(),
        )
    });
    let max_days = configured
        .and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| *d > 0)
        .unwrap_or(access_alerts::preview::DEFAULT_MAX_DAYS);
    if args.hours < 1 || args.hours > max_days * 24 {
        return Err(format!(
            "--hours must be 1 to {} (the Worker's PREVIEW_MAX_DAYS, {max_days} days)",
            max_days * 24
        ));
    }
    let exp = chrono::Utc::now().timestamp() + args.hours * 3600;
    println!(
        "{}{}",
        args.base.trim_end_matches('/'),
        access_alerts::preview::link(&secret, slug, exp)
    );
    Ok(())
}

/// The search index `content/` (plus N synthetic alerts) makes: how many
/// parts, how many bytes, the largest part (for `make bench`).
fn index_size(args: &Args) -> Result<(), String> {
    let content = check(&args.content)?;
    let synthetic: Vec<_> = (0..args.synthetic)
        .map(publisher::synthetic::record)
        .collect();
    let records: Vec<_> = content
        .alerts
        .iter()
        .map(|a| &a.record)
        .chain(&synthetic)
        .collect();
    let parts = access_alerts::search::index::build(records.iter().copied());
    let bytes: usize = parts.iter().map(|(k, v)| k.len() + v.len()).sum();
    let largest = parts.values().map(String::len).max().unwrap_or(0);
    println!(
        "{}",
        serde_json::json!({
            "alerts": records.iter().filter(|r| !r.draft).count(),
            "parts": parts.len(),
            "bytes": bytes,
            "largest_part": largest,
        })
    );
    Ok(())
}

/// Writes N synthetic alerts (short bodies, four categories, fifty topics,
/// one every four hours back from 17 Nov 2024) straight into the store, in
/// bulk files of 10,000 keys.
fn seed_synthetic(args: &Args) -> Result<(), String> {
    let n: usize = args
        .positional
        .first()
        .and_then(|n| n.parse().ok())
        .ok_or("seed-synthetic needs a number N")?;
    let w = wrangler_for(args);
    let mut batch = Vec::new();
    let started = std::time::Instant::now();
    let mut files = 0;
    for i in 0..n {
        let record = publisher::synthetic::record(i);
        batch.extend(keyset::entries(&record));
        if batch.len() >= 10_000 || i + 1 == n {
            files += 1;
            w.bulk_put(&format!("synthetic-{files:04}"), &batch)?;
            batch.clear();
            eprintln!(
                "{} of {n} alerts written ({:.0} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "seeded {n} synthetic alerts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Then `content/` and the derived keys (search index, months) with the
    // synthetic alerts in them: what `publish --synthetic N` keeps.
    publish(&Args {
        synthetic: n,
        ..args.clone()
    })
}
