//! Email alerts through `wrangler dev`: D1 with `migrations/` applied, the
//! alert-mail queue, the Cron Triggers fired through `--test-scheduled`,
//! the local send_email binding's `.eml` files (confirmations) and the local
//! SES's (alerts and digests, `dev/ses-local.cjs`). What the in-process
//! tests (`tests/app/subscribers.rs`) cannot show: the SQL on D1 itself,
//! the queue's delivery, the crons' wiring and the messages on disk.

mod common;

use common::support::link_token;
use common::support::mime::readable;
use common::{content_copy, Worker};
use std::time::Duration;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const EVERY_MINUTE: &str = "* * * * *";
const WAIT: Duration = Duration::from_secs(60);

/// Mail the binding wrote to `to`, as a client shows it.
fn mail_to(w: &Worker, to: &str) -> Vec<String> {
    w.emails()
        .into_iter()
        .map(|(_, m)| readable(&m))
        .filter(|m| m.contains(&format!("To: <{to}>")) || m.contains(&format!("To: {to}")))
        .collect()
}

fn wait_mail_to(w: &Worker, to: &str, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let m = mail_to(w, to);
        if m.len() >= count {
            return m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "expected {count} emails to {to}:\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn subscribe(w: &Worker, email: &str, choice: &str) -> String {
    w.ask_to_subscribe(email, choice);
    let confirmation = wait_mail_to(w, email, 1).remove(0);
    assert!(
        confirmation.contains("Subject: Confirm your subscription to Access Alerts"),
        "{confirmation}"
    );
    let t = link_token(&confirmation, "/subscribe/confirm?t=");
    assert_eq!(w.get(&format!("/subscribe/confirm?t={t}")).status, 200);
    let r = w.request(
        "POST",
        "/subscribe/confirm",
        &[FORM],
        format!("t={t}").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("You are subscribed"));
    link_token(&r.body, "/subscription?t=")
}

/// An alert file dated `seconds` from now.
fn alert(title: &str, category: &str, seconds: i64) -> String {
    let date = chrono::Utc::now() + chrono::Duration::seconds(seconds);
    format!(
        "+++\ntitle = \"{title}\"\ndate = {}\ncategory = \"{category}\"\n+++\nThe body of {title}.\n",
        date.format("%Y-%m-%dT%H:%M:%SZ")
    )
}

#[test]
fn subscribers_get_each_alert_once_as_it_goes_live_and_nothing_after_unsubscribing() {
    let w = Worker::start_with_d1(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);

    subscribe(&w, "ada@example.net", "scope=all");
    subscribe(&w, "cy@example.net", "scope=chosen&topic=c%3AGeneral");
    // A reader of French (chosen on the form): the language column
    // (migrations/0006) on D1 itself, and mail in French through both
    // senders.
    w.ask_to_subscribe("bo@example.net", "scope=all&lang=fr");
    let confirmation = wait_mail_to(&w, "bo@example.net", 1).remove(0);
    assert!(
        confirmation.contains("Subject: Confirmez votre abonnement à Access Alerts"),
        "{confirmation}"
    );
    let t = link_token(&confirmation, "/fr/subscribe/confirm?t=");
    let r = w.request(
        "POST",
        "/fr/subscribe/confirm",
        &[FORM],
        format!("t={t}").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Vous êtes abonné"), "{}", r.body);

    // A past-dated alert: out at the next run, to Ada only.
    std::fs::write(
        content.path().join("alerts/gone-live.md"),
        alert("Gone live", "Opinion", -60),
    )
    .unwrap();
    std::fs::write(
        content.path().join("alerts/gone-live.fr.md"),
        "+++\ntitle = \"En ligne\"\ntranslated = 2024-11-30\n+++\nLe corps.\n",
    )
    .unwrap();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    let ada = wait_mail_to(&w, "ada@example.net", 2);
    let mail = &ada[1];
    assert!(mail.contains("Subject: Gone live"), "{mail}");
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(mail.contains("you subscribed to: every alert"));
    let fr = &wait_mail_to(&w, "bo@example.net", 2)[1];
    assert!(fr.contains("Subject: En ligne"), "{fr}");
    assert!(fr.contains("Le corps.") && fr.contains("/fr/alerts/gone-live"));
    assert!(fr.contains("/fr/unsubscribe?t="));

    // A scheduled alert: not before its date, then once.
    std::fs::write(
        content.path().join("alerts/later.md"),
        alert("Later", "Opinion", 25),
    )
    .unwrap();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        mail_to(&w, "ada@example.net").len(),
        2,
        "not before its date"
    );
    std::thread::sleep(Duration::from_secs(25));
    w.scheduled(EVERY_MINUTE);
    w.scheduled(EVERY_MINUTE);
    let ada = wait_mail_to(&w, "ada@example.net", 3);
    assert!(ada[2].contains("Subject: Later"));

    // An edit sends nothing.
    std::fs::write(
        content.path().join("alerts/later.md"),
        alert("Later", "Opinion", -5).replace("The body", "The edited body"),
    )
    .unwrap();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(mail_to(&w, "ada@example.net").len(), 3);
    assert_eq!(
        mail_to(&w, "cy@example.net").len(),
        1,
        "General only: nothing but the confirmation"
    );

    // One-click unsubscribe, as a mail provider posts it.
    let t = link_token(&ada[2], "/unsubscribe?t=");
    let r = w.request(
        "POST",
        &format!("/unsubscribe?t={t}"),
        &[FORM],
        b"List-Unsubscribe=One-Click",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    std::fs::write(
        content.path().join("alerts/after.md"),
        alert("After", "Opinion", -1),
    )
    .unwrap();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    w.wait_for_log("mailing id=after", 1, WAIT);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        mail_to(&w, "ada@example.net").len(),
        3,
        "nothing after unsubscribing"
    );

    let log = w.log();
    assert!(
        !log.lines()
            .any(|l| l.contains("@example.net") && !l.contains(".eml")),
        "no address in a log line"
    );
}

#[test]
fn the_weekly_digest_goes_out_on_its_cron() {
    let w = Worker::start_with_d1(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    subscribe(&w, "di@example.net", "scope=all&frequency=weekly");
    // The digest covers the ISO week before the one its cron runs in:
    // an alert dated a week ago, to the minute, falls in it.
    std::fs::write(
        content.path().join("alerts/last-week.md"),
        alert("Last week", "Opinion", -7 * 86_400 + 60),
    )
    .unwrap();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    w.scheduled("0 8 * * 1");
    let mail = wait_mail_to(&w, "di@example.net", 2);
    assert!(mail[1].contains("the week's alerts"), "{}", mail[1]);
    assert!(mail[1].contains("Last week"));
}

#[test]
fn a_send_that_keeps_failing_is_kept_as_dead_mail_and_the_operator_resends_it() {
    let auth = ("Authorization", "Bearer test-operator-token");
    let w = Worker::start_with_d1(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    subscribe(&w, "ada@example.net", "scope=all");
    // SES out of reach: every send fails, as an outage would.
    let w = Worker::start_with_state(&[("SES_ENDPOINT", "http://127.0.0.1:9")], w.stop());
    std::fs::write(
        content.path().join("alerts/stuck.md"),
        alert("Stuck", "Opinion", -60),
    )
    .unwrap();
    w.publish(content.path(), false);
    w.scheduled(EVERY_MINUTE);
    let log = w.wait_for_log("kept for the operator", 1, Duration::from_secs(90));
    assert!(log.contains("error=network"), "{log}");
    assert!(mail_to(&w, "ada@example.net").is_empty());
    let list = w.request("GET", "/operator/mail", &[auth], b"");
    assert_eq!(list.status, 200);
    let listed = list.json();
    assert_eq!(listed["mail"][0]["mailing"], "stuck", "{}", list.body);
    assert_eq!(listed["mail"][0]["recipients"], 1);
    assert!(!list.body.contains("@example.net"));
    let id = listed["mail"][0]["id"].as_str().unwrap().to_string();
    // Fixed and restarted, the operator resends it: delivered once.
    let w = Worker::start_with_state(&[], w.stop());
    let r = w.request("POST", &format!("/operator/mail/{id}/resend"), &[auth], b"");
    assert_eq!(r.status, 202, "{}", r.body);
    let mail = wait_mail_to(&w, "ada@example.net", 1);
    assert!(mail[0].contains("Subject: Stuck"));
    assert_eq!(
        w.request("GET", "/operator/mail", &[auth], b"").json()["mail"],
        serde_json::json!([])
    );
}

/// `make test-email` of `next-week` to the editor against this Worker,
/// with this operator token: whether it succeeded, and what it printed.
fn make_test_email(w: &Worker, token: &str) -> (bool, String) {
    let out = std::process::Command::new("make")
        .current_dir(common::root())
        .args([
            "-s",
            "test-email",
            "SLUG=next-week",
            "TO=editor@example.org",
        ])
        .arg(format!("BASE={}", w.url("")))
        .env("OPERATOR_TOKEN", token)
        .output()
        .expect("make runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

#[test]
fn make_test_email_sends_a_scheduled_alert_marked_as_a_test_to_one_address() {
    let w = Worker::start_with_d1(&[]);
    let content = content_copy();
    std::fs::write(
        content.path().join("alerts/next-week.md"),
        alert("Next week", "Opinion", 7 * 86_400),
    )
    .unwrap();
    w.publish(content.path(), false);
    let (ok, said) = make_test_email(&w, "test-operator-token");
    assert!(ok, "{said}");
    assert!(said.contains(r#""state":"scheduled""#), "{said}");
    let mail = wait_mail_to(&w, "editor@example.org", 1);
    assert!(mail[0].contains("Subject: [Test] Next week"), "{}", mail[0]);
    assert!(mail[0].contains("Test send: no subscriber has been mailed this"));
    assert!(w.bulk_paths().is_empty(), "nothing through the bulk sender");
    // A wrong token: make says what the Worker answered and fails.
    let (ok, said) = make_test_email(&w, "wrong");
    assert!(!ok);
    assert!(said.contains("answered 401"), "{said}");
}
