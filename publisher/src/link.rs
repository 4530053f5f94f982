//! Linking the loaded alerts: contacts and related alerts resolved, aliases
//! checked against the site's routes and each other, KV limits checked, and
//! each record's listing summary and hash filled in.

use crate::load::{problem, Alert, Content, Problem};
use access_alerts::content::{AlertRecord, Contact, ListingEntry};
use access_alerts::keys;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Resolves contacts and related alerts, checks clashes and KV limits, and
/// fills each record's listing summary and hash.
pub fn link(
    contacts: Vec<Contact>,
    mut alerts: Vec<Alert>,
    contacts_file: &Path,
) -> Result<Content, Vec<Problem>> {
    let _ = contacts_file;
    let mut problems = Vec::new();
    alerts.sort_by(|a, b| a.record.slug.cmp(&b.record.slug));
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for a in &alerts {
        if let Some(other) = seen.insert(a.record.slug.clone(), a.file.clone()) {
            problems.push(problem(
                &a.file,
                1,
                format!(
                    "slug `{}` is also used by {}",
                    a.record.slug,
                    other.display()
                ),
            ));
        }
    }
    let mut alias_owner: HashMap<String, String> = HashMap::new();
    for a in &alerts {
        for alias in &a.record.aliases {
            let path = alias.trim_end_matches('/');
            // The Worker's own router decides: a path it resolves, or one
            // under a route's prefix, would never reach the alias.
            let clash = if access_alerts::routes::owns(alias) {
                Some("a page of the site (the router answers that path itself)".to_string())
            } else {
                alias_owner
                    .insert(path.to_string(), a.record.slug.clone())
                    .filter(|o| o != &a.record.slug)
                    .map(|o| format!("alert `{o}`"))
            };
            if let Some(owner) = clash {
                problems.push(problem(
                    &a.file,
                    a.lines.get("aliases").copied().unwrap_or(1),
                    format!("alias `{alias}` clashes with {owner}"),
                ));
            }
        }
    }
    let drafts: std::collections::HashSet<String> = alerts
        .iter()
        .filter(|a| a.record.draft)
        .map(|a| a.record.slug.clone())
        .collect();
    let entries: HashMap<String, ListingEntry> = alerts
        .iter()
        .map(|a| (a.record.slug.clone(), a.record.entry()))
        .collect();
    for a in &mut alerts {
        let line = |k: &str| a.lines.get(k).copied().unwrap_or(1);
        for id in &a.contact_ids {
            match contacts.iter().find(|c| &c.id == id) {
                Some(c) => a.record.contacts.push(c.clone()),
                None => problems.push(problem(
                    &a.file,
                    line("contacts"),
                    format!(
                        "unknown contact id `{id}` (known: {})",
                        contacts
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
        for slug in &a.related_slugs {
            match entries.get(slug) {
                // A draft is never stored in another alert's related list:
                // once it is published, this alert's record changes and is
                // published again with it.
                Some(_) if drafts.contains(slug.as_str()) => {}
                Some(e) if slug != &a.record.slug => a.record.related.push(e.clone()),
                Some(_) => problems.push(problem(
                    &a.file,
                    line("related"),
                    "an alert cannot be related to itself",
                )),
                None => problems.push(problem(
                    &a.file,
                    line("related"),
                    format!("unknown related alert `{slug}`"),
                )),
            }
        }
        let entry = a.record.entry();
        let meta_len = serde_json::to_string(&entry.meta).map_or(0, |s| s.len());
        if meta_len > keys::MAX_METADATA_BYTES {
            problems.push(problem(&a.file, 1, format!("listing metadata is {meta_len} bytes, over KV's {} (shorten the title, summary or tags)", keys::MAX_METADATA_BYTES)));
        }
        for key in crate::keyset::all_keys(&a.record) {
            if key.len() > keys::MAX_KEY_BYTES {
                problems.push(problem(
                    &a.file,
                    1,
                    format!(
                        "KV key `{}…` is {} bytes, over KV's {}",
                        key.chars().take(40).collect::<String>(),
                        key.len(),
                        keys::MAX_KEY_BYTES
                    ),
                ));
            }
        }
        let shown = AlertRecord {
            related: Vec::new(),
            hash: String::new(),
            content_hash: String::new(),
            ..a.record.clone()
        };
        a.record.content_hash = hash_record(&shown);
        a.record.hash = hash_record(&a.record);
    }
    for a in &alerts {
        let published = crate::keyset::published_meta(&a.record);
        let len = serde_json::to_string(&published).map_or(0, |s| s.len());
        if len > keys::MAX_METADATA_BYTES {
            problems.push(problem(&a.file, 1, format!("the alert's key list is {len} bytes of metadata, over KV's {} (fewer tags or aliases)", keys::MAX_METADATA_BYTES)));
        }
    }
    if problems.is_empty() {
        Ok(Content {
            contacts,
            alerts,
            warnings: Vec::new(),
        })
    } else {
        Err(problems)
    }
}

fn hash_record(r: &AlertRecord) -> String {
    let json = serde_json::to_string(r).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(keys::SCHEMA_VERSION.to_le_bytes());
    h.update(json.as_bytes());
    let digest = h.finalize();
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}
