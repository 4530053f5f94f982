//! `make bench`'s fan-out figures: one alert mailed to N synthetic
//! subscribers (`FANOUT_SUBSCRIBERS`, default 100,000) through the real
//! handlers (the cron, the `page` and `send` consumers) over D1 as SQLite
//! in memory, with sending replaced by a sink. It prints what the fan-out
//! takes (queue messages, D1 statements and rows, time to enqueue, CPU per
//! email, natively) and the cost model of `BENCHMARKS.md`. Ignored by
//! `make test`: `make bench` runs it.

use crate::fake::Site;
use access_alerts::app::{Outcome, QueueKind};
use std::time::{Duration, Instant};

const EVERY_MINUTE: &str = "* * * * *";

/// Cloudflare's published paid-plan prices (USD), and Email Service's as
/// quoted (see BENCHMARKS.md): what one unit costs past the included amount.
const QUEUE_OPERATION: f64 = 0.40 / 1e6;
const D1_ROW_WRITTEN: f64 = 1.00 / 1e6;
const D1_ROW_READ: f64 = 0.001 / 1e6;
const WORKER_REQUEST: f64 = 0.30 / 1e6;
const EMAIL: f64 = 0.35 / 1e3;
const EMAILS_INCLUDED_A_MONTH: f64 = 3_000.0;

#[test]
#[ignore = "a benchmark: make bench runs it"]
fn fanout_to_synthetic_subscribers() {
    let n: usize = std::env::var("FANOUT_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let site = Site::from_content();
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let started = Instant::now();
    site.seed_subscribers(n);
    let seeded = started.elapsed();
    site.publish_text(
        "fanout-alert",
        "+++\ntitle = \"Fan-out alert\"\ndate = 2024-11-30T23:59:00Z\ncategory = \"Opinion\"\ntags = [\"UN OEWG\"]\n+++\nA body of some length, with [a link](/alerts/oewg-collective-call-against-barring-organisations) and a list:\n\n- one\n- two\n",
    );
    site.fake.reader_mail_dropped.set(true);
    site.fake.db_statements.set(0);
    site.fake.db_rows.set(0);
    let t = Instant::now();
    site.cron(EVERY_MINUTE);
    let claim = t.elapsed();
    let (mut pages, mut sends, mut page_time, mut send_time) =
        (0u64, 0u64, Duration::ZERO, Duration::ZERO);
    let mut page_rows = 0u64;
    let mut send_rows = 0u64;
    loop {
        let next: Vec<serde_json::Value> = site.fake.mail_queue.borrow_mut().drain(..).collect();
        if next.is_empty() {
            break;
        }
        for m in next {
            let rows_before = site.fake.db_rows.get();
            let t = Instant::now();
            let outcome = site.consume(QueueKind::AlertMail, &m);
            let spent = t.elapsed();
            assert_eq!(outcome, Outcome::Ack);
            let rows = site.fake.db_rows.get() - rows_before;
            if m["k"] == "page" {
                pages += 1;
                page_time += spent;
                page_rows += rows;
            } else {
                sends += 1;
                send_time += spent;
                send_rows += rows;
            }
        }
    }
    let emails: u64 = site
        .sql("SELECT count(*) AS n FROM deliveries WHERE mailing = 'fanout-alert'")[0]["n"]
        .as_u64()
        .unwrap();
    let matching = n as u64 * 9 / 10 * 4 / 5; // each-alert subscribers of every alert or Opinion
    assert!(
        emails.abs_diff(matching) <= 10,
        "{emails} emails for about {matching} matching subscribers"
    );
    let messages = 1 + pages + sends - 1; // the cron's first page is among `pages`
    let per_email = send_time.as_secs_f64() * 1e6 / emails as f64;
    println!("fan-out: {n} subscribers seeded in {:.1} s; the alert matches {emails} (each-alert subscribers of every alert or Opinion)", seeded.as_secs_f64());
    println!(
        "fan-out: cron claim and first page enqueued in {:.2} ms",
        claim.as_secs_f64() * 1e3
    );
    println!(
        "fan-out: {pages} page messages enqueued every send in {:.0} ms in all ({:.2} ms a page, {page_rows} D1 rows returned)",
        page_time.as_secs_f64() * 1e3,
        page_time.as_secs_f64() * 1e3 / pages as f64
    );
    println!(
        "fan-out: {sends} send messages of at most 25; {emails} emails in {:.1} s: {per_email:.0} us per email natively (compose, D1 in memory, sink), {send_rows} D1 rows returned",
        send_time.as_secs_f64()
    );
    println!(
        "fan-out: D1 {} statements in all, {} rows returned; queue messages {messages}",
        site.fake.db_statements.get(),
        site.fake.db_rows.get()
    );
    // Per subscriber of the alert, from the run: queue messages (3 operations
    // each: write, read, delete), D1 rows written (a delivery row and its
    // index entry), rows read (the page's scan of every each-alert
    // subscriber and its topic probe, the send's subscriber, topics and
    // delivery probe), consumer invocations (4 messages a batch).
    let each = n as f64 * 0.9;
    let per_alert = |subscribers: f64| {
        let share = subscribers / n as f64;
        let e = emails as f64 * share;
        let q_ops = 3.0 * messages as f64 * share;
        let written = 2.0 * e;
        let read = 2.0 * each * share + 3.0 * e;
        let invocations = messages as f64 * share / 4.0;
        (
            e,
            q_ops * QUEUE_OPERATION,
            written * D1_ROW_WRITTEN + read * D1_ROW_READ,
            invocations * WORKER_REQUEST,
            e * EMAIL,
        )
    };
    println!("cost | subscribers | emails an alert | queue $ | D1 $ | Workers requests $ | Email Service $ | per alert $ | a month at 20 alerts $");
    for subscribers in [1_000.0, 10_000.0, 100_000.0] {
        let (e, q, d, w, m) = per_alert(subscribers);
        let alert = q + d + w + m;
        let month_emails = 20.0 * e;
        let month = 20.0 * (q + d + w) + (month_emails - EMAILS_INCLUDED_A_MONTH).max(0.0) * EMAIL;
        println!("cost | {subscribers:.0} | {e:.0} | {q:.4} | {d:.4} | {w:.4} | {m:.2} | {alert:.2} | {month:.2}");
    }
}
