//! `make bench`'s push figures: what one go-live costs per WebSub hub and
//! per webhook endpoint, counted from the real handlers in-process (the
//! every-minute cron, then the alert-mail consumer taking each message):
//! queue messages (3 operations each: written, read, deleted), consumer
//! invocations (Worker requests: a batch of up to 4 messages is one),
//! outbound requests, D1 statements and rows, and KV calls. Once for
//! endpoints that answer at once, once for an endpoint that fails every
//! attempt of its 27.6-hour schedule. Ignored by `make test`: `make bench`
//! runs it.

use crate::fake::{Site, TestRequest};
use crate::subscribers::{alert_text, EVERY_MINUTE};
use access_alerts::app::QueueKind;
use access_alerts::routes::Method;

/// What one go-live cost, counted.
#[derive(Debug, Default)]
struct Counts {
    /// Queue messages of each kind taken by the consumer.
    pings: u64,
    hooks: u64,
    /// Requests the Worker sent out.
    outbound: u64,
    /// D1 statements and rows, and KV calls: the cron's, then the consumer's.
    cron: (u64, u64, u32),
    consumer: (u64, u64, u32),
}

fn go_live(hubs: usize, endpoints: usize, failing: bool) -> Counts {
    let list: Vec<String> = (0..hubs)
        .map(|i| format!("https://hub{i}.example.net/"))
        .collect();
    let site = Site::from_content_with(&[("WEBSUB_HUBS", &list.join(","))]);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    for i in 0..endpoints {
        let url = format!("https://hooks{i}.example.net/in");
        let r = site.send(
            TestRequest::new(Method::Post, "/operator/webhooks")
                .header("Authorization", "Bearer test-operator-token")
                .body(&format!(
                    "url={}",
                    url.replace(':', "%3A").replace('/', "%2F")
                )),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        if failing {
            site.fake
                .http_routes
                .borrow_mut()
                .insert(url, (503, String::new()));
        }
    }
    // An alert of nobody's subscription: the mailing's own page message is
    // left out of the counts below (it is email's, not push's).
    site.publish_text("pushed", &alert_text("Pushed", "Opinion", -1, ""));
    site.fake.http_sent.borrow_mut().clear();
    let snapshot = |site: &Site| {
        (
            site.fake.db_statements.get(),
            site.fake.db_rows.get(),
            site.fake.kv_calls.get(),
        )
    };
    let minus = |a: (u64, u64, u32), b: (u64, u64, u32)| (a.0 - b.0, a.1 - b.1, a.2 - b.2);
    let before = snapshot(&site);
    site.cron(EVERY_MINUTE);
    let after_cron = snapshot(&site);
    let mut counts = Counts {
        cron: minus(after_cron, before),
        ..Counts::default()
    };
    let mut consumer = (0, 0, 0);
    loop {
        let next: Vec<serde_json::Value> = site.fake.mail_queue.borrow_mut().drain(..).collect();
        if next.is_empty() {
            break;
        }
        for m in next {
            let kind = m["k"].as_str().unwrap_or_default().to_string();
            let before = snapshot(&site);
            site.consume(QueueKind::AlertMail, &m);
            let spent = minus(snapshot(&site), before);
            match kind.as_str() {
                "ping" => counts.pings += 1,
                "hook" => counts.hooks += 1,
                _ => continue,
            }
            consumer = (
                consumer.0 + spent.0,
                consumer.1 + spent.1,
                consumer.2 + spent.2,
            );
        }
    }
    counts.consumer = consumer;
    counts.outbound = site.fake.http_sent.borrow().len() as u64;
    counts
}

#[test]
#[ignore = "a benchmark: make bench runs it"]
fn push_cost_of_a_go_live() {
    let none = go_live(0, 0, false);
    let (hubs, endpoints) = (2u64, 3u64);
    let healthy = go_live(hubs as usize, endpoints as usize, false);
    let hubs_only = go_live(hubs as usize, 0, false);
    let failing = go_live(0, 1, true);
    let per = |n: u64, d: u64| n as f64 / d as f64;
    let line = |what: &str, messages: f64, outbound: f64, d1: f64, rows: f64| {
        println!(
            "push: {what}: {messages:.0} queue messages ({:.0} operations), {:.2} to {messages:.0} Worker requests (consumer batches of up to 4 messages), {outbound:.0} outbound requests, {d1:.0} D1 statements ({rows:.0} rows)",
            3.0 * messages,
            messages / 4.0
        );
    };
    line(
        "per hub",
        per(hubs_only.pings, hubs),
        per(hubs_only.outbound, hubs),
        per(hubs_only.consumer.0, hubs),
        per(hubs_only.consumer.1, hubs),
    );
    let hook_d1 = healthy.consumer.0 - hubs_only.consumer.0;
    let hook_rows = healthy.consumer.1 - hubs_only.consumer.1;
    line(
        "per webhook endpoint, delivered at once",
        per(healthy.hooks, endpoints),
        per(healthy.outbound - hubs_only.outbound, endpoints),
        per(hook_d1, endpoints),
        per(hook_rows, endpoints),
    );
    line(
        "per webhook endpoint failing every attempt (27.6 h, then dead mail)",
        failing.hooks as f64,
        failing.outbound as f64,
        failing.consumer.0 as f64,
        failing.consumer.1 as f64,
    );
    println!(
        "push: the cron, once per go-live whatever the number of hubs and endpoints: one D1 statement reads the endpoints ({} rows for {endpoints} endpoints, none without), and {} KV call reads the alert once an endpoint wants it",
        healthy.cron.1 - none.cron.1,
        healthy.cron.2 - none.cron.2,
    );
    assert_eq!(healthy.pings, hubs);
    assert_eq!(healthy.hooks, endpoints);
    assert_eq!(failing.hooks, u64::from(access_alerts::webhook::ATTEMPTS));
}
