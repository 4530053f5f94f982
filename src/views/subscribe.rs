//! The pages of email alerts: the subscribe form, "check your inbox", the
//! confirm and unsubscribe buttons (POST forms, so that a mail scanner
//! following a link changes nothing), and a subscriber's own settings.
//! No page ever shows an address.

use super::{layout, Head, Site};
use crate::mail::form::{Errors, Request};
use crate::mail::topics::{label, Choice, Frequency};
use crate::routes::Route;
use maud::{html, Markup};

/// The subscribe form as shown: the site's topics, the values sent, and
/// each problem by field.
pub struct SubscribeForm<'a> {
    pub topics: &'a [String],
    pub values: &'a Request,
    pub errors: &'a Errors,
    pub turnstile_site_key: Option<&'a str>,
}

fn head<'a>(title: &'a str, description: &'a str) -> Head<'a> {
    Head {
        noindex: true,
        ..Head::new(title, description)
    }
}

fn error_summary(errors: &Errors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "Please correct the following" }
                ul {
                    @for (f, msg) in &errors.0 {
                        li { a href={ "#" (f) } { (msg) } }
                    }
                }
            }
        }
    }
}

/// Scope, topics and frequency: the part the subscriber can change later.
fn choice_fields(
    topics: &[String],
    every: bool,
    chosen: &[String],
    frequency: Frequency,
    errors: &Errors,
) -> Markup {
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
                            input id=(id) type="checkbox" name="topic" value=(t) checked[chosen.contains(t)];
                            label for=(id) { (label(t)) }
                        }
                    }
                }
            }
        }
    };
    html! {
        fieldset #scope aria-describedby=[errors.get("scope").map(|_| "scope-error")] {
            legend { "What to receive" }
            @if let Some(m) = errors.get("scope") { p.field-error #scope-error { (m) } }
            div.check {
                input #scope-all type="radio" name="scope" value="all" checked[every];
                label for="scope-all" { "Every alert" }
            }
            div.check {
                input #scope-chosen type="radio" name="scope" value="chosen" checked[!every];
                label for="scope-chosen" { "Only the categories and tags I tick below" }
            }
        }
        div #topics role="group" aria-label="Topics" aria-describedby=[errors.get("topics").map(|_| "topics-error")] {
            @if let Some(m) = errors.get("topics") { p.field-error #topics-error { (m) } }
            (boxes(&categories, "Categories"))
            (boxes(&tags, "Tags"))
        }
        fieldset #frequency aria-describedby=[errors.get("frequency").map(|_| "frequency-error")] {
            legend { "How often" }
            @if let Some(m) = errors.get("frequency") { p.field-error #frequency-error { (m) } }
            div.check {
                input #frequency-each type="radio" name="frequency" value="each" checked[frequency == Frequency::Each];
                label for="frequency-each" { "Each alert as it goes live" }
            }
            div.check {
                input #frequency-weekly type="radio" name="frequency" value="weekly" checked[frequency == Frequency::Weekly];
                label for="frequency-weekly" { "A weekly digest (Mondays; nothing when there were no alerts)" }
            }
        }
    }
}

/// The consent line: what is stored and why.
pub const CONSENT: &str = "I agree that my email address and my choices are kept to send me these alerts, and for nothing else. Unsubscribing deletes them.";

pub fn subscribe_page(site: &Site, form: &SubscribeForm) -> Markup {
    let path = Route::Subscribe.path();
    let head = Head {
        path: Some(&path),
        turnstile: form.turnstile_site_key.is_some(),
        ..Head::new(
            "Subscribe to alerts by email",
            "Get each alert by email the moment it goes live, or a weekly digest, for every topic or the ones you choose.",
        )
    };
    let v = form.values;
    let e = form.errors;
    let every = v.scope != "chosen" && (v.scope == "all" || v.topics.is_empty());
    let frequency = Frequency::parse(&v.frequency).unwrap_or_default();
    let main = html! {
        h1 { "Subscribe to alerts by email" }
        p.intro { "Each alert reaches you the moment it goes live, or once a week in a digest. We send a confirmation link first; nothing else is sent until you use it." }
        (error_summary(e))
        form.subscribe method="post" action=(path) novalidate {
            div.field {
                label for="email" { "Your email" }
                @if let Some(m) = e.get("email") { p.field-error #email-error { (m) } }
                input #email type="email" name="email" value=(v.email) autocomplete="email" required
                    aria-invalid=[e.get("email").map(|_| "true")]
                    aria-describedby=[e.get("email").map(|_| "email-error")];
            }
            (choice_fields(form.topics, every, &v.topics, frequency, e))
            div.field.hp aria-hidden="true" {
                label for="website" { "Leave this field empty" }
                input #website type="text" name="website" tabindex="-1" autocomplete="off" value="";
            }
            div.field.check #consent-field {
                @if let Some(m) = e.get("consent") { p.field-error #consent-error { (m) } }
                input #consent type="checkbox" name="consent" value="yes" checked[v.consent]
                    aria-invalid=[e.get("consent").map(|_| "true")]
                    aria-describedby=[e.get("consent").map(|_| "consent-error")];
                label for="consent" { (CONSENT) " See the " a href=(Route::Privacy.path()) { "privacy notice" } "." }
            }
            @if let Some(key) = form.turnstile_site_key {
                @if let Some(m) = e.get("turnstile") { p.field-error #turnstile-error { (m) } }
                div #turnstile.cf-turnstile data-sitekey=(key) {}
            }
            button type="submit" { "Subscribe" }
        }
    };
    layout(site, &head, main)
}

/// The footer's short form: the address, then the full form (topics,
/// frequency, consent) with it filled in. A POST (`prefill`), so the
/// address stays out of URLs and logs; it keeps nothing and sends nothing,
/// and works the same with Turnstile on.
pub fn footer_form(t: &crate::i18n::Strings) -> Markup {
    html! {
        form.footer-subscribe method="post" action=(Route::Subscribe.path()) {
            input type="hidden" name="prefill" value="1";
            label for="footer-email" { (t.footer_subscribe) }
            input #footer-email type="email" name="email" autocomplete="email" required;
            button type="submit" { (t.footer_continue) }
        }
    }
}

pub fn check_inbox_page(site: &Site) -> Markup {
    layout(
        site,
        &head(
            "Check your inbox",
            "We sent you a link to confirm your subscription.",
        ),
        html! {
            h1 { "Check your inbox" }
            p { "If the address can receive our alerts, a message with a confirmation link is on its way. Open it and press the button on the page to start your subscription; the link works for 48 hours." }
            p { "Nothing is sent to you until you confirm. If no message arrives, check your spam folder, or send the form again in ten minutes." }
            p { a href=(Route::Home.path()) { "Back to the latest alerts" } }
        },
    )
}

/// A page whose one action is a POST button carrying the link's token.
fn button_page(
    site: &Site,
    title: &str,
    text: &str,
    action: &str,
    token: &str,
    button: &str,
) -> Markup {
    layout(
        site,
        &head(title, text),
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

pub fn confirm_page(site: &Site, token: &str) -> Markup {
    button_page(
        site,
        "Confirm your subscription",
        "Press the button to start receiving alerts by email.",
        &Route::SubscribeConfirm.path(),
        token,
        "Confirm my subscription",
    )
}

pub fn unsubscribe_page(site: &Site, token: &str) -> Markup {
    button_page(
        site,
        "Unsubscribe",
        "Press the button to stop all alert emails. Your address and choices are deleted at once.",
        &format!("{}?t={}", Route::Unsubscribe.path(), token),
        token,
        "Unsubscribe and delete my address",
    )
}

pub fn subscribed_page(site: &Site, manage_path: &str, choice: &Choice) -> Markup {
    layout(
        site,
        &head("You are subscribed", "Your subscription is confirmed."),
        html! {
            h1 { "You are subscribed" }
            p { "You will receive " (choice.describe()) ", " (match choice.frequency { Frequency::Each => "each one as it goes live", Frequency::Weekly => "in a weekly digest" }) "." }
            p { "Every email has a link to change your topics or to unsubscribe. " a href=(manage_path) { "Change them now" } "." }
        },
    )
}

pub fn unsubscribed_page(site: &Site) -> Markup {
    layout(
        site,
        &head("You are unsubscribed", "Your address was deleted."),
        html! {
            h1 { "You are unsubscribed" }
            p { "Your address and choices are deleted; no more alerts will be sent to you. You can " a href=(Route::Subscribe.path()) { "subscribe again" } " at any time." }
        },
    )
}

/// A subscriber's own page: topics and frequency, and unsubscribing.
pub fn subscription_page(
    site: &Site,
    token: &str,
    topics: &[String],
    choice: &Choice,
    errors: &Errors,
    saved: bool,
) -> Markup {
    let main = html! {
        h1 { "Your email alerts" }
        @if saved { p.notice role="status" { "Saved. You will receive " (choice.describe()) "." } }
        (error_summary(errors))
        form.subscribe method="post" action=(Route::Subscription.path()) novalidate {
            input type="hidden" name="t" value=(token);
            (choice_fields(topics, choice.every, &choice.topics, choice.frequency, errors))
            button type="submit" { "Save" }
        }
        h2 { "Stop all alerts" }
        form method="post" action={ (Route::Unsubscribe.path()) "?t=" (token) } {
            input type="hidden" name="t" value=(token);
            button type="submit" { "Unsubscribe and delete my address" }
        }
    };
    layout(
        site,
        &head(
            "Your email alerts",
            "Change what you receive, or unsubscribe.",
        ),
        main,
    )
}
