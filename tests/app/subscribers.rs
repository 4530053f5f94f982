//! Email alerts in-process: subscribing with double opt-in, the crons, the
//! fan-out through the alert-mail queue, redelivery, dead letters, the
//! digest and erasure, over D1 as SQLite (`migrations/` applied) and the
//! other ports in memory.

use crate::fake::{block_on, Site, TestRequest, ORIGIN};
use crate::support::link_token;
use crate::support::mime::readable;
use access_alerts::app::{App, Outcome, QueueKind, DIGEST_CRON};
use access_alerts::routes::Method;

const FORM: &str = "application/x-www-form-urlencoded";
pub(crate) const EVERY_MINUTE: &str = "* * * * *";

impl Site {
    pub fn cron(&self, cron: &str) {
        let app = App::new(&self.fake, &self.settings);
        block_on(app.scheduled(cron, self.fake.now())).unwrap_or_else(|e| panic!("{e:?}"));
    }

    /// Consumes the alert-mail queue until it is empty, as the queue would:
    /// a retried message comes back, up to `max_retries` (5) retries, then
    /// goes to the dead-letter queue. The outcomes in order.
    pub fn drain_mail(&self) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        let mut attempts: Vec<(serde_json::Value, u32)> = Vec::new();
        loop {
            let next: Vec<serde_json::Value> =
                self.fake.mail_queue.borrow_mut().drain(..).collect();
            attempts.extend(next.into_iter().map(|m| (m, 0)));
            if attempts.is_empty() {
                return outcomes;
            }
            let (message, tries) = attempts.remove(0);
            let outcome = self.consume(QueueKind::AlertMail, &message);
            outcomes.push(outcome);
            if let Outcome::Retry(_) = outcome {
                if tries < 5 {
                    attempts.push((message, tries + 1));
                } else {
                    self.consume(QueueKind::AlertMailDead, &message);
                }
            }
        }
    }

    /// `n` confirmed subscribers written straight into D1: 60% every
    /// alert, 20% Opinion, 20% General only; one in ten of each weekly.
    /// Ids are random-looking, as the Worker makes them.
    pub fn seed_subscribers(&self, n: usize) {
        use access_alerts::app::ports::Sql;
        block_on(self.fake.batch(&[])).unwrap();
        let mut guard = self.fake.db.borrow_mut();
        let tx = guard.as_mut().unwrap().transaction().unwrap();
        for i in 0..n {
            let id = format!(
                "{:016x}",
                (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            );
            let every = i64::from(i % 5 < 3);
            let frequency = if (i / 5) % 10 == 9 { "weekly" } else { "each" };
            tx.execute(
                "INSERT INTO subscribers (id, email, every, frequency, confirmed_at) VALUES (?1, ?2, ?3, ?4, 0)",
                rusqlite::params![id, format!("reader{i}@example.net"), every, frequency],
            )
            .unwrap();
            if every == 0 {
                let topic = if i % 5 == 3 { "c:Opinion" } else { "c:General" };
                tx.execute(
                    "INSERT INTO subscriber_topics (subscriber_id, topic) VALUES (?1, ?2)",
                    rusqlite::params![id, topic],
                )
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }

    /// The mail sent to `to`, as a client shows it (`mime::readable`).
    pub fn reader_mail_to(&self, to: &str) -> Vec<String> {
        self.fake
            .reader_mail
            .borrow()
            .iter()
            .filter(|(_, t, _)| t == to)
            .map(|(_, _, raw)| readable(raw))
            .collect()
    }

    pub fn sql(&self, sql: &str) -> Vec<serde_json::Value> {
        use access_alerts::app::ports::{Sql, Stmt};
        block_on(self.fake.batch(&[Stmt::new(sql, vec![])])).unwrap()[0]
            .iter()
            .map(|r| serde_json::Value::Object(r.clone()))
            .collect()
    }

    /// Subscribes `email` from the subscribe page under `prefix` (`""` for
    /// English, `/fr`...) with this form body's choice, and confirms
    /// through the emailed link's page (a GET, then the POST of its
    /// button) in the language the mail links to.
    pub fn subscribe_from(&self, prefix: &str, email: &str, choice: &str) -> Subscribed {
        let body = format!("email={}&consent=yes&{choice}", email.replace('@', "%40"));
        let r = self.send(
            TestRequest::post(&format!("{prefix}/subscribe"), FORM, &body)
                .header("CF-Connecting-IP", "192.0.2.7"),
        );
        assert_eq!(r.status, 303, "{}", r.text());
        assert_eq!(
            r.header("location").as_deref(),
            Some(format!("{prefix}/subscribe/check").as_str())
        );
        self.drain_mail();
        let mail = self
            .reader_mail_to(email)
            .pop()
            .expect("a confirmation email");
        let confirm = "/subscribe/confirm?t=";
        let token = link_token(&mail, confirm);
        // The confirm page's language: the link's prefix.
        let lang = mail[..mail.find(confirm).unwrap()]
            .rsplit(ORIGIN)
            .next()
            .unwrap()
            .to_string();
        let page = self.get(&format!("{lang}{confirm}{token}"));
        assert_eq!(page.status, 200);
        let r = self.send(TestRequest::post(
            &format!("{lang}/subscribe/confirm"),
            FORM,
            &format!("t={token}"),
        ));
        assert_eq!(r.status, 200, "{}\n{}", r.text(), self.fake.logged());
        Subscribed {
            token: link_token(&r.text(), "/subscription?t="),
            mail,
            confirm_page: page.text(),
            subscribed_page: r.text(),
        }
    }

    /// Subscribes `email` from the English page (`subscribe_from`); the
    /// token of their own page's link.
    pub fn subscribe(&self, email: &str, choice: &str) -> String {
        let s = self.subscribe_from("", email, choice);
        assert!(s.confirm_page.contains("Confirm my subscription"));
        assert!(s.subscribed_page.contains("You are subscribed"));
        s.token
    }
}

/// What subscribing through the pages showed (`Site::subscribe_from`).
pub struct Subscribed {
    /// The confirmation email, as a client shows it.
    pub mail: String,
    pub confirm_page: String,
    pub subscribed_page: String,
    /// The token of the subscriber's own page's link.
    pub token: String,
}

/// The fake's start plus `minutes` (negative: before it), as TOML writes it.
fn at_minutes(minutes: i64) -> String {
    chrono::DateTime::from_timestamp_millis(crate::fake::START_MILLIS + minutes * 60_000)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// An alert dated `minutes` from the fake's clock (negative: in the past);
/// `extra` is front matter after its category (`[[changes]]` tables last).
pub(crate) fn alert_text(title: &str, category: &str, minutes: i64, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {}\ncategory = \"{category}\"\n{extra}+++\nThe body of {title}, with [a link](/alerts/oewg-collective-call-against-barring-organisations).\n",
        at_minutes(minutes)
    )
}

/// A `[[changes]]` table dated `minutes` from the fake's start.
pub(crate) fn change_note(minutes: i64, note: &str) -> String {
    format!(
        "[[changes]]\ndate = {}\nnote = \"{note}\"\n",
        at_minutes(minutes)
    )
}

pub(crate) fn site() -> Site {
    let site = Site::from_content();
    // Alerts public before anyone subscribed start their mailings here, to nobody.
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site
}

#[test]
fn an_alert_goes_once_to_each_matching_subscriber_and_to_nobody_else() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.subscribe(
        "bo@example.net",
        "scope=chosen&topic=c%3AOpinion&frequency=each",
    );
    site.subscribe("cy@example.net", "scope=chosen&topic=c%3AGeneral");
    site.subscribe("di@example.net", "scope=all&frequency=weekly");
    site.publish_text(
        "fresh-opinion",
        &alert_text("Fresh opinion", "Opinion", -1, ""),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let ada = site.reader_mail_to("ada@example.net");
    let bo = site.reader_mail_to("bo@example.net");
    assert_eq!(ada.len(), 2, "the confirmation and the alert");
    assert_eq!(bo.len(), 2);
    assert_eq!(
        site.reader_mail_to("cy@example.net").len(),
        1,
        "General only: nothing"
    );
    assert_eq!(
        site.reader_mail_to("di@example.net").len(),
        1,
        "weekly: not each alert"
    );
    let mail = &ada[1];
    assert!(mail.contains("Subject: Fresh opinion\r\n"), "{mail}");
    assert!(mail.contains("List-Unsubscribe: <https://alerts.example.com/unsubscribe?t="));
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(mail.contains("List-Id: Access Alerts <alerts.example.com>"));
    assert!(mail.contains("you subscribed to: every alert"));
    assert!(bo[1].contains("you subscribed to: Opinion"));
    assert!(mail.contains("href=\"https://alerts.example.com/alerts/oewg-collective-call-against-barring-organisations\""), "links made absolute");
    // Every later run, and an edit, send nothing more.
    site.cron(EVERY_MINUTE);
    site.publish_text(
        "fresh-opinion",
        &alert_text("Fresh opinion", "Opinion", -1, "summary = \"Edited.\"\n"),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    // A change note is one update mailing, once (`updates.rs`).
    site.publish_text(
        "fresh-opinion",
        &alert_text(
            "Fresh opinion",
            "Opinion",
            -1,
            &change_note(0, "Corrected the date of the session."),
        ),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 3);
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 3);
    assert!(
        site.reader_mail_to("bo@example.net")[2].contains("Subject: Updated: Fresh opinion\r\n")
    );
    // No address in any log line.
    let logs = site.fake.logged();
    assert!(!logs.contains("@example.net"), "{logs}");
}

#[test]
fn a_scheduled_alert_goes_out_after_its_date_and_not_before_and_a_draft_never() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text("later", &alert_text("Later", "Opinion", 10, ""));
    site.publish_text(
        "draft-one",
        &alert_text("Draft one", "Opinion", -1, "draft = true\n"),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "only the confirmation"
    );
    site.fake.advance_seconds(11 * 60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2);
    assert!(mail[1].contains("Subject: Later"));
}

#[test]
fn an_alert_unpublished_before_its_date_never_goes_out() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text("withdrawn", &alert_text("Withdrawn", "Opinion", 10, ""));
    site.unpublish("withdrawn");
    site.fake.advance_seconds(11 * 60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 1);
}

#[test]
fn an_old_dated_alert_is_an_import_and_is_not_mailed() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text(
        "imported",
        &alert_text("Imported", "Opinion", -30 * 24 * 60, ""),
    );
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 1);
}

#[test]
fn the_answer_is_the_same_for_everyone_and_the_confirmation_is_throttled() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    let post = |email: &str| {
        let body = format!("email={email}&consent=yes&scope=all");
        site.send(
            TestRequest::post("/subscribe", FORM, &body).header("CF-Connecting-IP", "192.0.2.7"),
        )
    };
    // Within ten minutes of the confirmation email, even once confirmed:
    // the same answer, no email.
    assert_eq!(post("ada%40example.net").status, 303);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "at most one per 10 minutes"
    );
    site.fake.advance_seconds(601);
    let known = post("ada%40example.net");
    let unknown = post("new%40example.net");
    assert_eq!((known.status, unknown.status), (303, 303));
    assert_eq!(known.header("location"), unknown.header("location"));
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "a new confirmation for a known address"
    );
    for _ in 0..3 {
        assert_eq!(post("ADA%40Example.net").status, 303);
    }
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    site.fake.advance_seconds(601);
    post("ada%40example.net");
    site.drain_mail();
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 3);
    // JSON: 202 and the same words.
    let r = site.send(
        TestRequest::post(
            "/subscribe",
            "application/json",
            r#"{"email":"x@example.net","consent":true}"#,
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 202);
    assert!(r.text().contains("Check your inbox"));
    assert!(!r.text().contains("x@example.net"));
}

#[test]
fn refusals_keep_every_value_and_send_nothing() {
    let site = site();
    let r = site.send(
        TestRequest::post(
            "/subscribe",
            FORM,
            "email=ada%40exa+mple&scope=chosen&topic=c%3AOpinion&frequency=weekly",
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains("value=\"ada@exa mple\""), "the address kept");
    assert!(
        page.contains("value=\"c:Opinion\" checked"),
        "the topic kept"
    );
    assert!(
        page.contains("value=\"weekly\" checked"),
        "the frequency kept"
    );
    assert!(page.contains("Tick the box"));
    let json = site.send(
        TestRequest::post(
            "/subscribe",
            "application/json",
            r#"{"email":"ada@example.net","consent":true,"scope":"chosen","topics":["t:Nope"]}"#,
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(json.status, 422);
    assert!(json.text().contains("\"topics\""));
    let foreign = site.send(
        TestRequest::post("/subscribe", FORM, "email=a%40example.net&consent=yes")
            .header("Origin", "https://evil.example")
            .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(foreign.status, 403);
    let text = site.send(
        TestRequest::post("/subscribe", "text/plain", "x").header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(text.status, 415);
    let big = "x".repeat(40_000);
    let large = site
        .send(TestRequest::post("/subscribe", FORM, &big).header("CF-Connecting-IP", "192.0.2.7"));
    assert_eq!(large.status, 413);
    site.fake.limit.set(0);
    let limited = site.send(
        TestRequest::post("/subscribe", FORM, "email=a%40example.net&consent=yes")
            .header("CF-Connecting-IP", "192.0.2.8"),
    );
    assert_eq!(limited.status, 429);
    site.fake.limit.set(10);
    let bait = site.send(
        TestRequest::post(
            "/subscribe",
            FORM,
            "email=bot%40example.net&consent=yes&website=x",
        )
        .header("CF-Connecting-IP", "192.0.2.9"),
    );
    assert_eq!(bait.status, 303, "a robot is answered like a person");
    site.drain_mail();
    assert!(site.fake.reader_mail.borrow().is_empty());
    assert!(site.sql("SELECT id FROM pending").is_empty());
}

#[test]
fn one_click_unsubscribe_deletes_the_address_and_everything_with_it() {
    let site = site();
    site.subscribe("ada@example.net", "scope=chosen&topic=c%3AOpinion");
    site.publish_text("first", &alert_text("First", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net").pop().unwrap();
    let token = link_token(&mail, "/unsubscribe?t=");
    let topics = link_token(&mail, "/subscription?t=");
    assert!(!site.sql("SELECT * FROM deliveries").is_empty());
    // The GET is a button only: a scanner following the link changes nothing.
    let page = site.get(&format!("/unsubscribe?t={token}"));
    assert_eq!(page.status, 200);
    assert_eq!(site.sql("SELECT id FROM subscribers").len(), 1);
    // RFC 8058: the mail provider's POST, without an Origin.
    let r = site.send(TestRequest::post(
        &format!("/unsubscribe?t={token}"),
        FORM,
        "List-Unsubscribe=One-Click",
    ));
    assert_eq!(r.status, 200);
    for table in ["subscribers", "subscriber_topics", "deliveries", "pending"] {
        assert!(
            site.sql(&format!("SELECT * FROM {table}")).is_empty(),
            "{table} still holds a row"
        );
    }
    site.publish_text("second", &alert_text("Second", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "nothing after unsubscribing"
    );
    let gone = site.get(&format!("/subscription?t={topics}"));
    assert_eq!(gone.status, 410);
}

#[test]
fn a_subscriber_changes_topics_and_frequency() {
    let site = site();
    let token = site.subscribe("ada@example.net", "scope=all");
    let page = site.get(&format!("/subscription?t={token}"));
    assert_eq!(page.status, 200);
    assert!(
        !page.text().contains("ada@example.net"),
        "no page shows the address"
    );
    let r = site.send(
        TestRequest::post(
            "/subscription",
            FORM,
            &format!("t={token}&scope=chosen&topic=c%3AGeneral&frequency=each"),
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Saved"));
    site.publish_text("opinion-now", &alert_text("Opinion now", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "no longer subscribed to Opinion"
    );
    let forged = site.get(&format!("/subscription?t={}", token.replace('.', "x.")));
    assert_eq!(forged.status, 400);
}

#[test]
fn confirmation_links_expire_and_work_once() {
    let site = site();
    let r = site.send(
        TestRequest::post("/subscribe", FORM, "email=ada%40example.net&consent=yes")
            .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 303);
    site.drain_mail();
    let token = link_token(
        &site.reader_mail_to("ada@example.net")[0],
        "/subscribe/confirm?t=",
    );
    site.fake.advance_seconds(48 * 3600 + 1);
    assert_eq!(
        site.get(&format!("/subscribe/confirm?t={token}")).status,
        410
    );
    site.cron(EVERY_MINUTE);
    assert!(
        site.sql("SELECT id FROM pending").is_empty(),
        "the request expired by itself"
    );
    // A fresh one confirms once; the second use is gone.
    site.fake.advance_seconds(60);
    site.subscribe("bo@example.net", "scope=all");
    let token = link_token(
        &site.reader_mail_to("bo@example.net")[0],
        "/subscribe/confirm?t=",
    );
    let again = site.send(TestRequest::post(
        "/subscribe/confirm",
        FORM,
        &format!("t={token}"),
    ));
    assert_eq!(again.status, 410);
}

#[test]
fn a_redelivered_send_reaches_nobody_twice() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.subscribe("bo@example.net", "scope=all");
    site.publish_text("once", &alert_text("Once", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    // The page message makes one send message; deliver it twice.
    let page = site.fake.mail_queue.borrow_mut().remove(0);
    assert_eq!(site.consume(QueueKind::AlertMail, &page), Outcome::Ack);
    let send = site.fake.mail_queue.borrow()[0].clone();
    assert_eq!(send["k"], "send");
    assert!(
        !send.to_string().contains("@"),
        "queue messages carry ids, not addresses"
    );
    site.drain_mail();
    assert_eq!(site.consume(QueueKind::AlertMail, &send), Outcome::Ack);
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 2);
}

impl Site {
    /// Ada subscribed to every alert, and alert `slug`'s mail to her failed
    /// every retry: the id of its dead mail, the only one listed.
    pub(crate) fn dead_alert_mail(&self, slug: &str) -> String {
        self.subscribe("ada@example.net", "scope=all");
        self.publish_text(slug, &alert_text("Stuck", "Opinion", -1, ""));
        self.fake.reader_mail_failures.set(100);
        self.cron(EVERY_MINUTE);
        self.drain_mail();
        self.fake.reader_mail_failures.set(0);
        assert_eq!(self.reader_mail_to("ada@example.net").len(), 1);
        let auth = ("Authorization", "Bearer test-operator-token");
        let list = self.request("GET", "/operator/mail", &[auth]);
        assert_eq!(list.status, 200);
        let listed: serde_json::Value = serde_json::from_str(&list.text()).unwrap();
        assert_eq!(listed["mail"].as_array().unwrap().len(), 1);
        assert_eq!(listed["mail"][0]["recipients"], 1);
        assert!(!list.text().contains("@example.net"));
        listed["mail"][0]["id"].as_str().unwrap().to_string()
    }
}

#[test]
fn a_failing_send_ends_in_dead_mail_and_the_operator_resends_it() {
    let site = site();
    let id = site.dead_alert_mail("stuck");
    let auth = ("Authorization", "Bearer test-operator-token");
    assert_eq!(site.request("GET", "/operator/mail", &[]).status, 401);
    let r = site.request("POST", &format!("/operator/mail/{id}/resend"), &[auth]);
    assert_eq!(r.status, 202);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2);
    assert!(mail[1].contains("Subject: Stuck"));
    assert!(site.sql("SELECT id FROM dead_mail").is_empty());
}

#[test]
fn the_weekly_digest_holds_the_weeks_matching_alerts_or_nothing() {
    let site = site();
    site.subscribe(
        "ada@example.net",
        "scope=chosen&topic=c%3AOpinion&frequency=weekly",
    );
    site.subscribe(
        "cy@example.net",
        "scope=chosen&topic=c%3AGeneral&frequency=weekly",
    );
    site.publish_text("week-one", &alert_text("Week one", "Opinion", -60, ""));
    site.publish_text("week-two", &alert_text("Week two", "Opinion", -30, ""));
    site.cron(EVERY_MINUTE);
    // The fake's clock is Sunday 2024-12-01 00:00; the digest runs on the
    // Monday, 08:00, for the ISO week that ended (25 November - 1 December).
    site.fake.advance_seconds(32 * 3600);
    site.cron(DIGEST_CRON);
    site.drain_mail();
    let ada = site.reader_mail_to("ada@example.net");
    assert_eq!(ada.len(), 2, "the confirmation and one digest");
    assert!(ada[1].contains("(2024-W48)"), "{}", ada[1]);
    assert!(ada[1].contains("Week one") && ada[1].contains("Week two"));
    assert!(ada[1].contains("List-Unsubscribe-Post"));
    assert_eq!(
        site.reader_mail_to("cy@example.net").len(),
        1,
        "no General alert this week: no digest"
    );
    site.cron(DIGEST_CRON);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "one digest a week"
    );
}

#[test]
fn without_d1_the_form_answers_503_and_keeps_nothing() {
    let site = site();
    site.fake.db_fails.set(true);
    let r = site.send(
        TestRequest::post("/subscribe", FORM, "email=ada%40example.net&consent=yes")
            .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after").as_deref(), Some("60"));
    site.fake.db_fails.set(false);
    site.fake.mail_queue_fails.set(true);
    let r = site.send(
        TestRequest::post("/subscribe", FORM, "email=ada%40example.net&consent=yes")
            .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 503);
    assert!(
        site.sql("SELECT id FROM pending").is_empty(),
        "nothing kept, so the reader may try again at once"
    );
    let _ = Method::Get;
    let _ = ORIGIN;
}

#[test]
fn the_fan_out_pages_through_every_matching_subscriber_once() {
    let site = site();
    site.seed_subscribers(2_600);
    site.publish_text("paged", &alert_text("Paged", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.fake.reader_mail.borrow();
    // Each-alert subscribers (9 in 10) of every alert or Opinion (4 in 5).
    assert_eq!(mail.len(), 2_600 * 9 / 10 * 4 / 5);
    let mut to: Vec<&str> = mail.iter().map(|(_, t, _)| t.as_str()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), mail.len(), "nobody twice");
    assert!(mail
        .iter()
        .all(|(_, _, raw)| raw.contains("Subject: Paged")));
    let pages = site.sql("SELECT count(*) AS n FROM deliveries WHERE mailing = 'paged'");
    assert_eq!(pages[0]["n"], mail.len());
}

#[test]
fn a_claim_in_flight_elsewhere_is_waited_for_then_taken_over() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.subscribe("bo@example.net", "scope=all");
    site.publish_text("raced", &alert_text("Raced", "Opinion", -1, ""));
    site.cron(EVERY_MINUTE);
    let page = site.fake.mail_queue.borrow_mut().remove(0);
    site.consume(QueueKind::AlertMail, &page);
    let send = site.fake.mail_queue.borrow_mut().remove(0);
    // Another copy of the message is sending to Ada right now.
    let ada = site.sql("SELECT id FROM subscribers WHERE email = 'ada@example.net'")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    site.sql(&format!(
        "INSERT INTO deliveries (mailing, subscriber_id, status, attempt, at) VALUES ('raced', '{ada}', 'claimed', 'other', {})",
        site.fake.now()
    ));
    assert!(matches!(
        site.consume(QueueKind::AlertMail, &send),
        Outcome::Retry(_)
    ));
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "not while the other copy may send"
    );
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 2);
    // That copy stopped and never marked it sent: taken over after 15 minutes.
    site.fake.advance_seconds(16 * 60);
    assert_eq!(site.consume(QueueKind::AlertMail, &send), Outcome::Ack);
    assert_eq!(site.reader_mail_to("ada@example.net").len(), 2);
    assert_eq!(site.reader_mail_to("bo@example.net").len(), 2, "Bo once");
}

#[test]
fn a_mailing_whose_enqueue_failed_is_put_on_the_queue_by_a_later_run() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.publish_text(
        "later-queued",
        &alert_text("Later queued", "Opinion", -1, ""),
    );
    site.fake.mail_queue_fails.set(true);
    let app = access_alerts::app::App::new(&site.fake, &site.settings);
    assert!(block_on(app.scheduled(EVERY_MINUTE, site.fake.now())).is_err());
    site.fake.mail_queue_fails.set(false);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        1,
        "claimed: not started twice at once"
    );
    site.fake.advance_seconds(6 * 60);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2);
    assert!(mail[1].contains("Subject: Later queued"));
}

#[test]
fn the_footer_leads_to_the_full_form_with_the_address_filled_in() {
    let site = site();
    let home = site.get("/").text();
    assert!(home.contains(r#"<form class="footer-subscribe" method="post" action="/subscribe"><input type="hidden" name="prefill" value="1">"#));
    let r = site.send(
        TestRequest::post("/subscribe", FORM, "prefill=1&email=ada%40example.net")
            .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains(r#"value="ada@example.net""#));
    assert!(!r.text().contains("field-error"), "not judged yet");
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    site.drain_mail();
    assert!(site.fake.reader_mail.borrow().is_empty(), "nothing sent");
    assert!(
        site.sql("SELECT id FROM pending").is_empty(),
        "nothing kept"
    );
}

#[test]
fn d1_failures_are_logged_by_kind_never_with_the_values_they_quote() {
    use access_alerts::app::db::d1_kind as kind;
    assert_eq!(
        kind("D1_TYPE_ERROR: Type 'object' not supported for value 'ada@example.net'"),
        "D1_TYPE_ERROR"
    );
    assert_eq!(
        kind("D1_ERROR: no such table: subscribers: SQLITE_ERROR"),
        "D1_ERROR no such table: subscribers: SQLITE_ERROR"
    );
    assert_eq!(kind("network lost"), "d1-call-failed");
}

/// Every statement the Worker runs (`app::db::STATEMENTS`: the fan-out's,
/// the cron's expiry DELETE, the forms', the operator's) reads through an
/// index: no full scan of a table, no search over a whole mailing's
/// deliveries, and a walk in index order only under a LIMIT.
#[test]
fn every_statement_searches_an_index_and_never_scans_a_table() {
    let db = crate::fake::migrated_db();
    assert!(access_alerts::app::db::STATEMENTS.len() >= 30);
    for (name, sql) in access_alerts::app::db::STATEMENTS {
        let mut st = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let nulls = vec![rusqlite::types::Null; st.parameter_count()];
        let plan: Vec<String> = st
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        // A full scan of a table, or a search over a whole mailing's
        // deliveries (its key's first column alone), grows with the list.
        let scans: Vec<&String> = plan
            .iter()
            .filter(|l| {
                // (A SELECT without FROM scans its one constant row.)
                let scan = l.starts_with("SCAN ")
                    && !l.contains("VIRTUAL TABLE")
                    && l.as_str() != "SCAN CONSTANT ROW";
                let ordered = l.contains(" USING INDEX ") || l.contains(" USING COVERING INDEX ");
                (scan && !(ordered && sql.contains(" LIMIT ")))
                    || l.contains("PRIMARY KEY (mailing=?)")
            })
            .collect();
        assert!(
            scans.is_empty(),
            "{name} reads more than its rows: {plan:#?}"
        );
    }
}

#[test]
fn the_cron_s_expiry_delete_searches_its_index() {
    let db = crate::fake::migrated_db();
    let (_, sql) = access_alerts::app::db::STATEMENTS
        .iter()
        .find(|(name, _)| *name == "expire requests")
        .unwrap();
    let plan: String = db
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .query_map([rusqlite::types::Null], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(plan.contains("USING INDEX pending_by_expiry"), "{plan}");
}

#[test]
fn a_digest_the_monday_run_missed_is_started_by_the_next_minute() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all&frequency=weekly");
    site.publish_text(
        "in-the-week",
        &alert_text("In the week", "Opinion", -60, ""),
    );
    site.cron(EVERY_MINUTE);
    // Monday 2024-12-02, 09:00: the 08:00 digest cron never ran.
    site.fake.advance_seconds(33 * 3600);
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let mail = site.reader_mail_to("ada@example.net");
    assert_eq!(mail.len(), 2, "the confirmation and the digest");
    assert!(mail[1].contains("(2024-W48)") && mail[1].contains("In the week"));
    site.cron(EVERY_MINUTE);
    site.cron(DIGEST_CRON);
    site.drain_mail();
    assert_eq!(
        site.reader_mail_to("ada@example.net").len(),
        2,
        "still one digest"
    );
}

#[test]
fn confirming_again_replaces_the_choice_of_a_subscribed_address() {
    let site = site();
    site.subscribe("ada@example.net", "scope=all");
    site.fake.advance_seconds(601);
    site.subscribe(
        "ada@example.net",
        "scope=chosen&topic=c%3AGeneral&frequency=weekly",
    );
    let rows = site.sql("SELECT id, every, frequency FROM subscribers");
    assert_eq!(rows.len(), 1, "one row per address");
    assert_eq!(
        (rows[0]["every"].as_i64(), rows[0]["frequency"].as_str()),
        (Some(0), Some("weekly"))
    );
    let topics = site.sql("SELECT topic FROM subscriber_topics");
    assert_eq!(topics.len(), 1);
    assert_eq!(topics[0]["topic"], "c:General");
}
