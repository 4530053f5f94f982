//! The contact form through the real runtime: queue, consumer and the local
//! send_email binding, which writes each message as a whole `.eml` file.

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

fn form_page_preselects_and_labels(w: &Worker) {
    let r = w.get("/contact");
    assert_eq!(r.status, 200);
    let b = &r.body;
    assert!(
        b.contains(r#"<option value="inquiries" selected>General inquiries</option>"#),
        "general inbox preselected"
    );
    for field in [
        "name",
        "email",
        "organisation",
        "contact",
        "subject",
        "message",
        "consent",
    ] {
        assert!(b.contains(&format!(r#"name="{field}""#)), "field {field}");
        assert!(
            b.contains(&format!(r#"<label for="{field}">"#)),
            "label for {field}"
        );
    }
    assert!(
        b.contains(r#"name="website""#) && b.contains(r#"aria-hidden="true""#),
        "honeypot hidden from people"
    );
    assert!(b.contains(r#"href="/privacy""#));
    assert!(!b.contains("<script"), "no JavaScript needed");
    assert!(!b.contains("example.org"));
    let to = w.get("/contact?to=luminita-tuchel");
    assert!(to
        .body
        .contains(r#"<option value="luminita-tuchel" selected>"#));
    let privacy = w.get("/privacy");
    assert!(privacy.body.contains("30 days") && privacy.body.contains("Who reads it"));
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

fn invalid_input_keeps_values_and_names_problems(w: &Worker) {
    let r = post(w, FORM, "name=Ada+%3Cb%3E&email=not-an-email&contact=gordon-mackay&subject=Kept+subject&message=Kept+message", &[]);
    assert_eq!(r.status, 422);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    let b = &r.body;
    assert!(
        b.contains(r#"value="Ada &lt;b&gt;""#),
        "typed name kept, escaped"
    );
    assert!(
        b.contains(r#"value="not-an-email""#)
            && b.contains(r#"value="Kept subject""#)
            && b.contains(">Kept message</textarea>")
    );
    assert!(b.contains(r#"id="email-error""#) && b.contains(r#"aria-describedby="email-error""#));
    assert!(
        b.contains("Enter an email address like name@example.com")
            || b.contains("Enter an email address")
    );
    assert!(b.contains(r#"id="consent-error""#));
    assert!(b.contains(r#"<option value="gordon-mackay" selected>"#));
    let j = post(
        w,
        JSON,
        r#"{"name":"","email":"x","contact":"gordon-mackay","subject":"s","message":"m","consent":false}"#,
        &[],
    );
    assert_eq!(j.status, 422);
    let errors = &j.json()["errors"];
    for f in ["name", "email", "consent"] {
        assert!(errors[f].is_string(), "{f}: {errors}");
    }
    assert!(errors["subject"].is_null());
}

fn refusals(w: &Worker) {
    let big = format!("name=A&message={}", "x".repeat(33 * 1024));
    assert_eq!(post(w, FORM, &big, &[]).status, 413);
    let r = post(w, "text/plain", "hello", &[]);
    assert_eq!(r.status, 415);
    let r = post(w, JSON, &json_inquiry("nobody-here", "hi"), &[]);
    assert_eq!(r.status, 422);
    assert!(r.json()["errors"]["contact"].is_string());
    let injected = serde_json::json!({"name": "Ada\r\nBcc: victim@example.net", "email": "ada@example.net", "contact": "gordon-mackay", "subject": "s", "message": "m", "consent": true}).to_string();
    let r = post(w, JSON, &injected, &[]);
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["errors"]["name"],
        "Your name must be a single line"
    );
    let r = post(
        w,
        JSON,
        &json_inquiry("gordon-mackay", "subject injection")
            .replace("OEWG participation", "a\\nBcc: x@example.net"),
        &[],
    );
    assert_eq!(r.status, 422);
    let r = post(
        w,
        JSON,
        &json_inquiry("gordon-mackay", "from elsewhere"),
        &[("Origin", "https://evil.example.net")],
    );
    assert_eq!(r.status, 403);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("only be sent from this site"));
    let r = post(w, FORM, "name=A", &[("Origin", "https://evil.example.net")]);
    assert_eq!(r.status, 403);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = post(w, JSON, "{not json", &[]);
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
}

fn honeypot_is_answered_like_success_and_dropped(w: &Worker) {
    let before = w.emails().len();
    let r = post(w, FORM, "name=Bot&email=bot%40example.net&contact=gordon-mackay&subject=Buy&message=Spam+offer&consent=yes&website=http%3A%2F%2Fspam.example.net", &[]);
    assert_eq!(r.status, 303);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(w.emails().len(), before);
    assert!(!w.emails().iter().any(|(_, e)| e.contains("Spam offer")));
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
                "form_page_preselects_and_labels",
                form_page_preselects_and_labels,
            ),
            (
                "form_submission_emails_the_right_contact",
                form_submission_emails_the_right_contact,
            ),
            (
                "json_submission_answers_202_with_id",
                json_submission_answers_202_with_id,
            ),
            (
                "invalid_input_keeps_values_and_names_problems",
                invalid_input_keeps_values_and_names_problems,
            ),
            ("refusals", refusals),
            (
                "honeypot_is_answered_like_success_and_dropped",
                honeypot_is_answered_like_success_and_dropped,
            ),
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
