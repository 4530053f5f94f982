//! What a reader subscribes to: every alert, or chosen categories and tags
//! (topics `c:<category>` and `t:<tag>`), each alert as it goes live or a
//! weekly digest. The topics a reader may choose are the site's public
//! categories and tags: `site:topics`, derived by the publisher from every
//! alert like `site:months`, each with the date it becomes public, so that a
//! scheduled alert's new tag is not offered before its date.

use crate::content::AlertRecord;
use std::collections::BTreeMap;

/// The key (see `docs/kv-schema.md`).
pub const KEY: &str = "site:topics";

/// How often a subscriber gets mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Frequency {
    /// Each alert as it goes live.
    #[default]
    Each,
    /// One email a week with that week's alerts (none if there are none).
    Weekly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Each => "each",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "each" => Some(Frequency::Each),
            "weekly" => Some(Frequency::Weekly),
            _ => None,
        }
    }
}

/// A subscriber's choice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Choice {
    /// Every alert (topics ignored).
    pub every: bool,
    /// `c:<category>` and `t:<tag>`, sorted, without repeats.
    pub topics: Vec<String>,
    pub frequency: Frequency,
    /// The language their mail is in (the subscribe page's by default).
    pub lang: crate::i18n::Lang,
}

/// A category's topic.
pub fn category(name: &str) -> String {
    format!("c:{name}")
}

/// A tag's topic.
pub fn tag(name: &str) -> String {
    format!("t:{name}")
}

/// An alert's topics: its category and its tags.
pub fn of_alert(category_name: Option<&str>, tags: &[String]) -> Vec<String> {
    category_name
        .map(category)
        .into_iter()
        .chain(tags.iter().map(|t| tag(t)))
        .collect()
}

impl Choice {
    /// Whether an alert with these topics goes to this subscriber.
    pub fn wants(&self, alert_topics: &[String]) -> bool {
        self.every || alert_topics.iter().any(|t| self.topics.contains(t))
    }

    /// Why an alert with these topics is sent: "every alert" (in
    /// `lang`), or the subscriber's topics it matched ("Opinion, UN OEWG").
    pub fn reason(
        &self,
        alert_topics: &[String],
        lang: crate::i18n::Lang,
        names: &crate::i18n::Names,
    ) -> String {
        if self.every {
            return lang.subscribe_strings().every_alert.to_string();
        }
        let matched: Vec<&str> = self
            .topics
            .iter()
            .filter(|t| alert_topics.is_empty() || alert_topics.contains(t))
            .map(|t| names.topic(lang, t).text)
            .collect();
        matched.join(", ")
    }

    /// What the subscriber chose, as a sentence's object in `lang`.
    pub fn describe(&self, lang: crate::i18n::Lang, names: &crate::i18n::Names) -> String {
        if self.every {
            lang.subscribe_strings().every_alert.to_string()
        } else {
            self.topics
                .iter()
                .map(|t| names.topic(lang, t).text)
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

/// One topic a reader may choose, and when it becomes public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub topic: String,
    /// The earliest date of a non-draft alert with it (unix seconds).
    pub first: i64,
}

/// The site's topics: categories first, then tags, each by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topics(pub Vec<Known>);

impl Topics {
    /// The topics of these alerts (drafts left out).
    pub fn of<'a>(records: impl IntoIterator<Item = &'a AlertRecord>) -> Self {
        let mut by: BTreeMap<String, i64> = BTreeMap::new();
        for r in records.into_iter().filter(|r| !r.draft) {
            for t in of_alert(r.category.as_deref(), &r.tags) {
                let first = by.entry(t).or_insert(r.date.timestamp());
                *first = (*first).min(r.date.timestamp());
            }
        }
        Topics(
            by.into_iter()
                .map(|(topic, first)| Known { topic, first })
                .collect(),
        )
    }

    /// One line per topic: `<topic>\t<first>`.
    pub fn render(&self) -> String {
        self.0
            .iter()
            .map(|k| format!("{}\t{}\n", k.topic, k.first))
            .collect()
    }

    pub fn parse(text: &str) -> Self {
        Topics(
            text.lines()
                .filter_map(|l| {
                    let (topic, first) = l.split_once('\t')?;
                    (topic.starts_with("c:") || topic.starts_with("t:")).then_some(())?;
                    Some(Known {
                        topic: topic.to_string(),
                        first: first.parse().ok()?,
                    })
                })
                .collect(),
        )
    }

    /// The topics public at `now` (unix seconds).
    pub fn public(&self, now: i64) -> Vec<String> {
        self.0
            .iter()
            .filter(|k| k.first <= now)
            .map(|k| k.topic.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn alert(slug: &str, category: &str, tags: &[&str], day: u32, draft: bool) -> AlertRecord {
        AlertRecord {
            category: Some(category.into()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            draft,
            ..AlertRecord::new(
                slug,
                "T",
                chrono::Utc
                    .with_ymd_and_hms(2024, 11, day, 0, 0, 0)
                    .unwrap(),
                "x",
            )
        }
    }

    #[test]
    fn topics_of_the_site_leave_drafts_out_and_wait_for_their_date() {
        let a = alert("a", "Opinion", &["UN OEWG"], 5, false);
        let b = alert("b", "Opinion", &["Scheduled tag"], 20, false);
        let c = alert("c", "Secret", &["Draft tag"], 1, true);
        let topics = Topics::parse(&Topics::of([&a, &b, &c]).render());
        let day = |d: u32| {
            chrono::Utc
                .with_ymd_and_hms(2024, 11, d, 0, 0, 0)
                .unwrap()
                .timestamp()
        };
        assert_eq!(topics.public(day(10)), ["c:Opinion", "t:UN OEWG"]);
        assert_eq!(
            topics.public(day(20)),
            ["c:Opinion", "t:Scheduled tag", "t:UN OEWG"]
        );
        assert!(!topics.render().contains("Secret"));
    }

    use crate::i18n::Lang;

    use crate::i18n::Names;

    #[test]
    fn a_choice_matches_and_explains_itself() {
        let choice = Choice {
            every: false,
            topics: vec![category("Opinion"), tag("UN OEWG")],
            frequency: Frequency::Each,
            lang: Lang::En,
        };
        let opinion = of_alert(Some("Opinion"), &["Africa".into()]);
        let other = of_alert(Some("General"), &["Africa".into()]);
        assert!(choice.wants(&opinion));
        assert!(!choice.wants(&other));
        let none = Names::EMPTY;
        assert_eq!(choice.reason(&opinion, Lang::En, &none), "Opinion");
        assert_eq!(choice.describe(Lang::Fr, &none), "Opinion, UN OEWG");
        // In the editors' names where they gave one.
        let mut names = Names::default();
        names.insert(crate::i18n::Kind::Category, "Opinion", Lang::Es, "Opinión");
        assert_eq!(choice.reason(&opinion, Lang::Es, &names), "Opinión");
        assert_eq!(choice.describe(Lang::Es, &names), "Opinión, UN OEWG");
        assert_eq!(choice.describe(Lang::En, &names), "Opinion, UN OEWG");
        let all = Choice {
            every: true,
            ..Choice::default()
        };
        assert!(all.wants(&other));
        assert_eq!(all.reason(&other, Lang::En, &none), "every alert");
        assert_eq!(all.reason(&other, Lang::Fr, &names), "toutes les alertes");
        assert_eq!(all.describe(Lang::Zh, &names), "全部快讯");
    }
}
