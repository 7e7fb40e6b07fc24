//! The console's calls to the agents' API (same origin), with the signed-in token. Types are
//! core's wire types: the console defines none of its own.

use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tabdesk_core::config::SiteConfig;
use tabdesk_core::domain::FieldError;
use tabdesk_core::i18n::console::ConsoleStrings;
use tabdesk_core::problem::is_transient;
use tabdesk_core::wire::{
    Agent, AgentCreated, ChannelsUpdate, ChannelsView, Me, Message, NewAgent, NewMessage, Problem, QueueCounts,
    SearchResults, Stats, TicketDetail, TicketPage, TicketSummary, TicketUpdate,
};

/// Why a call did not give what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No token, or one the server does not know (any more): sign in again.
    SignedOut,
    NotFound,
    /// The server names fields to correct.
    Invalid(Vec<FieldError>),
    /// No answer, or one that may change when asked again (core's `is_transient`).
    Transient,
    /// Any other final answer, with the problem's `detail`.
    Final(String),
}

/// What an admin reads of a failed save: the fields to correct, one line each, the problem's
/// detail, or that there was no connection.
pub fn failure_text(s: &ConsoleStrings, failure: Failure) -> String {
    match failure {
        Failure::Invalid(errors) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
            format!("{} {}", s.fix_first, lines.join("; "))
        }
        Failure::Final(detail) => detail,
        _ => s.no_connection.to_owned(),
    }
}

/// A read that may be answered "unchanged" (`If-None-Match`).
pub enum Fresh<T> {
    Changed(T, Option<String>),
    Unchanged,
}

async fn call(
    method: Method,
    url: &str,
    token: &str,
    body: Option<String>,
    headers: &[(&str, &str)],
) -> Result<(u16, String, Option<String>), Failure> {
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", "application/json");
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let request = match body {
        Some(json) => builder.header("Content-Type", "application/json").body(json),
        None => builder.build(),
    }
    .map_err(|_| Failure::Transient)?;
    let response = request.send().await.map_err(|_| Failure::Transient)?;
    let status = response.status();
    let etag = response.headers().get("ETag");
    let text = response.text().await.map_err(|_| Failure::Transient)?;
    Ok((status, text, etag))
}

/// What a failed answer means.
fn failure(status: u16, text: &str) -> Failure {
    if is_transient(Some(status)) {
        return Failure::Transient;
    }
    let problem: Option<Problem> = serde_json::from_str(text).ok();
    match status {
        401 => Failure::SignedOut,
        404 => Failure::NotFound,
        422 => Failure::Invalid(problem.map(|p| p.errors).unwrap_or_default()),
        _ => Failure::Final(problem.map(|p| p.detail).unwrap_or_default()),
    }
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|_| Failure::Transient)
}

async fn get<T: DeserializeOwned>(url: &str, token: &str, etag: Option<&str>) -> Result<Fresh<T>, Failure> {
    let headers: Vec<(&str, &str)> = etag.map(|e| ("If-None-Match", e)).into_iter().collect();
    match call(Method::GET, url, token, None, &headers).await? {
        (200, text, etag) => Ok(Fresh::Changed(read(&text)?, etag)),
        (304, _, _) => Ok(Fresh::Unchanged),
        (status, text, _) => Err(failure(status, &text)),
    }
}

/// What `url` holds now (asked without an `ETag`, so never "unchanged").
async fn current<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, Failure> {
    match get(url, token, None).await? {
        Fresh::Changed(value, _) => Ok(value),
        Fresh::Unchanged => Err(Failure::Transient),
    }
}

async fn send<T: DeserializeOwned>(
    method: Method,
    url: &str,
    token: &str,
    body: &impl Serialize,
    headers: &[(&str, &str)],
) -> Result<T, Failure> {
    let json = serde_json::to_string(body).map_err(|e| Failure::Final(e.to_string()))?;
    match call(method, url, token, Some(json), headers).await? {
        (200 | 201, text, _) => read(&text),
        (status, text, _) => Err(failure(status, &text)),
    }
}

/// Whose token this is. An unknown token is `SignedOut` here.
pub async fn me(token: &str) -> Result<Me, Failure> {
    match current("/v1/admin/me", token).await {
        Err(Failure::NotFound) => Err(Failure::SignedOut),
        other => other,
    }
}

pub async fn counts(token: &str, site: &str, etag: Option<&str>) -> Result<Fresh<QueueCounts>, Failure> {
    get(&format!("/v1/admin/sites/{site}/counts"), token, etag).await
}

/// A page of the queue; `query` is the list's query string (without `?`).
pub async fn queue(token: &str, site: &str, query: &str, etag: Option<&str>) -> Result<Fresh<TicketPage>, Failure> {
    get(&format!("/v1/admin/sites/{site}/tickets?{query}"), token, etag).await
}

/// The site's statistics from day `from` to day `to` (both included, `YYYY-MM-DD`).
pub async fn stats(token: &str, site: &str, from: &str, to: &str) -> Result<Stats, Failure> {
    let (from, to) = (js_sys::encode_uri_component(from), js_sys::encode_uri_component(to));
    current(&format!("/v1/admin/sites/{site}/stats?from={from}&to={to}"), token).await
}

pub async fn config(token: &str, site: &str) -> Result<SiteConfig, Failure> {
    current(&format!("/v1/admin/sites/{site}/config"), token).await
}

pub async fn save_config(token: &str, site: &str, config: &SiteConfig) -> Result<SiteConfig, Failure> {
    send(Method::PUT, &format!("/v1/admin/sites/{site}/config"), token, config, &[]).await
}

pub async fn agents(token: &str, site: &str) -> Result<Vec<Agent>, Failure> {
    current(&format!("/v1/admin/sites/{site}/agents"), token).await
}

/// The site's channel connections (secrets only as set or not).
pub async fn channels(token: &str, site: &str) -> Result<ChannelsView, Failure> {
    current(&format!("/v1/admin/sites/{site}/channels"), token).await
}

pub async fn save_channels(token: &str, site: &str, update: &ChannelsUpdate) -> Result<ChannelsView, Failure> {
    send(Method::PUT, &format!("/v1/admin/sites/{site}/channels"), token, update, &[]).await
}

pub async fn invite(token: &str, site: &str, agent: &NewAgent) -> Result<AgentCreated, Failure> {
    send(Method::POST, &format!("/v1/admin/sites/{site}/agents"), token, agent, &[]).await
}

pub async fn revoke(token: &str, site: &str, agent: &str) -> Result<(), Failure> {
    match call(Method::DELETE, &format!("/v1/admin/sites/{site}/agents/{agent}"), token, None, &[]).await? {
        (200 | 204, _, _) => Ok(()),
        (status, text, _) => Err(failure(status, &text)),
    }
}

/// The site's articles matching `q` (the widget's search), for links in replies.
pub async fn articles(token: &str, site: &str, q: &str, locale: &str) -> Result<SearchResults, Failure> {
    let q = js_sys::encode_uri_component(q);
    current(&format!("/v1/sites/{site}/kb/search?limit=5&locale={locale}&q={q}"), token).await
}

pub async fn ticket(token: &str, id: &str, etag: Option<&str>) -> Result<Fresh<TicketDetail>, Failure> {
    get(&format!("/v1/admin/tickets/{id}"), token, etag).await
}

pub async fn update(token: &str, id: &str, change: &TicketUpdate) -> Result<TicketSummary, Failure> {
    send(Method::PATCH, &format!("/v1/admin/tickets/{id}"), token, change, &[]).await
}

/// Sends a reply or a note once per `key`: a retry with the same key gets the first answer.
pub async fn message(token: &str, id: &str, message: &NewMessage, key: &str) -> Result<Message, Failure> {
    send(Method::POST, &format!("/v1/admin/tickets/{id}/messages"), token, message, &[("Idempotency-Key", key)]).await
}
