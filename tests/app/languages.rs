//! Alerts in the six UN languages (issue 24): a translation served under
//! its language's prefix, `lang` and `dir`, the site's strings and dates in
//! it, `hreflang` alternates that every version returns, a missing
//! translation as a 404 that links the versions there are, an outdated one
//! saying so, and an embargoed source hiding its translations; listings
//! in each language (translations, and every other alert in English,
//! marked), a feed per language, sitemaps with each version's alternates.

use crate::fake::{Site, ORIGIN};
use crate::SEED;
use access_alerts::i18n::Lang;
use std::collections::BTreeSet;

/// The sample content with the seed's Russian and Spanish translations
/// taken out again: an alert that exists in four of the six languages.
fn without_russian_and_spanish() -> Site {
    let site = Site::from_content();
    let mut record = site.stored(SEED).unwrap();
    record
        .translations
        .retain(|t| !matches!(t.lang, Lang::Ru | Lang::Es));
    record.content_hash = "four languages".into();
    site.publish(&record);
    site
}

/// The `(hreflang, href)` of each `<link rel="alternate" hreflang>`.
fn alternates(html: &str) -> BTreeSet<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|rest| {
            let (lang, rest) = rest.split_once('"').unwrap();
            let href = rest
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (lang.to_string(), href.to_string())
        })
        .collect()
}

fn page(site: &Site, path: &str) -> String {
    let r = site.get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.text()
}

#[test]
fn a_translation_is_served_under_its_language_with_its_strings_and_dates() {
    let site = Site::from_content();
    let fr = page(&site, &format!("/fr/alerts/{SEED}"));
    assert!(fr.contains(r#"<html lang="fr" dir="ltr">"#), "{fr}");
    assert!(fr.contains("<h1>Access Alert | Access Partnership se joint à l’appel collectif"));
    assert!(
        fr.contains("À l’approche de la réunion de cette semaine"),
        "its body"
    );
    assert!(
        fr.contains(">26 novembre 2024</time>"),
        "the date in French"
    );
    assert!(fr.contains(">Autres alertes de novembre 2024<"));
    assert!(fr.contains(">Articles connexes<") && fr.contains(">Écrire à Gordon Mackay<"));
    assert!(
        fr.contains("Pour en savoir plus sur les négociations"),
        "its contact note"
    );
    assert!(
        fr.contains(&format!(
            r#"<link rel="canonical" href="{ORIGIN}/fr/alerts/{SEED}">"#
        )),
        "its own canonical URL"
    );
    assert!(fr.contains(r#""inLanguage":"fr""#));
    // What stays in English says so: related alerts not translated (in
    // English, labelled in French, linking to the English page). The
    // category's and tags' names are the editors' French (names.toml),
    // their pages in French.
    assert!(fr.contains(r#"<article class="card" lang="en"><h3><a href="/alerts/"#));
    assert!(fr.contains(r#"<div lang="fr"><p class="english-only">Uniquement en anglais</p>"#));
    assert!(fr.contains(r#"<a class="category" href="/fr/category/opinion">Opinion</a>"#));
    assert!(fr.contains(r#"<a href="/fr/tag/united-nations">Nations unies</a>"#));

    let ar = page(&site, &format!("/ar/alerts/{SEED}"));
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains(">26 نوفمبر 2024</time>") && ar.contains(">مقالات ذات صلة<"));
    let zh = page(&site, &format!("/zh/alerts/{SEED}"));
    assert!(zh.contains(r#"<html lang="zh" dir="ltr">"#));
    assert!(zh.contains(">2024年11月26日</time>") && zh.contains(">相关文章<"));
    assert_ne!(
        site.get(&format!("/fr/alerts/{SEED}")).header("etag"),
        site.get(&format!("/alerts/{SEED}")).header("etag"),
        "each version has its own validator"
    );
    let etag = site
        .get(&format!("/zh/alerts/{SEED}"))
        .header("etag")
        .unwrap();
    let again = site.send(
        crate::TestRequest::get(&format!("/zh/alerts/{SEED}")).header("if-none-match", &etag),
    );
    assert_eq!(again.status, 304);
}

#[test]
fn every_version_lists_every_version_and_english_as_the_default() {
    let site = without_russian_and_spanish();
    let english = format!("{ORIGIN}/alerts/{SEED}");
    let expected: BTreeSet<(String, String)> = [
        ("en", english.clone()),
        ("x-default", english.clone()),
        ("ar", format!("{ORIGIN}/ar/alerts/{SEED}")),
        ("zh", format!("{ORIGIN}/zh/alerts/{SEED}")),
        ("fr", format!("{ORIGIN}/fr/alerts/{SEED}")),
    ]
    .into_iter()
    .map(|(l, h)| (l.to_string(), h))
    .collect();
    for (lang, href) in &expected {
        let html = page(&site, href.strip_prefix(ORIGIN).unwrap());
        assert_eq!(alternates(&html), expected, "the {lang} page's alternates");
        // The switcher: each version once, in its own language, this one current.
        for (code, name) in [
            ("en", "English"),
            ("ar", "العربية"),
            ("zh", "中文"),
            ("fr", "Français"),
        ] {
            assert!(
                html.contains(&format!(r#"lang="{code}">{name}</a>"#)),
                "{lang}: {name}"
            );
        }
        assert_eq!(html.matches(r#"aria-current="page""#).count(), 1, "{lang}");
        assert!(
            !html.contains("Русский"),
            "no switcher entry for a missing version"
        );
    }
    // An alert with no translation has neither alternates nor a switcher.
    let plain = page(&site, "/alerts/australia-social-media-ban-for-under-16s");
    assert!(alternates(&plain).is_empty() && !plain.contains("class=\"languages\""));
    assert!(plain.contains(r#"<html lang="en" dir="ltr">"#));
}

#[test]
fn a_missing_translation_is_a_404_that_links_the_versions_there_are() {
    let site = without_russian_and_spanish();
    let r = site.get(&format!("/ru/alerts/{SEED}"));
    assert_eq!(r.status, 404, "never a redirect");
    assert!(r.header("location").is_none());
    let html = r.text();
    assert!(
        html.contains(r#"<html lang="ru" dir="ltr">"#),
        "in the language asked for"
    );
    assert!(html.contains("Недоступно на этом языке"));
    assert!(html.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    for path in [
        format!("/alerts/{SEED}"),
        format!("/ar/alerts/{SEED}"),
        format!("/zh/alerts/{SEED}"),
        format!("/fr/alerts/{SEED}"),
    ] {
        assert!(html.contains(&format!("href=\"{path}\"")), "{path}");
    }
    assert!(!html.contains("/ru/alerts/") && !html.contains("/es/alerts/"));
    // Untranslated: English only. Unknown alert, unknown language: the
    // usual 404.
    let only = site.get("/es/alerts/australia-social-media-ban-for-under-16s");
    assert_eq!(only.status, 404);
    assert!(only
        .text()
        .contains(r#"href="/alerts/australia-social-media-ban-for-under-16s""#));
    for path in [
        "/fr/alerts/no-such-alert",
        &format!("/de/alerts/{SEED}"),
        &format!("/en/alerts/{SEED}"),
    ] {
        let r = site.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("Access Partnership se joint"), "{path}");
    }
}

#[test]
fn a_translation_made_before_the_sources_update_says_so_in_its_language() {
    let site = Site::from_content();
    let fr = page(&site, &format!("/fr/alerts/{SEED}"));
    assert!(
        !fr.contains("class=\"notice outdated\""),
        "up to date: no notice"
    );
    let mut record = site.stored(SEED).unwrap();
    let made = record.translations[0].translated;
    record.updated = Some(made + chrono::Duration::days(2));
    record.content_hash = "updated".into();
    site.publish(&record);
    site.fake.advance_seconds(3600);
    let fr = page(&site, &format!("/fr/alerts/{SEED}"));
    let notice = fr
        .split("<p class=\"notice outdated\" role=\"note\">")
        .nth(1)
        .expect(&fr);
    let notice = notice.split("</p>").next().unwrap();
    assert!(
        notice.contains("La version anglaise de cette alerte a été mise à jour le 7 décembre 2026"),
        "{notice}"
    );
    assert!(
        notice.contains(&format!(
            r#"<a href="/alerts/{SEED}" hreflang="en" lang="en">Lire la version anglaise</a>"#
        )),
        "{notice}"
    );
    let ar = page(&site, &format!("/ar/alerts/{SEED}"));
    assert!(ar.contains("حُدِّثت النسخة الإنجليزية من هذا التنبيه في 7 ديسمبر 2026"));
    let en = page(&site, &format!("/alerts/{SEED}"));
    assert!(
        !en.contains("notice outdated"),
        "the source is never outdated"
    );
}

#[test]
fn an_embargoed_source_hides_its_translations() {
    let site = Site::from_content();
    let mut record = site.stored(SEED).unwrap();
    record.date = chrono::DateTime::from_timestamp(site.fake.now() / 1000 + 3600, 0).unwrap();
    record.content_hash = "scheduled".into();
    site.publish(&record);
    for lang in ["fr", "ar", "ru"] {
        let r = site.get(&format!("/{lang}/alerts/{SEED}"));
        assert_eq!(r.status, 404, "{lang}");
        let html = r.text();
        assert!(
            !html.contains("Access Partnership") && !html.contains(SEED),
            "{lang}: {html}"
        );
    }
    site.fake.advance_seconds(3601);
    assert_eq!(
        site.get(&format!("/fr/alerts/{SEED}")).status,
        200,
        "at its date"
    );
}

/// The four other sample alerts, none of them translated.
const OTHERS: usize = 4;

#[test]
fn a_listing_in_a_language_shows_its_translations_and_every_other_alert_in_english() {
    let site = Site::from_content();
    let fr = page(&site, "/fr/");
    assert!(fr.contains(r#"<html lang="fr" dir="ltr">"#));
    assert!(fr.contains("<h1>Dernières alertes</h1>"), "{fr}");
    assert!(
        fr.contains(&format!(
            r#"<h2><a href="/fr/alerts/{SEED}">Access Alert | Access Partnership se joint"#
        )),
        "the translation, linking to it"
    );
    // No alert is missed: the untranslated ones in English, marked and
    // labelled in French, linking to their English pages.
    assert_eq!(
        fr.matches(r#"<article class="card" lang="en"><h2><a href="/alerts/"#)
            .count(),
        OTHERS
    );
    assert_eq!(fr.matches("Uniquement en anglais").count(), OTHERS);
    assert_eq!(fr.matches(r#"<a href="/fr/alerts/"#).count(), 1);
    assert!(fr.contains(">26 novembre 2024</time>") && fr.contains(">25 novembre 2024</time>"));
    // The header's links stay in the language.
    assert!(fr.contains(r#"<a class="brand" href="/fr/">"#));
    assert!(fr.contains(
        r#"type="application/atom+xml" title="Access Alerts (Français) (Atom)" href="/fr/feed.xml""#
    ));

    let ar = page(&site, "/ar/");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#) && ar.contains("<h1>أحدث التنبيهات</h1>"));
    assert_eq!(ar.matches("متاح بالإنجليزية فقط").count(), OTHERS);

    let category = page(&site, "/fr/category/opinion");
    assert!(
        category.contains("<h1>Catégorie\u{a0}: Opinion</h1>"),
        "{category}"
    );
    let tag = page(&site, "/zh/tag/cybersecurity");
    assert!(tag.contains("<h1>标签：网络安全</h1>"), "{tag}");
    assert!(tag.contains(&format!(r#"<a href="/zh/alerts/{SEED}">"#)));
    let month = page(&site, "/es/archive/2024/11");
    assert!(
        month.contains("<h1>Alertas de noviembre de 2024</h1>"),
        "{month}"
    );
    assert_eq!(month.matches("Solo en inglés").count(), OTHERS);
    assert!(month.contains(&format!(
        r#"<h2><a href="/es/alerts/{SEED}">Access Alert | Access Partnership se suma"#
    )));

    for missing in [
        "/fr/category/nothing-here",
        "/ru/archive/1999/01",
        "/de/",
        "/en/",
    ] {
        assert_eq!(site.get(missing).status, 404, "{missing}");
    }
}

#[test]
fn every_listing_exists_in_the_six_languages_and_each_names_them_all() {
    let site = Site::from_content();
    for english in [
        "/",
        "/category/opinion",
        "/tag/cybersecurity",
        "/archive/2024/11",
    ] {
        let versions: Vec<(String, String)> = ["en", "ar", "zh", "fr", "ru", "es"]
            .iter()
            .map(|l| {
                let path = match *l {
                    "en" => english.to_string(),
                    l if english == "/" => format!("/{l}/"),
                    l => format!("/{l}{english}"),
                };
                (l.to_string(), path)
            })
            .collect();
        let mut expected: BTreeSet<(String, String)> = versions
            .iter()
            .map(|(l, p)| (l.clone(), format!("{ORIGIN}{p}")))
            .collect();
        expected.insert(("x-default".into(), format!("{ORIGIN}{english}")));
        for (lang, path) in &versions {
            let html = page(&site, path);
            assert_eq!(alternates(&html), expected, "{path}");
            assert!(html.contains(&format!(r#"<html lang="{lang}""#)), "{path}");
            assert!(
                html.contains(&format!(
                    r#"href="{path}" aria-current="page" lang="{lang}""#
                )),
                "{path}: the switcher marks it"
            );
        }
    }
}

#[test]
fn a_language_s_feeds_hold_its_translations_only_in_it() {
    let site = Site::from_content();
    let atom = page(&site, "/fr/feed.xml");
    assert!(atom.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">"#));
    assert_eq!(atom.matches("<entry>").count(), 1, "{atom}");
    assert!(atom.contains("<title>Access Alert | Access Partnership se joint"));
    assert!(atom.contains(&format!(r#"href="{ORIGIN}/fr/alerts/{SEED}""#)));
    assert!(
        atom.contains("À l’approche de la réunion"),
        "its body in French"
    );
    assert!(atom.contains(&format!(
        r#"<link rel="self" type="application/atom+xml" href="{ORIGIN}/fr/feed.xml">"#
    )));

    let json: serde_json::Value = serde_json::from_str(&page(&site, "/zh/feed.json")).unwrap();
    assert_eq!(json["language"], "zh");
    assert_eq!(json["feed_url"], format!("{ORIGIN}/zh/feed.json"));
    assert_eq!(json["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["items"][0]["url"],
        format!("{ORIGIN}/zh/alerts/{SEED}")
    );

    let ru: serde_json::Value = serde_json::from_str(&page(&site, "/ru/feed.json")).unwrap();
    assert_eq!(ru["language"], "ru");
    assert_eq!(ru["items"].as_array().unwrap().len(), 1);
    // A language without translations has an empty feed, not an error.
    let fewer = without_russian_and_spanish();
    fewer.fake.reindex();
    let ru: serde_json::Value = serde_json::from_str(&page(&fewer, "/ru/feed.json")).unwrap();
    assert_eq!(ru["items"].as_array().unwrap().len(), 0);
    assert_eq!(ru["language"], "ru");
    // English's feeds are as they were: every alert, in English.
    let en: serde_json::Value = serde_json::from_str(&page(&site, "/feed.json")).unwrap();
    assert_eq!(en["language"], "en");
    assert_eq!(en["items"].as_array().unwrap().len(), OTHERS + 1);
    assert_ne!(
        site.get("/fr/feed.xml").header("etag"),
        site.get("/ar/feed.xml").header("etag")
    );
}

#[test]
fn sitemaps_name_each_version_with_its_alternates() {
    let site = Site::from_content();
    let month = page(&site, "/sitemap/2024-11.xml");
    assert!(month.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    for lang in ["ar", "zh", "fr", "ru", "es"] {
        let loc = format!("<loc>{ORIGIN}/{lang}/alerts/{SEED}</loc>");
        assert!(month.contains(&loc), "{lang}: {month}");
        let link = format!(
            r#"<xhtml:link rel="alternate" hreflang="{lang}" href="{ORIGIN}/{lang}/alerts/{SEED}"></xhtml:link>"#
        );
        // In each of the alert's six <url>s.
        assert_eq!(month.matches(&link).count(), 6, "{lang}");
    }
    let fewer = without_russian_and_spanish();
    fewer.fake.reindex();
    let four = page(&fewer, "/sitemap/2024-11.xml");
    assert!(
        !four.contains(&format!("{ORIGIN}/ru/alerts/{SEED}")),
        "no Russian version: {four}"
    );
    let link = format!(r#"hreflang="fr" href="{ORIGIN}/fr/alerts/{SEED}""#);
    assert_eq!(four.matches(&link).count(), 4, "in each of four <url>s");
    assert!(month.contains(&format!("<loc>{ORIGIN}/ru/archive/2024/11</loc>")));
    let pages = page(&site, "/sitemap/pages.xml");
    assert!(pages.contains(&format!("<loc>{ORIGIN}/es/category/opinion</loc>")));
    let link = format!(r#"hreflang="ru" href="{ORIGIN}/ru/category/opinion""#);
    assert_eq!(
        pages.matches(&link).count(),
        6,
        "a category page in each of its six <url>s"
    );
    assert!(pages.contains(&format!("<loc>{ORIGIN}/ar/</loc>")));
    assert!(
        pages.contains(&format!("<loc>{ORIGIN}/ar/contact</loc>")),
        "the contact form in every language"
    );
}
