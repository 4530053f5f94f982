//! Reads `content/` (alerts with TOML front matter, `contacts.toml`),
//! validates it and builds the records the Worker reads. Every problem is
//! reported with file and line; nothing is published while any exists.
//! One alert file is parsed in `alert` (its change notes in `changes`),
//! `contacts.toml` in `contacts`; the
//! cross-file checks are `crate::link`'s.

mod alert;
mod changes;
mod contacts;

pub use crate::model::{Alert, Content, Problem};
pub use alert::parse_alert;
pub use contacts::parse_contacts;

use crate::link::link;
use crate::model::problem;
use std::path::{Path, PathBuf};

/// Loads and validates all of `root` (`root/contacts.toml`, `root/alerts/**.md`).
pub fn load(root: &Path) -> Result<Content, Vec<Problem>> {
    let contacts_file = root.join("contacts.toml");
    let mut problems = Vec::new();
    let contacts = match std::fs::read_to_string(&contacts_file) {
        Ok(text) => parse_contacts(&contacts_file, &text).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        }),
        Err(e) => {
            problems.push(problem(&contacts_file, 1, format!("cannot read: {e}")));
            Vec::new()
        }
    };
    let mut files = Vec::new();
    collect_md(&root.join("alerts"), &mut files, &mut problems);
    files.sort();
    let mut alerts = Vec::new();
    let mut warnings = Vec::new();
    for file in files {
        let slug = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        match std::fs::read_to_string(&file) {
            Ok(text) => match parse_alert(&file, &slug, &text) {
                Ok((alert, w)) => {
                    alerts.push(alert);
                    warnings.extend(w);
                }
                Err(p) => problems.extend(p),
            },
            Err(e) => problems.push(problem(&file, 1, format!("cannot read: {e}"))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut content = link(contacts, alerts, &contacts_file)?;
    content.warnings = warnings;
    Ok(content)
}

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(problem(
                dir,
                1,
                format!("cannot read the alerts folder: {e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_md(&path, out, problems);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC*") {
            let _ = parse_alert(Path::new("alerts/x.md"), "x", &text);
            let _ = parse_alert(Path::new("alerts/x.md"), "x", &format!("+++\n{text}\n+++\n{text}"));
            let _ = parse_contacts(Path::new("contacts.toml"), &text);
        }

        #[test]
        fn front_matter_like_input_never_panics(lines in proptest::collection::vec("(title|date|tags|draft|image|aliases|updated) = (\"[a-z]*\"|[0-9-]{1,12}|true|\\[\\])", 0..8)) {
            let text = format!("+++\n{}\n+++\nBody", lines.join("\n"));
            let _ = parse_alert(Path::new("alerts/x.md"), "x", &text);
        }
    }

    #[test]
    fn every_file_in_content_is_valid() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let content = load(&root).unwrap_or_else(|p| {
            panic!(
                "{}",
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(content.alerts.len() >= 5);
        assert!(content.warnings.is_empty(), "{:?}", content.warnings);
        for a in &content.alerts {
            assert!(
                !a.record.summary.is_empty(),
                "{} has no summary",
                a.file.display()
            );
        }
    }
}
