//! The Tabdesk edge worker: routing, authentication and storage. Decisions live in
//! `tabdesk-core`; this crate only moves data between HTTP, storage and core. Handlers parse,
//! call core, call `store` (the only module with SQL), and answer (see ARCHITECTURE.md).

mod abuse;
mod agents;
mod auth;
mod cache;
mod channels;
mod console;
mod conversations;
mod embed;
mod events;
mod http;
mod intake;
mod kb;
mod operator;
mod outbound;
mod platform;
mod relay;
mod replies;
mod routes;
mod settings;
mod sites;
mod stats;
mod store;
mod tickets;
mod webhooks;

use tabdesk_core::webhook::WebhookJob;
use worker::{event, Context, Env, MessageBatch, Request, Response, Result};

/// The Durable Object class of wrangler.toml (`SITE_STORE`).
pub use store::object::SiteStore;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(routes::handle(req, &env, &ctx).await)
}

#[event(queue)]
async fn queue(batch: MessageBatch<WebhookJob>, env: Env, _ctx: Context) -> Result<()> {
    webhooks::consume(batch, env).await
}
