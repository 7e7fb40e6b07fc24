//! Where the widget keeps drafts and queued requests: its own localStorage when the browser
//! allows it, else (third-party storage blocked, as Safari and Chrome with third-party cookies
//! blocked do) the host page's storage, through the loader.

use std::cell::RefCell;
use std::collections::BTreeMap;

use tabdesk_core::wire::FrameMessage;

use crate::host;

thread_local! {
    /// The relayed items, when the iframe has no storage of its own.
    static RELAY: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

fn own() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    match own() {
        Some(s) => s.get_item(key).ok().flatten(),
        None => RELAY.with(|r| r.borrow().get(key).cloned()),
    }
}

pub fn set(key: &str, value: String) {
    match own() {
        Some(s) => _ = s.set_item(key, &value),
        None => {
            RELAY.with(|r| r.borrow_mut().insert(key.to_owned(), value.clone()));
            host::post(&FrameMessage::Store { key: key.to_owned(), value: Some(value) });
        }
    }
}

pub fn remove(key: &str) {
    match own() {
        Some(s) => _ = s.remove_item(key),
        None => {
            RELAY.with(|r| r.borrow_mut().remove(key));
            host::post(&FrameMessage::Store { key: key.to_owned(), value: None });
        }
    }
}

/// Takes the items the host kept for us; returns whether the relay is in use.
pub fn restore(items: &BTreeMap<String, String>) -> bool {
    if own().is_some() {
        return false;
    }
    RELAY.with(|r| r.borrow_mut().extend(items.iter().map(|(k, v)| (k.clone(), v.clone()))));
    true
}
