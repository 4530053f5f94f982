//! Access Alerts: an edge publisher for policy alerts.
//!
//! The crate has two halves:
//! - the **core** (every module below except `edge`), plain Rust that never
//!   imports `worker`, builds natively and is tested in-process (`cargo
//!   nextest`):
//!   - content: `content` (the model as stored in KV), `keys` and `keyset`
//!     (the KV key schema, every key of one alert), `markdown`, `dates`,
//!     `months`, `listing` (filling a listing page);
//!   - what readers see: `views` (HTML), `feeds` (Atom, JSON Feed,
//!     sitemaps), `search` (the analyzer, the index the publisher writes,
//!     queries, ranking), `http` (ETags, cache policies, headers), `routes`
//!     (the one routing table);
//!   - what visitors and subscribers send and get: `form` (the contact
//!     form and its email), `mail` (email alerts: topics, the subscribe
//!     form, signed links, what is due, the messages, and the bounces and
//!     complaints that come back, SES's through Amazon SNS), `webhook`
//!     (signed webhooks: the Standard Webhooks signature, the events, the
//!     endpoints' address rules and retry schedule);
//!   - shared plumbing: `sign` (the one HMAC signer), `ids` (the one id
//!     shape), `preview` (signed preview links);
//!   - `app`, the request pipeline, every handler, the crons and the
//!     queue consumers, written against small ports (KV, D1, the two
//!     queues, the two mailers, the rate limiter, outbound HTTP, the
//!     runtime);
//! - the **edge** layer (`edge`, wasm only): the Worker's entry points and
//!   the ports implemented over its bindings, nothing else.

pub mod app;
pub mod content;
pub mod dates;
pub mod derived;
pub mod feeds;
pub mod form;
pub mod http;
pub mod i18n;
pub mod ids;
pub mod keys;
pub mod keyset;
pub mod listing;
pub mod listing_build;
pub mod mail;
pub mod markdown;
pub mod months;
pub mod preview;
pub mod routes;
pub mod search;
pub mod sign;
pub mod views;
pub mod webhook;

#[cfg(target_arch = "wasm32")]
mod edge;

/// The build's version: the package version plus the git commit it was built
/// from (set by `build.rs`). Reported by `/healthz` and folded into every ETag.
pub const BUILD_VERSION: &str = env!("BUILD_VERSION");
