//! Ticket intake: `POST /v1/sites/{site}/tickets`, exactly once per `Idempotency-Key`.
//!
//! The key's record, the ticket (with the next per-site number) and its event are one write
//! (see `store::tickets::insert`). A repeat of the key, concurrent or not, writes nothing and
//! gets the first answer replayed.

use tabdesk_core::domain::ids::{is_idempotency_key, new_id};
use tabdesk_core::domain::limits::MAX_KEY_CHARS;
use tabdesk_core::domain::Locale;
use tabdesk_core::problem;
use tabdesk_core::ticket::{accept, created, fingerprint, key_reused};
use tabdesk_core::token::{hash_token, new_token};
use tabdesk_core::validate::{too_fast, validate_ticket};
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::{NewTicket, TicketCreated};
use worker::{Env, Request};

use crate::abuse::{check_origin, check_turnstile, rate_limit};
use crate::http::{header, json, read_json, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::store::tickets::{Inserted, NewKey};
use crate::{cache, store, webhooks};

fn idempotency_key(req: &Request) -> Result<String, ApiError> {
    match header(req, "Idempotency-Key") {
        Some(key) if is_idempotency_key(&key) => Ok(key),
        _ => Err(problem::bad_request(format!(
            "Send an `Idempotency-Key` header of 1-{MAX_KEY_CHARS} characters (letters, digits, '-', '_'), \
             made once per request and kept across retries."
        ))
        .into()),
    }
}

/// What a bot that filled the honeypot is told: a plausible answer, and nothing stored.
fn decoy(site: &str) -> Result<TicketCreated, ApiError> {
    let number = i64::from(u16::from_be_bytes(random()?));
    Ok(created(site, new_id(now_ms(), random()?), number, new_token(random()?), now_iso()))
}

pub async fn create(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    // The site's config as cached in the isolate (at most a few seconds old): intake is a hot path.
    let site = cache::site(env, site_id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site).await?;
    let key = idempotency_key(req)?;
    let request: NewTicket = read_json(req).await?;
    if !request.hp.is_empty() {
        return json(201, &decoy(&site.id)?);
    }
    let accept_language = header(req, "Accept-Language");
    let locale = site.config.pick_locale(Locale::asked(request.context.locale, accept_language.as_deref()));
    let mut errors = validate_ticket(&request, &site.config.form, locale);
    errors.extend(too_fast(&request, site.config.abuse.min_fill_ms, locale));
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    check_turnstile(env, req, &site, request.turnstile_token.as_deref()).await?;

    let now = now_ms();
    let user_agent = header(req, "User-Agent");
    let ticket = accept(&site.config, &request, locale, user_agent.as_deref(), new_id(now, random()?), now_iso());
    let event_id = new_id(now, random()?);
    let access_token = new_token(random()?);
    let new_key = NewKey {
        key: &key,
        fingerprint: &fingerprint(&request),
        access_token: &access_token,
        access_token_hash: &hash_token(&access_token),
    };
    let db = store::db(env)?;
    let number = match store::tickets::insert(&db, &site.id, &ticket, &new_key, &event_id, now).await? {
        Inserted::Created(number) => number,
        // A request with this key was stored before (or concurrently): answer as it was answered.
        Inserted::NotStored(why) => {
            let record = store::tickets::find_key(&db, &site.id, &key, now)
                .await?
                .ok_or_else(|| ApiError::internal(format!("ticket not stored: {why}")))?;
            if record.fingerprint != new_key.fingerprint {
                return Err(problem::validation(vec![key_reused()]).into());
            }
            let replayed = created(&site.id, record.ticket_id, record.number, record.access_token, record.created_at);
            return json(201, &replayed);
        }
    };
    if site.config.webhook.is_some() {
        webhooks::enqueue(env, WebhookJob::new(event_id, &site.id, "ticket.created", &ticket.id, &ticket.created_at))
            .await;
    }
    json(201, &created(&site.id, ticket.id, number, access_token, ticket.created_at))
}
