//! Ticket intake: `POST /v1/sites/{site}/tickets`.
//!
//! Exactly once per `Idempotency-Key`: the key's record, the ticket (with the next per-site
//! number) and its event are written in one D1 batch, which is one transaction. A repeat of the
//! key, concurrent or not, fails on the record's primary key, rolls back whole, and then finds
//! the record and replays the first answer.

use serde::Deserialize;
use tabdesk_core::form::{check_category, clean_fields};
use tabdesk_core::ids::{new_id, ticket_number};
use tabdesk_core::locale::Locale;
use tabdesk_core::problem;
use tabdesk_core::token::{hash_token, new_token};
use tabdesk_core::triage::triage;
use tabdesk_core::validate::{too_fast, validate_ticket};
use tabdesk_core::wire::{FieldError, NewTicket, TicketCreated, TicketStatus};
use worker::{D1Database, Env, Request};

use crate::abuse::{check_origin, check_turnstile, rate_limit};
use crate::http::{header, json, nullable, read_json, to_json, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::sites::{self, Site};
use crate::webhooks;

/// How long the first answer to a key is replayed.
const IDEMPOTENCY_TTL_MS: u64 = 24 * 60 * 60 * 1000;
const MAX_KEY_CHARS: usize = 100;

fn idempotency_key(req: &Request) -> Result<String, ApiError> {
    let key = header(req, "Idempotency-Key").unwrap_or_default();
    let valid = !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(key)
    } else {
        Err(problem::bad_request(format!(
            "Send an `Idempotency-Key` header of 1-{MAX_KEY_CHARS} characters (letters, digits, '-', '_'), \
             made once per request and kept across retries."
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

/// The language of answers to this request: the page's, else the browser's, else the site's.
fn request_locale(req: &Request, site: &Site, ticket: &NewTicket) -> Locale {
    let browser = header(req, "Accept-Language").and_then(|h| Locale::from_accept_language(&h));
    site.config.pick_locale(ticket.context.locale.or(browser))
}

/// What a bot that filled the honeypot is told: a plausible answer, and nothing stored.
fn decoy(site: &str) -> Result<TicketCreated, ApiError> {
    Ok(TicketCreated {
        id: new_id(now_ms(), random()?),
        number: ticket_number(site, i64::from(u16::from_be_bytes(random()?))),
        access_token: new_token(random()?),
        status: TicketStatus::New,
        created_at: now_iso(),
    })
}

pub async fn create(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    let db = sites::db(env)?;
    // The site's config as cached in the isolate (at most a few seconds old): intake is a hot path.
    let site = sites::load_cached(&db, site_id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site).await?;
    let key = idempotency_key(req)?;
    let mut ticket: NewTicket = read_json(req).await?;
    if !ticket.hp.is_empty() {
        return json(201, &decoy(&site.id)?);
    }
    let locale = request_locale(req, &site, &ticket);
    let mut errors = validate_ticket(&ticket, &site.config.form, locale);
    errors.extend(too_fast(&ticket, site.config.abuse.min_fill_ms, locale));
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    check_turnstile(env, req, &site, ticket.turnstile_token.as_deref()).await?;
    if ticket.context.user_agent.is_none() {
        ticket.context.user_agent = header(req, "User-Agent").map(|ua| ua.chars().take(512).collect());
    }
    // Hash what identifies the request, so that a retry differing in JSON spacing, timing or
    // anti-bot token is the same request.
    let identity = NewTicket { fill_ms: None, turnstile_token: None, ..ticket.clone() };
    let body_hash = hash_token(&to_json(&identity)?);
    // No look-up first: a key seen before makes the batch fail on the key record's primary key
    // (and roll back whole), and the stored answer is replayed from there. New requests, the
    // common case, cost one round trip less.

    // Validation passed, so the category (if any) is one of the form's.
    let category = check_category(&site.config.form, ticket.category.as_deref(), locale).ok().flatten();
    let fields = clean_fields(category, &ticket.fields);
    let labels = triage(&ticket.subject, &ticket.message, category.map(|c| c.id.as_str()), &site.config.triage);
    let id = new_id(now_ms(), random()?);
    let event_id = new_id(now_ms(), random()?);
    let access_token = new_token(random()?);
    let created_at = now_iso();
    let name = ticket.name.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let statements =
        vec![
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
            "INSERT INTO tickets (id, site_id, number, subject, message, email, name, category, fields, context,
                                  viewed_articles, locale, status, priority, topic, needs_response, sales_lead,
                                  triage, access_token_hash, created_at, updated_at)
             SELECT ?1, id, next_number - 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18
             FROM sites WHERE id = ?19
             RETURNING number",
        )
        .bind(&[
            id.as_str().into(),
            ticket.subject.trim().into(),
            ticket.message.trim().into(),
            ticket.email.trim().into(),
            nullable(name),
            nullable(category.map(|c| c.id.as_str())),
            to_json(&fields)?.into(),
            to_json(&ticket.context)?.into(),
            to_json(&ticket.viewed_articles)?.into(),
            locale.tag().into(),
            TicketStatus::New.as_str().into(),
            labels.priority.value.as_str().into(),
            labels.topic.value.as_str().into(),
            (if labels.needs_response.value { 1.0 } else { 0.0 }).into(),
            (if labels.sales_lead { 1.0 } else { 0.0 }).into(),
            to_json(&labels)?.into(),
            hash_token(&access_token).into(),
            created_at.as_str().into(),
            site.id.as_str().into(),
        ])?,
        db.prepare(
            "INSERT INTO events (id, site_id, kind, ticket_id, created_at) VALUES (?1, ?2, 'ticket.created', ?3, ?4)",
        )
        .bind(&[event_id.as_str().into(), site.id.as_str().into(), id.as_str().into(), created_at.as_str().into()])?,
    ];
    let results = match db.batch(statements).await {
        Ok(results) => results,
        // A request with this key was stored before (or concurrently): answer as it was answered.
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
    webhooks::enqueue(env, &site, &event_id, "ticket.created", &id, &created_at).await;
    let record = KeyRecord { body_hash, ticket_id: id, access_token, number, created_at };
    json(201, &record.response(&site.id))
}

#[derive(Deserialize)]
struct NumberRow {
    number: i64,
}
