//! A site's agents: `GET`/`POST /v1/admin/sites/{site}/agents` and
//! `DELETE /v1/admin/sites/{site}/agents/{agent}` — the site's admins only. A new agent's token
//! is shown once, in the 201; only its hash is kept.

use tabdesk_core::agents::{validate_new_agent, Action};
use tabdesk_core::domain::ids::new_id;
use tabdesk_core::problem;
use tabdesk_core::token::{hash_token, new_token};
use tabdesk_core::wire::{Agent, AgentCreated, Me, NewAgent};
use worker::{Env, Request, Response};

use crate::http::{json, read_json, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::{auth, store};

/// `GET /v1/admin/me`: the site and role of the request's token (the console's sign-in).
pub async fn me(req: &Request, env: &Env) -> ApiResult {
    let principal = auth::me(req, &store::db(env)?).await?;
    let (agent_id, name) = principal.agent.unzip();
    let site = principal.site;
    json(
        200,
        &Me {
            site_name: site.config.name.clone(),
            role: principal.role,
            agent_id,
            name,
            locales: site.config.locales.clone(),
            default_locale: site.config.default_locale,
            saved_replies: site.config.saved_replies.clone(),
            site: site.id,
        },
    )
}

pub async fn list(req: &Request, env: &Env, site: &str) -> ApiResult {
    let db = store::db(env)?;
    let principal = auth::site(req, &db, site, Action::ManageAgents).await?;
    json(200, &store::sites::agents(&db, &principal.site.id).await?)
}

pub async fn invite(req: &mut Request, env: &Env, site: &str) -> ApiResult {
    let db = store::db(env)?;
    let principal = auth::site(req, &db, site, Action::ManageAgents).await?;
    let new: NewAgent = read_json(req).await?;
    let errors = validate_new_agent(&new);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let token = new_token(random()?);
    let agent = Agent {
        id: new_id(now_ms(), random()?),
        name: new.name.trim().to_owned(),
        email: new.email.trim().to_owned(),
        role: new.role,
        created_at: now_iso(),
    };
    store::sites::add_agent(&db, &principal.site.id, &agent, &hash_token(&token)).await?;
    json(201, &AgentCreated { agent, token })
}

pub async fn revoke(req: &Request, env: &Env, site: &str, agent: &str) -> ApiResult {
    let db = store::db(env)?;
    let principal = auth::site(req, &db, site, Action::ManageAgents).await?;
    if !store::sites::revoke_agent(&db, &principal.site.id, agent, &now_iso()).await? {
        return Err(problem::not_found("No such agent.").into());
    }
    Ok(Response::empty()?.with_status(204))
}
