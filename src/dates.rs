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

#[cfg(test)]
mod tests {
    use super::*;

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
