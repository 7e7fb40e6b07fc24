//! Calls to the worker's API (same origin as the widget), through the browser's `fetch`.
//!
//! Written against web-sys directly rather than gloo-net: gloo-net brings the `http` crate and
//! wasm-streams, which cost the widget more bytes than these few lines.

use tabdesk_core::domain::FieldError;
use tabdesk_core::json::{FromJson, ToJson};
use tabdesk_core::problem::is_transient;
use tabdesk_core::wire::{
    CustomerTicket, KbArticle, KbFeedback, Message, Mine, MineRequest, NewMessage, NewTicket, Problem, RelayKey,
    RelayKeyRequest, SearchResults, Summaries, SummariesRequest, TicketCreated, TicketRef, Visibility, WidgetEvent,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Why a request was not stored.
pub enum SendError {
    /// The server will not take the request as it is: it goes back to the customer.
    Refused(Refusal),
    /// No answer, or one that may change if the same request is sent again (core's
    /// `is_transient`): it may be retried with the same key.
    Transient,
}

/// A final answer to a request: sending it again unchanged would get the same.
#[derive(Clone, PartialEq)]
pub enum Refusal {
    /// The server found fields to correct (a 422 naming them).
    Invalid(Vec<FieldError>),
    /// Any other final answer, with the problem's `detail` (empty when the body had none).
    Final(String),
}

/// What a failed answer (`status`, or `None` for no answer) means for the request: retried
/// when core calls it transient, else refused with the fields or the reason the body gives.
fn failure(status: Option<u16>, text: &str) -> SendError {
    if is_transient(status) {
        return SendError::Transient;
    }
    match parse::<Problem>(text) {
        Some(p) if status == Some(422) && !p.errors.is_empty() => SendError::Refused(Refusal::Invalid(p.errors)),
        p => SendError::Refused(Refusal::Final(p.map(|p| p.detail).unwrap_or_default())),
    }
}

/// An answer: its status, body text and `ETag` (the version a thread was read at).
struct Answer {
    status: u16,
    text: String,
    etag: Option<String>,
}

/// Sends a request with a JSON `body` (if any) and extra `headers`; `Err` when no answer came.
async fn fetch(method: &str, url: &str, body: Option<&str>, extra: &[(&str, &str)]) -> Result<Answer, JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    for (name, value) in extra {
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(json) = body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(json));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
    let etag = response.headers().get("ETag").ok().flatten();
    let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok(Answer { status: response.status(), text, etag })
}

use crate::json::{decode as parse, encode};

/// A `T` read from `url`; `None` for no answer, another status than 200 or a body that does not
/// read.
async fn get<T: FromJson>(url: &str) -> Option<T> {
    parse(&get_text(url).await?)
}

/// `get`'s one instance but the reading: the body of a 200 answer.
async fn get_text(url: &str) -> Option<String> {
    match fetch("GET", url, None, &[]).await {
        Ok(Answer { status: 200, text, .. }) => Some(text),
        _ => None,
    }
}

pub async fn search(site: &str, query: &str, locale: &str, limit: usize) -> Option<SearchResults> {
    let q = js_sys::encode_uri_component(query);
    get(&format!("/v1/sites/{site}/kb/search?limit={limit}&locale={locale}&q={q}")).await
}

/// Sends `body` as JSON with `headers` and reads a `T` from an answer of status `ok`.
async fn post<T: FromJson>(url: &str, body: &impl ToJson, headers: &[(&str, &str)], ok: u16) -> Result<T, SendError> {
    let text = post_text(url, encode(body), headers, ok).await?;
    // A success whose body does not read is retried: with the same key it is the same answer.
    parse(&text).ok_or(SendError::Transient)
}

/// `post`'s one instance but the writing and the reading: the body of an answer of status `ok`.
async fn post_text(url: &str, json: Option<String>, headers: &[(&str, &str)], ok: u16) -> Result<String, SendError> {
    // Serializing plain structs and maps cannot fail; if it did, resending would not help.
    let json = json.ok_or(SendError::Refused(Refusal::Final(String::new())))?;
    match fetch("POST", url, Some(&json), headers).await {
        Ok(Answer { status, text, .. }) if status == ok => Ok(text),
        Ok(Answer { status, text, .. }) => Err(failure(Some(status), &text)),
        Err(_) => Err(failure(None, "")),
    }
}

pub async fn create_ticket(site: &str, ticket: &NewTicket, key: &str) -> Result<TicketCreated, SendError> {
    post(&format!("/v1/sites/{site}/tickets"), ticket, &[("Idempotency-Key", key)], 201).await
}

/// The requests of the customer the site's signed `identity` names, from any device.
pub async fn mine(site: &str, identity: &str) -> Result<Mine, SendError> {
    post(&format!("/v1/sites/{site}/tickets/mine"), &MineRequest { identity: identity.to_owned() }, &[], 200).await
}

/// The customer's requests at a glance, those whose tokens still open them.
pub async fn summaries(tickets: Vec<TicketRef>) -> Result<Summaries, SendError> {
    post("/v1/tickets/summaries", &SummariesRequest { tickets }, &[], 200).await
}

/// A thread read again: changed since the version `etag` names, or not.
pub enum Thread {
    Changed(CustomerTicket, Option<String>),
    Unchanged,
    Failed,
}

/// The public thread of request `id`, opened with its access `token`; with the `etag` of the
/// version already shown, the server answers 304 when nothing changed.
pub async fn thread(id: &str, token: &str, etag: Option<&str>) -> Thread {
    let url = format!("/v1/tickets/{}", js_sys::encode_uri_component(id));
    let bearer = format!("Bearer {token}");
    let mut headers = vec![("Authorization", bearer.as_str())];
    headers.extend(etag.map(|e| ("If-None-Match", e)));
    match fetch("GET", &url, None, &headers).await {
        Ok(Answer { status: 200, text, etag }) => parse(&text).map_or(Thread::Failed, |t| Thread::Changed(t, etag)),
        Ok(Answer { status: 304, .. }) => Thread::Unchanged,
        _ => Thread::Failed,
    }
}

/// The customer's reply to request `id`, once per `key`.
pub async fn reply(id: &str, token: &str, body: &str, key: &str) -> Result<Message, SendError> {
    let url = format!("/v1/tickets/{}/messages", js_sys::encode_uri_component(id));
    let message = NewMessage { body: body.to_owned(), visibility: Visibility::Public };
    post(&url, &message, &[("Authorization", &format!("Bearer {token}")), ("Idempotency-Key", key)], 201).await
}

/// The key that seals what the widget relays to the host page's storage under relay `id`
/// (base64url of 32 bytes). Same origin only: the worker refuses it to any other page.
pub async fn relay_key(id: &str) -> Result<String, SendError> {
    let request = RelayKeyRequest { id: id.to_owned() };
    post::<RelayKey>("/v1/relay-key", &request, &[], 200).await.map(|k| k.key)
}

/// What the home screen suggests for the page at `page_url` before anything is typed.
pub async fn suggested(site: &str, page_url: Option<&str>, locale: &str) -> Option<SearchResults> {
    let page = page_url.map(|p| format!("&page_url={}", js_sys::encode_uri_component(p))).unwrap_or_default();
    get(&format!("/v1/sites/{site}/kb/suggested?locale={locale}{page}")).await
}

pub async fn article(site: &str, id: &str, locale: &str) -> Option<KbArticle> {
    get(&format!("/v1/sites/{site}/kb/articles/{}?locale={locale}", js_sys::encode_uri_component(id))).await
}

/// Sends something the widget need not wait for (feedback, statistics); failures are ignored.
async fn post_quietly<T: ToJson>(url: &str, body: &T) -> bool {
    match encode(body) {
        Some(json) => matches!(fetch("POST", url, Some(&json), &[]).await, Ok(Answer { status: 202, .. })),
        None => false,
    }
}

pub async fn feedback(site: &str, id: &str, helpful: bool, query: Option<String>) -> bool {
    let url = format!("/v1/sites/{site}/kb/articles/{}/feedback", js_sys::encode_uri_component(id));
    post_quietly(&url, &KbFeedback { helpful, query }).await
}

pub async fn event(site: &str, event: WidgetEvent) {
    post_quietly(&format!("/v1/sites/{site}/events"), &event).await;
}
