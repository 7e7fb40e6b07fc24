//! The first screen: knowledge-base search while typing (before anything is typed, the home
//! screen's suggestions, `home`), the way to write to a person, and (once the visitor filed
//! one) the way to their requests.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::domain::limits::MAX_SEARCHES;
use tabdesk_core::i18n::{articles_found, strings};
use tabdesk_core::kb::is_blank;
use tabdesk_core::wire::{SearchResults, WidgetEvent, WidgetEventKind};
use tabdesk_ui::cell::{effect, effect_after, Call, Cell, Derived};
use tabdesk_ui::{button, el, fresh, shown, El, Fresh};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::api;
use crate::debounce::debounced;
use crate::home::home;
use crate::on_demand::prefetch_screens;
use crate::rows::hit_views;
use crate::visit::{visit, Visit};

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

/// The server's answer to one query; `results` is `None` when the search failed (or nothing
/// was asked: the query was blank).
#[derive(Clone)]
struct Answer {
    query: String,
    results: Option<SearchResults>,
}

/// The query as typed, the query asked (once typing paused), and the answer to it. An answer is
/// kept only while it answers the query asked, so a late answer to an older query never
/// replaces a newer one. (A signal set by a task rather than a `LocalResource`: Leptos' async
/// machinery cost the first screen more than this.)
#[derive(Clone, Copy)]
pub struct SearchState {
    query: Cell<String>,
    asked: Cell<String>,
    answer: Cell<Option<Answer>>,
}

/// Keeps `query` among the visit's last searches (once, newest last, at most what a request
/// may carry).
fn remember(searches: &mut Vec<String>, query: &str) {
    searches.retain(|q| q != query);
    searches.push(query.to_owned());
    if searches.len() > MAX_SEARCHES {
        searches.remove(0);
    }
}

impl SearchState {
    /// Searches for `query` as if it were typed (the host page asked).
    pub fn ask(self, query: String) {
        self.query.set(query);
    }

    /// The query whose results show, unless it is blank.
    pub fn asked(self) -> Option<String> {
        self.answer.get_untracked().map(|a| a.query).filter(|q| !is_blank(q))
    }

    pub fn new(visit: Visit) -> SearchState {
        let Visit { site, locale, searches, .. } = visit;
        let query = Cell::new(String::new());
        let asked = debounced(move || query.get(), DEBOUNCE_MS);
        let answer = Cell::new(None);
        effect(move || {
            let query = asked.get();
            spawn_local(async move {
                let results = if is_blank(&query) {
                    None
                } else {
                    api::search(&site.get_value(), &query, locale.tag(), HITS).await
                };
                if asked.try_get_untracked().as_ref() == Some(&query) {
                    answer.try_set(Some(Answer { query, results }));
                }
            });
        });
        // Reports a search once its answer has shown for a while with the query unchanged: typing
        // drops the pending `Timeout`, which cancels it.
        effect_after(move |pending: Option<Option<Timeout>>| {
            drop(pending);
            let query = query.get();
            let answer = answer.get().filter(|a| a.query == query && !is_blank(&query))?;
            Some(Timeout::new(SETTLE_MS, move || {
                searches.update(|s| remember(s, answer.query.trim()));
                let event = WidgetEvent {
                    kind: WidgetEventKind::Search,
                    article_id: None,
                    query: Some(answer.query),
                    results: answer.results.map(|r| r.total as u32),
                };
                spawn_local(async move { api::event(&site.get_value(), event).await });
            }))
        });
        SearchState { query, asked, answer }
    }

    /// What the screen shows: while the customer is still typing (the new query not asked yet),
    /// the outcome of the query asked before stays.
    fn outcome(self) -> Outcome {
        let asked = self.asked.get();
        if self.query.with(|q| is_blank(q)) || is_blank(&asked) {
            return Outcome::Idle;
        }
        match self.answer.get() {
            Some(answer) if answer.query == asked => answer.results.map_or(Outcome::Failed, Outcome::Found),
            _ => Outcome::Searching,
        }
    }
}

/// Focuses the search field once it is in the page, each time the screen is drawn (`autofocus`
/// is blocked in cross-origin iframes): a microtask queued as it is built, not a `NodeRef` and
/// an effect (those were 4.6 KB of the first module).
fn focus_when_shown(field: Element) {
    queue_microtask(move || {
        if let Some(field) = field.dyn_ref::<HtmlElement>() {
            let _ = field.focus();
        }
    });
}

pub fn search_screen(
    state: SearchState,
    on_contact: Call<()>,
    on_open: Call<String>,
    on_requests: Call<()>,
    on_thread: Call<String>,
) -> Fresh {
    let Visit { locale, requests, .. } = visit();
    let s = strings(locale);
    let outcome = Derived::new(move || state.outcome());
    let status = move || match outcome.get() {
        Outcome::Idle => String::new(),
        Outcome::Searching => s.searching.to_owned(),
        Outcome::Found(r) if r.total == 0 => s.no_results.to_owned(),
        Outcome::Found(r) => articles_found(locale, r.total),
        Outcome::Failed => s.search_failed.to_owned(),
    };
    let hits = move || match outcome.get() {
        Outcome::Found(r) => r.hits,
        _ => Vec::new(),
    };
    let field = el("input")
        .class("query")
        .attr("type", "search")
        .attr("role", "searchbox")
        .attr("aria-label", s.search_label)
        .attr("placeholder", s.search_placeholder)
        .attr("autocomplete", "off")
        .prop_with("value", move || state.query.get().into())
        .on("input", move |ev| state.query.set(event_target_value(&ev)));
    focus_when_shown(field.element());
    let search = el("section")
        .class("search")
        .child(el("h2").class("title").text(s.title))
        .child(field)
        .child(el("p").class("status").attr("aria-live", "polite").text_with(status))
        // Until something is typed (the search itself waits for a pause in typing).
        .part(shown(move || state.query.with(|q| is_blank(q)), move || untrack(|| home(on_open, on_thread))))
        // Rebuilt whole for each answer: eight rows, and Leptos' keyed `<For>` would bring its
        // hash maps (7 KB gzip) to the first screen.
        .child(el("ul").class("hits").part(move || fresh(hit_views(hits(), on_open))));
    let contact = prefetching(button("primary", s.contact_us, move || on_contact.run(())));
    // Only for visitors who filed a request from this browser.
    let mine =
        move || Fresh::from(prefetching(button("secondary my-requests", s.my_requests, move || on_requests.run(()))));
    let footer =
        el("footer").class("contact").child(contact).part(shown(move || requests.list.with(|l| !l.is_empty()), mine));
    fresh(vec![Fresh::from(search), Fresh::from(footer)])
}

/// `button`, which opens an on-demand screen: their module is fetched as soon as the pointer or
/// the focus reaches it.
fn prefetching(button: El) -> El {
    button.on("pointerenter", |_| prefetch_screens()).on("focus", |_| prefetch_screens())
}
