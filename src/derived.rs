//! The keys derived from every alert at once rather than one alert's (the
//! search index, the listings, `site:months`, `site:topics`,
//! `site:notify`), and what a publish writes of them: only the parts whose
//! hash differs from `site:manifest`'s, the manifest last, so that a run
//! cut short is finished by the next one.
//!
//! A listing chunk (`crate::listing`) is named by its content and read with
//! a long `cacheTtl`, so a reader whose location still holds the previous
//! index (KV takes about 60 s to propagate) may still ask for the chunk it
//! names: a chunk no longer made is not deleted at once but retired (kept
//! in the manifest as `<key>\t~<unix seconds>`) and deleted by the first
//! publish at least [`RETIRE_SECONDS`] later.

use crate::search::index::MANIFEST_KEY;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How long a superseded chunk stays readable: KV's propagation (about
/// 60 s), the index's own `cacheTtl` and the isolate's TTL, with room.
pub const RETIRE_SECONDS: i64 = 600;

/// What a publish writes and deletes to bring the derived parts in KV to
/// `parts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Changed and new parts, then the new manifest (last, so that a run
    /// cut short is redone by the next one).
    pub put: Vec<(String, String)>,
    /// Parts no longer made (and chunks retired long enough ago).
    pub delete: Vec<String>,
}

/// The first 8 bytes of a value's SHA-256, in hex.
pub fn part_hash(value: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(value.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares `parts` with the manifest of what is published (none: write
/// everything), at `now` (unix seconds: when retired chunks may go).
pub fn plan(parts: &BTreeMap<String, String>, published_manifest: Option<&str>, now: i64) -> Plan {
    let old: HashMap<&str, &str> = published_manifest
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let mut manifest = String::new();
    let mut put = Vec::new();
    for (key, value) in parts {
        let hash = part_hash(value);
        if old.get(key.as_str()) != Some(&hash.as_str()) {
            put.push((key.clone(), value.clone()));
        }
        manifest.push_str(&format!("{key}\t{hash}\n"));
    }
    let mut delete = BTreeSet::new();
    let mut retired = BTreeMap::new();
    for (key, hash) in old.iter().filter(|(k, _)| !parts.contains_key(**k)) {
        if !crate::listing::is_chunk_key(key) {
            delete.insert(key.to_string());
            continue;
        }
        match hash.strip_prefix('~').and_then(|t| t.parse::<i64>().ok()) {
            Some(t) if now - t >= RETIRE_SECONDS => {
                delete.insert(key.to_string());
            }
            Some(t) => {
                retired.insert(key.to_string(), t);
            }
            None => {
                retired.insert(key.to_string(), now);
            }
        }
    }
    for (key, t) in &retired {
        manifest.push_str(&format!("{key}\t~{t}\n"));
    }
    let delete: Vec<String> = delete.into_iter().collect();
    // Compared without trailing line ends: `wrangler kv key get` may print
    // one of its own after the value.
    if published_manifest.map(str::trim_end) == Some(manifest.trim_end()) {
        return Plan { put, delete };
    }
    put.push((MANIFEST_KEY.to_string(), manifest));
    Plan { put, delete }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_superseded_chunk_is_retired_then_deleted_after_the_delay() {
        let first = parts(&[("ls:all", "2024-11\t1\taa\n"), ("ls:all:2024-11:aa", "x")]);
        let p1 = plan(&first, None, 1000);
        let m1 = p1.put.last().unwrap().1.clone();
        let second = parts(&[("ls:all", "2024-11\t2\tbb\n"), ("ls:all:2024-11:bb", "y")]);
        let p2 = plan(&second, Some(&m1), 1100);
        assert!(p2.delete.is_empty(), "still named by indexes being read");
        let m2 = p2.put.last().unwrap().1.clone();
        assert!(m2.contains("ls:all:2024-11:aa\t~1100\n"));
        // Nothing else changed, too soon: the manifest stays as it is.
        let p3 = plan(&second, Some(&m2), 1100 + RETIRE_SECONDS - 1);
        assert!(p3.put.is_empty() && p3.delete.is_empty());
        let printed = format!("{m2}\n");
        let p3 = plan(&second, Some(&printed), 1100 + RETIRE_SECONDS - 1);
        assert!(p3.put.is_empty(), "a line end wrangler adds is no change");
        let p4 = plan(&second, Some(&m2), 1100 + RETIRE_SECONDS);
        assert_eq!(p4.delete, ["ls:all:2024-11:aa"]);
        let m4 = &p4.put.last().unwrap().1;
        assert!(!m4.contains("~"));
    }

    #[test]
    fn other_parts_no_longer_made_are_deleted_at_once() {
        let first = parts(&[("search:t:two", "1"), ("ls:tag:gone", "2024-11\t1\taa\n")]);
        let m1 = plan(&first, None, 0).put.last().unwrap().1.clone();
        let p = plan(&parts(&[]), Some(&m1), 1);
        assert_eq!(p.delete, ["ls:tag:gone", "search:t:two"]);
    }
}
