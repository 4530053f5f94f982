//! The file format alerts and translations share: a `+++` TOML front
//! matter split from the Markdown body, where its keys are (for messages
//! with file and line), its dates, and the characters its text may hold.

use crate::model::{problem, Problem};
use access_alerts::markdown;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::collections::HashMap;
use std::path::Path;

/// Where the front matter's keys are, for messages: each top-level key's
/// line (tables are not top-level), and each `[[changes]]` table's.
#[derive(Debug, Default)]
pub(super) struct Lines {
    pub(super) keys: HashMap<String, usize>,
    pub(super) changes: Vec<ChangeLines>,
}

/// The lines of one `[[changes]]` table: its header, its `date`, its `note`.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct ChangeLines {
    pub(super) table: usize,
    pub(super) date: Option<usize>,
    pub(super) note: Option<usize>,
}

/// Whether a front-matter line is a table header (`[x]`, `[[x]]`), not a
/// line of a multi-line array.
fn table_header(line: &str) -> Option<&str> {
    let t = line.split(" #").next().unwrap_or(line).trim();
    let name = t.strip_prefix('[')?.strip_suffix(']')?;
    (!name.contains(',')).then(|| name.trim_matches(['[', ']']).trim())
}

/// Finds the lines of the front matter's keys (its first line is the file's
/// line 2).
pub(super) fn scan_lines(front: &str) -> Lines {
    let mut lines = Lines::default();
    // None: top level; Some(true): a `[[changes]]` table; Some(false): another.
    let mut table: Option<bool> = None;
    for (i, l) in front.lines().enumerate() {
        let n = i + 2;
        if let Some(name) = table_header(l) {
            let change = l.trim_start().starts_with("[[") && name == "changes";
            if change {
                lines.changes.push(ChangeLines {
                    table: n,
                    ..ChangeLines::default()
                });
            }
            table = Some(change);
            continue;
        }
        let Some(key) = l.split('=').next().map(str::trim) else {
            continue;
        };
        if key.is_empty() || key.starts_with('#') {
            continue;
        }
        match (table, lines.changes.last_mut()) {
            (None, _) => {
                lines.keys.insert(key.to_string(), n);
            }
            (Some(true), Some(c)) if key == "date" => c.date = Some(n),
            (Some(true), Some(c)) if key == "note" => c.note = Some(n),
            _ => {}
        }
    }
    lines
}

/// The line at a byte offset of `text`, counted from `first_line`.
fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    markdown::line_of(text, offset) + first_line - 1
}

/// A character an alert's text may hold: what XML allows, less the C1
/// controls (tab and line breaks are fine).
pub(super) fn text_char(c: char) -> bool {
    access_alerts::feeds::allowed_in_xml(c) && !('\u{7F}'..='\u{9F}').contains(&c)
}

/// Converts a TOML date or datetime to UTC (a date alone is 00:00 UTC; a
/// local datetime is read as UTC).
pub(super) fn to_utc(dt: &toml::value::Datetime) -> Result<DateTime<Utc>, String> {
    let s = dt.to_string();
    if let Ok(d) = DateTime::parse_from_rfc3339(&s) {
        return Ok(d.to_utc());
    }
    if let Ok(d) = NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(d.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Err(format!(
        "`{s}` is not a date (2024-11-25) or datetime (2024-11-25T09:00:00Z)"
    ))
}

/// Splits `+++` front matter from the body: (front matter, body, body's first line).
pub(super) fn split(file: &Path, text: &str) -> Result<(String, String, usize), Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err(problem(
            file,
            1,
            "the file must start with a `+++` line opening the TOML front matter",
        ));
    }
    let mut front = String::new();
    let mut n = 1;
    for line in lines.by_ref() {
        n += 1;
        if line.trim_end() == "+++" {
            let body: String = lines.collect();
            return Ok((front, body, n + 1));
        }
        front.push_str(line);
    }
    Err(problem(
        file,
        1,
        "the front matter is not closed: add a `+++` line after it",
    ))
}

/// Reads front matter as `T`; a TOML error names its line.
pub(super) fn parse_front<T: serde::de::DeserializeOwned>(
    file: &Path,
    front: &str,
) -> Result<T, Vec<Problem>> {
    toml::from_str(front).map_err(|e| {
        let line = e.span().map_or(2, |s| line_at(front, s.start, 2));
        vec![problem(file, line, e.message().trim().replace('\n', " "))]
    })
}

/// Feeds are XML, which cannot carry most control characters: one problem
/// per front matter text that has one (`at`: its key's line) and one for
/// the body's first.
pub(super) fn check_control_characters<'a>(
    file: &Path,
    texts: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    at: impl Fn(&str) -> usize,
    body: &str,
    body_line: usize,
    problems: &mut Vec<Problem>,
) {
    for (key, value) in texts {
        if let Some(c) = value.and_then(|v| v.chars().find(|c| !text_char(*c))) {
            problems.push(problem(file, at(key), format!("`{key}` contains the control character U+{:04X}, which feeds cannot carry: remove it", c as u32)));
        }
    }
    if let Some(offset) = body.find(|c: char| !text_char(c)) {
        let c = body[offset..].chars().next().unwrap_or_default();
        problems.push(problem(file, line_at(body, offset, body_line), format!("the text contains the control character U+{:04X}, which feeds cannot carry: remove it", c as u32)));
    }
}

/// The body's Markdown warnings (links made inert), with file and line.
pub(super) fn body_warnings(file: &Path, body: &str, body_line: usize) -> Vec<Problem> {
    markdown::render(body)
        .warnings
        .into_iter()
        .map(|w| problem(file, line_at(body, w.offset, body_line), w.message))
        .collect()
}
