//! Leptos pieces the widget and the console draw the same way.

use leptos::prelude::*;
use tabdesk_core::url::{linkify, Piece};

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
