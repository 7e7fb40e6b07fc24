//! The one module that speaks SQL. Handlers hand it domain types and get domain types back;
//! every statement of the worker is here, parameterised, with `worker::query!` binding `None`
//! as NULL. (Until the storage issue moves each site into its own Durable Object, all of it is
//! one D1 database; this module is the seam that move replaces.)

pub mod deliveries;
pub mod events;
pub mod kb;
pub mod sites;
pub mod tickets;

use serde::de::DeserializeOwned;
use worker::{D1Database, Env};

use crate::http::ApiError;

pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    Ok(env.d1("DB")?)
}

/// Reads JSON we stored ourselves: if it does not parse, that is our fault, not the client's.
fn from_stored<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::internal(format!("stored {what} does not parse: {e}")))
}

/// JSON for a column (a `worker::Error`, so that it can be used among `query!` arguments).
fn to_stored<T: serde::Serialize>(value: &T) -> worker::Result<String> {
    serde_json::to_string(value).map_err(|e| worker::Error::RustError(e.to_string()))
}
