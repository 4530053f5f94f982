//! An alert's change notes (`[[changes]]` tables of its front matter):
//! each checked (a date not before the alert's, in order, none twice; a
//! note of a sentence or two, no control character) with the line of
//! what is wrong, and made into the record's `changes`.

use super::front::{text_char, to_utc, ChangeLines, Lines};
use crate::model::{problem, Problem};
use access_alerts::content::Change;
use access_alerts::keys;
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use std::path::Path;

/// One `[[changes]]` table: when the alert changed, and what changed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChangeNote {
    /// A date (00:00 UTC) or a datetime, like the alert's `date`.
    pub(super) date: Option<toml::value::Datetime>,
    /// What changed, in plain text.
    pub(super) note: Option<String>,
}

/// The longest change note, in characters: a sentence or two (the alert's
/// text carries the detail; the note is shown under its title and leads
/// an email).
pub const NOTE_MAX_CHARS: usize = 500;

/// A date as an editor wrote it: `2024-11-27`, or with its time in UTC.
pub(super) fn shown(d: DateTime<Utc>) -> String {
    if d.time() == chrono::NaiveTime::MIN {
        d.format("%Y-%m-%d").to_string()
    } else {
        access_alerts::dates::rfc3339(d)
    }
}

/// Checks the `[[changes]]` tables and makes the record's change notes:
/// each with a date (not before the alert's, in order, none twice) and a
/// note (not empty, at most `NOTE_MAX_CHARS`, no control character).
pub(super) fn check_changes(
    file: &Path,
    notes: &[ChangeNote],
    lines: &Lines,
    date: Option<DateTime<Utc>>,
    problems: &mut Vec<Problem>,
) -> Vec<Change> {
    let fallback = lines.keys.get("changes").copied().unwrap_or(1);
    let mut changes = Vec::new();
    let mut newest: Option<DateTime<Utc>> = None;
    for (i, c) in notes.iter().enumerate() {
        let at = lines.changes.get(i).copied().unwrap_or(ChangeLines {
            table: fallback,
            ..ChangeLines::default()
        });
        let date_line = at.date.unwrap_or(at.table);
        let note_line = at.note.unwrap_or(at.table);
        let when = match &c.date {
            None => {
                problems.push(problem(
                    file,
                    at.table,
                    "this [[changes]] entry has no `date`: add the day of the change, e.g. `date = 2024-11-27`",
                ));
                None
            }
            Some(d) => to_utc(d)
                .map_err(|m| problems.push(problem(file, date_line, format!("[[changes]] {m}"))))
                .ok(),
        };
        if let Some(w) = when {
            if !keys::YEARS.contains(&w.year()) {
                problems.push(problem(
                    file,
                    date_line,
                    format!(
                        "this change is dated in the year {}: dates must lie between {} and {} (a typo?)",
                        w.year(),
                        keys::YEARS.start(),
                        keys::YEARS.end()
                    ),
                ));
            }
            if let Some(d) = date.filter(|d| w < *d) {
                problems.push(problem(
                    file,
                    date_line,
                    format!(
                        "this change is dated {}, before the alert's `date` ({}): a change note records a change made after publication",
                        shown(w),
                        shown(d)
                    ),
                ));
            }
            match newest {
                Some(n) if w == n => problems.push(problem(
                    file,
                    date_line,
                    format!(
                        "two change notes are dated {}: one note per change (put both in one, or give each its time, e.g. `{}T15:00:00Z`)",
                        shown(w),
                        w.format("%Y-%m-%d")
                    ),
                )),
                Some(n) if w < n => problems.push(problem(
                    file,
                    date_line,
                    format!(
                        "change notes go oldest first: this one ({}) comes after one dated {}; add a new note at the end",
                        shown(w),
                        shown(n)
                    ),
                )),
                _ => {}
            }
            newest = newest.max(Some(w));
        }
        let note = c
            .note
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let chars = note.chars().count();
        if c.note.is_none() {
            problems.push(problem(
                file,
                at.table,
                "this [[changes]] entry has no `note`: say in a sentence what changed, e.g. `note = \"Corrected the deadline for comments to 6 December.\"`",
            ));
        } else if note.is_empty() {
            problems.push(problem(
                file,
                note_line,
                "`note` is empty: say in a sentence what changed",
            ));
        } else if chars > NOTE_MAX_CHARS {
            problems.push(problem(
                file,
                note_line,
                format!("`note` is {chars} characters long: at most {NOTE_MAX_CHARS} (a sentence or two; the alert's text carries the detail)"),
            ));
        } else if let Some(ch) = note.chars().find(|ch| !text_char(*ch)) {
            problems.push(problem(
                file,
                note_line,
                format!("`note` contains the control character U+{:04X}, which feeds and email cannot carry: remove it", ch as u32),
            ));
        }
        if let Some(w) = when {
            changes.push(Change { date: w, note });
        }
    }
    changes
}
