//! `SiteStore`: a site's data in its own SQLite-backed Durable Object — tickets, idempotency
//! keys, events, webhook deliveries, the published knowledge base. One object per site, one
//! writer, 10 GB each: no site's load slows another's, and no site's size limits another's.
//!
//! The object decides nothing core does not decide: it runs the SQL of the commands the worker
//! sends ([`super::protocol::Command`]) and its own upkeep on its alarm. Writes that belong
//! together are consecutive `exec`s with no `.await` between them, which the runtime commits as
//! one transaction; that makes "look up the key, else insert ticket, key and event" atomic.

mod channels;
mod kb;
mod learn;
pub use learn::learned_key;
mod stats;
mod tickets;
mod upkeep;

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use tabdesk_core::schema;
use tabdesk_core::sla::{due_times, parse_time};
use tabdesk_core::ticket::apply_update;
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, Socket, SqlCursor, SqlStorage, SqlStorageValue,
    State, WebSocket, WebSocketIncomingMessage,
};

use super::protocol::{Command, SITE_HEADER};

/// The object's SQL, with the few helpers every command uses.
pub struct Db(SqlStorage);

impl Db {
    pub fn exec(&self, sql: &str, params: Vec<SqlStorageValue>) -> Result<SqlCursor> {
        self.0.exec(sql, params)
    }

    /// Every row of `sql` (never `SqlCursor::one`, which throws on zero or several rows).
    pub fn rows<T: DeserializeOwned>(&self, sql: &str, params: Vec<SqlStorageValue>) -> Result<Vec<T>> {
        self.exec(sql, params)?.to_array()
    }

    pub fn first<T: DeserializeOwned>(&self, sql: &str, params: Vec<SqlStorageValue>) -> Result<Option<T>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// Applies the schema steps above the store's recorded version (see `tabdesk_core::schema`).
fn migrate(db: &Db) -> Result<u32> {
    #[derive(serde::Deserialize)]
    struct Version {
        version: u32,
    }
    db.exec(schema::META, vec![])?;
    let current = db.first::<Version>(schema::VERSION, vec![])?.map_or(0, |v| v.version);
    schema::upgrade(current, |sql| db.exec(sql, vec![]).map(|_| ()))
}

#[durable_object]
pub struct SiteStore {
    state: State,
    env: Env,
    db: Db,
    /// The site this object holds, as the worker named it.
    site: RefCell<String>,
    /// Set when the schema could not be applied: every command then fails with it.
    broken: Option<String>,
}

fn json<T: Serialize>(value: &T) -> Result<Response> {
    Response::from_json(value)
}

impl SiteStore {
    async fn run(&self, command: Command) -> Result<Response> {
        let db = &self.db;
        let site = self.site.borrow().clone();
        match command {
            Command::InsertTicket { ticket, new } => {
                let inserted = tickets::insert(db, &site, &ticket, &new)?;
                self.wake_later().await?;
                json(&inserted)
            }
            Command::FindKey { key, now_ms } => json(&tickets::find_key(db, &site, &key, now_ms)?),
            Command::FindTicket { id } => json(&tickets::find(db, &site, &id)?),
            Command::TicketsOfCustomer { customer_id, limit } => {
                json(&tickets::of_customer(db, &site, &customer_id, limit)?)
            }
            Command::FindThread { id } => {
                let with_thread = match tickets::find(db, &site, &id)? {
                    Some(ticket) => Some((ticket, tickets::thread(db, &id)?)),
                    None => None,
                };
                json(&with_thread)
            }
            Command::AddMessage { ticket_id, message, key, status, events } => {
                let added = tickets::add_message(db, &site, &ticket_id, &message, key.as_ref(), status, &events)?;
                self.wake_later().await?;
                json(&added)
            }
            Command::FileArrival { arrival } => {
                let arrived = channels::file(db, &site, &arrival)?;
                self.wake_later().await?;
                json(&arrived)
            }
            Command::FindReply { message_id } => json(&channels::find_reply(db, &message_id)?),
            Command::MarkReply { message_id, state, detail, sent_id, event_id } => {
                let at = crate::platform::now_iso();
                json(&channels::mark_reply(
                    db,
                    &message_id,
                    state,
                    detail.as_deref(),
                    sent_id.as_deref(),
                    event_id.as_deref(),
                    &at,
                )?)
            }
            Command::ListTickets { filter, now } => json(&tickets::list(db, &site, &filter, now)?),
            Command::CountViews { me, now } => json(&tickets::count_views(db, me.as_deref(), now)?),
            Command::UpdateTicket { id, change, updated_at, event_id, webhook, by, sla } => {
                let updated = match tickets::find(db, &site, &id)? {
                    Some(current) => {
                        let mut updated = apply_update(&current, &change);
                        updated.updated_at = updated_at;
                        let due = (updated.priority != current.priority)
                            .then(|| parse_time(&current.created_at))
                            .flatten()
                            .map(|created| due_times(created, updated.priority, &sla));
                        tickets::update(db, &site, &updated, &event_id, webhook, by.as_deref(), due)?;
                        // Read back: the store keeps facts of its own (when it was solved).
                        tickets::find(db, &site, &id)?
                    }
                    None => None,
                };
                self.wake_later().await?;
                json(&updated)
            }
            Command::RecordEvent { event } => {
                tickets::record_event(db, &site, &event)?;
                // A helpful vote may teach search something: the upkeep relearns.
                if event.kind == "kb.helpful" {
                    self.wake_later().await?;
                }
                json(&())
            }
            Command::MarkQueued { event_id } => json(&tickets::mark_queued(db, &event_id)?),
            Command::IsDelivered { event_id } => json(&tickets::is_delivered(db, &event_id)?),
            Command::MarkDelivered { event_id, at } => json(&tickets::mark_delivered(db, &event_id, &at)?),
            Command::KbVersion => json(&kb::current_version(db, &site)?),
            Command::KbReplacedBy { version } => json(&kb::replaced_by(db, &site, &version)?),
            Command::ReplaceKb { articles, base, version, now } => {
                let replaced = kb::replace(db, &site, &articles, &base, &version, &now)?;
                self.wake_later().await?;
                json(&replaced)
            }
            Command::FindArticle { id, preferred } => json(&kb::find(db, &site, &id, preferred)?),
            Command::ArticleExists { id } => json(&kb::exists(db, &site, &id)?),
            Command::Stats { from, to, sla, now } => json(&stats::compute(db, from, to, &sla, now)?),
            Command::Maintain => json(&upkeep::run(db, &self.env, &site).await?),
        }
    }

    /// Makes sure the alarm will run the upkeep (expired keys, webhook jobs to queue, counts for
    /// the directory) within a minute.
    async fn wake_later(&self) -> Result<()> {
        let storage = self.state.storage();
        if storage.get_alarm().await?.is_none() {
            storage.set_alarm(upkeep::INTERVAL).await?;
        }
        Ok(())
    }
}

impl DurableObject for SiteStore {
    fn new(state: State, env: Env) -> Self {
        let db = Db(state.storage().sql());
        let broken = migrate(&db).err().map(|e| format!("the schema could not be applied: {e}"));
        #[derive(serde::Deserialize)]
        struct Meta {
            value: String,
        }
        let site = db
            .first::<Meta>("SELECT value FROM meta WHERE key = 'site'", vec![])
            .ok()
            .flatten()
            .map(|m| m.value)
            .unwrap_or_default();
        SiteStore { state, env, db, site: RefCell::new(site), broken }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        if let Some(why) = &self.broken {
            return Response::error(why.clone(), 500);
        }
        if self.site.borrow().is_empty() {
            let Some(site) = req.headers().get(SITE_HEADER)? else {
                return Response::error("no site named", 400);
            };
            self.db.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('site', ?)", vec![site.as_str().into()])?;
            *self.site.borrow_mut() = site;
        }
        let command: Command = match req.json().await {
            Ok(command) => command,
            Err(e) => return Response::error(format!("not a command: {e}"), 400),
        };
        match self.run(command).await {
            Ok(response) => Ok(response),
            Err(e) => Response::error(e.to_string(), 500),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let site = self.site.borrow().clone();
        match upkeep::run(&self.db, &self.env, &site).await {
            Ok(done) => {
                if let Some(next) = upkeep::next_wake(&self.db)? {
                    self.state.storage().set_alarm(next).await?;
                }
                Response::from_json(&done)
            }
            Err(e) => {
                worker::console_error!("upkeep of {site} failed: {e}; trying again later");
                self.state.storage().set_alarm(upkeep::INTERVAL).await?;
                Response::error(e.to_string(), 500)
            }
        }
    }

    // This object serves no sockets yet (live chat will); the runtime calls these only for
    // sockets the object accepted, so they have nothing to do. They are written out because the
    // defaults of `DurableObject` panic.
    async fn connect(&self, _socket: Socket) -> Result<()> {
        Ok(())
    }

    async fn websocket_message(&self, _ws: WebSocket, _message: WebSocketIncomingMessage) -> Result<()> {
        Ok(())
    }

    async fn websocket_close(&self, _ws: WebSocket, _code: usize, _reason: String, _clean: bool) -> Result<()> {
        Ok(())
    }

    async fn websocket_error(&self, _ws: WebSocket, _error: worker::Error) -> Result<()> {
        Ok(())
    }
}
