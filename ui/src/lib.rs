//! What the widget and the console do the same way in the browser: a message's text with its
//! links, the idempotency keys of what they send, and screens whose code arrives on demand.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

mod calls;
pub mod cell;
mod dom;
mod fresh;

pub use dom::{button, el, El};
pub use fresh::{fresh, Fresh, FreshState};

use calls::Give;
use cell::{Cell, Derived, Kept};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use tabdesk_core::url::{linkify, Piece};

/// The browser apps' allocator: talc (crates.io) in place of the standard library's dlmalloc,
/// in the first module that every screen loads (1.3 KB of code before wasm-opt against
/// dlmalloc's 7.1 KB, twiggy; the widget's first screen 2.8 KB gzip lighter). The apps run on
/// one thread (no `atomics` feature), which is what this allocator is made for.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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
            // `into_any`, not `fresh`: the console's messages are patched in place when a ticket
            // refreshes, so that a selection in them stays. (The widget's are `El::linked`.)
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
fn retry(attempts: Kept<u32>, arrived: Cell<Option<Arrived>>) {
    if attempts.get_value() == 0 {
        attempts.set_value(1);
        arrived.set(None);
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

/// What a split-off screen's module hands back: the code that builds the screen. It is built
/// where it shows (in the view that waited for it, untracked), so that its state belongs to that
/// view and goes with it.
pub type Screen = Arc<dyn Give<Fresh> + Send + Sync>;

/// A [`Screen`] built by `build`.
pub fn screen(build: impl Fn() -> Fresh + Send + Sync + 'static) -> Screen {
    Arc::new(build)
}

/// A screen whose code is in a module of its own (wasm-split), once `load` has it: "loading"
/// while it arrives (already there, it shows at once, with no flash), and "failed" with a retry
/// button when the connection failed — a failed fetch is not remembered, so a retry fetches again.
pub fn arriving<F, Fut>(load: F, texts: Arrival) -> Fresh
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Screen, SplitLoaderError>> + 'static,
{
    arrive(Arc::new(move || Box::pin(load()) as Loading), Some(texts))
}

/// A part of a screen whose code is in a module of its own, once `load` has it: nothing while it
/// arrives and nothing if it does not (a part the screen does well enough without, not a screen).
pub fn arriving_quietly<F, Fut>(load: F) -> Fresh
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Screen, SplitLoaderError>> + 'static,
{
    arrive(Arc::new(move || Box::pin(load()) as Loading), None)
}

/// A screen's module on its way, and then what builds the screen.
type Loading = Pin<Box<dyn Future<Output = Result<Screen, SplitLoaderError>>>>;

/// How a module that was not there at first came: its screen, or `None` when it failed.
type Arrived = Option<Screen>;

/// `arriving`'s body (and, without `texts`, `arriving_quietly`'s), with the loading boxed:
/// compiled once, not once per screen. A module already there answers the first poll, and its
/// screen is built at once; otherwise a task waits for it and the view is drawn again when it
/// came. (Neither Leptos' `Suspend` nor `<Suspense>`: the first cost the widget's first screen
/// 4.7 KB gzip, the second panicked when disposed while a screen's task still ran.)
fn arrive(load: Arc<dyn Fn() -> Loading + Send + Sync>, texts: Option<Arrival>) -> Fresh {
    let attempts = Kept::new(0u32);
    let arrived = Cell::new(None::<Arrived>);
    live(move || {
        let loaded = match arrived.get() {
            Some(came) => came.ok_or(()),
            None => {
                let mut loading = load();
                match loading.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                    Poll::Ready(came) => came.map_err(|_| ()),
                    Poll::Pending => {
                        leptos::task::spawn_local(async move {
                            arrived.try_set(Some(loading.await.ok()));
                        });
                        return match texts {
                            Some(texts) => {
                                el("p").class("status arriving").attr("role", "status").text(texts.loading).into()
                            }
                            None => fresh(()),
                        };
                    }
                }
            }
        };
        match (loaded, texts) {
            (Ok(screen), _) => untrack(|| screen.give()),
            (Err(()), Some(texts)) => el("section")
                .class("load-failed")
                .attr("role", "alert")
                .child(el("p").text(texts.failed))
                .child(button("secondary", texts.retry, move || retry(attempts, arrived)))
                .into(),
            (Err(()), None) => fresh(()),
        }
    })
}

/// What Leptos' `<Show>` does, compiled once: `view` while `when` holds (worked out once per
/// change of what it reads, so the view is built again only when it turns true), nothing
/// otherwise. `<Show>` is compiled again for every condition and every view it shows.
pub fn shown(
    when: impl Fn() -> bool + Send + Sync + 'static,
    view: impl Fn() -> Fresh + Send + Sync + 'static,
) -> impl Fn() -> Fresh + Send + Sync + 'static {
    show(Box::new(when), Arc::new(view))
}

/// A view that `view` gives, built anew whenever what it reads changes, as a `Fresh`: one
/// instance for all (see `El::part`).
pub fn live(view: impl Fn() -> Fresh + Send + 'static) -> Fresh {
    live_boxed(Box::new(view))
}

/// `live`'s one instance.
#[inline(never)]
fn live_boxed(view: Box<dyn Give<Fresh> + Send>) -> Fresh {
    fresh(move || view.give())
}

/// `shown`'s body, with both closures boxed. Nothing is an empty `Fresh`, not `None`: every
/// part of a screen is then a `Fresh` (see `El::part`).
fn show(
    when: Box<dyn Give<bool> + Send + Sync>,
    view: Arc<dyn Give<Fresh> + Send + Sync>,
) -> impl Fn() -> Fresh + Send + Sync + 'static {
    let when = Derived::new(move || when.give());
    move || if when.get() { view.give() } else { fresh(()) }
}

/// Waits `ms` milliseconds: a promise the browser's timer resolves, awaited as a `JsFuture`
/// (which the apps use for `fetch` anyway). Not gloo's `TimeoutFuture`, whose channel and
/// cancelling were 0.3 KB gzip of the widget's first screen: nothing here drops a wait before it
/// ends. Without a window (and so no timer) it never ends, rather than let a retry loop spin.
pub async fn sleep(ms: u32) {
    let Some(window) = web_sys::window() else {
        return std::future::pending().await;
    };
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
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
