//! Sites: loading one, authorising its agents and the operator, the public config, creation.

use serde::Deserialize;
use tabdesk_core::locale::Locale;
use tabdesk_core::origin::{self, OriginPattern};
use tabdesk_core::problem;
use tabdesk_core::site::{is_site_id, site_locales, validate_new_site};
use tabdesk_core::token::{bearer, constant_time_eq, hash_token, new_token};
use tabdesk_core::wire::{NewSite, PublicConfig, SiteCreated};
use worker::{D1Database, Env, Request};

use crate::http::{header, json, read_json, ApiError, ApiResult};
use crate::platform::{now_iso, random};

/// A site as the handlers use it.
#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub locales: Vec<Locale>,
    pub allowed_origins: Vec<OriginPattern>,
}

impl Site {
    pub fn default_locale(&self) -> Locale {
        self.locales.first().copied().unwrap_or_default()
    }

    /// The site's language closest to what the client asked for.
    pub fn pick_locale(&self, asked: Option<Locale>) -> Locale {
        asked.filter(|l| self.locales.contains(l)).unwrap_or_else(|| self.default_locale())
    }

    pub fn public_config(&self) -> PublicConfig {
        PublicConfig {
            site: self.id.clone(),
            name: self.name.clone(),
            locales: self.locales.clone(),
            default_locale: self.default_locale(),
        }
    }
}

#[derive(Deserialize)]
struct SiteRow {
    id: String,
    name: String,
    locales: String,
    allowed_origins: String,
}

impl SiteRow {
    fn into_site(self) -> Site {
        let locales: Vec<Locale> = serde_json::from_str(&self.locales).unwrap_or_default();
        let origins: Vec<String> = serde_json::from_str(&self.allowed_origins).unwrap_or_default();
        Site {
            id: self.id,
            name: self.name,
            locales: site_locales(&locales),
            allowed_origins: origin::parse_all(&origins),
        }
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
    db.prepare("SELECT id, name, locales, allowed_origins FROM sites WHERE id = ?1")
        .bind(&[id.into()])?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .ok_or_else(no_such_site)
}

/// The site `id` if the request carries its admin token. A missing token is 401; a token of
/// another site is 404, exactly like a site that does not exist, so tokens reveal nothing.
pub async fn authorize_admin(req: &Request, db: &D1Database, id: &str) -> Result<Site, ApiError> {
    let auth = header(req, "Authorization");
    let token = bearer(auth.as_deref()).ok_or_else(|| ApiError::from(problem::unauthorized()))?;
    if !is_site_id(id) {
        return Err(no_such_site());
    }
    db.prepare("SELECT id, name, locales, allowed_origins FROM sites WHERE id = ?1 AND admin_token_hash = ?2")
        .bind(&[id.into(), hash_token(token).into()])?
        .first::<SiteRow>(None)
        .await?
        .map(SiteRow::into_site)
        .ok_or_else(no_such_site)
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

/// `GET /v1/sites/{site}/config`.
pub async fn config(env: &Env, id: &str) -> ApiResult {
    let site = load(&db(env)?, id).await?;
    json(200, &site.public_config())
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
    let locales = serde_json::to_string(&site_locales(&new.locales)).map_err(|e| ApiError::internal(e.to_string()))?;
    let origins = serde_json::to_string(&new.allowed_origins).map_err(|e| ApiError::internal(e.to_string()))?;
    let inserted = db(env)?
        .prepare(
            "INSERT INTO sites (id, name, locales, allowed_origins, admin_token_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&[
            new.id.as_str().into(),
            new.name.trim().into(),
            locales.into(),
            origins.into(),
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
