//! Queue bodies that are not what their queue carries (damaged, an old
//! shape, an unknown kind, a bad id) are kept as dead with their kind
//! logged: acked, never dropped, never a panic, and nothing sent.

use crate::fake::Site;
use access_alerts::app::{Outcome, QueueKind};
use test_case::test_case;

/// A body per way a message can be malformed, and the kind logged for it.
const MAIL: [(&str, &str); 6] = [
    ("{\"k\":\"send\",\"m\":", "not-json"),
    ("{\"k\":\"launch\",\"m\":\"x\"}", "unknown-kind k=launch"),
    ("{\"m\":\"x\",\"r\":[\"a1\"]}", "unknown-kind k=none"),
    // An old shape: the frequency and time it now carries are missing.
    ("{\"k\":\"send\",\"m\":\"x\",\"r\":[\"a1\"]}", "bad-shape"),
    ("{\"k\":\"confirm\",\"p\":\"../etc\"}", "bad-id"),
    ("[\"k\",\"page\"]", "unknown-kind k=none"),
];

#[test_case(0; "damaged")]
#[test_case(1; "unknown kind")]
#[test_case(2; "no kind")]
#[test_case(3; "old shape")]
#[test_case(4; "bad id")]
#[test_case(5; "not an object")]
fn malformed_alert_mail_is_kept_as_dead_with_its_kind_logged(case: usize) {
    let (body, kind) = MAIL[case];
    let site = Site::from_content();
    assert_eq!(site.consume_text(QueueKind::AlertMail, body), Outcome::Ack);
    let dead = site.sql("SELECT body FROM dead_mail");
    assert_eq!(dead.len(), 1, "kept, not dropped");
    assert_eq!(dead[0]["body"], body, "kept as it came");
    assert_logged_unreadable(&site, kind);
    assert!(site.fake.reader_mail.borrow().is_empty(), "nothing sent");
    assert!(site.fake.mail_queue.borrow().is_empty(), "nothing queued");
    // The operator sees it, named unreadable, and can't put it back as it is.
    let list = site.request(
        "GET",
        "/operator/mail",
        &[("Authorization", "Bearer test-operator-token")],
    );
    let listed: serde_json::Value = serde_json::from_str(&list.text()).unwrap();
    assert_eq!(
        listed["mail"][0]["kind"],
        format!("unreadable: {kind}"),
        "{listed}"
    );
    let id = listed["mail"][0]["id"].as_str().unwrap();
    let resend = site.request(
        "POST",
        &format!("/operator/mail/{id}/resend"),
        &[("Authorization", "Bearer test-operator-token")],
    );
    assert_eq!(resend.status, 400);
    assert_eq!(site.sql("SELECT id FROM dead_mail").len(), 1, "still kept");
}

#[test]
fn the_dead_letter_queue_keeps_what_it_cannot_read_too() {
    let site = Site::from_content();
    for (body, _) in MAIL {
        assert_eq!(
            site.consume_text(QueueKind::AlertMailDead, body),
            Outcome::Ack
        );
    }
    assert_eq!(site.sql("SELECT id FROM dead_mail").len(), MAIL.len());
}

#[test_case("{\"id\":\"0001\",\"contact\":", "not-json"; "damaged")]
#[test_case("\"just text\"", "bad-shape"; "not an object")]
#[test_case("{\"id\":\"0002\",\"contact\":\"gordon-mackay\"}", "bad-shape"; "old shape")]
#[test_case("{\"id\":\"a/b\",\"received_at\":\"t\",\"contact\":\"c\",\"name\":\"n\",\"email\":\"e\",\"organisation\":\"\",\"subject\":\"s\",\"message\":\"m\"}", "bad-id"; "bad id")]
fn malformed_inquiries_are_kept_as_dead_with_their_kind_logged(body: &str, kind: &str) {
    let site = Site::from_content();
    assert_eq!(site.consume_text(QueueKind::Inquiries, body), Outcome::Ack);
    let dead = site.fake.keys_with_prefix("inq:dead:");
    assert_eq!(dead.len(), 1, "kept, not dropped: {dead:?}");
    assert_eq!(
        site.fake.value(&dead[0]).as_deref(),
        Some(body),
        "kept as it came"
    );
    assert_logged_unreadable(&site, kind);
    assert!(site.fake.mail.borrow().is_empty(), "nothing sent");
}

/// The log names the message unreadable and why.
fn assert_logged_unreadable(site: &Site, kind: &str) {
    let logged = site.fake.logged();
    assert!(
        logged.contains(&format!("unreadable message ({kind})")),
        "{logged}"
    );
}
