//! The contact form, its thank-you page and the privacy notice in every
//! language (issue 24): `/fr/contact`, `/ar/privacy`..., with their
//! alternates, errors in the page's language, and the inquiry reaching
//! the contact with the language it was written in.

use crate::contact::post_to;
use crate::fake::{Site, ORIGIN};
use crate::support::mime::readable;
use access_alerts::i18n::Lang;

const FORM: &str = "application/x-www-form-urlencoded";

/// A language's path prefix (none for English).
fn prefix(lang: Lang) -> String {
    match lang {
        Lang::En => String::new(),
        l => format!("/{}", l.code()),
    }
}

#[test]
fn the_contact_and_privacy_pages_are_in_every_language_with_their_alternates() {
    let site = Site::from_content();
    for lang in Lang::ALL {
        let (p, code) = (prefix(lang), lang.code());
        let s = lang.contact_strings();
        for (page, heading) in [
            ("contact", s.title),
            ("privacy", s.privacy_title),
            ("contact/thanks", s.thanks_title),
        ] {
            let r = site.get(&format!("{p}/{page}"));
            assert_eq!(r.status, 200, "{p}/{page}");
            let b = r.text();
            assert!(
                b.contains(&format!(r#"<html lang="{code}" dir="{}""#, lang.dir())),
                "{b}"
            );
            assert!(b.contains(&format!("<h1>{heading}</h1>")), "{b}");
            for other in Lang::ALL {
                let href = format!("{ORIGIN}{}/{page}", prefix(other));
                let link = format!(
                    r#"<link rel="alternate" hreflang="{}" href="{href}">"#,
                    other.code()
                );
                assert!(b.contains(&link), "{p}/{page} lacks {link}");
            }
        }
        let form = site.get(&format!("{p}/contact")).text();
        assert!(form.contains(&format!(r#"action="{p}/contact""#)), "{form}");
        assert!(
            form.contains(&format!(r#"<a href="{p}/privacy">"#)),
            "{form}"
        );
        assert!(form.contains(&format!(r#"<label for="message">{}</label>"#, s.message)));
        assert!(form.contains(&format!(r#"<button type="submit">{}</button>"#, s.send)));
        let privacy = site.get(&format!("{p}/privacy")).text();
        assert!(privacy.contains(s.how_long_text), "{privacy}");
        assert!(privacy.contains(&format!(r#"<a href="{p}/contact">{}</a>"#, s.rights_link)));
    }
    // Contacts are named as editors wrote them: English, marked as such.
    let fr = site.get("/fr/contact").text();
    assert!(
        fr.contains(r#"<option value="inquiries" selected lang="en">General inquiries</option>"#),
        "{fr}"
    );
    assert!(!fr.contains("example.org"), "no address shown");
    assert!(site
        .get("/fr/contact?to=luminita-tuchel")
        .text()
        .contains(r#"<option value="luminita-tuchel" selected lang="en">"#));
    assert_eq!(site.get("/en/contact").status, 404, "English has no prefix");
}

#[test]
fn a_page_in_a_language_leads_to_that_language_s_contact_form_and_privacy_notice() {
    let site = Site::from_content();
    let alert = site.get(&format!("/fr/alerts/{}", crate::SEED)).text();
    let t = Lang::Fr.strings();
    assert!(alert.contains(&format!(
        r#"<li><a href="/fr/contact">{}</a></li>"#,
        t.contact
    )));
    assert!(alert.contains(&format!(
        r#"<li><a href="/fr/privacy">{}</a></li>"#,
        t.privacy
    )));
    assert!(
        alert.contains(r#"<a href="/fr/contact?to=gordon-mackay">"#),
        "a named contact's link: {alert}"
    );
    let subscribe = site.get("/ar/subscribe").text();
    assert!(
        subscribe.contains(r#"<a href="/ar/privacy">"#),
        "{subscribe}"
    );
    let sitemap = site.get("/sitemap/pages.xml").text();
    for path in ["/contact", "/zh/contact", "/privacy", "/ru/privacy"] {
        assert!(
            sitemap.contains(&format!("<loc>{ORIGIN}{path}</loc>")),
            "{path} in {sitemap}"
        );
    }
    assert!(sitemap.contains(&format!(
        r#"<xhtml:link rel="alternate" hreflang="es" href="{ORIGIN}/es/contact"></xhtml:link>"#
    )));
}

#[test]
fn errors_are_in_the_page_s_language_and_the_inquiry_says_which_it_was_written_in() {
    let site = Site::from_content();
    let e = Lang::Fr.contact_errors();
    let bad = "name=&email=ada%40example.net&contact=gordon-mackay&subject=a%0Ab&message=Bonjour&website=";
    let r = post_to(&site, "/fr/contact", FORM, bad, &[]);
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains(r#"<html lang="fr""#));
    assert!(page.contains(e.name_empty), "{page}");
    assert!(page.contains(e.consent), "{page}");
    let subject = Lang::Fr.contact_strings().subject;
    assert!(
        page.contains(&e.single_line.replacen("{}", subject, 1)),
        "the label in the message is the page's: {page}"
    );
    assert!(page.contains(">Bonjour</textarea>"), "values kept");
    assert!(
        page.contains(r#"name="subject" value="a b""#),
        "a line break sent into a one-line field comes back as a space (HTML allows none there): {page}"
    );
    assert!(!page.contains("{}"), "every placeholder filled");
    let json = r#"{"name":"Ada","email":"ada@example.net","contact":"gordon-mackay","subject":"OEWG","message":"","consent":true}"#;
    let r = post_to(&site, "/zh/contact", "application/json", json, &[]);
    assert_eq!(r.status, 422);
    let body: serde_json::Value = serde_json::from_str(&r.text()).unwrap();
    assert_eq!(
        body["errors"]["message"],
        Lang::Zh.contact_errors().message_empty
    );
    assert!(site.fake.queue.borrow().is_empty(), "nothing queued");

    let good = "name=Ada+Lovelace&email=ada%40example.net&contact=gordon-mackay&subject=OEWG&message=Bonjour+Gordon&consent=yes&website=";
    let r = post_to(&site, "/fr/contact", FORM, good, &[("Origin", ORIGIN)]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location").as_deref(), Some("/fr/contact/thanks"));
    let queued = site.fake.queue.borrow().clone();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].lang, Lang::Fr);
    site.deliver_all();
    let mail = site.fake.mail.borrow().clone();
    assert_eq!(mail.len(), 1);
    let text = readable(&mail[0].2);
    assert!(
        text.contains("Written on the site in: Français (fr)"),
        "{text}"
    );
    assert!(text.contains("Bonjour Gordon"), "{text}");
    // A message queued before languages (no `lang`) is English's.
    let old: access_alerts::form::QueuedInquiry = serde_json::from_value(serde_json::json!({
        "id": "01abc", "received_at": "2024-11-25T10:00:00Z", "contact": "gordon-mackay",
        "name": "Ada", "email": "ada@example.net", "organisation": "", "subject": "S", "message": "M"
    }))
    .unwrap();
    assert_eq!(old.lang, Lang::En);
}
