//! The messages of email alerts, as complete RFC 5322 text for the
//! `send_email` binding: the confirmation request, one alert, and the
//! weekly digest. Alert and digest mail carry an HTML and a plain-text
//! part, the reason the reader gets it, a link to change topics or
//! frequency, and one-click unsubscribe (RFC 8058: `List-Unsubscribe` with
//! an https URL and `List-Unsubscribe-Post`), plus `List-Id` (RFC 2919).
//!
//! mail-builder encodes non-ASCII header text but writes a short ASCII
//! value as it is, CR and LF included, so every header value is checked
//! first (`crate::form::is_safe_header_value`), whoever called: an unsafe
//! value is refused, naming its header, and nothing is sent.

use crate::form::{is_safe_header_value, is_sendable_email, UnsafeHeader};
use crate::i18n::{fill, Lang};
use crate::views::Site;
use mail_builder::headers::{address::Address, message_id::MessageId, raw::Raw};
use mail_builder::MessageBuilder;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Who sends and how to reach the subscriber's own pages.
pub struct Envelope<'a> {
    pub site: &'a Site,
    /// `MAIL_FROM`.
    pub from: &'a str,
    /// The subscriber's address.
    pub to: &'a str,
    /// `Message-ID`'s left part: letters, digits and hyphens.
    pub id: &'a str,
    pub unix_time: i64,
}

/// A subscriber's links, in every alert and digest.
pub struct Links<'a> {
    /// Change topics or frequency.
    pub manage: &'a str,
    /// One-click unsubscribe (the `List-Unsubscribe` URL).
    pub unsubscribe: &'a str,
    /// "you subscribed to: ..."
    pub reason: &'a str,
}

/// One alert as mailed.
pub struct AlertMail<'a> {
    /// The reader's language: the mail's own words are in it.
    pub lang: Lang,
    /// The alert has no translation in `lang`: its title, summary and body
    /// are the English original, marked `lang="en"`, after a line saying so.
    pub in_english: bool,
    pub title: &'a str,
    pub summary: &'a str,
    pub date: &'a str,
    pub url: &'a str,
    /// The body as the page renders it (the page's link safety), links made
    /// absolute by `absolute_links`.
    pub html: &'a str,
    pub text: &'a str,
    /// The change note, when this is an update of an alert sent before.
    pub update: Option<Update<'a>>,
    /// A test send (`make test-email`): the subject says `[Test]` and the
    /// first paragraph that no subscriber got it.
    pub test: bool,
}

/// A change note as mailed: `Updated <date>: <note>`.
#[derive(Clone, Copy)]
pub struct Update<'a> {
    pub date: &'a str,
    /// Plain text (escaped in the HTML part), in English: change notes
    /// are not translated.
    pub note: &'a str,
}

/// `Updated <date>: ` in `lang`.
fn updated(lang: Lang, u: &Update<'_>) -> String {
    format!("{}: ", fill(lang.strings().updated, u.date))
}

/// The change note's paragraph, first in an update (and in a digest's
/// item); the note marked as English in a mail in another language.
fn update_html(lang: Lang, u: &Update<'_>) -> Markup {
    let en = (lang != Lang::En).then_some("en");
    // Physical sides: mail clients know few logical properties.
    let style = match lang.dir() {
        "rtl" => "border-right: 4px solid #0b3d6e; padding-right: 0.75em",
        _ => "border-left: 4px solid #0b3d6e; padding-left: 0.75em",
    };
    html! {
        p style=(style) {
            strong { (updated(lang, u)) } span lang=[en] { (u.note) }
        }
    }
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("localhost", |(_, d)| d)
}

/// The list's id (RFC 2919): the site's host.
pub fn list_id(site: &Site) -> String {
    let host = site
        .url
        .split("://")
        .nth(1)
        .unwrap_or("localhost")
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    host.to_string()
}

/// Makes a rendered body's site-relative links (`href="/..."`,
/// `src="/..."`) absolute, since a mail client has no page to resolve
/// them against. Protocol-relative (`//host`) links are left as they are.
pub fn absolute_links(html: &str, site: &Site) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("=\"/") {
        let (head, tail) = rest.split_at(at + 2);
        out.push_str(head);
        let attr_ok = head.ends_with("href=\"") || head.ends_with("src=\"");
        if attr_ok && !tail.starts_with("//") {
            out.push_str(&site.url);
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn check(headers: &[(&'static str, &str)], to: &str) -> Result<(), UnsafeHeader> {
    for (header, value) in headers {
        if !is_safe_header_value(value) {
            return Err(UnsafeHeader(header));
        }
    }
    if !is_sendable_email(to) {
        return Err(UnsafeHeader("To"));
    }
    Ok(())
}

fn base<'x>(e: &'x Envelope<'x>, subject: &'x str) -> Result<MessageBuilder<'x>, UnsafeHeader> {
    check(
        &[
            ("From", &e.site.name),
            ("From", e.from),
            ("To", e.to),
            ("Subject", subject),
        ],
        e.to,
    )?;
    if !e.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(UnsafeHeader("Message-ID"));
    }
    Ok(MessageBuilder::new()
        .from(Address::new_address(Some(e.site.name.as_str()), e.from))
        .to(Address::new_address(None::<&str>, e.to))
        .subject(subject)
        .message_id(MessageId::new(format!("{}@{}", e.id, domain_of(e.from))))
        .date(e.unix_time))
}

fn list_headers<'x>(
    m: MessageBuilder<'x>,
    e: &Envelope<'_>,
    l: &Links<'_>,
) -> Result<MessageBuilder<'x>, UnsafeHeader> {
    check(&[("List-Unsubscribe", l.unsubscribe)], e.to)?;
    Ok(m.header(
        "List-Id",
        Raw::new(format!("{} <{}>", e.site.name, list_id(e.site))),
    )
    .header("List-Unsubscribe", Raw::new(format!("<{}>", l.unsubscribe)))
    .header(
        "List-Unsubscribe-Post",
        Raw::new("List-Unsubscribe=One-Click"),
    ))
}

/// The text and HTML parts, as `multipart/alternative` with a boundary
/// made from the message's id: mail-builder would make one from the system
/// clock, which does not exist in wasm.
fn parts<'x>(m: MessageBuilder<'x>, id: &str, text: String, html: String) -> MessageBuilder<'x> {
    use mail_builder::headers::content_type::ContentType;
    use mail_builder::mime::MimePart;
    let boundary = format!("alt-{id}-{:x}", text.len() ^ html.len() << 8);
    m.body(MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary),
        vec![
            MimePart::new("text/plain", text),
            MimePart::new("text/html", html),
        ],
    ))
}

fn html_doc(lang: Lang, title: &str, main: Markup, l: Option<&Links<'_>>) -> String {
    let t = lang.mail_strings();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="font-family: Georgia, serif; color: #1a1a1a; max-width: 40em; margin: 0 auto; padding: 1em; line-height: 1.5" {
                (main)
                @if let Some(l) = l {
                    hr;
                    p style="font-size: 0.9em; color: #444" {
                        (fill(t.reason, l.reason)) " "
                        a href=(l.manage) { (t.manage) } " · "
                        a href=(l.unsubscribe) { (t.unsubscribe) }
                    }
                }
            }
        }
    }
    .into_string()
}

fn text_footer(lang: Lang, l: &Links<'_>) -> String {
    let t = lang.mail_strings();
    format!(
        "\n--\n{}\n{}: {}\n{}: {}\n",
        fill(t.reason, l.reason),
        t.manage,
        l.manage,
        t.unsubscribe,
        l.unsubscribe
    )
}

/// The confirmation request, in `lang`: one link to a page with a confirm
/// button.
pub fn confirmation(
    e: &Envelope<'_>,
    confirm_url: &str,
    choice: &str,
    lang: Lang,
) -> Result<String, UnsafeHeader> {
    let t = lang.mail_strings();
    let heading = lang.subscribe_strings().confirm_title;
    let subject = fill(t.confirm_subject, &e.site.name);
    check(&[("Body", confirm_url)], e.to)?;
    let asked = fill(&fill(t.confirm_asked, &e.site.name), choice);
    let text = format!(
        "{asked}\n\n{}\n{confirm_url}\n\n{}\n",
        t.confirm_open, t.confirm_ignore
    );
    let html = html_doc(
        lang,
        &subject,
        html! {
            h1 style="font-size: 1.3em" { (heading) }
            p { (asked) }
            p { a href=(confirm_url) { (heading) } " " (t.confirm_link_works) }
            p { (t.confirm_ignore) }
        },
        None,
    );
    parts(base(e, &subject)?, e.id, text, html)
        .write_to_string()
        .map_err(|_| UnsafeHeader("body"))
}

/// One alert, the moment it goes live; or, with a change note, an update
/// of it (`Updated: <title>`, the note first, then the alert).
pub fn alert(e: &Envelope<'_>, a: &AlertMail<'_>, l: &Links<'_>) -> Result<String, UnsafeHeader> {
    check(&[("Subject", a.title), ("Body", a.url)], e.to)?;
    let t = a.lang.mail_strings();
    let subject = match a.update {
        Some(_) => fill(t.update_subject, a.title),
        None => a.title.to_string(),
    };
    let subject = if a.test {
        format!("[Test] {subject}")
    } else {
        subject
    };
    let update = a
        .update
        .map(|u| format!("{}{}\n\n", updated(a.lang, &u), u.note))
        .unwrap_or_default();
    let mut notice = String::new();
    if a.test {
        notice = format!("{}\n\n", t.test_notice);
    }
    if a.in_english {
        notice = format!("{notice}{}\n\n", t.not_translated);
    }
    let text = format!(
        "{notice}{update}{title}\n{date}\n\n{summary}\n\n{body}\n{read}: {url}\n{footer}",
        title = a.title,
        date = a.date,
        summary = a.summary,
        body = a.text,
        read = t.read_on_site,
        url = a.url,
        footer = text_footer(a.lang, l),
    );
    // The alert's own words, in English when it has no translation.
    let (en, ltr) = match a.in_english {
        true => (Some("en"), Some("ltr")),
        false => (None, None),
    };
    let html = html_doc(
        a.lang,
        &subject,
        html! {
            @if a.test { p style="border: 2px solid #8a4b00; padding: 0.5em; color: #1a1a1a" { strong { (t.test_notice) } } }
            @if a.in_english { p { em { (t.not_translated) } } }
            @if let Some(u) = &a.update { (update_html(a.lang, u)) }
            div lang=[en] dir=[ltr] {
                h1 style="font-size: 1.4em" { a href=(a.url) style="color: #1a1a1a" { (a.title) } }
                p style="color: #444" { (a.date) }
                p { strong { (a.summary) } }
                (PreEscaped(a.html))
            }
            p { a href=(a.url) { (t.read_on_site) } }
        },
        Some(l),
    );
    parts(list_headers(base(e, &subject)?, e, l)?, e.id, text, html)
        .write_to_string()
        .map_err(|_| UnsafeHeader("body"))
}

/// One item of a digest.
pub struct DigestItem<'a> {
    /// No translation in the digest's language: title and summary are
    /// English, marked so.
    pub in_english: bool,
    pub title: &'a str,
    pub summary: &'a str,
    pub date: &'a str,
    pub url: &'a str,
    /// For an alert of an earlier week updated in this one: its newest
    /// change note of the week.
    pub update: Option<Update<'a>>,
}

/// The weekly digest, in `lang`: the week's alerts matching the
/// subscriber's topics.
pub fn digest(
    e: &Envelope<'_>,
    week: &str,
    items: &[DigestItem<'_>],
    l: &Links<'_>,
    lang: Lang,
) -> Result<String, UnsafeHeader> {
    let t = lang.mail_strings();
    let only_english = lang.strings().only_in_english;
    let subject = fill(&fill(t.digest_subject, &e.site.name), week);
    for i in items {
        check(&[("Body", i.url)], e.to)?;
    }
    let mut text = format!("{subject}\n\n");
    for i in items {
        let update = i
            .update
            .map(|u| format!("{}{}\n", updated(lang, &u), u.note))
            .unwrap_or_default();
        let mark = match i.in_english {
            true => format!(" ({only_english})"),
            false => String::new(),
        };
        text.push_str(&format!(
            "{}{mark}\n{}\n{update}{}\n{}\n\n",
            i.title, i.date, i.summary, i.url
        ));
    }
    text.push_str(&text_footer(lang, l));
    let html = html_doc(
        lang,
        &subject,
        html! {
            h1 style="font-size: 1.3em" { (t.digest_heading) }
            @for i in items {
                @let en = i.in_english.then_some("en");
                h2 style="font-size: 1.1em" {
                    a href=(i.url) lang=[en] hreflang=[en] { (i.title) }
                    @if i.in_english { " " small { "(" (only_english) ")" } }
                }
                p style="color: #444" { (i.date) }
                @if let Some(u) = &i.update { (update_html(lang, u)) }
                p lang=[en] { (i.summary) }
            }
        },
        Some(l),
    );
    parts(list_headers(base(e, &subject)?, e, l)?, e.id, text, html)
        .write_to_string()
        .map_err(|_| UnsafeHeader("body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::new("https://alerts.example.org", "Access Alerts")
    }

    fn envelope<'a>(site: &'a Site, to: &'a str) -> Envelope<'a> {
        Envelope {
            site,
            from: "alerts@example.org",
            to,
            id: "a1-b2",
            unix_time: 1_733_011_200,
        }
    }

    const LINKS: Links<'static> = Links {
        manage: "https://alerts.example.org/subscription?t=x.0.y",
        unsubscribe: "https://alerts.example.org/unsubscribe?t=x.0.y",
        reason: "Opinion",
    };

    fn mail<'a>(title: &'a str) -> AlertMail<'a> {
        AlertMail {
            lang: Lang::En,
            in_english: false,
            test: false,
            title,
            summary: "Summary.",
            date: "1 November 2024",
            url: "https://alerts.example.org/alerts/a/",
            html: "<p>Body <a href=\"https://alerts.example.org/x\">x</a></p>",
            text: "Body x\n",
            update: None,
        }
    }

    #[test]
    fn an_alert_has_both_parts_its_reason_and_one_click_unsubscribe() {
        let s = site();
        let raw = alert(
            &envelope(&s, "ada@example.org"),
            &mail("Access Alert: OEWG"),
            &LINKS,
        )
        .unwrap();
        assert!(raw.contains("Subject: Access Alert: OEWG\r\n"), "{raw}");
        assert!(
            raw.contains("List-Unsubscribe: <https://alerts.example.org/unsubscribe?t=x.0.y>\r\n")
        );
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        assert!(raw.contains("List-Id: Access Alerts <alerts.example.org>\r\n"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("you subscribed to: Opinion"));
        assert!(raw.contains("Message-ID: <a1-b2@example.org>"));
    }

    #[test]
    fn an_update_says_so_in_its_subject_and_puts_the_note_first() {
        let s = site();
        let update = AlertMail {
            test: false,
            update: Some(Update {
                date: "27 Nov 2024",
                note: "Corrected the deadline <for comments> to 6 December.",
            }),
            ..mail("Access Alert: OEWG")
        };
        let raw = alert(&envelope(&s, "ada@example.org"), &update, &LINKS).unwrap();
        // Quoted-printable, read back (ASCII only here).
        let raw = raw.replace("=\r\n", "").replace("=3D", "=");
        assert!(
            raw.contains("Subject: Updated: Access Alert: OEWG\r\n"),
            "{raw}"
        );
        let text_at = raw.find("text/plain").unwrap();
        let text = &raw[text_at..raw.find("text/html").unwrap()];
        let note = text
            .find("Updated 27 Nov 2024: Corrected the deadline")
            .unwrap();
        assert!(note < text.find("Access Alert: OEWG").unwrap(), "{text}");
        let html = &raw[raw.find("text/html").unwrap()..];
        assert!(
            html.contains("Corrected the deadline &lt;for comments&gt;"),
            "escaped: {html}"
        );
        assert!(
            html.find("Updated 27 Nov 2024").unwrap() < html.find("<h1").unwrap(),
            "{html}"
        );
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    }

    #[test]
    fn header_injection_is_refused_in_every_field_a_reader_or_editor_controls() {
        let s = site();
        for to in [
            "ada@example.org\r\nBcc: x@example.org",
            "ada@example.org\nBcc: x@example.org",
            "a\u{202E}@example.org",
        ] {
            assert!(
                alert(&envelope(&s, to), &mail("T"), &LINKS).is_err(),
                "{to:?}"
            );
            assert!(
                confirmation(&envelope(&s, to), "https://x/", "every alert", Lang::En).is_err()
            );
        }
        for title in ["T\r\nBcc: x@example.org", "T\nX: y", "T\u{0}", "T\u{2066}"] {
            assert_eq!(
                alert(&envelope(&s, "ada@example.org"), &mail(title), &LINKS),
                Err(UnsafeHeader("Subject")),
                "{title:?}"
            );
        }
        let bad = Links {
            unsubscribe: "https://x/\r\nBcc: x@example.org",
            ..LINKS
        };
        assert_eq!(
            alert(&envelope(&s, "ada@example.org"), &mail("T"), &bad),
            Err(UnsafeHeader("List-Unsubscribe"))
        );
        let evil_site = Site::new("https://alerts.example.org", "A\r\nBcc: x@example.org");
        assert_eq!(
            digest(
                &envelope(&evil_site, "ada@example.org"),
                "2024-W48",
                &[],
                &LINKS,
                Lang::En
            ),
            Err(UnsafeHeader("From"))
        );
    }

    #[test]
    fn relative_links_become_absolute() {
        let s = site();
        assert_eq!(
            absolute_links(
                r#"<a href="/alerts/x/">x</a><img src="/i.png"><a href="//cdn.example.org/">c</a><p title="/x">"#,
                &s
            ),
            r#"<a href="https://alerts.example.org/alerts/x/">x</a><img src="https://alerts.example.org/i.png"><a href="//cdn.example.org/">c</a><p title="/x">"#
        );
    }
}
