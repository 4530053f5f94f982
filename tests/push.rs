//! Push under `wrangler dev`: a local hub (`WEBSUB_HUBS`) and a local
//! webhook receiver (an endpoint the operator added), both at
//! `http://127.0.0.1` addresses only a test build takes, get the publish
//! ping for the site's feeds and the signed `alert.published` event within
//! a minute of publishing an alert, and the feeds advertise the hub.

mod common;

use access_alerts::webhook::signature::Secret;
use common::{content_copy, stand_in_with_headers, Worker};
use std::time::{Duration, Instant};

#[test]
fn a_local_hub_and_a_webhook_receiver_hear_within_a_minute_of_publishing() {
    // A hub (/hub) and a webhook receiver (/hook) that answer 202.
    let (origin, asked, headers) = stand_in_with_headers(|_, _| (202, String::new()));
    let hub_url = format!("{origin}/hub");
    let hook_url = format!("{origin}/hook");
    let bodies = || -> Vec<String> {
        asked
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    };
    let w = Worker::start_with_d1(&[("WEBSUB_HUBS", &hub_url)]);
    let content = content_copy();
    w.publish(content.path(), false);
    w.scheduled("* * * * *");
    let form = serde_urlencoded::to_string([("url", hook_url.as_str())]).unwrap();
    let added = w.request(
        "POST",
        "/operator/webhooks",
        &[
            ("Authorization", "Bearer test-operator-token"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        form.as_bytes(),
    );
    assert_eq!(added.status, 201, "{}", added.body);
    let secret = added.json()["secret"].as_str().unwrap().to_string();
    assert!(!w.log().contains(&secret), "the secret is never logged");
    let feed = w.get("/feed.xml");
    assert!(
        feed.body
            .contains(&format!(r#"<link rel="hub" href="{hub_url}">"#)),
        "{}",
        feed.body
    );
    assert!(feed
        .header("link")
        .unwrap()
        .contains(&format!("<{hub_url}>; rel=\"hub\"")));
    let seen = bodies().len();
    let date = chrono::Utc::now() - chrono::Duration::seconds(30);
    std::fs::write(
        content.path().join("alerts/pushed.md"),
        format!(
            "+++\ntitle = \"Pushed\"\ndate = {}\ncategory = \"Opinion\"\n+++\nPushed to the hub.\n",
            date.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    )
    .unwrap();
    let published = Instant::now();
    w.publish(content.path(), false);
    w.scheduled("* * * * *");
    let self_url = w.url("/feed.xml");
    let encoded = serde_urlencoded::to_string([("hub.url", &self_url)]).unwrap();
    let (mut pinged, mut hooked) = (false, false);
    while !(pinged && hooked) {
        let got = bodies()[seen..].to_vec();
        pinged |= got
            .iter()
            .any(|b| b.contains("hub.mode=publish") && b.contains(&encoded));
        let all = asked.lock().unwrap().clone();
        let heard = headers.lock().unwrap().clone();
        for ((path, body), head) in all.iter().zip(&heard).skip(seen) {
            if path != "/hook" {
                continue;
            }
            let header = |name: &str| {
                head.iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("no {name}: {head:?}"))
            };
            let event: serde_json::Value = serde_json::from_slice(body).unwrap();
            if event["data"]["slug"] != "pushed" {
                continue;
            }
            assert_eq!(event["type"], "alert.published");
            assert_eq!(event["data"]["url"], w.url("/alerts/pushed"));
            let ts: i64 = header("webhook-timestamp").parse().unwrap();
            assert!(
                (ts - chrono::Utc::now().timestamp()).abs() < 300,
                "a timestamp of now: {ts}"
            );
            assert!(
                Secret::parse(&secret).unwrap().verify(
                    &header("webhook-signature"),
                    &header("webhook-id"),
                    ts,
                    body
                ),
                "the signature verifies: {head:?}"
            );
            hooked = true;
        }
        assert!(
            published.elapsed() < Duration::from_secs(60),
            "pinged {pinged}, event {hooked} within a minute: {got:?}\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    // The endpoint is listed by host, healthy, its secret left out.
    let listed = w.request(
        "GET",
        "/operator/webhooks",
        &[("Authorization", "Bearer test-operator-token")],
        b"",
    );
    assert!(!listed.body.contains(&secret), "{}", listed.body);
    let e = &listed.json()["webhooks"][0];
    assert_eq!(e["host"], origin.as_str());
    assert!(e["last_success"].is_i64(), "{}", listed.body);
}
