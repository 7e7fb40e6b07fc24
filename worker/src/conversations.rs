//! Threads: the customer reads a request's public thread and replies with the ticket's access
//! token (`GET`/`POST /v1/tickets/{id}[/messages]`); agents read the whole thread and write
//! public replies or internal notes (`GET /v1/admin/tickets/{id}`,
//! `POST /v1/admin/tickets/{id}/messages`). Which messages a customer sees, how a message moves
//! the ticket's status and what makes two sends the same message are core's decisions.

use tabdesk_core::channel::REPLY_EVENT;
use tabdesk_core::domain::ids::{is_id, is_idempotency_key, new_id};
use tabdesk_core::domain::limits::MAX_SUMMARIES;
use tabdesk_core::domain::Locale;
use tabdesk_core::identity::verify;
use tabdesk_core::problem;
use tabdesk_core::site::{is_site_id, Site};
use tabdesk_core::sla;
use tabdesk_core::ticket::{customer_summary, customer_view, identity_refused, key_reused, message, status_after};
use tabdesk_core::token::{access_token, access_token_site, bearer, hash_token, is_access_token};
use tabdesk_core::validate::validate_message;
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::{
    Author, AuthorKind, Message, Mine, MineRequest, NewMessage, OwnTicket, Summaries, SummariesRequest, TicketDetail,
    TicketSummary,
};
use worker::{Context, Env, Request};

use crate::abuse::{check_origin, rate_limit, Limit};
use crate::http::{header, json, json_tagged, read_json, to_json, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::store::protocol::{Added, MessageEvents, MessageKey};
use crate::store::site::SiteStore;
use crate::{auth, cache, settings, store, webhooks};

fn no_such_ticket() -> ApiError {
    problem::not_found("No such ticket.").into()
}

/// The site, store and ticket (with its thread) that the request's access token opens: a
/// missing, wrong or other ticket's token is the same 404 as an unknown id.
async fn customer_ticket(
    req: &Request,
    env: &Env,
    id: &str,
) -> Result<(std::rc::Rc<Site>, SiteStore, TicketSummary, Vec<Message>), ApiError> {
    let auth = header(req, "Authorization");
    let token = bearer(auth.as_deref()).ok_or_else(no_such_ticket)?;
    let site_id = access_token_site(token).filter(|s| is_site_id(s)).ok_or_else(no_such_ticket)?;
    if !is_id(id) || !is_access_token(&settings::secret(env)?, site_id, id, token) {
        return Err(no_such_ticket());
    }
    let site = cache::site(env, site_id).await.map_err(|_| no_such_ticket())?;
    let site_store = store::site::open(env, &site.id)?;
    let (ticket, thread) = site_store.thread(id).await?.ok_or_else(no_such_ticket)?;
    Ok((site, site_store, ticket, thread))
}

/// `POST /v1/sites/{site}/tickets/mine`: the requests of the customer the site's signed token
/// names, with what opens each (access tokens are derived, never stored), so that "My requests"
/// follows a signed-in customer to every device.
pub async fn mine(req: &mut Request, env: &Env, site_id: &str) -> ApiResult {
    let site = cache::site(env, site_id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site, Limit::Events).await?;
    let asked: MineRequest = read_json(req).await?;
    let locale = site.config.pick_locale(Locale::asked(None, header(req, "Accept-Language").as_deref()));
    let now_s = (now_ms() / 1000) as i64;
    let who = verify(&asked.identity, &site.config.identity, &site.id, now_s)
        .map_err(|why| problem::validation(vec![identity_refused(why, locale)]))?;
    let secret = settings::secret(env)?;
    let found = store::site::open(env, &site.id)?.tickets_of(&who.id, MAX_SUMMARIES).await?;
    let tickets = found
        .into_iter()
        .map(|(id, number)| OwnTicket { access_token: access_token(&secret, &site.id, &id), id, number })
        .collect();
    json(200, &Mine { tickets })
}

/// `POST /v1/tickets/summaries`: the browser's requests at a glance, in one call; requests whose
/// token does not open them are left out.
pub async fn customer_summaries(req: &mut Request, env: &Env) -> ApiResult {
    let asked: SummariesRequest = read_json(req).await?;
    if asked.tickets.len() > MAX_SUMMARIES {
        return Err(problem::validation(vec![tabdesk_core::domain::FieldError::new(
            "tickets",
            "too_many",
            format!("At most {MAX_SUMMARIES} requests."),
        )])
        .into());
    }
    let secret = settings::secret(env)?;
    let mut tickets = Vec::new();
    for wanted in &asked.tickets {
        let Some(site) = access_token_site(&wanted.access_token).filter(|s| is_site_id(s)) else { continue };
        if !is_id(&wanted.id) || !is_access_token(&secret, site, &wanted.id, &wanted.access_token) {
            continue;
        }
        if let Some((ticket, thread)) = store::site::open(env, site)?.thread(&wanted.id).await? {
            tickets.push(customer_summary(&ticket, &thread));
        }
    }
    json(200, &Summaries { tickets })
}

/// `GET /v1/tickets/{id}`: the public thread, with an `ETag` (a widget refreshing an open panel
/// pays for nothing when nothing changed).
pub async fn customer_read(req: &Request, env: &Env, id: &str) -> ApiResult {
    let (site, _, ticket, thread) = customer_ticket(req, env, id).await?;
    check_origin(req, &site)?;
    json_tagged(req, &customer_view(&ticket, &thread))
}

/// The key of a message send to `ticket_id`, when the client sent one (customers must). The
/// fingerprint covers the ticket too: a key reused on another ticket is another request.
fn message_key(
    req: &Request,
    ticket_id: &str,
    new: &NewMessage,
    required: bool,
) -> Result<Option<MessageKey>, ApiError> {
    match header(req, "Idempotency-Key") {
        Some(key) if is_idempotency_key(&key) => {
            let fingerprint = hash_token(&format!("{ticket_id}\n{}", to_json(new)?));
            Ok(Some(MessageKey { key, fingerprint, now_ms: now_ms() }))
        }
        None if !required => Ok(None),
        _ => Err(problem::bad_request(
            "Send an `Idempotency-Key` header, made once per message and kept across retries.",
        )
        .into()),
    }
}

/// Stores `new` by `author` on `ticket`, once per key; 201 with the message (the first one's,
/// for a repeated key).
#[allow(clippy::too_many_arguments)]
async fn add(
    env: &Env,
    ctx: &Context,
    site: &Site,
    site_store: &SiteStore,
    ticket: &TicketSummary,
    new: &NewMessage,
    author: Author,
    key: Option<MessageKey>,
) -> ApiResult {
    let now = now_ms();
    let written = message(new, author, new_id(now, random()?), now_iso());
    let status = status_after(ticket.status, &written);
    let events = MessageEvents {
        event_id: new_id(now, random()?),
        reply_event_id: new_id(now, random()?),
        webhook: site.config.webhook.is_some(),
    };
    let fingerprint = key.as_ref().map(|k| k.fingerprint.clone());
    match site_store.add_message(&ticket.id, &written, key, status, events.clone()).await? {
        Added::Created(stored) => {
            let job = |id, kind| {
                WebhookJob::new(id, &site.id, kind, &ticket.id, &stored.created_at)
                    .with_message(Some(stored.id.clone()))
            };
            if events.webhook && stored.visibility == tabdesk_core::wire::Visibility::Public {
                webhooks::enqueue_later(env, ctx, job(events.event_id, "message.created"));
            }
            // An agent's reply on a ticket from a channel goes back there.
            if stored.delivery.is_some() {
                webhooks::enqueue_later(env, ctx, job(events.reply_event_id, REPLY_EVENT));
            }
            json(201, &stored)
        }
        Added::KeyTaken { message, fingerprint: first } if Some(&first) == fingerprint.as_ref() => json(201, &message),
        Added::KeyTaken { .. } => Err(problem::validation(vec![key_reused()]).into()),
    }
}

/// `POST /v1/tickets/{id}/messages`: the customer's reply, once per `Idempotency-Key`; a reply
/// to a solved ticket reopens it.
pub async fn customer_reply(req: &mut Request, env: &Env, ctx: &Context, id: &str) -> ApiResult {
    let (site, site_store, ticket, _) = customer_ticket(req, env, id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site, Limit::Intake).await?;
    let new: NewMessage = read_json(req).await?;
    let key = message_key(req, &ticket.id, &new, true)?;
    let accept_language = header(req, "Accept-Language");
    let locale = site.config.pick_locale(Locale::asked(Some(ticket.locale), accept_language.as_deref()));
    let errors = validate_message(&new, locale);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let author = Author { kind: AuthorKind::Customer, name: ticket.name.clone(), agent_id: None };
    add(env, ctx, &site, &site_store, &ticket, &new, author, key).await
}

/// `GET /v1/admin/tickets/{id}`: the ticket with its whole thread, internal notes included,
/// and its service level (due times and breaches, core's `sla::status`).
pub async fn agent_read(req: &Request, env: &Env, id: &str) -> ApiResult {
    let (principal, site_store, _) = auth::ticket(req, env, id).await?;
    let (ticket, messages) = site_store.thread(id).await?.ok_or_else(no_such_ticket)?;
    let sla = sla::status(&ticket, &principal.site.config.sla, now_ms() as i64);
    json_tagged(req, &TicketDetail { ticket, messages, sla })
}

/// `POST /v1/admin/tickets/{id}/messages`: a public reply (the customer sees it) or an internal
/// note (never shown to the customer, never in a webhook); an `Idempotency-Key` is optional.
pub async fn agent_message(req: &mut Request, env: &Env, ctx: &Context, id: &str) -> ApiResult {
    let (principal, site_store, ticket) = auth::ticket(req, env, id).await?;
    let new: NewMessage = read_json(req).await?;
    let key = message_key(req, &ticket.id, &new, false)?;
    let errors = validate_message(&new, Locale::En);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    add(env, ctx, &principal.site, &site_store, &ticket, &new, principal.author(), key).await
}
