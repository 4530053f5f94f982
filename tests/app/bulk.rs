//! The bulk sender in-process: alerts go to Amazon SES's `SendEmail` as
//! the raw message, signed (SigV4) under the configured region and
//! configuration set; confirmations go through Email Service; SES's
//! throttling slows the fan-out down and never ends in dead mail; the
//! fan-out spaces its messages for `SES_MAX_SEND_RATE`.

use crate::fake::{Site, START_MILLIS};
use crate::subscribers::{alert_text, EVERY_MINUTE};
use access_alerts::app::QueueKind;

fn site_with(vars: &[(&str, &str)]) -> Site {
    let site = Site::from_content_with(vars);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site
}

fn header<'a>(request: &'a access_alerts::app::ports::HttpRequest, name: &str) -> &'a str {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} header"))
}

#[test]
fn alerts_go_to_ses_signed_as_the_raw_message_and_confirmations_do_not() {
    let site = site_with(&[]);
    site.subscribe("ada@example.net", "scope=all");
    assert!(
        site.fake.ses_requests.borrow().is_empty(),
        "the confirmation is transactional: Email Service, not SES"
    );
    site.publish_text("bulk", &alert_text("Bulk", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let requests = site.fake.ses_requests.borrow();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.url,
        "https://email.us-east-1.amazonaws.com/v2/email/outbound-emails"
    );
    let day = chrono::DateTime::from_timestamp_millis(START_MILLIS)
        .unwrap()
        .format("%Y%m%d")
        .to_string();
    let auth = header(r, "authorization");
    assert!(
        auth.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{day}/us-east-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
        )),
        "{auth}"
    );
    assert!(header(r, "x-amz-date").starts_with(&day));
    assert!(
        !r.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("host")),
        "the runtime writes Host from the URL"
    );
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["ConfigurationSetName"], "access-alerts");
    assert_eq!(body["Destination"]["ToAddresses"][0], "ada@example.net");
    // What SES was given is the whole message, List-Unsubscribe and all.
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2, "confirmation and alert");
    assert!(mail[1].contains("Subject: Bulk"));
    assert!(mail[1].contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(
        !site.fake.logged().contains("ada@example.net"),
        "no address in the log"
    );
}

#[test]
fn throttling_slows_the_send_down_and_never_ends_in_dead_mail() {
    let site = site_with(&[]);
    for name in ["ada", "bo", "cy"] {
        site.subscribe(&format!("{name}@example.net"), "scope=all");
    }
    site.publish_text("slow", &alert_text("Slow", "Opinion", -1, ""));
    // SES throttles 31 sends in a row: far more than the queue's retries
    // (5 here) would survive.
    site.cron(EVERY_MINUTE);
    let page = site.fake.mail_queue.borrow_mut().remove(0);
    site.consume(QueueKind::AlertMail, &page);
    let send = site.fake.mail_queue.borrow_mut().remove(0);
    let before = site.fake.mail_delays.borrow().len();
    site.fake.ses_throttles.set(31);
    let outcome = site.consume(QueueKind::AlertMail, &send);
    assert_eq!(
        outcome,
        access_alerts::app::Outcome::Ack,
        "a throttle is not a failure: the original is done"
    );
    let again = site.fake.mail_queue.borrow()[0].clone();
    assert_eq!(again["k"], "send");
    assert_eq!(
        again["r"].as_array().unwrap().len(),
        3,
        "all three wait (the first send was throttled)"
    );
    assert_eq!(site.fake.mail_delays.borrow()[before], 60, "after a pause");
    assert!(site.fake.logged().contains("SES throttled"));
    // The queue keeps handing the fresh copies back until SES takes them.
    let outcomes = site.drain_mail();
    assert!(outcomes
        .iter()
        .all(|o| *o == access_alerts::app::Outcome::Ack));
    for name in ["ada", "bo", "cy"] {
        assert_eq!(
            site.reader_mail_to(&format!("{name}@example.net")).len(),
            2,
            "{name}: the confirmation and the alert, once"
        );
    }
    assert!(site.sql("SELECT id FROM dead_mail").is_empty());
}

#[test]
fn a_throttle_midway_requeues_only_those_not_yet_mailed() {
    let site = site_with(&[]);
    for name in ["ada", "bo", "cy"] {
        site.subscribe(&format!("{name}@example.net"), "scope=all");
    }
    site.publish_text("mid", &alert_text("Mid", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    let page = site.fake.mail_queue.borrow_mut().remove(0);
    site.consume(QueueKind::AlertMail, &page);
    let send = site.fake.mail_queue.borrow_mut().remove(0);
    // SES takes the first, throttles the second: one sent, two wait.
    site.fake.ses_pass_before_throttle.set(1);
    site.fake.ses_throttles.set(1);
    site.consume(QueueKind::AlertMail, &send);
    assert_eq!(site.fake.ses_requests.borrow().len(), 2);
    let again = site.fake.mail_queue.borrow()[0].clone();
    assert_eq!(again["r"].as_array().unwrap().len(), 2);
    site.drain_mail();
    for name in ["ada", "bo", "cy"] {
        assert_eq!(
            site.reader_mail_to(&format!("{name}@example.net")).len(),
            2,
            "{name}: once"
        );
    }
}

#[test]
fn the_fan_out_spaces_its_messages_for_the_send_rate() {
    let site = site_with(&[("SES_MAX_SEND_RATE", "5")]);
    site.seed_subscribers(100);
    site.publish_text("paced", &alert_text("Paced", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    let page = site.fake.mail_queue.borrow_mut().remove(0);
    let before = site.fake.mail_delays.borrow().len();
    site.consume(QueueKind::AlertMail, &page);
    // Of 100 subscribers, the Opinion alert's each-alert ones: 72 (80 take
    // every alert or Opinion, 8 of them weekly).
    let delays = site.fake.mail_delays.borrow()[before..].to_vec();
    let expected: Vec<u32> = (0..15).collect();
    assert_eq!(
        delays, expected,
        "72 recipients, 5 a message, a second apart"
    );
    assert!(site
        .fake
        .mail_queue
        .borrow()
        .iter()
        .all(|m| m["r"].as_array().unwrap().len() <= 5));
    site.drain_mail();
    assert_eq!(site.fake.reader_mail.borrow().len(), 72);
}

#[test]
fn without_a_bulk_sender_nothing_is_mailed_and_healthz_says_why() {
    let site = site_with(&[("SES_ACCESS_KEY_ID", ""), ("SES_SECRET_ACCESS_KEY", "")]);
    let health = site.get("/healthz");
    assert_eq!(health.status, 503);
    assert!(health.text().contains("SES_ACCESS_KEY_ID is not set"));
    assert!(!health.text().contains("test-ses-secret"));
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text("held", &alert_text("Held", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "the confirmation (transactional) only"
    );
    assert!(site.fake.logged().contains("error=no-sender"));
}

#[test]
fn ses_settings_are_checked_and_never_shown() {
    let site = site_with(&[("SES_REGION", ""), ("SES_CONFIGURATION_SET", "")]);
    let text = site.get("/healthz").text();
    assert!(text.contains("SES_REGION is not set"), "{text}");
    let site = site_with(&[("SES_CONFIGURATION_SET", "")]);
    let text = site.get("/healthz").text();
    assert!(text.contains("SES_CONFIGURATION_SET is not set"), "{text}");
    let site = site_with(&[("SES_ENDPOINT", "http://ses.example.org")]);
    let text = site.get("/healthz").text();
    assert!(
        text.contains("SES_ENDPOINT is not an https address"),
        "{text}"
    );
    assert!(!text.contains("test-ses-secret") && !text.contains("AKIDEXAMPLE"));
}

/// `POST /operator/test-email`, form-encoded, with the operator's token.
fn test_send(site: &Site, body: &str, token: bool) -> access_alerts::app::Response {
    let mut req = crate::fake::TestRequest::post(
        "/operator/test-email",
        "application/x-www-form-urlencoded",
        body,
    );
    if token {
        req = req.header("Authorization", "Bearer test-operator-token");
    }
    site.send(req)
}

#[test]
fn a_test_send_mails_one_address_as_a_subscriber_would_get_it_drafts_and_scheduled_too() {
    let site = site_with(&[]);
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text(
        "later",
        &alert_text("Later", "Opinion", 60 * 24, "tags = [\"UN OEWG\"]\n"),
    );
    site.publish_text(
        "drafted",
        &alert_text("Drafted", "Opinion", -5, "draft = true\n"),
    );
    for (slug, state) in [
        ("later", "scheduled"),
        ("drafted", "draft"),
        (
            "oewg-collective-call-against-barring-organisations",
            "public",
        ),
    ] {
        let r = test_send(&site, &format!("slug={slug}&to=editor%40example.org"), true);
        assert_eq!(r.status, 202, "{}", r.text());
        let answer: serde_json::Value = serde_json::from_str(&r.text()).unwrap();
        assert_eq!(answer["state"], state);
    }
    assert!(
        site.fake.ses_requests.borrow().is_empty(),
        "transactional: not through the bulk sender"
    );
    let mail = site.reader_mail_to("editor@example.org");
    assert_eq!(mail.len(), 3);
    let later = &mail[0];
    assert!(later.contains("Subject: [Test] Later"), "{later}");
    assert!(later.contains("Test send: no subscriber has been mailed this"));
    assert!(later.contains("The body of Later"));
    // Every subscription link leads to the subscribe page: no token at all.
    assert!(!later.contains("?t="), "{later}");
    assert!(
        later.contains("List-Unsubscribe: <https://alerts.example.org/subscribe>")
            || later.contains("/subscribe>")
    );
    // Nobody else got anything, and no mailing started.
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "the confirmation only"
    );
    assert!(site
        .sql("SELECT id FROM mailings WHERE slug IN ('later', 'drafted')")
        .is_empty());
}

#[test]
fn a_test_send_is_the_operator_s_and_refuses_what_it_can_t_send() {
    let site = site_with(&[]);
    assert_eq!(
        test_send(&site, "slug=later&to=editor%40example.org", false).status,
        401
    );
    let r = test_send(&site, "slug=no-such-alert&to=editor%40example.org", true);
    assert_eq!(r.status, 404);
    let r = test_send(
        &site,
        "slug=oewg-collective-call-against-barring-organisations&to=not-an-address",
        true,
    );
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("`to` must be an email address"),
        "{}",
        r.text()
    );
    let r = test_send(&site, "slug=..%2Fetc&to=editor%40example.org", true);
    assert_eq!(r.status, 400);
    assert!(site.fake.reader_mail.borrow().is_empty());
}
