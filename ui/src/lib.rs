//! What the widget and the console do the same way in the browser: a message's text with its
//! links, the idempotency keys of what they send, and screens whose code arrives on demand.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub mod cell;
mod fresh;

pub use fresh::{fresh, Fresh, FreshState};

use cell::{Cell, Derived};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;
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
            // `into_any`, not `fresh`: a thread's messages are patched in place when it refreshes,
            // so that a selection in them stays.
            Piece::Text(t) => t.to_owned().into_any(),
            Piece::Link(url) => {
                view! { <a href=url.to_owned() target="_blank" rel="noopener noreferrer">{url.to_owned()}</a> }
                    .into_any()
            }
        })
        .collect_view()
}

/// Fetches a screen's module again; from the second retry on, reloads the page instead: a page
/// older than a deploy asks for modules the new one no longer has, and only a reload gets the
/// new names. (What the visitor typed is kept in drafts either way.)
fn retry(attempt: Cell<u32>) {
    if attempt.get_untracked() == 0 {
        attempt.set(1);
    } else if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// What a screen that arrives on demand says while it comes and when it did not.
#[derive(Clone, Copy)]
pub struct Arrival {
    pub loading: &'static str,
    pub failed: &'static str,
    pub retry: &'static str,
}

/// A screen whose code is in a module of its own (wasm-split), once `load` has it: "loading"
/// while it arrives (already there, it shows at once, with no flash), and "failed" with a retry
/// button when the connection failed — a failed fetch is not remembered, so a retry fetches again.
pub fn arriving<F, Fut>(load: F, texts: Arrival) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Fresh, SplitLoaderError>> + 'static,
{
    arrive(Arc::new(move || Box::pin(load()) as Loading), Some(texts))
}

/// A part of a screen whose code is in a module of its own, once `load` has it: nothing while it
/// arrives and nothing if it does not (a part the screen does well enough without, not a screen).
pub fn arriving_quietly<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Fresh, SplitLoaderError>> + 'static,
{
    arrive(Arc::new(move || Box::pin(load()) as Loading), None)
}

/// A screen's module on its way, and then its view.
type Loading = Pin<Box<dyn Future<Output = Result<Fresh, SplitLoaderError>>>>;

/// `arriving`'s body (and, without `texts`, `arriving_quietly`'s), with the loading boxed:
/// compiled once, not once per screen.
fn arrive(load: Arc<dyn Fn() -> Loading + Send + Sync>, texts: Option<Arrival>) -> impl IntoView {
    let attempt = Cell::new(0u32);
    // Set and cleared within one poll when the module is already there: no flash.
    let waiting = Cell::new(false);
    let screen = move || {
        attempt.track();
        let load = load.clone();
        // Untracked: what building the screen reads must not rebuild it (a Suspend would
        // otherwise subscribe to it). The browser has one thread: `SendWrapper` only tells
        // Leptos so. (No `<Suspense>`: its disposal while a screen's task still runs panicked.)
        Suspend::new(SendWrapper::new(ScopedFuture::new_untracked(async move {
            waiting.set(true);
            let loaded = load().await;
            waiting.try_set(false);
            match loaded {
                Ok(screen) => screen,
                // Hidden while a retry is on its way, so it cannot say two things at once.
                Err(_) => match texts {
                    Some(texts) => fresh(view! {
                        <section class="load-failed" role="alert" hidden=move || waiting.get()>
                            <p>{texts.failed}</p>
                            <button class="secondary" type="button" on:click=move |_| retry(attempt)>
                                {texts.retry}
                            </button>
                        </section>
                    }),
                    None => fresh(()),
                },
            }
        })))
    };
    let loading = texts.map(|texts| {
        view! { <p class="status arriving" role="status" hidden=move || !waiting.get()>{texts.loading}</p> }
    });
    view! { {loading} {screen} }
}

/// What Leptos' `<Show>` does, compiled once: `view` while `when` holds (worked out once per
/// change of what it reads, so the view is built again only when it turns true), nothing
/// otherwise. `<Show>` is compiled again for every condition and every view it shows.
pub fn shown<V>(
    when: impl Fn() -> bool + Send + Sync + 'static,
    view: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    show(Box::new(when), Arc::new(move || fresh(view())))
}

/// `shown`'s body, with both closures boxed.
fn show(when: Box<dyn Fn() -> bool + Send + Sync>, view: Arc<dyn Fn() -> Fresh + Send + Sync>) -> impl IntoView {
    let when = Derived::new(when);
    move || when.get().then(|| view())
}

/// Starts fetching a split-off screen's module ahead of its use (`preload` is the function its
/// `#[wasm_split(…, preload(…))]` made). A failure is left for the screen itself to show.
pub fn prefetch<Fut>(preload: fn() -> Fut)
where
    Fut: Future<Output = Result<(), SplitLoaderError>> + 'static,
{
    leptos::task::spawn_local(async move {
        let _ = preload().await;
    });
}
