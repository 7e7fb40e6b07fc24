//! Storage. D1 holds only the directory: sites, their hashed tokens and the counts each site's
//! store pushes for the operator (`sites`). Everything of one site — tickets, keys, events,
//! webhook deliveries, the knowledge base — lives in that site's own Durable Object with SQLite
//! storage (`object`), which the worker reaches through `site`. Every SQL statement of the
//! worker is in this module.

pub mod object;
pub mod protocol;
pub mod site;
pub mod sites;

use worker::{D1Database, Env};

use crate::http::ApiError;

/// The directory (D1).
pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    Ok(env.d1("DB")?)
}
