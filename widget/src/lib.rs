//! The Support tab: a Leptos (CSR) app that runs in the iframe served at `/embed`, on the
//! worker's origin, so host pages need no CSP changes and its API calls are same-origin.

mod api;
mod app;
mod article;
mod contact;
mod debounce;
mod fields;
mod host;
mod json;
mod mine;
mod on_demand;
mod outbox;
mod relay;
mod requests;
mod seal;
mod search;
mod store;
mod visit;

use tabdesk_core::wire::EmbedBoot;
use wasm_bindgen::prelude::wasm_bindgen;

/// Reads the boot data the `/embed` page carries inline.
fn boot() -> Option<EmbedBoot> {
    let text = web_sys::window()?.document()?.get_element_by_id("tabdesk-boot")?.text_content()?;
    json::decode(&text)
}

/// The site's accent colour (validated as `#rrggbb` when saved), as the CSS variable the
/// stylesheet uses; set through CSSOM, which the page's CSP allows.
fn apply_theme(accent: &str) {
    use wasm_bindgen::JsCast;
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        let _ = root.style().set_property("--brand", accent);
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(boot) = boot() else {
        web_sys::console::error_1(&"tabdesk: the page carries no boot data".into());
        return;
    };
    apply_theme(&boot.config.theme.accent);
    leptos::mount::mount_to_body(move || leptos::view! { <app::App boot=boot/> });
}
