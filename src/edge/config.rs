//! Settings read from `wrangler.toml` vars and secrets (see the README's
//! table). Nothing here is ever rendered.

use crate::views::Site;
use std::collections::HashMap;
use worker::Env;

/// A var or secret as text, if set and not empty.
pub fn text(env: &Env, name: &str) -> Option<String> {
    env.var(name)
        .ok()
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty())
}

pub fn site(env: &Env) -> Site {
    Site::new(
        &text(env, "SITE_URL").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
        &text(env, "SITE_NAME").unwrap_or_else(|| "Access Alerts".into()),
    )
}

/// Test-only routes (`/__test/*`) are on only when `TEST_ROUTES = "1"`.
pub fn test_routes(env: &Env) -> bool {
    text(env, "TEST_ROUTES").as_deref() == Some("1")
}

/// Benchmark routes (`/__bench/*`) are on only when `BENCH_ROUTES = "1"`.
pub fn bench_routes(env: &Env) -> bool {
    text(env, "BENCH_ROUTES").as_deref() == Some("1")
}

/// The contacts' email addresses by contact id (`CONTACT_ADDRESSES`, a JSON
/// object; a secret in production). Never logged or rendered.
pub fn contact_addresses(env: &Env) -> HashMap<String, String> {
    text(env, "CONTACT_ADDRESSES")
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// The sender of forwarded inquiries (`MAIL_FROM`).
pub fn mail_from(env: &Env) -> String {
    text(env, "MAIL_FROM").unwrap_or_else(|| "alerts@example.org".into())
}

/// Seconds before a failed send is tried again (`RETRY_DELAY_SECONDS`).
pub fn retry_delay(env: &Env) -> u32 {
    text(env, "RETRY_DELAY_SECONDS")
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
}

/// Turnstile, when `TURNSTILE_SECRET` is set.
pub struct Turnstile {
    pub secret: String,
    pub site_key: String,
    pub verify_url: String,
}

pub fn turnstile(env: &Env) -> Option<Turnstile> {
    Some(Turnstile {
        secret: text(env, "TURNSTILE_SECRET")?,
        site_key: text(env, "TURNSTILE_SITE_KEY").unwrap_or_default(),
        verify_url: text(env, "TURNSTILE_VERIFY_URL")
            .unwrap_or_else(|| "https://challenges.cloudflare.com/turnstile/v0/siteverify".into()),
    })
}
