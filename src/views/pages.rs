//! The contact form, the fixed pages and the message page (errors, 404).

use super::{layout, Head, Site};
use crate::content::Contact;
use crate::form::{Field, FormErrors, Inquiry};
use crate::routes::Route;
use maud::{html, Markup};

/// A page that tells the reader something went wrong or is missing.
pub fn message_page(site: &Site, title: &str, message: &str) -> Markup {
    let head = Head {
        noindex: true,
        ..Head::new(title, message)
    };
    layout(
        site,
        &head,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href=(Route::Home.path()) { "Go to the latest alerts" } }
        },
    )
}

/// The contact form, with typed values kept and each problem named.
pub struct ContactForm<'a> {
    pub contacts: &'a [Contact],
    pub values: &'a Inquiry,
    pub errors: &'a FormErrors,
    /// Turnstile's site key, when Turnstile is switched on.
    pub turnstile_site_key: Option<&'a str>,
}

pub fn contact_page(site: &Site, form: &ContactForm) -> Markup {
    let contact_path = Route::Contact.path();
    let head = Head {
        path: Some(&contact_path),
        turnstile: form.turnstile_site_key.is_some(),
        ..Head::new(
            "Contact",
            "Write to one of our named contacts; your message reaches them directly.",
        )
    };
    let v = form.values;
    let err = |f: Field| form.errors.get(f);
    let described = |f: Field| err(f).map(|_| format!("{}-error", f.name()));
    let main = html! {
        h1 { "Contact" }
        p.intro { "Write to one of our named contacts. Their email addresses are not shown; your message is forwarded to them." }
        @if !form.errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "Please correct the following" }
                ul {
                    @for (f, msg) in form.errors.iter() {
                        li { a href={ "#" (f.name()) } { (msg) } }
                    }
                }
            }
        }
        form.contact method="post" action=(contact_path) novalidate {
            (field_text(Field::Name, "Your name", "text", &v.name, err(Field::Name), "name"))
            (field_text(Field::Email, "Your email", "email", &v.email, err(Field::Email), "email"))
            (field_text(Field::Organisation, "Organisation (optional)", "text", &v.organisation, err(Field::Organisation), "organization"))
            div.field {
                label for="contact" { "Who should receive it" }
                @if let Some(m) = err(Field::Contact) { p.field-error #contact-error { (m) } }
                select #contact name="contact" aria-invalid=[err(Field::Contact).map(|_| "true")] aria-describedby=[described(Field::Contact)] {
                    @for c in form.contacts {
                        option value=(c.id) selected[c.id == v.contact] {
                            (c.name) @if let Some(r) = &c.role { " (" (r) ")" }
                        }
                    }
                }
            }
            (field_text(Field::Subject, "Subject", "text", &v.subject, err(Field::Subject), "off"))
            div.field {
                label for="message" { "Message" }
                @if let Some(m) = err(Field::Message) { p.field-error #message-error { (m) } }
                textarea #message name="message" rows="8" required aria-invalid=[err(Field::Message).map(|_| "true")] aria-describedby=[described(Field::Message)] { (v.message) }
            }
            div.field.hp aria-hidden="true" {
                label for="website" { "Leave this field empty" }
                input #website type="text" name="website" tabindex="-1" autocomplete="off" value="";
            }
            div.field.check {
                @if let Some(m) = err(Field::Consent) { p.field-error #consent-error { (m) } }
                input #consent type="checkbox" name="consent" value="yes" checked[v.consent] aria-invalid=[err(Field::Consent).map(|_| "true")] aria-describedby=[described(Field::Consent)];
                label for="consent" { "I agree that my message and details are kept to answer it, as the " a href=(Route::Privacy.path()) { "privacy notice" } " explains." }
            }
            @if let Some(key) = form.turnstile_site_key {
                @if let Some(m) = err(Field::Turnstile) { p.field-error #turnstile-error { (m) } }
                div.cf-turnstile data-sitekey=(key) {}
            }
            button type="submit" { "Send message" }
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
            input id=(id) type=(kind) name=(id) value=(value) autocomplete=(autocomplete)
                required[field != Field::Organisation]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))];
        }
    }
}

pub fn thanks_page(site: &Site) -> Markup {
    let head = Head {
        noindex: true,
        ..Head::new("Thank you", "Your message has been received.")
    };
    layout(
        site,
        &head,
        html! {
            h1 { "Thank you" }
            p { "Your message has been received and will be forwarded to the person you chose. They will reply to the email address you gave." }
            p { a href=(Route::Home.path()) { "Back to the latest alerts" } }
        },
    )
}

pub fn privacy_page(site: &Site) -> Markup {
    let privacy_path = Route::Privacy.path();
    let head = Head {
        path: Some(&privacy_path),
        ..Head::new(
            "Privacy",
            "What the contact form keeps, for how long, and who reads it.",
        )
    };
    layout(
        site,
        &head,
        html! {
            h1 { "Privacy" }
            h2 { "What we keep" }
            p { "When you use the contact form we receive your name, email address, organisation (if you give one), the subject and your message, and the contact you chose. Nothing else is collected: the site sets no cookies and runs no analytics scripts." }
            h2 { "Who reads it" }
            p { "Your message is emailed to the contact you chose, who replies to the address you gave. If delivery fails repeatedly, the site operator can read the undelivered message in order to deliver it." }
            h2 { "How long" }
            p { "The site itself keeps no copy of a delivered message beyond a short fingerprint (kept 10 minutes) that stops the same message from being sent twice. An undelivered message is kept for at most 30 days and then deleted automatically. What the recipient keeps in their mailbox follows their own email retention." }
            h2 { "Email alerts" }
            p { "If you subscribe to alerts by email we keep your email address, the topics and frequency you chose, and which alerts were sent to you, only to send you those alerts. Until you confirm through the link we email you, the request is kept for at most 48 hours. Every alert email has a link to change your choice and a one-click unsubscribe link; unsubscribing deletes your address, your choices and the record of what was sent, at once. Addresses are never shown on the site or in its logs." }
            h2 { "Your rights" }
            p { "To ask about, correct or delete what you sent, " a href=(Route::Contact.path()) { "write to us" } "." }
        },
    )
}
