//! The site's version (`site:version`, written last by each publish): an
//! isolate keeps what it read past the TTL while the version is unchanged,
//! so that it pays one KV read per TTL for everything it holds; a publish
//! shows within the TTL of its version, and nothing read before the version
//! has settled (KV's propagation delay) is kept past the TTL.

use crate::fake::Site;
use crate::SEED;
use access_alerts::content::AlertRecord;
use access_alerts::keys::{self, VERSION_KEY};

const ROUTES: [&str; 8] = [
    "/",
    "/category/opinion",
    "/archive/2024/11",
    "/sitemap.xml",
    "/sitemap/pages.xml",
    "/feed.xml",
    "/alerts/oewg-collective-call-against-barring-organisations",
    "/contact",
];

fn site() -> Site {
    let site = Site::from_content_with(&[("CACHE_TTL_SECONDS", "30"), ("KV_SETTLE_SECONDS", "60")]);
    site.seed_synthetic(30);
    site
}

/// The keys one view of each route reads, together.
fn reads(site: &Site) -> Vec<String> {
    let before = site.fake.kv_read.borrow().len();
    for path in ROUTES {
        assert_eq!(site.get(path).status, 200, "{path}");
    }
    site.fake.kv_read.borrow()[before..].to_vec()
}

/// Views every route once a TTL until the version has settled and what
/// they read is tagged with it.
fn settle(site: &Site) {
    for _ in 0..4 {
        reads(site);
        site.fake.advance_seconds(31);
    }
}

fn edit_title(site: &Site, title: &str) {
    let mut edited: AlertRecord =
        serde_json::from_str(&site.fake.value(&keys::alert(SEED)).unwrap()).unwrap();
    edited.title = title.into();
    edited.content_hash = format!("edited {title}");
    site.publish(&edited);
}

#[test]
fn past_the_ttl_an_isolate_reads_only_the_version_while_nothing_is_published() {
    let site = site();
    let cold = reads(&site);
    assert!(cold.len() >= ROUTES.len(), "{cold:?}");
    settle(&site);
    for _ in 0..5 {
        assert_eq!(
            reads(&site),
            [VERSION_KEY],
            "every route past the TTL: the version, once, and nothing else"
        );
        assert!(reads(&site).is_empty(), "and within the TTL, nothing");
        site.fake.advance_seconds(31);
    }
}

#[test]
fn a_publish_shows_within_the_ttl_of_its_version() {
    let site = site();
    settle(&site);
    assert_eq!(reads(&site), [VERSION_KEY], "checked now");
    let page = format!("/alerts/{SEED}");
    edit_title(&site, "Edited title");
    assert!(
        !site.get(&page).text().contains("Edited title"),
        "the version was checked less than the TTL ago"
    );
    site.fake.advance_seconds(31);
    assert!(site.get(&page).text().contains("Edited title"));
    assert!(
        site.get("/").text().contains("Edited title"),
        "listings too"
    );
    // What is read in the new version's first minute is not kept past
    // the TTL: KV may still serve a value from before the publish there.
    site.fake.advance_seconds(31);
    let again = reads(&site);
    assert!(
        again.len() > 1 && again.contains(&keys::alert(SEED)),
        "read again, not trusted yet: {again:?}"
    );
    settle(&site);
    assert_eq!(reads(&site), [VERSION_KEY], "settled again");
    assert!(site.get(&page).text().contains("Edited title"));
}

#[test]
fn a_value_changed_without_a_new_version_shows_with_the_next_publish() {
    let site = site();
    settle(&site);
    reads(&site);
    // A publish cut short before its last step: the record is written,
    // the version is not.
    let mut edited: AlertRecord =
        serde_json::from_str(&site.fake.value(&keys::alert(SEED)).unwrap()).unwrap();
    edited.title = "Half published".into();
    edited.content_hash = "half".into();
    site.fake.publish_record_only(&edited);
    site.fake.advance_seconds(31);
    let page = format!("/alerts/{SEED}");
    assert!(
        !site.get(&page).text().contains("Half published"),
        "the kept copy holds while the version does"
    );
    // The next publish finishes the run and writes a new version.
    site.fake.reindex();
    site.fake.advance_seconds(31);
    assert!(site.get(&page).text().contains("Half published"));
}

#[test]
fn without_a_version_or_without_caching_nothing_is_kept_past_the_ttl() {
    // A store published before versions: every key is read again after
    // the TTL, as before.
    let site = site();
    site.fake.kv.borrow_mut().remove(VERSION_KEY);
    settle(&site);
    let past = reads(&site);
    assert!(
        past.iter().any(|k| k.starts_with("ls:")) && past.contains(&keys::alert(SEED)),
        "{past:?}"
    );
    // CACHE_TTL_SECONDS=0: nothing kept at all, the version never read.
    let uncached = Site::from_content_with(&[("CACHE_TTL_SECONDS", "0")]);
    uncached.seed_synthetic(30);
    for _ in 0..3 {
        let read = reads(&uncached);
        assert!(!read.iter().any(|k| k == VERSION_KEY), "{read:?}");
        uncached.fake.advance_seconds(31);
    }
}

#[test]
fn a_scheduled_alert_still_appears_at_its_date_while_the_version_holds() {
    let site = site();
    let date = chrono::DateTime::from_timestamp_millis(site.fake.now() + 300_000).unwrap();
    site.publish_text(
        "later",
        &format!(
            "+++\ntitle = \"Later\"\ndate = {}\ncategory = \"Opinion\"\n+++\nSoon.\n",
            date.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    settle(&site);
    assert!(!site.get("/").text().contains("Later"));
    assert_eq!(site.get("/alerts/later").status, 404);
    site.fake.advance_seconds(300 - 4 * 31 + 1);
    assert!(site.get("/").text().contains("Later"), "at its date");
    assert_eq!(site.get("/alerts/later").status, 200);
}

#[test]
fn a_search_is_kept_like_a_page_and_a_publish_shows_in_it_within_the_ttl() {
    let site = site();
    let query = "/search?q=accreditation";
    let before = site.fake.kv_read.borrow().len();
    let first = site.get(query).text();
    assert!(site.fake.kv_read.borrow().len() > before);
    let reads = |path: &str| {
        let before = site.fake.kv_read.borrow().len();
        let text = site.get(path).text();
        (site.fake.kv_read.borrow()[before..].to_vec(), text)
    };
    let (again, text) = reads(query);
    assert!(
        again.is_empty(),
        "postings, meta, block and documents kept: {again:?}"
    );
    assert_eq!(text, first, "byte for byte");
    // Another word with the same first letters reads its postings only.
    let (other, _) = reads("/search?q=accredited");
    assert!(
        !other
            .iter()
            .any(|k| *k == access_alerts::search::index::meta_key(access_alerts::i18n::Lang::En)),
        "{other:?}"
    );
    settle(&site);
    reads(query);
    site.fake.advance_seconds(31);
    let (past, text) = reads(query);
    assert_eq!(past, [VERSION_KEY], "past the TTL: the version only");
    assert_eq!(text, first);
    // A scheduled alert with the word changes nothing until its date,
    // kept lists or not; a new public one shows within the TTL.
    let at = chrono::DateTime::from_timestamp_millis(site.fake.now() + 600_000).unwrap();
    site.publish_text(
        "accreditation-later",
        &format!(
            "+++\ntitle = \"Accreditation later\"\ndate = {}\ncategory = \"Opinion\"\n+++\nAccreditation.\n",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    site.fake.advance_seconds(31);
    assert_eq!(
        site.get(query).text(),
        first,
        "nothing of the scheduled alert"
    );
    site.fake.advance_seconds(600);
    assert!(
        site.get(query).text().contains("Accreditation later"),
        "at its date"
    );
}

#[test]
fn the_contact_form_shows_a_published_contact_within_the_ttl_of_its_version() {
    let site = site();
    settle(&site);
    let text = site.fake.value(keys::CONTACTS_KEY).unwrap();
    let mut contacts: Vec<access_alerts::content::Contact> = serde_json::from_str(&text).unwrap();
    let old = contacts[0].name.clone();
    assert!(site.get("/contact").text().contains(&old));
    contacts[0].name = "Renamed Contact".into();
    site.fake.set_contacts(&contacts);
    site.fake.reindex();
    assert!(
        site.get("/contact").text().contains(&old),
        "kept: the version was checked less than the TTL ago"
    );
    site.fake.advance_seconds(31);
    let page = site.get("/contact").text();
    assert!(
        page.contains("Renamed Contact") && !page.contains(&old),
        "{page}"
    );
}
