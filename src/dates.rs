//! Dates as readers and feeds see them, and the calendar month a listing
//! is about.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// A calendar month (archives, sitemaps, month navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    /// 1-12.
    pub month: u32,
}

impl YearMonth {
    /// The month `date` falls in (UTC).
    pub fn of(date: DateTime<Utc>) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "25 Nov 2024", as readers of the series know it. (chrono does the
/// calendar; its strftime engine is not used, which keeps ~20 KB out of
/// the wasm.)
pub fn human_date(date: DateTime<Utc>) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// RFC 3339 in UTC with seconds: `2024-11-25T00:00:00Z`.
pub fn rfc3339(date: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        date.month(),
        date.day(),
        date.hour(),
        date.minute(),
        date.second()
    )
}

/// "November 2024".
pub fn month_name(year: i32, month: u32) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {year}", NAMES[(month.clamp(1, 12) - 1) as usize])
}

/// An ISO week: its name (`2024-W48`) and its first second and the next
/// week's first (Monday 00:00 UTC to the next Monday 00:00 UTC, unix
/// seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub name: String,
    pub start: i64,
    pub end: i64,
}

/// The ISO week of a time (unix seconds).
pub fn iso_week(unix: i64) -> Week {
    let day = DateTime::from_timestamp(unix, 0).unwrap_or_default();
    let w = day.iso_week();
    let monday = chrono::NaiveDate::from_isoywd_opt(w.year(), w.week(), chrono::Weekday::Mon)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp());
    Week {
        name: format!("{}-W{:02}", w.year(), w.week()),
        start: monday,
        end: monday + 7 * 86_400,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_run_monday_to_monday_and_cross_years() {
        // Wednesday 2024-11-27 12:00 UTC.
        let w = iso_week(1_732_708_800);
        assert_eq!(w.name, "2024-W48");
        assert_eq!((w.start, w.end), (1_732_492_800, 1_733_097_600));
        // Monday 2024-12-30 belongs to 2025's first week.
        assert_eq!(iso_week(1_735_560_000).name, "2025-W01");
        // Sunday 2021-01-03 is the last day of 2020-W53.
        assert_eq!(iso_week(1_609_675_200).name, "2020-W53");
        // A week's last second is in it; its end is the next one's start.
        assert_eq!(iso_week(w.end - 1), w);
        assert_eq!(iso_week(w.end).start, w.end);
    }

    #[test]
    fn dates_read_like_the_series() {
        let d = DateTime::parse_from_rfc3339("2024-11-05T00:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(human_date(d), "5 Nov 2024");
        assert_eq!(
            rfc3339(d + chrono::Duration::seconds(3661)),
            "2024-11-05T01:01:01Z"
        );
        assert_eq!(
            rfc3339(d),
            d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        assert_eq!(month_name(2024, 11), "November 2024");
        assert!(
            YearMonth {
                year: 2024,
                month: 12
            } < YearMonth {
                year: 2025,
                month: 1
            }
        );
    }
}
