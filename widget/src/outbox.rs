//! Requests that could not be sent yet, kept in the widget's storage (`store`).
//!
//! A request that fails for want of a network (or with another answer core calls transient: 408,
//! 429, 5xx) is stored with its Idempotency-Key and retried with backoff, when the browser comes
//! back online, when the panel is reopened and after a reload, always with the same key: the
//! server stores it once, however often it is sent. Any other answer is final: the request goes
//! back to the form, never waits for an answer that cannot change.

use gloo_timers::future::TimeoutFuture;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use tabdesk_core::wire::NewTicket;

use crate::api::{self, Refusal, SendError};
use crate::store::Store;

/// Waits between retries, in ms; the last one repeats.
const BACKOFF_MS: [u32; 6] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
const TICK_MS: u32 = 250;

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub key: String,
    pub ticket: NewTicket,
}

/// The number of a delivered request, and where the answer goes.
#[derive(Clone, PartialEq)]
pub struct Delivered {
    pub number: String,
    pub email: String,
}

/// The queued request of one site and what became of it.
#[derive(Clone, Copy)]
pub struct Outbox {
    store: Store,
    storage_key: StoredValue<String>,
    site: StoredValue<String>,
    pub pending: RwSignal<Option<Pending>>,
    pub delivered: RwSignal<Option<Delivered>>,
    /// Set when the server refused a queued request for good: it goes back to the form, with
    /// its key (sent again unchanged, it is the same request) and what the server said.
    pub refused: RwSignal<Option<(Pending, Refusal)>>,
    wake: StoredValue<bool>,
    running: StoredValue<bool>,
}

impl Outbox {
    /// Restores a request queued before a reload and starts sending it. While the current owner
    /// (the app) lives, the browser coming back online is a moment to retry.
    pub fn new(site: StoredValue<String>, store: Store) -> Outbox {
        let storage_key = format!("tabdesk:{}:outbox", site.get_value());
        let pending = store.load::<Pending>(&storage_key);
        let outbox = Outbox {
            store,
            storage_key: StoredValue::new(storage_key),
            site,
            pending: RwSignal::new(pending.clone()),
            delivered: RwSignal::new(None),
            refused: RwSignal::new(None),
            wake: StoredValue::new(false),
            running: StoredValue::new(false),
        };
        let online = window_event_listener(ev::online, move |_| outbox.retry_now());
        on_cleanup(move || online.remove());
        if pending.is_some() {
            outbox.run();
        }
        outbox
    }

    /// Sends a request once; if that fails transiently, queues it and keeps trying. A final
    /// answer is the caller's to show.
    pub async fn send(self, key: String, ticket: NewTicket) -> Result<(), Refusal> {
        match api::create_ticket(&self.site.get_value(), &ticket, &key).await {
            Ok(created) => {
                self.delivered.set(Some(Delivered { number: created.number, email: ticket.email }));
                Ok(())
            }
            Err(SendError::Refused(why)) => Err(why),
            Err(SendError::Transient) => {
                let pending = Pending { key, ticket };
                self.store.save(&self.storage_key.get_value(), &pending);
                self.pending.set(Some(pending));
                self.run();
                Ok(())
            }
        }
    }

    /// Picks up a request queued before a reload, once the host has handed over its storage.
    pub fn reload(self) {
        if self.pending.with_untracked(Option::is_none) {
            if let Some(pending) = self.store.load::<Pending>(&self.storage_key.get_value()) {
                self.pending.set(Some(pending));
                self.run();
            }
        }
    }

    /// Asks the retry loop to try at once (online again, panel reopened, button pressed).
    pub fn retry_now(self) {
        self.wake.set_value(true);
    }

    fn run(self) {
        if self.running.get_value() {
            return;
        }
        self.running.set_value(true);
        spawn_local(async move {
            let mut attempt = 0;
            while let Some(Pending { key, ticket }) = self.pending.get_untracked() {
                let mut waited = 0;
                while waited < BACKOFF_MS[attempt.min(BACKOFF_MS.len() - 1)] && !self.wake.get_value() {
                    TimeoutFuture::new(TICK_MS).await;
                    waited += TICK_MS;
                }
                self.wake.set_value(false);
                attempt += 1;
                let outcome = api::create_ticket(&self.site.get_value(), &ticket, &key).await;
                match outcome {
                    Ok(created) => {
                        self.clear();
                        self.delivered.set(Some(Delivered { number: created.number, email: ticket.email }));
                    }
                    Err(SendError::Refused(why)) => {
                        self.clear();
                        self.refused.set(Some((Pending { key, ticket }, why)));
                    }
                    Err(SendError::Transient) => {}
                }
            }
            self.running.set_value(false);
        });
    }

    fn clear(self) {
        self.store.remove(&self.storage_key.get_value());
        self.pending.set(None);
    }
}
