//! Screens in wasm modules of their own (wasm-split, in `cargo xtask build`), so that signing
//! in and the queue come first: the ticket page, fetched as soon as the queue has shown (nearly
//! every agent opens a ticket next); reports and the settings admins edit, fetched on first use,
//! or when the pointer or the focus reaches their link.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::i18n::console::ConsoleStrings;
use tabdesk_ui::cell::Kept;
use tabdesk_ui::{arriving, fresh, prefetch, screen, Arrival, Screen};

use crate::reports::Reports;
use crate::settings::Settings;
use crate::ticket::TicketPage;

#[wasm_split(reports, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_reports))]
fn reports_screen() -> Result<Screen, SplitLoaderError> {
    Ok(screen(|| fresh(view! { <Reports/> })))
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_settings))]
fn settings_screen() -> Result<Screen, SplitLoaderError> {
    Ok(screen(|| fresh(view! { <Settings/> })))
}

fn texts(s: &'static ConsoleStrings) -> Arrival {
    Arrival { loading: s.loading, failed: s.section_failed, retry: s.try_again }
}

#[wasm_split(ticket, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_ticket))]
fn ticket_screen(id: String) -> Result<Screen, SplitLoaderError> {
    Ok(screen(move || fresh(view! { <TicketPage id=id.clone()/> })))
}

pub fn ticket(s: &'static ConsoleStrings, id: String) -> impl IntoView {
    let id = Kept::new(id);
    arriving(move || ticket_screen(id.get_value()), texts(s))
}

pub fn reports(s: &'static ConsoleStrings) -> impl IntoView {
    arriving(reports_screen, texts(s))
}

pub fn settings(s: &'static ConsoleStrings) -> impl IntoView {
    arriving(settings_screen, texts(s))
}

pub fn prefetch_ticket() {
    prefetch(preload_ticket);
}

pub fn prefetch_reports() {
    prefetch(preload_reports);
}

pub fn prefetch_settings() {
    prefetch(preload_settings);
}
