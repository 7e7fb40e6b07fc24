//! The home screen: knowledge-base search while typing, and the way to write to a person.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::{articles_found, strings};
use tabdesk_core::kb::{highlight_runs, is_blank};
use tabdesk_core::locale::Locale;
use tabdesk_core::wire::{SearchHit, SearchResults, WidgetEvent, WidgetEventKind};

use crate::api;

/// Wait after the last keystroke before asking the server.
const DEBOUNCE_MS: u32 = 120;
/// A query unchanged this long after its results showed counts as a search (for statistics).
const SETTLE_MS: u32 = 1500;
const HITS: usize = 8;

#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Searching,
    Found(SearchResults),
    Failed,
}

/// The query and its results. Each keystroke takes a new sequence number; an answer whose
/// number is no longer the latest is stale and dropped.
#[derive(Clone, Copy)]
pub struct SearchState {
    site: StoredValue<String>,
    locale: Locale,
    query: RwSignal<String>,
    outcome: RwSignal<Outcome>,
    latest: StoredValue<u32>,
}

impl SearchState {
    pub fn new(site: String, locale: Locale) -> SearchState {
        SearchState {
            site: StoredValue::new(site),
            locale,
            query: RwSignal::new(String::new()),
            outcome: RwSignal::new(Outcome::Idle),
            latest: StoredValue::new(0),
        }
    }

    fn input(self, query: String) {
        self.query.set(query.clone());
        let ticket = self.latest.get_value().wrapping_add(1);
        self.latest.set_value(ticket);
        if is_blank(&query) {
            self.outcome.set(Outcome::Idle);
            return;
        }
        spawn_local(async move {
            TimeoutFuture::new(DEBOUNCE_MS).await;
            if self.latest.get_value() != ticket {
                return;
            }
            self.outcome.set(Outcome::Searching);
            let answer = api::search(&self.site.get_value(), &query, self.locale.tag(), HITS).await;
            if self.latest.get_value() != ticket {
                return;
            }
            let total = answer.as_ref().map(|r| r.total as u32);
            self.outcome.set(answer.map_or(Outcome::Failed, Outcome::Found));
            TimeoutFuture::new(SETTLE_MS).await;
            if self.latest.get_value() == ticket {
                let event =
                    WidgetEvent { kind: WidgetEventKind::Search, article_id: None, query: Some(query), results: total };
                api::event(&self.site.get_value(), event).await;
            }
        });
    }
}

fn hit_view(hit: SearchHit, on_open: Callback<String>) -> impl IntoView {
    let runs = highlight_runs(&hit.snippet, &hit.highlights)
        .into_iter()
        .map(|(text, marked)| if marked { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() })
        .collect_view();
    let id = hit.id.clone();
    view! {
        <li>
            <button class="hit" type="button" on:click=move |_| on_open.run(id.clone())>
                <span class="hit-title">{hit.title}</span>
                <span class="hit-snippet">{runs}</span>
            </button>
        </li>
    }
}

#[component]
pub fn Search(state: SearchState, on_contact: Callback<()>, on_open: Callback<String>) -> impl IntoView {
    let s = strings(state.locale);
    let locale = state.locale;
    let status = move || match state.outcome.get() {
        Outcome::Idle => String::new(),
        Outcome::Searching => s.searching.to_owned(),
        Outcome::Found(r) if r.total == 0 => s.no_results.to_owned(),
        Outcome::Found(r) => articles_found(locale, r.total as u64),
        Outcome::Failed => s.search_failed.to_owned(),
    };
    let hits = move || match state.outcome.get() {
        Outcome::Found(r) => r.hits,
        _ => Vec::new(),
    };
    // Focus the search field when shown (`autofocus` is blocked in cross-origin iframes).
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            let _ = input.focus();
        }
    });
    view! {
        <section class="search">
            <h2 class="title">{s.title}</h2>
            <input class="query" type="search" role="searchbox" aria-label=s.search_label
                placeholder=s.search_placeholder autocomplete="off" node_ref=field
                prop:value=move || state.query.get()
                on:input=move |ev| state.input(event_target_value(&ev))/>
            <p class="status" aria-live="polite">{status}</p>
            <ul class="hits">
                <For each=hits key=|hit| hit.id.clone() children=move |hit| hit_view(hit, on_open)/>
            </ul>
        </section>
        <footer class="contact">
            <button class="primary" type="button" on:click=move |_| on_contact.run(())>{s.contact_us}</button>
        </footer>
    }
}
