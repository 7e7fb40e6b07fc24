//! HTTP plumbing shared by the handlers: error answers, JSON bodies with size limits, params.

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tabdesk_core::domain::limits::MAX_BODY_BYTES;
use tabdesk_core::domain::FieldError;
use tabdesk_core::problem::{self, decode_json};
use tabdesk_core::token::hash_token;
use tabdesk_core::wire::Problem;
use worker::{Headers, Method, Request, Response, Url};

/// Why a request did not succeed: the client's fault (a problem document), a platform
/// service that failed (storage, queue, KV: worth retrying), or a fault of ours.
#[derive(Debug)]
pub enum ApiError {
    Problem(Problem),
    /// Logged, never shown: the client gets a 503 with `Retry-After`, which clients (the widget's
    /// outbox among them) retry with the same key.
    Unavailable(String),
    /// Logged, never shown: the client gets a generic 500.
    Internal(String),
}

/// Seconds a client is asked to wait after a platform service failed.
const RETRY_AFTER_SECONDS: u32 = 2;

impl ApiError {
    pub fn internal(what: impl Into<String>) -> ApiError {
        ApiError::Internal(what.into())
    }
}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError::Problem(p)
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Unavailable(e.to_string())
    }
}

pub type ApiResult = Result<Response, ApiError>;

/// A response with headers every API answer carries: API data is never cached by browsers.
pub fn respond(body: String, status: u16, content_type: &str) -> Response {
    let headers = Headers::new();
    // Setting well-formed constant headers cannot fail.
    let _ = headers.set("Content-Type", content_type);
    let _ = headers.set("Cache-Control", "no-store");
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    Response::builder().with_status(status).with_headers(headers).fixed(body.into_bytes())
}

pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult {
    Ok(respond(to_json(value)?, status, "application/json; charset=utf-8"))
}

/// A 200 with `value` and an `ETag` of its body, or a 304 when the request's `If-None-Match`
/// names that tag: clients that refresh a view (a thread, the queue) pay for nothing when
/// nothing changed.
pub fn json_tagged<T: Serialize>(req: &Request, value: &T) -> ApiResult {
    let body = to_json(value)?;
    let etag = format!("\"{}\"", &hash_token(&body)[..32]);
    let unchanged = header(req, "If-None-Match").as_deref() == Some(etag.as_str());
    let response = if unchanged {
        respond(String::new(), 304, "application/json; charset=utf-8")
    } else {
        respond(body, 200, "application/json; charset=utf-8")
    };
    response.headers().set("ETag", &etag)?;
    Ok(response)
}

pub fn problem_response(p: &Problem) -> Response {
    let body = serde_json::to_string(p).unwrap_or_default();
    let response = respond(body, p.status, "application/problem+json");
    if let Some(seconds) = p.retry_after {
        let _ = response.headers().set("Retry-After", &seconds.to_string());
    }
    response
}

pub fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::internal(e.to_string()))
}

/// Turns a handler's outcome into the answer, logging internal faults without details leaking.
pub fn finish(result: ApiResult, method: &Method, path: &str) -> Response {
    match result {
        Ok(response) => response,
        Err(ApiError::Problem(p)) => problem_response(&p),
        Err(ApiError::Unavailable(why)) => {
            worker::console_error!("{method:?} {path}: {why}");
            problem_response(&problem::unavailable(RETRY_AFTER_SECONDS))
        }
        Err(ApiError::Internal(why)) => {
            worker::console_error!("{method:?} {path}: {why}");
            problem_response(&problem::internal())
        }
    }
}

/// Reads a JSON body of at most [`MAX_BODY_BYTES`]: 415 if it is not declared as JSON (so a
/// cross-site form cannot post it without a CORS preflight), 413 if too large, 400/422 if bad.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    read_json_up_to(req, MAX_BODY_BYTES).await
}

/// [`read_json`] with another size limit (a knowledge-base publish is larger than a request).
pub async fn read_json_up_to<T: DeserializeOwned>(req: &mut Request, limit: usize) -> Result<T, ApiError> {
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(problem::unsupported_media_type().into());
    }
    let declared = req.headers().get("Content-Length")?.and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(problem::payload_too_large(limit).into());
    }
    // Read as a stream and stop at the limit: a body sent without `Content-Length` (chunked)
    // is never held whole in memory.
    let unreadable = || ApiError::from(problem::bad_request("The body could not be read."));
    let mut body = Vec::new();
    if let Ok(mut stream) = req.stream() {
        while let Some(chunk) = stream.next().await {
            body.extend_from_slice(&chunk.map_err(|_| unreadable())?);
            if body.len() > limit {
                return Err(problem::payload_too_large(limit).into());
            }
        }
    }
    Ok(decode_json(&body)?)
}

/// A query parameter's value, if present.
pub fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// A header's value; a header that is not valid text counts as absent.
pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// 405 unless the request uses one of `allowed`.
pub fn allow(method: &Method, allowed: &[Method]) -> Result<(), ApiError> {
    if allowed.contains(method) {
        Ok(())
    } else {
        Err(problem::method_not_allowed().into())
    }
}

/// A 422 naming a query parameter.
pub fn invalid_param(name: &str, message: &str) -> ApiError {
    problem::validation(vec![FieldError::new(name, "invalid", message)]).into()
}

/// The `limit` query parameter: `default` when absent, 422 unless within 1..=`max`.
pub fn limit_param(url: &Url, default: usize, max: usize) -> Result<usize, ApiError> {
    match param(url, "limit") {
        None => Ok(default),
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| invalid_param("limit", &format!("A number from 1 to {max}."))),
    }
}
