//! `contacts.toml`: the named contacts alerts may list, one of them the
//! general inbox.

use crate::model::{problem, Problem};
use access_alerts::content::Contact;
use access_alerts::{keys, markdown};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One contact in contacts.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactEntry {
    name: String,
    role: Option<String>,
    #[serde(default)]
    general: bool,
}

/// Reads `contacts.toml`.
pub fn parse_contacts(file: &Path, text: &str) -> Result<Vec<Contact>, Vec<Problem>> {
    let table: BTreeMap<String, ContactEntry> = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| markdown::line_of(text, s.start));
        vec![problem(file, line, e.message().trim().to_string())]
    })?;
    let mut problems = Vec::new();
    let mut contacts = Vec::new();
    for (id, entry) in table {
        let line = text
            .lines()
            .position(|l| l.trim() == format!("[{id}]"))
            .map_or(1, |i| i + 1);
        if !keys::is_valid_slug(&id) {
            problems.push(problem(
                file,
                line,
                format!("contact id `{id}` must be lowercase letters, digits and hyphens"),
            ));
        }
        if entry.name.trim().is_empty() {
            problems.push(problem(file, line, format!("contact `{id}` needs a name")));
        }
        contacts.push(Contact {
            id,
            name: entry.name,
            role: entry.role,
            general: entry.general,
        });
    }
    match contacts.iter().filter(|c| c.general).count() {
        1 => {}
        0 => problems.push(problem(
            file,
            1,
            "one contact must be the general inbox (`general = true`), used when no one is chosen",
        )),
        _ => problems.push(problem(
            file,
            1,
            "only one contact may be the general inbox (`general = true`)",
        )),
    }
    if problems.is_empty() {
        Ok(contacts)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_need_exactly_one_general_inbox() {
        let p = parse_contacts(Path::new("contacts.toml"), "[a]\nname = \"A\"\n").unwrap_err();
        assert!(p[0].message.contains("general inbox"));
        let p = parse_contacts(
            Path::new("contacts.toml"),
            "[a]\nname = \"A\"\nemail = \"x@y.z\"\n",
        )
        .unwrap_err();
        assert!(p[0].message.contains("unknown field `email`"), "{p:?}");
    }
}
