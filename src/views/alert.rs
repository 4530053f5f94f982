//! The article page: `/alerts/<slug>` and previews.

use super::{card, dateline_in, layout, switcher, CardLevel, Head, Site};
use crate::content::{AlertRecord, ListingEntry};
use crate::dates::{human_date, rfc3339, YearMonth};
use crate::i18n::{date_in, fill, month_in, Kind, Lang, Names};
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
    /// The page's language: English, or one of the alert's translations
    /// (`body_html` is that translation's).
    pub lang: Lang,
    /// Category and tag names in the page's language (none in English).
    pub names: &'a Names,
}

/// What the page says in its language: the translation's title, summary,
/// contact note and image text, or the source's.
struct Texts<'a> {
    title: &'a str,
    summary: &'a str,
    contact_note: Option<&'a str>,
    image_alt: Option<&'a str>,
    translated: Option<DateTime<Utc>>,
}

impl<'a> Texts<'a> {
    fn of(a: &'a AlertRecord, lang: Lang) -> Self {
        match a.translation(lang) {
            Some(t) => Texts {
                title: &t.title,
                summary: &t.summary,
                contact_note: t.contact_note.as_deref().or(a.contact_note.as_deref()),
                image_alt: t.image_alt.as_deref().or(a.image_alt.as_deref()),
                translated: Some(t.translated),
            },
            None => Texts {
                title: &a.title,
                summary: &a.summary,
                contact_note: a.contact_note.as_deref(),
                image_alt: a.image_alt.as_deref(),
                translated: None,
            },
        }
    }
}

/// Every version of the alert (its languages) with its path.
pub fn alternates(a: &AlertRecord) -> Vec<(Lang, String)> {
    Route::Alert(&a.slug).versions(&a.languages())
}

/// The article page: `/alerts/<slug>`, `/<lang>/alerts/<slug>` (and
/// previews).
pub fn alert_page(site: &Site, page: &AlertPage) -> Markup {
    let a = page.alert;
    let lang = page.lang;
    let t = lang.strings();
    let x = Texts::of(a, lang);
    let path = routes::alert_path_in(lang, &a.slug);
    let image = a.image.as_deref().map(|i| {
        if i.starts_with('/') {
            site.abs(i)
        } else {
            i.to_string()
        }
    });
    let month = YearMonth::of(a.date);
    let json_ld = news_article_ld(site, a, &x, lang, &path, image.as_deref(), page.now);
    let versions = alternates(a);
    let head = Head {
        path: Some(&path),
        noindex: page.preview,
        og_type: "article",
        image: image.as_deref(),
        json_ld: Some(json_ld),
        lang,
        alternates: if page.preview {
            Vec::new()
        } else {
            versions.clone()
        },
        ..Head::new(x.title, x.summary)
    };
    // Links to English-only pages and English text on a translated page.
    let en = (lang != Lang::En).then_some("en");
    let outdated = x
        .translated
        .and_then(|made| a.updated_at(page.now).filter(|u| *u > made));
    let main = html! {
        article.alert {
            @if page.preview {
                p.notice role="status" {
                    @if a.draft { "Preview of a draft: not public." }
                    @else { "Preview: scheduled for " (human_date(a.date)) ", not public yet." }
                }
            }
            header {
                h1 { (x.title) }
                (dateline_in(lang, page.names, a.date, &a.category))
                p.archive-link { a href=(Route::Archive(month.year, month.month).in_lang(lang).path()) { (fill(t.more_from, &month_in(lang, month.year, month.month))) } }
                (updates(a, page.now, lang))
                @if versions.len() > 1 && !page.preview {
                    (switcher(&versions, lang, t))
                }
            }
            @if let Some(u) = outdated {
                p.notice.outdated role="note" {
                    (fill(t.outdated, &date_in(lang, u))) " "
                    a href=(routes::alert_path(&a.slug)) hreflang="en" lang=[en] { (t.read_english) }
                }
            }
            @if let (Some(src), Some(alt)) = (&image, x.image_alt) {
                img.lead src=(src) alt=(alt);
            }
            div.body { (PreEscaped(page.body_html)) }
            @if !a.tags.is_empty() {
                ul.tags aria-label=(t.tags) {
                    @for tag in &a.tags {
                        @let shown = page.names.shown(Kind::Tag, lang, tag);
                        li { a href=(routes::tag_path_in(lang, tag)) lang=[shown.lang] { (shown.text) } }
                    }
                }
            }
            @if !a.contacts.is_empty() {
                section.contacts aria-labelledby="contacts-heading" {
                    h2 #contacts-heading { (t.contacts) }
                    @if let Some(note) = x.contact_note { p { (note) } }
                    ul {
                        @for c in &a.contacts {
                            li {
                                a href={ (Route::Contact(lang).path()) "?to=" (c.id) } { (fill(t.write_to, &c.name)) }
                                @if let Some(role) = &c.role { span.role { ", " (kept_english(en, role)) } }
                            }
                        }
                    }
                }
            }
        }
        @if !page.related.is_empty() {
            section.related aria-labelledby="related-heading" {
                h2 #related-heading { (t.related) }
                div.cards {
                    @for r in page.related { (card(r, CardLevel::H3, lang, page.names)) }
                }
            }
        }
    };
    layout(site, &head, main)
}

/// `/<lang>/alerts/<slug>` of a public alert without that translation
/// (a 404): says so in the language asked for, and links every version
/// that exists, each in its own language.
pub fn missing_translation_page(site: &Site, a: &AlertRecord, lang: Lang) -> Markup {
    let t = lang.strings();
    let head = Head {
        noindex: true,
        lang,
        ..Head::new(t.missing_title, t.missing_text)
    };
    let main = html! {
        h1 { (t.missing_title) }
        p { (t.missing_text) }
        ul.versions {
            @for (l, path) in alternates(a) {
                li lang=(l.code()) {
                    a href=(path) hreflang=(l.code()) { (l.autonym()) }
                    ": " (Texts::of(a, l).title)
                }
            }
        }
    };
    layout(site, &head, main)
}

/// Text that stays in English: marked `lang="en"` on a translated page
/// (`en` is `Some("en")` there), as it is on an English one.
fn kept_english(en: Option<&str>, text: &str) -> Markup {
    html! {
        @if let Some(en) = en { span lang=(en) { (text) } } @else { (text) }
    }
}

/// Under the title: `Updated <date>: <note>` for the newest change note
/// that has come and, when there are more, every note in a `<details>`
/// list, newest first, down to the first publication (native disclosure:
/// no script, keyboard and screen readers as the browser gives them).
/// Without notes, a bare `updated` is `Updated <date>`, as before; with
/// notes, it is shown only when it is later than the newest. On a
/// translated page the notes stay in English (`lang="en"`).
fn updates(a: &AlertRecord, now: DateTime<Utc>, lang: Lang) -> Markup {
    let t = lang.strings();
    let notes = a.changes_at(now);
    let when = |d: DateTime<Utc>| html! { time datetime=(rfc3339(d)) { (date_in(lang, d)) } };
    // `Updated {}` around a `<time>`: the template's text either side.
    let (before, after) = t.updated.split_once("{}").unwrap_or((t.updated, ""));
    let en = (lang != Lang::En).then_some("en");
    let bare = a
        .updated
        .filter(|u| notes.last().is_none_or(|c| *u > c.date));
    html! {
        @if let Some(u) = bare {
            p.updated { (before) (when(u)) (after) }
        }
        @if let Some(latest) = notes.last() {
            p.updated.change { (before) (when(latest.date)) (after) ": " (kept_english(en, &latest.note)) }
            @if notes.len() > 1 {
                details.updates {
                    summary { (fill(t.all_updates, &notes.len().to_string())) }
                    ul {
                        @for c in notes.iter().rev() {
                            li { (when(c.date)) ": " (kept_english(en, &c.note)) }
                        }
                        li { (when(a.date)) ": " (t.first_published) }
                    }
                }
            }
        }
    }
}

fn news_article_ld(
    site: &Site,
    a: &AlertRecord,
    x: &Texts,
    lang: Lang,
    path: &str,
    image: Option<&str>,
    now: DateTime<Utc>,
) -> String {
    let rfc = rfc3339;
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": x.title,
        "description": x.summary,
        "inLanguage": lang.code(),
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
        let ld = |a: &crate::content::AlertRecord| {
            news_article_ld(
                &site,
                a,
                &Texts::of(a, Lang::En),
                Lang::En,
                "/alerts/x",
                None,
                now,
            )
        };
        assert!(!ld(&a).contains("</script"), "{}", ld(&a));
        a.title = "ok".into();
        assert!(ld(&a).contains("https://alerts.example.org/alerts/x"));
    }
}
