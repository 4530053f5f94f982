//! `alerts check-deploy`: what `make deploy` asks before it deploys. A
//! Worker deployed without a setting it needs would answer, but wrongly (a
//! form whose every inquiry is dead-lettered, links to localhost), so the
//! deployment is refused instead, naming each setting (never a value).

use access_alerts::app::settings::REQUIRED;

/// Secrets that only exist as `wrangler secret put` (never in wrangler.toml).
pub const SECRETS: [&str; 7] = [
    "CONTACT_ADDRESSES",
    "PREVIEW_SECRET",
    "OPERATOR_TOKEN",
    "SUBSCRIBER_SECRET",
    "SUPPRESSION_SECRET",
    "SES_ACCESS_KEY_ID",
    "SES_SECRET_ACCESS_KEY",
];

/// Vars the bulk sender needs (README, "Email alerts").
const SES_VARS: [&str; 3] = ["SES_REGION", "SES_CONFIGURATION_SET", "SNS_TOPIC_ARN"];

/// The var that deploys `/subscribe` without Turnstile, said explicitly.
pub const WITHOUT_TURNSTILE: &str = "SUBSCRIBE_WITHOUT_TURNSTILE";

/// Turnstile on `/subscribe`: a subscription request mails an address the
/// visitor names, so a robot can make the site mail strangers. Refused
/// without it (the secret and the site key) unless `[vars]` says
/// `SUBSCRIBE_WITHOUT_TURNSTILE = "1"`; the secret never in the file.
fn turnstile_problems(var: impl Fn(&str) -> Option<String>, secrets: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if var("TURNSTILE_SECRET").is_some() {
        out.push("TURNSTILE_SECRET is in wrangler.toml [vars]: it is a secret (npx wrangler secret put TURNSTILE_SECRET), and remove it from the file".into());
    }
    let secret = secrets.iter().any(|s| s == "TURNSTILE_SECRET");
    let site_key = var("TURNSTILE_SITE_KEY").is_some();
    if secret && !site_key {
        out.push("TURNSTILE_SITE_KEY is not set in wrangler.toml [vars]: the forms would show no Turnstile widget and refuse every post".into());
    } else if !secret && var(WITHOUT_TURNSTILE).as_deref() != Some("1") {
        out.push(format!("Turnstile is not on for /subscribe (robots could make the site mail strangers): npx wrangler secret put TURNSTILE_SECRET and set TURNSTILE_SITE_KEY in wrangler.toml [vars], or set {WITHOUT_TURNSTILE} = \"1\" there to deploy without it"));
    }
    out
}

/// A resource id still the repository's placeholder (all zeros).
fn placeholder(id: Option<&str>) -> bool {
    id.is_none_or(|id| id.chars().all(|c| c == '0' || c == '-'))
}

/// What keeps this configuration from being deployed: `wrangler_toml` is the
/// file's text, `secrets` the names `wrangler secret list` printed.
pub fn problems(wrangler_toml: &str, secrets: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let config: toml::Table = match wrangler_toml.parse() {
        Ok(t) => t,
        Err(e) => return vec![format!("wrangler.toml does not parse: {e}")],
    };
    let var = |name: &str| {
        config
            .get("vars")
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    for name in REQUIRED.iter().chain(["SITE_NAME"].iter()) {
        let is_secret = SECRETS.contains(name);
        if !is_secret && var(name).is_none() {
            out.push(format!("{name} is not set in wrangler.toml [vars]"));
        }
    }
    if let Some(url) = var("SITE_URL") {
        let local = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|h| url.contains(h));
        if !url.starts_with("https://") || local {
            out.push("SITE_URL must be the site's public https:// address".into());
        }
    }
    for name in SES_VARS {
        if var(name).is_none() {
            out.push(format!(
                "{name} is not set in wrangler.toml [vars] (Amazon SES, the bulk sender)"
            ));
        }
    }
    if var("SES_ENDPOINT").is_some() {
        out.push("SES_ENDPOINT is set in wrangler.toml [vars]: it is for a local stand-in only (the region names SES's endpoint)".into());
    }
    if var("MAIL_FROM").is_some_and(|m| m.ends_with("@example.org")) {
        out.push("MAIL_FROM is still the example.org placeholder".into());
    }
    let alert_email = config
        .get("send_email")
        .and_then(|b| b.as_array())
        .and_then(|a| {
            a.iter()
                .find(|b| b.get("name").and_then(|n| n.as_str()) == Some("ALERT_EMAIL"))
        });
    match alert_email {
        None => out.push("the send_email binding ALERT_EMAIL (mail to subscribers) is missing from wrangler.toml".into()),
        Some(binding) => {
            let senders: Vec<&str> = binding
                .get("allowed_sender_addresses")
                .and_then(|a| a.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            if let Some(from) = var("MAIL_FROM") {
                if !senders.is_empty() && !senders.contains(&from) {
                    out.push("ALERT_EMAIL's allowed_sender_addresses does not list MAIL_FROM: email alerts would all fail".into());
                }
            }
        }
    }
    let first_id = |table: &str, field: &str| {
        config
            .get(table)
            .and_then(|t| t.as_array())
            .and_then(|a| a.first())
            .and_then(|t| t.get(field))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    if placeholder(first_id("kv_namespaces", "id").as_deref()) {
        out.push("the KV namespace is not created: npx wrangler kv namespace create ALERTS, then put its id in wrangler.toml".into());
    }
    if placeholder(first_id("d1_databases", "database_id").as_deref()) {
        out.push("the D1 database is not created: npx wrangler d1 create access-alerts, then put its database_id in wrangler.toml".into());
    }
    for name in SECRETS {
        if !secrets.iter().any(|s| s == name) {
            out.push(format!("{name} is not set: npx wrangler secret put {name}"));
        }
    }
    out.extend(turnstile_problems(|n| var(n).map(str::to_string), secrets));
    out
}

/// Every queue `wrangler.toml` names (producers, consumers, dead-letter
/// queues) that `wrangler queues list` (its table, `listing`) does not show,
/// each with the command that creates it.
pub fn missing_queues(wrangler_toml: &str, listing: &str) -> Vec<String> {
    let Ok(config) = wrangler_toml.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut names = std::collections::BTreeSet::new();
    if let Some(q) = config.get("queues") {
        for section in ["producers", "consumers"] {
            for entry in q
                .get(section)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                for field in ["queue", "dead_letter_queue"] {
                    if let Some(name) = entry.get(field).and_then(|v| v.as_str()) {
                        names.insert(name.to_string());
                    }
                }
            }
        }
    }
    let listed: std::collections::BTreeSet<&str> = listing
        .split(|c: char| c.is_whitespace() || c == '│' || c == '|')
        .collect();
    names
        .into_iter()
        .filter(|n| !listed.contains(n.as_str()))
        .map(|n| format!("the queue {n} does not exist: npx wrangler queues create {n}"))
        .collect()
}

/// The secret names in `wrangler secret list --format json`.
pub fn secret_names(json: &str) -> Result<Vec<String>, serde_json::Error> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json)?;
    Ok(list
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const READY: &str = r#"
name = "access-alerts"
[vars]
SITE_URL = "https://alerts.example.com"
SITE_NAME = "Access Alerts"
MAIL_FROM = "alerts@alerts.example.com"
SES_REGION = "eu-west-1"
SES_CONFIGURATION_SET = "access-alerts"
SNS_TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:access-alerts-ses-events"
TURNSTILE_SITE_KEY = "0x4AAAAAAA-site-key"
[[send_email]]
name = "ALERT_EMAIL"
allowed_sender_addresses = ["alerts@alerts.example.com"]
[[kv_namespaces]]
binding = "ALERTS"
id = "0123456789abcdef0123456789abcdef"
[[d1_databases]]
binding = "DB"
database_name = "access-alerts"
database_id = "01234567-89ab-cdef-0123-456789abcdef"
"#;

    fn all() -> Vec<String> {
        SECRETS
            .iter()
            .chain(&["TURNSTILE_SECRET"])
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn a_complete_configuration_deploys() {
        assert_eq!(problems(READY, &all()), Vec::<String>::new());
    }

    #[test]
    fn the_repository_s_own_wrangler_toml_is_refused_until_set_up() {
        let ours = include_str!("../../wrangler.toml");
        let p = problems(ours, &[]);
        assert!(
            p.contains(&"SITE_URL must be the site's public https:// address".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"MAIL_FROM is still the example.org placeholder".to_string()),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|l| l.starts_with("CONTACT_ADDRESSES is not set")),
            "{p:?}"
        );
    }

    #[test]
    fn names_each_missing_setting() {
        let p = problems("[vars]\nSITE_NAME = \"A\"\n", &["PREVIEW_SECRET".into()]);
        assert_eq!(
            p,
            [
                "SITE_URL is not set in wrangler.toml [vars]",
                "MAIL_FROM is not set in wrangler.toml [vars]",
                "SES_REGION is not set in wrangler.toml [vars] (Amazon SES, the bulk sender)",
                "SES_CONFIGURATION_SET is not set in wrangler.toml [vars] (Amazon SES, the bulk sender)",
                "SNS_TOPIC_ARN is not set in wrangler.toml [vars] (Amazon SES, the bulk sender)",
                "the send_email binding ALERT_EMAIL (mail to subscribers) is missing from wrangler.toml",
                "the KV namespace is not created: npx wrangler kv namespace create ALERTS, then put its id in wrangler.toml",
                "the D1 database is not created: npx wrangler d1 create access-alerts, then put its database_id in wrangler.toml",
                "CONTACT_ADDRESSES is not set: npx wrangler secret put CONTACT_ADDRESSES",
                "OPERATOR_TOKEN is not set: npx wrangler secret put OPERATOR_TOKEN",
                "SUBSCRIBER_SECRET is not set: npx wrangler secret put SUBSCRIBER_SECRET",
                "SUPPRESSION_SECRET is not set: npx wrangler secret put SUPPRESSION_SECRET",
                "SES_ACCESS_KEY_ID is not set: npx wrangler secret put SES_ACCESS_KEY_ID",
                "SES_SECRET_ACCESS_KEY is not set: npx wrangler secret put SES_SECRET_ACCESS_KEY",
                "Turnstile is not on for /subscribe (robots could make the site mail strangers): npx wrangler secret put TURNSTILE_SECRET and set TURNSTILE_SITE_KEY in wrangler.toml [vars], or set SUBSCRIBE_WITHOUT_TURNSTILE = \"1\" there to deploy without it",
            ]
        );
    }

    #[test]
    fn subscribing_without_turnstile_is_refused_unless_said_explicitly() {
        let secrets = |with: bool| {
            all()
                .into_iter()
                .filter(|s| with || s != "TURNSTILE_SECRET")
                .collect::<Vec<_>>()
        };
        let refused = problems(READY, &secrets(false));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].starts_with("Turnstile is not on for /subscribe"));
        let opted_out = READY.replace(
            "TURNSTILE_SITE_KEY = \"0x4AAAAAAA-site-key\"",
            "SUBSCRIBE_WITHOUT_TURNSTILE = \"1\"",
        );
        assert_eq!(problems(&opted_out, &secrets(false)), Vec::<String>::new());
        let zero = opted_out.replace("WITHOUT_TURNSTILE = \"1\"", "WITHOUT_TURNSTILE = \"0\"");
        assert_eq!(
            problems(&zero, &secrets(false)).len(),
            1,
            "only \"1\" says it"
        );
        let no_key = READY.replace("TURNSTILE_SITE_KEY = \"0x4AAAAAAA-site-key\"", "");
        assert_eq!(
            problems(&no_key, &all()),
            ["TURNSTILE_SITE_KEY is not set in wrangler.toml [vars]: the forms would show no Turnstile widget and refuse every post"]
        );
        let in_file = READY.replace(
            "SES_REGION =",
            "TURNSTILE_SECRET = \"0x4AAAAAAA-secret\"\nSES_REGION =",
        );
        let p = problems(&in_file, &all());
        assert!(
            p.iter()
                .any(|l| l.starts_with("TURNSTILE_SECRET is in wrangler.toml [vars]")),
            "{p:?}"
        );
        assert!(p.iter().all(|l| !l.contains("0x4AAAAAAA-secret")), "{p:?}");
    }

    #[test]
    fn a_local_ses_endpoint_is_refused() {
        let local = READY.replace(
            "SES_REGION = \"eu-west-1\"",
            "SES_REGION = \"eu-west-1\"\nSES_ENDPOINT = \"http://127.0.0.1:8005\"",
        );
        assert_eq!(
            problems(&local, &all()),
            ["SES_ENDPOINT is set in wrangler.toml [vars]: it is for a local stand-in only (the region names SES's endpoint)"]
        );
    }

    #[test]
    fn the_subscribers_sender_must_be_mail_from() {
        let other = READY.replace(
            "allowed_sender_addresses = [\"alerts@alerts.example.com\"]",
            "allowed_sender_addresses = [\"news@alerts.example.com\"]",
        );
        assert_eq!(
            problems(&other, &all()),
            ["ALERT_EMAIL's allowed_sender_addresses does not list MAIL_FROM: email alerts would all fail"]
        );
    }

    #[test]
    fn names_each_queue_that_does_not_exist_with_its_command() {
        let ours = include_str!("../../wrangler.toml");
        let listing = "┌──────┬───────────────┬─────────────┐\n│ id   │ name          │ producers   │\n│ 1234 │ inquiries     │ 1           │\n│ 5678 │ alert-mail    │ 1           │\n";
        assert_eq!(
            missing_queues(ours, listing),
            [
                "the queue alert-mail-dlq does not exist: npx wrangler queues create alert-mail-dlq",
                "the queue inquiries-dlq does not exist: npx wrangler queues create inquiries-dlq",
                "the queue mail-events does not exist: npx wrangler queues create mail-events",
            ]
        );
        let all = "inquiries inquiries-dlq alert-mail alert-mail-dlq mail-events";
        assert!(missing_queues(ours, all).is_empty());
    }

    #[test]
    fn reads_wrangler_s_secret_list() {
        let names = secret_names(r#"[{"name":"CONTACT_ADDRESSES","type":"secret_text"},{"name":"X","type":"secret_text"}]"#).unwrap();
        assert_eq!(names, ["CONTACT_ADDRESSES", "X"]);
        assert!(secret_names("not json").is_err());
    }
}
