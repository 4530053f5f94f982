//! Bounces and complaints in-process: SES's events through SNS at
//! `/hooks/ses` (signed with the test key of `tests/support/sns.rs`,
//! verified by the fake's WebCrypto), Email Service's through its events
//! queue; suppression, erasure, the rates, and every refusal.

use crate::fake::{Site, TestRequest};
use crate::sns_support::{sns_key, SnsFields, CERT_URL, SUBSCRIBE_URL, TOPIC_ARN};
use crate::subscribers::{alert_text, EVERY_MINUTE};
use access_alerts::app::{Outcome, QueueKind};

/// The fake's clock, as SNS stamps a message.
const NOW: &str = "2024-12-01T00:00:00.000Z";
const FORM: &str = "application/x-www-form-urlencoded";

fn site() -> Site {
    site_with(&[])
}

/// The sample content with these settings, the certificate served at SNS's
/// URL.
fn site_with(vars: &[(&str, &str)]) -> Site {
    let site = Site::from_content_with(vars);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.fake
        .http_routes
        .borrow_mut()
        .insert(CERT_URL.into(), (200, sns_key().pem.clone()));
    site
}

fn post(site: &Site, body: &str) -> access_alerts::app::Response {
    site.send(
        TestRequest::post("/hooks/ses", "text/plain; charset=UTF-8", body)
            .header("x-amz-sns-message-type", "Notification"),
    )
}

fn bounce(kind: &str, to: &str) -> String {
    serde_json::json!({
        "eventType": "Bounce",
        "bounce": {"bounceType": kind, "bouncedRecipients": [{"emailAddress": to}]},
        "mail": {"destination": [to]}
    })
    .to_string()
}

fn complaint(to: &str) -> String {
    serde_json::json!({
        "eventType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": to}]},
        "mail": {"destination": [to]}
    })
    .to_string()
}

/// A signed notification with its own MessageId.
fn event(message: &str, n: u32) -> SnsFields {
    let mut f = SnsFields::notification(message, NOW);
    f.message_id = format!("22b80b92-fdea-4c2c-8f9d-{n:012}");
    f
}

/// Unix milliseconds as SNS stamps a message.
fn stamp(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn subscribers(site: &Site) -> usize {
    site.sql("SELECT id FROM subscribers").len()
}

/// Subscribes again: the same answer as anyone gets; whether a
/// confirmation was mailed.
fn resubscribe_mails(site: &Site, email: &str) -> bool {
    let before = site.reader_mail_to(email).len();
    let body = format!("email={}&consent=yes&scope=all", email.replace('@', "%40"));
    let r = site
        .send(TestRequest::post("/subscribe", FORM, &body).header("CF-Connecting-IP", "192.0.2.9"));
    assert_eq!(r.status, 303);
    assert_eq!(r.header("Location").as_deref(), Some("/subscribe/check"));
    site.drain_mail();
    site.reader_mail_to(email).len() > before
}

#[test]
fn a_hard_bounce_suppresses_and_erases_and_the_address_is_never_mailed_again() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.subscribe("bo@example.net", "scope=all");
    let r = post(
        &site,
        &event(&bounce("Permanent", "Ada@Example.net"), 1).body(),
    );
    assert_eq!(r.status, 200, "{}\n{}", r.text(), site.fake.logged());
    assert_eq!(subscribers(&site), 1, "Ada is erased, Bo stays");
    let suppressed = site.sql("SELECT hash, reason FROM suppressed");
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["reason"], "hard-bounce");
    assert!(
        !suppressed[0].to_string().contains("ada"),
        "a keyed hash, not the address"
    );
    assert!(!resubscribe_mails(&site, "ada@example.net"), "nothing sent");
    assert!(
        resubscribe_mails(&site, "cy@example.net"),
        "others are mailed"
    );
    site.publish_text("after", &alert_text("After", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "the first confirmation only"
    );
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 2);
    assert!(
        !site.fake.logged().contains("ada@"),
        "{}",
        site.fake.logged()
    );
}

#[test]
fn a_complaint_erases_as_unsubscribing_does_and_suppresses() {
    let site = site();
    site.subscribe("ada@example.net", "scope=chosen&topic=c%3AOpinion");
    let r = post(&site, &event(&complaint("ada@example.net"), 2).body());
    assert_eq!(r.status, 200);
    assert_eq!(subscribers(&site), 0);
    assert!(site.sql("SELECT topic FROM subscriber_topics").is_empty());
    assert_eq!(
        site.sql("SELECT reason FROM suppressed")[0]["reason"],
        "complaint"
    );
    assert!(!resubscribe_mails(&site, "ada@example.net"));
}

#[test]
fn soft_bounces_suppress_at_the_third_within_thirty_days() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.subscribe("bo@example.net", "scope=all");
    // Bo: three, but spread over more than 30 days.
    for n in 0..3 {
        let mut f = event(&bounce("Transient", "bo@example.net"), 10 + n);
        f.timestamp = stamp(site.fake.now());
        assert_eq!(post(&site, &f.body()).status, 200);
        site.fake.advance_seconds(16 * 86_400);
    }
    assert_eq!(
        subscribers(&site),
        2,
        "Bo's bounces were never three in 30 days"
    );
    // Ada: three within a day.
    for n in 0..3 {
        let mut f = event(&bounce("Undetermined", "ada@example.net"), 20 + n);
        f.timestamp = stamp(site.fake.now());
        assert_eq!(post(&site, &f.body()).status, 200);
        let expected = if n < 2 { 2 } else { 1 };
        assert_eq!(subscribers(&site), expected, "after Ada's bounce {}", n + 1);
        site.fake.advance_seconds(3600);
    }
    assert_eq!(
        site.sql("SELECT reason FROM suppressed")[0]["reason"],
        "soft-bounces"
    );
}

#[test]
fn forged_unsigned_stale_foreign_and_replayed_messages_are_refused_and_change_nothing() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    let genuine = event(&bounce("Permanent", "ada@example.net"), 3);
    let refuse = |body: String, why: &str| {
        let r = post(&site, &body);
        assert_eq!(r.status, 403, "{why}: {}", r.text());
        assert_eq!(subscribers(&site), 1, "{why}: nothing changed");
        assert!(site.sql("SELECT hash FROM suppressed").is_empty(), "{why}");
    };
    // The message changed after signing.
    let mut v = genuine.signed();
    v["Message"] = bounce("Permanent", "bo@example.net").into();
    refuse(v.to_string(), "forged");
    let mut v = genuine.signed();
    v.as_object_mut().unwrap().remove("Signature");
    refuse(v.to_string(), "unsigned");
    let mut v = genuine.signed();
    v["Signature"] = "AAAA".into();
    refuse(v.to_string(), "a signature of another length");
    let mut sha1 = genuine.clone();
    sha1.signature_version = "1";
    refuse(sha1.body(), "SignatureVersion 1");
    let mut foreign = genuine.clone();
    foreign.topic_arn = "arn:aws:sns:eu-west-1:210987654321:someone-else".into();
    refuse(foreign.body(), "another topic");
    let mut elsewhere = genuine.clone();
    elsewhere.cert_url = "https://sns.eu-west-1.amazonaws.com.example.net/cert.pem".into();
    refuse(elsewhere.body(), "a certificate off SNS");
    let mut stale = genuine.clone();
    stale.timestamp = "2024-11-30T22:59:59.000Z".into();
    refuse(stale.body(), "over an hour old");
    refuse("{\"Type\":\"Notification\"}".into(), "fields missing");
    refuse("not json".into(), "not json");
    assert!(
        !site
            .fake
            .http_sent
            .borrow()
            .iter()
            .any(|(url, _)| url.contains("example.net")),
        "no certificate fetched off SNS"
    );
    // The genuine one, then its replay.
    assert_eq!(post(&site, &genuine.body()).status, 200);
    assert_eq!(subscribers(&site), 0);
    site.subscribe("bo@example.net", "scope=all");
    let r = post(&site, &genuine.body());
    assert_eq!(r.status, 403, "a replay");
    assert_eq!(site.sql("SELECT hash FROM suppressed").len(), 1);
    let log = site.fake.logged();
    assert!(log.contains("hooks/ses: refused (signature)"), "{log}");
    assert!(log.contains("hooks/ses: refused (replayed)"), "{log}");
    assert!(!log.contains("ada@") && !log.contains("bo@"), "{log}");
}

#[test]
fn the_certificate_is_fetched_once_and_an_expired_one_is_refused() {
    let site = site();
    for n in 0..3 {
        assert_eq!(
            post(&site, &event("{\"eventType\":\"Delivery\"}", 40 + n).body()).status,
            200
        );
    }
    let fetched = |site: &Site| {
        site.fake
            .http_sent
            .borrow()
            .iter()
            .filter(|(url, _)| url == CERT_URL)
            .count()
    };
    assert_eq!(fetched(&site), 1, "kept in the isolate");
    // A certificate past its end.
    let site = crate::hooks::site();
    let spki = &sns_key().spki;
    let expired = crate::sns_support::pem(&crate::sns_support::certificate(
        spki,
        b"200101000000Z",
        b"20240101000000Z",
    ));
    site.fake
        .http_routes
        .borrow_mut()
        .insert(CERT_URL.into(), (200, expired));
    assert_eq!(
        post(&site, &event("{\"eventType\":\"Delivery\"}", 50).body()).status,
        403
    );
}

#[test]
fn only_the_configured_topic_s_subscription_is_confirmed() {
    let site = site();
    site.fake.http_routes.borrow_mut().insert(
        SUBSCRIBE_URL.into(),
        (200, "<ConfirmSubscriptionResponse/>".into()),
    );
    let confirmation = SnsFields::confirmation(NOW);
    let r = post(&site, &confirmation.body());
    assert_eq!(r.status, 200, "{}", site.fake.logged());
    let confirmed = |site: &Site| {
        site.fake
            .http_sent
            .borrow()
            .iter()
            .filter(|(url, _)| url.contains("ConfirmSubscription"))
            .count()
    };
    assert_eq!(confirmed(&site), 1);
    // Another topic's confirmation, signed all the same: refused, not confirmed.
    let site = crate::hooks::site();
    let mut other = SnsFields::confirmation(NOW);
    other.topic_arn = "arn:aws:sns:eu-west-1:123456789012:another-topic".into();
    other.subscribe_url = Some(SUBSCRIBE_URL.replace("access-alerts-ses-events", "another-topic"));
    assert_eq!(post(&site, &other.body()).status, 403);
    assert_eq!(confirmed(&site), 0);
    assert_eq!(TOPIC_ARN, confirmation.topic_arn);
}

#[test]
fn email_service_events_suppress_transactional_bounces() {
    let site = site();
    // A confirmation that bounced: the request goes, the address is suppressed.
    let body = "email=gone%40example.net&consent=yes&scope=all";
    site.send(TestRequest::post("/subscribe", FORM, body).header("CF-Connecting-IP", "192.0.2.7"));
    site.drain_mail();
    assert_eq!(site.sql("SELECT id FROM pending").len(), 1);
    let event = serde_json::json!({
        "type": "cf.email.sending.message.bounced",
        "source": {"type": "email.sending", "zoneId": "z", "domain": "example.org"},
        "payload": {"recipient": "gone@example.net", "bounce": {"type": "hard"}},
        "metadata": {"eventSchemaVersion": 1}
    });
    assert_eq!(site.consume(QueueKind::MailEvents, &event), Outcome::Ack);
    assert!(site.sql("SELECT id FROM pending").is_empty());
    assert!(!resubscribe_mails(&site, "gone@example.net"));
    // One that never reads is dropped with its kind logged.
    assert_eq!(
        site.consume_text(QueueKind::MailEvents, "{\"type\":7}"),
        Outcome::Ack
    );
    assert!(site.fake.logged().contains("mail events: unreadable event"));
}

#[test]
fn healthz_reports_the_rates_and_warns_past_three_in_a_thousand_complaints() {
    let site = site();
    for name in ["ada", "bo", "cy"] {
        site.subscribe(&format!("{name}@example.net"), "scope=all");
    }
    site.publish_text("rated", &alert_text("Rated", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let health: serde_json::Value = serde_json::from_str(&site.get("/healthz").text()).unwrap();
    assert_eq!(health["mail"]["bulk"]["sent"], 3, "{health}");
    assert_eq!(health["mail"]["transactional"]["sent"], 3);
    assert_eq!(health["warnings"], serde_json::json!([]));
    assert_eq!(
        post(&site, &event(&complaint("ada@example.net"), 60).body()).status,
        200
    );
    let r = site.get("/healthz");
    assert_eq!(r.status, 200, "a warning, not an outage");
    let health: serde_json::Value = serde_json::from_str(&r.text()).unwrap();
    assert_eq!(health["mail"]["bulk"]["complaints"], 1);
    assert_eq!(health["mail"]["bulk"]["complaint_rate_percent"], "33.33");
    let warning = health["warnings"][0].as_str().unwrap();
    assert!(warning.contains("complaint rate"), "{warning}");
    assert!(!r.text().contains("@example.net"));
}

#[test]
fn a_suppressed_address_spends_none_of_the_hour_s_confirmation_budget() {
    let site = site_with(&[("CONFIRMATIONS_PER_HOUR", "2")]);
    site.subscribe("ada@example.net", "scope=all");
    let r = post(
        &site,
        &event(&bounce("Permanent", "ada@example.net"), 70).body(),
    );
    assert_eq!(r.status, 200);
    for _ in 0..3 {
        // Past the per-address throttle, within the hour.
        site.fake.advance_seconds(11 * 60);
        assert!(!resubscribe_mails(&site, "ada@example.net"));
    }
    assert!(
        resubscribe_mails(&site, "bo@example.net"),
        "the budget's second email is still there"
    );
    assert!(site
        .fake
        .logged()
        .contains("the address is suppressed; nothing sent"));
}
