//! The Tabdesk edge worker: routing, authentication and storage. Decisions live in
//! `tabdesk-core`; this crate only moves data between HTTP, D1 and core.

mod embed;
mod http;
mod kb;
mod platform;
mod routes;
mod sites;
mod tickets;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(routes::handle(req, &env).await)
}
