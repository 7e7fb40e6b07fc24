//! Articles that may answer what the customer is writing, refreshed as they type: one more
//! chance to solve the problem without waiting for a person.

use tabdesk_core::i18n::form_strings;
use tabdesk_core::kb::is_blank;
use tabdesk_ui::cell::{answered, Call, Cell};
use tabdesk_ui::{el, fresh, shown, Fresh};

use crate::api;
use crate::debounce::debounced;
use crate::visit::{visit, Visit};

/// Wait after the customer stops typing before suggesting articles.
const DEBOUNCE_MS: u32 = 400;
const QUERY_CHARS: usize = 150;
const SUGGESTIONS: usize = 3;

/// Suggestions for the request's `subject` and `message`; `on_open` opens one.
pub fn suggestions(
    subject: Cell<String>,
    message: Cell<String>,
    on_open: Call<String>,
) -> impl Fn() -> Fresh + Send + 'static {
    let Visit { site, locale, .. } = visit();
    let s = form_strings(locale);
    let asked = debounced(
        move || format!("{} {}", subject.get(), message.get()).chars().take(QUERY_CHARS).collect(),
        DEBOUNCE_MS,
    );
    // An older answer never replaces a newer one; the suggestions shown stay until the next.
    let found = answered(move || {
        let query = asked.get();
        async move {
            if is_blank(&query) {
                return Vec::new();
            }
            // The trailing space: the text is complete words, none to be matched as a prefix.
            let found = api::search(&site.get_value(), &format!("{query} "), locale.tag(), SUGGESTIONS).await;
            found.map(|r| r.hits).unwrap_or_default()
        }
    });
    let hits = move || found.get().unwrap_or_default();
    let rows = move || {
        hits()
            .into_iter()
            .map(|hit| {
                let id = hit.id.clone();
                // Built anew for each answer: focus is in the field typed in.
                let open = el("button")
                    .class("link")
                    .attr("type", "button")
                    .on("click", move |_| on_open.run(id.clone()))
                    .text(&hit.title);
                Fresh::from(el("li").child(open))
            })
            .collect::<Vec<_>>()
    };
    shown(
        move || found.with(|hits| hits.as_ref().is_some_and(|h| !h.is_empty())),
        move || {
            Fresh::from(
                el("section")
                    .class("suggestions")
                    .attr("aria-live", "polite")
                    .child(el("h3").text(s.suggestions))
                    .child(el("ul").part(move || fresh(rows()))),
            )
        },
    )
}
