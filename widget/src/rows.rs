//! The rows the screens list: an article found or suggested, and one of the visitor's requests.

use leptos::prelude::*;
use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::{status_name, strings};
use tabdesk_core::kb::highlight_runs;
use tabdesk_core::wire::{CustomerSummary, SearchHit};
use tabdesk_ui::cell::Call;
use tabdesk_ui::{fresh, Fresh};

use crate::requests::Requests;

/// An article with its snippet, its matched words marked; `on_open` opens it. A `Fresh`: a
/// list's new answer is new rows, not the old rows changed (which took 0.8 KB gzip of code), and
/// nothing in a row holds what the visitor does.
fn hit_view(hit: SearchHit, on_open: Call<String>) -> Fresh {
    let runs = highlight_runs(&hit.snippet, &hit.highlights)
        .into_iter()
        .map(|(text, marked)| if marked { fresh(view! { <mark>{text}</mark> }) } else { fresh(text) })
        .collect_view();
    let id = hit.id.clone();
    fresh(view! {
        <li>
            <button class="hit" type="button" on:click=move |_| on_open.run(id.clone())>
                <span class="hit-title">{hit.title}</span>
                <span class="hit-snippet">{runs}</span>
            </button>
        </li>
    })
}

/// The rows of a list of articles (found or suggested): one instance of the code that lists
/// them, for both lists.
pub fn hit_views(hits: Vec<SearchHit>, on_open: Call<String>) -> Vec<Fresh> {
    hits.into_iter().map(|hit| hit_view(hit, on_open)).collect()
}

/// A request with its number, status and (when an agent's reply was not shown yet) an unread
/// marker; `on_thread` opens it.
pub fn request_row(locale: Locale, requests: Requests, t: CustomerSummary, on_thread: Call<String>) -> impl IntoView {
    let s = strings(locale);
    let unread = requests.is_unread(&t);
    let id = t.id.clone();
    view! {
        <li>
            <button class="request" type="button" on:click=move |_| on_thread.run(id.clone())>
                <span class="request-subject">{t.subject}</span>
                <span class="request-meta">
                    {t.number}" · "<span class="request-status">{status_name(locale, t.status)}</span>
                </span>
                {unread.then(|| view! { <span class="unread">{s.unread}</span> })}
            </button>
        </li>
    }
}
