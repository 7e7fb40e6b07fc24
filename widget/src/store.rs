//! Where the widget keeps drafts and queued requests: its own localStorage when the browser
//! allows it, else (third-party storage blocked, as Safari and Chrome with third-party cookies
//! blocked do) the host page's storage, through the loader, sealed (`relay`).

use tabdesk_core::domain::SmallMap;
use tabdesk_core::json::{FromJson, ToJson};
use tabdesk_ui::cell::Kept;

use crate::host::Host;
use crate::json;
use crate::relay::Relay;

/// The widget's storage: a `Copy` handle made once by the app.
#[derive(Clone, Copy)]
pub struct Store {
    /// What every item of this site's widget is named with: `tabdesk:{site}:`.
    prefix: Kept<String>,
    /// The items kept on the host page, when the iframe has no storage of its own.
    relay: Relay,
}

fn own() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Store {
    /// The storage of `site`'s widget; its items are named `tabdesk:{site}:…`.
    pub fn new(host: Host, site: &str) -> Store {
        let prefix = format!("tabdesk:{site}:");
        Store { relay: Relay::new(host, &prefix), prefix: Kept::new(prefix) }
    }

    fn text(self, key: &str) -> Option<String> {
        match own() {
            Some(s) => s.get_item(key).ok().flatten(),
            None => self.relay.get(key),
        }
    }

    /// Reads a stored JSON value; anything unreadable counts as absent.
    pub fn load<T: FromJson>(self, key: &str) -> Option<T> {
        json::decode(&self.text(key)?)
    }

    /// Whether an item is stored under `key`, without reading it.
    pub fn holds(self, key: &str) -> bool {
        self.text(key).is_some()
    }

    pub fn save<T: ToJson>(self, key: &str, value: &T) {
        if let Some(text) = json::encode(value) {
            self.put(key, text);
        }
    }

    /// `save`'s one instance: what stays per type is its encoding.
    #[inline(never)]
    fn put(self, key: &str, text: String) {
        match own() {
            Some(s) => _ = s.set_item(key, &text),
            None => self.relay.set(key, Some(text)),
        }
    }

    pub fn remove(self, key: &str) {
        match own() {
            Some(s) => _ = s.remove_item(key),
            None => self.relay.set(key, None),
        }
    }

    /// Forgets every item of this site's widget, whichever storage holds them (the customer
    /// asked to leave nothing on this device).
    pub fn clear(self) {
        let Some(own) = own() else {
            return self.relay.clear();
        };
        let prefix = self.prefix.get_value();
        let count = own.length().unwrap_or(0);
        let names: Vec<String> =
            (0..count).filter_map(|i| own.key(i).ok().flatten()).filter(|k| k.starts_with(&prefix)).collect();
        for name in names {
            let _ = own.remove_item(&name);
        }
    }

    /// Takes the items the host kept for us (once they are opened); returns whether the relay
    /// is in use and this call took them.
    pub async fn restore(self, items: SmallMap<String, String>) -> bool {
        own().is_none() && self.relay.restore(items).await
    }
}
