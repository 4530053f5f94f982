//! Synthetic alerts for scale tests and benchmarks (`make seed-synthetic`,
//! `make bench`, the in-process tests): short bodies, four categories, fifty
//! topics, one every four hours back from 17 Nov 2024.

use access_alerts::content::AlertRecord;

pub const CATEGORIES: [&str; 4] = ["Opinion", "General", "Analysis", "Briefing"];

/// The `i`-th synthetic alert (`synthetic-00000i`).
pub fn record(i: usize) -> AlertRecord {
    let start = chrono::DateTime::from_timestamp(1_731_844_800, 0).unwrap_or_default(); // 2024-11-17T12:00:00Z
    let mut record = AlertRecord {
        category: Some(CATEGORIES[i % CATEGORIES.len()].to_string()),
        tags: vec!["Synthetic".into(), format!("Topic {}", i % 50)],
        summary: format!("Synthetic alert number {i}, generated to measure listings at scale."),
        ..AlertRecord::new(
            &format!("synthetic-{i:06}"),
            &format!("Synthetic alert {i}: a policy development worth knowing"),
            start - chrono::Duration::hours(4 * i as i64),
            &format!("Synthetic alert number {i}, generated to measure listings at scale.\n\n## Details\n\nA short body with a [link](https://example.org/{i}) and *emphasis*.\n"),
        )
    };
    record.hash = format!("synthetic-{i}");
    record
}

#[cfg(test)]
mod tests {
    #[test]
    fn starts_on_17_november_2024_and_steps_back_four_hours() {
        assert_eq!(
            super::record(0).date.to_rfc3339(),
            "2024-11-17T12:00:00+00:00"
        );
        assert_eq!(
            super::record(6).date.to_rfc3339(),
            "2024-11-16T12:00:00+00:00"
        );
    }
}
