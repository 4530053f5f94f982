//! WebSub in-process: the feeds advertise `WEBSUB_HUBS` (Atom, JSON Feed,
//! the `Link` header), and each hub is told which feeds changed when an
//! alert goes live or gets a new change note, once, through the queue:
//! a scheduled alert at its date, a draft or a plain edit never.

use crate::fake::Site;
use crate::subscribers::{alert_text, change_note, EVERY_MINUTE};

const HUBS: &str = "https://hub.example.net/, https://pubsubhubbub.example.com/publish";

fn site() -> Site {
    let site = Site::from_content_with(&[("WEBSUB_HUBS", HUBS)]);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.fake.http_sent.borrow_mut().clear();
    site
}

/// The pings the hubs got: (hub, the feeds it was told of).
fn pings(site: &Site) -> Vec<(String, Vec<String>)> {
    site.fake
        .http_sent
        .borrow()
        .iter()
        .filter(|(url, _)| url.contains("hub.example.net") || url.contains("pubsubhubbub"))
        .map(|(url, body)| {
            let fields: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap();
            assert!(
                fields.contains(&("hub.mode".into(), "publish".into())),
                "{body}"
            );
            let feeds = fields
                .into_iter()
                .filter(|(k, _)| k == "hub.url")
                .map(|(_, v)| v)
                .collect();
            (url.clone(), feeds)
        })
        .collect()
}

#[test]
fn the_feeds_advertise_their_hubs_and_themselves() {
    let site = site();
    let atom = site.get("/feed.xml");
    let text = atom.text();
    assert!(
        text.contains(r#"<link rel="hub" href="https://hub.example.net/"></link>"#),
        "{text}"
    );
    assert!(
        text.contains(r#"<link rel="hub" href="https://pubsubhubbub.example.com/publish"></link>"#)
    );
    assert_eq!(
        atom.header("Link").as_deref(),
        Some(
            r#"<https://hub.example.net/>; rel="hub", <https://pubsubhubbub.example.com/publish>; rel="hub", <https://alerts.example.com/feed.xml>; rel="self""#
        )
    );
    let json: serde_json::Value = serde_json::from_str(&site.get("/feed.json").text()).unwrap();
    assert_eq!(json["hubs"].as_array().unwrap().len(), 2);
    assert_eq!(
        json["hubs"][1]["url"],
        "https://pubsubhubbub.example.com/publish"
    );
    let category = site.get("/category/opinion/feed.xml");
    assert!(category
        .header("Link")
        .unwrap()
        .contains("<https://alerts.example.com/category/opinion/feed.xml>; rel=\"self\""));
    // Without hubs, nothing is advertised.
    let plain = Site::from_content();
    assert!(!plain.get("/feed.xml").text().contains("rel=\"hub\""));
    assert!(plain.get("/feed.xml").header("Link").is_none());
}

#[test]
fn each_hub_hears_once_of_an_alert_at_its_date_and_of_each_new_note() {
    let site = site();
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, ""));
    site.publish_text("later", &alert_text("Later", "General", 30, ""));
    site.publish_text(
        "drafted",
        &alert_text("Drafted", "Opinion", -1, "draft = true\n"),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let got = pings(&site);
    assert_eq!(got.len(), 2, "each hub once: {got:?}");
    let feeds = &got[0].1;
    assert_eq!(
        feeds,
        &[
            "https://alerts.example.com/feed.xml",
            "https://alerts.example.com/feed.json",
            "https://alerts.example.com/category/opinion/feed.xml",
        ]
    );
    // Nothing new: nothing said.
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(pings(&site).len(), 2);
    // The scheduled one at its date, to its category's feed.
    site.fake.advance_seconds(31 * 60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let got = pings(&site);
    assert_eq!(got.len(), 4);
    assert!(got[3]
        .1
        .contains(&"https://alerts.example.com/category/general/feed.xml".to_string()));
    // A plain edit: nothing; a new change note: once more.
    site.publish_text(
        "live-now",
        &alert_text("Live now", "Opinion", -1, "summary = \"Edited.\"\n"),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(pings(&site).len(), 4, "a plain edit is no news");
    let note = change_note(32, "The deadline moved.");
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, &note));
    site.fake.advance_seconds(60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(pings(&site).len(), 6, "a change note is");
    assert!(!site.fake.logged().contains("drafted"), "a draft never");
}

#[test]
fn a_failing_hub_is_tried_again_and_delays_no_email() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.fake
        .http_routes
        .borrow_mut()
        .insert("https://hub.example.net/".into(), (503, "busy".into()));
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    let outcomes = site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "the alert went out"
    );
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, access_alerts::app::Outcome::Retry(_))),
        "the failing hub's ping was retried"
    );
    let tried = pings(&site)
        .iter()
        .filter(|(url, _)| url.contains("hub.example.net"))
        .count();
    assert!(tried > 1, "tried {tried} times");
    assert!(site
        .fake
        .logged()
        .contains("websub: https://hub.example.net answered 503"));
}

#[test]
fn a_hub_that_is_not_https_is_left_out_and_named() {
    let site = Site::from_content_with(&[(
        "WEBSUB_HUBS",
        "http://hub.example.net/, https://hub.example.org/",
    )]);
    let health = site.get("/healthz").text();
    assert!(
        health.contains("WEBSUB_HUBS holds an address that is not https"),
        "{health}"
    );
    let atom = site.get("/feed.xml").text();
    assert!(!atom.contains("http://hub.example.net/"));
    assert!(atom.contains("https://hub.example.org/"));
}
