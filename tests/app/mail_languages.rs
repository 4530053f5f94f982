//! Email alerts per language (issue 24), in-process over D1 as SQLite: a
//! subscriber's language chosen on the subscribe page (the page's by
//! default), the subscriber pages in it, and confirmation, alert, update
//! and digest mail in it: the alert's translation when it has one, else
//! the English original with a line saying so.

use crate::fake::{Site, TestRequest, ORIGIN};
use crate::subscribers::{alert_text, change_note, site, EVERY_MINUTE};
use crate::support::link_token;
use crate::support::mime::readable;
use access_alerts::app::DIGEST_CRON;

const FORM: &str = "application/x-www-form-urlencoded";

impl Site {
    /// Subscribes `email` from the subscribe page under `prefix` (`""`
    /// for English, `/fr`...) with this form body's choice, and confirms
    /// through the emailed link's page. The confirmation mail (readable)
    /// and the subscriber page's token.
    fn subscribe_from(&self, prefix: &str, email: &str, choice: &str) -> (String, String) {
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
        let mail = readable(&self.fake.reader_mail.borrow().last().unwrap().2);
        let confirm = "/subscribe/confirm?t=";
        let token = link_token(&mail, confirm);
        let path = mail[..mail.find(confirm).unwrap()]
            .rsplit(ORIGIN)
            .next()
            .unwrap()
            .to_string();
        let r = self.send(TestRequest::post(
            &format!("{path}/subscribe/confirm"),
            FORM,
            &format!("t={token}"),
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        (mail, link_token(&r.text(), "/subscription?t="))
    }

    fn mail_to(&self, to: &str) -> Vec<String> {
        self.fake
            .reader_mail
            .borrow()
            .iter()
            .filter(|(_, t, _)| t == to)
            .map(|(_, _, raw)| readable(raw))
            .collect()
    }
}

/// A translation's file (`<slug>.<lang>.md`).
fn translation(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ntranslated = 2024-11-30\n+++\n{body}\n")
}

#[test]
fn the_subscribe_pages_are_in_every_language_and_the_mails_language_defaults_to_the_page_s() {
    let site = site();
    for (prefix, lang, heading) in [
        ("", "en", "Subscribe to alerts by email"),
        ("/fr", "fr", "S’abonner aux alertes par e-mail"),
        ("/ar", "ar", "الاشتراك في التنبيهات بالبريد الإلكتروني"),
        ("/zh", "zh", "通过电子邮件订阅快讯"),
        ("/ru", "ru", "Подписка на оповещения по электронной почте"),
        (
            "/es",
            "es",
            "Suscribirse a las alertas por correo electrónico",
        ),
    ] {
        let r = site.get(&format!("{prefix}/subscribe"));
        assert_eq!(r.status, 200, "{prefix}");
        let page = r.text();
        assert!(page.contains(&format!(r#"<html lang="{lang}""#)), "{page}");
        assert!(page.contains(&format!("<h1>{heading}</h1>")), "{page}");
        assert!(page.contains(&format!(
            r#"<form class="subscribe" method="post" action="{prefix}/subscribe""#
        )));
        assert!(
            page.contains(&format!(
                r#"<option value="{lang}" lang="{lang}" selected>"#
            )),
            "the page's language is the mails' by default: {page}"
        );
        for other in ["en", "ar", "zh", "fr", "ru", "es"] {
            let path = if other == "en" {
                String::new()
            } else {
                format!("/{other}")
            };
            assert!(
                page.contains(&format!(
                    r#"<link rel="alternate" hreflang="{other}" href="{ORIGIN}{path}/subscribe">"#
                )),
                "{page}"
            );
        }
        assert!(page.contains(&format!(
            r#"<form class="footer-subscribe" method="post" action="{prefix}/subscribe">"#
        )));
    }
    // Errors in the page's language, every value kept.
    let post = |body: &str| {
        site.send(
            TestRequest::post("/fr/subscribe", FORM, body).header("CF-Connecting-IP", "192.0.2.7"),
        )
    };
    let r = post("email=ada%40example.net&lang=zh");
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains("Cochez la case pour accepter"), "{page}");
    assert!(page.contains(r#"<option value="zh" lang="zh" selected>"#));
    let r = post("email=ada%40example.net&consent=yes&lang=de");
    assert_eq!(r.status, 422);
    assert!(r
        .text()
        .contains("Choisissez l’une des langues de la liste."));
    // The header links to the page's own subscribe page.
    assert!(site
        .get("/fr/")
        .text()
        .contains(r#"<li><a href="/fr/subscribe">Alertes par e-mail</a></li>"#));
}

#[test]
fn a_subscriber_gets_every_mail_in_their_language_and_english_when_there_is_no_translation() {
    let site = site();
    let (confirm, fr_token) = site.subscribe_from("/fr", "ada@example.net", "scope=all");
    assert!(
        confirm.contains("Subject: Confirmez votre abonnement à Access Alerts"),
        "{confirm}"
    );
    assert!(confirm.contains(&format!("{ORIGIN}/fr/subscribe/confirm?t=")));
    assert!(confirm.contains(r#"<html lang="fr" dir="ltr">"#));
    assert!(confirm.contains("par e-mail : toutes les alertes."));
    assert_eq!(
        site.sql("SELECT lang FROM subscribers")[0]["lang"],
        "fr",
        "kept with the subscriber"
    );
    // Chosen on an English page: Arabic.
    site.subscribe_from("", "bo@example.net", "scope=all&lang=ar");
    site.subscribe_from("", "cy@example.net", "scope=all");

    site.publish_files(&[
        ("fresh-call", &alert_text("Fresh call", "Opinion", -1, "")),
        (
            "fresh-call.fr",
            &translation(
                "Nouvel appel",
                "Le corps de l’alerte, [un lien](/alerts/fresh-call).",
            ),
        ),
    ])
    .unwrap();
    site.cron(EVERY_MINUTE);
    site.drain_mail();

    let ada = site.mail_to("ada@example.net");
    assert_eq!(ada.len(), 2, "the confirmation and the alert");
    let fr = &ada[1];
    assert!(fr.contains("Subject: Nouvel appel\n"), "{fr}");
    assert!(fr.contains(r#"<html lang="fr" dir="ltr">"#));
    assert!(
        fr.contains("Le corps de l’alerte"),
        "the translation's body"
    );
    assert!(fr.contains(&format!(r#"href="{ORIGIN}/fr/alerts/fresh-call""#)));
    assert!(fr.contains("Lire sur le site"));
    assert!(fr.contains("abonné à : toutes les alertes."));
    assert!(fr.contains(&format!("List-Unsubscribe: <{ORIGIN}/fr/unsubscribe?t=")));
    assert!(fr.contains(&format!("{ORIGIN}/fr/subscription?t=")));
    assert!(!fr.contains("n’a pas été traduite"));

    let bo = site.mail_to("bo@example.net");
    let ar = &bo[1];
    assert!(ar.contains("Subject: Fresh call\n"), "English: {ar}");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(
        ar.contains("لم يُترجَم هذا التنبيه إلى العربية، لذا يُرسَل بالإنجليزية."),
        "a line in Arabic says it is in English"
    );
    assert!(ar.contains(r#"<div lang="en" dir="ltr"><h1"#), "{ar}");
    assert!(ar.contains(&format!(r#"href="{ORIGIN}/alerts/fresh-call""#)));
    assert!(ar.contains("اقرأه على الموقع"));

    let cy = site.mail_to("cy@example.net");
    assert!(cy[1].contains(r#"<html lang="en" dir="ltr">"#));
    assert!(
        cy[1].contains("<div><h1"),
        "English to English: nothing marked"
    );
    assert!(!cy[1].contains("has not been translated"));

    // The subscriber's own page is in their language, and changes it.
    let page = site.get(&format!("/fr/subscription?t={fr_token}"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<h1>Vos alertes par e-mail</h1>"));
    let r = site.send(
        TestRequest::post(
            "/fr/subscription",
            FORM,
            &format!("t={fr_token}&scope=all&frequency=each&lang=es"),
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .text()
        .contains("Enregistré. Vous recevrez toutes les alertes."));
    assert_eq!(
        site.sql("SELECT lang FROM subscribers WHERE email = 'ada@example.net'")[0]["lang"],
        "es"
    );

    // An update: its subject and note line in the reader's language, the
    // note itself (never translated) marked English.
    site.publish_files(&[
        (
            "fresh-call",
            &alert_text(
                "Fresh call",
                "Opinion",
                -1,
                &change_note(0, "Corrected the date."),
            ),
        ),
        ("fresh-call.fr", &translation("Nouvel appel", "Le corps.")),
    ])
    .unwrap();
    site.cron(EVERY_MINUTE);
    site.drain_mail();
    let es = site.mail_to("ada@example.net").pop().unwrap();
    assert!(es.contains("Subject: Actualización: Fresh call\n"), "{es}");
    assert!(es.contains("Esta alerta no se ha traducido al español"));
    assert!(
        es.contains(r#"<span lang="en">Corrected the date.</span>"#),
        "{es}"
    );
    assert!(
        es.contains("1 de diciembre de 2024: "),
        "the note's date in Spanish: {es}"
    );
    let ar = site.mail_to("bo@example.net").pop().unwrap();
    assert!(
        ar.contains("border-right: 4px"),
        "the note's rule on the reading side"
    );
    // No address in any log line.
    assert!(!site.fake.logged().contains("@example.net"));
}

#[test]
fn the_weekly_digest_is_in_the_subscriber_s_language_and_marks_what_is_english() {
    let site = site();
    site.subscribe_from("/zh", "ada@example.net", "scope=all&frequency=weekly");
    site.publish_files(&[
        ("week-one", &alert_text("Week one", "Opinion", -60, "")),
        ("week-one.zh", &translation("第一周", "正文。")),
        ("week-two", &alert_text("Week two", "Opinion", -30, "")),
    ])
    .unwrap();
    site.cron(EVERY_MINUTE);
    // Monday 08:00 after the fake's Sunday start: the week that ended.
    site.fake.advance_seconds(32 * 3600);
    site.cron(DIGEST_CRON);
    site.drain_mail();
    let ada = site.mail_to("ada@example.net");
    assert_eq!(ada.len(), 2, "the confirmation and one digest");
    let digest = &ada[1];
    assert!(
        digest.contains("Subject: Access Alerts：本周快讯（2024-W48）"),
        "{digest}"
    );
    assert!(digest.contains("<h1 style=\"font-size: 1.3em\">本周快讯</h1>"));
    assert!(digest.contains(&format!(
        r#"<a href="{ORIGIN}/zh/alerts/week-one">第一周</a>"#
    )));
    assert!(
        digest.contains(&format!(
            r#"<a href="{ORIGIN}/alerts/week-two" lang="en" hreflang="en">Week two</a> <small>(仅有英文版)</small>"#
        )),
        "{digest}"
    );
    assert!(
        digest.contains("Week two (仅有英文版)"),
        "the text part too"
    );
    assert!(digest.contains("您订阅了：全部快讯。"));
}

#[test]
fn a_test_send_shows_the_email_a_subscriber_of_a_language_gets() {
    let site = site();
    let seed = "oewg-collective-call-against-barring-organisations";
    let send = |lang: &str| {
        site.send(
            TestRequest::post(
                "/operator/test-email",
                FORM,
                &format!("slug={seed}&to=editor%40example.org&lang={lang}"),
            )
            .header("Authorization", "Bearer test-operator-token"),
        )
    };
    assert_eq!(send("fr").status, 202);
    let mail = readable(&site.fake.reader_mail.borrow().last().unwrap().2);
    assert!(
        mail.contains("Subject: [Test] Access Alert | Access Partnership se joint"),
        "{mail}"
    );
    assert!(mail.contains("Envoi de test : aucun abonné"));
    let refused = send("de");
    assert_eq!(refused.status, 400);
    assert!(refused
        .text()
        .contains("`lang` must be one of en, ar, zh, fr, ru, es."));
}
