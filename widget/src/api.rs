//! Calls to the worker's API (same origin as the widget).

use gloo_net::http::Request;
use tabdesk_core::wire::{FieldError, NewTicket, Problem, SearchResults, TicketCreated};

/// Why a request was not stored.
pub enum SendError {
    /// The server found fields to correct.
    Invalid(Vec<FieldError>),
    /// Network, timeout or server fault: the same request may be retried with the same key.
    Failed,
}

pub async fn search(site: &str, query: &str, locale: &str) -> Option<SearchResults> {
    let url = format!("/v1/sites/{site}/kb/search");
    let response = Request::get(&url)
        .query([("q", query), ("locale", locale), ("limit", "8")])
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}

pub async fn create_ticket(
    site: &str,
    ticket: &NewTicket,
    key: &str,
) -> Result<TicketCreated, SendError> {
    let url = format!("/v1/sites/{site}/tickets");
    let response = Request::post(&url)
        .header("Idempotency-Key", key)
        .json(ticket)
        .map_err(|_| SendError::Failed)?
        .send()
        .await
        .map_err(|_| SendError::Failed)?;
    match response.status() {
        201 => response.json().await.map_err(|_| SendError::Failed),
        422 => match response.json::<Problem>().await {
            Ok(problem) if !problem.errors.is_empty() => Err(SendError::Invalid(problem.errors)),
            _ => Err(SendError::Failed),
        },
        _ => Err(SendError::Failed),
    }
}
