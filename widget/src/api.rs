//! Calls to the worker's API (same origin as the widget), through the browser's `fetch`.
//!
//! Written against web-sys directly rather than gloo-net: gloo-net brings the `http` crate and
//! wasm-streams, which cost the widget more bytes than these few lines.

use serde::de::DeserializeOwned;
use tabdesk_core::domain::FieldError;
use tabdesk_core::wire::{KbArticle, KbFeedback, NewTicket, Problem, SearchResults, TicketCreated, WidgetEvent};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Why a request was not stored.
pub enum SendError {
    /// The server found fields to correct.
    Invalid(Vec<FieldError>),
    /// Network, timeout or server fault: the same request may be retried with the same key.
    Failed,
}

/// Status and body text of a request, or `Err` when no answer came.
async fn fetch(method: &str, url: &str, body: Option<(&str, Option<&str>)>) -> Result<(u16, String), JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some((json, key)) = body {
        headers.set("Content-Type", "application/json")?;
        if let Some(key) = key {
            headers.set("Idempotency-Key", key)?;
        }
        init.set_body(&JsValue::from_str(json));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
    let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok((response.status(), text))
}

fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

pub async fn search(site: &str, query: &str, locale: &str, limit: usize) -> Option<SearchResults> {
    let q = js_sys::encode_uri_component(query);
    let url = format!("/v1/sites/{site}/kb/search?limit={limit}&locale={locale}&q={q}");
    match fetch("GET", &url, None).await {
        Ok((200, text)) => parse(&text),
        _ => None,
    }
}

pub async fn create_ticket(site: &str, ticket: &NewTicket, key: &str) -> Result<TicketCreated, SendError> {
    let url = format!("/v1/sites/{site}/tickets");
    let body = serde_json::to_string(ticket).map_err(|_| SendError::Failed)?;
    match fetch("POST", &url, Some((&body, Some(key)))).await {
        Ok((201, text)) => parse(&text).ok_or(SendError::Failed),
        Ok((422, text)) => match parse::<Problem>(&text) {
            Some(problem) if !problem.errors.is_empty() => Err(SendError::Invalid(problem.errors)),
            _ => Err(SendError::Failed),
        },
        _ => Err(SendError::Failed),
    }
}

pub async fn article(site: &str, id: &str, locale: &str) -> Option<KbArticle> {
    let url = format!("/v1/sites/{site}/kb/articles/{}?locale={locale}", js_sys::encode_uri_component(id));
    match fetch("GET", &url, None).await {
        Ok((200, text)) => parse(&text),
        _ => None,
    }
}

/// Sends something the widget need not wait for (feedback, statistics); failures are ignored.
async fn post_quietly<T: serde::Serialize>(url: &str, body: &T) -> bool {
    match serde_json::to_string(body) {
        Ok(json) => matches!(fetch("POST", url, Some((&json, None))).await, Ok((202, _))),
        Err(_) => false,
    }
}

pub async fn feedback(site: &str, id: &str, helpful: bool) -> bool {
    let url = format!("/v1/sites/{site}/kb/articles/{}/feedback", js_sys::encode_uri_component(id));
    post_quietly(&url, &KbFeedback { helpful }).await
}

pub async fn event(site: &str, event: WidgetEvent) {
    post_quietly(&format!("/v1/sites/{site}/events"), &event).await;
}
