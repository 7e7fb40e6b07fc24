//! The widget's side of the postMessage protocol with the loader on the host page: typed
//! messages in and out, and nothing else. What a message means is the app's business (`app`),
//! so this transport depends on no other module of the widget but its JSON codec.

use leptos::ev;
use leptos::prelude::*;
use tabdesk_core::wire::{HostMessage, WidgetMessage};
use tabdesk_ui::cell::Kept;
use web_sys::MessageEvent;

use crate::json;

/// The channel to the host page: a `Copy` handle made once by the app.
#[derive(Clone, Copy)]
pub struct Host {
    /// The host page's origin as vetted by the worker; without it nothing is posted or taken.
    origin: Kept<Option<String>>,
}

impl Host {
    pub fn new(origin: Option<String>) -> Host {
        Host { origin: Kept::new(origin) }
    }

    /// Sends `message` to the host page, addressed to its exact origin.
    pub fn post(self, message: &WidgetMessage) {
        let Some(origin) = self.origin.get_value() else {
            return;
        };
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let _ = parent.post_message(&json::to_js(message), &origin);
    }

    /// Hands `receive` each message from the host page: only messages from the vetted origin
    /// that parse are taken. The listener is removed when the current owner is cleaned up.
    pub fn listen(self, receive: impl Fn(HostMessage) + 'static) {
        let Some(expected) = self.origin.get_value() else {
            return;
        };
        let listener = window_event_listener(ev::message, move |event: MessageEvent| {
            // From the host page itself: its origin, and its window (not another frame of it).
            let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
            let from_parent = match (event.source(), parent) {
                (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            if event.origin() != expected || !from_parent {
                return;
            }
            if let Some(message) = json::from_js::<HostMessage>(event.data()) {
                receive(message);
            }
        });
        on_cleanup(move || listener.remove());
    }
}
