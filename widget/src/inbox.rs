//! The customer's requests as the server last summarised them: read at start, every minute after
//! (whether the panel is open or not: the host page hears of new replies through
//! `message:received`), and whenever a screen asks. The home screen lists the open ones with
//! their unread markers, "My requests" all of them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use tabdesk_core::wire::{CustomerSummary, HostEvent, WidgetMessage};
use tabdesk_ui::cell::{effect, Cell, Kept};
use tabdesk_ui::sleep;

use crate::api;
use crate::host::Host;
use crate::outbox::Task;
use crate::requests::Requests;

/// How often the summaries are read again in the background, in ms.
const POLL_MS: u32 = 60_000;

/// A `Copy` handle made once by the app.
#[derive(Clone, Copy)]
pub struct Inbox {
    /// `None` until first read; `Some(None)` when the server could not be asked.
    pub summaries: Cell<Option<Option<Vec<CustomerSummary>>>>,
    /// Agent replies the host page was told of, so that each is told once (a few per visit: a
    /// list, whose code the first module has anyway, not a `BTreeSet`).
    told: Kept<Vec<String>>,
    requests: Requests,
    host: Host,
}

impl Inbox {
    /// Reads now, whenever the list of requests changes, and every [`POLL_MS`] while the app
    /// lives (the loop ends with its signals).
    pub fn new(requests: Requests, host: Host) -> Inbox {
        let inbox = Inbox { summaries: Cell::new(None), told: Kept::new(Vec::new()), requests, host };
        effect(move || {
            requests.list.track();
            spawn_local(inbox.refresh());
        });
        spawn_local(async move {
            loop {
                sleep(POLL_MS).await;
                if inbox.summaries.is_disposed() {
                    break;
                }
                inbox.refresh().await;
            }
        });
        inbox
    }

    /// Reads the summaries again now; tells the host page of each reply it has not heard of.
    /// A visitor with no requests has nothing to read: only one with some fetches the code that
    /// reads them (`read_summaries`, in the module fetched on demand).
    pub async fn refresh(self) {
        if self.requests.list.with_untracked(Vec::is_empty) {
            self.summaries.try_set(Some(Some(Vec::new())));
            return;
        }
        if let Ok(reading) = read_summaries(self).await {
            reading.await;
        }
    }

    async fn read(self) {
        let read = api::summaries(self.requests.refs_untracked()).await.ok().map(|s| s.tickets);
        self.take(read);
    }

    /// Keeps what was `read` (`None`: the server could not be asked).
    fn take(self, read: Option<Vec<CustomerSummary>>) {
        if self.summaries.is_disposed() {
            return;
        }
        if let Some(list) = &read {
            for summary in list.iter().filter(|s| untrack(|| self.requests.is_unread(s))) {
                let Some(reply) = summary.last_reply_id.clone() else { continue };
                let new = self.told.try_update_value(|told| {
                    let new = !told.contains(&reply);
                    if new {
                        told.push(reply);
                    }
                    new
                });
                if new == Some(true) {
                    let event = HostEvent::MessageReceived { id: summary.id.clone(), number: summary.number.clone() };
                    self.host.post(&WidgetMessage::Event { event });
                }
            }
        }
        // A passing outage keeps what was read before.
        if read.is_some() || self.summaries.with_untracked(Option::is_none) {
            self.summaries.set(Some(read));
        }
    }
}

/// The reading of a visitor's summaries, in a module fetched the first time there are any.
#[wasm_split(rest, wasm_split_path = ::leptos::wasm_split, fallible)]
fn read_summaries(inbox: Inbox) -> Result<Task, SplitLoaderError> {
    Ok(Box::pin(inbox.read()))
}
