//! Tickets, their idempotency keys and numbers, and the events (statistics, webhook outbox) and
//! webhook deliveries of a site's store.

use serde::Deserialize;
use tabdesk_core::channel::REPLY_EVENT;
use tabdesk_core::domain::ids::ticket_number;
use tabdesk_core::domain::limits::IDEMPOTENCY_TTL_MS;
use tabdesk_core::domain::{Locale, Priority, TicketStatus};
use tabdesk_core::sla::{answers, solved_at};
use tabdesk_core::text::fold;
use tabdesk_core::ticket::{first_message, QueueFilter};
use tabdesk_core::wire::{
    Author, AuthorKind, Delivery, DeliveryState, Message, QueueCounts, TicketSummary, Visibility,
};
use worker::{Error, Result};

use super::Db;
use crate::store::protocol::{Added, Event, Inserted, KeyRecord, MessageEvents, MessageKey, NewTicket, Page};

/// The first per-site number: four digits look like a real queue from day one.
const FIRST_NUMBER: i64 = 1001;

/// Every column a summary needs, for `SELECT {COLUMNS} FROM tickets`.
const COLUMNS: &str = "id, number, subject, message, email, name, category, fields, status, priority, topic, \
     needs_response, sales_lead, triage, tags, assignee, locale, context, viewed_articles, created_at, updated_at, \
     (SELECT searches FROM ticket_facts WHERE ticket_id = tickets.id) AS searches, \
     (SELECT first_response_at FROM ticket_facts WHERE ticket_id = tickets.id) AS first_response_at, \
     (SELECT solved_at FROM ticket_facts WHERE ticket_id = tickets.id) AS solved_at, \
     (SELECT verified FROM ticket_verified WHERE ticket_id = tickets.id) AS verified";

pub(super) fn stored<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::RustError(format!("stored {what} does not parse: {e}")))
}

pub(super) fn to_stored<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::RustError(e.to_string()))
}

#[derive(Deserialize)]
struct TicketRow {
    id: String,
    number: i64,
    subject: String,
    message: String,
    email: String,
    name: Option<String>,
    category: Option<String>,
    fields: String,
    status: String,
    priority: String,
    topic: String,
    needs_response: i64,
    sales_lead: i64,
    triage: String,
    tags: String,
    assignee: Option<String>,
    locale: String,
    context: String,
    viewed_articles: String,
    created_at: String,
    updated_at: String,
    searches: Option<String>,
    first_response_at: Option<String>,
    solved_at: Option<String>,
    verified: Option<String>,
}

impl TicketRow {
    fn into_summary(self, site: &str) -> Result<TicketSummary> {
        let bad = |what: &str| Error::RustError(format!("stored {what} is not one we know"));
        Ok(TicketSummary {
            number: ticket_number(site, self.number),
            subject: self.subject,
            message: self.message,
            email: self.email,
            name: self.name,
            category: self.category,
            fields: stored("fields", &self.fields)?,
            status: TicketStatus::parse(&self.status).ok_or_else(|| bad("status"))?,
            priority: Priority::parse(&self.priority).ok_or_else(|| bad("priority"))?,
            topic: self.topic,
            needs_response: self.needs_response != 0,
            sales_lead: self.sales_lead != 0,
            triage: stored("triage", &self.triage)?,
            tags: stored("tags", &self.tags)?,
            assignee: self.assignee,
            locale: Locale::from_tag(&self.locale).unwrap_or_default(),
            context: stored("context", &self.context)?,
            viewed_articles: stored("viewed_articles", &self.viewed_articles)?,
            searches: self.searches.as_deref().map(|s| stored("searches", s)).transpose()?.unwrap_or_default(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            first_response_at: self.first_response_at,
            solved_at: self.solved_at,
            verified: self.verified.as_deref().map(|v| stored("verified", v)).transpose()?,
            id: self.id,
        })
    }
}

#[derive(Deserialize)]
struct NumberedRow {
    id: String,
    number: i64,
}

/// The ids and numbers of the tickets the site's customer `customer_id` wrote while signed in
/// (spam aside), newest first.
pub fn of_customer(db: &Db, site: &str, customer_id: &str, limit: usize) -> Result<Vec<(String, String)>> {
    let rows: Vec<NumberedRow> = db.rows(
        "SELECT t.id, t.number FROM ticket_verified v JOIN tickets t ON t.id = v.ticket_id
         WHERE v.customer_id = ? AND t.spam = 0 ORDER BY t.created_at DESC LIMIT ?",
        vec![customer_id.into(), (limit as i64).into()],
    )?;
    Ok(rows.into_iter().map(|r| (r.id, ticket_number(site, r.number))).collect())
}

/// The record of `key` if it was stored in the last [`IDEMPOTENCY_TTL_MS`].
pub fn find_key(db: &Db, site: &str, key: &str, now_ms: u64) -> Result<Option<KeyRecord>> {
    let since = now_ms.saturating_sub(IDEMPOTENCY_TTL_MS) as i64;
    db.first(
        "SELECT i.body_hash AS fingerprint, i.ticket_id, t.number, t.created_at
         FROM idempotency i JOIN tickets t ON t.id = i.ticket_id
         WHERE i.site_id = ? AND i.key = ? AND i.created_at > ?",
        vec![site.into(), key.into(), since.into()],
    )
}

/// Stores a ticket with its key record, its number and its `ticket.created` event, unless the
/// key is taken. One synchronous run of statements: nothing else runs between the look-up and
/// the writes, and they commit together.
pub fn insert(db: &Db, site: &str, ticket: &TicketSummary, new: &NewTicket) -> Result<Inserted> {
    if let Some(record) = find_key(db, site, &new.key, new.now_ms)? {
        return Ok(Inserted::KeyTaken(record));
    }
    let expired = new.now_ms.saturating_sub(IDEMPOTENCY_TTL_MS) as i64;
    db.exec(
        "DELETE FROM idempotency WHERE site_id = ? AND key = ? AND created_at <= ?",
        vec![site.into(), new.key.as_str().into(), expired.into()],
    )?;
    #[derive(Deserialize)]
    struct Next {
        number: i64,
    }
    let number = db
        .first::<Next>("SELECT coalesce(max(number) + 1, ?) AS number FROM tickets", vec![FIRST_NUMBER.into()])?
        .map_or(FIRST_NUMBER, |n| n.number);
    db.exec(
        "INSERT INTO idempotency (site_id, key, body_hash, ticket_id, created_at) VALUES (?, ?, ?, ?, ?)",
        vec![
            site.into(),
            new.key.as_str().into(),
            new.fingerprint.as_str().into(),
            ticket.id.as_str().into(),
            (new.now_ms as i64).into(),
        ],
    )?;
    db.exec(
        "INSERT INTO tickets (id, site_id, number, subject, message, email, name, category, fields, context,
                              viewed_articles, locale, status, priority, topic, needs_response, sales_lead,
                              triage, access_token_hash, created_at, updated_at, spam, assignee)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            ticket.id.as_str().into(),
            site.into(),
            number.into(),
            ticket.subject.as_str().into(),
            ticket.message.as_str().into(),
            ticket.email.as_str().into(),
            ticket.name.as_deref().into(),
            ticket.category.as_deref().into(),
            to_stored(&ticket.fields)?.into(),
            to_stored(&ticket.context)?.into(),
            to_stored(&ticket.viewed_articles)?.into(),
            ticket.locale.tag().into(),
            ticket.status.as_str().into(),
            ticket.priority.as_str().into(),
            ticket.topic.as_str().into(),
            i64::from(ticket.needs_response).into(),
            i64::from(ticket.sales_lead).into(),
            to_stored(&ticket.triage)?.into(),
            new.access_token_hash.as_str().into(),
            ticket.created_at.as_str().into(),
            ticket.created_at.as_str().into(),
            i64::from(new.spam).into(),
            ticket.assignee.as_deref().into(),
        ],
    )?;
    db.exec(
        "INSERT INTO ticket_search (ticket_id, text) VALUES (?, ?)",
        vec![
            ticket.id.as_str().into(),
            fold(&format!("{} {} {}", ticket.subject, ticket.message, ticket.email)).into(),
        ],
    )?;
    db.exec(
        "INSERT INTO ticket_facts (ticket_id, searches, first_response_due, resolution_due) VALUES (?, ?, ?, ?)",
        vec![ticket.id.as_str().into(), to_stored(&ticket.searches)?.into(), new.due.0.into(), new.due.1.into()],
    )?;
    if let Some(verified) = &ticket.verified {
        db.exec(
            "INSERT INTO ticket_verified (ticket_id, customer_id, verified) VALUES (?, ?, ?)",
            vec![ticket.id.as_str().into(), verified.id.as_str().into(), to_stored(verified)?.into()],
        )?;
    }
    if let Some((thread, reply_to)) = &new.thread {
        super::channels::link(db, thread, reply_to, &ticket.id, new.now_ms as i64)?;
    }
    insert_message(db, &ticket.id, &first_message(ticket, ticket.id.clone()))?;
    for message in &new.messages {
        insert_message(db, &ticket.id, message)?;
    }
    ticket_event(db, &new.event_id, site, "ticket.created", &ticket.id, &ticket.created_at, new.webhook)?;
    if let Some(lead) = &new.lead_event_id {
        ticket_event(db, lead, site, "lead.created", &ticket.id, &ticket.created_at, new.webhook)?;
    }
    Ok(Inserted::Created(number))
}

fn insert_message(db: &Db, ticket_id: &str, message: &Message) -> Result<()> {
    db.exec(
        "INSERT INTO messages (id, ticket_id, author_kind, author_name, author_id, body, visibility, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            message.id.as_str().into(),
            ticket_id.into(),
            text(&message.author.kind)?.into(),
            message.author.name.as_deref().into(),
            message.author.agent_id.as_deref().into(),
            message.body.as_str().into(),
            text(&message.visibility)?.into(),
            message.created_at.as_str().into(),
        ],
    )?;
    Ok(())
}

/// A unit enum as its JSON string (`"public"`), for a column.
fn text<T: serde::Serialize>(value: &T) -> Result<String> {
    Ok(to_stored(value)?.trim_matches('"').to_owned())
}

/// A message with how its reply travels to a channel, if it does: `FROM {MESSAGES} WHERE …`.
const MESSAGES: &str = "messages m LEFT JOIN deliveries d ON d.message_id = m.id";
const MESSAGE_COLUMNS: &str = "m.id, m.author_kind, m.author_name, m.author_id, m.body, m.visibility, m.created_at, \
     d.channel AS delivery_channel, d.state AS delivery_state, d.detail AS delivery_detail";

#[derive(Deserialize)]
struct MessageRow {
    id: String,
    author_kind: String,
    author_name: Option<String>,
    author_id: Option<String>,
    body: String,
    visibility: String,
    created_at: String,
    delivery_channel: Option<String>,
    delivery_state: Option<String>,
    delivery_detail: Option<String>,
}

impl MessageRow {
    fn into_message(self) -> Result<Message> {
        Ok(Message {
            id: self.id,
            author: Author {
                kind: stored("author", &format!("\"{}\"", self.author_kind))?,
                name: self.author_name,
                agent_id: self.author_id,
            },
            body: self.body,
            visibility: stored("visibility", &format!("\"{}\"", self.visibility))?,
            created_at: self.created_at,
            delivery: match (self.delivery_channel, self.delivery_state.as_deref().and_then(DeliveryState::parse)) {
                (Some(channel), Some(state)) => Some(Delivery { channel, state, detail: self.delivery_detail }),
                _ => None,
            },
        })
    }
}

/// A ticket's thread, oldest first.
pub fn thread(db: &Db, ticket_id: &str) -> Result<Vec<Message>> {
    db.rows::<MessageRow>(
        &format!("SELECT {MESSAGE_COLUMNS} FROM {MESSAGES} WHERE m.ticket_id = ? ORDER BY m.created_at, m.id"),
        vec![ticket_id.into()],
    )?
    .into_iter()
    .map(MessageRow::into_message)
    .collect()
}

/// Adds `message` to the thread of `ticket_id` unless its key was used before; moves the ticket
/// to `status`; a public message is a `message.created` event (its `data` the message id), and an
/// agent's public reply on a ticket from a channel is queued to go back there. One synchronous
/// run.
pub fn add_message(
    db: &Db,
    site: &str,
    ticket_id: &str,
    message: &Message,
    key: Option<&MessageKey>,
    status: TicketStatus,
    events: &MessageEvents,
) -> Result<Added> {
    if let Some(key) = key {
        #[derive(Deserialize)]
        struct Used {
            fingerprint: String,
            message_id: String,
        }
        let expired = key.now_ms.saturating_sub(IDEMPOTENCY_TTL_MS) as i64;
        db.exec(
            "DELETE FROM message_keys WHERE key = ? AND created_at <= ?",
            vec![key.key.as_str().into(), expired.into()],
        )?;
        let used: Option<Used> =
            db.first("SELECT fingerprint, message_id FROM message_keys WHERE key = ?", vec![key.key.as_str().into()])?;
        if let Some(used) = used {
            // The key may have been used on another ticket: the message is found by its id.
            let message = db
                .first::<MessageRow>(
                    &format!("SELECT {MESSAGE_COLUMNS} FROM {MESSAGES} WHERE m.id = ?"),
                    vec![used.message_id.as_str().into()],
                )?
                .ok_or_else(|| Error::RustError("a message key without its message".into()))?
                .into_message()?;
            return Ok(Added::KeyTaken { message, fingerprint: used.fingerprint });
        }
        db.exec(
            "INSERT INTO message_keys (key, fingerprint, message_id, created_at) VALUES (?, ?, ?, ?)",
            vec![
                key.key.as_str().into(),
                key.fingerprint.as_str().into(),
                message.id.as_str().into(),
                (key.now_ms as i64).into(),
            ],
        )?;
    }
    insert_message(db, ticket_id, message)?;
    db.exec(
        "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?",
        vec![status.as_str().into(), message.created_at.as_str().into(), ticket_id.into()],
    )?;
    record_progress(db, ticket_id, status, &message.created_at, answers(message))?;
    let mut added = message.clone();
    if message.visibility == Visibility::Public {
        message_event(db, &events.event_id, site, "message.created", ticket_id, message, events.webhook)?;
        if message.author.kind == AuthorKind::Agent {
            added.delivery = super::channels::queue_reply(db, ticket_id, message)?;
            if added.delivery.is_some() {
                message_event(db, &events.reply_event_id, site, REPLY_EVENT, ticket_id, message, true)?;
            }
        }
    }
    Ok(Added::Created(added))
}

/// An outbox event about `message` (its `data` the message's id).
fn message_event(
    db: &Db,
    id: &str,
    site: &str,
    kind: &str,
    ticket_id: &str,
    message: &Message,
    send: bool,
) -> Result<()> {
    ticket_event(db, id, site, kind, ticket_id, &message.created_at, send)?;
    db.exec("UPDATE events SET data = ? WHERE id = ?", vec![message.id.as_str().into(), id.into()])?;
    Ok(())
}

/// Keeps a ticket's service facts as it moves to `status` at `at`: the first public agent reply
/// (`answered`) is its first response, and core's `solved_at` says when it counts as solved.
fn record_progress(db: &Db, ticket_id: &str, status: TicketStatus, at: &str, answered: bool) -> Result<()> {
    #[derive(Deserialize)]
    struct Facts {
        solved_at: Option<String>,
    }
    let before: Option<Facts> =
        db.first("SELECT solved_at FROM ticket_facts WHERE ticket_id = ?", vec![ticket_id.into()])?;
    let solved = solved_at(before.and_then(|f| f.solved_at).as_deref(), status, at);
    db.exec(
        "INSERT INTO ticket_facts (ticket_id, first_response_at, solved_at) VALUES (?1, CASE WHEN ?2 THEN ?3 END, ?4)
         ON CONFLICT (ticket_id) DO UPDATE SET
           first_response_at = CASE WHEN ?2 THEN coalesce(first_response_at, ?3) ELSE first_response_at END,
           solved_at = ?4",
        vec![ticket_id.into(), i64::from(answered).into(), at.into(), solved.as_deref().into()],
    )?;
    Ok(())
}

fn ticket_event(db: &Db, id: &str, site: &str, kind: &str, ticket_id: &str, at: &str, webhook: bool) -> Result<()> {
    db.exec(
        "INSERT INTO events (id, site_id, kind, ticket_id, created_at, webhook) VALUES (?, ?, ?, ?, ?, ?)",
        vec![id.into(), site.into(), kind.into(), ticket_id.into(), at.into(), webhook.then_some("pending").into()],
    )?;
    Ok(())
}

/// One ticket, if it exists.
pub fn find(db: &Db, site: &str, id: &str) -> Result<Option<TicketSummary>> {
    db.first::<TicketRow>(&format!("SELECT {COLUMNS} FROM tickets WHERE id = ?"), vec![id.into()])?
        .map(|r| r.into_summary(site))
        .transpose()
}

/// Whether the ticket of a `ticket_facts` row `f` is past a due time at `?now` (a first response
/// not given in time — core's `sla::first_response_stop`: a reply, or a solve — or a resolution):
/// the condition of the `breached` filter and view.
const BREACHED: &str = "((f.first_response_at IS NULL AND f.solved_at IS NULL AND f.first_response_due < ?now) \
     OR (f.solved_at IS NULL AND f.resolution_due < ?now))";

/// A page of the queue, newest first; `now` (ms) judges what is past due.
pub fn list(db: &Db, site: &str, filter: &QueueFilter, now: i64) -> Result<Page> {
    // `instr` on text folded by core (any script's case, `ё` as `е`): a plain substring match,
    // with no LIKE wildcards to escape.
    let rows: Vec<TicketRow> = db.rows(
        &format!(
            "SELECT {COLUMNS} FROM tickets
             WHERE spam = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR priority = ?3)
               AND (?4 IS NULL OR needs_response = ?4) AND (?5 IS NULL OR category = ?5)
               AND (?6 IS NULL OR id IN (SELECT ticket_id FROM ticket_search WHERE instr(text, ?6) > 0))
               AND (?7 IS NULL OR id < ?7)
               AND (?9 IS NULL OR json_extract(context, '$.channel') = ?9) AND (?10 IS NULL OR locale = ?10)
               AND (?11 IS NULL OR (?11 = 'none' AND assignee IS NULL) OR assignee = ?11)
               AND (?12 IS NULL OR sales_lead = ?12)
               AND (?13 = 0 OR status NOT IN ('solved', 'closed'))
               AND (?14 IS NULL OR ?14 = (id IN (SELECT f.ticket_id FROM ticket_facts f WHERE {breached})))
             ORDER BY id DESC LIMIT ?8",
            breached = BREACHED.replace("?now", "?15")
        ),
        vec![
            i64::from(filter.spam).into(),
            filter.status.map(TicketStatus::as_str).into(),
            filter.priority.map(Priority::as_str).into(),
            filter.needs_response.map(i64::from).into(),
            filter.category.as_deref().into(),
            filter.query.as_deref().into(),
            filter.cursor.as_deref().into(),
            (filter.limit as i64 + 1).into(),
            filter.channel.as_deref().into(),
            filter.locale.map(Locale::tag).into(),
            filter.assignee.as_deref().into(),
            filter.sales_lead.map(i64::from).into(),
            i64::from(filter.unsolved).into(),
            filter.breached.map(i64::from).into(),
            now.into(),
        ],
    )?;
    let more = rows.len() > filter.limit;
    let tickets = rows.into_iter().take(filter.limit).map(|r| r.into_summary(site)).collect::<Result<_>>()?;
    Ok(Page { tickets, more })
}

/// How many tickets each of the console's views holds (core's `ticket::View`, defined by the
/// same conditions), in one pass over the site's tickets.
pub fn count_views(db: &Db, me: Option<&str>, now: i64) -> Result<QueueCounts> {
    let open = "t.status NOT IN ('solved', 'closed')";
    Ok(db
        .first(
            &format!(
                "SELECT coalesce(sum(t.status = 'new'), 0) AS new,
                        coalesce(sum({open} AND t.assignee = ?1), 0) AS mine,
                        coalesce(sum({open} AND t.assignee IS NULL), 0) AS unassigned,
                        coalesce(sum({open} AND t.needs_response = 1), 0) AS needs_response,
                        coalesce(sum({open} AND coalesce({breached}, 0)), 0) AS breached,
                        coalesce(sum({open} AND t.sales_lead = 1), 0) AS sales_leads,
                        coalesce(sum(t.status = 'solved'), 0) AS solved
                 FROM tickets t LEFT JOIN ticket_facts f ON f.ticket_id = t.id
                 WHERE t.spam = 0",
                breached = BREACHED.replace("?now", "?2")
            ),
            vec![me.into(), now.into()],
        )?
        .unwrap_or_default())
}

/// Writes an agent's change (status, priority, tags, assignee) and its `ticket.updated` event,
/// whose `data` names the agent (`by`; none for the site's admin token); `due` moves the due
/// times (a new priority).
#[allow(clippy::too_many_arguments)]
pub fn update(
    db: &Db,
    site: &str,
    ticket: &TicketSummary,
    event_id: &str,
    webhook: bool,
    by: Option<&str>,
    due: Option<(i64, i64)>,
) -> Result<()> {
    if let Some((first, resolution)) = due {
        db.exec(
            "UPDATE ticket_facts SET first_response_due = ?, resolution_due = ? WHERE ticket_id = ?",
            vec![first.into(), resolution.into(), ticket.id.as_str().into()],
        )?;
    }
    db.exec(
        "UPDATE tickets SET status = ?, priority = ?, tags = ?, assignee = ?, updated_at = ? WHERE id = ?",
        vec![
            ticket.status.as_str().into(),
            ticket.priority.as_str().into(),
            to_stored(&ticket.tags)?.into(),
            ticket.assignee.as_deref().into(),
            ticket.updated_at.as_str().into(),
            ticket.id.as_str().into(),
        ],
    )?;
    record_progress(db, &ticket.id, ticket.status, &ticket.updated_at, false)?;
    ticket_event(db, event_id, site, "ticket.updated", &ticket.id, &ticket.updated_at, webhook)?;
    let by = by.map(|agent| serde_json::json!({ "by": agent }).to_string());
    db.exec("UPDATE events SET data = ? WHERE id = ?", vec![by.as_deref().into(), event_id.into()])?;
    Ok(())
}

/// Records a widget event (statistics).
pub fn record_event(db: &Db, site: &str, event: &Event) -> Result<()> {
    db.exec(
        "INSERT INTO events (id, site_id, kind, article_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        vec![
            event.id.as_str().into(),
            site.into(),
            event.kind.as_str().into(),
            event.article_id.as_deref().into(),
            event.data.as_deref().into(),
            event.at.as_str().into(),
        ],
    )?;
    Ok(())
}

pub fn mark_queued(db: &Db, event_id: &str) -> Result<()> {
    db.exec("UPDATE events SET webhook = 'queued' WHERE id = ?", vec![event_id.into()])?;
    Ok(())
}

pub fn is_delivered(db: &Db, event_id: &str) -> Result<bool> {
    #[derive(Deserialize)]
    struct Found {}
    Ok(db
        .first::<Found>("SELECT 1 AS found FROM webhook_deliveries WHERE event_id = ?", vec![event_id.into()])?
        .is_some())
}

pub fn mark_delivered(db: &Db, event_id: &str, at: &str) -> Result<()> {
    db.exec(
        "INSERT OR IGNORE INTO webhook_deliveries (event_id, delivered_at) VALUES (?, ?)",
        vec![event_id.into(), at.into()],
    )?;
    Ok(())
}
