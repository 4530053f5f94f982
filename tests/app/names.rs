//! Category and tag names in the other languages (issue 24): editors write
//! them in `content/names.toml`, `make publish` writes one KV value, and
//! every page, feed and mail in a language shows them; a name without a
//! translation shows in English, marked. Changing a name changes no code
//! and no alert's keys.

use crate::fake::{Site, ORIGIN};
use crate::subscribers::{alert_text, site, EVERY_MINUTE};
use crate::SEED;
use access_alerts::i18n::Names;
use std::path::Path;

/// `names.toml`'s text as the publisher reads it.
fn names(text: &str) -> Names {
    let (names, _) =
        publisher::load::parse_names(Path::new("names.toml"), text, |_, _| true).unwrap();
    names
}

fn page(site: &Site, path: &str) -> String {
    let r = site.get(path);
    assert_eq!(r.status, 200, "{path}");
    r.text()
}

#[test]
fn pages_and_feeds_in_a_language_show_the_editors_names_and_english_where_there_are_none() {
    let site = Site::from_content();
    site.publish_files(&[(
        "merger-note",
        "+++\ntitle = \"Merger note\"\ndate = 2024-11-20\ncategory = \"Opinion\"\ntags = [\"Merger\"]\n+++\nBody.\n",
    )])
    .unwrap();
    let ar = page(&site, &format!("/ar/alerts/{SEED}"));
    assert!(
        ar.contains(r#"<a class="category" href="/ar/category/opinion">رأي</a>"#),
        "{ar}"
    );
    assert!(ar.contains(r#"<a href="/ar/tag/united-nations">الأمم المتحدة</a>"#));
    assert!(ar.contains(r#"<a href="/ar/tag/cybersecurity">الأمن السيبراني</a>"#));

    let home = page(&site, "/zh/");
    assert!(home.contains(r#"<a class="category" href="/zh/category/opinion">观点</a>"#));
    let tag = page(&site, "/zh/tag/united-nations");
    assert!(tag.contains("<h1>标签：联合国</h1>"), "{tag}");
    // A tag no one translated: its English name in its page's heading,
    // marked as such.
    let merger = page(&site, "/fr/tag/merger");
    assert!(
        merger.contains(r#"<span lang="en">Merger</span></h1>"#),
        "{merger}"
    );
    assert!(merger.contains(r#"<span lang="en">Merger</span>"#));
    let translated = page(&site, "/fr/tag/united-nations");
    assert!(
        translated.contains("Nations unies</h1>") && !translated.contains(r#"<span lang="en">"#),
        "{translated}"
    );
    let english = page(&site, "/fr/category/opinion");
    assert!(english.contains("<h1>Catégorie\u{a0}: Opinion</h1>"));

    let search = page(&site, "/fr/search?q=organisations");
    assert!(
        search.contains(r#"category=opinion">Opinion</a>"#)
            && !search.contains(r#"category=opinion" lang="en""#),
        "{search}"
    );
    let search = page(&site, "/zh/search?q=%E7%BB%84%E7%BB%87");
    assert!(search.contains(">观点</a>"), "{search}");

    let atom = page(&site, "/fr/feed.xml");
    assert!(
        atom.contains(r#"<category term="united-nations" label="Nations unies">"#),
        "{atom}"
    );
    let json: serde_json::Value = serde_json::from_str(&page(&site, "/zh/feed.json")).unwrap();
    assert_eq!(
        json["items"][0]["tags"],
        serde_json::json!(["观点", "网络安全", "联合国"])
    );
    // English pages and feeds are as editors wrote the names.
    let en = page(&site, "/feed.xml");
    assert!(en.contains(r#"label="United Nations""#));
}

#[test]
fn a_tag_without_a_translation_shows_in_english_marked_on_a_page_in_a_language() {
    let site = Site::from_content();
    site.publish_files(&[(
        SEED,
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("content/alerts/{SEED}.md")),
        )
        .unwrap()
        .replace(
            r#"tags = ["Cybersecurity", "United Nations"]"#,
            r#"tags = ["Cybersecurity", "Merger"]"#,
        ),
    )])
    .unwrap();
    let fr = page(&site, &format!("/fr/alerts/{SEED}"));
    assert!(
        fr.contains(r#"<a href="/fr/tag/merger" lang="en">Merger</a>"#),
        "{fr}"
    );
    assert!(fr.contains(r#"<a href="/fr/tag/cybersecurity">Cybersécurité</a>"#));
}

#[test]
fn changing_a_name_changes_the_pages_and_their_validators_and_no_alert_s_keys() {
    let site = Site::from_content();
    let path = format!("/fr/alerts/{SEED}");
    let before = site.get(&path);
    let etag = before.header("etag");
    let alert_key = format!("alert:{SEED}");
    let record = site.fake.value(&alert_key);
    site.fake.set_names(&names(
        "[tags.\"United Nations\"]\nfr = \"ONU\"\n[categories.Opinion]\nfr = \"Tribune\"\n",
    ));
    site.fake.reindex();
    site.fake.advance_seconds(31);
    let after = site.get(&path);
    let text = after.text();
    assert!(
        text.contains(r#"<a href="/fr/tag/united-nations">ONU</a>"#),
        "{text}"
    );
    assert!(text.contains(r#"<a class="category" href="/fr/category/opinion">Tribune</a>"#));
    assert_ne!(after.header("etag"), etag, "a new validator");
    assert!(
        text.contains(r#"<a href="/fr/tag/cybersecurity" lang="en">Cybersecurity</a>"#),
        "a name taken out shows in English: {text}"
    );
    assert_eq!(
        site.fake.value(&alert_key),
        record,
        "the alert's record is unchanged"
    );
    let feed = page(&site, "/fr/feed.xml");
    assert!(feed.contains(r#"label="ONU""#), "{feed}");
    let category = page(&site, "/fr/category/opinion");
    assert!(category.contains("Tribune</h1>"), "{category}");
    // A URL never depends on a name's translation.
    assert_eq!(site.get("/fr/category/tribune").status, 404);
}

#[test]
fn a_subscriber_reads_their_topics_in_their_language() {
    let site = site();
    let page = page(&site, "/es/subscribe");
    assert!(page.contains(">Opinión</label>"), "{page}");
    assert!(page.contains(">Naciones Unidas</label>"));
    let es = site.subscribe_from("/es", "ada@example.net", "scope=chosen&topic=c%3AOpinion");
    assert!(
        es.subscribed_page.contains("Opinión"),
        "{}",
        es.subscribed_page
    );
    site.publish_files(&[("fresh-call", &alert_text("Fresh call", "Opinion", -1, ""))])
        .unwrap();
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    let alert = mail.last().unwrap();
    assert!(alert.contains("Subject: Fresh call"), "{alert}");
    assert!(
        alert.contains("Opinión"),
        "why it was sent, in Spanish: {alert}"
    );
    assert!(alert.contains(&format!("{ORIGIN}/es/unsubscribe?t=")));
}
