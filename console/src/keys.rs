//! Keyboard shortcuts leave typing alone: a key pressed in a text field is the field's.

use wasm_bindgen::JsCast;

/// Whether `event` was pressed in a text field (an input, a text area, a select).
pub fn typing(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}
