//! `make bench`'s fan-out figures: one alert mailed to N synthetic
//! subscribers (`FANOUT_SUBSCRIBERS`, default 100,000) through the real
//! handlers (the cron, the `page` and `send` consumers) over D1 as SQLite
//! in memory, with SES replaced by a sink that throttles now and then. The
//! queue is simulated in time: each message is taken at its parent's time
//! plus the delay it was enqueued with, so the run shows the pacing at
//! `SES_MAX_SEND_RATE` (`FANOUT_RATE`, default 14) in virtual seconds. It
//! prints what the fan-out takes (queue messages, D1 statements and rows,
//! time to enqueue, CPU per email, natively; the wall time and busiest
//! second; throttles and that nobody was mailed twice) and the cost model
//! of `BENCHMARKS.md`. Ignored by `make test`: `make bench` runs it.

use crate::fake::Site;
use access_alerts::app::{Outcome, QueueKind};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::time::{Duration, Instant};

const EVERY_MINUTE: &str = "* * * * *";

/// Cloudflare's published paid-plan prices (USD), and Email Service's as
/// quoted (see BENCHMARKS.md): what one unit costs past the included amount.
const QUEUE_OPERATION: f64 = 0.40 / 1e6;
const D1_ROW_WRITTEN: f64 = 1.00 / 1e6;
const D1_ROW_READ: f64 = 0.001 / 1e6;
const WORKER_REQUEST: f64 = 0.30 / 1e6;
const EMAIL: f64 = 0.35 / 1e3;
/// Amazon SES's published price: $0.10 per 1,000 emails.
const SES_EMAIL: f64 = 0.10 / 1e3;
/// SES throttles one send in this many (then takes it 60 s later).
const THROTTLE_EVERY: u64 = 5_000;
const EMAILS_INCLUDED_A_MONTH: f64 = 3_000.0;

#[test]
#[ignore = "a benchmark: make bench runs it"]
fn fanout_to_synthetic_subscribers() {
    let n: usize = std::env::var("FANOUT_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rate: u64 = std::env::var("FANOUT_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(14);
    let site = Site::from_content_with(&[("SES_MAX_SEND_RATE", &rate.to_string())]);
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
    let start = site.fake.now();
    let t = Instant::now();
    let delays_before = site.fake.mail_delays.borrow().len();
    site.cron(EVERY_MINUTE);
    let claim = t.elapsed();
    let (mut pages, mut sends, mut page_time, mut send_time) =
        (0u64, 0u64, Duration::ZERO, Duration::ZERO);
    let mut page_rows = 0u64;
    let mut send_rows = 0u64;
    // The queue in virtual time: (second it is taken, order sent, whether
    // it is a throttled message's rest, body).
    type Queued = Reverse<(u64, u64, bool, String)>;
    let mut queue: BinaryHeap<Queued> = BinaryHeap::new();
    let mut order = 0u64;
    let mut enqueue = |queue: &mut BinaryHeap<Queued>, at: u64, from: usize, rest: bool| {
        let bodies: Vec<serde_json::Value> = site.fake.mail_queue.borrow_mut().drain(..).collect();
        let delays = site.fake.mail_delays.borrow()[from..].to_vec();
        assert_eq!(bodies.len(), delays.len());
        for (m, d) in bodies.into_iter().zip(delays) {
            order += 1;
            queue.push(Reverse((at + u64::from(d), order, rest, m.to_string())));
        }
    };
    enqueue(&mut queue, 0, delays_before, false);
    // Sends started each second: all of them, and the paced ones alone
    // (a throttled message's rest comes back on top of the pace).
    let mut per_second: BTreeMap<u64, u64> = BTreeMap::new();
    let mut paced_per_second: BTreeMap<u64, u64> = BTreeMap::new();
    let mut throttles = 0u64;
    let (mut retried, mut last_send) = (0u64, 0u64);
    while let Some(Reverse((at, _, rest, body))) = queue.pop() {
        site.fake.clock.set(start + at as i64 * 1000);
        let m: serde_json::Value = serde_json::from_str(&body).unwrap();
        // Now and then SES says "slow down" in the middle of a message.
        let sent_before = site.fake.ses_sent.get();
        if m["k"] == "send" && sent_before / THROTTLE_EVERY != (sent_before + 10) / THROTTLE_EVERY {
            site.fake.ses_pass_before_throttle.set(3);
            site.fake.ses_throttles.set(1);
            throttles += 1;
        }
        let delays_before = site.fake.mail_delays.borrow().len();
        let rows_before = site.fake.db_rows.get();
        let t = Instant::now();
        let outcome = site.consume(QueueKind::AlertMail, &m);
        let spent = t.elapsed();
        let rows = site.fake.db_rows.get() - rows_before;
        if m["k"] == "page" {
            pages += 1;
            page_time += spent;
            page_rows += rows;
        } else {
            sends += 1;
            send_time += spent;
            send_rows += rows;
            let mailed = site.fake.ses_sent.get() - sent_before;
            *per_second.entry(at).or_default() += mailed;
            if !rest {
                *paced_per_second.entry(at).or_default() += mailed;
            }
            if mailed > 0 {
                last_send = at;
            }
        }
        // What a send message enqueues is a throttled message's rest; a
        // retry comes back as itself.
        let from_send = m["k"] == "send";
        if let Outcome::Retry(delay) = outcome {
            retried += 1;
            site.fake.mail_queue.borrow_mut().push(m);
            site.fake.mail_delays.borrow_mut().push(delay.unwrap_or(60));
        }
        enqueue(&mut queue, at, delays_before, from_send);
    }
    let emails: u64 = site.sql(
        "SELECT count(*) AS n FROM deliveries WHERE mailing = 'fanout-alert' AND status = 'sent'",
    )[0]["n"]
        .as_u64()
        .unwrap();
    let matching = n as u64 * 9 / 10 * 4 / 5; // each-alert subscribers of every alert or Opinion
    assert!(
        emails.abs_diff(matching) <= 10,
        "{emails} emails for about {matching} matching subscribers"
    );
    assert_eq!(
        site.fake.ses_sent.get(),
        emails,
        "SES took exactly one email per recipient, throttles and all"
    );
    let busiest = per_second.values().copied().max().unwrap_or(0);
    let busiest_paced = paced_per_second.values().copied().max().unwrap_or(0);
    assert!(
        busiest_paced <= rate,
        "{busiest_paced} paced sends started in one second at {rate} a second"
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
        "fan-out: {sends} send messages of at most {}; {emails} emails in {:.1} s: {per_email:.0} us per email natively (compose, D1 in memory, SES sink), {send_rows} D1 rows returned",
        access_alerts::app::PER_MESSAGE.min(rate as usize),
        send_time.as_secs_f64()
    );
    println!(
        "fan-out: D1 {} statements in all, {} rows returned; queue messages {messages}",
        site.fake.db_statements.get(),
        site.fake.db_rows.get()
    );
    println!(
        "fan-out: paced at {rate} a second (SES_MAX_SEND_RATE): the last email went {last_send} s after the cron ({:.0} s is {emails} at the rate); the busiest second started {busiest_paced} paced sends ({busiest} with a throttled message's rest back on top)",
        emails as f64 / rate as f64
    );
    println!(
        "fan-out: SES throttled {throttles} times; {retried} messages retried; SES took {} emails for {emails} recipients: none twice",
        site.fake.ses_sent.get()
    );
    // Per subscriber of the alert, from the run: queue messages (3 operations
    // each: write, read, delete), D1 rows written (a delivery row and its
    // index entry, then its mark as sent; a count a message), rows read (the
    // page's scan of every each-alert subscriber and its topic probe, the
    // send's subscriber, topics and delivery probe), consumer invocations (4
    // messages a batch).
    let each = n as f64 * 0.9;
    let per_alert = |subscribers: f64| {
        let share = subscribers / n as f64;
        let e = emails as f64 * share;
        let q_ops = 3.0 * messages as f64 * share;
        let written = 3.0 * e + sends as f64 * share;
        let read = 2.0 * each * share + 3.0 * e;
        let invocations = messages as f64 * share / 4.0;
        (
            e,
            q_ops * QUEUE_OPERATION,
            written * D1_ROW_WRITTEN + read * D1_ROW_READ,
            invocations * WORKER_REQUEST,
            e * SES_EMAIL,
            e * EMAIL,
        )
    };
    println!("cost | subscribers | emails an alert | queue $ | D1 $ | Workers requests $ | SES $ | per alert $ | platform share of SES % | a month at 20 alerts $ | Email Service instead, a month $");
    for subscribers in [1_000.0, 10_000.0, 100_000.0] {
        let (e, q, d, w, ses, cf) = per_alert(subscribers);
        let platform = q + d + w;
        let alert = platform + ses;
        let month = 20.0 * alert;
        let month_cf = 20.0 * platform + (20.0 * e - EMAILS_INCLUDED_A_MONTH).max(0.0) * EMAIL;
        let _ = cf;
        println!(
            "cost | {subscribers:.0} | {e:.0} | {q:.4} | {d:.4} | {w:.4} | {ses:.2} | {alert:.2} | {:.1} | {month:.2} | {month_cf:.2}",
            100.0 * platform / ses
        );
    }
}
