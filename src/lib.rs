//! Access Alerts: an edge publisher for policy alerts.
//!
//! The crate has two halves:
//! - the **core** (every module below except `edge`): content model, KV key
//!   schema, Markdown rendering, HTML views, form validation, HTTP helpers,
//!   and `app`, the request pipeline and every handler, written against small
//!   ports (KV, queue, mailer, rate limiter, clock). It never imports
//!   `worker`, builds natively, and is tested in-process (`cargo nextest`);
//! - the **edge** layer (`edge`, wasm only): the Worker's entry points and
//!   the ports implemented over its bindings, nothing else.

pub mod app;
pub mod content;
pub mod dates;
pub mod feeds;
pub mod form;
pub mod http;
pub mod ids;
pub mod keys;
pub mod keyset;
pub mod listing;
pub mod mail;
pub mod markdown;
pub mod months;
pub mod preview;
pub mod routes;
pub mod search;
pub mod sign;
pub mod views;

#[cfg(target_arch = "wasm32")]
mod edge;

/// The build's version: the package version plus the git commit it was built
/// from (set by `build.rs`). Reported by `/healthz` and folded into every ETag.
pub const BUILD_VERSION: &str = env!("BUILD_VERSION");
