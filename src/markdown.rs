//! Markdown to HTML with pulldown-cmark, rewritten in one pass over the event
//! stream for safety and navigation:
//! - raw HTML (blocks and inline) becomes text: it is shown, never passed through;
//! - link and image URLs other than http, https, mailto and relative ones are
//!   made inert: the link text (or the image's alt text) stays, the URL goes,
//!   and a [`Warning`] records where;
//! - external (absolute http/https) links get `rel="noopener"`;
//! - headings get unique ids and a self-link.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use std::collections::HashSet;

/// The result of rendering: the HTML and what an editor should be told.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub warnings: Vec<Warning>,
}

/// A problem found while rendering, located by byte offset in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub offset: usize,
    pub message: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The kind of URL a link or image points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// No scheme: a path, a fragment or a query.
    Relative,
    /// `http:`, `https:` or protocol-relative `//host`.
    External,
    /// `mailto:`.
    Mail,
    /// Any other scheme (`javascript:`, `data:`, `vbscript:`...): never linked.
    Unsafe,
}

/// Classifies a URL the way a browser would read its scheme: leading and
/// trailing control characters and spaces are ignored, tabs and newlines
/// anywhere are removed, and the scheme is compared without case.
pub fn classify_url(url: &str) -> UrlKind {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.starts_with("//") {
        return UrlKind::External;
    }
    let Some(colon) = cleaned.find(':') else {
        return UrlKind::Relative;
    };
    if cleaned[..colon].contains(['/', '?', '#']) {
        return UrlKind::Relative;
    }
    match cleaned[..colon].to_ascii_lowercase().as_str() {
        "http" | "https" => UrlKind::External,
        "mailto" => UrlKind::Mail,
        _ => UrlKind::Unsafe,
    }
}

/// Renders Markdown to HTML (see the module documentation for the rewrites).
pub fn render(markdown: &str) -> Rendered {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let mut warnings = Vec::new();
    let mut out: Vec<Event> = Vec::new();
    // For each open link: whether its start tag was dropped or replaced.
    let mut links: Vec<LinkEnd> = Vec::new();
    let mut images: Vec<bool> = Vec::new();
    let mut heading: Option<(HeadingLevel, Vec<Event>)> = None;
    let mut used_ids: HashSet<String> = HashSet::new();

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => match classify_url(&dest_url) {
                UrlKind::Unsafe => {
                    warnings.push(unsafe_warning(range.start, "link", &dest_url));
                    links.push(LinkEnd::Dropped);
                    None
                }
                UrlKind::External if link_type != LinkType::Email => {
                    links.push(LinkEnd::Html);
                    Some(Event::Html(external_link(&dest_url, &title).into()))
                }
                _ => {
                    links.push(LinkEnd::Kept);
                    Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id: CowStr::Borrowed(""),
                    }))
                }
            },
            Event::End(TagEnd::Link) => match links.pop() {
                Some(LinkEnd::Dropped) => None,
                Some(LinkEnd::Html) => Some(Event::Html("</a>".into())),
                _ => Some(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let unsafe_url = classify_url(&dest_url) == UrlKind::Unsafe;
                images.push(unsafe_url);
                if unsafe_url {
                    warnings.push(unsafe_warning(range.start, "image", &dest_url));
                    None
                } else {
                    Some(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }))
                }
            }
            Event::End(TagEnd::Image) => {
                if images.pop() == Some(true) {
                    None
                } else {
                    Some(Event::End(TagEnd::Image))
                }
            }
            other => Some(other),
        };
        let Some(event) = event else { continue };
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, inner)) = heading.take() {
                    push_heading(&mut out, level, inner, &mut used_ids);
                }
            }
            e => match heading.as_mut() {
                Some((_, inner)) => inner.push(e),
                None => out.push(e),
            },
        }
    }
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered { html, warnings }
}

enum LinkEnd {
    Kept,
    Html,
    Dropped,
}

fn unsafe_warning(offset: usize, what: &str, url: &str) -> Warning {
    let shown: String = url.chars().take(60).collect();
    Warning {
        offset,
        message: format!(
            "{what} URL {shown:?} is not http, https, mailto or relative; rendered as plain text"
        ),
    }
}

fn external_link(href: &str, title: &str) -> String {
    let mut s = String::from("<a href=\"");
    let _ = escape_href(&mut s, href);
    s.push('"');
    if !title.is_empty() {
        s.push_str(" title=\"");
        let _ = escape_html(&mut s, title);
        s.push('"');
    }
    s.push_str(" rel=\"noopener\">");
    s
}

fn push_heading<'a>(
    out: &mut Vec<Event<'a>>,
    level: HeadingLevel,
    inner: Vec<Event<'a>>,
    used: &mut HashSet<String>,
) {
    let mut text = String::new();
    for e in &inner {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    let base = match crate::keys::name_slug(&text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    let mut anchor = String::from("<a class=\"anchor\" href=\"#");
    let _ = escape_href(&mut anchor, &id);
    anchor.push_str("\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
    out.push(Event::Start(Tag::Heading {
        level,
        id: Some(id.into()),
        classes: Vec::new(),
        attrs: Vec::new(),
    }));
    out.extend(inner);
    out.push(Event::Html(anchor.into()));
    out.push(Event::End(TagEnd::Heading(level)));
}

/// The plain text of the first paragraph: the summary when none is given.
pub fn first_paragraph(markdown: &str) -> String {
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("https://example.org", UrlKind::External)]
    #[test_case("//cdn.example.org/x", UrlKind::External)]
    #[test_case("HTTP://EXAMPLE.ORG", UrlKind::External)]
    #[test_case("mailto:a@example.org", UrlKind::Mail)]
    #[test_case("/alerts/x", UrlKind::Relative)]
    #[test_case("#footnote", UrlKind::Relative)]
    #[test_case("page?x=a:b", UrlKind::Relative)]
    #[test_case("javascript:alert(1)", UrlKind::Unsafe)]
    #[test_case("JaVaScRiPt:alert(1)", UrlKind::Unsafe)]
    #[test_case("java\tscript:alert(1)", UrlKind::Unsafe)]
    #[test_case("java\nscript:alert(1)", UrlKind::Unsafe)]
    #[test_case(" \u{1}javascript:alert(1)", UrlKind::Unsafe)]
    #[test_case("data:text/html;base64,PHNjcmlwdD4=", UrlKind::Unsafe)]
    #[test_case("vbscript:msgbox", UrlKind::Unsafe)]
    fn can_classify_urls(url: &str, kind: UrlKind) {
        assert_eq!(classify_url(url), kind);
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let r = render("<script>alert(1)</script>\n\nHello <b onclick=x>there</b>");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(r.html.contains("&lt;b onclick=x&gt;there&lt;/b&gt;"));
    }

    #[test]
    fn dangerous_links_are_inert_with_text_kept() {
        let md = "Intro\n\n[click me](javascript:alert(1)) and ![pic](data:image/png;base64,AA)";
        let r = render(md);
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(r.html.contains("click me"));
        assert!(r.html.contains("pic"));
        assert_eq!(r.warnings.len(), 2);
        assert_eq!(line_of(md, r.warnings[0].offset), 3);
    }

    #[test]
    fn external_links_get_noopener_and_internal_do_not() {
        let r = render("[a](https://example.org/?q=\"x\") [b](/alerts/x)");
        assert!(
            r.html
                .contains(r#"<a href="https://example.org/?q=%22x%22" rel="noopener">a</a>"#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"<a href="/alerts/x">b</a>"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let r = render("## Next steps\n\n## Next steps\n\n### `code` & more");
        assert!(
            r.html.contains(
                r##"<h2 id="next-steps">Next steps<a class="anchor" href="#next-steps""##
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h2 id="next-steps-2">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h3 id="code-more">"#), "{}", r.html);
    }

    #[test]
    fn extensions_are_on() {
        let r = render("| a |\n|---|\n| b |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: Footnote.");
        for needle in [
            "<table>",
            "<del>old</del>",
            "\u{201c}quoted\u{201d}",
            "checkbox",
            "footnote-definition",
        ] {
            assert!(r.html.contains(needle), "missing {needle}: {}", r.html);
        }
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        assert_eq!(
            first_paragraph("# Title\n\nThe *first* line\nand `more`.\n\nSecond."),
            "The first line and more."
        );
    }

    proptest::proptest! {
        #[test]
        fn rendering_never_panics(s in "\\PC*") {
            let _ = render(&s);
            let _ = first_paragraph(&s);
        }

        #[test]
        fn rendered_html_never_contains_raw_tags(s in "[<>a-z/ =\"'\\[\\]():!#\n]{0,80}") {
            let r = render(&s);
            proptest::prop_assert!(!r.html.contains("<script"));
            proptest::prop_assert!(!r.html.to_ascii_lowercase().contains("href=\"javascript"));
        }
    }
}
