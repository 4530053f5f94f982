//! The edge layer: the only code that touches `worker`. It implements the
//! core's ports over the Worker's bindings (`bindings`: queues, mailers,
//! D1, the rate limiter, fetch, the runtime; `kv`: KV; `incoming`: the
//! Request), keeps listings in the location's cache (`shared_cache`), turns
//! the core's `Response` into the runtime's (`respond`), and exports the
//! entry points through workers-rs's `#[event]`: fetch, the Cron Triggers,
//! and the five queues' consumer.
//! Everything a request does is decided in `crate::app`.

mod bindings;
mod incoming;
mod kv;
mod respond;
mod shared_cache;

use crate::app::{App, Outcome, QueueKind, Settings};
use bindings::Bindings;
use incoming::RawIncoming;
use std::cell::OnceCell;
use std::rc::Rc;
use worker::worker_sys::web_sys;
use worker::{event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Result};

/// Runs once per wasm instance: when an isolate starts, and again after a
/// trap, when wasm-bindgen makes a fresh instance (the integration tests
/// read this line to see the reset). workers-rs's own panic hook stays in
/// place: it logs the panic's message and location as "Critical".
#[event(start)]
fn start() {
    worker::console_log!("wasm instance started");
}

thread_local! {
    static SETTINGS: OnceCell<Rc<Settings>> = const { OnceCell::new() };
}

/// The settings, read once per isolate: an isolate's environment never
/// changes (a new deployment or secret starts new isolates), and each read
/// crosses into JavaScript.
fn settings(env: &Env) -> Rc<Settings> {
    SETTINGS.with(|s| {
        s.get_or_init(|| {
            let settings = Settings::read(|name| env.var(name).ok().map(|v| v.to_string()));
            // Said loudly, once per isolate (names only, never values).
            for problem in &settings.problems {
                worker::console_error!("configuration: {problem}");
            }
            Rc::new(settings)
        })
        .clone()
    })
}

/// The fetch handler, through workers-rs's own `#[event(fetch)]`. (A
/// hand-written executor that polled the future directly was measured
/// against it, `make bench`'s A/B in BENCHMARKS.md, and did not win by more
/// than the run-to-run spread, so it was removed.)
#[event(fetch)]
async fn fetch(req: web_sys::Request, env: Env, ctx: Context) -> Result<web_sys::Response> {
    Ok(answer(&RawIncoming::new(req), &env, &ctx).await)
}

async fn answer(incoming: &RawIncoming, env: &Env, ctx: &Context) -> web_sys::Response {
    use crate::app::Incoming;
    let settings = settings(env);
    // Listings, feeds and sitemaps: the location's cache first (a custom
    // domain's; on workers.dev it keeps nothing and this costs one miss).
    let shared = incoming.method() == crate::routes::Method::Get
        && settings.cache_ttl_seconds > 0
        && matches!(
            crate::routes::resolve(incoming.method(), crate::http::path_of(incoming.url()), settings.switches),
            crate::routes::Resolved::Found(route) if route.shared_cache()
        );
    if shared {
        if let Some(hit) = shared_cache::lookup(incoming.raw()).await {
            return hit;
        }
    }
    let bindings = Bindings::new(env);
    let app = App::new(&bindings, &settings);
    let response = app.handle(incoming).await;
    let ttl = response.edge_ttl.filter(|_| shared);
    let raw = respond::respond(response);
    if let Some(ttl) = ttl {
        ctx.wait_until(shared_cache::store(incoming.raw(), &raw, ttl));
    }
    raw
}

/// The Cron Triggers (`wrangler.toml`): mail for alerts that went live,
/// every minute, and the weekly digest. A failure is logged; the next run
/// picks up what this one left.
#[event(scheduled)]
async fn scheduled(event: worker::ScheduledEvent, env: Env, _ctx: worker::ScheduleContext) {
    let settings = settings(&env);
    let bindings = Bindings::new(&env);
    let app = App::new(&bindings, &settings);
    if let Err(e) = app.scheduled(&event.cron(), event.schedule() as i64).await {
        worker::console_error!(
            "scheduled {}: {}",
            event.cron(),
            e.log_line().unwrap_or_default()
        );
    }
}

/// Consumes the five queues: inquiries, alert mail, their dead letters, and Email Service's events. Never returns
/// `Err` (that would redeliver the whole batch): each message is acked or
/// retried on its own.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    let kind = QueueKind::of(&batch.queue());
    let settings = settings(&env);
    let bindings = Bindings::new(&env);
    let app = App::new(&bindings, &settings);
    // Each body crosses as JSON text (one string, and no serde-wasm-bindgen
    // deserializer in the wasm), read into its type by the app; one that
    // can't be stringified reaches it as `null` and is kept as dead.
    for message in batch.raw_iter() {
        let text = worker::js_sys::JSON::stringify(&message.body())
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_else(|| "null".into());
        match app.consume(kind, &text).await {
            Outcome::Ack => message.ack(),
            Outcome::Retry(Some(delay)) => message.retry_with_options(
                &QueueRetryOptionsBuilder::new()
                    .with_delay_seconds(delay)
                    .build(),
            ),
            Outcome::Retry(None) => message.retry(),
        }
    }
    Ok(())
}
