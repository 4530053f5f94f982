//! What a reader is told when a page cannot be shown, in the language of
//! the address they asked for (issue 24): a missing page, a subscriber's
//! link that is forged or expired, the anti-robot check's refusal.
//! Answers for programs and operators stay in English.

use crate::contact::post_to;
use crate::fake::{Site, TestRequest};
use crate::support::link_token;
use access_alerts::i18n::Lang;

#[test]
fn a_missing_page_under_a_language_says_so_in_it_and_leads_home_in_it() {
    let site = Site::from_content();
    for lang in [Lang::Fr, Lang::Ar, Lang::Zh, Lang::Ru, Lang::Es] {
        let t = lang.error_strings();
        let r = site.get(&format!("/{}/no-such-page", lang.code()));
        assert_eq!(r.status, 404);
        let page = r.text();
        assert!(
            page.contains(&format!(
                r#"<html lang="{}" dir="{}">"#,
                lang.code(),
                lang.dir()
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!("<h1>{}</h1>", t.not_found_title)),
            "{page}"
        );
        assert!(page.contains(t.not_found));
        assert!(page.contains(&format!(r#"<a href="/{}/">{}</a>"#, lang.code(), t.home)));
    }
    let en = site.get("/no-such-page").text();
    assert!(
        en.contains("<h1>Page not found</h1>")
            && en.contains(r#"<a href="/">Go to the latest alerts</a>"#)
    );
    // A program's answer stays English.
    let api = site.get("/api/search?q=x&lang=de");
    assert_eq!(api.status, 400);
    let body: serde_json::Value = serde_json::from_str(&api.text()).unwrap();
    assert_eq!(
        body["error"],
        "`lang` must be one of en, ar, zh, fr, ru, es."
    );
    // So does a malformed parameter's, on a page in a language.
    let bad = site.get("/fr/search?q=x&start=zz");
    assert_eq!(bad.status, 400);
    assert!(
        bad.text().contains("is not a position in the results."),
        "{}",
        bad.text()
    );
}

#[test]
fn a_subscriber_link_s_problem_is_told_in_the_link_s_language() {
    let site = crate::subscribers::site();
    let ar = Lang::Ar.error_strings();
    let r = site.get("/ar/subscribe/confirm?t=forged.token");
    assert_eq!(r.status, 400);
    let page = r.text();
    assert!(
        page.contains(&format!("<h1>{}</h1>", ar.bad_link_title)),
        "{page}"
    );
    assert!(page.contains(ar.link_invalid), "{page}");
    let zh = Lang::Zh.error_strings();
    let r = site.send(TestRequest::get("/zh/subscription"));
    assert_eq!(r.status, 400);
    assert!(r.text().contains(zh.link_invalid), "{}", r.text());
    // A confirmation link past its 48 hours: gone, said in French.
    site.subscribe("bo@example.net", "scope=all");
    let token = link_token(
        &site.reader_mail_to("bo@example.net")[0],
        "/subscribe/confirm?t=",
    );
    site.fake.advance_seconds(49 * 3600);
    let late = site.send(TestRequest::post(
        "/fr/subscribe/confirm",
        "application/x-www-form-urlencoded",
        &format!("t={token}"),
    ));
    assert_eq!(late.status, 410, "{}", late.text());
    let fr = Lang::Fr.error_strings();
    assert!(late.text().contains(fr.confirm_expired), "{}", late.text());
}

#[test]
fn the_anti_robot_check_s_refusal_is_in_the_form_s_language() {
    let site = Site::from_content_with(&[
        ("TURNSTILE_SECRET", "secret-key"),
        ("TURNSTILE_SITE_KEY", "site-key-1"),
        ("TURNSTILE_VERIFY_URL", "https://siteverify.example.net/"),
    ]);
    let body =
        "name=Ada&email=ada%40example.net&contact=inquiries&subject=S&message=Bonjour&consent=yes";
    let r = post_to(
        &site,
        "/es/contact",
        "application/x-www-form-urlencoded",
        body,
        &[],
    );
    assert_eq!(r.status, 403);
    let page = r.text();
    assert!(page.contains(Lang::Es.error_strings().turnstile), "{page}");
    assert!(page.contains(r#"<html lang="es""#));
}
