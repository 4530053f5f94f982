//! What an endpoint is sent when an alert goes live (`alert.published`)
//! or gets a new change note (`alert.updated`): the alert's public fields
//! only (never its body, its related alerts or a draft), as a JSON event,
//! or as a Slack message for a `slack` endpoint.

use super::Format;
use crate::content::{AlertRecord, Change};
use crate::dates::rfc3339;
use serde_json::{json, Value};

/// One event: which alert, and the note for an update.
pub struct AlertEvent<'a> {
    pub record: &'a AlertRecord,
    /// The alert's page (absolute).
    pub url: String,
    /// The change note of an update; `None` at go-live.
    pub change: Option<&'a Change>,
    /// When the event happened (unix seconds).
    pub at: i64,
}

impl AlertEvent<'_> {
    /// `alert.published` or `alert.updated`.
    pub fn kind(&self) -> &'static str {
        if self.change.is_some() {
            "alert.updated"
        } else {
            "alert.published"
        }
    }

    /// The body an endpoint of `format` is sent.
    pub fn body(&self, format: Format) -> String {
        match format {
            Format::Json => self.json().to_string(),
            Format::Slack => self.slack().to_string(),
        }
    }

    /// `{type, timestamp, data: {slug, title, summary, url, category,
    /// tags, date, updated, change?}}`.
    fn json(&self) -> Value {
        let r = self.record;
        let at = chrono::DateTime::from_timestamp(self.at, 0).unwrap_or_default();
        let mut data = json!({
            "slug": r.slug,
            "title": r.title,
            "summary": r.summary,
            "url": self.url,
            "category": r.category,
            "tags": r.tags,
            "date": rfc3339(r.date),
            "updated": r.updated_at(at).map(rfc3339),
        });
        if let Some(c) = self.change {
            data["change"] = json!({"date": rfc3339(c.date), "note": c.note});
        }
        json!({"type": self.kind(), "timestamp": rfc3339(at), "data": data})
    }

    /// A Slack incoming-webhook message: the title as a link, then the
    /// summary (or the change note of an update).
    fn slack(&self) -> Value {
        let r = self.record;
        let (lead, line) = match self.change {
            Some(c) => ("Updated: ", c.note.as_str()),
            None => ("", r.summary.as_str()),
        };
        let text = format!(
            "{lead}*<{}|{}>*\n{}",
            self.url,
            slack_escape(&r.title),
            slack_escape(line)
        );
        json!({"text": text, "unfurl_links": false})
    }
}

/// Text as Slack's `mrkdwn` reads it literally: `&`, `<` and `>` escaped.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> AlertRecord {
        serde_json::from_value(json!({
            "slug": "a-b", "title": "A & <B>", "date": 1_733_011_200,
            "category": "Opinion", "tags": ["UN"], "summary": "Why it matters.",
            "body": "Secret body text.", "hash": "h",
            "changes": [{"date": 1_733_097_600, "note": "Moved."}],
        }))
        .unwrap()
    }

    #[test]
    fn a_go_live_says_which_alert_and_nothing_more() {
        let r = record();
        let e = AlertEvent {
            record: &r,
            url: "https://alerts.example.org/alerts/a-b".into(),
            change: None,
            at: 1_733_011_260,
        };
        let v: Value = serde_json::from_str(&e.body(Format::Json)).unwrap();
        assert_eq!(v["type"], "alert.published");
        assert_eq!(v["timestamp"], "2024-12-01T00:01:00Z");
        assert_eq!(v["data"]["slug"], "a-b");
        assert_eq!(v["data"]["category"], "Opinion");
        assert_eq!(v["data"]["tags"][0], "UN");
        assert_eq!(v["data"]["date"], "2024-12-01T00:00:00Z");
        assert!(v["data"]["updated"].is_null(), "the note is not out yet");
        assert!(v["data"].get("change").is_none());
        assert!(!v.to_string().contains("Secret body"), "never the body");
    }

    #[test]
    fn an_update_carries_its_note() {
        let r = record();
        let e = AlertEvent {
            record: &r,
            url: "https://alerts.example.org/alerts/a-b".into(),
            change: r.changes.first(),
            at: 1_733_097_660,
        };
        let v: Value = serde_json::from_str(&e.body(Format::Json)).unwrap();
        assert_eq!(v["type"], "alert.updated");
        assert_eq!(v["data"]["change"]["note"], "Moved.");
        assert_eq!(v["data"]["updated"], "2024-12-02T00:00:00Z");
        let slack: Value = serde_json::from_str(&e.body(Format::Slack)).unwrap();
        assert_eq!(
            slack["text"],
            "Updated: *<https://alerts.example.org/alerts/a-b|A &amp; &lt;B&gt;>*\nMoved."
        );
    }
}
