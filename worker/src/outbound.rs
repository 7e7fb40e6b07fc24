//! Requests the worker makes to others (webhook receivers, social networks' APIs): a POST that
//! never follows a redirect and gives up after [`TIMEOUT_MS`]. Where they may go is checked by
//! the caller (`core::url::check_outbound`, with the worker's own policy).

use futures_util::future::{select, Either};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

use crate::http::ApiError;

/// How long a receiver may take to answer.
pub const TIMEOUT_MS: u64 = 10_000;

/// How a POST ended.
pub enum Posted {
    /// The status and body of the answer (a redirect is an answer, not followed).
    Answered(u16, String),
    /// No answer: the connection failed or the time ran out.
    NoAnswer(String),
}

/// POSTs `body` to `url` with `content_type` and the extra `headers`.
pub async fn post_with(
    url: &str,
    content_type: &str,
    body: String,
    headers: &[(&str, &str)],
) -> Result<Posted, ApiError> {
    let all = Headers::new();
    all.set("Content-Type", content_type)?;
    all.set("User-Agent", "Tabdesk/1")?;
    for (name, value) in headers {
        all.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(all)
        .with_body(Some(body.into()))
        .with_redirect(RequestRedirect::Manual);
    let request = Request::new_with_init(url, &init)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let sending = Box::pin(fetch.send_with_signal(&signal));
    let timeout = Box::pin(Delay::from(std::time::Duration::from_millis(TIMEOUT_MS)));
    let posted = match select(sending, timeout).await {
        Either::Left((Ok(mut response), _)) => {
            let status = response.status_code();
            Posted::Answered(status, response.text().await.unwrap_or_default())
        }
        Either::Left((Err(e), _)) => Posted::NoAnswer(e.to_string()),
        Either::Right(_) => {
            controller.abort();
            Posted::NoAnswer(format!("no answer in {TIMEOUT_MS} ms"))
        }
    };
    Ok(posted)
}

/// [`post_with`] and no extra headers.
pub async fn post(url: &str, content_type: &str, body: String) -> Result<Posted, ApiError> {
    post_with(url, content_type, body, &[]).await
}
