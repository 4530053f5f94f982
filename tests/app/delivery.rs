//! Delivery: the queue consumer's outcome per message, redeliveries, the
//! dead-letter store and the operator's endpoints.

use crate::fake::{Site, TestRequest};
use crate::json;
use access_alerts::app::ports::MailError;
use access_alerts::app::{Outcome, QueueKind};
use access_alerts::routes::Method;

const TOKEN: &str = "Bearer test-operator-token";

fn queued(id: &str, contact: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "received_at": "2024-11-26T10:00:00Z", "contact": contact,
        "name": "Grace", "email": "grace@example.net", "organisation": "", "subject": "Twice", "message": "Deliver me once"})
}

fn operator(
    site: &Site,
    method: Method,
    path: &str,
    token: Option<&str>,
) -> access_alerts::app::Response {
    let mut req = TestRequest::new(method, path);
    if let Some(t) = token {
        req = req.header("Authorization", t);
    }
    site.send(req)
}

#[test]
fn same_id_delivered_twice_is_sent_once() {
    let site = Site::from_content();
    let q = queued("0000test0dup", "inquiries");
    assert_eq!(site.consume(QueueKind::Inquiries, &q), Outcome::Ack);
    assert_eq!(site.consume(QueueKind::Inquiries, &q), Outcome::Ack);
    assert_eq!(site.fake.mail.borrow().len(), 1);
    assert!(site
        .fake
        .logged()
        .contains("inquiry id=0000test0dup already sent"));
    assert!(site.fake.value("inq:sent:0000test0dup").is_some());
}

#[test]
fn failures_are_retried_with_the_configured_delay_and_never_log_addresses() {
    let site = Site::from_content();
    site.fake
        .mail_fails
        .set(Some(MailError::RecipientNotAllowed));
    assert_eq!(
        site.consume(QueueKind::Inquiries, &queued("0000fail", "gordon-mackay")),
        Outcome::Retry(Some(7))
    );
    assert!(site
        .fake
        .logged()
        .contains("inquiry id=0000fail error=recipient-not-allowed"));
    site.fake.mail_fails.set(None);
    let no_address = Site::with(&[("CONTACT_ADDRESSES", "{}")]);
    assert_eq!(
        no_address.consume(QueueKind::Inquiries, &queued("0000noaddr", "gordon-mackay")),
        Outcome::Retry(Some(7))
    );
    assert!(no_address
        .fake
        .logged()
        .contains("inquiry id=0000noaddr error=no-address-configured"));
    site.fake.kv_fails.set(true);
    assert_eq!(
        site.consume(QueueKind::Inquiries, &queued("0000kv", "gordon-mackay")),
        Outcome::Retry(Some(7)),
        "unsure whether it was sent: retry"
    );
    assert!(site.fake.mail.borrow().is_empty());
    for log in [site.fake.logged(), no_address.fake.logged()] {
        assert!(
            !log.contains("example.org") && !log.contains("grace@"),
            "{log}"
        );
    }
}

#[test]
fn an_unreadable_message_is_kept_not_lost() {
    let site = Site::from_content();
    let junk = serde_json::json!({"id": "abc123", "nonsense": true});
    assert_eq!(site.consume(QueueKind::Inquiries, &junk), Outcome::Ack);
    assert!(site
        .fake
        .value("inq:dead:abc123")
        .unwrap()
        .contains("nonsense"));
    let no_id = serde_json::json!("just a string");
    assert_eq!(site.consume(QueueKind::DeadLetters, &no_id), Outcome::Ack);
    assert_eq!(site.fake.keys_with_prefix("inq:dead:unknown-").len(), 1);
    // Two in one batch (one app, one clock) are kept apart.
    let app = access_alerts::app::App::new(&site.fake, &site.settings);
    for _ in 0..2 {
        let outcome =
            crate::fake::block_on(app.consume(QueueKind::DeadLetters, &no_id.to_string()));
        assert_eq!(outcome, Outcome::Ack);
    }
    assert_eq!(site.fake.keys_with_prefix("inq:dead:unknown-").len(), 3);
    site.fake.kv_fails.set(true);
    assert_eq!(
        site.consume(QueueKind::DeadLetters, &queued("0000x", "inquiries")),
        Outcome::Retry(None),
        "not stored: tried again"
    );
}

#[test]
fn dead_letters_are_kept_for_30_days_listed_and_resent_by_the_operator() {
    let site = Site::from_content();
    let id = "0000dead0001";
    assert_eq!(
        site.consume(QueueKind::DeadLetters, &queued(id, "gordon-mackay")),
        Outcome::Ack
    );
    assert!(site
        .fake
        .logged()
        .contains(&format!("inquiry id={id} dead-lettered")));
    let expires = site.fake.kv.borrow()[&format!("inq:dead:{id}")]
        .expires
        .unwrap();
    assert_eq!(
        expires - site.fake.now(),
        30 * 24 * 3600 * 1000,
        "kept 30 days"
    );

    assert_eq!(
        operator(&site, Method::Get, "/operator/inquiries", None).status,
        401
    );
    let wrong = operator(
        &site,
        Method::Get,
        "/operator/inquiries",
        Some("Bearer nope"),
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.header("www-authenticate").as_deref(), Some("Bearer"));
    assert!(
        json(&wrong)["error"].is_string(),
        "operator answers are JSON"
    );
    let list = operator(&site, Method::Get, "/operator/inquiries", Some(TOKEN));
    assert_eq!(list.status, 200);
    assert_eq!(
        list.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    let items = json(&list)["inquiries"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id);
    assert_eq!(items[0]["subject"], "Twice");
    assert!(json(&list)["next"].is_null());
    let full = operator(
        &site,
        Method::Get,
        &format!("/operator/inquiries/{id}"),
        Some(TOKEN),
    );
    assert_eq!(full.status, 200);
    assert_eq!(json(&full)["message"], "Deliver me once");

    let resend = operator(
        &site,
        Method::Post,
        &format!("/operator/inquiries/{id}/resend"),
        Some(TOKEN),
    );
    assert_eq!(resend.status, 202, "{}", resend.text());
    assert_eq!(json(&resend)["status"], "queued");
    assert_eq!(site.fake.queue.borrow()[0].id, id);
    assert!(
        site.fake.value(&format!("inq:dead:{id}")).is_none(),
        "no longer dead once re-queued"
    );
    assert_eq!(site.deliver_all(), vec![Outcome::Ack]);
    assert_eq!(site.fake.mail.borrow()[0].1, "gordon.mackay@example.org");
    assert_eq!(
        operator(
            &site,
            Method::Post,
            "/operator/inquiries/nope/resend",
            Some(TOKEN)
        )
        .status,
        404
    );
    assert_eq!(
        operator(
            &site,
            Method::Get,
            &format!("/operator/inquiries/{id}/resend"),
            Some(TOKEN)
        )
        .status,
        405
    );
    let off = Site::with(&[("OPERATOR_TOKEN", "")]);
    assert_eq!(
        operator(&off, Method::Get, "/operator/inquiries", Some("Bearer ")).status,
        404,
        "no token configured: no endpoint"
    );
}
