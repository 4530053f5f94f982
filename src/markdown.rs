//! Markdown to HTML with pulldown-cmark, rewritten in one pass over the event
//! stream for safety and navigation:
//! - raw HTML (blocks and inline) becomes text: it is shown, never passed through;
//! - link and image URLs other than http, https, mailto and relative ones are
//!   made inert: the link text (or the image's alt text) stays, the URL goes,
//!   and a [`Warning`] records where;
//! - external (absolute http/https) links get `rel="noopener"`;
//! - headings get unique ids and a self-link.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use std::collections::{HashSet, VecDeque};

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
    let url = url.trim_matches(|c: char| c <= ' ');
    // The scheme is what precedes the first `:`, unless a `/`, `?` or `#`
    // comes first; browsers drop tabs and newlines before reading it.
    let mut scheme = [0u8; 16];
    let mut len = 0;
    for (i, b) in url.bytes().enumerate() {
        match b {
            b'\t' | b'\n' | b'\r' => continue,
            b'/' if len == 0 => {
                let rest = url[i + 1..].trim_start_matches(['\t', '\n', '\r']);
                return if rest.starts_with('/') {
                    UrlKind::External
                } else {
                    UrlKind::Relative
                };
            }
            b'/' | b'?' | b'#' => return UrlKind::Relative,
            b':' => {
                return match &scheme[..len] {
                    b"http" | b"https" => UrlKind::External,
                    b"mailto" => UrlKind::Mail,
                    _ => UrlKind::Unsafe,
                }
            }
            _ if len < scheme.len() => {
                scheme[len] = b.to_ascii_lowercase();
                len += 1;
            }
            // A scheme longer than any we accept: unsafe if a `:` follows.
            _ => len = scheme.len(),
        }
    }
    UrlKind::Relative
}

/// Renders Markdown to HTML (see the module documentation for the rewrites).
pub fn render(markdown: &str) -> Rendered {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let mut rewriter = Rewriter {
        inner: Parser::new_ext(markdown, options()).into_offset_iter(),
        links: Vec::new(),
        images: Vec::new(),
        used_ids: RESERVED_IDS.iter().map(|id| id.to_string()).collect(),
        pending: VecDeque::new(),
        warnings: Vec::new(),
    };
    pulldown_cmark::html::push_html(&mut html, &mut rewriter);
    Rendered {
        html,
        warnings: rewriter.warnings,
    }
}

/// Ids the page around an alert's body uses itself (`crate::views`): a
/// heading never takes one of them.
pub const RESERVED_IDS: [&str; 3] = ["main", "contacts-heading", "related-heading"];

/// The prefix of footnote ids (`fn:1`): a heading's id is letters, digits
/// and hyphens only, so the two can never meet.
const FOOTNOTE_ID_PREFIX: &str = "fn:";

/// The event-stream rewrite, streaming: only a heading's events are held
/// back (its id is made from its text).
struct Rewriter<'a> {
    inner: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// For each open link: whether its start tag was kept, replaced or dropped.
    links: Vec<LinkEnd>,
    /// For each open image: whether it was dropped.
    images: Vec<bool>,
    used_ids: HashSet<String>,
    /// A finished heading's events, waiting to be handed out.
    pending: VecDeque<Event<'a>>,
    warnings: Vec<Warning>,
}

impl<'a> Rewriter<'a> {
    /// The next event after the safety rewrites (`None` inside: dropped).
    fn rewrite(&mut self, event: Event<'a>, offset: usize) -> Option<Event<'a>> {
        Some(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(format!("{FOOTNOTE_ID_PREFIX}{label}").into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(
                format!("{FOOTNOTE_ID_PREFIX}{label}").into(),
            )),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match classify_url(&dest_url) {
                UrlKind::Unsafe => {
                    self.warnings
                        .push(unsafe_warning(offset, "link", &dest_url));
                    self.links.push(LinkEnd::Dropped);
                    return None;
                }
                UrlKind::External if link_type != LinkType::Email => {
                    self.links.push(LinkEnd::Html);
                    Event::Html(external_link(&dest_url, &title).into())
                }
                _ => {
                    self.links.push(LinkEnd::Kept);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
            },
            Event::End(TagEnd::Link) => match self.links.pop() {
                Some(LinkEnd::Dropped) => return None,
                Some(LinkEnd::Html) => Event::Html("</a>".into()),
                _ => Event::End(TagEnd::Link),
            },
            Event::Start(Tag::Image { dest_url, .. })
                if classify_url(&dest_url) == UrlKind::Unsafe =>
            {
                self.warnings
                    .push(unsafe_warning(offset, "image", &dest_url));
                self.images.push(true);
                return None;
            }
            Event::Start(image @ Tag::Image { .. }) => {
                self.images.push(false);
                Event::Start(image)
            }
            Event::End(TagEnd::Image) => {
                if self.images.pop() == Some(true) {
                    return None;
                }
                Event::End(TagEnd::Image)
            }
            other => other,
        })
    }

    /// Reads a whole heading (its start tag already read) and queues it with
    /// its id and self-link.
    fn heading(&mut self, level: HeadingLevel) {
        let mut inner = Vec::new();
        while let Some((event, range)) = self.inner.next() {
            if matches!(event, Event::End(TagEnd::Heading(_))) {
                break;
            }
            if let Some(e) = self.rewrite(event, range.start) {
                inner.push(e);
            }
        }
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
        while self.used_ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used_ids.insert(id.clone());
        let mut anchor = String::from("<a class=\"anchor\" href=\"#");
        let _ = escape_href(&mut anchor, &id);
        anchor.push_str("\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
        self.pending.push_back(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
        self.pending.extend(inner);
        self.pending.push_back(Event::Html(anchor.into()));
        self.pending.push_back(Event::End(TagEnd::Heading(level)));
    }
}

impl<'a> Iterator for Rewriter<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Some(e);
            }
            let (event, range) = self.inner.next()?;
            if let Event::Start(Tag::Heading { level, .. }) = event {
                self.heading(level);
                continue;
            }
            if let Some(e) = self.rewrite(event, range.start) {
                return Some(e);
            }
        }
    }
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
    let mut s = String::with_capacity(href.len() + 32);
    s.push_str("<a href=\"");
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

/// The plain text of the whole body, block by block (one line each): what
/// search indexes and cuts its snippets from. Link targets and HTML are
/// not text.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => text.push('\n'),
            _ => {}
        }
    }
    text
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
    fn ids_never_meet_the_page_s_own_or_each_other() {
        let r = render("# Main\n\n## Contacts heading\n\n## Related heading\n\n## 1\n\nNote[^1] and[^main].\n\n[^1]: One.\n[^main]: Two.");
        let ids: Vec<&str> = r
            .html
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert_eq!(
            ids,
            [
                "main-2",
                "contacts-heading-2",
                "related-heading-2",
                "1",
                "fn:1",
                "fn:main"
            ],
            "{}",
            r.html
        );
        assert!(r.html.contains(r##"href="#fn:1""##), "{}", r.html);
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
