//! The widget's side of the postMessage protocol with the loader on the host page.

use std::cell::RefCell;

use leptos::prelude::*;
use tabdesk_core::wire::{FrameMessage, PageContext};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

use crate::outbox::Outbox;
use crate::store;

thread_local! {
    /// The host page's origin as vetted by the worker; without it nothing is posted.
    static PARENT_ORIGIN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sends `message` to the host page, addressed to its exact origin.
pub fn post(message: &FrameMessage) {
    let Some(origin) = PARENT_ORIGIN.with(|o| o.borrow().clone()) else {
        return;
    };
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let Ok(text) = serde_json::to_string(message) else {
        return;
    };
    if let Ok(value) = js_sys::JSON::parse(&text) {
        let _ = parent.post_message(&value, &origin);
    }
}

/// Listens to the host page: only messages from `parent_origin` that parse are taken; the
/// page context they carry lands in `context`, a reopened panel retries the outbox. Esc
/// anywhere in the widget asks to close.
///
/// `restored` turns true once the host handed over the widget's stored items (drafts wait
/// for it when the iframe has no storage of its own).
pub fn connect(
    parent_origin: Option<String>,
    context: RwSignal<PageContext>,
    outbox: Outbox,
    restored: RwSignal<bool>,
) {
    let Some(window) = web_sys::window() else {
        return;
    };
    PARENT_ORIGIN.with(|o| *o.borrow_mut() = parent_origin.clone());
    let Some(expected) = parent_origin else {
        return;
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if event.origin() != expected {
            return;
        }
        let parsed = js_sys::JSON::stringify(&event.data())
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| serde_json::from_str::<FrameMessage>(&s).ok());
        match parsed {
            Some(FrameMessage::Context { context: c }) => context.update(|old| {
                // The page knows the channel best; the site's default stays otherwise.
                let channel = c.channel.clone().or(old.channel.take());
                *old = PageContext { channel, ..c };
            }),
            Some(FrameMessage::Open) => outbox.retry_now(),
            Some(FrameMessage::Restore { items }) if store::restore(&items) => {
                outbox.reload();
                restored.set(true);
            }
            _ => {}
        }
    });
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
    let on_key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(|event: web_sys::KeyboardEvent| {
        if event.key() == "Escape" {
            post(&FrameMessage::Close);
        }
    });
    let _ = window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();
    post(&FrameMessage::Ready);
}
