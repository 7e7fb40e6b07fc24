//! The worker's side of a site's store: each method sends one command to the site's Durable
//! Object (addressed by the site id) and reads its reply. A store that cannot answer is a 503 to
//! retry, like any platform fault.

use serde::de::DeserializeOwned;
use tabdesk_core::config::Sla;
use tabdesk_core::domain::{Locale, TicketStatus};
use tabdesk_core::kb::publish::StoredArticle;
use tabdesk_core::ticket::QueueFilter;
use tabdesk_core::wire::{DeliveryState, KbArticle, Message, QueueCounts, Stats, TicketSummary, TicketUpdate, Upkeep};
use worker::{Env, Headers, Method, Request, RequestInit, Stub};

use super::protocol::{
    Added, Arrival, Arrived, Command, Event, Inserted, KeyRecord, MessageEvents, MessageKey, NewTicket, Page, Reply,
    SITE_HEADER,
};
use crate::http::{to_json, ApiError};

/// A site's store, as the worker reaches it.
pub struct SiteStore {
    stub: Stub,
    site: String,
}

/// The store of site `id` (which must be a site of the directory: the object takes the id as
/// given).
pub fn open(env: &Env, id: &str) -> Result<SiteStore, ApiError> {
    let stub = env.durable_object("SITE_STORE")?.id_from_name(id)?.get_stub()?;
    Ok(SiteStore { stub, site: id.to_owned() })
}

impl SiteStore {
    async fn call<T: DeserializeOwned>(&self, command: &Command) -> Result<T, ApiError> {
        let headers = Headers::new();
        headers.set("Content-Type", "application/json")?;
        headers.set(SITE_HEADER, &self.site)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_headers(headers).with_body(Some(to_json(command)?.into()));
        // The URL is not used by the object (it reads the command); it only has to be valid.
        let request = Request::new_with_init("https://site-store/", &init)?;
        let mut response = self.stub.fetch_with_request(request).await?;
        if response.status_code() != 200 {
            let why = response.text().await.unwrap_or_default();
            return Err(ApiError::Unavailable(format!("store of {}: {why}", self.site)));
        }
        Ok(response.json().await?)
    }

    pub async fn insert_ticket(&self, ticket: &TicketSummary, new: NewTicket) -> Result<Inserted, ApiError> {
        self.call(&Command::InsertTicket { ticket: Box::new(ticket.clone()), new }).await
    }

    pub async fn find_key(&self, key: &str, now_ms: u64) -> Result<Option<KeyRecord>, ApiError> {
        self.call(&Command::FindKey { key: key.to_owned(), now_ms }).await
    }

    pub async fn ticket(&self, id: &str) -> Result<Option<TicketSummary>, ApiError> {
        self.call(&Command::FindTicket { id: id.to_owned() }).await
    }

    /// The ids and numbers of the tickets a verified customer wrote, newest first (see
    /// [`Command::TicketsOfCustomer`]).
    pub async fn tickets_of(&self, customer_id: &str, limit: usize) -> Result<Vec<(String, String)>, ApiError> {
        self.call(&Command::TicketsOfCustomer { customer_id: customer_id.to_owned(), limit }).await
    }

    /// A ticket with its whole thread, if it exists.
    pub async fn thread(&self, id: &str) -> Result<Option<(TicketSummary, Vec<Message>)>, ApiError> {
        self.call(&Command::FindThread { id: id.to_owned() }).await
    }

    /// Adds a message (see [`Command::AddMessage`]).
    pub async fn add_message(
        &self,
        ticket_id: &str,
        message: &Message,
        key: Option<MessageKey>,
        status: TicketStatus,
        events: MessageEvents,
    ) -> Result<Added, ApiError> {
        let command =
            Command::AddMessage { ticket_id: ticket_id.to_owned(), message: message.clone(), key, status, events };
        self.call(&command).await
    }

    /// Files a message from a channel (see [`Arrival`]).
    pub async fn file_arrival(&self, arrival: &Arrival) -> Result<Arrived, ApiError> {
        self.call(&Command::FileArrival { arrival: Box::new(arrival.clone()) }).await
    }

    /// An agent's reply on its way to a channel, if `message_id` is one.
    pub async fn reply(&self, message_id: &str) -> Result<Option<Reply>, ApiError> {
        self.call(&Command::FindReply { message_id: message_id.to_owned() }).await
    }

    /// Records how sending a reply ended; its outbox event `event_id` (if given) is done with.
    pub async fn mark_reply(
        &self,
        message_id: &str,
        state: DeliveryState,
        detail: Option<String>,
        sent_id: Option<String>,
        event_id: Option<&str>,
    ) -> Result<(), ApiError> {
        let command = Command::MarkReply {
            message_id: message_id.to_owned(),
            state,
            detail,
            sent_id,
            event_id: event_id.map(str::to_owned),
        };
        self.call(&command).await
    }

    /// Records a try of a reply that will be tried again, and why it did not go through.
    pub async fn note_reply_try(&self, message_id: &str, why: &str) -> Result<(), ApiError> {
        self.mark_reply(message_id, DeliveryState::Pending, Some(why.to_owned()), None, None).await
    }

    pub async fn tickets(&self, filter: &QueueFilter, now: i64) -> Result<Page, ApiError> {
        self.call(&Command::ListTickets { filter: filter.clone(), now }).await
    }

    /// The size of each of the console's views (see [`Command::CountViews`]).
    pub async fn count_views(&self, me: Option<String>, now: i64) -> Result<QueueCounts, ApiError> {
        self.call(&Command::CountViews { me, now }).await
    }

    /// Applies `change` to ticket `id` in the store (see [`Command::UpdateTicket`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn update_ticket(
        &self,
        id: &str,
        change: &TicketUpdate,
        updated_at: &str,
        event_id: &str,
        webhook: bool,
        by: Option<String>,
        sla: &Sla,
    ) -> Result<Option<TicketSummary>, ApiError> {
        let command = Command::UpdateTicket {
            id: id.to_owned(),
            change: change.clone(),
            updated_at: updated_at.to_owned(),
            event_id: event_id.to_owned(),
            webhook,
            by,
            sla: sla.clone(),
        };
        self.call(&command).await
    }

    /// The statistics of `[from, to)` (ms) under `sla` at `now` (see [`Command::Stats`]).
    pub async fn stats(&self, from: i64, to: i64, sla: &Sla, now: i64) -> Result<Stats, ApiError> {
        self.call(&Command::Stats { from, to, sla: sla.clone(), now }).await
    }

    pub async fn record_event(&self, event: Event) -> Result<(), ApiError> {
        self.call(&Command::RecordEvent { event }).await
    }

    pub async fn mark_queued(&self, event_id: &str) -> Result<(), ApiError> {
        self.call(&Command::MarkQueued { event_id: event_id.to_owned() }).await
    }

    pub async fn is_delivered(&self, event_id: &str) -> Result<bool, ApiError> {
        self.call(&Command::IsDelivered { event_id: event_id.to_owned() }).await
    }

    pub async fn mark_delivered(&self, event_id: &str, at: &str) -> Result<(), ApiError> {
        self.call(&Command::MarkDelivered { event_id: event_id.to_owned(), at: at.to_owned() }).await
    }

    /// The published knowledge base's version; `""` before the first publish.
    pub async fn kb_version(&self) -> Result<String, ApiError> {
        self.call(&Command::KbVersion).await
    }

    /// The version that `version` replaced, if known.
    pub async fn kb_replaced_by(&self, version: &str) -> Result<Option<String>, ApiError> {
        self.call(&Command::KbReplacedBy { version: version.to_owned() }).await
    }

    /// Replaces the articles as `version` if the knowledge base is still at `base`.
    pub async fn replace_kb(
        &self,
        articles: Vec<StoredArticle>,
        base: &str,
        version: &str,
        now: &str,
    ) -> Result<bool, ApiError> {
        self.call(&Command::ReplaceKb {
            articles,
            base: base.to_owned(),
            version: version.to_owned(),
            now: now.to_owned(),
        })
        .await
    }

    pub async fn article(&self, id: &str, preferred: [Locale; 2]) -> Result<Option<KbArticle>, ApiError> {
        self.call(&Command::FindArticle { id: id.to_owned(), preferred }).await
    }

    pub async fn article_exists(&self, id: &str) -> Result<bool, ApiError> {
        self.call(&Command::ArticleExists { id: id.to_owned() }).await
    }

    /// Runs the store's upkeep now.
    pub async fn maintain(&self) -> Result<Upkeep, ApiError> {
        self.call(&Command::Maintain).await
    }
}
