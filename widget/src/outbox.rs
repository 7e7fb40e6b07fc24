//! Requests and replies that could not be sent yet, kept in the widget's storage (`store`).
//!
//! A request that fails for want of a network (or with another answer core calls transient: 408,
//! 429, 5xx) is stored with its Idempotency-Key and retried with backoff, when the browser comes
//! back online, when the panel is reopened and after a reload, always with the same key: the
//! server stores it once, however often it is sent. Any other answer is final: the request goes
//! back to the form, never waits for an answer that cannot change.
//!
//! The retry loop (`drain`) is not on the first screen: it is in the module of the screens
//! where jobs are written (`rest`, wasm-split; see `on_demand`). Most visits never queue
//! anything; a visit that finds a job queued before it fetches that module then. Offline, that
//! fetch fails too; it is tried again at each moment to retry, until the loop is there. A job
//! queued before this page is read from storage by that module too: decoding a request (its
//! custom fields are any JSON) would cost the first screen 7 KB gzip; until then it only counts
//! as queued.

use std::future::Future;
use std::pin::Pin;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::json::{member, FromJson, Json, ToJson};
use tabdesk_core::wire::NewTicket;
use tabdesk_ui::cell::{Cell, Kept};
use tabdesk_ui::sleep;

use crate::api::{self, Refusal, SendError};
use crate::store::Store;

/// Waits between retries, in ms; the last one repeats.
const BACKOFF_MS: [u32; 6] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
const TICK_MS: u32 = 250;

/// What an outbox sends: a new request, or a reply to one (`requests::Reply`). Both must reach
/// the server exactly once, so both go through the same queue and retry rules.
pub trait Job: Clone + ToJson + FromJson + Send + Sync + 'static {
    /// The storage item it waits under: `tabdesk:{site}:{ITEM}`.
    const ITEM: &'static str;
    /// What a delivery tells the screens.
    type Done: Clone + Send + Sync + 'static;
    /// One attempt, always with the key made before the first.
    async fn send(&self, site: &str, key: &str) -> Result<Self::Done, SendError>;
    /// The retry loop of `outbox`, once its module is here (a split function per job type:
    /// they can take no type parameters).
    async fn drain(outbox: Outbox<Self>) -> Result<Task, SplitLoaderError>;
}

#[derive(Clone)]
pub struct Pending<J> {
    pub key: String,
    /// Named `ticket` in storage: requests queued by earlier versions still read.
    pub job: J,
}

// Written out: `json_object!` takes no type parameters.
impl<J: FromJson> FromJson for Pending<J> {
    fn from_json(json: &Json) -> Option<Self> {
        Some(Pending { key: member(json, "key", None)?, job: member(json, "ticket", None)? })
    }
}

impl<J: ToJson> ToJson for Pending<J> {
    fn to_json(&self) -> Json {
        Json::Object(vec![("key".to_owned(), self.key.to_json()), ("ticket".to_owned(), self.job.to_json())])
    }
}

/// Work whose code is in a module fetched on demand (this retry loop, the reading of summaries):
/// what a split function hands back, to be awaited where it was asked for. (Here, the lowest
/// module that has some.)
pub type Task = Pin<Box<dyn Future<Output = ()>>>;

/// The number of a delivered request, where the answer goes, and what opens it later (kept in
/// "My requests").
#[derive(Clone, PartialEq)]
pub struct Delivered {
    pub number: String,
    pub email: String,
    pub id: String,
    pub access_token: String,
}

impl Job for NewTicket {
    const ITEM: &'static str = "outbox";
    type Done = Delivered;

    async fn send(&self, site: &str, key: &str) -> Result<Delivered, SendError> {
        let created = api::create_ticket(site, self, key).await?;
        let email = self.email.clone();
        Ok(Delivered { number: created.number, email, id: created.id, access_token: created.access_token })
    }

    async fn drain(outbox: Outbox<Self>) -> Result<Task, SplitLoaderError> {
        drain_requests(outbox).await
    }
}

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn drain_requests(outbox: Outbox<NewTicket>) -> Result<Task, SplitLoaderError> {
    Ok(Box::pin(outbox.drain()))
}

/// The queued job of one site and what became of it.
pub struct Outbox<J: Job> {
    store: Store,
    storage_key: Kept<String>,
    site: Kept<String>,
    pub pending: Cell<Option<Pending<J>>>,
    /// A job queued before this page (a reload, or storage the host handed over) and not read
    /// yet: the retry loop reads it into `pending`.
    stored: Cell<bool>,
    pub delivered: Cell<Option<J::Done>>,
    /// Set when the server refused a queued job for good: it goes back to its form, with its
    /// key (sent again unchanged, it is the same job) and what the server said.
    pub refused: Cell<Option<(Pending<J>, Refusal)>>,
    wake: Kept<bool>,
    running: Kept<bool>,
}

// Derived, these would ask `J: Copy`; the handle is `Copy` whatever it carries.
impl<J: Job> Clone for Outbox<J> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<J: Job> Copy for Outbox<J> {}

impl<J: Job> Outbox<J> {
    /// Counts a job queued before a reload as queued and starts the loop that reads and sends
    /// it. While the current owner (the app) lives, the browser coming back online is a moment
    /// to retry.
    pub fn new(site: Kept<String>, store: Store) -> Outbox<J> {
        let storage_key = format!("tabdesk:{}:{}", site.get_value(), J::ITEM);
        let queued = store.holds(&storage_key);
        let outbox = Outbox {
            store,
            storage_key: Kept::new(storage_key),
            site,
            pending: Cell::new(None),
            stored: Cell::new(queued),
            delivered: Cell::new(None),
            refused: Cell::new(None),
            wake: Kept::new(false),
            running: Kept::new(false),
        };
        let online = window_event_listener(ev::online, move |_| outbox.retry_now());
        on_cleanup(move || online.remove());
        if queued {
            outbox.run();
        }
        outbox
    }

    /// Sends a job once; if that fails transiently, queues it and keeps trying. A final answer
    /// is the caller's to show.
    pub async fn send(self, key: String, job: J) -> Result<(), Refusal> {
        match job.send(&self.site.get_value(), &key).await {
            Ok(done) => {
                self.delivered.set(Some(done));
                Ok(())
            }
            Err(SendError::Refused(why)) => Err(why),
            Err(SendError::Transient) => {
                let pending = Pending { key, job };
                self.store.save(&self.storage_key.get_value(), &pending);
                self.pending.set(Some(pending));
                self.run();
                Ok(())
            }
        }
    }

    /// Picks up a job queued before a reload, once the host has handed over its storage.
    pub fn reload(self) {
        if !self.queued_untracked() && self.store.holds(&self.storage_key.get_value()) {
            self.stored.set(true);
            self.run();
        }
    }

    /// Whether a job waits to be sent, read or not (tracked).
    pub fn queued(self) -> bool {
        self.stored.get() || self.pending.with(Option::is_some)
    }

    /// The same, read without subscribing (in handlers and the retry loop).
    pub fn queued_untracked(self) -> bool {
        untrack(|| self.queued())
    }

    /// Asks the retry loop to try at once (online again, panel reopened, button pressed).
    pub fn retry_now(self) {
        self.wake.set_value(true);
    }

    /// Starts the retry loop, unless it runs: first its module, fetched again after each
    /// pause until it comes (or nothing waits any more).
    fn run(self) {
        if self.running.get_value() {
            return;
        }
        self.running.set_value(true);
        spawn_local(async move {
            let mut attempt = 0;
            while self.queued_untracked() {
                if let Ok(draining) = J::drain(self).await {
                    // Having waited for the module, the loop tries at once.
                    if attempt > 0 {
                        self.retry_now();
                    }
                    draining.await;
                    break;
                }
                self.pause(attempt).await;
                attempt += 1;
            }
            self.running.set_value(false);
        });
    }

    /// Waits the backoff of try number `attempt` (from 0), or less if asked to retry now.
    async fn pause(self, attempt: usize) {
        let mut waited = 0;
        while waited < BACKOFF_MS[attempt.min(BACKOFF_MS.len() - 1)] && !self.wake.get_value() {
            sleep(TICK_MS).await;
            waited += TICK_MS;
        }
        self.wake.set_value(false);
    }

    /// Sends the waiting job until it is delivered or refused, pausing between tries; a job
    /// stored before this page is read first (an unreadable one is left alone).
    pub async fn drain(self) {
        if self.stored.get_untracked() {
            let pending = self.store.load::<Pending<J>>(&self.storage_key.get_value());
            self.pending.set(pending);
            self.stored.set(false);
        }
        let mut attempt = 0;
        while let Some(Pending { key, job }) = self.pending.get_untracked() {
            self.pause(attempt).await;
            attempt += 1;
            // Forgotten while waiting ("Delete my data"): nothing is sent.
            if self.pending.with_untracked(Option::is_none) {
                break;
            }
            match job.send(&self.site.get_value(), &key).await {
                Ok(done) => {
                    self.clear();
                    self.delivered.set(Some(done));
                }
                Err(SendError::Refused(why)) => {
                    self.clear();
                    self.refused.set(Some((Pending { key, job }, why)));
                }
                Err(SendError::Transient) => {}
            }
        }
    }

    /// Forgets the queued job, here and in storage (delivered, refused, or the customer asked).
    pub fn clear(self) {
        self.store.remove(&self.storage_key.get_value());
        self.pending.set(None);
        self.stored.set(false);
    }
}
