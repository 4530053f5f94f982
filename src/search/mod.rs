//! Search over every alert, answered from the edge: the analyzer shared by
//! the publisher and the Worker, the index's parts in KV, query parsing
//! and ranking. Plain Rust over text: the handler (`app::search`) does the
//! KV reads.

pub mod analyze;
pub mod index;
pub mod query;
pub mod rank;
