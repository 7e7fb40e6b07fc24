//! The Support tab: a Leptos (CSR) app that runs in the iframe served at `/embed`, on the
//! worker's origin, so host pages need no CSP changes and its API calls are same-origin.

mod api;
mod app;
mod article;
mod contact;
mod debounce;
mod fields;
mod home;
mod host;
mod inbox;
mod json;
mod launch;
mod mine;
mod on_demand;
mod outbox;
mod relay;
mod requests;
mod rows;
mod seal;
mod search;
mod store;
mod visit;

use tabdesk_core::config::{ColorMode, WidgetConfig};
use tabdesk_core::wire::EmbedBoot;
use wasm_bindgen::prelude::wasm_bindgen;

/// Reads the boot data the `/embed` page carries inline.
fn boot() -> Option<EmbedBoot> {
    let text = web_sys::window()?.document()?.get_element_by_id("tabdesk-boot")?.text_content()?;
    json::decode(&text)
}

/// The site's theme, before anything is drawn (so nothing flashes in the wrong colours): the
/// accent (validated as `#rrggbb` when saved) and the text on it as the CSS variables the
/// stylesheet uses, set through CSSOM, which the page's CSP allows; the light or dark mode as
/// `data-theme`.
fn apply_theme(config: &WidgetConfig) {
    use wasm_bindgen::JsCast;
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(root) = root else { return };
    // An accent that white text reads on also reads on white, as links.
    let (accent, on_brand) = (config.accent.as_str(), config.accent_text.as_str());
    let ink = if on_brand == "#ffffff" { accent } else { "var(--text)" };
    let style = root.style();
    let _ = style.set_property("--brand", accent);
    let _ = style.set_property("--on-brand", on_brand);
    let _ = style.set_property("--brand-ink", ink);
    let mode = match config.mode {
        ColorMode::Auto => "auto",
        ColorMode::Light => "light",
        ColorMode::Dark => "dark",
    };
    let _ = root.set_attribute("data-theme", mode);
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(boot) = boot() else {
        web_sys::console::error_1(&"tabdesk: the page carries no boot data".into());
        return;
    };
    apply_theme(&boot.config);
    leptos::mount::mount_to_body(move || app::app(boot));
}
