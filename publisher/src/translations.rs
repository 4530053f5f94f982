//! The editors' view of translations (`make translations`): per alert, the
//! languages it exists in, the ones missing and the ones outdated (made
//! before the English source's latest update).

use crate::load::LANGUAGES;
use crate::model::Content;

/// One alert's line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub slug: String,
    /// Translations that exist and are up to date, in `LANGUAGES` order.
    pub current: Vec<&'static str>,
    /// Translations made before the source's latest update.
    pub outdated: Vec<&'static str>,
    pub missing: Vec<&'static str>,
}

/// The report's rows, one per alert (drafts included), by slug.
pub fn report(content: &Content) -> Vec<Row> {
    let mut rows: Vec<Row> = content
        .alerts
        .iter()
        .map(|a| {
            let r = &a.record;
            let mut row = Row {
                slug: r.slug.clone(),
                current: Vec::new(),
                outdated: Vec::new(),
                missing: Vec::new(),
            };
            for lang in LANGUAGES {
                let t = content
                    .translations
                    .iter()
                    .find(|t| t.slug == r.slug && t.lang == lang);
                match t {
                    None => row.missing.push(lang),
                    Some(t) if r.last_update().is_some_and(|u| u > t.translated) => {
                        row.outdated.push(lang)
                    }
                    Some(_) => row.current.push(lang),
                }
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| a.slug.cmp(&b.slug));
    rows
}

/// The report as text: a line per alert, then a total.
pub fn render(rows: &[Row]) -> String {
    let list = |l: &[&str]| {
        if l.is_empty() {
            "-".to_string()
        } else {
            l.join(" ")
        }
    };
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!(
            "{}\n  translated: {}\n  outdated:   {}\n  missing:    {}\n",
            r.slug,
            list(&r.current),
            list(&r.outdated),
            list(&r.missing)
        ));
    }
    let count = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    out.push_str(&format!(
        "{} alerts: {} translations up to date, {} outdated, {} missing (languages: en, {})\n",
        rows.len(),
        count(|r| r.current.len()),
        count(|r| r.outdated.len()),
        count(|r| r.missing.len()),
        LANGUAGES.join(", ")
    ));
    out
}
