//! Linking the loaded alerts: contacts and related alerts resolved, aliases
//! checked against the site's routes and each other, KV limits checked, and
//! each record's listing summary and hash filled in.

use crate::model::{problem, Alert, Content, Problem};
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
            translations: Vec::new(),
            names: Default::default(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_alert, parse_contacts};
    use test_case::test_case;

    const GOOD: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n+++\nBody text.\n";

    fn parse(text: &str) -> Result<Alert, Vec<Problem>> {
        parse_alert(Path::new("alerts/x.md"), "x", text).map(|(a, _)| a)
    }

    fn contacts() -> Vec<Contact> {
        parse_contacts(
            Path::new("contacts.toml"),
            "[a]\nname = \"A\"\n[inbox]\nname = \"Inbox\"\ngeneral = true\n",
        )
        .unwrap()
    }

    #[test]
    fn errors_on_unknown_contact_related_and_alias_clash() {
        let one = parse("+++\ntitle = \"One\"\ndate = 2024-11-25\ncontacts = [\"nobody\"]\nrelated = [\"missing\"]\naliases = [\"/old\"]\n+++\n").unwrap();
        let mut two =
            parse("+++\ntitle = \"Two\"\ndate = 2024-11-25\naliases = [\"/old/\"]\n+++\n").unwrap();
        two.record.slug = "y".into();
        two.file = PathBuf::from("alerts/y.md");
        let problems = link(contacts(), vec![one, two], Path::new("contacts.toml")).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("alerts/x.md:4: unknown contact id `nobody`")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("alerts/x.md:5: unknown related alert `missing`")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("alias `/old/` clashes with alert `x`")),
            "{text:?}"
        );
    }

    #[test_case("/category/old-name" ; "under category")]
    #[test_case("/tag/old" ; "under tag")]
    #[test_case("/archive/2019/old" ; "under archive")]
    #[test_case("/preview/old" ; "under preview")]
    #[test_case("/operator/old" ; "under operator")]
    #[test_case("/contact/" ; "a route with a trailing slash")]
    #[test_case("/feed.xml" ; "a route")]
    fn errors_on_alias_the_router_answers(alias: &str) {
        let text =
            format!("+++\ntitle = \"One\"\ndate = 2024-11-25\naliases = [\"{alias}\"]\n+++\n");
        let one = parse(&text).unwrap();
        let problems = link(contacts(), vec![one], Path::new("contacts.toml")).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text.iter().any(|t| t.contains(&format!(
                "alerts/x.md:4: alias `{alias}` clashes with a page of the site"
            ))),
            "{text:?}"
        );
    }

    #[test]
    fn errors_on_slug_clash_not_on_a_long_title() {
        let a = parse(GOOD).unwrap();
        let mut b = parse(&GOOD.replace("Body text.", &"word ".repeat(10))).unwrap();
        b.file = PathBuf::from("alerts/2024/x.md");
        // A listing entry is a line of a chunk, not KV metadata: a long
        // title (or many translations) has no 1,024-byte limit.
        let mut c = parse(&format!(
            "+++\ntitle = \"{}\"\ndate = 2024-11-25\n+++\n",
            "t".repeat(1100)
        ))
        .unwrap();
        c.record.slug = "z".into();
        let problems = link(contacts(), vec![a, b, c], Path::new("contacts.toml")).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text.iter().any(|t| t.contains("slug `x` is also used by")),
            "{text:?}"
        );
        assert_eq!(text.len(), 1, "{text:?}");
    }
}
