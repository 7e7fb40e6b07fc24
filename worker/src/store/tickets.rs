//! Tickets, their idempotency keys and their events.

use serde::Deserialize;
use tabdesk_core::domain::ids::ticket_number;
use tabdesk_core::domain::limits::IDEMPOTENCY_TTL_MS;
use tabdesk_core::domain::{Locale, Priority, TicketStatus};
use tabdesk_core::ticket::QueueFilter;
use tabdesk_core::wire::TicketSummary;
use worker::{query, D1Database};

use super::{from_stored, to_stored};
use crate::http::ApiError;

/// Every column a summary needs, for `SELECT {COLUMNS} FROM tickets`.
const COLUMNS: &str = "id, number, subject, message, email, name, category, fields, status, priority, topic, \
     needs_response, sales_lead, triage, tags, assignee, locale, context, viewed_articles, created_at, updated_at";

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
}

impl TicketRow {
    fn into_summary(self, site: &str) -> Result<TicketSummary, ApiError> {
        Ok(TicketSummary {
            number: ticket_number(site, self.number),
            subject: self.subject,
            message: self.message,
            email: self.email,
            name: self.name,
            category: self.category,
            fields: from_stored("fields", &self.fields)?,
            status: TicketStatus::parse(&self.status).ok_or_else(|| ApiError::internal("stored status"))?,
            priority: Priority::parse(&self.priority).ok_or_else(|| ApiError::internal("stored priority"))?,
            topic: self.topic,
            needs_response: self.needs_response != 0,
            sales_lead: self.sales_lead != 0,
            triage: from_stored("triage", &self.triage)?,
            tags: from_stored("tags", &self.tags)?,
            assignee: self.assignee,
            locale: Locale::from_tag(&self.locale).unwrap_or_default(),
            context: from_stored("context", &self.context)?,
            viewed_articles: from_stored("viewed_articles", &self.viewed_articles)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
            id: self.id,
        })
    }
}

/// What a request's `Idempotency-Key` is stored with: enough to replay the first answer (the
/// access token is derived again from the ticket id; it is never stored).
#[derive(Debug, Deserialize)]
pub struct KeyRecord {
    pub fingerprint: String,
    pub ticket_id: String,
    pub number: i64,
    pub created_at: String,
}

/// How a new ticket is written.
pub struct NewTicket<'a> {
    pub key: &'a str,
    /// [`tabdesk_core::ticket::fingerprint`] of the request.
    pub fingerprint: &'a str,
    pub access_token_hash: &'a str,
    /// A honeypot catch: kept, but out of the queue.
    pub spam: bool,
    /// Whether the site has a webhook, so the event waits to be queued.
    pub webhook: bool,
    pub event_id: &'a str,
    pub now_ms: u64,
}

/// How a ticket write ended.
pub enum Inserted {
    /// Stored, with this per-site number.
    Created(i64),
    /// Nothing was written: the key was stored before (or concurrently), or D1 failed (why).
    NotStored(String),
}

/// Stores a ticket with its key record and its `ticket.created` event, as one D1 batch (one
/// transaction). A record of the key older than [`IDEMPOTENCY_TTL_MS`] is removed first (the key
/// is free again); a live one fails the batch on the record's primary key, and the whole batch
/// rolls back.
pub async fn insert(
    db: &D1Database,
    site: &str,
    ticket: &TicketSummary,
    new: &NewTicket<'_>,
) -> Result<Inserted, ApiError> {
    let expired = new.now_ms.saturating_sub(IDEMPOTENCY_TTL_MS);
    let statements = vec![
        query!(
            db,
            "DELETE FROM idempotency WHERE site_id = ?1 AND key = ?2 AND created_at <= ?3",
            site,
            new.key,
            expired
        )?,
        query!(
            db,
            "INSERT INTO idempotency (site_id, key, body_hash, ticket_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            site,
            new.key,
            new.fingerprint,
            &ticket.id,
            new.now_ms
        )?,
        query!(db, "UPDATE sites SET next_number = next_number + 1 WHERE id = ?1", site)?,
        query!(
            db,
            "INSERT INTO tickets (id, site_id, number, subject, message, email, name, category, fields, context,
                                  viewed_articles, locale, status, priority, topic, needs_response, sales_lead,
                                  triage, access_token_hash, created_at, updated_at, spam)
             SELECT ?1, id, next_number - 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                    ?18, ?18, ?20
             FROM sites WHERE id = ?19
             RETURNING number",
            &ticket.id,
            &ticket.subject,
            &ticket.message,
            &ticket.email,
            &ticket.name,
            &ticket.category,
            to_stored(&ticket.fields)?,
            to_stored(&ticket.context)?,
            to_stored(&ticket.viewed_articles)?,
            ticket.locale.tag(),
            ticket.status.as_str(),
            ticket.priority.as_str(),
            &ticket.topic,
            i32::from(ticket.needs_response),
            i32::from(ticket.sales_lead),
            to_stored(&ticket.triage)?,
            new.access_token_hash,
            &ticket.created_at,
            site,
            i32::from(new.spam)
        )?,
        event_statement(db, new.event_id, site, "ticket.created", &ticket.id, &ticket.created_at, new.webhook)?,
    ];
    let results = match db.batch(statements).await {
        Ok(results) => results,
        Err(e) => return Ok(Inserted::NotStored(e.to_string())),
    };
    #[derive(Deserialize)]
    struct Number {
        number: i64,
    }
    results
        .get(3)
        .and_then(|r| r.results::<Number>().ok())
        .and_then(|rows| rows.first().map(|r| Inserted::Created(r.number)))
        .ok_or_else(|| ApiError::internal("the ticket insert returned no number"))
}

/// The record of `key` if it was stored in the last [`IDEMPOTENCY_TTL_MS`].
pub async fn find_key(db: &D1Database, site: &str, key: &str, now_ms: u64) -> Result<Option<KeyRecord>, ApiError> {
    let since = now_ms.saturating_sub(IDEMPOTENCY_TTL_MS);
    Ok(query!(
        db,
        "SELECT i.body_hash AS fingerprint, i.ticket_id, t.number, t.created_at
         FROM idempotency i JOIN tickets t ON t.id = i.ticket_id
         WHERE i.site_id = ?1 AND i.key = ?2 AND i.created_at > ?3",
        site,
        key,
        since
    )?
    .first::<KeyRecord>(None)
    .await?)
}

/// One ticket of `site`, if it exists.
pub async fn find(db: &D1Database, site: &str, id: &str) -> Result<Option<TicketSummary>, ApiError> {
    query!(db, &format!("SELECT {COLUMNS} FROM tickets WHERE site_id = ?1 AND id = ?2"), site, id)?
        .first::<TicketRow>(None)
        .await?
        .map(|r| r.into_summary(site))
        .transpose()
}

/// A page of the queue, newest first, and whether more follow.
pub async fn list(db: &D1Database, site: &str, filter: &QueueFilter) -> Result<(Vec<TicketSummary>, bool), ApiError> {
    // `instr` on lowercased text: a plain substring match, with no LIKE wildcards to escape.
    let rows = query!(
        db,
        &format!(
            "SELECT {COLUMNS} FROM tickets
             WHERE site_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR priority = ?3)
               AND (?4 IS NULL OR needs_response = ?4) AND (?5 IS NULL OR category = ?5)
               AND (?6 IS NULL OR instr(lower(subject || ' ' || message || ' ' || email), lower(?6)) > 0)
               AND (?7 IS NULL OR id < ?7) AND spam = ?9
             ORDER BY id DESC LIMIT ?8"
        ),
        site,
        filter.status.map(TicketStatus::as_str),
        filter.priority.map(Priority::as_str),
        filter.needs_response.map(i32::from),
        &filter.category,
        &filter.query,
        &filter.cursor,
        filter.limit + 1,
        i32::from(filter.spam)
    )?
    .all()
    .await?
    .results::<TicketRow>()?;
    let more = rows.len() > filter.limit;
    let tickets = rows.into_iter().take(filter.limit).map(|r| r.into_summary(site)).collect::<Result<_, _>>()?;
    Ok((tickets, more))
}

/// Writes an agent's change (status, priority, tags, assignee of `ticket`) and its
/// `ticket.updated` event, as one batch; `webhook`: the site has one, so the event waits to be
/// queued.
pub async fn update(
    db: &D1Database,
    site: &str,
    ticket: &TicketSummary,
    event_id: &str,
    webhook: bool,
) -> Result<(), ApiError> {
    db.batch(vec![
        query!(
            db,
            "UPDATE tickets SET status = ?1, priority = ?2, tags = ?3, assignee = ?4, updated_at = ?5
             WHERE id = ?6 AND site_id = ?7",
            ticket.status.as_str(),
            ticket.priority.as_str(),
            to_stored(&ticket.tags)?,
            &ticket.assignee,
            &ticket.updated_at,
            &ticket.id,
            site
        )?,
        event_statement(db, event_id, site, "ticket.updated", &ticket.id, &ticket.updated_at, webhook)?,
    ])
    .await?;
    Ok(())
}

fn event_statement(
    db: &D1Database,
    id: &str,
    site: &str,
    kind: &str,
    ticket_id: &str,
    at: &str,
    webhook: bool,
) -> worker::Result<worker::D1PreparedStatement> {
    query!(
        db,
        "INSERT INTO events (id, site_id, kind, ticket_id, created_at, webhook) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        id,
        site,
        kind,
        ticket_id,
        at,
        webhook.then_some("pending")
    )
}

/// Forgets idempotency keys older than [`IDEMPOTENCY_TTL_MS`]; returns how many.
pub async fn purge_expired_keys(db: &D1Database, now_ms: u64) -> Result<u64, ApiError> {
    let expired = now_ms.saturating_sub(IDEMPOTENCY_TTL_MS);
    let done = query!(db, "DELETE FROM idempotency WHERE created_at <= ?1", expired)?.run().await?;
    Ok(done.meta()?.and_then(|m| m.changes).unwrap_or(0) as u64)
}

/// A ticket event whose webhook job is still to be queued.
#[derive(Debug, Deserialize)]
pub struct PendingEvent {
    pub id: String,
    pub site_id: String,
    pub kind: String,
    pub ticket_id: String,
    pub created_at: String,
}

/// Events still waiting to be queued that were written before `before` (RFC 3339), oldest first.
pub async fn pending_webhooks(db: &D1Database, before: &str, limit: usize) -> Result<Vec<PendingEvent>, ApiError> {
    Ok(query!(
        db,
        "SELECT id, site_id, kind, ticket_id, created_at FROM events
         WHERE webhook = 'pending' AND created_at < ?1 ORDER BY created_at LIMIT ?2",
        before,
        limit
    )?
    .all()
    .await?
    .results::<PendingEvent>()?)
}

/// Marks an event's webhook job as queued.
pub async fn mark_queued(db: &D1Database, event_id: &str) -> Result<(), ApiError> {
    query!(db, "UPDATE events SET webhook = 'queued' WHERE id = ?1", event_id)?.run().await?;
    Ok(())
}
