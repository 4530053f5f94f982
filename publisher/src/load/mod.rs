//! Reads `content/` (alerts with TOML front matter, `contacts.toml`, the
//! optional `names.toml`),
//! validates it and builds the records the Worker reads. Every problem is
//! reported with file and line; nothing is published while any exists.
//! One alert file is parsed in `alert` (its change notes in `changes`),
//! `contacts.toml` in `contacts`, `names.toml` in `names`; the
//! cross-file checks are `crate::link`'s.

mod alert;
mod changes;
mod contacts;
mod front;
mod names;
mod translation;

pub use crate::model::{Alert, Content, Problem, Translation};
pub use alert::parse_alert;
pub use contacts::parse_contacts;
pub use names::parse_names;
pub use translation::{parse_translation, LANGUAGES};

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
    let mut translations = Vec::new();
    let mut warnings = Vec::new();
    for file in files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                problems.push(problem(&file, 1, format!("cannot read: {e}")));
                continue;
            }
        };
        match translation::language_of(&stem) {
            None => match parse_alert(&file, &stem, &text) {
                Ok((alert, w)) => {
                    alerts.push(alert);
                    warnings.extend(w);
                }
                Err(p) => problems.extend(p),
            },
            Some(Ok((slug, lang))) => match parse_translation(&file, slug, lang, &text) {
                Ok((t, w)) => {
                    translations.push(t);
                    warnings.extend(w);
                }
                Err(p) => problems.extend(p),
            },
            Some(Err(message)) => problems.push(problem(&file, 1, message)),
        }
    }
    translation::check_against_sources(&translations, &alerts, &mut problems, &mut warnings);
    let names = read_names(
        &root.join("names.toml"),
        &alerts,
        &mut problems,
        &mut warnings,
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    translation::attach(&translations, &mut alerts);
    let mut content = link(contacts, alerts, &contacts_file)?;
    content.translations = translations;
    content.names = names;
    content.warnings = warnings;
    Ok(content)
}

/// `names.toml` if there is one (none: every name shows in English).
fn read_names(
    file: &Path,
    alerts: &[Alert],
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> access_alerts::i18n::Names {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Default::default(),
        Err(e) => {
            problems.push(problem(file, 1, format!("cannot read: {e}")));
            return Default::default();
        }
    };
    let used = |kind, name: &str| {
        alerts.iter().any(|a| match kind {
            access_alerts::i18n::Kind::Category => a.record.category.as_deref() == Some(name),
            access_alerts::i18n::Kind::Tag => a.record.tags.iter().any(|t| t == name),
        })
    };
    match parse_names(file, &text, used) {
        Ok((names, w)) => {
            warnings.extend(w);
            names
        }
        Err(p) => {
            problems.extend(p);
            Default::default()
        }
    }
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
        let mut langs: Vec<&str> = content
            .translations
            .iter()
            .map(|t| t.lang.as_str())
            .collect();
        langs.sort();
        assert_eq!(
            langs,
            ["ar", "es", "fr", "ru", "zh"],
            "the seed alert's translations"
        );
        for a in &content.alerts {
            assert!(
                !a.record.summary.is_empty(),
                "{} has no summary",
                a.file.display()
            );
        }
    }

    /// `content/` copied to a temporary directory, with `files` written
    /// into `alerts/`.
    fn with_files(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        std::fs::copy(src.join("contacts.toml"), dir.path().join("contacts.toml")).unwrap();
        std::fs::create_dir(dir.path().join("alerts")).unwrap();
        for e in std::fs::read_dir(src.join("alerts")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join("alerts").join(e.file_name())).unwrap();
        }
        for (name, text) in files {
            std::fs::write(dir.path().join("alerts").join(name), text).unwrap();
        }
        dir
    }

    const SOURCE: &str = "+++\ntitle = \"Source\"\ndate = 2024-11-20\nsummary = \"S.\"\n[[changes]]\ndate = 2024-12-02\nnote = \"Corrected.\"\n+++\nBody.\n";
    const DRAFT: &str =
        "+++\ntitle = \"Draft\"\ndate = 2024-11-20\nsummary = \"S.\"\ndraft = true\n+++\nBody.\n";

    fn translation(extra: &str) -> String {
        format!("+++\ntitle = \"Titre\"\ntranslated = 2024-11-27\n{extra}+++\nTexte.\n")
    }

    fn problems(dir: &tempfile::TempDir) -> Vec<String> {
        load(dir.path())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn a_translation_without_its_source_is_an_error_with_file_and_line() {
        let dir = with_files(&[("nowhere.fr.md", &translation(""))]);
        let shown = problems(&dir);
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].ends_with("alerts/nowhere.fr.md:1: no English source: `alerts/nowhere.md` does not exist (a translation needs its source)"),
            "{shown:?}"
        );
        let dir = with_files(&[("nowhere.de.md", &translation(""))]);
        assert!(
            problems(&dir)[0].contains("`de` is not a language"),
            "{:?}",
            problems(&dir)
        );
    }

    #[test]
    fn a_translation_may_not_go_public_before_its_draft_source() {
        let dir = with_files(&[
            ("held.md", DRAFT),
            ("held.es.md", &translation("draft = false\n")),
        ]);
        let shown = problems(&dir);
        assert!(
            shown.len() == 1 && shown[0].contains("held.es.md:4: `draft = false` would publish this translation while its source (`held.md`) is a draft"),
            "{shown:?}"
        );
        // Following the source's draft is fine.
        let dir = with_files(&[("held.md", DRAFT), ("held.es.md", &translation(""))]);
        assert!(load(dir.path()).is_ok(), "{:?}", problems(&dir));
    }

    #[test]
    fn public_translations_go_into_their_sources_record_in_un_order() {
        let dir = with_files(&[
            ("both.md", SOURCE),
            ("both.fr.md", &translation("")),
            ("both.ar.md", &translation("summary = \"Résumé.\"\n")),
            ("both.es.md", &translation("draft = true\n")),
        ]);
        let record_of = |dir: &tempfile::TempDir| {
            let content = load(dir.path()).unwrap();
            let a = content.alerts.into_iter().find(|a| a.record.slug == "both");
            a.unwrap().record
        };
        let record = &record_of(&dir);
        let langs: Vec<&str> = record.translations.iter().map(|t| t.lang.code()).collect();
        assert_eq!(langs, ["ar", "fr"], "UN order, the held-back `es` left out");
        assert_eq!(record.translations[0].summary, "Résumé.");
        assert_eq!(
            record.translations[1].summary, "Texte.",
            "else its first paragraph"
        );
        assert_eq!(record.translations[1].title, "Titre");
        assert_eq!(record.translations[1].body.text().trim(), "Texte.");
        // A translation's edit changes its source's hash: it is published again.
        let before = record.hash.clone();
        let dir = with_files(&[
            ("both.md", SOURCE),
            (
                "both.fr.md",
                &translation("").replace("Texte.", "Texte revu."),
            ),
            ("both.ar.md", &translation("summary = \"Résumé.\"\n")),
        ]);
        let after = &record_of(&dir);
        assert_ne!(after.hash, before);
        assert_ne!(after.content_hash, record.content_hash);
    }

    #[test]
    fn an_outdated_translation_is_a_warning_and_the_report_says_so() {
        let dir = with_files(&[
            ("changed.md", SOURCE),
            ("changed.ru.md", &translation("")),
            (
                "changed.zh.md",
                &translation("").replace("2024-11-27", "2024-12-03"),
            ),
        ]);
        let content = load(dir.path()).unwrap();
        let warned: Vec<String> = content.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(
            warned[0].ends_with("alerts/changed.ru.md:3: outdated: the English source changed on 2024-12-02 (after `translated` = 2024-11-27): update the translation and its date"),
            "{warned:?}"
        );
        let rows = crate::translations::report(&content);
        let row = rows.iter().find(|r| r.slug == "changed").unwrap();
        assert_eq!(row.current, ["zh"]);
        assert_eq!(row.outdated, ["ru"]);
        assert_eq!(row.missing, ["ar", "fr", "es"]);
        let seed = rows
            .iter()
            .find(|r| r.slug == "oewg-collective-call-against-barring-organisations")
            .unwrap();
        assert_eq!(seed.current, ["ar", "zh", "fr", "ru", "es"]);
        assert!(seed.missing.is_empty() && seed.outdated.is_empty());
        let text = crate::translations::render(&rows);
        assert!(
            text.contains("changed\n  translated: zh\n  outdated:   ru\n  missing:    ar fr es\n"),
            "{text}"
        );
        assert!(text.ends_with("6 alerts: 6 translations up to date, 1 outdated, 23 missing (languages: en, ar, zh, fr, ru, es)\n"), "{text}");
    }
}
