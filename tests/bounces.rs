//! SES's bounces through SNS under `wrangler dev`: the Worker fetches the
//! signing certificate over HTTP, verifies each message's RSA-SHA256
//! signature with the runtime's WebCrypto (what the in-process tests stand
//! in for with the `rsa` crate), keeps taken MessageIds in D1, confirms
//! its topic's subscription and suppresses a hard-bounced subscriber.
//! The certificate and the confirmation link are served by a local
//! stand-in at `SNS_TEST_CERT_ORIGIN`, which only a test build with
//! `TEST_ROUTES` on takes; the message is signed with the test key of
//! `tests/support/sns.rs` all the same.

mod common;
#[path = "support/sns.rs"]
mod sns_support;

use common::support::link_token;
use common::{content_copy, Worker};
use sns_support::{sns_key, SnsFields};
use std::time::Duration;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const SNS: (&str, &str) = ("Content-Type", "text/plain; charset=UTF-8");

/// Serves the test certificate at `/cert.pem` and answers anything else
/// 200 (the ConfirmSubscription link); the paths asked, in order.
fn sns_stand_in() -> (String, common::Asked) {
    common::stand_in(|path, _| {
        let body = if path == "/cert.pem" {
            sns_key().pem.clone()
        } else {
            "<ConfirmSubscriptionResponse/>".to_string()
        };
        (200, body)
    })
}

fn now_stamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Asks to subscribe `email`; how many emails were sent before.
fn subscribe(w: &Worker, email: &str) -> usize {
    let before = w.emails().len();
    w.ask_to_subscribe(email, "scope=all");
    before
}

#[test]
fn a_signed_bounce_is_verified_by_webcrypto_and_suppresses_and_a_forgery_changes_nothing() {
    let (origin, asked) = sns_stand_in();
    let w = Worker::start_with_d1(&[("SNS_TEST_CERT_ORIGIN", &origin)]);
    w.publish(content_copy().path(), false);

    // Ada subscribes and confirms.
    let before = subscribe(&w, "ada@example.net");
    let mail = w.wait_for_emails(before + 1, Duration::from_secs(60));
    let t = link_token(
        &common::support::mime::readable(&mail[before].1),
        "/subscribe/confirm?t=",
    );
    let r = w.request(
        "POST",
        "/subscribe/confirm",
        &[FORM],
        format!("t={t}").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // The topic's subscription confirmation.
    let mut confirmation = SnsFields::confirmation(&now_stamp());
    confirmation.cert_url = format!("{origin}/cert.pem");
    confirmation.subscribe_url = Some(format!("{origin}/confirm?Action=ConfirmSubscription"));
    let r = w.request("POST", "/hooks/ses", &[SNS], confirmation.body().as_bytes());
    assert_eq!(r.status, 200, "{}\n{}", r.body, w.log());
    assert!(asked
        .lock()
        .unwrap()
        .iter()
        .any(|(p, _)| p.starts_with("/confirm")));

    // A hard bounce for Ada, forged first (the message changed after signing).
    let event = serde_json::json!({
        "eventType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "ada@example.net"}]},
        "mail": {"destination": ["ada@example.net"]}
    })
    .to_string();
    let mut bounce = SnsFields::notification(&event, &now_stamp());
    bounce.cert_url = format!("{origin}/cert.pem");
    let mut forged = bounce.signed();
    forged["Message"] = event.replace("Permanent", "Transient").into();
    let r = w.request("POST", "/hooks/ses", &[SNS], forged.to_string().as_bytes());
    assert_eq!(r.status, 403, "{}", r.body);
    w.wait_for_log("hooks/ses: refused (signature)", 1, Duration::from_secs(10));

    let r = w.request("POST", "/hooks/ses", &[SNS], bounce.body().as_bytes());
    assert_eq!(r.status, 200, "{}\n{}", r.body, w.log());
    let r = w.request("POST", "/hooks/ses", &[SNS], bounce.body().as_bytes());
    assert_eq!(r.status, 403, "a replay");

    // Suppressed: asking again answers the same and mails nothing.
    let before = subscribe(&w, "ada@example.net");
    w.wait_for_log(
        "the address is suppressed; nothing sent",
        1,
        Duration::from_secs(60),
    );
    assert_eq!(
        w.emails().len(),
        before,
        "no confirmation for a suppressed address"
    );
    let health = w.get("/healthz").json();
    assert_eq!(health["mail"]["bulk"]["hard_bounces"], 1, "{health}");
    // The operator's report, from the same D1 through wrangler.
    let report = w.alerts(&["subscribers"]);
    assert!(report.contains("suppressed addresses: 1"), "{report}");
    assert!(report.contains("bounced 1 (hard 1, soft 0;"), "{report}");
    assert!(!report.contains("ada@"), "{report}");
    assert_eq!(
        asked
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == "/cert.pem")
            .count(),
        1,
        "the certificate is fetched once"
    );
    assert!(
        !w.log()
            .lines()
            .any(|l| l.contains("ada@example.net") && !l.contains(".eml")),
        "no address in a log line"
    );
}

#[test]
fn without_the_test_switch_a_local_certificate_is_refused() {
    let (origin, asked) = sns_stand_in();
    let w = Worker::start_with_d1(&[("SNS_TEST_CERT_ORIGIN", &origin), ("TEST_ROUTES", "0")]);
    let mut bounce = SnsFields::notification("{\"eventType\":\"Delivery\"}", &now_stamp());
    bounce.cert_url = format!("{origin}/cert.pem");
    let r = w.request("POST", "/hooks/ses", &[SNS], bounce.body().as_bytes());
    assert_eq!(r.status, 403);
    assert!(asked.lock().unwrap().is_empty(), "nothing fetched");
}
