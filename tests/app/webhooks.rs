//! Signed webhooks in-process: the operator adds, lists and removes
//! endpoints; each endpoint whose topics match is sent `alert.published`
//! at go-live (a scheduled alert at its date, a draft never) and
//! `alert.updated` for a new change note (a plain edit never), signed the
//! Standard Webhooks way (or as a Slack message), through the alert-mail
//! queue: retried with the same `webhook-id` on the backoff schedule, then
//! kept as dead, and an endpoint failing for days is disabled.

use crate::fake::{Site, TestRequest};
use crate::subscribers::{alert_text, change_note, EVERY_MINUTE};
use access_alerts::app::ports::HttpRequest;
use access_alerts::routes::Method;
use access_alerts::webhook::signature::Secret;
use access_alerts::webhook::{ATTEMPTS, BACKOFF};
use serde_json::Value;

const TOKEN: &str = "Bearer test-operator-token";
const HOOK: &str = "https://hooks.example.net/in/s3cr3t-path";

fn site() -> Site {
    let site = Site::from_content();
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site
}

impl Site {
    fn operator(&self, method: Method, path: &str, form: &str) -> (u16, Value) {
        let req = TestRequest::new(method, path)
            .header("Authorization", TOKEN)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form);
        let r = self.send(req);
        (
            r.status,
            serde_json::from_str(&r.text()).unwrap_or(Value::Null),
        )
    }

    /// Adds an endpoint; its id and secret.
    fn add_hook(&self, form: &str) -> (String, String) {
        let (status, v) = self.operator(Method::Post, "/operator/webhooks", form);
        assert_eq!(status, 201, "{v}");
        (
            v["id"].as_str().unwrap().to_string(),
            v["secret"].as_str().unwrap_or_default().to_string(),
        )
    }

    fn hooks(&self) -> Value {
        let (status, v) = self.operator(Method::Get, "/operator/webhooks", "");
        assert_eq!(status, 200, "{v}");
        v
    }

    /// The requests sent to `url`.
    fn sent_to(&self, url: &str) -> Vec<HttpRequest> {
        self.fake
            .http_requests
            .borrow()
            .iter()
            .filter(|r| r.url == url)
            .cloned()
            .collect()
    }

    fn go_live(&self) {
        self.cron(EVERY_MINUTE);
        self.drain_mail();
    }
}

fn header<'r>(r: &'r HttpRequest, name: &str) -> &'r str {
    r.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {:?}", r.headers))
}

fn body(r: &HttpRequest) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

/// Checks the signature as a receiver does.
fn verified(r: &HttpRequest, secret: &str) -> bool {
    let ts: i64 = header(r, "webhook-timestamp").parse().unwrap();
    Secret::parse(secret).unwrap().verify(
        header(r, "webhook-signature"),
        header(r, "webhook-id"),
        ts,
        &r.body,
    )
}

#[test]
fn the_operator_adds_lists_and_removes_endpoints_and_sees_the_secret_once() {
    let site = site();
    let plain = site.send(TestRequest::post(
        "/operator/webhooks",
        "application/x-www-form-urlencoded",
        "url=https%3A%2F%2Fhooks.example.net%2Fin",
    ));
    assert_eq!(plain.status, 401, "the token is needed");
    let (id, secret) = site.add_hook(&format!(
        "url={}&topics=c%3AOpinion%2Ct%3Aun",
        urlencode(HOOK)
    ));
    assert!(secret.starts_with("whsec_") && Secret::parse(&secret).is_some());
    let listed = site.hooks();
    let text = listed.to_string();
    assert!(!text.contains(&secret), "never listed: {text}");
    assert!(!text.contains("s3cr3t-path"), "the host only: {text}");
    let e = &listed["webhooks"][0];
    assert_eq!(e["id"], id.as_str());
    assert_eq!(e["host"], "https://hooks.example.net");
    assert_eq!(e["format"], "json");
    assert_eq!(e["topics"], serde_json::json!(["c:Opinion", "t:un"]));
    assert_eq!(e["failing_days"], 0);
    assert_eq!(e["disabled"], false);
    assert!(!site.fake.logged().contains(&secret), "never logged");
    for bad in [
        "http://hooks.example.net/in",
        "https://192.0.2.7/in",
        "https://user:pw@hooks.example.net/in",
        "http://127.0.0.1:9000/in",
    ] {
        let (status, v) = site.operator(
            Method::Post,
            "/operator/webhooks",
            &format!("url={}", urlencode(bad)),
        );
        assert_eq!(status, 400, "{bad}: {v}");
    }
    let (status, _) = site.operator(
        Method::Post,
        "/operator/webhooks",
        "url=https%3A%2F%2Fhooks.example.net%2F&format=xml",
    );
    assert_eq!(status, 400);
    let (status, _) = site.operator(Method::Post, &format!("/operator/webhooks/{id}/remove"), "");
    assert_eq!(status, 200);
    assert_eq!(site.hooks()["webhooks"].as_array().unwrap().len(), 0);
    let (status, _) = site.operator(Method::Post, &format!("/operator/webhooks/{id}/remove"), "");
    assert_eq!(status, 404);
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

#[test]
fn an_event_is_signed_and_sent_at_go_live_and_for_each_new_note_only() {
    let site = site();
    let (_, secret) = site.add_hook(&format!("url={}", urlencode(HOOK)));
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, ""));
    site.publish_text("later", &alert_text("Later", "General", 30, ""));
    site.publish_text(
        "drafted",
        &alert_text("Drafted", "Opinion", -1, "draft = true\n"),
    );
    site.go_live();
    let sent = site.sent_to(HOOK);
    assert_eq!(sent.len(), 1, "the past-dated alert only: {sent:?}");
    let r = &sent[0];
    assert!(verified(r, &secret), "{:?}", r.headers);
    assert!(header(r, "webhook-id").starts_with("msg_"));
    assert_eq!(
        header(r, "webhook-timestamp"),
        site.fake.now().div_euclid(1000).to_string()
    );
    assert_eq!(r.timeout_millis, Some(10_000), "bounded");
    let v = body(r);
    assert_eq!(v["type"], "alert.published");
    assert_eq!(v["data"]["slug"], "live-now");
    assert_eq!(v["data"]["title"], "Live now");
    assert_eq!(
        v["data"]["url"],
        "https://alerts.example.com/alerts/live-now"
    );
    assert_eq!(v["data"]["category"], "Opinion");
    let mut keys: Vec<&str> = v["data"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["category", "date", "slug", "summary", "tags", "title", "updated", "url"],
        "the alert's public fields, never its body"
    );
    // Nothing new: nothing sent.
    site.go_live();
    assert_eq!(site.sent_to(HOOK).len(), 1);
    // The scheduled one at its date.
    site.fake.advance_seconds(31 * 60);
    site.go_live();
    let sent = site.sent_to(HOOK);
    assert_eq!(sent.len(), 2);
    assert_eq!(body(&sent[1])["data"]["slug"], "later");
    // A plain edit: nothing; a new change note: alert.updated with it.
    site.publish_text(
        "live-now",
        &alert_text("Live now", "Opinion", -1, "summary = \"Edited.\"\n"),
    );
    site.go_live();
    assert_eq!(site.sent_to(HOOK).len(), 2, "a plain edit is no news");
    let note = change_note(32, "The deadline moved.");
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, &note));
    site.fake.advance_seconds(60);
    site.go_live();
    let sent = site.sent_to(HOOK);
    assert_eq!(sent.len(), 3);
    let v = body(&sent[2]);
    assert_eq!(v["type"], "alert.updated");
    assert_eq!(v["data"]["change"]["note"], "The deadline moved.");
    assert!(verified(&sent[2], &secret));
    assert_ne!(
        header(&sent[2], "webhook-id"),
        header(&sent[0], "webhook-id")
    );
    assert!(!site.fake.logged().contains("drafted"), "a draft never");
}

#[test]
fn topics_choose_the_alerts_and_slack_gets_an_unsigned_message() {
    let site = site();
    let general = "https://hooks.example.net/general";
    let slack = "https://hooks.slack.example.com/services/T0/B0/x";
    site.add_hook(&format!("url={}&topics=c%3AGeneral", urlencode(general)));
    let (_, secret) = site.add_hook(&format!("url={}&format=slack", urlencode(slack)));
    assert!(secret.is_empty(), "Slack checks no signature");
    site.publish_text(
        "an-opinion",
        &alert_text("An <opinion> & more", "Opinion", -1, ""),
    );
    site.go_live();
    assert!(site.sent_to(general).is_empty(), "not its topic");
    let sent = site.sent_to(slack);
    assert_eq!(sent.len(), 1);
    assert!(sent[0]
        .headers
        .iter()
        .all(|(k, _)| !k.starts_with("webhook-")));
    let v = body(&sent[0]);
    let text = v["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "*<https://alerts.example.com/alerts/an-opinion|An &lt;opinion&gt; &amp; more>*\n"
        ),
        "{text}"
    );
    site.publish_text("a-general", &alert_text("A general", "General", -1, ""));
    site.go_live();
    assert_eq!(site.sent_to(general).len(), 1);
    assert_eq!(site.sent_to(slack).len(), 2, "every alert without topics");
}

#[test]
fn a_failing_endpoint_is_retried_with_the_same_id_on_the_backoff_then_kept_as_dead() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    let (id, secret) = site.add_hook(&format!("url={}", urlencode(HOOK)));
    site.fake
        .http_routes
        .borrow_mut()
        .insert(HOOK.into(), (503, "busy".into()));
    site.fake.mail_delays.borrow_mut().clear();
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, ""));
    site.go_live();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "the email went out all the same"
    );
    let sent = site.sent_to(HOOK);
    assert_eq!(sent.len() as u32, ATTEMPTS, "every attempt");
    let first = header(&sent[0], "webhook-id");
    assert!(sent.iter().all(|r| header(r, "webhook-id") == first));
    assert!(sent.iter().all(|r| verified(r, &secret)));
    let delays: Vec<u32> = site
        .fake
        .mail_delays
        .borrow()
        .iter()
        .copied()
        .filter(|d| *d > 0)
        .collect();
    assert!(delays.ends_with(&BACKOFF), "{delays:?}");
    let listed = site.hooks();
    let dead = &listed["dead"][0];
    assert_eq!(dead["endpoint"], id.as_str());
    assert_eq!(dead["webhook_id"], first);
    assert_eq!(listed["webhooks"][0]["failing_days"], 1);
    assert!(listed["webhooks"][0]["last_success"].is_null());
    // The operator resends it once the endpoint is back: the same id.
    site.fake.http_routes.borrow_mut().remove(HOOK);
    let (status, v) = site.operator(
        Method::Post,
        &format!("/operator/mail/{}/resend", dead["id"].as_str().unwrap()),
        "",
    );
    assert_eq!(status, 202, "{v}");
    site.drain_mail();
    let sent = site.sent_to(HOOK);
    assert_eq!(header(sent.last().unwrap(), "webhook-id"), first);
    let listed = site.hooks();
    assert_eq!(listed["dead"].as_array().unwrap().len(), 0);
    assert_eq!(listed["webhooks"][0]["failing_days"], 0, "healthy again");
    assert!(listed["webhooks"][0]["last_success"].is_i64());
}

#[test]
fn an_endpoint_failing_for_three_days_is_disabled_and_said_so() {
    let site = site();
    let (id, _) = site.add_hook(&format!("url={}", urlencode(HOOK)));
    site.fake
        .http_routes
        .borrow_mut()
        .insert(HOOK.into(), (500, String::new()));
    site.publish_text("one", &alert_text("One", "Opinion", -1, ""));
    site.go_live();
    assert_eq!(site.hooks()["webhooks"][0]["disabled"], false);
    site.fake.advance_seconds(3 * 86_400);
    site.publish_text("two", &alert_text("Two", "Opinion", -1, ""));
    site.go_live();
    let listed = site.hooks();
    let e = &listed["webhooks"][0];
    assert_eq!(e["disabled"], true, "{listed}");
    assert_eq!(e["failing_days"], 4);
    let health = site.get("/healthz").text();
    assert!(
        health.contains(&format!("webhook endpoint {id} is disabled")),
        "{health}"
    );
    assert!(!health.contains("hooks.example.net"), "ids only: {health}");
    assert!(site.fake.logged().contains("disabled: failing for 3 days"));
    // Nothing more is sent to it, until the operator enables it.
    let before = site.sent_to(HOOK).len();
    site.publish_text("three", &alert_text("Three", "Opinion", -1, ""));
    site.go_live();
    assert_eq!(site.sent_to(HOOK).len(), before);
    site.fake.http_routes.borrow_mut().remove(HOOK);
    let (status, _) = site.operator(Method::Post, &format!("/operator/webhooks/{id}/enable"), "");
    assert_eq!(status, 200);
    site.publish_text("four", &alert_text("Four", "Opinion", -1, ""));
    site.go_live();
    assert_eq!(
        body(site.sent_to(HOOK).last().unwrap())["data"]["slug"],
        "four"
    );
    assert!(!site.get("/healthz").text().contains("is disabled"));
}

#[test]
fn a_removed_endpoint_s_queued_delivery_is_dropped() {
    let site = site();
    let (id, _) = site.add_hook(&format!("url={}", urlencode(HOOK)));
    site.publish_text("live-now", &alert_text("Live now", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.operator(Method::Post, &format!("/operator/webhooks/{id}/remove"), "");
    site.drain_mail();
    assert!(site.sent_to(HOOK).is_empty());
    assert!(site.fake.logged().contains("was removed"));
}
