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

/// Ticket `id` and its site, if the request carries that site's admin token: no token is 401,
/// anything else that does not fit (unknown id, another site's token) is the same 404.
pub async fn admin_of_ticket(req: &Request, db: &D1Database, id: &str) -> Result<(Site, TicketSummary), ApiError> {
    token(req)?;
    let not_found = || ApiError::from(problem::not_found("No such ticket."));
    let owner = if is_id(id) { store::sites::of_ticket(db, id).await? } else { None };
    let owner = owner.ok_or_else(not_found)?;
    let site = admin(req, db, &owner).await.map_err(|_| not_found())?;
    let ticket = store::tickets::find(db, &site.id, id).await?.ok_or_else(not_found)?;
    Ok((site, ticket))
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
