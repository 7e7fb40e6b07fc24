//! The screens most visitors never open — the contact form and "My requests" — each in a wasm
//! module of its own (wasm-split, in `cargo xtask build`): fetched on first use, or just before
//! it, when the pointer or the focus reaches the button that opens it. The first screen (search,
//! results, articles) carries none of their code.

use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::i18n::strings;
use tabdesk_ui::cell::{Call, Kept};
use tabdesk_ui::{arriving, arriving_quietly, prefetch, screen, Arrival, Fresh, Screen};

use crate::outbox::Delivered;
use crate::visit::visit;
use crate::{contact, mine};

#[wasm_split(contact, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_contact))]
fn contact_screen(on_open: Call<String>) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || contact::contact_form(on_open)))
}

/// The request just stored, in the form's module too: only a visit that wrote one sees it.
#[wasm_split(contact, wasm_split_path = ::leptos::wasm_split, fallible)]
fn sent_screen(delivered: Delivered, on_new: Call<()>) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || contact::request_sent(delivered.clone(), on_new)))
}

#[wasm_split(requests, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_requests))]
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

/// The home screen's open requests, in the module of "My requests": a visitor with requests
/// fetches it at start (and has "My requests" ready), one without never does.
#[wasm_split(requests, wasm_split_path = ::leptos::wasm_split, fallible)]
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

pub fn prefetch_contact() {
    prefetch(preload_contact);
}

pub fn prefetch_requests() {
    prefetch(preload_requests);
}
