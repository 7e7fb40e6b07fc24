//! The screens an agent opens now and then — reports, and the settings admins edit — each in a
//! wasm module of its own (wasm-split, in `cargo xtask build`), fetched on first use, or when the
//! pointer or the focus reaches their link. The queue and the ticket page carry none of it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::i18n::console::ConsoleStrings;
use tabdesk_ui::{arriving, Arrival};

use crate::reports::Reports;
use crate::settings::Settings;

#[wasm_split(reports, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_reports))]
fn reports_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <Reports/> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_settings))]
fn settings_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <Settings/> }.into_any())
}

fn texts(s: &'static ConsoleStrings) -> Arrival {
    Arrival { loading: s.loading, failed: s.section_failed, retry: s.try_again }
}

pub fn reports(s: &'static ConsoleStrings) -> impl IntoView {
    arriving(reports_screen, texts(s))
}

pub fn settings(s: &'static ConsoleStrings) -> impl IntoView {
    arriving(settings_screen, texts(s))
}

/// Fetches the reports' module ahead of a click. A failure is left for the click to show.
pub fn prefetch_reports() {
    spawn_local(async {
        let _ = preload_reports().await;
    });
}

/// Fetches the settings' module ahead of a click.
pub fn prefetch_settings() {
    spawn_local(async {
        let _ = preload_settings().await;
    });
}
