//! Abuse bounded (issue 22, part 3): the hourly budget of confirmation
//! emails, IPv6 clients grouped by /48 for subscribing, the rate limiter
//! switched off only in a diagnostics build (and said by `/healthz`),
//! pruning of old mail records, and subscriber links that re-confirming
//! revokes.

use crate::contact::{json_inquiry, post as contact_post};
use crate::fake::{Site, TestRequest, START_MILLIS};
use crate::json;
use crate::subscribers::{alert_text, site, EVERY_MINUTE};
use crate::support::link_token;

const FORM: &str = "application/x-www-form-urlencoded";

/// A subscription request for `email` from client address `ip`.
fn ask(site: &Site, email: &str, ip: &str) -> access_alerts::app::Response {
    let body = format!("email={}&consent=yes&scope=all", email.replace('@', "%40"));
    site.send(TestRequest::post("/subscribe", FORM, &body).header("CF-Connecting-IP", ip))
}

#[test]
fn subscribing_groups_an_ipv6_client_by_its_48_and_the_contact_form_by_its_64() {
    let site = Site::from_content();
    // Eleven /64s of one /48: one bucket for subscribing (the fake allows
    // ten a key).
    let statuses: Vec<u16> = (0..11)
        .map(|i| {
            ask(
                &site,
                &format!("r{i}@example.net"),
                &format!("2001:db8:7:{i:x}::1"),
            )
            .status
        })
        .collect();
    assert_eq!(statuses[..10], [303; 10]);
    assert_eq!(statuses[10], 429, "{statuses:?}");
    assert_eq!(site.fake.limited.borrow()["subscribe:2001:db8:7::/48"], 11);
    assert_eq!(
        ask(&site, "other@example.net", "2001:db8:8::1").status,
        303,
        "another /48 has its own bucket"
    );
    // The contact form: each /64 its own bucket.
    for i in 0..11 {
        let r = contact_post(
            &site,
            "application/json",
            &json_inquiry("inquiries", &format!("m{i}")),
            &[("CF-Connecting-IP", &format!("2001:db8:7:{i:x}::1"))],
        );
        assert_eq!(r.status, 202, "{i}: {}", r.text());
    }
    assert!(site
        .fake
        .limited
        .borrow()
        .contains_key("contact:2001:db8:7:a::/64"));
}

#[test]
fn the_rate_limiter_is_switched_off_only_in_a_diagnostics_build_and_healthz_says_so() {
    let site = Site::from_content_with(&[("RATE_LIMIT_DISABLED", "1")]);
    let health = site.get("/healthz");
    let body = json(&health);
    let statuses: Vec<u16> = (0..11)
        .map(|i| ask(&site, &format!("r{i}@example.net"), "192.0.2.9").status)
        .collect();
    if cfg!(feature = "diagnostics") {
        assert_eq!(health.status, 200, "{body}");
        assert_eq!(body["rate_limit"], "disabled");
        assert_eq!(statuses, [303; 11]);
    } else {
        assert_eq!(health.status, 503);
        assert_eq!(body["rate_limit"], "on");
        assert!(
            body["problems"].as_array().unwrap().iter().any(|p| p
                .as_str()
                .unwrap()
                .starts_with("RATE_LIMIT_DISABLED is set")),
            "{body}"
        );
        assert_eq!(statuses[10], 429, "the limiter stays on: {statuses:?}");
    }
    let normal = Site::from_content().get("/healthz");
    assert_eq!(normal.status, 200);
    assert_eq!(json(&normal)["rate_limit"], "on");
}

/// A JSON subscription request for `email` from client address `ip`.
fn ask_json(site: &Site, email: &str, ip: &str) -> access_alerts::app::Response {
    let body = serde_json::json!({ "email": email, "scope": "all", "consent": true }).to_string();
    site.send(
        TestRequest::post("/subscribe", "application/json", &body).header("CF-Connecting-IP", ip),
    )
}

#[test]
fn past_the_hourly_budget_a_request_is_answered_the_same_and_nothing_is_sent() {
    let site = Site::from_content_with(&[("CONFIRMATIONS_PER_HOUR", "2")]);
    let answers: Vec<(u16, String)> = (0..4)
        .map(|i| {
            let r = ask_json(&site, &format!("r{i}@example.net"), &format!("192.0.2.{i}"));
            (r.status, r.text())
        })
        .collect();
    assert!(
        answers.iter().all(|a| *a == answers[0]),
        "every answer alike: {answers:?}"
    );
    assert_eq!(answers[0].0, 202);
    let page = ask(&site, "r4@example.net", "192.0.2.4");
    assert_eq!(page.status, 303, "the form's answer is the same too");
    site.drain_mail();
    let mailed: Vec<String> = site
        .fake
        .reader_mail
        .borrow()
        .iter()
        .map(|(_, to, _)| to.clone())
        .collect();
    assert_eq!(mailed, ["r0@example.net", "r1@example.net"]);
    assert_eq!(
        site.sql("SELECT count(*) AS n FROM pending")[0]["n"],
        2,
        "a request past the budget is not kept"
    );
    let logs = site.fake.logged();
    assert_eq!(
        logs.matches("confirmation emails (CONFIRMATIONS_PER_HOUR) are spent")
            .count(),
        3,
        "{logs}"
    );
    assert!(!logs.contains("@example.net"), "{logs}");
    assert!(site.fake.logs.borrow().iter().any(|(level, l)| *level
        == access_alerts::app::ports::Level::Warn
        && l.contains("are spent")));
    // The next hour has its own budget: the visitor can ask again.
    site.fake.advance_seconds(3600);
    assert_eq!(ask_json(&site, "r3@example.net", "192.0.2.3").status, 202);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("r3@example.net").len(), 1);
}

#[test]
fn a_budget_of_zero_sends_no_confirmation() {
    let site = Site::from_content_with(&[("CONFIRMATIONS_PER_HOUR", "0")]);
    assert_eq!(ask_json(&site, "r0@example.net", "192.0.2.1").status, 202);
    site.drain_mail();
    assert!(site.fake.reader_mail.borrow().is_empty());
}

#[test]
fn turnstile_guards_subscribing_when_it_is_on() {
    let site = Site::from_content_with(&[
        ("TURNSTILE_SECRET", "secret-key"),
        ("TURNSTILE_SITE_KEY", "site-key-1"),
        ("TURNSTILE_VERIFY_URL", "https://siteverify.example.net/"),
    ]);
    let page = site.get("/subscribe");
    assert!(page.text().contains(r#"data-sitekey="site-key-1""#));
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("script-src https://challenges.cloudflare.com;"));
    assert_eq!(ask(&site, "ada@example.net", "192.0.2.1").status, 403);
    let with_token = |t: &str| {
        let body =
            format!("email=ada%40example.net&consent=yes&scope=all&cf-turnstile-response={t}");
        site.send(
            TestRequest::post("/subscribe", FORM, &body).header("CF-Connecting-IP", "192.0.2.1"),
        )
    };
    *site.fake.http_answer.borrow_mut() = r#"{"success": false}"#.into();
    assert_eq!(with_token("bad").status, 403);
    *site.fake.http_answer.borrow_mut() = r#"{"success": true}"#.into();
    assert_eq!(with_token("good").status, 303);
    assert_eq!(
        site.fake.http_sent.borrow().last().unwrap().1,
        "secret=secret-key&response=good&remoteip=192.0.2.1"
    );
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "only the checked request"
    );
}

const DAY: i64 = 86_400;

fn count(site: &Site, sql: &str) -> i64 {
    site.sql(sql)[0]["n"].as_i64().unwrap()
}

#[test]
fn old_deliveries_mailings_and_dead_mail_are_pruned_and_no_alert_goes_again() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text("pruned", &alert_text("Pruned", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    site.sql(&format!(
        "INSERT INTO dead_mail (id, body, failed_at) VALUES ('d1', '{{}}', {START_MILLIS})"
    ));
    let kept = |site: &Site| {
        (
            count(
                site,
                "SELECT count(*) AS n FROM deliveries WHERE mailing = 'pruned'",
            ),
            count(
                site,
                "SELECT count(*) AS n FROM mailings WHERE id = 'pruned'",
            ),
            count(site, "SELECT count(*) AS n FROM dead_mail"),
            count(site, "SELECT count(*) AS n FROM confirmation_budget"),
        )
    };
    assert_eq!(kept(&site), (1, 1, 1, 1));
    site.fake.advance_seconds(29 * DAY);
    site.cron(EVERY_MINUTE);
    assert_eq!(
        kept(&site),
        (1, 1, 1, 0),
        "29 days: only the budget's old hour goes"
    );
    site.fake.advance_seconds(2 * DAY);
    site.cron(EVERY_MINUTE);
    assert_eq!(kept(&site), (0, 0, 0, 0), "past 30 days");
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "the alert is not mailed again"
    );
}

#[test]
fn each_run_prunes_a_bounded_batch() {
    let site = site();
    site.seed_subscribers(600);
    site.sql("INSERT INTO deliveries (mailing, subscriber_id, status, attempt, at) SELECT 'old', id, 'sent', 'a', 0 FROM subscribers");
    site.sql("INSERT INTO deliveries (mailing, subscriber_id, status, attempt, at) SELECT 'new', id, 'sent', 'a', 1733011200000 FROM subscribers");
    let left = |site: &Site, m: &str| {
        count(
            site,
            &format!("SELECT count(*) AS n FROM deliveries WHERE mailing = '{m}'"),
        )
    };
    site.cron(EVERY_MINUTE);
    assert_eq!(left(&site, "old"), 100, "500 a run");
    site.cron(EVERY_MINUTE);
    assert_eq!(left(&site, "old"), 0);
    assert_eq!(left(&site, "new"), 600, "recent records stay");
}

#[test]
fn a_mailing_row_outlives_notify_max_age_days_so_its_alert_never_goes_again() {
    let site = Site::from_content_with(&[("NOTIFY_MAX_AGE_DAYS", "60")]);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text("late", &alert_text("Late", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    // Each step: a cron, its mail, whether the mailing's row is kept, and
    // how many emails Ada has.
    let after = |days: i64| {
        site.fake.advance_seconds(days * DAY);
        site.cron(EVERY_MINUTE);
        site.drain_mail();
        (
            count(
                &site,
                "SELECT count(*) AS n FROM mailings WHERE id = 'late'",
            ),
            site.reader_mail_to("ada@example.net").len(),
        )
    };
    assert_eq!(
        after(40),
        (1, 2),
        "kept while the cron could still start it"
    );
    assert_eq!(
        after(22),
        (0, 2),
        "pruned after 61 days, and not mailed again"
    );
}

#[test]
fn a_resend_of_dead_mail_whose_mailing_is_too_old_or_pruned_is_refused() {
    let site = site();
    let id = site.dead_alert_mail("stuck");
    let auth = ("Authorization", "Bearer test-operator-token");
    let resend =
        |site: &Site| site.request("POST", &format!("/operator/mail/{id}/resend"), &[auth]);
    // The mailing's row pruned (as at 30 days with a short window).
    site.sql("UPDATE mailings SET id = 'elsewhere' WHERE id = 'stuck'");
    let gone = resend(&site);
    assert_eq!(gone.status, 410, "{}", gone.text());
    assert!(json(&gone)["error"]
        .as_str()
        .unwrap()
        .contains("older than its delivery records are kept"));
    site.sql("UPDATE mailings SET id = 'stuck' WHERE id = 'elsewhere'");
    // Over 29 days on, its deliveries may be pruned before the message is read.
    site.fake.advance_seconds(29 * DAY + 60);
    let old = resend(&site);
    assert_eq!(old.status, 410, "{}", old.text());
    assert!(json(&old)["error"]
        .as_str()
        .unwrap()
        .contains("mail again everyone it reached"));
    assert_eq!(
        count(&site, "SELECT count(*) AS n FROM dead_mail"),
        1,
        "still listed"
    );
    assert!(site.fake.mail_queue.borrow().is_empty(), "nothing queued");
    assert!(site
        .fake
        .logged()
        .contains(&format!("alert mail dead id={id} not resent")));
}

/// Alert `slug` published and mailed: Ada's links from its email
/// (unsubscribe, change topics).
fn mail_alert(site: &Site, slug: &str) -> (String, String) {
    site.publish_text(slug, &alert_text(slug, "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net").pop().unwrap();
    (
        link_token(&mail, "/unsubscribe?t="),
        link_token(&mail, "/subscription?t="),
    )
}

/// A one-click unsubscribe (RFC 8058), as a mail provider posts it.
fn one_click(site: &Site, t: &str) -> access_alerts::app::Response {
    site.send(TestRequest::post(
        &format!("/unsubscribe?t={t}"),
        FORM,
        "List-Unsubscribe=One-Click",
    ))
}

#[test]
fn confirming_again_revokes_every_older_link_with_the_answer_of_a_forged_one() {
    let site = site();
    let page_link = site.subscribe("ada@example.net", "scope=all");
    let (unsubscribe, topics) = mail_alert(&site, "one");
    assert_eq!(site.get(&format!("/subscription?t={topics}")).status, 200);
    site.fake.advance_seconds(11 * 60);
    let new_page_link = site.subscribe("ada@example.net", "scope=all");
    let forged = site.get(&format!("/subscription?t={}", topics.replace(".0.", ".1.")));
    assert_eq!(forged.status, 400, "a version altered is a forgery");
    for old in [
        site.get(&format!("/subscription?t={page_link}")),
        site.get(&format!("/subscription?t={topics}")),
        site.get(&format!("/unsubscribe?t={unsubscribe}")),
        one_click(&site, &unsubscribe),
        one_click(&site, &topics),
    ] {
        assert_eq!(
            (old.status, old.text()),
            (forged.status, forged.text()),
            "a revoked link answers as a forged one"
        );
    }
    assert_eq!(
        site.sql("SELECT id FROM subscribers").len(),
        1,
        "still subscribed"
    );
    assert_eq!(
        site.get(&format!("/subscription?t={new_page_link}")).status,
        200
    );
    let (unsubscribe, _) = mail_alert(&site, "two");
    assert_eq!(one_click(&site, &unsubscribe).status, 200);
    assert!(site.sql("SELECT id FROM subscribers").is_empty());
}

#[test]
fn the_unsubscribe_link_never_expires_and_changes_nothing_else_the_topics_link_expires() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    let (unsubscribe, topics) = mail_alert(&site, "one");
    assert_eq!(
        site.get(&format!("/subscription?t={unsubscribe}")).status,
        400,
        "an unsubscribe link changes no topics"
    );
    site.fake.advance_seconds(91 * DAY);
    let expired = site.get(&format!("/subscription?t={topics}"));
    assert_eq!(expired.status, 410);
    assert!(expired.text().contains("expired (it works for 90 days)"));
    assert_eq!(
        site.get(&format!("/unsubscribe?t={unsubscribe}")).status,
        200
    );
    assert_eq!(one_click(&site, &unsubscribe).status, 200);
    assert!(site.sql("SELECT id FROM subscribers").is_empty());
}

#[test]
fn a_link_of_the_first_format_still_unsubscribes_and_changes_nothing_else() {
    use access_alerts::mail::token::{sign, Purpose};
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    let id = site.sql("SELECT id FROM subscribers")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let old = sign("test-subscriber-secret", Purpose::Manage, &id, 0);
    assert_eq!(site.get(&format!("/subscription?t={old}")).status, 400);
    assert_eq!(site.get(&format!("/unsubscribe?t={old}")).status, 200);
    // Revoked too once the address confirms again.
    site.fake.advance_seconds(11 * 60);
    site.subscribe("ada@example.net", "scope=all");
    assert_eq!(one_click(&site, &old).status, 400);
    site.sql("UPDATE subscribers SET links = 0");
    assert_eq!(one_click(&site, &old).status, 200);
    assert!(site.sql("SELECT id FROM subscribers").is_empty());
}
