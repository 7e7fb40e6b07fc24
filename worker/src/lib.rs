//! The Tabdesk edge worker: routing, authentication and storage. Decisions live in
//! `tabdesk-core`; this crate only moves data between HTTP, D1 and core.

mod abuse;
mod embed;
mod http;
mod intake;
mod kb;
mod platform;
mod routes;
mod sites;
mod tickets;
mod webhooks;

use tabdesk_core::webhook::WebhookJob;
use worker::{event, Context, Env, MessageBatch, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(routes::handle(req, &env).await)
}

#[event(queue)]
async fn queue(batch: MessageBatch<WebhookJob>, env: Env, _ctx: Context) -> Result<()> {
    webhooks::consume(batch, env).await
}
