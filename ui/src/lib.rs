//! What the widget and the console do the same way in the browser: a message's text with its
//! links, and the idempotency keys of what they send.

use leptos::prelude::*;
use tabdesk_core::url::{linkify, Piece};

/// A key made in the browser before the first attempt of a request, reply or note (kept across
/// its retries; core's `ticket::key_for` says when a send may reuse it).
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{}", js_sys::Date::now() as u64))
}

/// A message's text with its web addresses as links (core's `linkify`), opened in a new tab
/// without a referrer; everything else stays text, so nothing a customer or an agent writes
/// becomes markup.
pub fn linked(text: &str) -> impl IntoView {
    linkify(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => t.to_owned().into_any(),
            Piece::Link(url) => {
                view! { <a href=url.to_owned() target="_blank" rel="noopener noreferrer">{url.to_owned()}</a> }
                    .into_any()
            }
        })
        .collect_view()
}
