//! The site's languages (issue 24): English, the source, and the five
//! other UN languages an alert may be translated into. Each has its code,
//! its direction, its own name, the strings of the site in it
//! (`catalog`) and its dates (`dates`).

mod catalog;
mod contact_errors;
mod contact_strings;
mod dates;
mod error_strings;
mod mail_strings;
pub mod names;
mod search_strings;
mod subscribe_errors;
mod subscribe_strings;
mod translation;

pub use catalog::Strings;
pub use contact_errors::ContactErrors;
pub use contact_strings::ContactStrings;
pub use dates::{date_in, month_in};
pub use error_strings::ErrorStrings;
pub use mail_strings::MailStrings;
pub use names::{Kind, Names, Shown};
pub use search_strings::SearchStrings;
pub use subscribe_errors::SubscribeErrors;
pub use subscribe_strings::SubscribeStrings;
pub use translation::{Body, Translation};

use serde::{Deserialize, Serialize};

/// One of the six UN languages.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ar,
    Zh,
    Fr,
    Ru,
    Es,
}

/// The codes of the languages besides English, in UN order: the suffix of
/// a translation's file (`<slug>.<code>.md`) and the first segment of its
/// URLs (`/<code>/alerts/<slug>`).
pub const CODES: [&str; 5] = ["ar", "zh", "fr", "ru", "es"];

impl Lang {
    /// Every language, English first, then `CODES`' order.
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Ar, Lang::Zh, Lang::Fr, Lang::Ru, Lang::Es];

    /// Its code (BCP 47): `en`, `ar`, `zh`, `fr`, `ru`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Zh => "zh",
            Lang::Fr => "fr",
            Lang::Ru => "ru",
            Lang::Es => "es",
        }
    }

    /// The language a translation's code names (`en` is not one: English
    /// is the source, and has no prefix).
    pub fn translated(code: &str) -> Option<Lang> {
        Lang::ALL[1..].iter().copied().find(|l| l.code() == code)
    }

    /// The language a code names, English's (`en`) included.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.code() == code)
    }

    /// The writing direction, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// Its name in itself, as a language switcher shows it.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Zh => "中文",
            Lang::Fr => "Français",
            Lang::Ru => "Русский",
            Lang::Es => "Español",
        }
    }

    /// The site's strings in this language.
    pub fn strings(self) -> &'static Strings {
        catalog::of(self)
    }

    /// Of six things in `ALL`'s order (English first), this language's.
    pub fn pick<T: ?Sized>(self, all: [&'static T; 6]) -> &'static T {
        all[self as usize]
    }

    /// The search page's strings in this language.
    pub fn search_strings(self) -> &'static SearchStrings {
        search_strings::of(self)
    }

    /// The subscriber pages' strings in this language.
    pub fn subscribe_strings(self) -> &'static SubscribeStrings {
        subscribe_strings::of(self)
    }

    /// The subscribe form's errors in this language.
    pub fn subscribe_errors(self) -> &'static SubscribeErrors {
        subscribe_errors::of(self)
    }

    /// The contact form's, its thank-you page's and the privacy notice's
    /// strings in this language.
    pub fn contact_strings(self) -> &'static ContactStrings {
        contact_strings::of(self)
    }

    /// The contact form's errors in this language.
    pub fn contact_errors(self) -> &'static ContactErrors {
        contact_errors::of(self)
    }

    /// The error pages' strings in this language.
    pub fn error_strings(self) -> &'static ErrorStrings {
        error_strings::of(self)
    }

    /// The mails' strings in this language.
    pub fn mail_strings(self) -> &'static MailStrings {
        mail_strings::of(self)
    }
}

/// `template` with its `{}` replaced by `value` (the catalog's one
/// placeholder; the word order is the language's).
pub fn fill(template: &str, value: &str) -> String {
    template.replacen("{}", value, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_takes_each_language_s_own() {
        let all = ["en", "ar", "zh", "fr", "ru", "es"];
        for lang in Lang::ALL {
            assert_eq!(lang.pick(all.map(|s| s as &str)), lang.code());
        }
    }

    #[test]
    fn codes_and_languages_agree() {
        let codes: Vec<&str> = Lang::ALL[1..].iter().map(|l| l.code()).collect();
        assert_eq!(codes, CODES);
        for code in CODES {
            assert_eq!(Lang::translated(code).map(Lang::code), Some(code));
        }
        assert_eq!(Lang::translated("en"), None, "English has no prefix");
        assert_eq!(Lang::translated("de"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("EN"), None);
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert!(Lang::ALL.iter().filter(|l| l.dir() == "rtl").count() == 1);
        assert_eq!(
            serde_json::to_string(&Lang::Zh).unwrap(),
            "\"zh\"",
            "stored by its code"
        );
    }

    #[test]
    fn fill_puts_the_value_where_the_language_wants_it() {
        assert_eq!(fill("Write to {}", "Ann"), "Write to Ann");
        assert_eq!(fill("写信给{}", "Ann"), "写信给Ann");
        assert_eq!(fill("no placeholder", "Ann"), "no placeholder");
    }
}
