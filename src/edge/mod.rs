//! The edge layer: the only code that touches `worker`. Entry points here,
//! one routing dispatcher (`app`), one error type (`error`), one module per
//! binding (`store` for KV, `inbox` for the Queue and send_email, the rate
//! limiter in `contact`).

mod app;
mod config;
mod contact;
mod discovery;
mod error;
mod exec;
mod inbox;
mod reply;
mod store;

use worker::worker_sys::web_sys;
use worker::{event, Context, Env, MessageBatch, Result};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The fetch handler, exported by hand rather than through
/// `#[event(fetch)]`: requests that need no I/O are answered synchronously
/// (a Response) without a future; the others run on `exec`, which answers
/// with a Promise only if they have to wait. The runtime's third
/// argument (the context) is not taken: no route uses it, and each object
/// passed into wasm costs a slot in wasm-bindgen's reference table.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn fetch(req: web_sys::Request, env: Env) -> wasm_bindgen::JsValue {
    let line = app::RequestLine::read(&req);
    match app::answer_now(&req, &line, &env) {
        Some(response) => response.into(),
        None => exec::run(async move { app::handle(req, line, env).await.into() }),
    }
}

/// Consumes the inquiries queue and its dead-letter queue. Never returns
/// `Err`: each message is acked or retried on its own.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    inbox::consume(batch, env).await;
    Ok(())
}
