//! Access Alerts: an edge publisher for policy alerts.
//!
//! The crate has two halves:
//! - the **core** (every module below except `edge`): content model, KV key
//!   schema, Markdown rendering, HTML views, form validation and HTTP helpers.
//!   It never imports `worker`, builds natively and is unit-tested with
//!   `cargo test`;
//! - the **edge** layer (`edge`, wasm only): the Worker entry points, the one
//!   routing table's dispatcher, the error type that maps to HTTP statuses and
//!   one module per binding (KV, Queue, send_email, rate limiter).

pub mod content;
pub mod feeds;
pub mod form;
pub mod http;
pub mod keys;
pub mod listing;
pub mod markdown;
pub mod preview;
pub mod routes;
pub mod views;

#[cfg(target_arch = "wasm32")]
mod edge;

/// The build's version: the package version plus the git commit it was built
/// from (set by `build.rs`). Reported by `/healthz` and folded into every ETag.
pub const BUILD_VERSION: &str = env!("BUILD_VERSION");
