//! WebSub under `wrangler dev`: a local hub (`WEBSUB_HUBS`, an
//! `http://127.0.0.1` address only a test build takes) gets the publish
//! ping for the site's feeds within a minute of publishing an alert, and
//! the feeds advertise it.

mod common;

use common::{content_copy, stand_in, Worker};
use std::time::{Duration, Instant};

#[test]
fn a_local_hub_is_pinged_within_a_minute_of_publishing() {
    // A hub that answers 202 to everything.
    let (origin, asked) = stand_in(|_, _| (202, String::new()));
    let hub_url = format!("{origin}/hub");
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
    loop {
        let got = bodies()[seen..].to_vec();
        if got
            .iter()
            .any(|b| b.contains("hub.mode=publish") && b.contains(&encoded))
        {
            break;
        }
        assert!(
            published.elapsed() < Duration::from_secs(60),
            "no ping within a minute: {got:?}\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}
