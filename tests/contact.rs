//! The contact form through the real runtime: queue, consumer and the local
//! send_email binding, which writes each message as a whole `.eml` file.
//! Validation, refusals and the honeypot are tested in-process
//! (`tests/app/contact.rs`).

mod common;

use common::{content_copy, scenarios, Resp, Worker};
use std::time::Duration;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Posts to /contact and checks that no contact address leaks (visitors in
/// these tests write from example.net; contacts live at example.org).
fn post(w: &Worker, content_type: &str, body: &str, extra: &[(&str, &str)]) -> Resp {
    let mut headers = vec![("Content-Type", content_type)];
    headers.extend_from_slice(extra);
    let r = w.request("POST", "/contact", &headers, body.as_bytes());
    assert!(
        !r.body.contains("example.org"),
        "a contact address leaked: {}",
        r.body
    );
    assert!(
        r.headers.iter().all(|(_, v)| !v.contains("example.org")),
        "{:?}",
        r.headers
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    r
}

fn json_inquiry(contact: &str, message: &str) -> String {
    serde_json::json!({
        "name": "Ada Lovelace", "email": "ada@example.net", "organisation": "Analytical Engines",
        "contact": contact, "subject": "OEWG participation", "message": message, "consent": true
    })
    .to_string()
}

/// The email whose Message-ID names this inquiry id.
fn email_for(w: &Worker, id: &str) -> Vec<String> {
    w.emails()
        .into_iter()
        .map(|(_, text)| text)
        .filter(|t| t.contains(&format!("Message-ID: <inquiry-{id}@example.org>")))
        .collect()
}

fn wait_email_for(w: &Worker, id: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let found = email_for(w, id);
        if let Some(e) = found.first() {
            return e.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no email for {id}:\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn header_of<'a>(email: &'a str, name: &str) -> &'a str {
    let head = email.split("\r\n\r\n").next().unwrap_or("");
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} header in:\n{head}"))
}

fn form_submission_emails_the_right_contact(w: &Worker) {
    let body = "name=Ada+Lovelace&email=ada%40example.net&organisation=&contact=gordon-mackay&subject=OEWG+access&message=Hello+Gordon%0D%0ASecond+line&consent=yes&website=";
    let r = post(w, FORM, body, &[("Origin", &w.url(""))]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some("/contact/thanks"),
        "relative Location"
    );
    assert_eq!(w.get("/contact/thanks").status, 200);
    let log = w.wait_for_log("queued", 1, Duration::from_secs(10));
    let id = log
        .split("inquiry id=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let email = wait_email_for(w, &id);
    assert_eq!(header_of(&email, "To"), "<gordon.mackay@example.org>");
    assert_eq!(
        header_of(&email, "Reply-To"),
        "\"Ada Lovelace\" <ada@example.net>"
    );
    assert_eq!(
        header_of(&email, "Message-ID"),
        format!("<inquiry-{id}@example.org>")
    );
    let subject = header_of(&email, "Subject");
    assert!(
        subject.contains("Access Alerts") && subject.contains("Ada Lovelace"),
        "{subject}"
    );
    assert!(header_of(&email, "Content-Type").starts_with("text/plain"));
    assert!(email.contains("Hello Gordon"));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(email_for(w, &id).len(), 1, "exactly one email");
    // Logs carry the id and never the visitor's data or the address.
    let log = w.log();
    assert!(!log.contains("ada@example.net") && !log.contains("Ada Lovelace"));
    assert!(!log
        .lines()
        .any(|l| l.contains("inquiry id=") && l.contains("example.org")));
}

fn json_submission_answers_202_with_id(w: &Worker) {
    let r = post(
        w,
        JSON,
        &json_inquiry("luminita-tuchel", "A JSON hello"),
        &[],
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let email = wait_email_for(w, &id);
    assert_eq!(header_of(&email, "To"), "<luminita.tuchel@example.org>");
}

/// A body over the cap through the runtime's own request body: 413, and a
/// cross-site post: 403 (the rest of the refusals are tested in-process).
fn refusals(w: &Worker) {
    let big = format!("name=A&message={}", "x".repeat(33 * 1024));
    assert_eq!(post(w, FORM, &big, &[]).status, 413);
    let r = post(
        w,
        JSON,
        &json_inquiry("gordon-mackay", "from elsewhere"),
        &[("Origin", "https://evil.example.net")],
    );
    assert_eq!(r.status, 403);
}

fn duplicate_within_ten_minutes_is_sent_once(w: &Worker) {
    let body = json_inquiry("gordon-mackay", "Please do not send me twice");
    let a = post(w, JSON, &body, &[]);
    let b = post(w, JSON, &body, &[]);
    assert_eq!((a.status, b.status), (202, 202));
    assert_eq!(
        a.json()["id"],
        b.json()["id"],
        "the repeat is answered with the first id"
    );
    let id = a.json()["id"].as_str().unwrap().to_string();
    wait_email_for(w, &id);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        w.emails()
            .iter()
            .filter(|(_, e)| e.contains("Please do not send me twice"))
            .count(),
        1
    );
}

/// Puts a raw queued inquiry on the queue (test environment route).
fn enqueue(w: &Worker, queued: &str) {
    let r = w.request(
        "POST",
        "/__test/enqueue",
        &[("Content-Type", JSON)],
        queued.as_bytes(),
    );
    assert_eq!(r.status, 202, "{}", r.body);
}

fn same_id_enqueued_twice_sends_once(w: &Worker) {
    let q = serde_json::json!({"id": "0000test0dup", "received_at": "2024-11-26T10:00:00Z", "contact": "inquiries",
        "name": "Grace", "email": "grace@example.net", "organisation": "", "subject": "Twice", "message": "Deliver me once"}).to_string();
    enqueue(w, &q);
    wait_email_for(w, "0000test0dup");
    enqueue(w, &q);
    w.wait_for_log(
        "inquiry id=0000test0dup already sent",
        1,
        Duration::from_secs(20),
    );
    assert_eq!(email_for(w, "0000test0dup").len(), 1);
}

#[test]
fn contact() {
    let w = Worker::start(&[]);
    let content = content_copy();
    w.publish(content.path(), false);
    scenarios(
        &w,
        &[
            (
                "form_submission_emails_the_right_contact",
                form_submission_emails_the_right_contact,
            ),
            (
                "json_submission_answers_202_with_id",
                json_submission_answers_202_with_id,
            ),
            ("refusals", refusals),
            (
                "duplicate_within_ten_minutes_is_sent_once",
                duplicate_within_ten_minutes_is_sent_once,
            ),
            (
                "same_id_enqueued_twice_sends_once",
                same_id_enqueued_twice_sends_once,
            ),
        ],
    );
}
