//! The article page: `/alerts/<slug>` and previews.

use super::{card, dateline, layout, CardLevel, Head, Site};
use crate::content::{AlertRecord, ListingEntry};
use crate::dates::{human_date, month_name, rfc3339, YearMonth};
use crate::routes::{self, Route};
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped};

/// Everything the alert page shows besides the record itself.
pub struct AlertPage<'a> {
    pub alert: &'a AlertRecord,
    pub body_html: &'a str,
    pub related: &'a [ListingEntry],
    /// A preview of a draft or scheduled alert.
    pub preview: bool,
    /// When the page is shown: change notes dated later are left out (a
    /// preview passes the end of time, and shows them all).
    pub now: DateTime<Utc>,
}

/// The article page: `/alerts/<slug>` (and previews).
pub fn alert_page(site: &Site, page: &AlertPage) -> Markup {
    let a = page.alert;
    let path = routes::alert_path(&a.slug);
    let image = a.image.as_deref().map(|i| {
        if i.starts_with('/') {
            site.abs(i)
        } else {
            i.to_string()
        }
    });
    let month = YearMonth::of(a.date);
    let json_ld = news_article_ld(site, a, &path, image.as_deref(), page.now);
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
                p.archive-link { a href=(Route::Archive(month.year, month.month).path()) { "More from " (month_name(month.year, month.month)) } }
                (updates(a, page.now))
            }
            @if let (Some(src), Some(alt)) = (&image, &a.image_alt) {
                img.lead src=(src) alt=(alt);
            }
            div.body { (PreEscaped(page.body_html)) }
            @if !a.tags.is_empty() {
                ul.tags aria-label="Tags" {
                    @for t in &a.tags {
                        li { a href=(routes::tag_path(t)) { (t) } }
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
                                a href={ (Route::Contact.path()) "?to=" (c.id) } { "Write to " (c.name) }
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
                    @for r in page.related { (card(r, CardLevel::H3)) }
                }
            }
        }
    };
    layout(site, &head, main)
}

/// Under the title: `Updated <date>: <note>` for the newest change note
/// that has come and, when there are more, every note in a `<details>`
/// list, newest first, down to the first publication (native disclosure:
/// no script, keyboard and screen readers as the browser gives them).
/// Without notes, a bare `updated` is `Updated <date>`, as before; with
/// notes, it is shown only when it is later than the newest.
fn updates(a: &AlertRecord, now: DateTime<Utc>) -> Markup {
    let notes = a.changes_at(now);
    let when = |d: DateTime<Utc>| html! { time datetime=(rfc3339(d)) { (human_date(d)) } };
    let bare = a
        .updated
        .filter(|u| notes.last().is_none_or(|c| *u > c.date));
    html! {
        @if let Some(u) = bare {
            p.updated { "Updated " (when(u)) }
        }
        @if let Some(latest) = notes.last() {
            p.updated.change { "Updated " (when(latest.date)) ": " (latest.note) }
            @if notes.len() > 1 {
                details.updates {
                    summary { "See all updates (" (notes.len()) ")" }
                    ul {
                        @for c in notes.iter().rev() {
                            li { (when(c.date)) ": " (c.note) }
                        }
                        li { (when(a.date)) ": First published." }
                    }
                }
            }
        }
    }
}

fn news_article_ld(
    site: &Site,
    a: &AlertRecord,
    path: &str,
    image: Option<&str>,
    now: DateTime<Utc>,
) -> String {
    let rfc = rfc3339;
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": rfc(a.date),
        "dateModified": rfc(a.modified_at(now)),
        "mainEntityOfPage": site.abs(path),
        "publisher": { "@type": "Organization", "name": site.name, "url": site.abs(&Route::Home.path()) },
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let site = Site::new("https://alerts.example.org/", "Alerts");
        let mut a = crate::content::AlertRecord::new(
            "x",
            "</script><script>alert(1)</script>",
            DateTime::from_timestamp(1_732_492_800, 0).unwrap(),
            "",
        );
        let now = DateTime::from_timestamp(1_733_011_200, 0).unwrap();
        let ld = news_article_ld(&site, &a, "/alerts/x", None, now);
        assert!(!ld.contains("</script"), "{ld}");
        a.title = "ok".into();
        assert!(news_article_ld(&site, &a, "/alerts/x", None, now)
            .contains("https://alerts.example.org/alerts/x"));
    }
}
