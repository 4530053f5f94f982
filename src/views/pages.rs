//! The contact form, its thank-you page and the privacy notice, each in
//! the six languages (`crate::i18n::ContactStrings`), and the message page
//! (errors, 404).

use super::{layout, Head, Site};
use crate::content::Contact;
use crate::form::{Field, FormErrors, Inquiry};
use crate::i18n::Lang;
use crate::routes::Route;
use maud::{html, Markup};

/// A page that tells the reader something went wrong or is missing, in
/// `lang` (the language of the address asked for).
pub fn message_page(site: &Site, lang: Lang, title: &str, message: &str) -> Markup {
    let head = Head {
        noindex: true,
        lang,
        ..Head::new(title, message)
    };
    layout(
        site,
        &head,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href=(Route::Home.in_lang(lang).path()) { (lang.error_strings().home) } }
        },
    )
}

/// The contact form, with typed values kept and each problem named, in the
/// page's language.
pub struct ContactForm<'a> {
    pub lang: Lang,
    pub contacts: &'a [Contact],
    pub values: &'a Inquiry,
    pub errors: &'a FormErrors,
    /// Turnstile's site key, when Turnstile is switched on.
    pub turnstile_site_key: Option<&'a str>,
}

/// A page of the contact form's in every language, with its alternates.
fn head_in<'a>(lang: Lang, route: Route<'_>, title: &'a str, description: &'a str) -> Head<'a> {
    Head {
        lang,
        alternates: route.versions(&Lang::ALL),
        ..Head::new(title, description)
    }
}

pub fn contact_page(site: &Site, form: &ContactForm) -> Markup {
    let lang = form.lang;
    let s = lang.contact_strings();
    let contact_path = Route::Contact(lang).path();
    let head = Head {
        path: Some(&contact_path),
        turnstile: form.turnstile_site_key.is_some(),
        ..head_in(lang, Route::Contact(lang), s.title, s.description)
    };
    // Contacts are named as editors wrote them, in English.
    let en = (lang != Lang::En).then_some("en");
    let v = form.values;
    let err = |f: Field| form.errors.get(f);
    let described = |f: Field| err(f).map(|_| format!("{}-error", f.name()));
    let main = html! {
        h1 { (s.title) }
        p.intro { (s.intro) }
        @if !form.errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { (lang.strings().correct) }
                ul {
                    @for (f, msg) in form.errors.iter() {
                        li { a href={ "#" (f.name()) } { (msg) } }
                    }
                }
            }
        }
        form.contact method="post" action=(contact_path) novalidate {
            (field_text(Field::Name, s.your_name, "text", &v.name, err(Field::Name), "name"))
            (field_text(Field::Email, lang.strings().your_email, "email", &v.email, err(Field::Email), "email"))
            (field_text(Field::Organisation, s.organisation, "text", &v.organisation, err(Field::Organisation), "organization"))
            div.field {
                label for="contact" { (s.recipient) }
                @if let Some(m) = err(Field::Contact) { p.field-error #contact-error { (m) } }
                select #contact name="contact" aria-invalid=[err(Field::Contact).map(|_| "true")] aria-describedby=[described(Field::Contact)] {
                    @for c in form.contacts {
                        option value=(c.id) selected[c.id == v.contact] lang=[en] {
                            (c.name) @if let Some(r) = &c.role { " (" (r) ")" }
                        }
                    }
                }
            }
            (field_text(Field::Subject, s.subject, "text", &v.subject, err(Field::Subject), "off"))
            div.field {
                label for="message" { (s.message) }
                @if let Some(m) = err(Field::Message) { p.field-error #message-error { (m) } }
                textarea #message name="message" rows="8" required aria-invalid=[err(Field::Message).map(|_| "true")] aria-describedby=[described(Field::Message)] { (v.message) }
            }
            div.field.hp aria-hidden="true" {
                label for="website" { (lang.strings().honeypot) }
                input #website type="text" name="website" tabindex="-1" autocomplete="off" value="";
            }
            div.field.check {
                @if let Some(m) = err(Field::Consent) { p.field-error #consent-error { (m) } }
                input #consent type="checkbox" name="consent" value="yes" checked[v.consent] aria-invalid=[err(Field::Consent).map(|_| "true")] aria-describedby=[described(Field::Consent)];
                label for="consent" { (s.consent_before) a href=(Route::Privacy(lang).path()) { (s.consent_link) } (s.consent_after) }
            }
            @if let Some(key) = form.turnstile_site_key {
                @if let Some(m) = err(Field::Turnstile) { p.field-error #turnstile-error { (m) } }
                div.cf-turnstile data-sitekey=(key) {}
            }
            button type="submit" { (s.send) }
        }
    };
    layout(site, &head, main)
}

fn field_text(
    field: Field,
    label: &str,
    kind: &str,
    value: &str,
    error: Option<&str>,
    autocomplete: &str,
) -> Markup {
    let id = field.name();
    html! {
        div.field {
            label for=(id) { (label) }
            @if let Some(m) = error { p.field-error id={ (id) "-error" } { (m) } }
            input id=(id) type=(kind) name=(id) value=(super::one_line(value)) autocomplete=(autocomplete)
                required[field != Field::Organisation]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))];
        }
    }
}

pub fn thanks_page(site: &Site, lang: Lang) -> Markup {
    let s = lang.contact_strings();
    let head = Head {
        noindex: true,
        ..head_in(
            lang,
            Route::ContactThanks(lang),
            s.thanks_title,
            s.thanks_description,
        )
    };
    layout(
        site,
        &head,
        html! {
            h1 { (s.thanks_title) }
            p { (s.thanks_text) }
            p { a href=(Route::Home.in_lang(lang).path()) { (s.back_home) } }
        },
    )
}

pub fn privacy_page(site: &Site, lang: Lang) -> Markup {
    let s = lang.contact_strings();
    let privacy_path = Route::Privacy(lang).path();
    let head = Head {
        path: Some(&privacy_path),
        ..head_in(
            lang,
            Route::Privacy(lang),
            s.privacy_title,
            s.privacy_description,
        )
    };
    layout(
        site,
        &head,
        html! {
            h1 { (s.privacy_title) }
            h2 { (s.keep_heading) }
            p { (s.keep_text) }
            h2 { (s.readers_heading) }
            p { (s.readers_text) }
            h2 { (s.how_long_heading) }
            p { (s.how_long_text) }
            h2 { (s.alerts_heading) }
            p { (s.alerts_text) }
            h2 { (s.rights_heading) }
            p { (s.rights_before) a href=(Route::Contact(lang).path()) { (s.rights_link) } (s.rights_after) }
        },
    )
}
