//! The URL map of the worker (DESIGN.md, "HTTP API v1"). Static files never get here: wrangler
//! serves them from the assets directory first.

use tabdesk_core::problem;
use worker::{Context, Env, Method, Request, Response};

use crate::http::{allow, finish, json, ApiResult};
use crate::{
    agents, channels, console, conversations, embed, events, intake, kb, operator, relay, sites, stats, tickets,
};

pub async fn handle(mut req: Request, env: &Env, ctx: &Context) -> Response {
    let method = req.method();
    let path = req.path();
    let result = route(&mut req, env, ctx, &method).await;
    finish(result, &method, &path)
}

async fn route(req: &mut Request, env: &Env, ctx: &Context, method: &Method) -> ApiResult {
    use Method::{Delete, Get, Head, Patch, Post, Put};
    let url = req.url()?;
    let segments: Vec<&str> = url.path_segments().map(Iterator::collect).unwrap_or_default();
    match segments.as_slice() {
        ["healthz"] => {
            allow(method, &[Get, Head])?;
            json(200, &serde_json::json!({ "status": "ok" }))
        }
        ["embed"] => {
            allow(method, &[Get, Head])?;
            embed::embed(req, env, &url).await
        }
        ["kb", site, id] => {
            allow(method, &[Get, Head])?;
            kb::article_page(req, env, ctx, site, id, &url).await
        }
        ["console"] | ["console", ""] => {
            allow(method, &[Get, Head])?;
            console::page(req)
        }
        ["v1", "sites", site, "config"] => {
            allow(method, &[Get])?;
            sites::public_config(env, site).await
        }
        ["v1", "admin", "sites", site, "config"] => {
            allow(method, &[Get, Put])?;
            if *method == Put {
                sites::put_config(req, env, site).await
            } else {
                sites::admin_config(req, env, site).await
            }
        }
        ["v1", "sites", site, "kb", "search"] => {
            allow(method, &[Get])?;
            kb::search(env, site, &url).await
        }
        ["v1", "sites", site, "kb", "suggested"] => {
            allow(method, &[Get])?;
            kb::suggested(env, site, &url).await
        }
        ["v1", "sites", site, "kb", "articles", id] => {
            allow(method, &[Get])?;
            kb::article(req, env, ctx, site, id, &url).await
        }
        ["v1", "sites", site, "kb", "articles", id, "feedback"] => {
            allow(method, &[Post])?;
            events::feedback(req, env, ctx, site, id).await
        }
        ["v1", "sites", site, "events"] => {
            allow(method, &[Post])?;
            events::widget_event(req, env, ctx, site).await
        }
        ["v1", "admin", "sites", site, "kb"] => {
            allow(method, &[Put])?;
            kb::publish(req, env, site).await
        }
        ["v1", "sites", site, "tickets"] => {
            allow(method, &[Post])?;
            intake::create(req, env, ctx, site).await
        }
        ["v1", "sites", site, "tickets", "mine"] => {
            allow(method, &[Post])?;
            conversations::mine(req, env, site).await
        }
        ["v1", "admin", "sites", site, "tickets"] => {
            allow(method, &[Get])?;
            tickets::list(req, env, site, &url).await
        }
        ["v1", "admin", "me"] => {
            allow(method, &[Get])?;
            agents::me(req, env).await
        }
        ["v1", "admin", "sites", site, "counts"] => {
            allow(method, &[Get])?;
            tickets::counts(req, env, site).await
        }
        ["v1", "admin", "sites", site, "stats"] => {
            allow(method, &[Get])?;
            stats::site_stats(req, env, site, &url).await
        }
        ["v1", "admin", "tickets", id] => {
            allow(method, &[Get, Patch])?;
            if *method == Patch {
                tickets::update(req, env, ctx, id).await
            } else {
                conversations::agent_read(req, env, id).await
            }
        }
        ["v1", "admin", "tickets", id, "messages"] => {
            allow(method, &[Post])?;
            conversations::agent_message(req, env, ctx, id).await
        }
        ["v1", "tickets", "summaries"] => {
            allow(method, &[Post])?;
            conversations::customer_summaries(req, env).await
        }
        ["v1", "tickets", id] => {
            allow(method, &[Get])?;
            conversations::customer_read(req, env, id).await
        }
        ["v1", "tickets", id, "messages"] => {
            allow(method, &[Post])?;
            conversations::customer_reply(req, env, ctx, id).await
        }
        ["v1", "relay-key"] => {
            allow(method, &[Post])?;
            relay::key(req, env).await
        }
        ["v1", "admin", "sites", site, "agents"] => {
            allow(method, &[Get, Post])?;
            if *method == Post {
                agents::invite(req, env, site).await
            } else {
                agents::list(req, env, site).await
            }
        }
        ["v1", "admin", "sites", site, "agents", agent] => {
            allow(method, &[Delete])?;
            agents::revoke(req, env, site, agent).await
        }
        ["v1", "admin", "sites", site, "channels"] => {
            allow(method, &[Get, Put])?;
            if *method == Put {
                channels::connect(req, env, site, &url).await
            } else {
                channels::connections(req, env, site, &url).await
            }
        }
        ["v1", "channels", "vk", site] => {
            allow(method, &[Post])?;
            channels::vk_callback(req, env, ctx, site).await
        }
        ["v1", "channels", "telegram", site] => {
            allow(method, &[Post])?;
            channels::telegram_webhook(req, env, ctx, site, &url).await
        }
        ["v1", "operator", "sites"] => {
            allow(method, &[Get, Post])?;
            if *method == Post {
                sites::create(req, env).await
            } else {
                operator::sites(req, env).await
            }
        }
        ["v1", "operator", "sites", site, "upkeep"] => {
            allow(method, &[Post])?;
            operator::upkeep(req, env, site).await
        }
        _ => Err(problem::not_found("No such endpoint.").into()),
    }
}
