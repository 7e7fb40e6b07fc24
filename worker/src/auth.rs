//! Who may do what: a site's admin token, the operator's secret, and a ticket's site. Tokens
//! are compared as hashes; a token of another site is a 404 exactly like a site that does not
//! exist, so tokens reveal nothing.

use tabdesk_core::domain::ids::is_id;
use tabdesk_core::problem;
use tabdesk_core::site::{is_site_id, Site};
use tabdesk_core::token::{bearer, constant_time_eq, hash_token};
use tabdesk_core::wire::TicketSummary;
use worker::{D1Database, Env, Request};

use crate::cache::no_such_site;
use crate::http::{header, ApiError};
use crate::store;
use crate::store::site::SiteStore;

fn token(req: &Request) -> Result<String, ApiError> {
    let auth = header(req, "Authorization");
    bearer(auth.as_deref()).map(str::to_owned).ok_or_else(|| problem::unauthorized().into())
}

/// The site `id` if the request carries its admin token: no token is 401, anything else 404.
pub async fn admin(req: &Request, db: &D1Database, id: &str) -> Result<Site, ApiError> {
    let token = token(req)?;
    let found = if is_site_id(id) { store::sites::find_with_token(db, id, &hash_token(&token)).await? } else { None };
    found.ok_or_else(no_such_site)
}

/// Ticket `id` and its site (and store), if the request carries that site's admin token: the
/// token names the site, whose store must hold the ticket. No token is 401; anything else that
/// does not fit (unknown id, another site's token) is the same 404.
pub async fn admin_of_ticket(req: &Request, env: &Env, id: &str) -> Result<(Site, SiteStore, TicketSummary), ApiError> {
    let token = token(req)?;
    let not_found = || ApiError::from(problem::not_found("No such ticket."));
    if !is_id(id) {
        return Err(not_found());
    }
    let site = store::sites::find_by_token(&store::db(env)?, &hash_token(&token)).await?.ok_or_else(not_found)?;
    let site_store = store::site::open(env, &site.id)?;
    let ticket = site_store.ticket(id).await?.ok_or_else(not_found)?;
    Ok((site, site_store, ticket))
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
