//! Tickets as agents see them: the queue, and the row mapping shared with webhooks.

use serde::Deserialize;
use tabdesk_core::ids::{is_id, new_id, ticket_number};
use tabdesk_core::locale::Locale;
use tabdesk_core::problem;
use tabdesk_core::token::bearer;
use tabdesk_core::validate::validate_update;
use tabdesk_core::wire::{Priority, TicketPage, TicketStatus, TicketSummary, TicketUpdate};
use worker::{D1Database, Env, Request, Url};

use crate::http::{
    from_stored, header, invalid_param, json, limit_param, nullable, param, read_json, to_json, ApiError, ApiResult,
};
use crate::platform::{now_iso, now_ms, random};
use crate::sites::{self, Site};
use crate::webhooks;

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 200;
const MAX_QUERY_CHARS: usize = 200;

/// Every column a summary needs, for `SELECT {COLUMNS} FROM tickets`.
pub const COLUMNS: &str = "id, number, subject, message, email, name, category, fields, status, priority, topic, \
     needs_response, sales_lead, triage, tags, assignee, locale, context, viewed_articles, created_at, updated_at";

#[derive(Deserialize)]
pub struct TicketRow {
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
    pub fn into_summary(self, site: &str) -> Result<TicketSummary, ApiError> {
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

/// One ticket of `site`, if it exists.
pub async fn find(db: &D1Database, site: &str, id: &str) -> Result<Option<TicketSummary>, ApiError> {
    let row = db
        .prepare(format!("SELECT {COLUMNS} FROM tickets WHERE site_id = ?1 AND id = ?2"))
        .bind(&[site.into(), id.into()])?
        .first::<TicketRow>(None)
        .await?;
    row.map(|r| r.into_summary(site)).transpose()
}

/// A query parameter that `parse` must accept when present.
fn enum_param<T>(url: &Url, name: &str, parse: fn(&str) -> Option<T>, hint: &str) -> Result<Option<String>, ApiError> {
    match param(url, name).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) if parse(&v).is_some() => Ok(Some(v)),
        Some(_) => Err(invalid_param(name, hint)),
    }
}

/// `GET /v1/admin/sites/{site}/tickets?status=&category=&priority=&needs_response=&q=&cursor=&limit=`:
/// newest first.
pub async fn list(req: &Request, env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::authorize_admin(req, &db, site_id).await?;
    let status = enum_param(url, "status", TicketStatus::parse, "One of new, open, pending, solved, closed.")?;
    let priority = enum_param(url, "priority", Priority::parse, "One of low, normal, high, urgent.")?;
    let needs_response = match param(url, "needs_response").as_deref() {
        None | Some("") => None,
        Some("true") => Some("1"),
        Some("false") => Some("0"),
        Some(_) => return Err(invalid_param("needs_response", "true or false.")),
    };
    let category = param(url, "category").filter(|s| !s.is_empty());
    let query = param(url, "q").filter(|s| !s.trim().is_empty());
    if query.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(invalid_param("q", "At most 200 characters."));
    }
    let cursor = match param(url, "cursor").filter(|s| !s.is_empty()) {
        Some(c) if is_id(&c) => Some(c),
        Some(_) => return Err(invalid_param("cursor", "Use the `next_cursor` of a previous page.")),
        None => None,
    };
    let limit = limit_param(url, DEFAULT_PAGE, MAX_PAGE)?;
    // `instr` on lowercased text: a plain substring match, with no LIKE wildcards to escape.
    let rows = db
        .prepare(format!(
            "SELECT {COLUMNS} FROM tickets
             WHERE site_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR priority = ?3)
               AND (?4 IS NULL OR needs_response = CAST(?4 AS INTEGER)) AND (?5 IS NULL OR category = ?5)
               AND (?6 IS NULL OR instr(lower(subject || ' ' || message || ' ' || email), lower(?6)) > 0)
               AND (?7 IS NULL OR id < ?7)
             ORDER BY id DESC LIMIT ?8"
        ))
        .bind(&[
            site.id.as_str().into(),
            nullable(status.as_deref()),
            nullable(priority.as_deref()),
            nullable(needs_response),
            nullable(category.as_deref()),
            nullable(query.as_deref().map(str::trim)),
            nullable(cursor.as_deref()),
            ((limit + 1) as f64).into(),
        ])?
        .all()
        .await?
        .results::<TicketRow>()?;
    let more = rows.len() > limit;
    let tickets = rows.into_iter().take(limit).map(|r| r.into_summary(&site.id)).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if more { tickets.last().map(|t| t.id.clone()) } else { None };
    json(200, &TicketPage { tickets, next_cursor })
}

#[derive(Deserialize)]
struct SiteOf {
    site_id: String,
}

/// Ticket `id` and its site, if the request carries that site's admin token: no token is 401,
/// anything else that does not fit (unknown id, another site's token) is the same 404.
async fn authorize_ticket(req: &Request, db: &D1Database, id: &str) -> Result<(Site, TicketSummary), ApiError> {
    if bearer(header(req, "Authorization").as_deref()).is_none() {
        return Err(problem::unauthorized().into());
    }
    let not_found = || ApiError::from(problem::not_found("No such ticket."));
    if !is_id(id) {
        return Err(not_found());
    }
    let owner = db
        .prepare("SELECT site_id FROM tickets WHERE id = ?1")
        .bind(&[id.into()])?
        .first::<SiteOf>(None)
        .await?
        .ok_or_else(not_found)?;
    let site = sites::authorize_admin(req, db, &owner.site_id).await.map_err(|_| not_found())?;
    let ticket = find(db, &site.id, id).await?.ok_or_else(not_found)?;
    Ok((site, ticket))
}

/// `GET /v1/admin/tickets/{id}`.
pub async fn detail(req: &Request, env: &Env, id: &str) -> ApiResult {
    let (_, ticket) = authorize_ticket(req, &sites::db(env)?, id).await?;
    json(200, &ticket)
}

/// `PATCH /v1/admin/tickets/{id}`: status, priority, tags, assignee. The change and its
/// `ticket.updated` event are one batch; the webhook is queued after it commits.
pub async fn update(req: &mut Request, env: &Env, id: &str) -> ApiResult {
    let db = sites::db(env)?;
    let (site, ticket) = authorize_ticket(req, &db, id).await?;
    let change: TicketUpdate = read_json(req).await?;
    let errors = validate_update(&change);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let tags: Vec<String> = change.tags.unwrap_or(ticket.tags).iter().map(|t| t.trim().to_owned()).collect();
    let assignee = change.assignee.unwrap_or(ticket.assignee);
    let now = now_iso();
    let event_id = new_id(now_ms(), random()?);
    db.batch(vec![
        db.prepare(
            "UPDATE tickets SET status = ?1, priority = ?2, tags = ?3, assignee = ?4, updated_at = ?5
             WHERE id = ?6 AND site_id = ?7",
        )
        .bind(&[
            change.status.unwrap_or(ticket.status).as_str().into(),
            change.priority.unwrap_or(ticket.priority).as_str().into(),
            to_json(&tags)?.into(),
            nullable(assignee.as_deref().map(str::trim)),
            now.as_str().into(),
            id.into(),
            site.id.as_str().into(),
        ])?,
        db.prepare(
            "INSERT INTO events (id, site_id, kind, ticket_id, created_at) VALUES (?1, ?2, 'ticket.updated', ?3, ?4)",
        )
        .bind(&[event_id.as_str().into(), site.id.as_str().into(), id.into(), now.as_str().into()])?,
    ])
    .await?;
    webhooks::enqueue(env, &site, &event_id, "ticket.updated", id, &now).await;
    let updated = find(&db, &site.id, id).await?.ok_or_else(|| ApiError::internal("updated ticket vanished"))?;
    json(200, &updated)
}
