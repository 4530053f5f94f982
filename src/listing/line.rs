//! One entry's line in a listing's chunk (the format is `super`'s):
//! written by the publisher (`chunk_line`), split by the Worker (`line`,
//! then `meta` for the lines a page shows).

use crate::content::{EntryText, ListingEntry, ListingMeta};
use crate::i18n::Lang;

/// One line of a chunk, the rest of its fields still unsplit.
pub(super) struct Line<'a> {
    pub(super) date: i64,
    pub(super) slug: &'a str,
    pub(super) rest: &'a str,
}

pub(super) fn line(l: &str) -> Option<Line<'_>> {
    let mut f = l.splitn(3, '\t');
    Some(Line {
        date: f.next()?.parse().ok()?,
        slug: f.next()?,
        rest: f.next()?,
    })
}

/// The listing metadata of a line's other fields.
pub(super) fn meta(date: i64, rest: &str) -> Option<ListingMeta> {
    let mut f = rest.split('\t');
    let hash = f.next()?.to_string();
    let updated = match f.next()? {
        "" => None,
        u => Some(u.parse().ok()?),
    };
    let category = Some(f.next()?)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let title = f.next()?.to_string();
    let summary = f.next()?.to_string();
    let (mut tags, mut texts) = (Vec::new(), Vec::new());
    for field in f {
        match field.split_once(TEXT_SEP) {
            None => tags.push(field.to_string()),
            Some((code, rest)) => {
                let (title, summary) = rest.split_once(TEXT_SEP)?;
                texts.push(EntryText {
                    lang: Lang::translated(code)?,
                    title: title.to_string(),
                    summary: summary.to_string(),
                });
            }
        }
    }
    Some(ListingMeta {
        title,
        date,
        hash,
        updated,
        category,
        tags,
        summary,
        texts,
    })
}

/// Separates a translation's language, title and summary within its field
/// of a chunk line (a field without it is a tag).
const TEXT_SEP: char = '\u{1f}';

/// One chunk line for an entry.
pub fn chunk_line(e: &ListingEntry) -> String {
    let clean = |t: &str| t.replace(['\t', '\n', '\r', TEXT_SEP], " ");
    let m = &e.meta;
    let mut line = format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        m.date,
        e.slug,
        m.hash,
        m.updated.map(|u| u.to_string()).unwrap_or_default(),
        clean(m.category.as_deref().unwrap_or_default()),
        clean(&m.title),
        clean(&m.summary)
    );
    for tag in &m.tags {
        line.push('\t');
        line.push_str(&clean(tag));
    }
    for t in &m.texts {
        let (title, summary) = (clean(&t.title), clean(&t.summary));
        line.push_str(&format!(
            "\t{}{TEXT_SEP}{title}{TEXT_SEP}{summary}",
            t.lang.code()
        ));
    }
    line.push('\n');
    line
}
