//! Tickets as agents see them: the queue, one ticket, and changes to it.

use tabdesk_core::agents::Action;
use tabdesk_core::domain::ids::new_id;
use tabdesk_core::problem;
use tabdesk_core::ticket::QueueFilter;
use tabdesk_core::validate::validate_update;
use tabdesk_core::webhook::WebhookJob;
use tabdesk_core::wire::{TicketPage, TicketUpdate};
use worker::{Context, Env, Request, Url};

use crate::http::{json, json_tagged, param, read_json, ApiError, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::{auth, store, webhooks};

/// `GET /v1/admin/sites/{site}/tickets?status=&category=&priority=&needs_response=&q=&cursor=&limit=`:
/// newest first.
pub async fn list(req: &Request, env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let site = auth::site(req, &store::db(env)?, site_id, Action::WorkQueue).await?.site;
    let filter = QueueFilter::parse(|name| param(url, name)).map_err(problem::validation)?;
    let page = store::site::open(env, &site.id)?.tickets(&filter, now_ms() as i64).await?;
    let next_cursor = if page.more { page.tickets.last().map(|t| t.id.clone()) } else { None };
    json_tagged(req, &TicketPage { tickets: page.tickets, next_cursor })
}

/// `GET /v1/admin/sites/{site}/counts`: the size of each of the console's views.
pub async fn counts(req: &Request, env: &Env, site_id: &str) -> ApiResult {
    let principal = auth::site(req, &store::db(env)?, site_id, Action::WorkQueue).await?;
    let me = principal.agent.map(|(_, name)| name);
    json_tagged(req, &store::site::open(env, &principal.site.id)?.count_views(me, now_ms() as i64).await?)
}

/// `PATCH /v1/admin/tickets/{id}`: status, priority, tags, assignee. The change and its
/// `ticket.updated` event are one write; the webhook is queued after it commits.
pub async fn update(req: &mut Request, env: &Env, ctx: &Context, id: &str) -> ApiResult {
    let (principal, site_store, _) = auth::ticket(req, env, id).await?;
    let change: TicketUpdate = read_json(req).await?;
    let errors = validate_update(&change);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let event_id = new_id(now_ms(), random()?);
    let site = &principal.site;
    let webhook = site.config.webhook.is_some();
    let by = principal.agent.as_ref().map(|(agent, _)| agent.clone());
    let updated = site_store
        .update_ticket(id, &change, &now_iso(), &event_id, webhook, by, &site.config.sla)
        .await?
        .ok_or_else(|| ApiError::from(problem::not_found("No such ticket.")))?;
    if webhook {
        webhooks::enqueue_later(
            env,
            ctx,
            WebhookJob::new(event_id, &site.id, "ticket.updated", id, &updated.updated_at),
        );
    }
    json(200, &updated)
}
