//! HTML pages, built with maud so that every interpolated value is escaped
//! by the template engine. One layout and one stylesheet serve every page.

use crate::content::{AlertRecord, Contact, ListingEntry};
use crate::form::{Field, FormErrors, Inquiry};
use chrono::{DateTime, Datelike, Timelike, Utc};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The site's identity, from `SITE_URL` and `SITE_NAME`.
#[derive(Debug, Clone)]
pub struct Site {
    /// Origin and optional base path, without a trailing slash.
    pub url: String,
    pub name: String,
}

impl Site {
    pub fn new(url: &str, name: &str) -> Self {
        Site {
            url: url.trim_end_matches('/').to_string(),
            name: name.to_string(),
        }
    }

    /// The absolute URL of a site path (`/alerts/x`).
    pub fn abs(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }
}

/// The stylesheet, compiled into the Worker.
pub const STYLESHEET: &str = include_str!("../assets/site.css");

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x100000001b3);
        i += 1;
    }
    hash
}

/// The site icon (`/favicon.svg`).
pub const FAVICON: &str = include_str!("../assets/favicon.svg");

/// The stylesheet's content fingerprint, computed at compile time.
pub const STYLESHEET_HASH: u64 = fnv1a(STYLESHEET.as_bytes());

/// The file name the stylesheet is served under (`site.<hash>.css`).
pub fn stylesheet_file() -> String {
    format!("site.{:012x}.css", STYLESHEET_HASH & 0xffff_ffff_ffff)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "25 Nov 2024", as readers of the series know it. (chrono does the
/// calendar; its strftime engine is not used, which keeps ~20 KB out of
/// the wasm.)
pub fn human_date(date: DateTime<Utc>) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// RFC 3339 in UTC with seconds: `2024-11-25T00:00:00Z`.
pub fn rfc3339(date: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        date.month(),
        date.day(),
        date.hour(),
        date.minute(),
        date.second()
    )
}

/// What a page tells search engines and link previews about itself.
pub struct Head<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Site path of the canonical URL (`/alerts/x`), if the page has one.
    pub path: Option<&'a str>,
    pub noindex: bool,
    pub og_type: &'a str,
    pub image: Option<&'a str>,
    /// Structured data (JSON-LD) for the page.
    pub json_ld: Option<String>,
    /// Turnstile's script, on the contact form when it is switched on.
    pub turnstile: bool,
    /// A feed of this page besides the site's (title, Atom path).
    pub feed: Option<(String, String)>,
}

impl<'a> Head<'a> {
    pub fn new(title: &'a str, description: &'a str) -> Self {
        Head {
            title,
            description,
            path: None,
            noindex: false,
            og_type: "website",
            image: None,
            json_ld: None,
            turnstile: false,
            feed: None,
        }
    }
}

/// The page shell shared by every HTML response.
pub fn layout(site: &Site, head: &Head, main: Markup) -> Markup {
    let full_title = if head.title == site.name {
        site.name.clone()
    } else {
        format!("{} | {}", head.title, site.name)
    };
    let canonical = head.path.map(|p| site.abs(p));
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                meta name="description" content=(head.description);
                @if head.noindex { meta name="robots" content="noindex, nofollow"; }
                @if let Some(url) = &canonical { link rel="canonical" href=(url); }
                link rel="stylesheet" href={ "/assets/" (stylesheet_file()) };
                link rel="icon" type="image/svg+xml" href="/favicon.svg";
                link rel="alternate" type="application/atom+xml" title={ (site.name) " (Atom)" } href="/feed.xml";
                link rel="alternate" type="application/feed+json" title={ (site.name) " (JSON Feed)" } href="/feed.json";
                @if let Some((title, path)) = &head.feed {
                    link rel="alternate" type="application/atom+xml" title=(title) href=(path);
                }
                meta property="og:site_name" content=(site.name);
                meta property="og:title" content=(head.title);
                meta property="og:description" content=(head.description);
                meta property="og:type" content=(head.og_type);
                @if let Some(url) = &canonical { meta property="og:url" content=(url); }
                @if let Some(img) = head.image {
                    meta property="og:image" content=(img);
                    meta name="twitter:card" content="summary_large_image";
                } @else {
                    meta name="twitter:card" content="summary";
                }
                meta name="twitter:title" content=(head.title);
                meta name="twitter:description" content=(head.description);
                @if let Some(ld) = &head.json_ld {
                    script type="application/ld+json" { (PreEscaped(ld)) }
                }
                @if head.turnstile {
                    script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer {}
                }
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site-header {
                    div.wrap {
                        a.brand href="/" { (site.name) }
                        nav aria-label="Site" {
                            ul {
                                li { a href="/" { "Latest alerts" } }
                                li { a href="/contact" { "Contact" } }
                            }
                        }
                    }
                }
                main #main.wrap { (main) }
                footer.site-footer {
                    div.wrap {
                        p { "© " (site.name) }
                        ul {
                            li { a href="/feed.xml" { "Atom feed" } }
                            li { a href="/feed.json" { "JSON Feed" } }
                            li { a href="/privacy" { "Privacy" } }
                            li { a href="/contact" { "Contact us" } }
                        }
                    }
                }
            }
        }
    }
}

fn category_link(category: &Option<String>) -> Markup {
    html! {
        @if let Some(c) = category {
            a.category href={ "/category/" (crate::keys::name_slug(c)) } { (c) }
        }
    }
}

/// Site path of an alert.
pub fn alert_path(slug: &str) -> String {
    format!("/alerts/{slug}")
}

/// Site path of a month's archive.
pub fn archive_path(year: i32, month: u32) -> String {
    format!("/archive/{year:04}/{month:02}")
}

/// "November 2024".
pub fn month_name(year: i32, month: u32) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {year}", NAMES[(month.clamp(1, 12) - 1) as usize])
}

fn dateline(date: DateTime<Utc>, category: &Option<String>) -> Markup {
    html! {
        p.dateline {
            time datetime=(rfc3339(date)) { (human_date(date)) }
            @if category.is_some() { " " span.sep aria-hidden="true" { "·" } " " (category_link(category)) }
        }
    }
}

/// One alert in a listing or the related block.
pub fn card(entry: &ListingEntry, heading: &str) -> Markup {
    let title = html! { a href={ "/alerts/" (entry.slug) } { (entry.meta.title) } };
    html! {
        article.card {
            @if heading == "h3" { h3 { (title) } } @else { h2 { (title) } }
            p.excerpt { (entry.meta.summary) }
            (dateline(entry.date(), &entry.meta.category))
        }
    }
}

/// Everything the alert page shows besides the record itself.
pub struct AlertPage<'a> {
    pub alert: &'a AlertRecord,
    pub body_html: &'a str,
    pub related: &'a [ListingEntry],
    /// A preview of a draft or scheduled alert.
    pub preview: bool,
}

/// The article page: `/alerts/<slug>` (and previews).
pub fn alert_page(site: &Site, page: &AlertPage) -> Markup {
    let a = page.alert;
    let path = alert_path(&a.slug);
    let image = a.image.as_deref().map(|i| {
        if i.starts_with('/') {
            site.abs(i)
        } else {
            i.to_string()
        }
    });
    let json_ld = news_article_ld(site, a, &path, image.as_deref());
    let head = Head {
        path: Some(&path),
        noindex: page.preview,
        og_type: "article",
        image: image.as_deref(),
        json_ld: Some(json_ld),
        ..Head::new(&a.title, &a.summary)
    };
    let main = html! {
        article.alert {
            @if page.preview {
                p.notice role="status" {
                    @if a.draft { "Preview of a draft: not public." }
                    @else { "Preview: scheduled for " (human_date(a.date)) ", not public yet." }
                }
            }
            header {
                h1 { (a.title) }
                (dateline(a.date, &a.category))
                p.archive-link { a href=(archive_path(a.date.year(), a.date.month())) { "More from " (month_name(a.date.year(), a.date.month())) } }
                @if let Some(u) = a.updated {
                    p.updated { "Updated " time datetime=(rfc3339(u)) { (human_date(u)) } }
                }
            }
            @if let (Some(src), Some(alt)) = (&image, &a.image_alt) {
                img.lead src=(src) alt=(alt);
            }
            div.body { (PreEscaped(page.body_html)) }
            @if !a.tags.is_empty() {
                ul.tags aria-label="Tags" {
                    @for t in &a.tags {
                        li { a href={ "/tag/" (crate::keys::name_slug(t)) } { (t) } }
                    }
                }
            }
            @if !a.contacts.is_empty() {
                section.contacts aria-labelledby="contacts-heading" {
                    h2 #contacts-heading { "Contacts" }
                    @if let Some(note) = &a.contact_note { p { (note) } }
                    ul {
                        @for c in &a.contacts {
                            li {
                                a href={ "/contact?to=" (c.id) } { "Write to " (c.name) }
                                @if let Some(role) = &c.role { span.role { ", " (role) } }
                            }
                        }
                    }
                }
            }
        }
        @if !page.related.is_empty() {
            section.related aria-labelledby="related-heading" {
                h2 #related-heading { "Related Articles" }
                div.cards {
                    @for r in page.related { (card(r, "h3")) }
                }
            }
        }
    };
    layout(site, &head, main)
}

fn news_article_ld(site: &Site, a: &AlertRecord, path: &str, image: Option<&str>) -> String {
    let rfc = rfc3339;
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": rfc(a.date),
        "dateModified": rfc(a.modified()),
        "mainEntityOfPage": site.abs(path),
        "publisher": { "@type": "Organization", "name": site.name, "url": site.abs("/") },
    });
    if let Some(img) = image {
        ld["image"] = serde_json::Value::from(img);
    }
    if let Some(c) = &a.category {
        ld["articleSection"] = serde_json::Value::from(c.as_str());
    }
    // `<` never appears raw, so the data cannot close its script element.
    ld.to_string().replace('<', "\\u003c")
}

/// A listing page (home, category, tag).
pub struct ListingPage<'a> {
    pub heading: &'a str,
    pub intro: Option<&'a str>,
    pub path: &'a str,
    pub entries: &'a [ListingEntry],
    /// The URL of the next (older) page, if there is one.
    pub older: Option<String>,
    /// Whether this is not the first page (a "Newest" link is shown).
    pub paged: bool,
    /// A feed of this listing besides the site's (title, Atom path).
    pub feed: Option<(String, String)>,
    /// On a month's archive: the newer and older months that have alerts.
    pub months: Option<MonthLinks>,
}

/// The newer and older months of an archive page, each `(year, month)`.
pub type MonthLinks = (Option<(i32, u32)>, Option<(i32, u32)>);

pub fn listing_page(site: &Site, page: &ListingPage) -> Markup {
    let head = Head {
        path: Some(page.path),
        feed: page.feed.clone(),
        ..Head::new(page.heading, page.intro.unwrap_or(page.heading))
    };
    let main = html! {
        h1 { (page.heading) }
        @if let Some(intro) = page.intro { p.intro { (intro) } }
        @if let Some((title, path)) = &page.feed {
            p.feed-link { a href=(path) { "Subscribe: " (title) } }
        }
        @if page.entries.is_empty() {
            p { "No alerts here yet." }
        } @else {
            div.cards { @for e in page.entries { (card(e, "h2")) } }
        }
        @if let Some((newer, older)) = page.months {
            nav.pager aria-label="Months" {
                @if let Some((y, m)) = newer { a href=(archive_path(y, m)) { "← " (month_name(y, m)) } }
                @if let Some((y, m)) = older { a href=(archive_path(y, m)) { (month_name(y, m)) " →" } }
            }
        }
        @if page.older.is_some() || page.paged {
            nav.pager aria-label="More alerts" {
                @if page.paged { a href=(page.path) { "Newest" } }
                @if let Some(older) = &page.older { a rel="next" href=(older) { "Older alerts" } }
            }
        }
    };
    layout(site, &head, main)
}

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
            p { a href="/" { "Go to the latest alerts" } }
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
    let head = Head {
        path: Some("/contact"),
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
        form.contact method="post" action="/contact" novalidate {
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
                label for="consent" { "I agree that my message and details are kept to answer it, as the " a href="/privacy" { "privacy notice" } " explains." }
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
            p { a href="/" { "Back to the latest alerts" } }
        },
    )
}

pub fn privacy_page(site: &Site) -> Markup {
    let head = Head {
        path: Some("/privacy"),
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
            h2 { "Your rights" }
            p { "To ask about, correct or delete what you sent, " a href="/contact" { "write to us" } "." }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_the_series() {
        let d = DateTime::parse_from_rfc3339("2024-11-05T00:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(human_date(d), "5 Nov 2024");
        assert_eq!(
            rfc3339(d + chrono::Duration::seconds(3661)),
            "2024-11-05T01:01:01Z"
        );
        assert_eq!(
            rfc3339(d),
            d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
    }

    #[test]
    fn stylesheet_name_is_fingerprinted() {
        let f = stylesheet_file();
        assert!(
            f.starts_with("site.") && f.ends_with(".css") && f.len() == 21,
            "{f}"
        );
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        let site = Site::new("https://alerts.example.org/", "Alerts");
        let mut a = crate::content::AlertRecord::new(
            "x",
            "</script><script>alert(1)</script>",
            DateTime::from_timestamp(1_732_492_800, 0).unwrap(),
            "",
        );
        let ld = news_article_ld(&site, &a, "/alerts/x", None);
        assert!(!ld.contains("</script"), "{ld}");
        a.title = "ok".into();
        assert!(news_article_ld(&site, &a, "/alerts/x", None)
            .contains("https://alerts.example.org/alerts/x"));
    }
}
