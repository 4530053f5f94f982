//! A send that keeps failing (the local send_email binding refuses an address
//! it does not allow: a real failure) ends in the dead-letter store with
//! nothing lost, and the operator re-sends it once the address is fixed.

mod common;

use common::{content_copy, Worker};
use std::time::Duration;

const TOKEN: &str = "test-operator-token";

#[test]
fn failed_delivery_is_kept_and_resent_by_the_operator() {
    let broken = r#"{"gordon-mackay":"unlisted@example.org","luminita-tuchel":"luminita.tuchel@example.org","inquiries":"inquiries@example.org"}"#;
    let w = Worker::start(&[("CONTACT_ADDRESSES", broken)]);
    let content = content_copy();
    w.publish(content.path(), false);

    let body = serde_json::json!({"name": "Ada Lovelace", "email": "ada@example.net", "contact": "gordon-mackay",
        "subject": "Lost?", "message": "This must not be lost", "consent": true}).to_string();
    let r = w.request(
        "POST",
        "/contact",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();

    let log = w.wait_for_log(
        &format!("inquiry id={id} dead-lettered"),
        1,
        Duration::from_secs(60),
    );
    assert!(
        log.contains(&format!("inquiry id={id} error=recipient-not-allowed")),
        "{log}"
    );
    assert!(
        !log.lines().any(|l| l.contains("inquiry id=") && (l.contains("example.org") || l.contains("ada@"))),
        "log lines name the id and the error kind only"
    );
    assert!(w.emails().is_empty(), "nothing was sent");

    assert_eq!(w.get("/operator/inquiries").status, 401);
    let wrong = w.request(
        "GET",
        "/operator/inquiries",
        &[("Authorization", "Bearer nope")],
        b"",
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
    let auth = format!("Bearer {TOKEN}");
    let list = w.request(
        "GET",
        "/operator/inquiries",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(list.status, 200);
    assert_eq!(list.header("cache-control"), Some("private, no-store"));
    let items = list.json()["inquiries"].as_array().unwrap().clone();
    let kept = items
        .iter()
        .find(|i| i["id"] == id.as_str())
        .expect("kept for the operator");
    assert_eq!(
        kept["subject"], "Lost?",
        "the summary, from the key's metadata"
    );
    let full = w.request(
        "GET",
        &format!("/operator/inquiries/{id}"),
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(full.json()["message"], "This must not be lost");
    let ttl = w.kv(&["key", "list", "--prefix", &format!("inq:dead:{id}")]);
    assert!(
        ttl.contains("\"expiration\""),
        "kept with a retention period: {ttl}"
    );

    // The operator fixes the address (a restart with the corrected secret) and re-sends.
    let state = w.stop();
    let w = Worker::start_with_state(&[], state);
    let resend = w.request(
        "POST",
        &format!("/operator/inquiries/{id}/resend"),
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(resend.status, 202, "{}", resend.body);
    let emails = w.wait_for_emails(1, Duration::from_secs(30));
    let (_, email) = &emails[0];
    assert!(email.contains("To: <gordon.mackay@example.org>"), "{email}");
    assert!(email.contains(&format!("Message-ID: <inquiry-{id}@example.org>")));
    assert!(email.contains("This must not be lost"));
    let after = w.request(
        "GET",
        "/operator/inquiries",
        &[("Authorization", &auth)],
        b"",
    );
    assert!(!after.body.contains(&id), "no longer dead once re-queued");
    let unknown = w.request(
        "POST",
        "/operator/inquiries/nope/resend",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(unknown.status, 404);
    assert_eq!(
        w.request("GET", &format!("/operator/inquiries/{id}/resend"), &[], b"")
            .status,
        405
    );
}
