//! What the worker asks of a site's store (its Durable Object) and what it answers: one JSON
//! command per request, one JSON reply. Internal to the worker (the API's wire types are core's).

use serde::{Deserialize, Serialize};
use tabdesk_core::channel::ReplyTarget;
use tabdesk_core::config::Sla;
use tabdesk_core::domain::Locale;
use tabdesk_core::domain::TicketStatus;
use tabdesk_core::kb::publish::StoredArticle;
use tabdesk_core::ticket::QueueFilter;
use tabdesk_core::wire::{DeliveryState, Message, TicketSummary, TicketUpdate};

/// The header that names the site a command is for (the object learns its site from it).
pub const SITE_HEADER: &str = "Tabdesk-Site";

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// Stores a new request exactly once per key: if the key is taken (within its window), its
    /// record comes back instead and nothing is written.
    InsertTicket {
        // Boxed: a whole ticket is far larger than any other command.
        ticket: Box<TicketSummary>,
        new: NewTicket,
    },
    FindKey {
        key: String,
        now_ms: u64,
    },
    FindTicket {
        id: String,
    },
    /// The ids and numbers of the tickets a verified customer (the site's own id for them)
    /// wrote, newest first, at most `limit`.
    TicketsOfCustomer {
        customer_id: String,
        limit: usize,
    },
    /// A ticket with its whole thread (internal notes included).
    FindThread {
        id: String,
    },
    /// Adds a message to a ticket's thread exactly once per key (when there is one), moves the
    /// ticket to `status`, and records a `message.created` event for public messages.
    AddMessage {
        ticket_id: String,
        message: Message,
        key: Option<MessageKey>,
        status: TicketStatus,
        events: MessageEvents,
    },
    /// Files a message that came in through a channel (see [`Arrival`]).
    FileArrival {
        arrival: Box<Arrival>,
    },
    /// An agent's reply on its way to a channel, with its text.
    FindReply {
        message_id: String,
    },
    /// Records how sending a reply ended (and its outbox event delivered, unless still pending).
    MarkReply {
        message_id: String,
        state: DeliveryState,
        detail: Option<String>,
        sent_id: Option<String>,
        event_id: Option<String>,
    },
    /// A page of the queue; `now` (ms) judges what is past due.
    ListTickets {
        filter: QueueFilter,
        now: i64,
    },
    /// How many tickets each of the console's views holds (`me`: the asking agent's name).
    CountViews {
        me: Option<String>,
        now: i64,
    },
    /// Applies an agent's change to the ticket as it is now (core's `apply_update`, inside the
    /// object's single thread: two agents changing different fields at once both win), with its
    /// `ticket.updated` event naming who did it; answers the ticket as changed (none if gone).
    UpdateTicket {
        id: String,
        change: TicketUpdate,
        updated_at: String,
        event_id: String,
        webhook: bool,
        by: Option<String>,
        /// The site's service levels: a new priority moves the due times.
        sla: Sla,
    },
    RecordEvent {
        event: Event,
    },
    MarkQueued {
        event_id: String,
    },
    IsDelivered {
        event_id: String,
    },
    MarkDelivered {
        event_id: String,
        at: String,
    },
    KbVersion,
    KbReplacedBy {
        version: String,
    },
    ReplaceKb {
        articles: Vec<StoredArticle>,
        base: String,
        version: String,
        now: String,
    },
    FindArticle {
        id: String,
        preferred: [Locale; 2],
    },
    ArticleExists {
        id: String,
    },
    /// The statistics of the tickets created and events recorded in `[from, to)` (ms), judged
    /// against `sla` at `now`.
    Stats {
        from: i64,
        to: i64,
        sla: Sla,
        now: i64,
    },
    /// Runs the store's upkeep now (as its alarm does).
    Maintain,
}

/// How a new ticket is written, besides the ticket itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewTicket {
    pub key: String,
    /// [`tabdesk_core::ticket::fingerprint`] of the request.
    pub fingerprint: String,
    pub access_token_hash: String,
    /// A honeypot catch: kept, but out of the queue.
    pub spam: bool,
    /// Whether the site has a webhook, so the event waits to be queued.
    pub webhook: bool,
    pub event_id: String,
    /// The site's automatic first messages (core's `arrival::first_messages`).
    pub messages: Vec<Message>,
    /// The `lead.created` event of a sales lead.
    pub lead_event_id: Option<String>,
    /// When the first response and the resolution are due (ms; core's `sla::due_times`).
    pub due: (i64, i64),
    pub now_ms: u64,
    /// The platform conversation the ticket is answered in too, and how (a channel's message, or
    /// a Mini App's visitor: core's `channel::app_thread`).
    #[serde(default)]
    pub thread: Option<(String, ReplyTarget)>,
}

/// What a request's `Idempotency-Key` is stored with: enough to replay the first answer (the
/// access token is derived again from the ticket id; it is never stored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyRecord {
    pub fingerprint: String,
    pub ticket_id: String,
    pub number: i64,
    pub created_at: String,
}

/// How a ticket write ended.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Inserted {
    /// Stored, with this per-site number.
    Created(i64),
    /// The key was taken: its first answer.
    KeyTaken(KeyRecord),
}

/// The outbox events a new message may make: `message.created` (public messages, written for
/// statistics and sent when `webhook`) and, for an agent's public reply on a ticket from a
/// channel, the job that sends it back there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageEvents {
    pub event_id: String,
    pub reply_event_id: String,
    pub webhook: bool,
}

/// A message from a channel, ready to be filed either way: on its conversation's ticket if one
/// is not closed, else as a new ticket. Its `keys` are refused if any was seen before.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Arrival {
    pub keys: Vec<String>,
    pub thread: String,
    pub reply_to: ReplyTarget,
    /// The ticket it becomes when its conversation has none open.
    pub ticket: Box<TicketSummary>,
    pub new: NewTicket,
    /// The message it becomes on the conversation's open ticket.
    pub message: Message,
    /// The `ticket.created` or `message.created` event.
    pub event_id: String,
}

/// How filing an arrival ended.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrived {
    /// A key was seen before: nothing was written.
    Repeat,
    Created {
        ticket_id: String,
        created_at: String,
    },
    Added {
        ticket_id: String,
        message_id: String,
        created_at: String,
    },
}

/// An agent's reply to send back to a channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    pub reply_to: ReplyTarget,
    pub body: String,
    pub state: DeliveryState,
    /// Tries so far.
    pub attempts: i64,
}

/// The idempotency key of a new message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageKey {
    pub key: String,
    pub fingerprint: String,
    pub now_ms: u64,
}

/// How adding a message ended.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Added {
    Created(Message),
    /// The key was used before: the message it made, and the fingerprint it came with.
    KeyTaken {
        message: Message,
        fingerprint: String,
    },
}

/// A page of the queue and whether more follow.
#[derive(Debug, Serialize, Deserialize)]
pub struct Page {
    pub tickets: Vec<TicketSummary>,
    pub more: bool,
}

/// A widget event (statistics).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub article_id: Option<String>,
    /// JSON details (a search's query and result count).
    pub data: Option<String>,
    pub at: String,
}

/// The counts a store pushes to the directory, for the operator's view across sites.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub tickets: i64,
    pub open_tickets: i64,
    pub spam: i64,
    pub articles: i64,
}
