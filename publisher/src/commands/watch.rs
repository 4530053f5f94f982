//! `alerts watch` (what `make dev` runs): publishes to the local store
//! whenever a file under `content/` changes, and fires the Worker's Cron
//! Triggers on `--crons` as their minutes come (`publisher::crons`).

use super::publish::publish;
use crate::cli::{ContentDir, PublishArgs, Store, WatchArgs};
use anyhow::Result;
use std::path::Path;
use std::time::{Duration, SystemTime};

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
pub fn watch(args: &WatchArgs) -> Result<()> {
    let publish_args = PublishArgs {
        content: ContentDir {
            dir: args.content.dir.clone(),
        },
        store: Store::local(args.store.clone()),
        prune: false,
        synthetic: 0,
    };
    let mut seen = newest_change(&args.content.dir);
    println!("watching {} for changes", args.content.dir.display());
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
        let now = newest_change(&args.content.dir);
        if now != seen {
            seen = now;
            if let Err(e) = publish(&publish_args) {
                eprintln!("{e:#}");
            }
        }
    }
}
