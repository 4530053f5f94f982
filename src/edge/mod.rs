//! The edge layer: the only code that touches `worker`. Entry points here,
//! one routing dispatcher (`app`), one error type (`error`), one module per
//! binding (`store` for KV, `inbox` for the Queue and send_email, the rate
//! limiter in `contact`).

mod app;
mod config;
mod contact;
mod discovery;
mod error;
mod inbox;
mod reply;
mod store;

use worker::worker_sys::web_sys;
use worker::{event, Context, Env, MessageBatch, Result};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: web_sys::Request, env: Env, _ctx: Context) -> Result<web_sys::Response> {
    Ok(app::handle(req, env).await)
}

/// Consumes the inquiries queue and its dead-letter queue. Never returns
/// `Err`: each message is acked or retried on its own.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    inbox::consume(batch, env).await;
    Ok(())
}
