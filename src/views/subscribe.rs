//! The pages of email alerts: the subscribe form, "check your inbox", the
//! confirm and unsubscribe buttons (POST forms, so that a mail scanner
//! following a link changes nothing), and a subscriber's own settings,
//! each in the six languages (`crate::i18n::SubscribeStrings`). No page
//! ever shows an address.

use super::{layout, Head, Site};
use crate::i18n::{fill, Lang, Names};
use crate::mail::form::{Errors, Request};
use crate::mail::topics::{Choice, Frequency};
use crate::routes::Route;
use maud::{html, Markup};

/// The subscribe form as shown: the site's topics, the values sent, and
/// each problem by field, in the page's language.
pub struct SubscribeForm<'a> {
    pub lang: Lang,
    pub topics: &'a [String],
    /// The topics' names in the page's language (none in English).
    pub names: &'a Names,
    pub values: &'a Request,
    pub errors: &'a Errors,
    pub turnstile_site_key: Option<&'a str>,
}

fn head<'a>(lang: Lang, title: &'a str, description: &'a str) -> Head<'a> {
    Head {
        noindex: true,
        lang,
        ..Head::new(title, description)
    }
}

fn error_summary(lang: Lang, errors: &Errors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { (lang.strings().correct) }
                ul {
                    @for (f, msg) in &errors.0 {
                        li { a href={ "#" (f) } { (msg) } }
                    }
                }
            }
        }
    }
}

/// Scope, topics, frequency and the mails' language: the part the
/// subscriber can change later. Topics are named as editors translated
/// them, or in English (`lang="en"`) where they have not.
fn choice_fields(
    page: Lang,
    names: &Names,
    choice: &Choice,
    topics: &[String],
    errors: &Errors,
) -> Markup {
    let s = page.subscribe_strings();
    let categories: Vec<&String> = topics.iter().filter(|t| t.starts_with("c:")).collect();
    let tags: Vec<&String> = topics.iter().filter(|t| t.starts_with("t:")).collect();
    let boxes = |list: &[&String], legend: &str| {
        html! {
            @if !list.is_empty() {
                fieldset.topics {
                    legend { (legend) }
                    @for (i, t) in list.iter().enumerate() {
                        @let id = format!("topic-{}-{i}", &t[..1]);
                        div.check {
                            input id=(id) type="checkbox" name="topic" value=(t) checked[choice.topics.contains(t)];
                            @let shown = names.topic(page, t);
                            label for=(id) lang=[shown.lang] { (shown.text) }
                        }
                    }
                }
            }
        }
    };
    let error = |field: &str| errors.get(field).map(|_| format!("{field}-error"));
    html! {
        fieldset #scope aria-describedby=[error("scope")] {
            legend { (s.what_to_receive) }
            @if let Some(m) = errors.get("scope") { p.field-error #scope-error { (m) } }
            div.check {
                input #scope-all type="radio" name="scope" value="all" checked[choice.every];
                label for="scope-all" { (s.every_option) }
            }
            div.check {
                input #scope-chosen type="radio" name="scope" value="chosen" checked[!choice.every];
                label for="scope-chosen" { (s.chosen_option) }
            }
        }
        div #topics role="group" aria-label=(s.topics) aria-describedby=[error("topics")] {
            @if let Some(m) = errors.get("topics") { p.field-error #topics-error { (m) } }
            (boxes(&categories, s.categories))
            (boxes(&tags, s.tags))
        }
        fieldset #frequency aria-describedby=[error("frequency")] {
            legend { (s.how_often) }
            @if let Some(m) = errors.get("frequency") { p.field-error #frequency-error { (m) } }
            div.check {
                input #frequency-each type="radio" name="frequency" value="each" checked[choice.frequency == Frequency::Each];
                label for="frequency-each" { (s.each_option) }
            }
            div.check {
                input #frequency-weekly type="radio" name="frequency" value="weekly" checked[choice.frequency == Frequency::Weekly];
                label for="frequency-weekly" { (s.weekly_option) }
            }
        }
        div.field {
            label for="lang" { (s.mail_language) }
            @if let Some(m) = errors.get("lang") { p.field-error #lang-error { (m) } }
            select #lang name="lang" aria-describedby=[error("lang")] {
                @for l in Lang::ALL {
                    option value=(l.code()) lang=(l.code()) selected[l == choice.lang] { (l.autonym()) }
                }
            }
        }
    }
}

pub fn subscribe_page(site: &Site, form: &SubscribeForm) -> Markup {
    let lang = form.lang;
    let s = lang.subscribe_strings();
    let path = Route::Subscribe(lang).path();
    let head = Head {
        path: Some(&path),
        turnstile: form.turnstile_site_key.is_some(),
        lang,
        alternates: Route::Subscribe(lang).versions(&Lang::ALL),
        ..Head::new(s.title, s.description)
    };
    let v = form.values;
    let e = form.errors;
    let shown = Choice {
        every: v.scope != "chosen" && (v.scope == "all" || v.topics.is_empty()),
        topics: v.topics.clone(),
        frequency: Frequency::parse(&v.frequency).unwrap_or_default(),
        lang: Lang::from_code(&v.lang).unwrap_or(lang),
    };
    let main = html! {
        h1 { (s.title) }
        p.intro { (s.intro) }
        (error_summary(lang, e))
        form.subscribe method="post" action=(path) novalidate {
            div.field {
                label for="email" { (lang.strings().your_email) }
                @if let Some(m) = e.get("email") { p.field-error #email-error { (m) } }
                input #email type="email" name="email" value=(super::one_line(&v.email)) autocomplete="email" required
                    aria-invalid=[e.get("email").map(|_| "true")]
                    aria-describedby=[e.get("email").map(|_| "email-error")];
            }
            (choice_fields(lang, form.names, &shown, form.topics, e))
            div.field.hp aria-hidden="true" {
                label for="website" { (lang.strings().honeypot) }
                input #website type="text" name="website" tabindex="-1" autocomplete="off" value="";
            }
            div.field.check #consent-field {
                @if let Some(m) = e.get("consent") { p.field-error #consent-error { (m) } }
                input #consent type="checkbox" name="consent" value="yes" checked[v.consent]
                    aria-invalid=[e.get("consent").map(|_| "true")]
                    aria-describedby=[e.get("consent").map(|_| "consent-error")];
                label for="consent" { (s.consent) " " a href=(Route::Privacy(lang).path()) { (s.privacy_notice) } "." }
            }
            @if let Some(key) = form.turnstile_site_key {
                @if let Some(m) = e.get("turnstile") { p.field-error #turnstile-error { (m) } }
                div #turnstile.cf-turnstile data-sitekey=(key) {}
            }
            button type="submit" { (s.subscribe) }
        }
    };
    layout(site, &head, main)
}

/// The footer's short form: the address, then the full form (topics,
/// frequency, consent) with it filled in, in the page's language. A POST
/// (`prefill`), so the address stays out of URLs and logs; it keeps
/// nothing and sends nothing, and works the same with Turnstile on.
pub fn footer_form(lang: Lang) -> Markup {
    let t = lang.strings();
    html! {
        form.footer-subscribe method="post" action=(Route::Subscribe(lang).path()) {
            input type="hidden" name="prefill" value="1";
            label for="footer-email" { (t.footer_subscribe) }
            input #footer-email type="email" name="email" autocomplete="email" required;
            button type="submit" { (t.footer_continue) }
        }
    }
}

pub fn check_inbox_page(site: &Site, lang: Lang) -> Markup {
    let s = lang.subscribe_strings();
    layout(
        site,
        &head(lang, s.check_title, s.check_description),
        html! {
            h1 { (s.check_title) }
            p { (s.check_text) }
            p { (s.check_spam) }
            p { a href=(Route::Home.in_lang(lang).path()) { (s.back_home) } }
        },
    )
}

/// A page whose one action is a POST button carrying the link's token.
fn button_page(
    site: &Site,
    lang: Lang,
    [title, text, button]: [&str; 3],
    action: &str,
    token: &str,
) -> Markup {
    layout(
        site,
        &head(lang, title, text),
        html! {
            h1 { (title) }
            p { (text) }
            form method="post" action=(action) {
                input type="hidden" name="t" value=(token);
                button type="submit" { (button) }
            }
        },
    )
}

pub fn confirm_page(site: &Site, lang: Lang, token: &str) -> Markup {
    let s = lang.subscribe_strings();
    button_page(
        site,
        lang,
        [s.confirm_title, s.confirm_text, s.confirm_button],
        &Route::SubscribeConfirm(lang).path(),
        token,
    )
}

pub fn unsubscribe_page(site: &Site, lang: Lang, token: &str) -> Markup {
    let s = lang.subscribe_strings();
    button_page(
        site,
        lang,
        [
            s.unsubscribe_title,
            s.unsubscribe_text,
            s.unsubscribe_button,
        ],
        &format!("{}?t={}", Route::Unsubscribe(lang).path(), token),
        token,
    )
}

/// What a subscriber receives, as a sentence in `lang`.
fn receives(lang: Lang, names: &Names, choice: &Choice) -> String {
    let s = lang.subscribe_strings();
    let template = match choice.frequency {
        Frequency::Each => s.receive_each,
        Frequency::Weekly => s.receive_weekly,
    };
    fill(template, &choice.describe(lang, names))
}

pub fn subscribed_page(
    site: &Site,
    lang: Lang,
    names: &Names,
    manage_path: &str,
    choice: &Choice,
) -> Markup {
    let s = lang.subscribe_strings();
    layout(
        site,
        &head(lang, s.subscribed_title, s.subscribed_description),
        html! {
            h1 { (s.subscribed_title) }
            p { (receives(lang, names, choice)) }
            p { (s.every_email_links) " " a href=(manage_path) { (s.change_now) } "." }
        },
    )
}

pub fn unsubscribed_page(site: &Site, lang: Lang) -> Markup {
    let s = lang.subscribe_strings();
    layout(
        site,
        &head(lang, s.unsubscribed_title, s.unsubscribed_description),
        html! {
            h1 { (s.unsubscribed_title) }
            p { (s.unsubscribed_text) " " a href=(Route::Subscribe(lang).path()) { (s.subscribe_again) } "." }
        },
    )
}

/// A subscriber's own page: topics, frequency and language, and
/// unsubscribing.
pub struct SubscriptionPage<'a> {
    pub lang: Lang,
    pub token: &'a str,
    pub topics: &'a [String],
    pub choice: &'a Choice,
    pub errors: &'a Errors,
    pub saved: bool,
    /// The topics' names in the page's language (none in English).
    pub names: &'a Names,
}

pub fn subscription_page(site: &Site, p: &SubscriptionPage) -> Markup {
    let (lang, token) = (p.lang, p.token);
    let s = lang.subscribe_strings();
    let main = html! {
        h1 { (s.manage_title) }
        @if p.saved { p.notice role="status" { (fill(s.saved, &p.choice.describe(lang, p.names))) } }
        (error_summary(lang, p.errors))
        form.subscribe method="post" action=(Route::Subscription(lang).path()) novalidate {
            input type="hidden" name="t" value=(token);
            (choice_fields(lang, p.names, p.choice, p.topics, p.errors))
            button type="submit" { (s.save) }
        }
        h2 { (s.stop_all) }
        form method="post" action={ (Route::Unsubscribe(lang).path()) "?t=" (token) } {
            input type="hidden" name="t" value=(token);
            button type="submit" { (s.unsubscribe_button) }
        }
    };
    layout(
        site,
        &head(lang, s.manage_title, s.manage_description),
        main,
    )
}
