//! The Worker's settings, from `wrangler.toml` vars and secrets (see the
//! README's table). Read once per isolate by the edge layer; parsed here so
//! that the parsing is tested natively. Nothing here is ever rendered.

use crate::mail::ses::SesConfig;
use crate::routes::Switches;
use crate::views::Site;
use std::collections::HashMap;

/// Turnstile, when `TURNSTILE_SECRET` is set.
#[derive(Debug, Clone)]
pub struct Turnstile {
    pub secret: String,
    pub site_key: String,
    pub verify_url: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub site: Site,
    /// Which test and bench routes exist (`TEST_ROUTES`, `BENCH_ROUTES`;
    /// only in a build with the `diagnostics` feature).
    pub switches: Switches,
    /// `RATE_LIMIT_DISABLED = "1"` (test environment) turns the limiter
    /// off, in a build with the `diagnostics` feature only: elsewhere the
    /// limiter stays on and the var is a problem. `/healthz` says which.
    pub rate_limit_disabled: bool,
    /// The most confirmation emails queued in one hour, all addresses
    /// together (`CONFIRMATIONS_PER_HOUR`, default 200).
    pub confirmations_per_hour: i64,
    /// Contact id to address (`CONTACT_ADDRESSES`, a JSON object; a secret in
    /// production). Never logged or rendered.
    pub contact_addresses: HashMap<String, String>,
    /// The sender of forwarded inquiries (`MAIL_FROM`).
    pub mail_from: String,
    /// Seconds before a failed send is tried again (`RETRY_DELAY_SECONDS`).
    pub retry_delay: u32,
    pub turnstile: Option<Turnstile>,
    pub preview_secret: Option<String>,
    /// The longest a preview link may live, in days (`PREVIEW_MAX_DAYS`,
    /// default 30).
    pub preview_max_days: i64,
    /// How long the isolate keeps a listing index, the months, an alert
    /// record or a search part before it checks `site:version`
    /// (`CACHE_TTL_SECONDS`, default 30; 0 turns that caching off).
    pub cache_ttl_seconds: i64,
    /// How long after this isolate first reads a new `site:version` what
    /// it reads is trusted to be that version's (`KV_SETTLE_SECONDS`,
    /// default 60: KV's propagation delay), and so kept past the TTL
    /// while the version holds.
    pub kv_settle_seconds: i64,
    pub operator_token: Option<String>,
    /// Signs the links of email alerts (`SUBSCRIBER_SECRET`, a secret).
    /// Without it, `/subscribe` answers 503 and nothing is mailed.
    pub subscriber_secret: Option<String>,
    /// An alert dated more than this many days before it goes live is an
    /// archive import and is not mailed (`NOTIFY_MAX_AGE_DAYS`, default 7);
    /// a change note older than that is not mailed either.
    pub notify_max_age_days: i64,
    /// The bulk sender for alerts, updates and digests: Amazon SES
    /// (`SES_ACCESS_KEY_ID` and `SES_SECRET_ACCESS_KEY`, secrets;
    /// `SES_REGION`; `SES_ENDPOINT` for a local stand-in;
    /// `SES_SESSION_TOKEN`; `SES_CONFIGURATION_SET`). Without it nothing
    /// bulk is sent, and `/healthz` says so while alerts are on.
    pub ses: Option<SesConfig>,
    /// Keys the suppression list's hashes (`SUPPRESSION_SECRET`, a
    /// secret): addresses that bounced or complained are kept only as
    /// HMACs under it. Without it no bounce is taken (`/healthz` says so).
    pub suppression_secret: Option<String>,
    /// The SNS topic SES publishes its events to (`SNS_TOPIC_ARN`):
    /// `/hooks/ses` takes messages of this topic only, and confirms only
    /// its subscription.
    pub sns_topic_arn: Option<String>,
    /// A build with the `diagnostics` feature and `TEST_ROUTES` on only:
    /// an origin (`SNS_TEST_CERT_ORIGIN`, `http://127.0.0.1:<port>`) whose
    /// certificates and confirmation links `/hooks/ses` takes besides
    /// SNS's own, so that the `wrangler dev` tests can sign messages with
    /// a key of their own. Signatures are checked all the same.
    pub sns_test_cert_origin: Option<String>,
    /// WebSub hubs the feeds advertise and tell when an alert goes live or
    /// has a new change note (`WEBSUB_HUBS`, comma-separated `https://`
    /// addresses; none by default). A test build with `LOCAL_PUSH` on also
    /// takes `http://127.0.0.1:<port>/...`, a local hub.
    pub websub_hubs: Vec<String>,
    /// A build with the `diagnostics` feature and `LOCAL_PUSH` (as `make
    /// dev`'s `.dev.vars` sets) or `TEST_ROUTES` on only: hubs and webhook
    /// endpoints may also be `http://127.0.0.1:<port>`
    /// (`crate::webhook::is_push_url`), so that `make dev` and the
    /// `wrangler dev` tests can push to a local receiver.
    pub local_targets: bool,
    /// The most bulk messages a second the fan-out spaces its sends for
    /// (`SES_MAX_SEND_RATE`, default 14: SES's usual starting quota).
    pub max_send_rate: u32,
    /// What is missing or malformed, by setting name (never a value):
    /// `/healthz` answers 503 with these, and the edge logs them once.
    pub problems: Vec<String>,
}

/// The settings a deployment cannot do without (README, "Deploying").
pub const REQUIRED: [&str; 5] = [
    "SITE_URL",
    "MAIL_FROM",
    "CONTACT_ADDRESSES",
    "SUBSCRIBER_SECRET",
    "SUPPRESSION_SECRET",
];

impl Settings {
    /// Reads every setting through `var` (a var or secret by name; `None`
    /// or blank when unset).
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let on = |name: &str| text(name).as_deref() == Some("1");
        let mut problems: Vec<String> = REQUIRED
            .iter()
            .filter(|name| text(name).is_none())
            .map(|name| format!("{name} is not set"))
            .collect();
        if text("SITE_URL")
            .is_some_and(|u| crate::http::origin_of(&u).is_none_or(|o| !o.starts_with("http")))
        {
            problems.push("SITE_URL is not an http(s) address".into());
        }
        let contact_addresses = match text("CONTACT_ADDRESSES")
            .map(|j| serde_json::from_str::<HashMap<String, String>>(&j))
        {
            Some(Ok(map)) => map,
            Some(Err(_)) => {
                problems.push(
                    "CONTACT_ADDRESSES is not a JSON object of contact ids to addresses".into(),
                );
                HashMap::new()
            }
            None => HashMap::new(),
        };
        if on("RATE_LIMIT_DISABLED") && !cfg!(feature = "diagnostics") {
            problems.push(
                "RATE_LIMIT_DISABLED is set, but this build has no diagnostics: the rate limiter stays on"
                    .into(),
            );
        }
        let ses = read_ses(&text, &mut problems);
        if ses.is_none() && text("SUBSCRIBER_SECRET").is_some() {
            problems.push("SES_ACCESS_KEY_ID is not set: email alerts have no bulk sender".into());
        }
        let sns_topic_arn = text("SNS_TOPIC_ARN");
        if ses.is_some() && sns_topic_arn.is_none() {
            problems.push(
                "SNS_TOPIC_ARN is not set: SES's bounces and complaints would not be taken".into(),
            );
        }
        let local_targets =
            cfg!(feature = "diagnostics") && (on("LOCAL_PUSH") || on("TEST_ROUTES"));
        let hub_ok = |h: &str| crate::webhook::is_push_url(h, local_targets);
        let listed = text("WEBSUB_HUBS").unwrap_or_default();
        let listed: Vec<&str> = listed
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .collect();
        if listed.iter().any(|h| !hub_ok(h)) {
            problems.push(
                "WEBSUB_HUBS holds an address that is not https with a host name (it is left out)"
                    .into(),
            );
        }
        let websub_hubs: Vec<String> = listed
            .into_iter()
            .filter(|h| hub_ok(h))
            .map(str::to_string)
            .collect();
        Settings {
            websub_hubs,
            local_targets,
            ses,
            suppression_secret: text("SUPPRESSION_SECRET"),
            sns_topic_arn,
            sns_test_cert_origin: text("SNS_TEST_CERT_ORIGIN")
                .filter(|_| cfg!(feature = "diagnostics") && on("TEST_ROUTES"))
                .filter(|o| o.starts_with("http://127.0.0.1:")),
            max_send_rate: text("SES_MAX_SEND_RATE")
                .and_then(|d| d.trim().parse().ok())
                .filter(|d: &u32| (1..=10_000).contains(d))
                .unwrap_or(DEFAULT_SEND_RATE),
            site: Site::new(
                &text("SITE_URL").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
                &text("SITE_NAME").unwrap_or_else(|| "Access Alerts".into()),
            ),
            switches: Switches {
                test: cfg!(feature = "diagnostics") && on("TEST_ROUTES"),
                bench: cfg!(feature = "diagnostics") && on("BENCH_ROUTES"),
            },
            rate_limit_disabled: cfg!(feature = "diagnostics") && on("RATE_LIMIT_DISABLED"),
            confirmations_per_hour: text("CONFIRMATIONS_PER_HOUR")
                .and_then(|d| d.trim().parse().ok())
                .filter(|d: &i64| (0..=1_000_000).contains(d))
                .unwrap_or(DEFAULT_CONFIRMATIONS_PER_HOUR),
            contact_addresses,
            mail_from: text("MAIL_FROM").unwrap_or_else(|| "alerts@example.org".into()),
            retry_delay: text("RETRY_DELAY_SECONDS")
                .and_then(|s| s.parse().ok())
                .unwrap_or(60),
            turnstile: text("TURNSTILE_SECRET").map(|secret| Turnstile {
                secret,
                site_key: text("TURNSTILE_SITE_KEY").unwrap_or_default(),
                verify_url: text("TURNSTILE_VERIFY_URL").unwrap_or_else(|| {
                    "https://challenges.cloudflare.com/turnstile/v0/siteverify".into()
                }),
            }),
            preview_secret: text("PREVIEW_SECRET"),
            preview_max_days: text("PREVIEW_MAX_DAYS")
                .and_then(|d| d.parse().ok())
                .filter(|d| *d > 0)
                .unwrap_or(crate::preview::DEFAULT_MAX_DAYS),
            operator_token: text("OPERATOR_TOKEN"),
            subscriber_secret: text("SUBSCRIBER_SECRET"),
            notify_max_age_days: text("NOTIFY_MAX_AGE_DAYS")
                .and_then(|d| d.trim().parse().ok())
                .filter(|d: &i64| (0..=3650).contains(d))
                .unwrap_or(7),
            cache_ttl_seconds: text("CACHE_TTL_SECONDS")
                .and_then(|d| d.trim().parse().ok())
                .filter(|d: &i64| (0..=300).contains(d))
                .unwrap_or(super::cache::DEFAULT_TTL_SECONDS),
            kv_settle_seconds: text("KV_SETTLE_SECONDS")
                .and_then(|d| d.trim().parse().ok())
                .filter(|d: &i64| (0..=3600).contains(d))
                .unwrap_or(super::cache::DEFAULT_SETTLE_SECONDS),
            problems,
        }
    }
}

/// Confirmation emails an hour, all addresses together, unless
/// `CONFIRMATIONS_PER_HOUR` says otherwise.
pub const DEFAULT_CONFIRMATIONS_PER_HOUR: i64 = 200;

/// SES's usual sending quota for a new production account, a second.
pub const DEFAULT_SEND_RATE: u32 = 14;

/// Amazon SES, when both credentials are set: the region is then needed
/// (or an endpoint to take it from), and a configuration set, without
/// which SES reports no bounce or complaint.
fn read_ses(
    text: &impl Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
) -> Option<SesConfig> {
    let (Some(access_key_id), Some(secret_access_key)) =
        (text("SES_ACCESS_KEY_ID"), text("SES_SECRET_ACCESS_KEY"))
    else {
        if text("SES_ACCESS_KEY_ID").is_some() || text("SES_SECRET_ACCESS_KEY").is_some() {
            problems.push(
                "SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY are set one without the other".into(),
            );
        }
        return None;
    };
    let Some(region) = text("SES_REGION") else {
        problems.push("SES_REGION is not set".into());
        return None;
    };
    let endpoint = text("SES_ENDPOINT").unwrap_or_else(|| SesConfig::endpoint_for(&region));
    if !(endpoint.starts_with("https://") || endpoint.starts_with("http://127.0.0.1:")) {
        problems
            .push("SES_ENDPOINT is not an https address (or a local stand-in on 127.0.0.1)".into());
        return None;
    }
    let configuration_set = text("SES_CONFIGURATION_SET");
    if configuration_set.is_none() {
        problems.push(
            "SES_CONFIGURATION_SET is not set: SES would report no bounce or complaint".into(),
        );
    }
    Some(SesConfig {
        endpoint,
        region,
        access_key_id,
        secret_access_key,
        session_token: text("SES_SESSION_TOKEN"),
        configuration_set,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_push_takes_a_local_hub_in_a_test_build_only_and_no_test_route() {
        let hub = "http://127.0.0.1:9000/hub";
        let vars: HashMap<&str, &str> = HashMap::from([("LOCAL_PUSH", "1"), ("WEBSUB_HUBS", hub)]);
        let s = Settings::read(|n| vars.get(n).map(|v| v.to_string()));
        let test_build = cfg!(feature = "diagnostics");
        assert_eq!(s.local_targets, test_build);
        assert_eq!(s.websub_hubs == [hub], test_build);
        assert!(!s.switches.test, "the /__test/ routes stay off");
        let off = Settings::read(|n| (n == "WEBSUB_HUBS").then(|| hub.to_string()));
        assert!(!off.local_targets && off.websub_hubs.is_empty());
    }

    #[test]
    fn reads_vars_with_defaults() {
        let vars: HashMap<&str, &str> = HashMap::from([
            ("SITE_URL", "https://alerts.example.org/"),
            ("CONTACT_ADDRESSES", r#"{"a":"a@example.org"}"#),
            ("RETRY_DELAY_SECONDS", "5"),
            ("PREVIEW_SECRET", "  "),
        ]);
        let s = Settings::read(|n| vars.get(n).map(|v| v.to_string()));
        assert_eq!(s.site.url, "https://alerts.example.org");
        assert_eq!(s.site.name, "Access Alerts");
        assert_eq!(s.contact_addresses["a"], "a@example.org");
        assert_eq!(s.retry_delay, 5);
        assert!(s.preview_secret.is_none(), "a blank secret is unset");
        assert!(s.turnstile.is_none());
        assert_eq!(
            s.problems,
            [
                "MAIL_FROM is not set",
                "SUBSCRIBER_SECRET is not set",
                "SUPPRESSION_SECRET is not set"
            ]
        );
    }

    #[test]
    fn names_what_is_missing_or_malformed_never_a_value() {
        let vars: HashMap<&str, &str> = HashMap::from([
            ("SITE_URL", "alerts.example.org"),
            ("CONTACT_ADDRESSES", r#"{"a": "secret@example.org""#),
        ]);
        let s = Settings::read(|n| vars.get(n).map(|v| v.to_string()));
        assert_eq!(
            s.problems,
            [
                "MAIL_FROM is not set",
                "SUBSCRIBER_SECRET is not set",
                "SUPPRESSION_SECRET is not set",
                "SITE_URL is not an http(s) address",
                "CONTACT_ADDRESSES is not a JSON object of contact ids to addresses"
            ]
        );
        assert!(s.problems.iter().all(|p| !p.contains("secret@")));
        assert!(s.contact_addresses.is_empty());
    }
}
