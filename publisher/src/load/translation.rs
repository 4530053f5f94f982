//! One translation file (`alerts/<slug>.<lang>.md`, issue 24's contract):
//! its own title, optional summary, contact note and image text, body, and
//! the date it was made (`translated`); an own `draft` may hold it back.
//! Everything else (date, category, tags, contacts, image, aliases, related
//! alerts, change notes) comes from the English source, `alerts/<slug>.md`,
//! and is refused here with the reason. The cross-file checks (a source
//! exists, a translation does not go public before it, an outdated one is
//! warned of) are `check_against_sources`'.

use super::front::{
    body_warnings, check_control_characters, parse_front, scan_lines, split, to_utc,
};
use crate::model::{problem, Alert, Problem, Translation};
use serde::Deserialize;
use std::path::Path;

/// The languages besides English (the source), as UN documents order them:
/// the core's, which the Worker routes by.
pub use access_alerts::i18n::CODES as LANGUAGES;

/// What a translation may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: Option<String>,
    summary: Option<String>,
    contact_note: Option<String>,
    image_alt: Option<String>,
    translated: Option<toml::value::Datetime>,
    draft: Option<bool>,
}

/// The source's fields a translation may not set.
const FROM_SOURCE: [&str; 10] = [
    "date", "updated", "category", "tags", "contacts", "related", "image", "aliases", "changes",
    "notify",
];

/// What a file stem's last part says: `Some(Ok(lang))` for a translation,
/// `Some(Err(message))` for a suffix that is not one of the languages,
/// `None` for a source file (no suffix).
pub fn language_of(stem: &str) -> Option<Result<(&str, &str), String>> {
    let (slug, suffix) = stem.rsplit_once('.')?;
    Some(match suffix {
        "en" => Err(format!(
            "English is the source language: name this file `{slug}.md`"
        )),
        l if LANGUAGES.contains(&l) => Ok((slug, l)),
        l => Err(format!(
            "`{l}` is not a language this site publishes in: a translation is `{slug}.<lang>.md` with <lang> one of {}",
            LANGUAGES.join(", ")
        )),
    })
}

/// Parses one translation file: the translation and its warnings (unsafe
/// link URLs, as for an alert), or its problems.
pub fn parse_translation(
    file: &Path,
    slug: &str,
    lang: &str,
    text: &str,
) -> Result<(Translation, Vec<Problem>), Vec<Problem>> {
    let (front, body, body_line) = split(file, text).map_err(|p| vec![p])?;
    let scanned = scan_lines(&front);
    let at = |key: &str| scanned.keys.get(key).copied().unwrap_or(1);
    let mut problems = Vec::new();
    for key in FROM_SOURCE {
        if scanned.keys.contains_key(key) || (key == "changes" && !scanned.changes.is_empty()) {
            let line = if key == "changes" {
                scanned.changes.first().map_or(1, |c| c.table)
            } else {
                at(key)
            };
            problems.push(problem(
                file,
                line,
                format!("`{key}` comes from the English source (`{slug}.md`): remove it here"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let fm: Front = parse_front(file, &front)?;
    let title = fm.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
        problems.push(problem(
            file,
            1,
            "`title` is missing: a translation has its own title",
        ));
    }
    let translated = match &fm.translated {
        None => {
            problems.push(problem(file, 1, "`translated` is missing: the date this translation was made, e.g. `translated = 2024-11-26` (it tells when the English source changed since)"));
            None
        }
        Some(d) => to_utc(d)
            .map_err(|m| problems.push(problem(file, at("translated"), m)))
            .ok(),
    };
    let texts = [
        ("title", fm.title.as_deref()),
        ("summary", fm.summary.as_deref()),
        ("contact_note", fm.contact_note.as_deref()),
        ("image_alt", fm.image_alt.as_deref()),
    ];
    check_control_characters(file, texts, at, &body, body_line, &mut problems);
    if body.trim().is_empty() {
        problems.push(problem(file, body_line, "the translation has no text"));
    }
    let warnings = body_warnings(file, &body, body_line);
    match translated {
        Some(translated) if problems.is_empty() => Ok((
            Translation {
                file: file.to_path_buf(),
                slug: slug.to_string(),
                lang: lang.to_string(),
                title,
                summary: fm.summary,
                contact_note: fm.contact_note,
                image_alt: fm.image_alt,
                translated,
                draft: fm.draft,
                body,
                translated_line: at("translated"),
                draft_line: at("draft"),
            },
            warnings,
        )),
        _ => Err(problems),
    }
}

/// Checks translations against their sources: each has one, none goes
/// public while its source is a draft (errors); one made before its
/// source's latest update is outdated (a warning).
pub fn check_against_sources(
    translations: &[Translation],
    alerts: &[Alert],
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    for t in translations {
        let Some(source) = alerts.iter().find(|a| a.record.slug == t.slug) else {
            problems.push(problem(
                &t.file,
                1,
                format!(
                    "no English source: `alerts/{}.md` does not exist (a translation needs its source)",
                    t.slug
                ),
            ));
            continue;
        };
        if source.record.draft && t.draft == Some(false) {
            problems.push(problem(&t.file, t.draft_line, format!("`draft = false` would publish this translation while its source (`{}.md`) is a draft: remove it, or publish the source first", t.slug)));
        }
        if let Some(update) = source.record.last_update().filter(|u| *u > t.translated) {
            warnings.push(problem(
                &t.file,
                t.translated_line,
                format!(
                    "outdated: the English source changed on {} (after `translated` = {}): update the translation and its date",
                    update.format("%Y-%m-%d"),
                    t.translated.format("%Y-%m-%d")
                ),
            ));
        }
    }
}

/// Puts each alert's public translations into its record (in `LANGUAGES`
/// order), so that they are published with it in `alert:<slug>` and its
/// hash changes when one does. A translation held back by its own
/// `draft = true` is left out; one of a draft source goes nowhere either
/// way (the source's record is never public).
pub fn attach(translations: &[Translation], alerts: &mut [Alert]) {
    for a in alerts.iter_mut() {
        a.record.translations = LANGUAGES
            .iter()
            .filter_map(|code| {
                let t = translations
                    .iter()
                    .find(|t| t.slug == a.record.slug && t.lang == *code)?;
                (t.draft != Some(true)).then(|| stored(t))
            })
            .collect();
    }
}

/// A translation as the Worker reads it.
fn stored(t: &Translation) -> access_alerts::i18n::Translation {
    let summary = match t.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => access_alerts::markdown::first_paragraph(&t.body),
    };
    access_alerts::i18n::Translation {
        lang: access_alerts::i18n::Lang::translated(&t.lang)
            .unwrap_or(access_alerts::i18n::Lang::En),
        title: t.title.trim().to_string(),
        summary,
        contact_note: t.contact_note.clone(),
        image_alt: t.image_alt.clone(),
        translated: t.translated,
        body: t.body.as_str().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(lang: &str, text: &str) -> Result<Translation, Vec<Problem>> {
        parse_translation(Path::new("alerts/a.fr.md"), "a", lang, text).map(|(t, _)| t)
    }

    #[test]
    fn file_names_say_the_language() {
        assert_eq!(language_of("a-b"), None);
        assert_eq!(language_of("a-b.fr"), Some(Ok(("a-b", "fr"))));
        assert_eq!(language_of("a-b.zh"), Some(Ok(("a-b", "zh"))));
        let en = language_of("a-b.en").unwrap().unwrap_err();
        assert!(en.contains("`a-b.md`"), "{en}");
        let de = language_of("a-b.de").unwrap().unwrap_err();
        assert!(
            de.contains("`de`") && de.contains("ar, zh, fr, ru, es"),
            "{de}"
        );
    }

    #[test]
    fn a_translation_has_its_own_title_text_and_date() {
        let t = parse(
            "fr",
            "+++\ntitle = \"Titre\"\nsummary = \"Résumé.\"\ntranslated = 2024-11-27\n+++\nTexte.\n",
        )
        .unwrap();
        assert_eq!((t.title.as_str(), t.lang.as_str()), ("Titre", "fr"));
        assert_eq!(t.translated.format("%Y-%m-%d").to_string(), "2024-11-27");
        assert_eq!(t.translated_line, 4);
        assert_eq!(t.draft, None);
    }

    #[test]
    fn what_comes_from_the_source_is_refused_with_file_and_line() {
        let e = parse(
            "fr",
            "+++\ntitle = \"T\"\ntranslated = 2024-11-27\ncategory = \"Avis\"\ntags = [\"x\"]\n+++\nT.\n",
        )
        .unwrap_err();
        let shown: Vec<String> = e.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "alerts/a.fr.md:4: `category` comes from the English source (`a.md`): remove it here",
                "alerts/a.fr.md:5: `tags` comes from the English source (`a.md`): remove it here",
            ]
        );
        let e = parse("fr", "+++\ntitle = \"T\"\ntranslated = 2024-11-27\n\n[[changes]]\ndate = 2024-11-28\nnote = \"n\"\n+++\nT.\n").unwrap_err();
        assert_eq!(e[0].line, 5, "{e:?}");
    }

    #[test]
    fn a_missing_title_or_date_and_an_unknown_key_are_errors() {
        let e = parse("fr", "+++\nsummary = \"S\"\n+++\nT.\n").unwrap_err();
        let text: String = e.iter().map(|p| p.to_string()).collect();
        assert!(
            text.contains("`title` is missing") && text.contains("`translated` is missing"),
            "{text}"
        );
        let e = parse(
            "fr",
            "+++\ntitle = \"T\"\ntranslated = 2024-11-27\ncolour = \"x\"\n+++\nT.\n",
        )
        .unwrap_err();
        assert_eq!(e[0].line, 4, "{e:?}");
        assert!(e[0].message.contains("colour"), "{e:?}");
        let e = parse("fr", "+++\ntitle = \"T\"\ntranslated = \"soon\"\n+++\nT.\n").unwrap_err();
        assert_eq!(e[0].line, 3, "{e:?}");
    }
}
