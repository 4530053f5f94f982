//! Category and tag names in the other languages, as editors write them in
//! `content/names.toml` (no code to change) and the publisher stores them
//! in one KV value (`site:names`): one line per name and language,
//! `c|t <tab> <slug of the English name> <tab> <code> <tab> <name>`. A
//! page in a language shows a name's translation where there is one, and
//! the English name, marked `lang="en"`, where there is none; links keep
//! the English name's slug (`/fr/category/opinion`), so no URL depends on
//! a translation.

use super::Lang;
use crate::keys::name_slug;

/// The KV key the publisher writes them to.
pub const KEY: &str = "site:names";

/// Which kind of name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Category,
    Tag,
}

impl Kind {
    fn mark(self) -> &'static str {
        match self {
            Kind::Category => "c",
            Kind::Tag => "t",
        }
    }
}

/// The translated names as the KV value holds them, one line a name and
/// language, sorted; a page looks a name up by scanning them (a site has
/// tens of names, not thousands, and the Worker carries no parser or sort
/// for them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(String);

/// A name as a page in a language shows it: its text and, when that is the
/// English name on another language's page, `Some("en")` for its `lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    pub lang: Option<&'static str>,
}

impl Names {
    /// No translated names: every name shows as editors wrote it.
    pub const EMPTY: Names = Names(String::new());

    /// The names as read from KV.
    pub fn from_value(value: String) -> Names {
        Names(value)
    }

    /// The KV value (also what a page's validator includes).
    pub fn value(&self) -> &str {
        &self.0
    }

    /// Adds `name` as the translation into `lang` of the English `english`
    /// (an earlier one for the same is replaced); the publisher's.
    pub fn insert(&mut self, kind: Kind, english: &str, lang: Lang, name: &str) {
        let line = format!(
            "{}\t{}\t{}\t{name}",
            kind.mark(),
            name_slug(english),
            lang.code()
        );
        let key = |l: &str| {
            l.rsplit_once('\t')
                .map_or(l.to_string(), |(k, _)| k.to_string())
        };
        let mut lines: Vec<String> = self
            .0
            .lines()
            .filter(|l| key(l) != key(&line))
            .map(str::to_string)
            .collect();
        lines.push(line);
        lines.sort();
        self.0 = lines.iter().map(|l| format!("{l}\n")).collect();
    }

    /// `english` as a page in `lang` shows it.
    pub fn shown<'a>(&'a self, kind: Kind, lang: Lang, english: &'a str) -> Shown<'a> {
        if lang == Lang::En {
            return Shown {
                text: english,
                lang: None,
            };
        }
        let slug = name_slug(english);
        let found = self.0.lines().find_map(|line| {
            let mut f = line.splitn(4, '\t');
            let matches = f.next() == Some(kind.mark())
                && f.next() == Some(slug.as_str())
                && f.next() == Some(lang.code());
            f.next().filter(|name| matches && !name.trim().is_empty())
        });
        match found {
            Some(text) => Shown { text, lang: None },
            None => Shown {
                text: english,
                lang: Some("en"),
            },
        }
    }

    /// A subscriber's topic (`c:<name>`, `t:<name>`) as `lang` shows it.
    pub fn topic<'a>(&'a self, lang: Lang, topic: &'a str) -> Shown<'a> {
        match topic.split_once(':') {
            Some(("c", name)) => self.shown(Kind::Category, lang, name),
            Some(("t", name)) => self.shown(Kind::Tag, lang, name),
            _ => Shown {
                text: topic,
                lang: None,
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Names {
        let mut n = Names::default();
        n.insert(Kind::Category, "Opinion", Lang::Fr, "Opinion");
        n.insert(Kind::Category, "Opinion", Lang::Ar, "رأي");
        n.insert(Kind::Tag, "United Nations", Lang::Fr, "Nations unies");
        n.insert(Kind::Tag, "United Nations", Lang::Zh, "联合国");
        n
    }

    #[test]
    fn a_name_shows_translated_or_in_english_marked() {
        let n = sample();
        let un = "United Nations";
        assert_eq!(
            n.shown(Kind::Tag, Lang::Zh, un),
            Shown {
                text: "联合国",
                lang: None
            }
        );
        assert_eq!(
            n.shown(Kind::Tag, Lang::Ru, un),
            Shown {
                text: un,
                lang: Some("en")
            }
        );
        assert_eq!(
            n.shown(Kind::Tag, Lang::En, un),
            Shown {
                text: un,
                lang: None
            }
        );
        // A category and a tag of one name are apart.
        assert_eq!(n.shown(Kind::Category, Lang::Zh, un).lang, Some("en"));
        // Found by the English name's slug, as URLs are.
        assert_eq!(
            n.shown(Kind::Tag, Lang::Fr, "united  nations").text,
            "Nations unies"
        );
        assert_eq!(n.topic(Lang::Ar, "c:Opinion").text, "رأي");
        assert_eq!(n.topic(Lang::Ar, "t:Opinion").lang, Some("en"));
    }

    #[test]
    fn the_kv_value_reads_back_as_written_and_a_bad_line_is_passed_over() {
        let n = sample();
        assert_eq!(Names::from_value(n.value().to_string()), n);
        assert_eq!(n.value().lines().count(), 4);
        let text = format!(
            "x\ty\n\tc\tfr\tz\nc\topinion\tde\tMeinung\nc\topinion\tes\t \n{}",
            n.value()
        );
        let read = Names::from_value(text);
        assert_eq!(read.shown(Kind::Category, Lang::Ar, "Opinion").text, "رأي");
        assert_eq!(
            read.shown(Kind::Category, Lang::Es, "Opinion").lang,
            Some("en")
        );
        let mut again = n.clone();
        again.insert(Kind::Tag, "United Nations", Lang::Fr, "ONU");
        assert_eq!(
            again.shown(Kind::Tag, Lang::Fr, "United Nations").text,
            "ONU"
        );
        assert_eq!(again.value().lines().count(), 4, "replaced, not added");
    }
}
