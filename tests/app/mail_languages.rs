//! Email alerts per language (issue 24), in-process over D1 as SQLite: a
//! subscriber's language chosen on the subscribe page (the page's by
//! default), the subscriber pages in it, and confirmation, alert, update
//! and digest mail in it: the alert's translation when it has one, else
//! the English original with a line saying so.

use crate::fake::{TestRequest, ORIGIN};
use crate::subscribers::{alert_text, change_note, site, EVERY_MINUTE};
use crate::support::mime::readable;
use access_alerts::app::DIGEST_CRON;

const FORM: &str = "application/x-www-form-urlencoded";

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
    let fr = site.subscribe_from("/fr", "ada@example.net", "scope=all");
    let (confirm, fr_token) = (fr.mail, fr.token);
    assert!(fr.confirm_page.contains(r#"<html lang="fr""#));
    assert!(fr
        .confirm_page
        .contains(">Confirmer mon abonnement</button>"));
    assert!(fr
        .confirm_page
        .contains(r#"action="/fr/subscribe/confirm""#));
    assert!(fr.subscribed_page.contains("<h1>Vous êtes abonné</h1>"));
    assert!(fr
        .subscribed_page
        .contains("Vous recevrez toutes les alertes, chacune dès sa publication."));
    assert!(fr
        .subscribed_page
        .contains(&format!("{ORIGIN}/fr/subscription?t=")));
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

    let ada = site.reader_mail_to("ada@example.net");
    assert_eq!(ada.len(), 2, "the confirmation and the alert");
    let fr = &ada[1];
    assert!(fr.contains("Subject: Nouvel appel\r\n"), "{fr}");
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

    let bo = site.reader_mail_to("bo@example.net");
    let ar = &bo[1];
    assert!(ar.contains("Subject: Fresh call\r\n"), "English: {ar}");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(
        ar.contains("لم يُترجَم هذا التنبيه إلى العربية، لذا يُرسَل بالإنجليزية."),
        "a line in Arabic says it is in English"
    );
    assert!(ar.contains(r#"<div lang="en" dir="ltr"><h1"#), "{ar}");
    assert!(ar.contains(&format!(r#"href="{ORIGIN}/alerts/fresh-call""#)));
    assert!(ar.contains("اقرأه على الموقع"));

    let cy = site.reader_mail_to("cy@example.net");
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
    let lang = || {
        site.sql("SELECT lang FROM subscribers WHERE email = 'ada@example.net'")[0]["lang"].clone()
    };
    assert_eq!(lang(), "es");
    // A form without the language (an older page) keeps the subscriber's.
    let r = site.send(
        TestRequest::post(
            "/fr/subscription",
            FORM,
            &format!("t={fr_token}&scope=all&frequency=weekly"),
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(lang(), "es");
    assert_eq!(
        site.sql("SELECT frequency FROM subscribers WHERE email = 'ada@example.net'")[0]
            ["frequency"],
        "weekly"
    );
    let r = site.send(
        TestRequest::post(
            "/fr/subscription",
            FORM,
            &format!("t={fr_token}&scope=all&frequency=each"),
        )
        .header("CF-Connecting-IP", "192.0.2.7"),
    );
    assert_eq!(r.status, 200);

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
    let es = site.reader_mail_to("ada@example.net").pop().unwrap();
    assert!(
        es.contains("Subject: Actualización: Fresh call\r\n"),
        "{es}"
    );
    assert!(es.contains("Esta alerta no se ha traducido al español"));
    assert!(
        es.contains(r#"<span lang="en">Corrected the date.</span>"#),
        "{es}"
    );
    assert!(
        es.contains("1 de diciembre de 2024: "),
        "the note's date in Spanish: {es}"
    );
    let ar = site.reader_mail_to("bo@example.net").pop().unwrap();
    assert!(
        ar.contains("border-right: 4px"),
        "the note's rule on the reading side"
    );
    // Unsubscribing in the language: the button page, then one click.
    let t = crate::support::link_token(&ar, "/ar/unsubscribe?t=");
    let page = site.get(&format!("/ar/unsubscribe?t={t}")).text();
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(
        page.contains(">إلغاء الاشتراك وحذف عنواني</button>"),
        "{page}"
    );
    let r = site.send(TestRequest::post(
        &format!("/ar/unsubscribe?t={t}"),
        FORM,
        "List-Unsubscribe=One-Click",
    ));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<h1>أُلغي اشتراكك</h1>"));
    assert!(r.text().contains(r#"<a href="/ar/subscribe">"#));
    assert!(site
        .sql("SELECT id FROM subscribers WHERE email = 'bo@example.net'")
        .is_empty());
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
    let ada = site.reader_mail_to("ada@example.net");
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
    let mail = site.reader_mail_to("editor@example.org").pop().unwrap();
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

#[test]
fn mail_is_read_as_a_client_shows_it() {
    assert_eq!(
        readable("Subject: =?utf-8?B?w6k=?= =?utf-8?Q?t=C3=A9_x?= y\r\n\r\n"),
        "Subject: été x y\r\n\r\n",
        "adjacent encoded words joined"
    );
    assert_eq!(
        readable("Content-Transfer-Encoding: base64\r\n\r\nw6k=\r\n"),
        "Content-Transfer-Encoding: base64\r\n\r\né"
    );
    let multipart = "Content-Type: multipart/alternative;\r\n\tboundary=\"b1\"\r\n\r\n\
        --b1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
        t=3D1 caf=C3=A9=\r\n x\r\n--\r\nsigned\r\n--b1--\r\n";
    let shown = readable(multipart);
    assert!(
        shown.contains("t=1 café x\r\n--\r\nsigned\r\n--b1--"),
        "{shown:?}"
    );
}
