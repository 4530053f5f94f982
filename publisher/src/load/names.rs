//! `names.toml`: category and tag names in the other languages, as editors
//! write them (optional: without it every name shows in English).
//!
//! ```toml
//! [categories.Opinion]
//! fr = "Opinion"
//! ar = "رأي"
//!
//! [tags."United Nations"]
//! zh = "联合国"
//! ```

use super::LANGUAGES;
use crate::model::{problem, Problem};
use access_alerts::i18n::{Kind, Lang, Names};
use access_alerts::markdown;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

type ByName = BTreeMap<String, BTreeMap<String, Spanned<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesFile {
    #[serde(default)]
    categories: ByName,
    #[serde(default)]
    tags: ByName,
}

/// Reads `names.toml`: every value a translation into one of the five
/// languages, on one line, not empty. `used` tells whether an alert has
/// that category or tag; a name no alert has is a warning (a name may be
/// written before its first alert), returned beside the names.
pub fn parse_names(
    file: &Path,
    text: &str,
    used: impl Fn(Kind, &str) -> bool,
) -> Result<(Names, Vec<Problem>), Vec<Problem>> {
    let parsed: NamesFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| markdown::line_of(text, s.start));
        vec![problem(file, line, e.message().trim().to_string())]
    })?;
    let (mut names, mut problems, mut warnings) = (Names::default(), Vec::new(), Vec::new());
    for (kind, table, what) in [
        (Kind::Category, &parsed.categories, "category"),
        (Kind::Tag, &parsed.tags, "tag"),
    ] {
        for (english, translations) in table {
            let first = translations.values().map(|v| v.span().start).min();
            let line_of = |at: usize| markdown::line_of(text, at);
            if !used(kind, english) {
                warnings.push(problem(
                    file,
                    first.map_or(1, line_of),
                    format!("no alert has the {what} `{english}` (yet): its names are kept for when one does"),
                ));
            }
            for (code, name) in translations {
                let line = line_of(name.span().start);
                let value = name.get_ref();
                let Some(lang) = Lang::translated(code) else {
                    problems.push(problem(
                        file,
                        line,
                        format!(
                            "`{code}` is not a language a name is translated into: use one of {} (English is the name itself)",
                            LANGUAGES.join(", ")
                        ),
                    ));
                    continue;
                };
                if value.trim().is_empty() || value.contains(['\n', '\r', '\t']) {
                    problems.push(problem(
                        file,
                        line,
                        format!("the {what} `{english}` in `{code}` must be one line of text, not empty"),
                    ));
                    continue;
                }
                names.insert(kind, english, lang, value.trim());
            }
        }
    }
    if problems.is_empty() {
        Ok((names, warnings))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Names, Vec<Problem>), Vec<Problem>> {
        parse_names(Path::new("names.toml"), text, |kind, name| {
            (kind, name) == (Kind::Category, "Opinion")
        })
    }

    #[test]
    fn reads_each_kind_s_names_by_language() {
        let (names, warnings) =
            parse("[categories.Opinion]\nfr = \"Opinion\"\nar = \"رأي\"\n").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(names.shown(Kind::Category, Lang::Ar, "Opinion").text, "رأي");
        assert_eq!(names.shown(Kind::Tag, Lang::Ar, "Opinion").lang, Some("en"));
    }

    #[test]
    fn each_problem_is_named_with_its_line() {
        let p = parse("[categories.Opinion]\nfr = \"Avis\"\nde = \"Meinung\"\n").unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 3, "{p:?}");
        assert!(p[0].message.contains("`de`") && p[0].message.contains("ar, zh, fr, ru, es"));
        let p = parse("[categories.Opinion]\nfr = \"\"\n").unwrap_err();
        assert_eq!((p[0].line, p[0].message.contains("not empty")), (2, true));
        let p = parse("[categories.Opinion]\nes = \"a\\tb\"\n").unwrap_err();
        assert_eq!(p[0].line, 2);
        let p = parse("[sections.Opinion]\nfr = \"x\"\n").unwrap_err();
        assert!(p[0].message.contains("sections"), "{p:?}");
        let p = parse("[categories.Opinion]\nfr = 3\n").unwrap_err();
        assert_eq!(p[0].line, 2, "{p:?}");
    }

    #[test]
    fn a_name_no_alert_has_is_a_warning_with_its_line() {
        let (names, warnings) = parse("\n[tags.Merger]\n\nfr = \"Fusion\"\n").unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 4);
        assert_eq!(names.shown(Kind::Tag, Lang::Fr, "Merger").text, "Fusion");
    }
}
