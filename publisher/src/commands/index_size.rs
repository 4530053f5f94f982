//! `alerts index-size` and `alerts publish-cost` (for `make bench`): the
//! search index `content/` (plus N synthetic alerts) makes, and what
//! publishing one alert writes there, as JSON.

use super::check::check;
use crate::cli::IndexSizeArgs;
use access_alerts::content::AlertRecord;
use anyhow::Result;

/// The alerts of `content/` and the N synthetic ones.
fn alerts(args: &IndexSizeArgs) -> Result<Vec<AlertRecord>> {
    let content = check(&args.content.dir)?;
    Ok(content
        .alerts
        .into_iter()
        .map(|a| a.record)
        .chain((0..args.synthetic).map(publisher::synthetic::record))
        .collect())
}

/// The search index `content/` (plus N synthetic alerts) makes: how many
/// parts, how many bytes, the largest part (for `make bench`).
pub fn index_size(args: &IndexSizeArgs) -> Result<()> {
    let all = alerts(args)?;
    let records: Vec<&AlertRecord> = all.iter().collect();
    let parts = access_alerts::search::index::build(
        records.iter().copied(),
        chrono::Utc::now().timestamp(),
    );
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

/// What publishing one new alert (the newest, in a category and two tags)
/// and editing one (the middle synthetic one's title) write where
/// `content/` plus N synthetic alerts are published (`publisher::cost`).
pub fn publish_cost(args: &IndexSizeArgs) -> Result<()> {
    let all = alerts(args)?;
    let records: Vec<&AlertRecord> = all.iter().collect();
    let now = chrono::Utc::now().timestamp();
    let manifest = publisher::cost::manifest(&records, now);
    let newest = records.iter().map(|r| r.date).max().unwrap_or_default();
    let mut new = publisher::synthetic::record(0);
    new.slug = "a-new-alert".into();
    new.date = newest + chrono::Duration::hours(1);
    new.hash = "new".into();
    let mut edit = publisher::synthetic::record(args.synthetic / 2);
    edit.title = format!("{} (edited)", edit.title);
    edit.hash = "edited".into();
    println!(
        "{}",
        serde_json::json!({
            "alerts": records.iter().filter(|r| !r.draft).count(),
            "tags": new.tags.len(),
            "new": publisher::cost::of(&records, &manifest, &new, now),
            "edit": publisher::cost::of(&records, &manifest, &edit, now),
        })
    );
    Ok(())
}
