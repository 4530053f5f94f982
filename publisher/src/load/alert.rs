//! One alert file (`alerts/<slug>.md`): its `+++` TOML front matter split
//! from the Markdown body, every field checked (dates, names, images,
//! aliases, control characters feeds cannot carry), and its record built.
//! Cross-file checks (contacts, related alerts, clashes) are `crate::link`'s.

use super::changes::{check_changes, shown, ChangeNote};
use super::front::{
    body_warnings, check_control_characters, parse_front, scan_lines, split, to_utc,
};
use crate::model::{problem, Alert, Problem};
use access_alerts::content::AlertRecord;
use access_alerts::{keys, markdown};
use chrono::Datelike;
use serde::Deserialize;
use std::path::Path;

/// The front matter fields an alert may have.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    /// The headline (required).
    title: Option<String>,
    /// Publication date or datetime (required; a date alone is 00:00 UTC;
    /// in the future means scheduled).
    date: Option<toml::value::Datetime>,
    /// When the alert was last substantively updated.
    updated: Option<toml::value::Datetime>,
    /// One category, e.g. "Opinion" or "General".
    category: Option<String>,
    /// Any number of tags.
    #[serde(default)]
    tags: Vec<String>,
    /// For listings, feeds and the meta description (default: first paragraph).
    summary: Option<String>,
    /// Ids of named contacts from contacts.toml.
    #[serde(default)]
    contacts: Vec<String>,
    /// The lead sentence of the contacts block.
    contact_note: Option<String>,
    /// Slugs of related alerts, overriding the computed list.
    #[serde(default)]
    related: Vec<String>,
    /// A draft is never public (preview links still work).
    #[serde(default)]
    draft: bool,
    /// Lead image URL (absolute, or a site path).
    image: Option<String>,
    /// The lead image's text alternative (required with `image`).
    image_alt: Option<String>,
    /// Old paths that redirect (301) here.
    #[serde(default)]
    aliases: Vec<String>,
    /// Retired (`notify = "again"` mailed an edit once more): refused with
    /// an explanation of change notes, which replace it.
    notify: Option<toml::Value>,
    /// Change notes, oldest first (`[[changes]]` tables).
    #[serde(default)]
    changes: Vec<ChangeNote>,
}

/// What `make check` says of `notify = "again"`.
const NOTIFY_RETIRED: &str = "notify = \"again\" is replaced by change notes: add [[changes]] with date and note; each new note is emailed once";

/// Parses one alert file (`<slug>.md`).
pub fn parse_alert(
    file: &Path,
    slug: &str,
    text: &str,
) -> Result<(Alert, Vec<Problem>), Vec<Problem>> {
    let (front, body, body_line) = split(file, text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    if !keys::is_valid_slug(slug) {
        problems.push(problem(file, 1, format!("the file name `{slug}` is not a valid slug: use lowercase letters, digits and single hyphens")));
    }
    let fm: FrontMatter = parse_front(file, &front)?;
    let scanned = scan_lines(&front);
    let lines = &scanned.keys;
    let at = |key: &str| lines.get(key).copied().unwrap_or(1);
    let title = fm.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
        problems.push(problem(
            file,
            1,
            "`title` is missing: every alert needs a title",
        ));
    }
    let date = match &fm.date {
        None => {
            problems.push(problem(
                file,
                1,
                "`date` is missing: add e.g. `date = 2024-11-25`",
            ));
            None
        }
        Some(d) => to_utc(d)
            .map_err(|m| problems.push(problem(file, at("date"), m)))
            .ok(),
    };
    let updated = fm.updated.as_ref().and_then(|d| {
        to_utc(d)
            .map_err(|m| problems.push(problem(file, at("updated"), m)))
            .ok()
    });
    if let (Some(d), Some(u)) = (date, updated) {
        if u < d {
            problems.push(problem(file, at("updated"), "`updated` is before `date`"));
        }
    }
    for (name, value) in [("date", date), ("updated", updated)] {
        if let Some(year) = value.map(|d| d.year()).filter(|y| !keys::YEARS.contains(y)) {
            problems.push(problem(
                file,
                at(name),
                format!(
                    "`{name}` is in the year {year}: dates must lie between {} and {} (a typo?)",
                    keys::YEARS.start(),
                    keys::YEARS.end()
                ),
            ));
        }
    }
    if fm.image.is_some() && fm.image_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        problems.push(problem(
            file,
            at("image"),
            "`image` needs `image_alt`, a text alternative for readers who cannot see it",
        ));
    }
    if let Some(img) = &fm.image {
        if !matches!(
            markdown::classify_url(img),
            markdown::UrlKind::External | markdown::UrlKind::Relative
        ) {
            problems.push(problem(
                file,
                at("image"),
                "`image` must be an http(s) URL or a site path",
            ));
        }
    }
    let names = fm
        .category
        .iter()
        .map(|c| ("category", c))
        .chain(fm.tags.iter().map(|t| ("tags", t)));
    for (key, name) in names {
        let slug = keys::name_slug(name);
        if slug.is_empty() {
            problems.push(problem(
                file,
                at(key),
                format!("`{name}` in `{key}` needs at least one letter or digit"),
            ));
        } else if slug.len() > keys::MAX_NAME_BYTES {
            let quoted: String = name.chars().take(40).collect();
            problems.push(problem(file, at(key), format!("`{quoted}…` in `{key}` is too long: at most {} bytes of letters and digits (its keys and addresses must fit KV's limits)", keys::MAX_NAME_BYTES)));
        }
    }
    let texts = [
        ("title", fm.title.as_deref()),
        ("summary", fm.summary.as_deref()),
        ("category", fm.category.as_deref()),
        ("contact_note", fm.contact_note.as_deref()),
        ("image_alt", fm.image_alt.as_deref()),
    ];
    let tags = fm.tags.iter().map(|t| ("tags", Some(t.as_str())));
    check_control_characters(
        file,
        texts.into_iter().chain(tags),
        at,
        &body,
        body_line,
        &mut problems,
    );
    for alias in &fm.aliases {
        if !alias.starts_with('/')
            || alias.contains(char::is_whitespace)
            || alias.contains(['?', '#'])
        {
            problems.push(problem(file, at("aliases"), format!("alias `{alias}` must be a site path starting with `/` (no spaces, query or fragment)")));
        }
    }
    if let Some(value) = &fm.notify {
        let message = match value.as_str() {
            Some("again") => NOTIFY_RETIRED.to_string(),
            _ => format!("`notify` is no longer read (it was `notify = {value}`): to email subscribers about a change, add [[changes]] with date and note; each new note is emailed once"),
        };
        problems.push(problem(file, at("notify"), message));
    }
    let changes = check_changes(file, &fm.changes, &scanned, date, &mut problems);
    if let (Some(u), Some(newest)) = (updated, changes.last().map(|c| c.date)) {
        if u < newest {
            problems.push(problem(
                file,
                at("updated"),
                format!(
                    "`updated` ({}) is before the newest change note ({}): leave `updated` out (the notes date the update) or make it at least {}",
                    shown(u),
                    shown(newest),
                    shown(newest)
                ),
            ));
        }
    }
    let warnings = body_warnings(file, &body, body_line);
    let summary = match fm.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => markdown::first_paragraph(&body),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let record = AlertRecord {
        slug: slug.to_string(),
        title: title.trim().to_string(),
        date: date.unwrap_or_default(),
        updated,
        category: fm.category.map(|c| c.trim().to_string()),
        tags: fm.tags.iter().map(|t| t.trim().to_string()).collect(),
        summary,
        contacts: Vec::new(),
        contact_note: fm.contact_note,
        related: Vec::new(),
        draft: fm.draft,
        image: fm.image,
        image_alt: fm.image_alt,
        aliases: fm.aliases,
        changes,
        translations: Vec::new(),
        body,
        hash: String::new(),
        content_hash: String::new(),
    };
    Ok((
        Alert {
            file: file.to_path_buf(),
            record,
            contact_ids: fm.contacts,
            related_slugs: fm.related,
            lines: scanned.keys,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::changes::NOTE_MAX_CHARS;
    use test_case::test_case;

    const GOOD: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n+++\nBody text.\n";

    // Line 1 `+++`, 2 title, 3 date, 4 blank (or `updated`), 5 the first
    // `[[changes]]`, 6 its date, 7 its note (or date), 8...
    const CHANGE_BEFORE_DATE: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\nnote = \"Corrected.\"\ndate = 2024-11-24\n+++\n";
    const CHANGE_EMPTY_NOTE: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\ndate = 2024-11-27\n# what changed\nnote = \"  \"\n+++\n";
    const CHANGES_OUT_OF_ORDER: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\ndate = 2024-11-27\nnote = \"Second.\"\n\n# the first\n[[changes]]\ndate = 2024-11-26\nnote = \"First.\"\n+++\n";
    const CHANGES_TWICE_ONE_DAY: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\ndate = 2024-11-27\nnote = \"One.\"\n\n\n[[changes]]\ndate = 2024-11-27\nnote = \"Two.\"\n+++\n";
    const CHANGE_WITHOUT_DATE: &str =
        "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\nnote = \"Corrected.\"\n+++\n";
    const CHANGE_WITHOUT_NOTE: &str =
        "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\ndate = 2024-11-27\n+++\n";
    const CHANGE_BAD_DATE: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\nnote = \"Corrected.\"\ndate = \"yesterday\"\n+++\n";
    const CHANGE_UNKNOWN_FIELD: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\ndate = 2024-11-27\nnote = \"Corrected.\"\n\nauthor = \"Ada\"\n+++\n";
    const UPDATED_BEFORE_CHANGE: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\nupdated = 2024-11-26\n[[changes]]\ndate = 2024-11-27T09:30:00Z\nnote = \"Corrected.\"\n+++\n";
    const CHANGE_CONTROL_CHARACTER: &str = "+++\ntitle = \"T\"\ndate = 2024-11-25\n\n[[changes]]\ndate = 2024-11-27\n\nnote = \"Bell\\u0007.\"\n+++\n";

    fn parse(text: &str) -> Result<Alert, Vec<Problem>> {
        parse_alert(Path::new("alerts/x.md"), "x", text).map(|(a, _)| a)
    }

    #[test]
    fn can_parse_a_minimal_alert() {
        let a = parse(GOOD).unwrap();
        assert_eq!(a.record.title, "T");
        assert_eq!(a.record.date.to_rfc3339(), "2024-11-25T00:00:00+00:00");
        assert_eq!(a.record.summary, "Body text.");
        assert_eq!(a.record.body, "Body text.\n");
    }

    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\ncolour = \"red\"\n+++\n", 4, "unknown field `colour`" ; "unknown field")]
    #[test_case("+++\ntitle = \"T\"\ndate = \"yesterday\"\n+++\n", 3, "" ; "bad date")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-13-01\n+++\n", 3, "" ; "impossible date")]
    #[test_case("+++\ndate = 2024-11-25\n+++\n", 1, "`title` is missing" ; "missing title")]
    #[test_case("+++\ntitle = \"T\"\n+++\n", 1, "`date` is missing" ; "missing date")]
    #[test_case("title = \"T\"\n", 1, "must start with a `+++`" ; "no front matter")]
    #[test_case("+++\ntitle = \"T\"\n", 1, "not closed" ; "unclosed front matter")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\nimage = \"/a.png\"\n+++\n", 4, "needs `image_alt`" ; "image without alt")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\nupdated = 2024-11-01\n+++\n", 4, "before `date`" ; "updated before date")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\naliases = [\"old\"]\n+++\n", 4, "must be a site path" ; "relative alias")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\ntags = \"one\"\n+++\n", 4, "" ; "tags not a list")]
    #[test_case("+++\ntitle = \"T\"\ndate = 0001-11-25\n+++\n", 3, "in the year 1: dates must lie between 1990 and 2100" ; "year one")]
    #[test_case("+++\ntitle = \"T\"\ndate = 1969-12-31\n+++\n", 3, "in the year 1969" ; "before 1970")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\nupdated = 2240-01-01\n+++\n", 4, "`updated` is in the year 2240" ; "updated far ahead")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\ntags = [\"ab\", \"a-very-long-tag-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on\"]\n+++\n", 4, "is too long: at most 100 bytes" ; "tag too long")]
    #[test_case("+++\ntitle = \"Vertical\\u000Btab\"\ndate = 2024-11-25\n+++\n", 2, "`title` contains the control character U+000B" ; "control character in title")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\n+++\nFine.\n\nForm\u{0C}feed.\n", 7, "the text contains the control character U+000C" ; "control character in the body")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\nnotify = \"again\"\n+++\n", 4, "notify = \"again\" is replaced by change notes: add [[changes]] with date and note; each new note is emailed once" ; "notify again retired")]
    #[test_case("+++\ntitle = \"T\"\ndate = 2024-11-25\nnotify = true\n+++\n", 4, "`notify` is no longer read (it was `notify = true`): to email subscribers about a change, add [[changes]]" ; "notify other value")]
    #[test_case(CHANGE_BEFORE_DATE, 7, "this change is dated 2024-11-24, before the alert's `date` (2024-11-25)" ; "change before the alert")]
    #[test_case(CHANGE_EMPTY_NOTE, 8, "`note` is empty" ; "empty change note")]
    #[test_case(CHANGES_OUT_OF_ORDER, 11, "change notes go oldest first: this one (2024-11-26) comes after one dated 2024-11-27" ; "changes out of order")]
    #[test_case(CHANGES_TWICE_ONE_DAY, 11, "two change notes are dated 2024-11-27: one note per change" ; "changes on the same date")]
    #[test_case(CHANGE_WITHOUT_DATE, 5, "this [[changes]] entry has no `date`" ; "change without date")]
    #[test_case(CHANGE_WITHOUT_NOTE, 5, "this [[changes]] entry has no `note`" ; "change without note")]
    #[test_case(CHANGE_BAD_DATE, 7, "expected a TOML datetime" ; "change with a bad date")]
    #[test_case(CHANGE_UNKNOWN_FIELD, 9, "unknown field `author`" ; "change with an unknown field")]
    #[test_case(UPDATED_BEFORE_CHANGE, 4, "`updated` (2024-11-26) is before the newest change note (2024-11-27T09:30:00Z)" ; "updated before the newest change")]
    #[test_case(CHANGE_CONTROL_CHARACTER, 8, "`note` contains the control character U+0007" ; "change note with a control character")]
    fn errors_name_line_and_problem(text: &str, line: usize, needle: &str) {
        let problems = parse(text).unwrap_err();
        assert_eq!(problems[0].line, line, "{problems:?}");
        assert!(problems[0].message.contains(needle), "{problems:?}");
        assert!(problems[0]
            .to_string()
            .starts_with(&format!("alerts/x.md:{line}: ")));
    }

    #[test]
    fn change_notes_become_the_record_s_oldest_first() {
        let a = parse(concat!(
            "+++\ntitle = \"T\"\ndate = 2024-11-25T09:00:00Z\ncategory = \"Opinion\"\n",
            "[[changes]]\ndate = 2024-11-26\nnote = \"Added the\\n  statement's   link.\"\n",
            "[[changes]]\ndate = 2024-11-27T10:00:00+01:00\nnote = \"\"\"\nCorrected the deadline\nfor comments to 6 December.\"\"\"\n",
            "+++\nBody.\n"
        ))
        .unwrap();
        let changes: Vec<(String, &str)> = a
            .record
            .changes
            .iter()
            .map(|c| (c.date.to_rfc3339(), c.note.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (
                    "2024-11-26T00:00:00+00:00".to_string(),
                    "Added the statement's link."
                ),
                (
                    "2024-11-27T09:00:00+00:00".to_string(),
                    "Corrected the deadline for comments to 6 December."
                ),
            ],
            "whitespace made single spaces"
        );
        assert_eq!(a.record.updated, None, "`updated` is the editor's alone");
        assert_eq!(
            a.record.entry().meta.updated,
            Some(a.record.changes[1].date.timestamp()),
            "listings carry the newest note's date"
        );
        // The top-level keys' lines are not the tables'.
        assert_eq!(a.lines.get("date"), Some(&3));
        assert_eq!(a.lines.get("category"), Some(&4));
    }

    #[test]
    fn a_draft_may_have_change_notes_and_a_note_may_share_the_alert_s_date() {
        let a = parse("+++\ntitle = \"T\"\ndate = 2024-11-25\ndraft = true\n[[changes]]\ndate = 2024-11-25\nnote = \"Reworded the summary.\"\n+++\n").unwrap();
        assert!(a.record.draft);
        assert_eq!(a.record.changes.len(), 1);
        // `updated` at or after the newest note is fine.
        parse("+++\ntitle = \"T\"\ndate = 2024-11-25\nupdated = 2024-11-28\n[[changes]]\ndate = 2024-11-27\nnote = \"Corrected.\"\n+++\n").unwrap();
        // Inline, the notes are reported at the `changes` line.
        let p = parse("+++\ntitle = \"T\"\ndate = 2024-11-25\nchanges = [{ date = 2024-11-27, note = \"\" }]\n+++\n").unwrap_err();
        assert_eq!(
            (p[0].line, p[0].message.as_str()),
            (4, "`note` is empty: say in a sentence what changed")
        );
    }

    #[test]
    fn a_note_over_the_limit_is_refused_with_its_length() {
        let long = "x".repeat(NOTE_MAX_CHARS + 1);
        let p = parse(&format!(
            "+++\ntitle = \"T\"\ndate = 2024-11-25\n[[changes]]\ndate = 2024-11-27\nnote = \"{long}\"\n+++\n"
        ))
        .unwrap_err();
        assert_eq!(
            p[0].to_string(),
            "alerts/x.md:6: `note` is 501 characters long: at most 500 (a sentence or two; the alert's text carries the detail)"
        );
        let fits = "é".repeat(NOTE_MAX_CHARS);
        parse(&format!(
            "+++\ntitle = \"T\"\ndate = 2024-11-25\n[[changes]]\ndate = 2024-11-27\nnote = \"{fits}\"\n+++\n"
        ))
        .expect("500 characters, however many bytes");
    }

    #[test]
    fn every_problem_of_the_notes_is_reported_at_once() {
        let p = parse("+++\ntitle = \"T\"\ndate = 2024-11-25\nnotify = \"again\"\n[[changes]]\ndate = 2024-11-20\nnote = \"\"\n[[changes]]\ndate = 2024-11-19\nnote = \"Ok.\"\n+++\n").unwrap_err();
        let said: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 5, "{said:#?}");
        assert!(said[0].starts_with("alerts/x.md:4: notify = \"again\" is replaced"));
        assert!(said[1].starts_with("alerts/x.md:6: this change is dated 2024-11-20, before"));
        assert!(said[2].starts_with("alerts/x.md:7: `note` is empty"));
        assert!(said[3].starts_with("alerts/x.md:9: this change is dated 2024-11-19, before"));
        assert!(said[4].starts_with("alerts/x.md:9: change notes go oldest first"));
    }

    #[test]
    fn errors_if_slug_invalid() {
        let p = parse_alert(Path::new("alerts/Bad_Name.md"), "Bad_Name", GOOD).unwrap_err();
        assert!(p[0].message.contains("not a valid slug"));
    }

    #[test]
    fn datetimes_with_offsets_become_utc() {
        let a = parse("+++\ntitle = \"T\"\ndate = 2024-11-25T10:00:00+02:00\n+++\n").unwrap();
        assert_eq!(a.record.date.to_rfc3339(), "2024-11-25T08:00:00+00:00");
    }

    #[test]
    fn warns_about_unsafe_links_with_their_line() {
        let (_, w) = parse_alert(
            Path::new("alerts/x.md"),
            "x",
            "+++\ntitle = \"T\"\ndate = 2024-11-25\n+++\nIntro\n\n[x](javascript:alert(1))\n",
        )
        .unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 7);
    }

    #[test]
    fn an_oversized_name_is_reported_even_when_cut_inside_a_character() {
        // A 200-character CJK tag (600 bytes) would make its index key too
        // long; the message quotes its first 40 characters, not 40 bytes.
        let problems = parse(&format!(
            "+++\ntitle = \"T\"\ndate = 2024-11-25\ntags = [\"x{}\"]\n+++\nBody.\n",
            "漢".repeat(200)
        ))
        .unwrap_err();
        let text = problems[0].to_string();
        assert!(
            text.starts_with(&format!(
                "alerts/x.md:4: `x{}…` in `tags` is too long",
                "漢".repeat(39)
            )),
            "{text}"
        );
    }
}
