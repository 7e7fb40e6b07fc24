//! The JSON the API speaks (DESIGN.md, "HTTP API v1"). Both ends use these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::WidgetConfig;
use crate::domain::{FieldError, Json, Locale, Priority, SmallMap, TicketStatus};
use crate::identity::Verified;
use crate::triage::Triage;

/// How the widget is shown: in the loader's iframe, or full-size as a social network's app page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EmbedMode {
    #[default]
    Frame,
    Page,
}

/// What the `/embed` page hands the widget inline, so it starts without a round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedBoot {
    pub config: WidgetConfig,
    pub locale: Locale,
    pub mode: EmbedMode,
    /// The host page's origin, when it is one the site allows: the only origin the widget
    /// posts messages to and accepts messages from.
    pub parent_origin: Option<String>,
    /// The channel the page was opened for (`?channel=vk` in a social network's app frame), when
    /// it is one of the site's: recorded on the requests written there.
    #[serde(default)]
    pub channel: Option<String>,
    /// The visitor a social network vouched for in the page's launch parameters (checked by the
    /// worker with the site's key for that app): they write without an email.
    #[serde(default)]
    pub launched: Option<LaunchedVisitor>,
    /// The site's Telegram bot can vouch for its Mini App's visitors: in page mode the widget
    /// takes Telegram's `initData` from the page's fragment (which no server sees) and sends it
    /// with requests, for the worker to check.
    #[serde(default)]
    pub telegram_app: bool,
    /// When to expect an answer ("We usually reply within 4 hours"), in `locale`, if the site
    /// sets a first-response target (`i18n::reply_note`). Worded by the worker: the widget's
    /// first screen then carries no plural rules or number formatting for it.
    #[serde(default)]
    pub reply_note: Option<String>,
}

/// Who a platform says the visitor of its app frame is, as the widget shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LaunchedVisitor {
    /// `vk` or `telegram`.
    pub platform: String,
    pub name: Option<String>,
}

/// What the host page's loader tells the widget's iframe (`postMessage`). Each side checks the
/// sender's origin exactly and ignores anything that does not parse. Apart from what the widget
/// tells the host ([`WidgetMessage`]): each side's code reads one enum and writes the other, so
/// the widget carries no writer of what it only reads, nor a reader of what it only writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type")]
pub enum HostMessage {
    /// On load: where the visitor is.
    #[serde(rename = "tabdesk:context")]
    Context { context: PageContext },
    /// The visitor opened the panel again (a moment to retry queued requests).
    #[serde(rename = "tabdesk:open")]
    Open,
    /// After `ready`: what the widget stored through the host earlier, for browsers that deny
    /// storage to third-party iframes.
    #[serde(rename = "tabdesk:restore")]
    Restore {
        #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
        items: SmallMap<String, String>,
    },
    /// The panel was closed (the widget stops refreshing).
    #[serde(rename = "tabdesk:close")]
    Close,
    /// `Tabdesk('search', query)`: the home screen searches for `query`.
    #[serde(rename = "tabdesk:search")]
    Search { query: String },
    /// `Tabdesk('showArticle', id)`: the widget opens article `id`.
    #[serde(rename = "tabdesk:article")]
    ShowArticle { id: String },
    /// `Tabdesk('prefill', {subject, message, email, name, category, fields})`: the contact form
    /// starts with these where the visitor has typed nothing. Only those fields of a
    /// [`NewTicket`] are taken. `values` is that object as JSON text: the form decodes it with
    /// the code that reads its queued requests, where an object inside this message would need
    /// a second decoder of the whole request on the widget's first screen (6 KB gzip, measured).
    #[serde(rename = "tabdesk:prefill")]
    Prefill { values: String },
    /// `Tabdesk('identify', {token})`: the site's signed token for the customer signed in on it
    /// (`identity`), sent with their requests; `null` when they signed out.
    #[serde(rename = "tabdesk:identify")]
    Identify { token: Option<String> },
}

/// What the widget's iframe tells the host page's loader (`postMessage`; see [`HostMessage`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type")]
pub enum WidgetMessage {
    /// Keep (or, with no value, forget) an item in the host page's storage.
    #[serde(rename = "tabdesk:store")]
    Store { key: String, value: Option<String> },
    /// The widget is ready for input.
    #[serde(rename = "tabdesk:ready")]
    Ready,
    /// Close the panel (close button or Esc).
    #[serde(rename = "tabdesk:close")]
    Close,
    /// Something a host page may listen to with `Tabdesk('on', name, fn)`.
    #[serde(rename = "tabdesk:event")]
    Event { event: HostEvent },
}

/// What the widget tells the host page's listeners (the loader adds `open` and `close`, which
/// it sees itself). Only what the visitor's own page may know: no access tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "name")]
pub enum HostEvent {
    /// The visitor's request was stored: its number, which the visitor was shown.
    #[serde(rename = "ticket:created")]
    TicketCreated { id: String, number: String },
    /// The visitor opened an article.
    #[serde(rename = "article:viewed")]
    ArticleViewed { id: String },
    /// An agent replied to one of the visitor's requests, and the widget has not shown it yet.
    #[serde(rename = "message:received")]
    MessageReceived { id: String, number: String },
}

/// Where a request was written: filled by the loader and the widget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PageContext {
    #[cfg_attr(feature = "openapi", schema(pattern = "^https?://[^\\s]+$", max_length = 2048))]
    pub page_url: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^https?://[^\\s]+$", max_length = 2048))]
    pub referrer: Option<String>,
    pub locale: Option<Locale>,
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub channel: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub user_agent: Option<String>,
}

/// `POST /v1/sites/{site}/tickets`. Every field defaults, so that a missing one is reported by
/// validation as a field error (422) rather than as unreadable JSON (400).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewTicket {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub message: String,
    #[cfg_attr(feature = "openapi", schema(format = "email", max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub name: Option<String>,
    /// One of the site's form categories (`id`), or none.
    pub category: Option<String>,
    /// The category's fields by key: a handful, kept as a `SmallMap` for the widget's size.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, serde_json::Value>))]
    pub fields: SmallMap<String, Json>,
    pub context: PageContext,
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub viewed_articles: Vec<String>,
    /// What the customer searched the knowledge base for before writing, oldest first.
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub searches: Vec<String>,
    /// Honeypot: a field people never see and bots fill in.
    pub hp: String,
    /// Milliseconds from opening the form to sending it, measured by the widget.
    pub fill_ms: Option<u64>,
    /// Cloudflare Turnstile token, when the site turns it on.
    pub turnstile_token: Option<String>,
    /// The signed identity the host page gave the widget (`core::identity`): a JWT.
    #[cfg_attr(feature = "openapi", schema(max_length = 4096))]
    pub identity: Option<String>,
    /// The launch parameters a social network signed for its app frame (`core::launch`): for a
    /// VK Mini App, the query string VK opened the page with. Sent in the body, never in a URL.
    #[cfg_attr(feature = "openapi", schema(max_length = 4096))]
    pub launch: Option<String>,
}

/// 201 answer to a new ticket, replayed verbatim for a repeated `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketCreated {
    pub id: String,
    pub number: String,
    pub access_token: String,
    pub status: TicketStatus,
    pub created_at: String,
}

/// A ticket as agents (and webhooks) see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketSummary {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub message: String,
    pub email: String,
    pub name: Option<String>,
    pub category: Option<String>,
    pub fields: BTreeMap<String, serde_json::Value>,
    pub status: TicketStatus,
    pub priority: Priority,
    pub topic: String,
    pub needs_response: bool,
    pub sales_lead: bool,
    pub triage: Triage,
    pub tags: Vec<String>,
    pub assignee: Option<String>,
    pub locale: Locale,
    pub context: PageContext,
    pub viewed_articles: Vec<String>,
    /// What the customer searched for before writing (they found nothing that helped).
    #[serde(default)]
    pub searches: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The first public reply by an agent.
    #[serde(default)]
    pub first_response_at: Option<String>,
    /// When the ticket was last solved or closed, while it stays so.
    #[serde(default)]
    pub solved_at: Option<String>,
    /// Who the site's signed token says the customer is, and the facts it vouches for.
    #[serde(default)]
    pub verified: Option<Verified>,
}

/// `PATCH /v1/admin/tickets/{id}`: only the fields present change; `assignee: null` unassigns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TicketUpdate {
    // Fields left out are not written, so that a client's change names only what it changes
    // (and an untouched `assignee` is not read back as `null`, "unassign").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TicketStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Option<String>>,
}

/// Tells a field set to `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AuthorKind {
    Customer,
    Agent,
    System,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Author {
    pub kind: AuthorKind,
    /// The customer's or agent's name, when known.
    pub name: Option<String>,
    /// The agent's id (absent for customers, the system and the site's admin token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// Who sees a message: the customer too (`public`), or only agents (`internal` notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Public,
    Internal,
}

/// A message of a ticket's thread; the request itself is the first public one. Plain text,
/// always rendered as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: String,
    pub author: Author,
    pub body: String,
    pub visibility: Visibility,
    pub created_at: String,
    /// For an agent's reply on a ticket from a channel: whether it reached the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

/// How an agent's reply travels back to the channel its ticket came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    /// `vk` or `telegram`.
    pub channel: String,
    pub state: DeliveryState,
    /// Why it failed, or why the last try did not go through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Queued, or being retried.
    Pending,
    Sent,
    /// The platform refused it for good (no rights, the chat is gone) or every try failed.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        [DeliveryState::Pending, DeliveryState::Sent, DeliveryState::Failed].into_iter().find(|d| d.as_str() == s)
    }
}

/// `PUT /v1/admin/sites/{site}/channels`: the site's connections. A channel left out is
/// disconnected; a secret left out keeps its stored value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelsUpdate {
    #[serde(default)]
    pub vk: Option<VkUpdate>,
    #[serde(default)]
    pub telegram: Option<TelegramUpdate>,
    #[serde(default)]
    pub telegram_app: Option<TelegramApp>,
    #[serde(default)]
    pub ok: Option<OkUpdate>,
}

/// An OK (Odnoklassniki) app: its secret key, which checks its launches' `auth_sig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OkUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub app_secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OkView {
    pub app_secret_set: bool,
}

/// A Telegram Mini App whose bot Tabdesk does not run (no token given): its visitors are vouched
/// for by Telegram's Ed25519 signature of their `initData`, for the bot `bot_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TelegramApp {
    pub bot_id: i64,
}

/// A VK community's connection (Callback API and replies), and optionally the site's Mini App.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VkUpdate {
    pub group_id: i64,
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub confirmation: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub secret: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub access_token: Option<String>,
    #[serde(default)]
    pub app_id: Option<i64>,
    /// The Mini App's secure key; an empty string removes it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub app_secret: Option<String>,
}

/// A Telegram bot's connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TelegramUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub bot_token: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub webhook_secret: Option<String>,
}

/// `GET /v1/admin/sites/{site}/channels`: what is connected and where each platform should
/// send its events; secrets only as set or not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelsView {
    pub vk: Option<VkView>,
    pub telegram: Option<TelegramView>,
    pub telegram_app: Option<TelegramApp>,
    pub ok: Option<OkView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VkView {
    pub group_id: i64,
    pub confirmation: String,
    pub app_id: Option<i64>,
    pub secret_set: bool,
    pub access_token_set: bool,
    pub app_secret_set: bool,
    /// The address to enter in the community's Callback API settings.
    pub callback_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TelegramView {
    pub bot_id: String,
    pub bot_token_set: bool,
    pub webhook_secret_set: bool,
    /// The address to give `setWebhook` (with the secret as `secret_token`).
    pub webhook_url: String,
}

/// `GET /v1/tickets/{id}`: a request as its customer sees it (public messages only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerTicket {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: TicketStatus,
    pub created_at: String,
    pub updated_at: String,
    pub messages: Vec<Message>,
}

/// What an agent may do: admins everything of their site, agents work the queue only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    #[default]
    Agent,
}

/// `POST /v1/admin/sites/{site}/agents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NewAgent {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(format = "email", max_length = 254))]
    pub email: String,
    pub role: Role,
}

/// An agent of a site, as its admins list them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub created_at: String,
}

/// The 201 of a new agent: the only time its token is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentCreated {
    #[serde(flatten)]
    pub agent: Agent,
    pub token: String,
}

/// `POST /v1/sites/{site}/tickets/mine`: the requests of the customer the site's signed token
/// (`core::identity`) names, from whichever device they were written on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MineRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 4096))]
    pub identity: String,
}

/// The answer: what opens each request, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mine {
    pub tickets: Vec<OwnTicket>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnTicket {
    pub id: String,
    pub number: String,
    pub access_token: String,
}

/// `POST /v1/tickets/summaries`: the requests a browser filed (each with its access token).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SummariesRequest {
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub tickets: Vec<TicketRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TicketRef {
    pub id: String,
    pub access_token: String,
}

/// One of a customer's requests at a glance: enough for a list with unread markers (the widget
/// remembers the last message it showed; a newer `last_reply_id` is unread).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerSummary {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: TicketStatus,
    pub updated_at: String,
    /// The newest public message by an agent, if any.
    pub last_reply_id: Option<String>,
    pub last_reply_at: Option<String>,
}

/// The answer of `POST /v1/tickets/summaries`: the requests whose tokens open them (others are
/// left out, as if they did not exist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summaries {
    pub tickets: Vec<CustomerSummary>,
}

/// `GET /v1/admin/tickets/{id}`: everything agents see of a ticket, its whole thread included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketDetail {
    #[serde(flatten)]
    pub ticket: TicketSummary,
    pub messages: Vec<Message>,
    /// Due times and breaches under the site's service levels.
    pub sla: SlaStatus,
}

/// A ticket's service level as agents see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaStatus {
    pub first_response_due: String,
    /// The first public reply by an agent (an internal note does not count).
    pub first_response_at: Option<String>,
    /// Answered after the due time, or not answered and past it.
    pub first_response_breached: bool,
    pub resolution_due: String,
    /// When the ticket was solved (or closed), if it is.
    pub resolved_at: Option<String>,
    pub resolution_breached: bool,
}

/// `POST /v1/tickets/{id}/messages` (customer) and `POST /v1/admin/tickets/{id}/messages`
/// (agent; `visibility` is the agents' only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NewMessage {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub body: String,
    pub visibility: Visibility,
}

/// `GET /v1/admin/sites/{site}/tickets`: newest first; `next_cursor` fetches the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketPage {
    pub tickets: Vec<TicketSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub snippet: String,
    /// Char ranges `[start, end)` into `snippet`: the widget draws them, never server HTML.
    pub highlights: Vec<[usize; 2]>,
    pub url: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    pub took_us: u64,
}

/// `POST /v1/operator/sites`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewSite {
    pub id: String,
    pub name: String,
    pub allowed_origins: Vec<String>,
    pub locales: Vec<Locale>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteCreated {
    pub id: String,
    pub admin_token: String,
}

/// An RFC 9457 problem document, the body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For 429: seconds to wait (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
}

/// One article as an agent publishes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KbArticleIn {
    pub id: String,
    pub locale: Option<Locale>,
    pub title: String,
    pub body_markdown: String,
    pub tags: Vec<String>,
    pub category: Option<String>,
    /// `YYYY-MM-DD`; the publish date when absent.
    pub updated: Option<String>,
    /// Other phrasings customers use for the same need; searchable with the article.
    pub questions: Vec<String>,
}

/// `PUT /v1/admin/sites/{site}/kb`: the site's whole knowledge base, replacing the old one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KbPublish {
    pub articles: Vec<KbArticleIn>,
    /// A publish without articles empties the knowledge base only when this says so.
    pub allow_empty: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KbPublished {
    /// The index version now served.
    pub version: String,
    pub articles: usize,
    pub index_bytes: usize,
}

/// `GET /v1/sites/{site}/kb/articles/{id}`: `html` was sanitized when published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KbArticle {
    pub id: String,
    pub title: String,
    pub html: String,
    pub locale: Locale,
    pub tags: Vec<String>,
    pub updated_at: String,
}

/// `POST /v1/sites/{site}/kb/articles/{id}/feedback`: "Was this helpful?".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct KbFeedback {
    pub helpful: bool,
    /// The search that led to the article, when it was opened from search results: a helpful
    /// answer then teaches search which article those words want (`kb::learn`).
    pub query: Option<String>,
}

/// `POST /v1/relay-key`: the widget asks for the key of its relay (the items it keeps in the
/// host page's storage when the iframe has none of its own).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RelayKeyRequest {
    /// A random id the widget made for its relay: 22-64 letters, digits, `-` or `_`.
    pub id: String,
}

/// The AES-256-GCM key of a relay, base64url without padding. Only the worker's own origin can
/// read it (no CORS), so the host page that stores the items cannot decrypt them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelayKey {
    pub key: String,
}

/// The answer of the statistics endpoints: which kind of event was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recorded {
    pub recorded: String,
}

/// `GET /v1/operator/sites`: a site with the counts its store last pushed to the directory
/// (none before its first upkeep).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteOverview {
    pub id: String,
    pub created_at: String,
    pub tickets: Option<i64>,
    pub open_tickets: Option<i64>,
    pub spam: Option<i64>,
    pub articles: Option<i64>,
    pub counted_at: Option<String>,
}

/// `POST /v1/operator/sites/{site}/upkeep`: what a site store's upkeep did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Upkeep {
    pub purged_keys: u64,
    pub queued_webhooks: usize,
    /// Words whose search results the site's traffic now re-ranks (`kb::learn`).
    pub learned_stems: usize,
}

/// What the widget reports for deflection statistics (article views and feedback are recorded
/// by their own endpoints, tickets by intake).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WidgetEventKind {
    Search,
    FormOpened,
}

impl WidgetEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WidgetEventKind::Search => "search",
            WidgetEventKind::FormOpened => "form_opened",
        }
    }

    pub fn parse(s: &str) -> Option<WidgetEventKind> {
        [WidgetEventKind::Search, WidgetEventKind::FormOpened].into_iter().find(|k| k.as_str() == s)
    }
}

/// `POST /v1/sites/{site}/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetEvent {
    pub kind: WidgetEventKind,
    #[serde(default)]
    pub article_id: Option<String>,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub results: Option<u32>,
}

/// `GET /v1/admin/sites/{site}/stats?from=&to=`: what customers asked and how fast and how well
/// the site answered, over the tickets created in `[from, to)` (spam left out) and the widget's
/// events in it. Times are in seconds of wall time; percentiles are nearest-rank.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub from: String,
    pub to: String,
    pub tickets: u64,
    /// Every UTC day of the range, days without tickets included.
    pub per_day: Vec<DayVolume>,
    pub by_category: BTreeMap<String, u64>,
    pub by_topic: BTreeMap<String, u64>,
    /// `site` for requests from the widget without a channel.
    pub by_channel: BTreeMap<String, u64>,
    pub by_language: BTreeMap<String, u64>,
    pub by_priority: BTreeMap<String, u64>,
    /// Tickets with a first response (a public agent reply).
    pub answered: u64,
    pub first_response_median_s: Option<u64>,
    pub first_response_p90_s: Option<u64>,
    /// Tickets solved (or closed) now.
    pub resolved: u64,
    pub resolution_median_s: Option<u64>,
    /// Tickets answered late, or unanswered and past due.
    pub first_response_breaches: u64,
    /// Tickets solved late, or unsolved and past due.
    pub resolution_breaches: u64,
    /// The share of tickets with either breach (none without tickets).
    pub sla_breach_rate: Option<f64>,
    /// Tickets of the site not solved or closed now, whenever created.
    pub backlog: u64,
    /// Tickets triage took for sales leads.
    pub leads: u64,
    pub deflection: Deflection,
}

/// Tickets created on one UTC day (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayVolume {
    pub day: String,
    pub tickets: u64,
}

/// What the knowledge base did in the range: the widget's events and the tickets that came
/// after a search anyway.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deflection {
    pub searches: u64,
    pub searches_without_results: u64,
    pub article_views: u64,
    pub helpful: u64,
    pub unhelpful: u64,
    pub forms_opened: u64,
    pub tickets_after_search: u64,
    /// What customers searched for and did not find, most often first (the articles to write).
    pub searches_without_results_top: Vec<QueryCount>,
}

/// A search query and how often it was made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryCount {
    pub query: String,
    pub count: u64,
}

/// `GET /v1/admin/me`: whose token this is — the site it works for and its role (the console's
/// sign-in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub site: String,
    pub site_name: String,
    pub role: Role,
    /// The agent, when it is not the site's admin token.
    pub agent_id: Option<String>,
    /// The agent's name (what `assignee` holds for tickets assigned to them).
    pub name: Option<String>,
    pub locales: Vec<Locale>,
    pub default_locale: Locale,
    /// The site's saved replies (agents may not read the whole configuration).
    pub saved_replies: Vec<crate::config::SavedReply>,
}

/// `GET /v1/admin/sites/{site}/counts`: how many tickets each of the console's views holds
/// (spam left out; every view but `new` and `solved` counts unsolved tickets only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCounts {
    pub new: u64,
    /// Assigned to the asking agent (by name); 0 for the site's admin token.
    pub mine: u64,
    pub unassigned: u64,
    pub needs_response: u64,
    /// A first response or resolution past due.
    pub breached: u64,
    pub sales_leads: u64,
    pub solved: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loader (plain JavaScript) writes and reads these shapes: they are the protocol.
    #[test]
    fn frame_messages_have_the_shapes_the_loader_uses() {
        let parse = |json: &str| serde_json::from_str::<HostMessage>(json).unwrap();
        assert_eq!(
            parse(r#"{"type":"tabdesk:search","query":"router"}"#),
            HostMessage::Search { query: "router".into() }
        );
        assert_eq!(parse(r#"{"type":"tabdesk:article","id":"wifi"}"#), HostMessage::ShowArticle { id: "wifi".into() });
        let HostMessage::Prefill { values } =
            parse(r#"{"type":"tabdesk:prefill","values":"{\"subject\":\"Order 7\"}"}"#)
        else {
            panic!("not a prefill");
        };
        let values: NewTicket = serde_json::from_str(&values).unwrap();
        assert_eq!((values.subject.as_str(), values.email.as_str()), ("Order 7", ""));
        let event = WidgetMessage::Event { event: HostEvent::ArticleViewed { id: "wifi".into() } };
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            serde_json::json!({ "type": "tabdesk:event", "event": { "name": "article:viewed", "id": "wifi" } })
        );
        assert!(serde_json::from_str::<HostMessage>(r#"{"type":"tabdesk:fly"}"#).is_err());
    }
}
