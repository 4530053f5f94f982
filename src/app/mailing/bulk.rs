//! The bulk sender: alerts, updates and digests go to Amazon SES v2's
//! `SendEmail` as the raw message (`crate::mail::ses`), signed with the
//! request's own clock, over the platform's fetch. What SES answers is
//! read into what the send does next (`Bulk`). Confirmation requests and
//! test sends are transactional and go through `Mailer` instead.

use crate::app::ports::HttpRequest;
use crate::app::{App, Platform};
use crate::mail::ses::{self, SesReply};
use crate::mail::sigv4;

/// What became of one bulk message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bulk {
    Sent,
    /// SES said "slow down": the rest of the batch waits and is tried
    /// again later, without counting as a failure.
    Throttled,
    /// Refused or failed: `kind` (an error type, `Http<status>`,
    /// `network` or `no-sender`) is fit for a log: it names no address.
    Failed {
        kind: String,
    },
}

/// Sends `raw` (the whole MIME message) from `from` to `to` through SES.
pub async fn send<P: Platform>(app: &App<'_, P>, from: &str, to: &str, raw: &str) -> Bulk {
    let Some(cfg) = app.settings.ses.as_ref() else {
        return Bulk::Failed {
            kind: "no-sender".into(),
        };
    };
    let signed = ses::send_raw(cfg, from, to, raw, &sigv4::amz_date(app.now()));
    let request = HttpRequest {
        method: signed.method,
        url: signed.url,
        // The runtime writes `Host` from the URL, the same value signed.
        headers: signed
            .headers
            .into_iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
            .collect(),
        body: signed.body,
        timeout_millis: None,
    };
    match app.platform.fetch(&request).await {
        Err(_) => Bulk::Failed {
            kind: "network".into(),
        },
        Ok(answer) => match ses::read_reply(answer.status, answer.body.as_bytes()) {
            SesReply::Sent { .. } => Bulk::Sent,
            SesReply::Throttled => Bulk::Throttled,
            SesReply::Rejected { kind } | SesReply::Failed { kind } => Bulk::Failed { kind },
        },
    }
}
