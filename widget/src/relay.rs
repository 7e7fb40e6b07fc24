//! The host page's storage as the widget's own, for browsers that deny storage to third-party
//! iframes. The host page is another site, whose scripts (and their third parties) can read its
//! storage, so every value is sealed (`seal`) before it leaves the iframe, with a key the worker
//! derives for this relay's id and gives only to pages of its own origin: the key never reaches
//! the host page. Sealed values expire after a week, so a request abandoned on a shared computer
//! does not wait there for ever.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::domain::limits::RELAY_TTL_MS;
use tabdesk_core::domain::SmallMap;
use tabdesk_core::token::is_relay_id;
use tabdesk_core::wire::WidgetMessage;
use tabdesk_ui::cell::Kept;
use tabdesk_ui::sleep;
use web_sys::CryptoKey;

use crate::api::{self, SendError};
use crate::host::Host;
use crate::seal::{self, base64url, random_bytes};

/// The relay id's random bytes: 16 give 22 base64url characters.
const ID_BYTES: usize = 16;
/// The longest wait between two asks for the key, in ms.
const MAX_WAIT_MS: u32 = 30_000;

/// Milliseconds since the epoch, whole (integers spare the widget the float formatter).
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The relay: a `Copy` handle made once by the store.
#[derive(Clone, Copy)]
pub struct Relay {
    host: Host,
    /// The item under which the host keeps the relay's id (in plaintext: it is not the key).
    id_item: Kept<String>,
    /// The relayed items in plaintext, as the widget reads them; they leave the iframe sealed.
    items: Kept<SmallMap<String, String>>,
    /// Writes not yet passed to the host, the newest value per item (`None` removes it).
    unsent: Kept<SmallMap<String, Option<String>>>,
    /// The key, once the worker gave it: until then writes wait in `unsent`.
    key: StoredValue<Option<CryptoKey>, LocalStorage>,
    /// Whether the host's items were taken (they are taken once).
    started: Kept<bool>,
    /// Whether a task is passing `unsent` to the host.
    flushing: Kept<bool>,
}

impl Relay {
    /// The relay of the items the host keeps under `prefix` (which the loader checks).
    pub fn new(host: Host, prefix: &str) -> Relay {
        Relay {
            host,
            id_item: Kept::new(format!("{prefix}relay")),
            items: Kept::new(SmallMap::new()),
            unsent: Kept::new(SmallMap::new()),
            key: StoredValue::new_local(None),
            started: Kept::new(false),
            flushing: Kept::new(false),
        }
    }

    pub fn get(self, name: &str) -> Option<String> {
        self.items.with_value(|items| items.get(name).cloned())
    }

    /// Keeps (or, with `None`, forgets) an item: at once here, on the host once it is sealed.
    pub fn set(self, name: &str, value: Option<String>) {
        self.items.update_value(|items| match &value {
            Some(v) => _ = items.insert(name.to_owned(), v.clone()),
            None => _ = items.remove(name),
        });
        self.unsent.update_value(|unsent| _ = unsent.insert(name.to_owned(), value));
        self.flush();
    }

    /// Forgets every item, here and on the host, and the relay's id with them: nothing of the
    /// widget stays on the host page.
    pub fn clear(self) {
        let names: Vec<String> = self.items.with_value(|items| items.keys().cloned().collect());
        for name in names {
            self.set(&name, None);
        }
        self.host.post(&WidgetMessage::Store { key: self.id_item.get_value(), value: None });
    }

    /// Takes the items the host kept for us, once: gets the key for their relay id (a new id
    /// when there is none), opens them, and tells the host to forget those that do not open or
    /// have expired. Returns whether this call took them. Waits for the key as long as it
    /// takes: without it, nothing can be told from noise, so nothing is dropped.
    pub async fn restore(self, sealed: SmallMap<String, String>) -> bool {
        if self.started.get_value() {
            return false;
        }
        self.started.set_value(true);
        until_loaded(|| take_items(self, sealed.clone())).await.await
    }

    async fn take(self, mut sealed: SmallMap<String, String>) -> bool {
        let id_item = self.id_item.get_value();
        let id = sealed.remove(&id_item).filter(|id| is_relay_id(id));
        let key = self.key_for(id).await;
        let now = now_ms();
        for (name, value) in sealed {
            let opened = seal::open(&key, &name, &value, now).await;
            // What was written since the page loaded is newer than what the host kept.
            let written = self.unsent.with_value(|u| u.contains_key(&name));
            match opened {
                Some(v) if !written => self.items.update_value(|items| _ = items.entry(name).or_insert(v)),
                None if !written => self.unsent.update_value(|u| _ = u.insert(name, None)),
                _ => {}
            }
        }
        self.key.set_value(Some(key));
        self.flush();
        true
    }

    /// The key for relay `id`, asked of the worker until it answers (1 s, 2 s, … up to 30 s
    /// apart). Without an id, or with one the worker refuses, a new id is made and kept on the
    /// host: the items sealed under another key will not open and are dropped.
    async fn key_for(self, mut id: Option<String>) -> CryptoKey {
        let mut wait = 1_000;
        loop {
            let current = match id.clone() {
                Some(id) => id,
                None => {
                    let fresh = random_bytes(ID_BYTES).and_then(|b| base64url(&b)).unwrap_or_default();
                    self.host.post(&WidgetMessage::Store { key: self.id_item.get_value(), value: Some(fresh.clone()) });
                    id = Some(fresh.clone());
                    fresh
                }
            };
            match api::relay_key(&current).await {
                Ok(raw) => {
                    if let Some(key) = seal::import_key(&raw).await {
                        return key;
                    }
                }
                Err(SendError::Refused(_)) => id = None,
                Err(SendError::Transient) => {}
            }
            pause(&mut wait).await;
        }
    }

    /// Passes the unsent writes to the host, sealed, one at a time and in order, so that a
    /// newer write (or a removal) always lands after an older one of the same item.
    fn flush(self) {
        let Some(key) = self.key.with_value(Clone::clone) else {
            return;
        };
        if self.flushing.get_value() {
            return;
        }
        self.flushing.set_value(true);
        spawn_local(async move { until_loaded(|| pass_unsent(self, key.clone())).await.await });
    }

    async fn pass(self, key: CryptoKey) {
        while let Some((name, value)) = self.unsent.try_update_value(SmallMap::pop_first).flatten() {
            // A value that cannot be sealed is not kept there at all (never in plaintext).
            let value = match value {
                Some(v) => seal::seal(&key, &name, &v, now_ms() + RELAY_TTL_MS).await,
                None => None,
            };
            self.host.post(&WidgetMessage::Store { key: name, value });
        }
        self.flushing.set_value(false);
    }
}

/// Waits `wait` ms, and doubles it for the next time, up to [`MAX_WAIT_MS`].
async fn pause(wait: &mut u32) {
    sleep(*wait).await;
    *wait = (*wait * 2).min(MAX_WAIT_MS);
}

/// What a split function gives once its module is here: `load` is called again, after growing
/// pauses, until the module's fetch succeeds.
async fn until_loaded<T, F: Future<Output = Result<T, SplitLoaderError>>>(load: impl Fn() -> F) -> T {
    let mut wait = 1_000;
    loop {
        if let Ok(given) = load().await {
            return given;
        }
        pause(&mut wait).await;
    }
}

// Only browsers that deny the iframe its own storage relay anything: the opening and the sealing
// are in the module fetched on demand (`rest`), fetched the first time they do (retried, as the
// key is, until it arrives). What the host keeps for the widget (a draft, a queued job, the
// requests' list) only that module's code uses; a module of its own weighed 1.9 KB gzip more
// over all screens.

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn take_items(
    relay: Relay,
    sealed: SmallMap<String, String>,
) -> Result<Pin<Box<dyn Future<Output = bool>>>, SplitLoaderError> {
    Ok(Box::pin(relay.take(sealed)))
}

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn pass_unsent(relay: Relay, key: CryptoKey) -> Result<Pin<Box<dyn Future<Output = ()>>>, SplitLoaderError> {
    Ok(Box::pin(relay.pass(key)))
}
