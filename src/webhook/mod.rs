//! Signed webhooks (README, "Push"), the parts that are plain data: an
//! endpoint's format and address rules, which alerts it wants, the retry
//! schedule, the Standard Webhooks signature (`signature`) and the bodies
//! each format sends (`event`). The Worker's side (the endpoints in D1,
//! the announcement at go-live, delivery through the alert-mail queue) is
//! `crate::app::mailing::webhooks`.

pub mod event;
pub mod signature;

use crate::mail::topics::Choice;

/// What an endpoint is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The event as JSON, signed the Standard Webhooks way.
    Json,
    /// A Slack incoming-webhook message (title as a link, summary),
    /// unsigned: Slack checks no signature.
    Slack,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Slack => "slack",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(Format::Json),
            "slack" => Some(Format::Slack),
            _ => None,
        }
    }
}

/// Seconds to wait before each retry of a failed delivery, the first
/// attempt being at once: Standard Webhooks' own schedule, 27.6 hours in
/// all. Each is under Cloudflare Queues' longest delay (12 hours). After
/// the last one fails the delivery is kept as dead mail.
pub const BACKOFF: [u32; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/// Attempts a delivery gets: the first and one per `BACKOFF` step.
pub const ATTEMPTS: u32 = BACKOFF.len() as u32 + 1;

/// An endpoint that has failed every delivery for this long (its first
/// failure since its last success) is disabled.
pub const DISABLE_AFTER_SECONDS: i64 = 3 * 86_400;

/// How long a delivery may take before it counts as failed: a slow
/// endpoint holds up neither the queue's other messages for long nor
/// anything a reader waits for.
pub const TIMEOUT_MILLIS: u32 = 10_000;

/// Whether an endpoint that chose `topics` (`c:<Category>`, `t:<tag>`;
/// none: every alert) is sent an event of an alert with `alert_topics`.
pub fn wants(topics: &[String], alert_topics: &[String]) -> bool {
    Choice {
        every: topics.is_empty(),
        topics: topics.to_vec(),
        ..Choice::default()
    }
    .wants(alert_topics)
}

/// Whether `url` may be an endpoint (or a WebSub hub): `https://` with a
/// host name, no IP literal, no credentials; with `local` (a test build
/// with `LOCAL_PUSH` or `TEST_ROUTES` on) also `http://127.0.0.1:<port>/...`.
pub fn is_push_url(url: &str, local: bool) -> bool {
    if local {
        if let Some(rest) = url.strip_prefix("http://127.0.0.1:") {
            let port = rest.split(['/', '?', '#']).next().unwrap_or("");
            return !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        }
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let labels: Vec<&str> = host.split('.').collect();
    let named = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        // A dotted all-digit name is an IPv4 literal; a top-level label
        // is never digits.
        && !labels.last().is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    named && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("https://hooks.example.org/in", false => true; "https with a host name")]
    #[test_case("https://hooks.example.org:8443/in?x=1", false => true; "with a port and query")]
    #[test_case("https://Hooks.Example.org", false => true; "no path")]
    #[test_case("http://hooks.example.org/in", false => false; "plain http")]
    #[test_case("https://192.0.2.7/in", false => false; "an IPv4 literal")]
    #[test_case("https://[2001:db8::1]/in", false => false; "an IPv6 literal")]
    #[test_case("https://user:pw@hooks.example.org/in", false => false; "credentials")]
    #[test_case("https://localhost/in", false => false; "a single label")]
    #[test_case("https:///in", false => false; "no host")]
    #[test_case("https://hooks.example.org/a b", false => false; "a space")]
    #[test_case("http://127.0.0.1:9000/in", false => false; "local, production")]
    #[test_case("http://127.0.0.1:9000/in", true => true; "local, test build")]
    #[test_case("http://127.0.0.1/in", true => false; "local without a port")]
    #[test_case("http://127.0.0.1:9000@evil.example/in", true => false; "local with userinfo")]
    fn endpoint_addresses(url: &str, local: bool) -> bool {
        is_push_url(url, local)
    }

    #[test]
    fn an_endpoint_without_topics_wants_every_alert() {
        let alert = vec!["c:Opinion".to_string(), "t:un".to_string()];
        assert!(wants(&[], &alert));
        assert!(wants(&["t:un".into()], &alert));
        assert!(!wants(&["c:General".into()], &alert));
    }

    #[test]
    fn retries_last_more_than_a_day_each_within_a_queue_delay() {
        let total: u32 = BACKOFF.iter().sum();
        assert!(total >= 86_400, "{total}");
        assert!(BACKOFF.iter().all(|d| *d <= 43_200));
        assert!(BACKOFF.windows(2).all(|w| w[0] <= w[1]), "growing");
    }
}
