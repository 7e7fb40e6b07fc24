//! The requests filed from this browser ("My requests"): what opens each (its id and access
//! token, kept only once the server has stored the request: the token comes with its 201) and
//! the newest agent reply shown, so that a newer one reads as unread. Replies to them go through
//! an outbox of their own (`Reply`), with the same retry rules as new requests.

use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::domain::limits::MAX_SUMMARIES;
use tabdesk_core::json_object;
use tabdesk_core::ticket::is_unread;
use tabdesk_core::wire::{CustomerSummary, OwnTicket, TicketRef};
use tabdesk_ui::cell::{Cell, Kept};
use tabdesk_ui::sleep;

use crate::api::{self, SendError};
use crate::outbox::{Delivered, Job, Outbox, Task};
use crate::store::Store;

/// How often an open panel reads the shown list or thread again, in ms.
const REFRESH_MS: u32 = 15_000;
/// Waits between attempts to fetch the module that reads or keeps the list, in ms; the last
/// one repeats.
const FETCH_BACKOFF_MS: [u32; 4] = [1_000, 4_000, 15_000, 30_000];

/// One request filed from here.
#[derive(Clone, PartialEq)]
pub struct Saved {
    pub id: String,
    pub access_token: String,
    pub number: String,
    /// The newest agent reply the widget has shown, if any.
    pub seen: Option<String>,
}

json_object!(Saved { id, access_token, number, seen });

/// The customer's reply to one of their requests, as it waits in the reply outbox.
#[derive(Clone)]
pub struct Reply {
    pub id: String,
    pub access_token: String,
    pub body: String,
}

json_object!(Reply { id, access_token, body });

impl Job for Reply {
    const ITEM: &'static str = "reply";
    /// The request answered: its thread is read again.
    type Done = String;

    async fn send(&self, _site: &str, key: &str) -> Result<String, SendError> {
        api::reply(&self.id, &self.access_token, &self.body, key).await.map(|_| self.id.clone())
    }

    async fn drain(outbox: Outbox<Self>) -> Result<Task, SplitLoaderError> {
        drain_replies(outbox).await
    }
}

// On demand, beside the screens where replies are written.
#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn drain_replies(outbox: Outbox<Reply>) -> Result<Task, SplitLoaderError> {
    Ok(Box::pin(outbox.drain()))
}

/// The saved requests of one site: a `Copy` handle made once by the app.
///
/// The list stored before this page is read, and a delivered request kept, by the module fetched
/// on demand (`rest`, which a visitor with requests fetches at start anyway, for the home
/// screen's open requests): a visitor who never wrote carries no code that reads, changes or
/// writes the list. Until it is read, the list is empty; whatever changes it reads
/// the stored one first, so nothing stored is written over.
#[derive(Clone, Copy)]
pub struct Requests {
    store: Store,
    storage_key: Kept<String>,
    /// Newest first, at most as many as one summaries request may ask about.
    pub list: Cell<Vec<Saved>>,
    /// A list is stored and not read yet.
    stored: Kept<bool>,
}

impl Requests {
    pub fn new(site: Kept<String>, store: Store) -> Requests {
        let storage_key = format!("tabdesk:{}:requests", site.get_value());
        let stored = store.holds(&storage_key);
        let requests = Requests {
            store,
            storage_key: Kept::new(storage_key),
            list: Cell::new(Vec::new()),
            stored: Kept::new(stored),
        };
        if stored {
            spawn_local(requests.read());
        }
        requests
    }

    /// Takes the list the host handed over (when the iframe has no storage of its own); a
    /// request filed before it arrived stays in front.
    pub fn reload(self) {
        if self.store.holds(&self.storage_key.get_value()) {
            self.stored.set_value(true);
            spawn_local(self.read());
        }
    }

    /// Reads the stored list, once its module is here (fetched again after a pause while that
    /// fails, until it comes or the list was read another way).
    async fn read(self) {
        for attempt in 0.. {
            if !self.stored.try_get_value().unwrap_or(false) || read_saved(self).await.is_ok() {
                break;
            }
            sleep(FETCH_BACKOFF_MS[attempt.min(FETCH_BACKOFF_MS.len() - 1)]).await;
        }
    }

    /// Reads the stored list into `list`, if it was not yet: after the requests known, those
    /// not among them. When some were known (filed before the host handed its storage over),
    /// the merged list is stored.
    fn read_stored(self) {
        if !self.stored.get_value() {
            return;
        }
        self.stored.set_value(false);
        let stored = self.store.load::<Vec<Saved>>(&self.storage_key.get_value()).unwrap_or_default();
        let known = self.list.with_untracked(|l| !l.is_empty());
        self.list.update(|list| {
            for saved in stored {
                if !list.iter().any(|s| s.id == saved.id) {
                    list.push(saved);
                }
            }
            list.truncate(MAX_SUMMARIES);
        });
        if known {
            self.persist();
        }
    }

    /// Keeps a request the server stored, through the module fetched on demand (there already
    /// when the form sent it; fetched for one a queue sent after a reload), fetched again while
    /// that fails.
    pub async fn keep(self, delivered: Delivered) {
        for attempt in 0.. {
            if self.list.is_disposed() || keep_delivered(self, delivered.clone()).await.is_ok() {
                break;
            }
            sleep(FETCH_BACKOFF_MS[attempt.min(FETCH_BACKOFF_MS.len() - 1)]).await;
        }
    }

    /// Keeps a request the server stored.
    fn add(self, delivered: &Delivered) {
        self.read_stored();
        if self.list.with_untracked(|l| l.iter().any(|s| s.id == delivered.id)) {
            return;
        }
        let saved = Saved {
            id: delivered.id.clone(),
            access_token: delivered.access_token.clone(),
            number: delivered.number.clone(),
            seen: None,
        };
        self.change(|list| list.insert(0, saved));
    }

    /// Adds the requests the customer that the site's signed `identity` names filed elsewhere,
    /// after those known. Few visits are signed in: the code is in the module fetched
    /// on demand (`rest`), fetched here if it is not yet.
    pub async fn adopt_signed_in(self, site: String, identity: String) {
        if let Ok(adopting) = adopt_theirs(self, site, identity).await {
            adopting.await;
        }
    }

    /// Keeps the requests a signed-in customer wrote elsewhere (`api::mine`), after those known.
    fn adopt(self, theirs: Vec<OwnTicket>) {
        self.read_stored();
        let new: Vec<OwnTicket> =
            theirs.into_iter().filter(|t| self.list.with_untracked(|l| !l.iter().any(|s| s.id == t.id))).collect();
        if !new.is_empty() {
            self.change(|list| {
                list.extend(new.into_iter().map(|t| Saved {
                    id: t.id,
                    access_token: t.access_token,
                    number: t.number,
                    seen: None,
                }))
            });
        }
    }

    /// The access token of request `id`, if it was filed here.
    pub fn token(self, id: &str) -> Option<String> {
        self.list.with_untracked(|l| l.iter().find(|s| s.id == id).map(|s| s.access_token.clone()))
    }

    /// What the summaries request asks about.
    pub fn refs_untracked(self) -> Vec<TicketRef> {
        self.list.with_untracked(|l| {
            l.iter().map(|s| TicketRef { id: s.id.clone(), access_token: s.access_token.clone() }).collect()
        })
    }

    /// Remembers that the agent reply `reply` of request `id` was shown.
    pub fn mark_seen(self, id: &str, reply: &str) {
        let stale = self.list.with_untracked(|l| l.iter().any(|s| s.id == id && s.seen.as_deref() != Some(reply)));
        if stale {
            self.change(|list| {
                for saved in list.iter_mut().filter(|s| s.id == id) {
                    saved.seen = Some(reply.to_owned());
                }
            });
        }
    }

    /// Whether `summary` has an agent reply the widget has not shown yet (tracked; the rule is
    /// core's `ticket::is_unread`).
    pub fn is_unread(self, summary: &CustomerSummary) -> bool {
        self.list.with(|l| l.iter().any(|s| s.id == summary.id && is_unread(summary, s.seen.as_deref())))
    }

    /// Forgets the list here; the storage is the caller's to clear.
    pub fn forget(self) {
        self.stored.set_value(false);
        self.list.set(Vec::new());
    }

    /// Changes the list and stores it: over the stored list only once that was read.
    fn change(self, edit: impl FnOnce(&mut Vec<Saved>)) {
        self.read_stored();
        self.list.update(|list| {
            edit(list);
            list.truncate(MAX_SUMMARIES);
        });
        self.persist();
    }

    fn persist(self) {
        self.list.with_untracked(|list| self.store.save(&self.storage_key.get_value(), list));
    }
}

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn read_saved(requests: Requests) -> Result<(), SplitLoaderError> {
    requests.read_stored();
    Ok(())
}

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn keep_delivered(requests: Requests, delivered: Delivered) -> Result<(), SplitLoaderError> {
    requests.add(&delivered);
    Ok(())
}

#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn adopt_theirs(requests: Requests, site: String, identity: String) -> Result<Task, SplitLoaderError> {
    Ok(Box::pin(async move {
        if let Ok(mine) = api::mine(&site, &identity).await {
            requests.adopt(mine.tickets);
        }
    }))
}

/// A counter that goes up every `REFRESH_MS` while the panel is open, for screens to read
/// again what they show; it stops once the screen that made it is gone (its signal disposed).
pub fn refresher(open: Cell<bool>) -> Cell<u32> {
    let tick = Cell::new(0);
    spawn_local(async move {
        loop {
            sleep(REFRESH_MS).await;
            if tick.is_disposed() {
                break;
            }
            if open.get_untracked() {
                tick.update(|t| *t += 1);
            }
        }
    });
    tick
}
