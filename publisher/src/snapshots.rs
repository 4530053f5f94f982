//! Snapshots of the pages people see, rendered from the real `content/`
//! (every alert) and fixed inputs for the other pages. Review changes with
//! `cargo insta review` (or accept with `INSTA_UPDATE=always`).

use access_alerts::content::{Contact, ListingEntry};
use access_alerts::form::{validate, Inquiry};
use access_alerts::i18n::Lang;
use access_alerts::markdown;
use access_alerts::views::{self, AlertPage, ContactForm, ListingPage, Site};
use publisher::load;
use std::path::Path;

fn site() -> Site {
    Site::new("https://alerts.example.org", "Access Alerts")
}

/// One tag per line, the stylesheet fingerprint masked, so diffs are readable.
fn readable(html: String) -> String {
    html.replace("><", ">\n<")
        .replace(&views::assets::stylesheet_file(), "site.[hash].css")
}

fn content() -> load::Content {
    load::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).expect("valid content")
}

#[test]
fn every_alert_page() {
    let content = content();
    let entries: Vec<ListingEntry> = content.alerts.iter().map(|a| a.record.entry()).collect();
    for alert in &content.alerts {
        let a = &alert.record;
        let related: Vec<ListingEntry> = if a.related.is_empty() {
            entries
                .iter()
                .filter(|e| e.slug != a.slug && e.meta.category == a.category)
                .take(4)
                .cloned()
                .collect()
        } else {
            a.related.clone()
        };
        // Each version: English, then its translations (`alert-<slug>.<lang>`).
        for lang in a.languages() {
            let body = markdown::render(&a.body_in(lang)).html;
            let page = views::alert_page(
                &site(),
                &AlertPage {
                    alert: a,
                    body_html: &body,
                    related: &related,
                    preview: false,
                    now: chrono::DateTime::<chrono::Utc>::MAX_UTC,
                    lang,
                    names: &content.names,
                },
            );
            let name = match lang {
                Lang::En => format!("alert-{}", a.slug),
                _ => format!("alert-{}.{}", a.slug, lang.code()),
            };
            insta::assert_snapshot!(name, readable(page.into_string()));
        }
    }
}

/// A fixture alert (not in `content/`: its notes would be invented facts)
/// with three change notes, the last dated after the page is shown.
const WITH_CHANGES: &str = r#"+++
title = "Access Alert: a consultation with corrections"
date = 2024-11-25T09:00:00Z
category = "Opinion"
tags = ["UN OEWG"]
summary = "A fixture for the page's change notes."

[[changes]]
date = 2024-11-26
note = "Added the link to the <consultation> page & its annex."

[[changes]]
date = 2024-11-27T14:30:00Z
note = "Corrected the deadline for comments to 6 December."

[[changes]]
date = 2024-12-05
note = "A note dated after the page is shown: not on it yet."
+++
The consultation is open until **6 December**.
"#;

#[test]
fn alert_page_with_change_notes() {
    let (alert, _) = load::parse_alert(
        Path::new("alerts/a-consultation-with-corrections.md"),
        "a-consultation-with-corrections",
        WITH_CHANGES,
    )
    .expect("a valid fixture");
    let a = &alert.record;
    let body = markdown::render(&a.body).html;
    let page = |now| {
        views::alert_page(
            &site(),
            &AlertPage {
                alert: a,
                body_html: &body,
                related: &[],
                preview: false,
                now,
                lang: Lang::En,
                names: &access_alerts::i18n::Names::EMPTY,
            },
        )
        .into_string()
    };
    let now = chrono::DateTime::parse_from_rfc3339("2024-12-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let html = page(now);
    assert!(!html.contains("not on it yet"), "a note still to come");
    assert!(html.contains("\"dateModified\":\"2024-11-27T14:30:00Z\""));
    insta::assert_snapshot!("alert-with-changes", readable(html));
    // With one note: no list of updates.
    let first = page(
        chrono::DateTime::parse_from_rfc3339("2024-11-26T12:00:00Z")
            .unwrap()
            .to_utc(),
    );
    assert!(first.contains("Added the link to the &lt;consultation&gt; page &amp; its annex."));
    assert!(!first.contains("<details"));
}

#[test]
fn home_page() {
    let content = content();
    let mut entries: Vec<ListingEntry> = content.alerts.iter().map(|a| a.record.entry()).collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.meta.date));
    let alternates: Vec<(Lang, String)> = Lang::ALL
        .iter()
        .map(|l| (*l, access_alerts::routes::Route::Home.in_lang(*l).path()))
        .collect();
    // English, and Arabic: its translation, the others in English.
    for (lang, name) in [(Lang::En, "home"), (Lang::Ar, "home.ar")] {
        let path = access_alerts::routes::Route::Home.in_lang(lang).path();
        let page = views::listing_page(
            &site(),
            &ListingPage {
                heading: lang.strings().latest,
                intro: None,
                path: &path,
                entries: &entries,
                older: Some(format!("{path}?cursor=abc")),
                paged: false,
                feed: None,
                months: None,
                lang,
                alternates: alternates.clone(),
                names: &content.names,
                english_name: None,
            },
        );
        insta::assert_snapshot!(name, readable(page.into_string()));
    }
}

#[test]
fn contact_form_with_errors() {
    let content = content();
    let contacts: Vec<Contact> = content.contacts.clone();
    let values = Inquiry {
        name: "Ada <Lovelace>".into(),
        email: "not-an-email".into(),
        contact: "gordon-mackay".into(),
        message: "Kept & escaped".into(),
        ..Default::default()
    };
    let errors = validate(&values, &contacts, Lang::En);
    let page = views::contact_page(
        &site(),
        &ContactForm {
            lang: Lang::En,
            contacts: &contacts,
            values: &values,
            errors: &errors,
            turnstile_site_key: None,
        },
    );
    insta::assert_snapshot!("contact-errors", readable(page.into_string()));
}

#[test]
fn fixed_pages() {
    insta::assert_snapshot!(
        "privacy",
        readable(views::privacy_page(&site(), Lang::En).into_string())
    );
    insta::assert_snapshot!(
        "thanks",
        readable(views::thanks_page(&site(), Lang::En).into_string())
    );
    insta::assert_snapshot!(
        "not-found",
        readable(
            views::message_page(
                &site(),
                Lang::En,
                "Page not found",
                "There is no page at this address."
            )
            .into_string()
        )
    );
}
