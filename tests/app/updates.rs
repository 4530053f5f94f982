//! Change notes (`[[changes]]`) in-process: each new note is mailed once to
//! the alert's subscribers as an update ("Updated: <title>", the note
//! first), whatever the retries; the page, the API, the feeds and the
//! sitemap show it from its date on; `notify = "again"` is refused. The
//! alerts are fixtures written here: `content/` gets no invented notes.

use crate::fake::block_on;
use crate::subscribers::{alert_text, change_note, site, EVERY_MINUTE};
use access_alerts::app::{App, Outcome, QueueKind, DIGEST_CRON};

const SLUG: &str = "consultation";

fn consultation(notes: &[(i64, &str)]) -> String {
    let notes: String = notes.iter().map(|(m, n)| change_note(*m, n)).collect();
    alert_text("Consultation", "Opinion", -60, &notes)
}

/// The mailing ids in D1, in order.
fn mailings(site: &crate::fake::Site) -> Vec<String> {
    site.sql("SELECT id FROM mailings ORDER BY started_at, id")
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_new_note_is_mailed_once_as_an_update_whatever_the_retries() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.subscribe("bo@example.net", "scope=chosen&topic=c%3AOpinion");
    site.subscribe("cy@example.net", "scope=chosen&topic=c%3AGeneral");
    site.publish_text(SLUG, &consultation(&[]));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    // A note: one mailing, its id the slug, the note's day and hash.
    site.fake.advance_seconds(60);
    let first = "Corrected the deadline for comments to 6 December.";
    site.publish_text(SLUG, &consultation(&[(1, first)]));
    site.cron(EVERY_MINUTE);
    let ids = mailings(&site);
    let note_id = ids.last().unwrap().clone();
    assert!(note_id.starts_with("consultation@2024-12-01#"), "{ids:?}");
    assert_eq!(note_id.len(), "consultation@2024-12-01#".len() + 8);
    // The queue message carries the mailing id; keep it to deliver again.
    let page = site.fake.mail_queue.borrow()[0].clone();
    assert_eq!(
        (page["k"].as_str(), page["m"].as_str()),
        (Some("page"), Some(note_id.as_str()))
    );
    let taken = site.fake.mail_queue.borrow_mut().remove(0);
    assert_eq!(site.consume(QueueKind::AlertMail, &taken), Outcome::Ack);
    let send = site.fake.mail_queue.borrow()[0].clone();
    site.drain_mail();
    let ada = site.reader_mail_to("ada@example.net");
    assert_eq!(ada.len(), 3);
    let update = &ada[2];
    assert!(
        update.contains("Subject: Updated: Consultation\r\n"),
        "{update}"
    );
    let text = &update[update.find("text/plain").unwrap()..update.find("text/html").unwrap()];
    let note_at = text
        .find(&format!("Updated 1 Dec 2024: {first}"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        note_at < text.find("The body of Consultation").unwrap(),
        "the note first: {text}"
    );
    assert!(update.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert_eq!(
        site.reader_mail_to("bo@example.net").len(),
        3,
        "Opinion: the update too"
    );
    assert_eq!(
        site.reader_mail_to("cy@example.net").len(),
        1,
        "General: nothing"
    );
    // The cron again, the page message again, the send message again:
    // nothing more.
    site.cron(EVERY_MINUTE);
    assert_eq!(site.consume(QueueKind::AlertMail, &page), Outcome::Ack);
    site.drain_mail();
    assert_eq!(site.consume(QueueKind::AlertMail, &send), Outcome::Ack);
    site.fake.advance_seconds(3600);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 3);
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 3);
    // Another edit (not a note) sends nothing; nor does rewording the note
    // that went out (its id changes with its words).
    site.publish_text(
        SLUG,
        &consultation(&[(1, "Corrected the deadline for comments to 6 December 2024.")]),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 3);
    assert!(
        site.fake
            .logged()
            .contains("not sent: a note of that day went out before it was reworded"),
        "{}",
        site.fake.logged()
    );
    // A second note: one more mailing, once.
    let second = "Added the statement of 2 December.";
    site.fake.advance_seconds(86_400);
    site.publish_text(SLUG, &consultation(&[(1, first), (24 * 60 + 61, second)]));
    for _ in 0..3 {
        site.cron(EVERY_MINUTE);
        site.drain_mail();
    }
    let ada = site.reader_mail_to("ada@example.net");
    assert_eq!(ada.len(), 4);
    assert!(ada[3].contains("Subject: Updated: Consultation\r\n"));
    assert!(
        ada[3].contains(&format!("Updated 2 Dec 2024: {second}")),
        "{}",
        ada[3]
    );
    assert!(!ada[3].contains(first), "only the new note leads");
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 4);
    let ids = mailings(&site);
    assert!(
        ids.last().unwrap().starts_with("consultation@2024-12-02#"),
        "{ids:?}"
    );
    let logs = site.fake.logged();
    assert!(!logs.contains("@example.net"), "{logs}");
}

#[test]
fn a_note_reworded_while_its_mailing_runs_goes_out_once_as_it_reads_now() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text(SLUG, &consultation(&[]));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.publish_text(SLUG, &consultation(&[(0, "Corected the deadline.")]));
    site.cron(EVERY_MINUTE);
    // The typo is fixed before the mailing's messages are read.
    site.publish_text(SLUG, &consultation(&[(0, "Corrected the deadline.")]));
    for _ in 0..3 {
        site.drain_mail();
        site.cron(EVERY_MINUTE);
    }
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 3, "one update");
    assert!(mail[2].contains("Updated 1 Dec 2024: Corrected the deadline."));
    assert!(!mail[2].contains("Corected"));
}

#[test]
fn a_note_on_an_alert_not_public_yet_goes_out_with_it_not_apart() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    // A draft, noted while in review, then published.
    let draft = alert_text(
        "Reviewed",
        "Opinion",
        -120,
        &format!(
            "draft = true\n{}",
            change_note(-60, "Reworded after review.")
        ),
    );
    site.publish_text("reviewed", &draft);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 1);
    site.publish_text(
        "reviewed",
        &alert_text(
            "Reviewed",
            "Opinion",
            -120,
            &change_note(-60, "Reworded after review."),
        ),
    );
    for _ in 0..3 {
        site.cron(EVERY_MINUTE);
        site.drain_mail();
    }
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2, "the alert alone");
    assert!(mail[1].contains("Subject: Reviewed\r\n"), "{}", mail[1]);
    assert!(site
        .fake
        .logged()
        .contains("not sent: the alert's first mailing, started now, carries it"));
    // A scheduled alert, and a note dated after it: each at its date.
    site.publish_text(
        "scheduled",
        &alert_text(
            "Scheduled",
            "Opinion",
            10,
            &change_note(20, "Added the agenda."),
        ),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    site.fake.advance_seconds(11 * 60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 3);
    assert!(mail[2].contains("Subject: Scheduled\r\n"));
    assert!(!mail[2].contains("Added the agenda"), "not before its date");
    site.fake.advance_seconds(10 * 60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 4);
    assert!(mail[3].contains("Subject: Updated: Scheduled\r\n"));
    assert!(mail[3].contains("Added the agenda."));
}

#[test]
fn a_note_dated_later_shows_and_goes_out_from_its_date() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text(SLUG, &consultation(&[]));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let note = "Corrected the deadline for comments to 6 December.";
    site.publish_text(
        SLUG,
        &consultation(&[(-30, "Added the annex."), (10, note)]),
    );
    let seen = |site: &crate::fake::Site| {
        let page = site.get(&format!("/alerts/{SLUG}")).text();
        let feed: serde_json::Value = serde_json::from_str(&site.get("/feed.json").text()).unwrap();
        let item = feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"].as_str().unwrap().ends_with(SLUG))
            .unwrap()
            .clone();
        let api: serde_json::Value =
            serde_json::from_str(&site.get(&format!("/api/alerts/{SLUG}")).text()).unwrap();
        let atom = site.get("/feed.xml").text();
        let sitemap = site.get("/sitemap/2024-11.xml").text();
        (page, item["date_modified"].clone(), api, atom, sitemap)
    };
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        3,
        "the annex note"
    );
    let (page, modified, api, atom, sitemap) = seen(&site);
    assert!(page.contains("Added the annex."));
    assert!(!page.contains(note), "not before its date");
    assert!(!page.contains("<details"), "one note so far");
    assert!(
        page.contains(r#""dateModified":"2024-11-30T23:30:00Z""#),
        "{page}"
    );
    assert_eq!(modified, "2024-11-30T23:30:00Z");
    assert_eq!(api["updated"], "2024-11-30T23:30:00Z");
    assert_eq!(api["changes"].as_array().unwrap().len(), 1);
    assert!(!api.to_string().contains(note));
    assert!(
        atom.contains("<updated>2024-11-30T23:30:00Z</updated>"),
        "{atom}"
    );
    assert!(!atom.contains("2024-12-01T00:10:00Z"));
    assert!(
        sitemap.contains(&format!("alerts/{SLUG}</loc>")),
        "{sitemap}"
    );
    assert!(!sitemap.contains("2024-12-01T00:10:00Z"));
    // From its date: on the page, in the feeds, the API, the sitemap, and
    // mailed once.
    site.fake.advance_seconds(11 * 60);
    let (page, modified, api, atom, sitemap) = seen(&site);
    assert!(page.contains(&format!(
        r#"<p class="updated change">Updated <time datetime="2024-12-01T00:10:00Z">1 Dec 2024</time>: {note}</p>"#
    )), "{page}");
    assert!(page.contains("<summary>See all updates (2)</summary>"));
    assert!(page.contains(r#""dateModified":"2024-12-01T00:10:00Z""#));
    assert_eq!(modified, "2024-12-01T00:10:00Z");
    assert_eq!(api["updated"], "2024-12-01T00:10:00Z");
    assert_eq!(api["changes"][1]["note"], note);
    assert!(atom.contains("<updated>2024-12-01T00:10:00Z</updated>"));
    assert!(
        sitemap.contains("<lastmod>2024-12-01T00:10:00Z</lastmod>"),
        "{sitemap}"
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 4);
    assert!(mail[3].contains(note));
}

#[test]
fn a_conditional_get_sees_a_note_come() {
    let site = site();
    site.publish_text(SLUG, &consultation(&[(5, "Added the annex.")]));
    let page = site.get(&format!("/alerts/{SLUG}"));
    let feed = site.get("/feed.xml");
    let (page_tag, feed_tag) = (page.header("etag").unwrap(), feed.header("etag").unwrap());
    let again = |path: &str, tag: &str| site.request("GET", path, &[("If-None-Match", tag)]).status;
    assert_eq!(again(&format!("/alerts/{SLUG}"), &page_tag), 304);
    assert_eq!(again("/feed.xml", &feed_tag), 304);
    site.fake.advance_seconds(6 * 60);
    assert_eq!(
        again(&format!("/alerts/{SLUG}"), &page_tag),
        200,
        "the page changed"
    );
    assert_eq!(again("/feed.xml", &feed_tag), 200, "the feed changed");
    assert!(site
        .get("/feed.xml")
        .text()
        .contains("<updated>2024-12-01T00:05:00Z</updated>"));
}

#[test]
fn the_digest_lists_an_alert_updated_in_its_week_once() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all&frequency=weekly");
    // Published before the week, noted twice in it; and one of the week,
    // noted in it too (listed as itself).
    site.publish_text(
        "older",
        &alert_text(
            "Older",
            "Opinion",
            -10 * 24 * 60,
            &(change_note(-3 * 24 * 60, "First note.") + &change_note(-60, "Second note.")),
        ),
    );
    site.publish_text(
        "this-week",
        &alert_text(
            "This week",
            "Opinion",
            -120,
            &change_note(-60, "A note of the week."),
        ),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.fake.advance_seconds(32 * 3600);
    site.cron(DIGEST_CRON);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2, "the confirmation and the digest");
    let digest = &mail[1];
    assert_eq!(
        digest.matches("/alerts/older").count(),
        2,
        "once in each part: {digest}"
    );
    assert!(
        digest.contains("Updated 30 Nov 2024: Second note."),
        "{digest}"
    );
    assert!(
        !digest.contains("First note."),
        "the newest note of the week"
    );
    assert_eq!(digest.matches("/alerts/this-week").count(), 2);
    assert!(!digest.contains("A note of the week"), "listed as itself");
}

#[test]
fn notify_again_is_refused_with_its_replacement_explained() {
    let site = site();
    let refused = site
        .publish_files(&[(
            "asked-again",
            &alert_text("Asked again", "Opinion", -1, "notify = \"again\"\n"),
        )])
        .unwrap_err();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].ends_with("alerts/asked-again.md:5: notify = \"again\" is replaced by change notes: add [[changes]] with date and note; each new note is emailed once"),
        "{refused:?}"
    );
    // Nothing was written, so nothing goes out.
    let app = App::new(&site.fake, &site.settings);
    block_on(app.scheduled(EVERY_MINUTE, site.fake.now())).unwrap();
    assert!(site.fake.mail_queue.borrow().is_empty());
}
