//! The site's version through the real runtime: `alerts publish` writes
//! `site:version` last, and an isolate past its TTL reads that one key,
//! not the record it keeps, until a publish changes it. The rules
//! (settling, cut-short publishes, scheduled alerts) are tested in-process
//! (`tests/app/version.rs`).

mod common;

use common::{content_copy, Worker};
use std::time::Duration;

const SEED: &str = "oewg-collective-call-against-barring-organisations";

/// (keys read, of which the version) by one view of `path`, after the TTL.
fn after_ttl(w: &Worker, path: &str) -> (String, String) {
    std::thread::sleep(Duration::from_millis(1_200));
    let r = w.get(path);
    assert_eq!(r.status, 200, "{path}: {}", w.log());
    (
        r.header("x-kv-keys").unwrap_or("0").to_string(),
        r.header("x-kv-version").unwrap_or("0").to_string(),
    )
}

#[test]
fn past_the_ttl_an_isolate_reads_the_version_and_a_publish_changes_it() {
    let w = Worker::start(&[
        ("BENCH_ROUTES", "1"),
        ("CACHE_TTL_SECONDS", "1"),
        ("KV_SETTLE_SECONDS", "0"),
    ]);
    let content = content_copy();
    w.publish(content.path(), false);
    let first = w.kv(&["key", "get", "site:version", "--text"]);
    assert!(!first.trim().is_empty(), "the publish wrote a version");
    let page = format!("/alerts/{SEED}");
    assert_eq!(w.get(&page).status, 200);
    // Read again with the version, then kept under it.
    after_ttl(&w, &page);
    for _ in 0..2 {
        assert_eq!(
            after_ttl(&w, &page),
            ("1".into(), "1".into()),
            "past the TTL: the version only"
        );
    }
    // A publish with nothing changed writes nothing, the version neither.
    let said = w.publish(content.path(), false);
    assert!(said.contains("0 keys written, 0 deleted"), "{said}");
    assert_eq!(w.kv(&["key", "get", "site:version", "--text"]), first);
    // An edit: a new version, and the page shows it after the TTL.
    let file = content.path().join(format!("alerts/{SEED}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("title = \"", "title = \"Edited: ", 1);
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let said = w.publish(content.path(), false);
    let written: usize = said
        .lines()
        .find_map(|l| l.split_once(" keys written")?.0.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    // Its record, its search document, listings, search parts, site keys
    // and the version: more than the record alone.
    assert!(written > 2, "{said}");
    assert_ne!(w.kv(&["key", "get", "site:version", "--text"]), first);
    let (keys, version) = after_ttl(&w, &page);
    assert_eq!(version, "1");
    assert!(
        keys.parse::<u32>().unwrap() >= 2,
        "the record read again: {keys}"
    );
    assert!(w.get(&page).body.contains("Edited: "), "{}", w.log());
}
