//! The contact form: rendering, validation, refusals, the honeypot,
//! duplicates, the rate limit, Turnstile, and what reaches the queue.

use crate::fake::{Site, TestRequest, ORIGIN};
use crate::json;
use access_alerts::app::Response;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Posts to /contact and checks that no contact address leaks (visitors in
/// these tests write from example.net; contacts live at example.org).
pub(crate) fn post(
    site: &Site,
    content_type: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> Response {
    post_to(site, "/contact", content_type, body, extra)
}

/// `post` to the contact form at `path` (`/fr/contact`).
pub(crate) fn post_to(
    site: &Site,
    path: &str,
    content_type: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut req = TestRequest::post(path, content_type, body);
    for (k, v) in extra {
        req = req.header(k, v);
    }
    // From Cloudflare's edge every request says where it comes from.
    if !extra
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("CF-Connecting-IP"))
    {
        req = req.header("CF-Connecting-IP", "192.0.2.1");
    }
    let r = site.send(req);
    assert!(
        !r.text().contains("example.org"),
        "a contact address leaked: {}",
        r.text()
    );
    assert!(r.headers().iter().all(|(_, v)| !v.contains("example.org")));
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    r
}

pub(crate) fn json_inquiry(contact: &str, message: &str) -> String {
    serde_json::json!({
        "name": "Ada Lovelace", "email": "ada@example.net", "organisation": "Analytical Engines",
        "contact": contact, "subject": "OEWG participation", "message": message, "consent": true
    })
    .to_string()
}

#[test]
fn form_page_preselects_and_labels() {
    let site = Site::from_content();
    let r = site.get("/contact");
    assert_eq!(r.status, 200);
    let b = r.text();
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
    assert!(b.contains(r#"href="/privacy""#) && b.contains(r#"action="/contact""#));
    assert!(!b.contains("<script"), "no JavaScript needed");
    assert!(!b.contains("example.org"));
    assert!(site
        .get("/contact?to=luminita-tuchel")
        .text()
        .contains(r#"<option value="luminita-tuchel" selected>"#));
    assert!(site
        .get("/contact?to=nobody")
        .text()
        .contains(r#"<option value="inquiries" selected>"#));
    let privacy = site.get("/privacy").text();
    assert!(privacy.contains("30 days") && privacy.contains("Who reads it"));
}

#[test]
fn form_submission_is_queued_for_the_right_contact_and_emailed() {
    let site = Site::from_content();
    let body = "name=Ada+Lovelace&email=ada%40example.net&organisation=&contact=gordon-mackay&subject=OEWG+access&message=Hello+Gordon%0D%0ASecond+line&consent=yes&website=";
    let r = post(&site, FORM, body, &[("Origin", ORIGIN)]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location").as_deref(),
        Some("/contact/thanks"),
        "relative Location"
    );
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    assert_eq!(site.get("/contact/thanks").status, 200);
    let queued = site.fake.queue.borrow().clone();
    assert_eq!(queued.len(), 1);
    let q = &queued[0];
    assert_eq!(
        (q.contact.as_str(), q.name.as_str(), q.email.as_str()),
        ("gordon-mackay", "Ada Lovelace", "ada@example.net")
    );
    assert_eq!(q.received_at, "2024-12-01T00:00:00Z");
    assert_eq!(
        q.id.len(),
        28,
        "12 hex digits of milliseconds and 16 of randomness: {}",
        q.id
    );
    let id = q.id.clone();
    assert!(site
        .fake
        .logged()
        .contains(&format!("inquiry id={id} queued")));
    site.deliver_all();
    let mail = site.fake.mail.borrow().clone();
    assert_eq!(mail.len(), 1);
    let (from, to, raw) = &mail[0];
    assert_eq!(
        (from.as_str(), to.as_str()),
        ("alerts@example.org", "gordon.mackay@example.org")
    );
    assert!(raw.contains("To: <gordon.mackay@example.org>"));
    assert!(raw.contains("Reply-To: \"Ada Lovelace\" <ada@example.net>"));
    assert!(raw.contains(&format!("Message-ID: <inquiry-{id}@example.org>")));
    assert!(raw.contains("Hello Gordon"));
    // Logs carry the id and never the visitor's data or the address.
    let log = site.fake.logged();
    assert!(
        !log.contains("ada@example.net")
            && !log.contains("Ada Lovelace")
            && !log.contains("example.org"),
        "{log}"
    );
}

#[test]
fn json_submission_answers_202_with_id() {
    let site = Site::from_content();
    let r = post(
        &site,
        JSON,
        &json_inquiry("luminita-tuchel", "A JSON hello"),
        &[],
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let id = json(&r)["id"].as_str().unwrap().to_string();
    assert_eq!(site.fake.queue.borrow()[0].id, id);
    site.deliver_all();
    assert_eq!(site.fake.mail.borrow()[0].1, "luminita.tuchel@example.org");
}

#[test]
fn invalid_input_keeps_values_and_names_problems() {
    let site = Site::from_content();
    let r = post(&site, FORM, "name=Ada+%3Cb%3E&email=not-an-email&contact=gordon-mackay&subject=Kept+subject&message=Kept+message", &[]);
    assert_eq!(r.status, 422);
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    let b = r.text();
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
    assert!(b.contains(r#"id="consent-error""#));
    assert!(b.contains(r#"<option value="gordon-mackay" selected>"#));
    let j = post(
        &site,
        JSON,
        r#"{"name":"","email":"x","contact":"gordon-mackay","subject":"s","message":"m","consent":false}"#,
        &[],
    );
    assert_eq!(j.status, 422);
    let errors = &json(&j)["errors"];
    for f in ["name", "email", "consent"] {
        assert!(errors[f].is_string(), "{f}: {errors}");
    }
    assert!(errors["subject"].is_null());
    assert!(site.fake.queue.borrow().is_empty(), "nothing queued");
}

#[test]
fn refusals() {
    let site = Site::from_content();
    let big = format!("name=A&message={}", "x".repeat(33 * 1024));
    assert_eq!(
        post(&site, FORM, &big, &[]).status,
        413,
        "a body over 32 KB, whatever the headers"
    );
    assert_eq!(
        post(&site, FORM, "name=A", &[("Content-Length", "40000")]).status,
        413,
        "declared too large"
    );
    assert_eq!(post(&site, "text/plain", "hello", &[]).status, 415);
    let r = post(&site, JSON, &json_inquiry("nobody-here", "hi"), &[]);
    assert_eq!(r.status, 422);
    assert!(json(&r)["errors"]["contact"].is_string());
    let injected = serde_json::json!({"name": "Ada\r\nBcc: victim@example.net", "email": "ada@example.net", "contact": "gordon-mackay", "subject": "s", "message": "m", "consent": true}).to_string();
    let r = post(&site, JSON, &injected, &[]);
    assert_eq!(r.status, 422);
    assert_eq!(
        json(&r)["errors"]["name"],
        "Your name must be a single line"
    );
    let r = post(
        &site,
        JSON,
        &json_inquiry("gordon-mackay", "subject injection")
            .replace("OEWG participation", "a\\nBcc: x@example.net"),
        &[],
    );
    assert_eq!(r.status, 422);
    let r = post(
        &site,
        JSON,
        &json_inquiry("gordon-mackay", "from elsewhere"),
        &[("Origin", "https://evil.example.net")],
    );
    assert_eq!(r.status, 403);
    assert!(json(&r)["error"]
        .as_str()
        .unwrap()
        .contains("only be sent from this site"));
    let r = post(
        &site,
        FORM,
        "name=A",
        &[("Origin", "https://evil.example.net")],
    );
    assert_eq!(r.status, 403);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = post(&site, JSON, "{not json", &[]);
    assert_eq!(r.status, 400);
    assert!(json(&r)["error"].is_string());
    assert!(site.fake.queue.borrow().is_empty(), "nothing queued");
}

#[test]
fn honeypot_is_answered_like_success_and_dropped() {
    let site = Site::from_content();
    let r = post(&site, FORM, "name=Bot&email=bot%40example.net&contact=gordon-mackay&subject=Buy&message=Spam+offer&consent=yes&website=http%3A%2F%2Fspam.example.net", &[]);
    assert_eq!(r.status, 303);
    assert!(site.fake.queue.borrow().is_empty());
}

#[test]
fn duplicate_within_ten_minutes_is_queued_once() {
    let site = Site::from_content();
    let body = json_inquiry("gordon-mackay", "Please do not send me twice");
    let a = post(&site, JSON, &body, &[]);
    let b = post(&site, JSON, &body, &[]);
    assert_eq!((a.status, b.status), (202, 202));
    assert_eq!(
        json(&a)["id"],
        json(&b)["id"],
        "the repeat is answered with the first id"
    );
    assert_eq!(site.fake.queue.borrow().len(), 1);
    site.fake.advance_seconds(601);
    let c = post(&site, JSON, &body, &[]);
    assert_ne!(
        json(&c)["id"],
        json(&a)["id"],
        "after ten minutes it is a new inquiry"
    );
    assert_eq!(site.fake.queue.borrow().len(), 2);
}

#[test]
fn queue_failure_loses_nothing_and_says_so() {
    let site = Site::from_content();
    site.fake.queue_fails.set(true);
    let r = post(
        &site,
        FORM,
        "name=Ada&email=ada%40example.net&contact=inquiries&subject=S&message=Keep+me&consent=yes",
        &[],
    );
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after").as_deref(), Some("60"));
    assert!(r.text().contains(">Keep me</textarea>") && r.text().contains("Nothing was sent"));
    site.fake.queue_fails.set(false);
    let again = post(
        &site,
        FORM,
        "name=Ada&email=ada%40example.net&contact=inquiries&subject=S&message=Keep+me&consent=yes",
        &[],
    );
    assert_eq!(
        again.status, 303,
        "not mistaken for a duplicate of the failed one"
    );
}

#[test]
fn a_burst_beyond_the_limit_gets_429_with_retry_after() {
    let site = Site::from_content();
    let ip = [("CF-Connecting-IP", "203.0.113.7")];
    let statuses: Vec<u16> = (0..12)
        .map(|i| {
            post(
                &site,
                JSON,
                &json_inquiry("inquiries", &format!("message {i}")),
                &ip,
            )
            .status
        })
        .collect();
    assert_eq!(&statuses[..10], &[202; 10]);
    let r = post(&site, JSON, &json_inquiry("inquiries", "one more"), &ip);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after").as_deref(), Some("60"));
    assert!(json(&r)["error"].as_str().unwrap().contains("Too many"));
    let other = post(
        &site,
        JSON,
        &json_inquiry("inquiries", "another person"),
        &[("CF-Connecting-IP", "198.51.100.1")],
    );
    assert_eq!(
        other.status, 202,
        "one client's burst does not limit another"
    );
    assert!(site
        .fake
        .limited
        .borrow()
        .contains_key("contact:203.0.113.7"));
    // Only a diagnostics build may switch the limiter off (tests/app/abuse.rs).
    if !cfg!(feature = "diagnostics") {
        return;
    }
    let off = Site::from_content_with(&[("RATE_LIMIT_DISABLED", "1")]);
    for i in 0..15 {
        assert_eq!(
            post(
                &off,
                JSON,
                &json_inquiry("inquiries", &format!("m{i}")),
                &ip
            )
            .status,
            202
        );
    }
}

#[test]
fn turnstile_is_verified_server_side() {
    let site = Site::from_content_with(&[
        ("TURNSTILE_SECRET", "secret-key"),
        ("TURNSTILE_SITE_KEY", "site-key-1"),
        ("TURNSTILE_VERIFY_URL", "https://siteverify.example.net/"),
    ]);
    let page = site.get("/contact");
    assert!(page.text().contains(
        r#"<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer>"#
    ));
    assert!(page.text().contains(r#"data-sitekey="site-key-1""#));
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("script-src https://challenges.cloudflare.com;"));
    assert!(
        site.get("/")
            .header("content-security-policy")
            .unwrap()
            .contains("script-src 'none'"),
        "only the form loads it"
    );
    let with_token = |t: Option<&str>| {
        let mut j: serde_json::Value =
            serde_json::from_str(&json_inquiry("inquiries", "Checked by Turnstile")).unwrap();
        if let Some(t) = t {
            j["cf-turnstile-response"] = t.into();
        }
        j.to_string()
    };
    let missing = post(&site, JSON, &with_token(None), &[]);
    assert_eq!(missing.status, 403);
    assert!(json(&missing)["error"]
        .as_str()
        .unwrap()
        .contains("anti-robot check"));
    assert!(site.fake.http_sent.borrow().is_empty(), "no token, no call");
    let ok = post(
        &site,
        JSON,
        &with_token(Some("token-1")),
        &[("CF-Connecting-IP", "203.0.113.9")],
    );
    assert_eq!(ok.status, 202, "{}", ok.text());
    let (url, sent) = site.fake.http_sent.borrow()[0].clone();
    assert_eq!(url, "https://siteverify.example.net/");
    assert_eq!(
        sent,
        "secret=secret-key&response=token-1&remoteip=203.0.113.9"
    );
    *site.fake.http_answer.borrow_mut() = r#"{"success": false}"#.into();
    assert_eq!(
        post(&site, JSON, &with_token(Some("token-2")), &[]).status,
        403
    );
    let form = post(&site, FORM, "name=Ada&email=ada%40example.net&contact=inquiries&subject=S&message=Keep+me&consent=yes&cf-turnstile-response=t", &[]);
    assert_eq!(form.status, 403);
    assert!(
        form.text().contains("anti-robot check") && form.text().contains(">Keep me</textarea>"),
        "form kept with a clear message"
    );
    assert_eq!(site.fake.queue.borrow().len(), 1, "only the verified one");
}
