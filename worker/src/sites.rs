//! Sites: loading one, authorising its agents and the operator, the public config, creation.

use std::rc::Rc;

use serde::Deserialize;
use tabdesk_core::config::{validate_config, SiteConfig};
use tabdesk_core::problem;
use tabdesk_core::site::{is_site_id, new_site_config, validate_new_site};
use tabdesk_core::token::{bearer, constant_time_eq, hash_token, new_token};
use tabdesk_core::wire::{NewSite, SiteCreated};
use worker::{D1Database, Env, Request};

use crate::http::{from_stored, header, json, read_json, to_json, ApiError, ApiResult};
use crate::platform::{now_iso, random};

/// A site as the handlers use it.
#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub config: SiteConfig,
}

impl Site {
    /// Whether `origin` (an `Origin` header) may call the site's public API: one of the site's
    /// allowed origins, or the worker's own (the widget's iframe).
    pub fn allows_origin(&self, origin: &str, own: &str) -> bool {
        origin == own || self.config.origin_patterns().iter().any(|p| p.matches(origin))
    }
}

#[derive(Deserialize)]
struct SiteRow {
    id: String,
    config: String,
}

impl SiteRow {
    fn into_site(self) -> Result<Site, ApiError> {
        let config = from_stored(&format!("config of {}", self.id), &self.config)?;
        Ok(Site { id: self.id, config })
    }
}

pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    Ok(env.d1("DB")?)
}

fn no_such_site() -> ApiError {
    problem::not_found("No such site.").into()
}

/// The site `id`, or 404. Ids that cannot exist are refused before any query.
pub async fn load(db: &D1Database, id: &str) -> Result<Site, ApiError> {
    if !is_site_id(id) {
        return Err(no_such_site());
    }
    db.prepare("SELECT id, config FROM sites WHERE id = ?1")
        .bind(&[id.into()])?
        .first::<SiteRow>(None)
        .await?
        .ok_or_else(no_such_site)?
        .into_site()
}

/// How long an isolate trusts what it read of a site (config) or its index before looking again.
pub const CACHE_MS: u64 = 5_000;

thread_local! {
    static SITES: std::cell::RefCell<std::collections::HashMap<String, (u64, Rc<Site>)>> = Default::default();
}

/// [`load`] for the hot public paths (search, articles): a site read in the last few seconds
/// is not read again, so typing in the search box does not cost a database round trip per key.
/// Shared, not copied: a site's form schema is not cloned per keystroke.
pub async fn load_cached(db: &D1Database, id: &str) -> Result<Rc<Site>, ApiError> {
    let now = crate::platform::now_ms();
    let fresh =
        SITES.with(|c| c.borrow().get(id).filter(|(at, _)| now.saturating_sub(*at) < CACHE_MS).map(|(_, s)| s.clone()));
    if let Some(site) = fresh {
        return Ok(site);
    }
    let site = Rc::new(load(db, id).await?);
    SITES.with(|c| c.borrow_mut().insert(id.to_owned(), (now, site.clone())));
    Ok(site)
}

/// The site `id` if the request carries its admin token. A missing token is 401; a token of
/// another site is 404, exactly like a site that does not exist, so tokens reveal nothing.
pub async fn authorize_admin(req: &Request, db: &D1Database, id: &str) -> Result<Site, ApiError> {
    let auth = header(req, "Authorization");
    let token = bearer(auth.as_deref()).ok_or_else(|| ApiError::from(problem::unauthorized()))?;
    if !is_site_id(id) {
        return Err(no_such_site());
    }
    db.prepare("SELECT id, config FROM sites WHERE id = ?1 AND admin_token_hash = ?2")
        .bind(&[id.into(), hash_token(token).into()])?
        .first::<SiteRow>(None)
        .await?
        .ok_or_else(no_such_site)?
        .into_site()
}

/// Passes only with the `OPERATOR_TOKEN` secret; with the secret unset, nobody passes.
fn authorize_operator(req: &Request, env: &Env) -> Result<(), ApiError> {
    let auth = header(req, "Authorization");
    let given = bearer(auth.as_deref());
    let expected = env.secret("OPERATOR_TOKEN").map(|s| s.to_string()).ok();
    match (given, expected) {
        (Some(g), Some(e)) if !e.is_empty() && constant_time_eq(g, &e) => Ok(()),
        _ => Err(problem::unauthorized().into()),
    }
}

/// `GET /v1/sites/{site}/config`: the public part.
pub async fn public_config(env: &Env, id: &str) -> ApiResult {
    let site = load(&db(env)?, id).await?;
    json(200, &site.config.public(&site.id))
}

/// `GET /v1/admin/sites/{site}/config`: all of it, secrets included, for the site's agents.
pub async fn admin_config(req: &Request, env: &Env, id: &str) -> ApiResult {
    let site = authorize_admin(req, &db(env)?, id).await?;
    json(200, &site.config)
}

/// `PUT /v1/admin/sites/{site}/config`: replaces the configuration after validating it whole.
pub async fn put_config(req: &mut Request, env: &Env, id: &str) -> ApiResult {
    let db = db(env)?;
    let site = authorize_admin(req, &db, id).await?;
    let config: SiteConfig = read_json(req).await?;
    let errors = validate_config(&config);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    db.prepare("UPDATE sites SET config = ?1 WHERE id = ?2")
        .bind(&[to_json(&config)?.into(), site.id.as_str().into()])?
        .run()
        .await?;
    json(200, &config)
}

/// `POST /v1/operator/sites`: 201 with the only copy of the new site's admin token.
pub async fn create(req: &mut Request, env: &Env) -> ApiResult {
    authorize_operator(req, env)?;
    let new: NewSite = read_json(req).await?;
    let errors = validate_new_site(&new);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let token = new_token(random()?);
    let inserted = db(env)?
        .prepare(
            "INSERT INTO sites (id, config, admin_token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&[
            new.id.as_str().into(),
            to_json(&new_site_config(&new))?.into(),
            hash_token(&token).into(),
            now_iso().into(),
        ])?
        .run()
        .await?;
    let changes = inserted.meta()?.and_then(|m| m.changes).unwrap_or(0);
    if changes == 0 {
        return Err(problem::conflict(format!("The site `{}` already exists.", new.id)).into());
    }
    json(201, &SiteCreated { id: new.id, admin_token: token })
}
