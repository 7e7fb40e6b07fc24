//! Ticket intake: `POST /v1/sites/{site}/tickets`, exactly once per `Idempotency-Key`.
//!
//! A key seen in the last 24 hours gets its first answer even when the anti-abuse checks would
//! now refuse it: a retry whose Turnstile token was spent, or that took another time to fill,
//! gets the first answer.
//! A new request's key record, ticket (with the next per-site number) and event are one write
//! in the site's store, which looks the key up in the same synchronous run (see
//! `store::object`): a concurrent repeat of the key writes nothing and gets the first answer. Honeypot catches are stored as spam, out of the queue, and answered
//! like any other request.

use tabdesk_core::arrival::first_messages;
use tabdesk_core::domain::ids::{is_idempotency_key, new_id};
use tabdesk_core::domain::limits::MAX_KEY_CHARS;
use tabdesk_core::domain::Locale;
use tabdesk_core::identity::Verified;
use tabdesk_core::problem;
use tabdesk_core::site::Site;
use tabdesk_core::sla::due_times;
use tabdesk_core::ticket::{accept, created, fingerprint, key_reused, reply_thread, validate_vouched, vouch};
use tabdesk_core::token::{access_token, hash_token};
use tabdesk_core::validate::too_fast;
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::NewTicket;
use worker::{Context, Env, Request};

use crate::abuse::{check_origin, check_turnstile, rate_limit, Limit};
use crate::http::{header, json, read_json, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::store::protocol::{Inserted, KeyRecord, NewTicket as NewRecord};
use crate::store::site::SiteStore;
use crate::{cache, settings, store, webhooks};

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

/// The first answer to a key, or a 422 if the key came with another request.
fn replay(site: &Site, record: KeyRecord, fingerprint: &str, secret: &str) -> ApiResult {
    if record.fingerprint != fingerprint {
        return Err(problem::validation(vec![key_reused()]).into());
    }
    let token = access_token(secret, &site.id, &record.ticket_id);
    json(201, &created(&site.id, record.ticket_id, record.number, token, record.created_at))
}

/// The request passes its signed identity or launch parameters (if it carries them or the site
/// requires an identity),
/// validation, the minimum fill time and (when the site uses it) Turnstile. A verified customer's
/// email and name are written into `request`; who they are is returned.
async fn admissible(
    env: &Env,
    req: &Request,
    site: &Site,
    request: &mut NewTicket,
    locale: Locale,
    now_ms: u64,
) -> Result<Option<Verified>, ApiError> {
    let now_s = (now_ms / 1000) as i64;
    let (verified, refused) = match vouch(site, request, now_s, locale) {
        Ok(verified) => (verified, None),
        Err(refused) => (None, Some(refused)),
    };
    let mut errors: Vec<_> = refused.into_iter().collect();
    errors.extend(validate_vouched(request, &site.config.form, locale, verified.is_some()));
    errors.extend(too_fast(request, site.config.abuse.min_fill_ms, locale));
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    check_turnstile(env, req, site, request.turnstile_token.as_deref()).await?;
    Ok(verified)
}

pub async fn create(req: &mut Request, env: &Env, ctx: &Context, site_id: &str) -> ApiResult {
    // The site's config as cached in the isolate (at most a few seconds old): intake is a hot path.
    let site = cache::site(env, site_id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site, Limit::Intake).await?;
    let key = idempotency_key(req)?;
    let mut request: NewTicket = read_json(req).await?;
    let secret = settings::secret(env)?;
    let print = fingerprint(&request);
    let site_store: SiteStore = store::site::open(env, &site.id)?;
    let now = now_ms();
    let accept_language = header(req, "Accept-Language");
    let locale = site.config.pick_locale(Locale::asked(request.context.locale, accept_language.as_deref()));
    let spam = !request.hp.is_empty();
    let mut verified = None;
    if !spam {
        // A retry whose anti-bot token is spent, whose signed identity expired or whose fill
        // time differs must still get its first answer: only when a check refuses is the key
        // looked up (the common, new request costs one call to the store, whose insert finds a
        // repeated key by itself).
        match admissible(env, req, &site, &mut request, locale, now).await {
            Ok(who) => verified = who,
            Err(refused) => {
                return match site_store.find_key(&key, now).await? {
                    Some(record) => replay(&site, record, &print, &secret),
                    None => Err(refused),
                };
            }
        }
    }

    let user_agent = header(req, "User-Agent");
    // A Mini App's visitor is answered in their chat with the community or the bot too.
    let thread = reply_thread(&site, &request, verified.as_ref()).filter(|_| !spam);
    let ticket =
        accept(&site.config, &request, verified, locale, user_agent.as_deref(), new_id(now, random()?), now_iso());
    let token = access_token(&secret, &site.id, &ticket.id);
    let event_id = new_id(now, random()?);
    let webhook = site.config.webhook.is_some() && !spam;
    // A honeypot catch is told nothing and is no lead. The automatic messages' ids are a
    // millisecond later than the ticket's, so the thread always starts with the request.
    let messages = if spam {
        Vec::new()
    } else {
        first_messages(&site.config, &ticket, [new_id(now + 1, random()?), new_id(now + 2, random()?)])
    };
    let lead_event_id = (ticket.sales_lead && !spam).then(|| random().map(|r| new_id(now, r))).transpose()?;
    let new = NewRecord {
        key,
        fingerprint: print.clone(),
        access_token_hash: hash_token(&token),
        spam,
        webhook,
        event_id: event_id.clone(),
        messages,
        lead_event_id: lead_event_id.clone(),
        due: due_times(now as i64, ticket.priority, &site.config.sla),
        now_ms: now,
        thread,
    };
    let number = match site_store.insert_ticket(&ticket, new).await? {
        Inserted::Created(number) => number,
        // The same key was stored concurrently: answer as it was answered.
        Inserted::KeyTaken(record) => return replay(&site, record, &print, &secret),
    };
    if webhook {
        let job = |id, kind| WebhookJob::new(id, &site.id, kind, &ticket.id, &ticket.created_at);
        webhooks::enqueue_later(env, ctx, job(event_id, "ticket.created"));
        if let Some(lead) = lead_event_id {
            webhooks::enqueue_later(env, ctx, job(lead, "lead.created"));
        }
    }
    json(201, &created(&site.id, ticket.id, number, token, ticket.created_at))
}
