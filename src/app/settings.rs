//! The Worker's settings, from `wrangler.toml` vars and secrets (see the
//! README's table). Read once per isolate by the edge layer; parsed here so
//! that the parsing is tested natively. Nothing here is ever rendered.

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
    /// `RATE_LIMIT_DISABLED = "1"` (test environment) turns the limiter off.
    pub rate_limit_disabled: bool,
    /// Contact id to address (`CONTACT_ADDRESSES`, a JSON object; a secret in
    /// production). Never logged or rendered.
    pub contact_addresses: HashMap<String, String>,
    /// The sender of forwarded inquiries (`MAIL_FROM`).
    pub mail_from: String,
    /// Seconds before a failed send is tried again (`RETRY_DELAY_SECONDS`).
    pub retry_delay: u32,
    pub turnstile: Option<Turnstile>,
    pub preview_secret: Option<String>,
    pub operator_token: Option<String>,
}

impl Settings {
    /// Reads every setting through `var` (a var or secret by name; `None`
    /// or blank when unset).
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let on = |name: &str| text(name).as_deref() == Some("1");
        Settings {
            site: Site::new(
                &text("SITE_URL").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
                &text("SITE_NAME").unwrap_or_else(|| "Access Alerts".into()),
            ),
            switches: Switches {
                test: cfg!(feature = "diagnostics") && on("TEST_ROUTES"),
                bench: cfg!(feature = "diagnostics") && on("BENCH_ROUTES"),
            },
            rate_limit_disabled: on("RATE_LIMIT_DISABLED"),
            contact_addresses: text("CONTACT_ADDRESSES")
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
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
            operator_token: text("OPERATOR_TOKEN"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
