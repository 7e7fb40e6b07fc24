//! The knowledge-base search engine: analysis, the index, queries and snippets. Pure and
//! deterministic; runs natively (tests, benchmarks, publishing) and in the worker's isolate.

pub mod analyze;
pub mod index;
pub mod learn;
pub mod markdown;
pub mod publish;
pub mod query;
pub mod snippet;

pub use analyze::query_language;
pub use index::{Article, Index, IndexError, FORMAT_VERSION};
pub use snippet::{highlight_runs, is_blank};

#[cfg(test)]
mod tests;
