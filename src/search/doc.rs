//! An alert's search document (`doc:<slug>`, and `doc:<lang>:<slug>` for
//! each translation): the text a search result is
//! checked against and cut into a snippet, written by the publisher with
//! the alert's record (one of the alert's own keys) so that a query reads
//! plain text instead of parsing each result's record (JSON) and body
//! (Markdown): that was most of a query's own CPU.
//!
//! The format is lines, split rather than parsed:
//! `<date>\t<category>\t<title>[\t<tag>]...`, then the summary, then the
//! body as plain text
//! (`crate::markdown::plain_text`) to the end. Tabs and line breaks in the
//! first two lines are written as spaces.

use crate::content::AlertRecord;
use crate::i18n::Lang;
use crate::search::index::{self, Field};

/// What search needs of one alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub slug: String,
    /// Unix seconds.
    pub date: i64,
    pub category: Option<String>,
    pub title: String,
    pub tags: Vec<String>,
    pub summary: String,
    /// The body as plain text.
    pub body: String,
}

fn clean(t: &str) -> String {
    t.replace(['\t', '\n', '\r'], " ")
}

impl SearchDoc {
    /// The document of a record (the publisher's side).
    pub fn of(r: &AlertRecord) -> SearchDoc {
        SearchDoc {
            title: r.title.clone(),
            summary: r.summary.clone(),
            body: crate::markdown::plain_text(&r.body),
            ..SearchDoc::of_head(r)
        }
    }

    /// The document of a record's version in `lang` (the publisher's
    /// side): its translation's title, summary and body with the source's
    /// date, category and tags; `None` when it has no such translation.
    pub fn in_lang(r: &AlertRecord, lang: Lang) -> Option<SearchDoc> {
        if lang == Lang::En {
            return Some(SearchDoc::of(r));
        }
        let t = r.translations.iter().find(|t| t.lang == lang)?;
        Some(SearchDoc {
            title: t.title.clone(),
            summary: t.summary.clone(),
            body: crate::markdown::plain_text(&t.body.text()),
            ..SearchDoc::of_head(r)
        })
    }

    /// The record's date, category and tags, with no text.
    fn of_head(r: &AlertRecord) -> SearchDoc {
        SearchDoc {
            slug: r.slug.clone(),
            date: r.date.timestamp(),
            category: r.category.clone(),
            title: String::new(),
            tags: r.tags.clone(),
            summary: String::new(),
            body: String::new(),
        }
    }

    /// The stored text.
    pub fn render(&self) -> String {
        let mut head = format!(
            "{}\t{}\t{}",
            self.date,
            clean(self.category.as_deref().unwrap_or_default()),
            clean(&self.title)
        );
        for t in &self.tags {
            head.push('\t');
            head.push_str(&clean(t));
        }
        format!("{head}\n{}\n{}", clean(&self.summary), self.body)
    }

    /// Reads the stored text of `slug`'s document; `None` when malformed.
    pub fn parse(slug: &str, text: &str) -> Option<SearchDoc> {
        let mut lines = text.splitn(3, '\n');
        let (head, summary, body) = (lines.next()?, lines.next()?, lines.next()?);
        let mut f = head.split('\t');
        let date = f.next()?.parse().ok()?;
        let category = Some(f.next()?)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let title = f.next()?.to_string();
        Some(SearchDoc {
            slug: slug.to_string(),
            date,
            category,
            title,
            tags: f.map(str::to_string).collect(),
            summary: summary.to_string(),
            body: body.to_string(),
        })
    }

    /// Title, tags (with the category) and summary: the fields analysed
    /// before the body.
    pub fn fields_but_body(&self) -> [(Field, String); 3] {
        let [title, tags, summary, _] = index::fields_of(
            &self.title,
            self.category.as_deref(),
            &self.tags,
            &self.summary,
            String::new(),
        );
        [title, tags, summary]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_document_reads_back_what_search_needs_as_plain_text() {
        let r = AlertRecord {
            category: Some("UN OEWG".into()),
            tags: vec!["Mexico".into(), "Tele\tcoms".into()],
            summary: "Two\nlines".into(),
            ..AlertRecord::new(
                "doc-alert",
                "A title",
                Utc.with_ymd_and_hms(2024, 11, 26, 0, 0, 0).unwrap(),
                "Some *emphasis* and a [link](https://example.org).\n\nA second paragraph.",
            )
        };
        let doc = SearchDoc::of(&r);
        let back = SearchDoc::parse("doc-alert", &doc.render()).unwrap();
        assert_eq!(back.date, r.date.timestamp());
        assert_eq!(back.category.as_deref(), Some("UN OEWG"));
        assert_eq!(back.tags, ["Mexico", "Tele coms"]);
        assert_eq!(back.summary, "Two lines");
        assert!(
            back.body.contains("Some emphasis and a link"),
            "{}",
            back.body
        );
        assert!(back.body.contains("A second paragraph."));
        assert!(!back.body.contains('*') && !back.body.contains("https://"));
        let [_, tags, _] = back.fields_but_body();
        assert_eq!(tags.1, "UN OEWG\nMexico\nTele coms");
        let no_category = SearchDoc {
            category: None,
            tags: vec![],
            ..back
        };
        assert_eq!(
            SearchDoc::parse("doc-alert", &no_category.render()),
            Some(no_category)
        );
        assert_eq!(SearchDoc::parse("x", "not a date\tc\tt\ns\nb"), None);
        assert_eq!(SearchDoc::parse("x", "1\tc\tt"), None, "no summary line");
    }
}
