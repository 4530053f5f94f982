//! Search over every alert, answered from the edge: the analyzers shared by
//! the publisher and the Worker (`analyze`, `languages`), the fields and
//! their weights (`fields`), the index's parts in KV (`index`, built by
//! `build`), query parsing
//! and ranking. Plain Rust over text: the handler (`app::search`) does the
//! KV reads.

pub mod analyze;
mod arabic;
mod build;
pub mod doc;
mod fields;
pub mod index;
pub mod languages;
mod postings;
pub mod query;
pub mod rank;
