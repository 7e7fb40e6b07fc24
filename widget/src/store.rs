//! Where the widget keeps drafts and queued requests: its own localStorage when the browser
//! allows it, else (third-party storage blocked, as Safari and Chrome with third-party cookies
//! blocked do) the host page's storage, through the loader.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tabdesk_core::wire::FrameMessage;

use crate::host::Host;

/// The widget's storage: a `Copy` handle made once by the app.
#[derive(Clone, Copy)]
pub struct Store {
    host: Host,
    /// The relayed items, when the iframe has no storage of its own.
    relay: StoredValue<BTreeMap<String, String>>,
}

fn own() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Store {
    pub fn new(host: Host) -> Store {
        Store { host, relay: StoredValue::new(BTreeMap::new()) }
    }

    /// Reads a stored JSON value; anything unreadable counts as absent.
    pub fn load<T: DeserializeOwned>(self, key: &str) -> Option<T> {
        let text = match own() {
            Some(s) => s.get_item(key).ok().flatten(),
            None => self.relay.with_value(|r| r.get(key).cloned()),
        }?;
        serde_json::from_str(&text).ok()
    }

    pub fn save<T: Serialize>(self, key: &str, value: &T) {
        let Ok(text) = serde_json::to_string(value) else {
            return;
        };
        match own() {
            Some(s) => _ = s.set_item(key, &text),
            None => {
                self.relay.update_value(|r| _ = r.insert(key.to_owned(), text.clone()));
                self.host.post(&FrameMessage::Store { key: key.to_owned(), value: Some(text) });
            }
        }
    }

    pub fn remove(self, key: &str) {
        match own() {
            Some(s) => _ = s.remove_item(key),
            None => {
                self.relay.update_value(|r| _ = r.remove(key));
                self.host.post(&FrameMessage::Store { key: key.to_owned(), value: None });
            }
        }
    }

    /// Takes the items the host kept for us; returns whether the relay is in use.
    pub fn restore(self, items: &BTreeMap<String, String>) -> bool {
        if own().is_some() {
            return false;
        }
        self.relay.update_value(|r| r.extend(items.iter().map(|(k, v)| (k.clone(), v.clone()))));
        true
    }
}
