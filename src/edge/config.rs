//! Settings read from `wrangler.toml` vars and secrets (see the README's
//! table). Nothing here is ever rendered. They are read once per isolate:
//! an isolate's environment never changes (a new deployment or secret
//! starts new isolates), and each read crosses into JavaScript.

use crate::views::Site;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::Env;

/// Turnstile, when `TURNSTILE_SECRET` is set.
#[derive(Clone)]
pub struct Turnstile {
    pub secret: String,
    pub site_key: String,
    pub verify_url: String,
}

struct Config {
    site: Site,
    test_routes: bool,
    bench_routes: bool,
    rate_limit_disabled: bool,
    contact_addresses: HashMap<String, String>,
    mail_from: String,
    retry_delay: u32,
    turnstile: Option<Turnstile>,
    preview_secret: Option<String>,
    operator_token: Option<String>,
}

thread_local! {
    static CONFIG: OnceCell<Rc<Config>> = const { OnceCell::new() };
}

/// A var or secret as text, if set and not empty.
fn text(env: &Env, name: &str) -> Option<String> {
    env.var(name)
        .ok()
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty())
}

fn read(env: &Env) -> Config {
    let on = |name: &str| text(env, name).as_deref() == Some("1");
    Config {
        site: Site::new(
            &text(env, "SITE_URL").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
            &text(env, "SITE_NAME").unwrap_or_else(|| "Access Alerts".into()),
        ),
        test_routes: on("TEST_ROUTES"),
        bench_routes: on("BENCH_ROUTES"),
        rate_limit_disabled: on("RATE_LIMIT_DISABLED"),
        contact_addresses: text(env, "CONTACT_ADDRESSES")
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        mail_from: text(env, "MAIL_FROM").unwrap_or_else(|| "alerts@example.org".into()),
        retry_delay: text(env, "RETRY_DELAY_SECONDS")
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
        turnstile: text(env, "TURNSTILE_SECRET").map(|secret| Turnstile {
            secret,
            site_key: text(env, "TURNSTILE_SITE_KEY").unwrap_or_default(),
            verify_url: text(env, "TURNSTILE_VERIFY_URL").unwrap_or_else(|| {
                "https://challenges.cloudflare.com/turnstile/v0/siteverify".into()
            }),
        }),
        preview_secret: text(env, "PREVIEW_SECRET"),
        operator_token: text(env, "OPERATOR_TOKEN"),
    }
}

fn get(env: &Env) -> Rc<Config> {
    CONFIG.with(|c| c.get_or_init(|| Rc::new(read(env))).clone())
}

/// `SITE_URL` and `SITE_NAME` (shared, not copied per request).
pub fn site(env: &Env) -> SiteRef {
    SiteRef(get(env))
}

pub struct SiteRef(Rc<Config>);

impl std::ops::Deref for SiteRef {
    type Target = Site;
    fn deref(&self) -> &Site {
        &self.0.site
    }
}

/// Which test routes (`TEST_ROUTES = "1"`) and bench routes
/// (`BENCH_ROUTES = "1"`) exist; the others answer 404 for every method.
pub fn switches(env: &Env) -> crate::routes::Switches {
    let c = get(env);
    crate::routes::Switches {
        test: c.test_routes,
        bench: c.bench_routes,
    }
}

/// Benchmark routes (`/__bench/*`) are on only when `BENCH_ROUTES = "1"`.
pub fn bench_routes(env: &Env) -> bool {
    get(env).bench_routes
}

/// `RATE_LIMIT_DISABLED = "1"` (test environment) turns the limiter off.
pub fn rate_limit_disabled(env: &Env) -> bool {
    get(env).rate_limit_disabled
}

/// The address of a contact (`CONTACT_ADDRESSES`, a JSON object; a secret
/// in production). Never logged or rendered.
pub fn contact_address(env: &Env, contact: &str) -> Option<String> {
    get(env).contact_addresses.get(contact).cloned()
}

/// The sender of forwarded inquiries (`MAIL_FROM`).
pub fn mail_from(env: &Env) -> String {
    get(env).mail_from.clone()
}

/// Seconds before a failed send is tried again (`RETRY_DELAY_SECONDS`).
pub fn retry_delay(env: &Env) -> u32 {
    get(env).retry_delay
}

pub fn turnstile(env: &Env) -> Option<Turnstile> {
    get(env).turnstile.clone()
}

pub fn preview_secret(env: &Env) -> Option<String> {
    get(env).preview_secret.clone()
}

pub fn operator_token(env: &Env) -> Option<String> {
    get(env).operator_token.clone()
}
