//! Ticket intake and the agents' queue.
//!
//! Intake is exactly-once per `Idempotency-Key`: the key's record, the ticket (with the next
//! per-site number) and its event are written in one D1 batch, which is one transaction; a
//! second request with the same key either finds the record and replays the first answer, or
//! loses the race on the record's primary key, rolls back whole and then replays.

use serde::Deserialize;
use tabdesk_core::ids::{is_id, new_id, ticket_number};
use tabdesk_core::locale::Locale;
use tabdesk_core::problem;
use tabdesk_core::token::{hash_token, new_token};
use tabdesk_core::validate::validate_ticket;
use tabdesk_core::wire::{FieldError, NewTicket, PageContext, TicketCreated, TicketPage, TicketStatus, TicketSummary};
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Env, Request, Url};

use crate::http::{header, invalid_param, json, limit_param, param, read_json, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::sites::{self, Site};

/// How long the first answer to a key is replayed.
const IDEMPOTENCY_TTL_MS: u64 = 24 * 60 * 60 * 1000;
const MAX_KEY_CHARS: usize = 100;
const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 200;

fn idempotency_key(req: &Request) -> Result<String, ApiError> {
    let key = header(req, "Idempotency-Key").unwrap_or_default();
    let valid = !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(key)
    } else {
        Err(problem::bad_request(format!(
            "Send an `Idempotency-Key` header of 1-{MAX_KEY_CHARS} characters (letters, digits, '-', '_'), made once per request and kept across retries."
        ))
        .into())
    }
}

#[derive(Deserialize)]
struct KeyRecord {
    body_hash: String,
    ticket_id: String,
    access_token: String,
    number: i64,
    created_at: String,
}

impl KeyRecord {
    fn response(self, site: &str) -> TicketCreated {
        TicketCreated {
            id: self.ticket_id,
            number: ticket_number(site, self.number),
            access_token: self.access_token,
            status: TicketStatus::New,
            created_at: self.created_at,
        }
    }
}

async fn find_key(db: &D1Database, site: &str, key: &str) -> Result<Option<KeyRecord>, ApiError> {
    let since = now_ms().saturating_sub(IDEMPOTENCY_TTL_MS) as f64;
    Ok(db
        .prepare(
            "SELECT i.body_hash, i.ticket_id, i.access_token, t.number, t.created_at
             FROM idempotency i JOIN tickets t ON t.id = i.ticket_id
             WHERE i.site_id = ?1 AND i.key = ?2 AND i.created_at > ?3",
        )
        .bind(&[site.into(), key.into(), since.into()])?
        .first::<KeyRecord>(None)
        .await?)
}

/// The stored first answer for `key`, or a 422 if the key was used for another body.
fn replay(record: KeyRecord, site: &str, body_hash: &str) -> ApiResult {
    if record.body_hash != body_hash {
        return Err(problem::validation(vec![FieldError::new(
            "Idempotency-Key",
            "reused",
            "This key was already used for a different request; make a new key for a new request.",
        )])
        .into());
    }
    json(201, &record.response(site))
}

/// A text parameter, or SQL NULL.
fn nullable(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, Into::into)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::internal(e.to_string()))
}

/// The language of answers to this request: the page's, else the browser's, else the site's.
fn request_locale(req: &Request, site: &Site, ticket: &NewTicket) -> Locale {
    let browser = header(req, "Accept-Language").and_then(|h| Locale::from_accept_language(&h));
    site.pick_locale(ticket.context.locale.or(browser))
}

/// `POST /v1/sites/{site}/tickets`.
pub async fn create(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::load(&db, site_id).await?;
    let key = idempotency_key(req)?;
    let ticket: NewTicket = read_json(req).await?;
    let locale = request_locale(req, &site, &ticket);
    let errors = validate_ticket(&ticket, locale);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    // Hash the parsed body, so that a retry differing only in JSON spacing is the same request.
    let body_hash = hash_token(&to_json(&ticket)?);
    if let Some(record) = find_key(&db, &site.id, &key).await? {
        return replay(record, &site.id, &body_hash);
    }

    let id = new_id(now_ms(), random()?);
    let access_token = new_token(random()?);
    let created_at = now_iso();
    let trimmed = |s: &str| s.trim().to_owned();
    let optional = |s: &Option<String>| nullable(s.as_deref().map(str::trim).filter(|s| !s.is_empty()));
    let statements = vec![
        db.prepare(
            "INSERT INTO idempotency (site_id, key, body_hash, ticket_id, access_token, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&[
            site.id.as_str().into(),
            key.as_str().into(),
            body_hash.as_str().into(),
            id.as_str().into(),
            access_token.as_str().into(),
            (now_ms() as f64).into(),
        ])?,
        db.prepare("UPDATE sites SET next_number = next_number + 1 WHERE id = ?1").bind(&[site.id.as_str().into()])?,
        db.prepare(
            "INSERT INTO tickets (id, site_id, number, subject, message, email, name, category, fields,
                                  context, viewed_articles, locale, status, access_token_hash, created_at)
             SELECT ?1, id, next_number - 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
             FROM sites WHERE id = ?14
             RETURNING number",
        )
        .bind(&[
            id.as_str().into(),
            trimmed(&ticket.subject).into(),
            trimmed(&ticket.message).into(),
            trimmed(&ticket.email).into(),
            optional(&ticket.name),
            optional(&ticket.category),
            to_json(&ticket.fields)?.into(),
            to_json(&ticket.context)?.into(),
            to_json(&ticket.viewed_articles)?.into(),
            locale.tag().into(),
            TicketStatus::New.as_str().into(),
            hash_token(&access_token).into(),
            created_at.as_str().into(),
            site.id.as_str().into(),
        ])?,
        db.prepare(
            "INSERT INTO events (id, site_id, kind, ticket_id, created_at) VALUES (?1, ?2, 'ticket.created', ?3, ?4)",
        )
        .bind(&[
            new_id(now_ms(), random()?).into(),
            site.id.as_str().into(),
            id.as_str().into(),
            created_at.as_str().into(),
        ])?,
    ];
    let results = match db.batch(statements).await {
        Ok(results) => results,
        // Most likely a concurrent request with the same key won the race: answer as it did.
        Err(e) => {
            return match find_key(&db, &site.id, &key).await? {
                Some(record) => replay(record, &site.id, &body_hash),
                None => Err(e.into()),
            }
        }
    };
    let number = results
        .get(2)
        .and_then(|r| r.results::<NumberRow>().ok())
        .and_then(|rows| rows.first().map(|r| r.number))
        .ok_or_else(|| ApiError::internal("the ticket insert returned no number"))?;
    let record = KeyRecord { body_hash, ticket_id: id, access_token, number, created_at };
    json(201, &record.response(&site.id))
}

#[derive(Deserialize)]
struct NumberRow {
    number: i64,
}

#[derive(Deserialize)]
struct TicketRow {
    id: String,
    number: i64,
    subject: String,
    message: String,
    email: String,
    name: Option<String>,
    status: String,
    context: String,
    created_at: String,
}

impl TicketRow {
    fn into_summary(self, site: &str) -> TicketSummary {
        TicketSummary {
            number: ticket_number(site, self.number),
            id: self.id,
            subject: self.subject,
            message: self.message,
            email: self.email,
            name: self.name,
            status: TicketStatus::parse(&self.status).unwrap_or(TicketStatus::Open),
            context: serde_json::from_str::<PageContext>(&self.context).unwrap_or_default(),
            created_at: self.created_at,
        }
    }
}

/// `GET /v1/admin/sites/{site}/tickets?status=&cursor=&limit=`: newest first.
pub async fn list(req: &Request, env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let db = sites::db(env)?;
    let site = sites::authorize_admin(req, &db, site_id).await?;
    let status = match param(url, "status").filter(|s| !s.is_empty()) {
        Some(s) => Some(
            TicketStatus::parse(&s)
                .ok_or_else(|| invalid_param("status", "One of new, open, pending, solved, closed."))?,
        ),
        None => None,
    };
    let cursor = match param(url, "cursor").filter(|s| !s.is_empty()) {
        Some(c) if is_id(&c) => Some(c),
        Some(_) => return Err(invalid_param("cursor", "Use the `next_cursor` of a previous page.")),
        None => None,
    };
    let limit = limit_param(url, DEFAULT_PAGE, MAX_PAGE)?;
    let rows = db
        .prepare(
            "SELECT id, number, subject, message, email, name, status, context, created_at
             FROM tickets
             WHERE site_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR id < ?3)
             ORDER BY id DESC LIMIT ?4",
        )
        .bind(&[
            site.id.as_str().into(),
            nullable(status.map(TicketStatus::as_str)),
            nullable(cursor.as_deref()),
            ((limit + 1) as f64).into(),
        ])?
        .all()
        .await?
        .results::<TicketRow>()?;
    let more = rows.len() > limit;
    let tickets: Vec<TicketSummary> = rows.into_iter().take(limit).map(|r| r.into_summary(&site.id)).collect();
    let next_cursor = more.then(|| tickets.last().map(|t| t.id.clone())).flatten();
    json(200, &TicketPage { tickets, next_cursor })
}
