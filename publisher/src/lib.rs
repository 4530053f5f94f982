//! The editors' tool as a library: loading and checking `content/` (`load`,
//! which parses each file, then `link`, which checks them against each
//! other; both yield `model`'s types), the publishing plan (`keyset`), and
//! `wrangler kv` (`wrangler`). The `alerts` binary (`main.rs`) is its
//! command line; the Worker's in-process tests (`tests/app/`) load
//! `content/` through it, so they serve exactly what `make publish` writes.

pub mod cost;
pub mod crons;
pub mod deploy;
pub mod keyset;
pub mod link;
pub mod load;
pub mod model;
pub mod subscribers;
pub mod synthetic;
pub mod translations;
pub mod wrangler;
