//! The screens most visitors never open — the contact form and "My requests" — in one wasm
//! module beside the first (`rest`, wasm-split, in `cargo xtask build`): fetched on first use,
//! or just before it, when the pointer or the focus reaches a button that opens one of them. The
//! first screen (search, results, articles) carries none of their code.
//!
//! One module, not one per screen: each had to be fetched with the code both share (a third
//! file), and the three weighed 5.5 KB gzip more than the one, which kept all screens over their
//! 150 KB budget (157.9 against 152.4 KB). What that costs: the first "Contact us" fetches
//! "My requests"' code too (80 KB gzip in place of 57), and a visitor with requests fetches the
//! form's at start (80 in place of 38); the work few visits need (the retry loops, the relay,
//! the reading of requests) is in the same module.

use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::i18n::strings;
use tabdesk_ui::cell::{Call, Kept};
use tabdesk_ui::{arriving, arriving_quietly, prefetch, screen, Arrival, Fresh, Screen};

use crate::outbox::Delivered;
use crate::visit::visit;
use crate::{contact, mine};

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_screens))]
fn contact_screen(on_open: Call<String>) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || contact::contact_form(on_open)))
}

/// The request just stored, on demand too: only a visit that wrote one sees it.
#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn sent_screen(delivered: Delivered, on_new: Call<()>) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || contact::request_sent(delivered.clone(), on_new)))
}

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn requests_screen(
    thread: Option<String>,
    on_thread: Call<String>,
    on_home: Call<()>,
) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || match thread.clone() {
        Some(id) => mine::thread(id),
        None => mine::my_requests(on_thread, on_home),
    }))
}

/// The home screen's open requests, on demand: a visitor with requests fetches the module at
/// start (and has "My requests" ready), one without never does.
#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn open_requests_part(on_thread: Call<String>) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || mine::open_requests(on_thread)))
}

fn texts() -> Arrival {
    let s = strings(visit().locale);
    Arrival { loading: s.loading, failed: s.load_failed, retry: s.try_again }
}

pub fn contact(on_open: Call<String>) -> Fresh {
    arriving(move || contact_screen(on_open), texts())
}

pub fn sent(delivered: Delivered, on_new: Call<()>) -> Fresh {
    let delivered = Kept::new(delivered);
    arriving(move || sent_screen(delivered.get_value(), on_new), texts())
}

pub fn requests(thread: Option<String>, on_thread: Call<String>, on_home: Call<()>) -> Fresh {
    let thread = Kept::new(thread);
    arriving(move || requests_screen(thread.get_value(), on_thread, on_home), texts())
}

pub fn open_requests(on_thread: Call<String>) -> Fresh {
    arriving_quietly(move || open_requests_part(on_thread))
}

/// Fetches the module of the form and "My requests" ahead of the click that will need it.
pub fn prefetch_screens() {
    prefetch(preload_screens);
}
