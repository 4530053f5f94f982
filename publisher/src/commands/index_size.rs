//! `alerts index-size` (for `make bench`): the search index `content/`
//! (plus N synthetic alerts) makes, as JSON.

use super::check::check;
use crate::cli::IndexSizeArgs;
use anyhow::Result;

/// The search index `content/` (plus N synthetic alerts) makes: how many
/// parts, how many bytes, the largest part (for `make bench`).
pub fn index_size(args: &IndexSizeArgs) -> Result<()> {
    let content = check(&args.content.dir)?;
    let synthetic: Vec<_> = (0..args.synthetic)
        .map(publisher::synthetic::record)
        .collect();
    let records: Vec<_> = content
        .alerts
        .iter()
        .map(|a| &a.record)
        .chain(&synthetic)
        .collect();
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
