//! What every screen shares during one visit. `App` provides it once (`provide`), so screens and
//! fields take it from there (`visit()`) instead of having it handed down through each
//! component's props. Not a Leptos context: the widget has one visit per page, and Leptos'
//! contexts (a map by type on every owner) were 0.6 KB gzip of the first screen for this one.

use tabdesk_core::config::FormSchema;
use tabdesk_core::domain::{Later, Locale};
use tabdesk_core::wire::{LaunchedVisitor, NewTicket, PageContext};
use tabdesk_ui::cell::{Cell, Kept};

use crate::inbox::Inbox;
use crate::outbox::Outbox;
use crate::requests::{Reply, Requests};
use crate::store::Store;

#[derive(Clone, Copy)]
pub struct Visit {
    pub site: Kept<String>,
    pub locale: Locale,
    /// The site's contact form: its categories and their fields, as the boot carried it (read
    /// by the form, in the module fetched on demand).
    pub form: Kept<Later<FormSchema>>,
    /// The site's Cloudflare Turnstile site key, when it turns the anti-bot check on: requests
    /// then need a token from the check.
    pub turnstile: Kept<Option<String>>,
    /// Where the customer is, as the host page tells it; it goes with a request.
    pub page: Cell<PageContext>,
    /// Whether `page` is known: in a frame, once the host page said (a few ms after the widget
    /// is ready), so what depends on the page is asked for once, not before and again after.
    pub placed: Cell<bool>,
    /// Every article read this visit (they go with a request, so agents see what the customer
    /// already tried).
    pub viewed: Cell<Vec<String>>,
    /// The knowledge-base searches of this visit (the last few go with a request: agents see
    /// what the customer looked for, statistics count tickets filed after a search).
    pub searches: Cell<Vec<String>>,
    pub store: Store,
    pub outbox: Outbox<NewTicket>,
    /// Replies to the customer's requests waiting for the network.
    pub replies: Outbox<Reply>,
    /// The requests filed from this browser.
    pub requests: Requests,
    /// Whether the panel is shown: screens refresh only then.
    pub open: Cell<bool>,
    /// Turns true once the host handed over the widget's stored items (drafts wait for it when
    /// the iframe has no storage of its own).
    pub restored: Cell<bool>,
    /// What the host page prefilled for the contact form (`Tabdesk('prefill', …)`), as the
    /// JSON text of a `NewTicket`: the form decodes it.
    pub prefill: Cell<Option<String>>,
    /// The site's signed token for its signed-in customer (`Tabdesk('identify', …)`): the
    /// worker takes their email and name from it.
    pub identity: Cell<Option<String>>,
    /// The site takes requests only from customers it signed in.
    pub identity_required: bool,
    /// In a social network's app frame, who the platform says the visitor is if the worker
    /// checked it (`EmbedBoot::launched`), and whether the site's bot can vouch for a Telegram
    /// launch (`EmbedBoot::telegram_app`): the form reads the launch parameters (`launch`).
    pub launch: Kept<(Option<LaunchedVisitor>, bool)>,
    /// The visitor's requests as last summarised by the server.
    pub inbox: Inbox,
    /// When to expect an answer ("We usually reply within 4 hours"), if the site says.
    pub reply_note: Kept<Option<String>>,
}

std::thread_local! {
    static VISIT: std::cell::Cell<Option<Visit>> = const { std::cell::Cell::new(None) };
}

/// Makes `visit` the one screens take (`App` calls it before it builds any).
pub fn provide(visit: Visit) {
    VISIT.with(|v| v.set(Some(visit)));
}

/// The visit `App` provided.
///
/// # Panics
/// Before `App` provided it: no screen is built before.
pub fn visit() -> Visit {
    VISIT.with(std::cell::Cell::get).expect("App provides the visit before any screen")
}
