//! Dates in each language, as its readers write them: `26 novembre 2024`,
//! `26 de noviembre de 2024`, `26 ноября 2024 г.`, `26 نوفمبر 2024`,
//! `2024年11月26日`. Month names are a table here rather than chrono's
//! `unstable-locales` (every locale's data, far more bytes than twelve
//! names in five languages).

use super::Lang;
use crate::dates::{human_date, month_name};
use chrono::{DateTime, Datelike, Utc};

const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
/// Russian months as a date says them (genitive: `26 ноября`).
const RU_OF: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
/// Russian months on their own (nominative: `ноябрь 2024 г.`).
const RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A day as readers of `lang` write it (English: `human_date`).
pub fn date_in(lang: Lang, date: DateTime<Utc>) -> String {
    let (d, m, y) = (date.day(), date.month0() as usize, date.year());
    match lang {
        Lang::En => human_date(date),
        Lang::Fr if d == 1 => format!("1er {} {y}", FR[m]),
        Lang::Fr => format!("{d} {} {y}", FR[m]),
        Lang::Es => format!("{d} de {} de {y}", ES[m]),
        Lang::Ru => format!("{d} {} {y} г.", RU_OF[m]),
        Lang::Ar => format!("{d} {} {y}", AR[m]),
        Lang::Zh => format!("{y}年{}月{d}日", m + 1),
    }
}

/// A month as readers of `lang` name it (English: `month_name`).
pub fn month_in(lang: Lang, year: i32, month: u32) -> String {
    let m = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::En => month_name(year, month),
        Lang::Fr => format!("{} {year}", FR[m]),
        Lang::Es => format!("{} de {year}", ES[m]),
        Lang::Ru => format!("{} {year} г.", RU[m]),
        Lang::Ar => format!("{} {year}", AR[m]),
        Lang::Zh => format!("{year}年{}月", m + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    }

    #[test_case(Lang::En, "26 Nov 2024", "November 2024")]
    #[test_case(Lang::Fr, "26 novembre 2024", "novembre 2024")]
    #[test_case(Lang::Es, "26 de noviembre de 2024", "noviembre de 2024")]
    #[test_case(Lang::Ru, "26 ноября 2024 г.", "ноябрь 2024 г.")]
    #[test_case(Lang::Ar, "26 نوفمبر 2024", "نوفمبر 2024")]
    #[test_case(Lang::Zh, "2024年11月26日", "2024年11月")]
    fn dates_read_as_each_language_writes_them(lang: Lang, date: &str, month: &str) {
        assert_eq!(date_in(lang, day(2024, 11, 26)), date);
        assert_eq!(month_in(lang, 2024, 11), month);
    }

    #[test]
    fn the_first_of_a_month_in_french_and_every_month_has_a_name() {
        assert_eq!(date_in(Lang::Fr, day(2025, 8, 1)), "1er août 2025");
        for lang in Lang::ALL {
            let names: std::collections::BTreeSet<String> =
                (1..=12).map(|m| month_in(lang, 2025, m)).collect();
            assert_eq!(names.len(), 12, "{lang:?}");
        }
    }
}
