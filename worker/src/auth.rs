//! Who may do what. A site's admin token acts as an admin of that site; an agent's token as its
//! role says (core's `agents::may`). Tokens are compared as hashes; a token of another site (or a
//! revoked one) is a 404 exactly like a site that does not exist, so tokens reveal nothing; a
//! valid token whose role does not allow the action is a 403.

use tabdesk_core::agents::{may, Action};
use tabdesk_core::domain::ids::is_id;
use tabdesk_core::problem;
use tabdesk_core::site::{is_site_id, Site};
use tabdesk_core::token::{bearer, constant_time_eq, hash_token};
use tabdesk_core::wire::{Author, AuthorKind, Role, TicketSummary};
use worker::{D1Database, Env, Request};

use crate::cache::no_such_site;
use crate::http::{header, ApiError};
use crate::store;
use crate::store::site::SiteStore;

fn token(req: &Request) -> Result<String, ApiError> {
    let auth = header(req, "Authorization");
    bearer(auth.as_deref()).map(str::to_owned).ok_or_else(|| problem::unauthorized().into())
}

/// Who is acting for a site: its admin token, or one of its agents.
pub struct Principal {
    pub site: Site,
    pub role: Role,
    /// The agent, when it is not the site's admin token: (id, name).
    pub agent: Option<(String, String)>,
}

impl Principal {
    /// The author of what this principal writes.
    pub fn author(&self) -> Author {
        let (agent_id, name) = match &self.agent {
            Some((id, name)) => (Some(id.clone()), Some(name.clone())),
            None => (None, None),
        };
        Author { kind: AuthorKind::Agent, name, agent_id }
    }

    fn check(self, action: Action) -> Result<Principal, ApiError> {
        if may(self.role, action) {
            Ok(self)
        } else {
            Err(problem::forbidden("Your role may not do this; ask an admin of the site.").into())
        }
    }
}

/// The principal acting for site `id` with the request's token, allowed to do `action`: no
/// token is 401; a token that is not this site's (or revoked) is 404; a role that may not is 403.
pub async fn site(req: &Request, db: &D1Database, id: &str, action: Action) -> Result<Principal, ApiError> {
    let token = token(req)?;
    if !is_site_id(id) {
        return Err(no_such_site());
    }
    let hash = hash_token(&token);
    let principal = match store::sites::find_with_token(db, id, &hash).await? {
        Some(site) => Principal { site, role: Role::Admin, agent: None },
        None => {
            let agent = store::sites::agent_by_token(db, id, &hash).await?.ok_or_else(no_such_site)?;
            let site = store::sites::find(db, id).await?.ok_or_else(no_such_site)?;
            Principal { site, role: agent.role, agent: Some((agent.id, agent.name)) }
        }
    };
    principal.check(action)
}

/// Whoever `token` is, on whichever site: the site's admin, or one of its agents (not revoked).
async fn of_token(db: &D1Database, token: &str) -> Result<Option<Principal>, ApiError> {
    let hash = hash_token(token);
    if let Some(site) = store::sites::find_by_token(db, &hash).await? {
        return Ok(Some(Principal { site, role: Role::Admin, agent: None }));
    }
    let Some((site_id, agent)) = store::sites::agent_of_any_site(db, &hash).await? else {
        return Ok(None);
    };
    let site = store::sites::find(db, &site_id).await?;
    Ok(site.map(|site| Principal { site, role: agent.role, agent: Some((agent.id, agent.name)) }))
}

/// The principal of the request's token, whatever its site (`GET /v1/admin/me`): no token is
/// 401, an unknown or revoked one 404.
pub async fn me(req: &Request, db: &D1Database) -> Result<Principal, ApiError> {
    let token = token(req)?;
    of_token(db, &token).await?.ok_or_else(|| problem::not_found("No such token (or it was revoked).").into())
}

/// Ticket `id`, its site's store and the principal, if the request's token opens it: the token
/// names the site (an admin token or an agent's), whose store must hold the ticket. No token is
/// 401; anything else that does not fit (unknown id, another site's token) is the same 404.
pub async fn ticket(req: &Request, env: &Env, id: &str) -> Result<(Principal, SiteStore, TicketSummary), ApiError> {
    let token = token(req)?;
    let not_found = || ApiError::from(problem::not_found("No such ticket."));
    if !is_id(id) {
        return Err(not_found());
    }
    let principal = of_token(&store::db(env)?, &token).await?.ok_or_else(not_found)?.check(Action::WorkQueue)?;
    let site_store = store::site::open(env, &principal.site.id)?;
    let ticket = site_store.ticket(id).await?.ok_or_else(not_found)?;
    Ok((principal, site_store, ticket))
}

/// Passes only with the `OPERATOR_TOKEN` secret; with the secret unset, nobody passes.
pub fn operator(req: &Request, env: &Env) -> Result<(), ApiError> {
    let given = token(req)?;
    let expected = env.secret("OPERATOR_TOKEN").map(|s| s.to_string()).ok();
    match expected {
        Some(e) if !e.is_empty() && constant_time_eq(&given, &e) => Ok(()),
        _ => Err(problem::unauthorized().into()),
    }
}
