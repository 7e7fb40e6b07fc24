//! Site endpoints: the public config, the agents' config, and site creation by the operator.

use tabdesk_core::agents::Action;
use tabdesk_core::config::{validate_config, SiteConfig};
use tabdesk_core::problem;
use tabdesk_core::site::{new_site_config, validate_new_site};
use tabdesk_core::token::{hash_token, new_token};
use tabdesk_core::wire::{NewSite, SiteCreated};
use worker::{Env, Request};

use crate::http::{json, read_json, ApiResult};
use crate::platform::{now_iso, random};
use crate::{auth, cache, settings, store};

/// `GET /v1/sites/{site}/config`: the public part.
pub async fn public_config(env: &Env, id: &str) -> ApiResult {
    let site = cache::load_site(env, id).await?;
    json(200, &site.config.public(&site.id))
}

/// `GET /v1/admin/sites/{site}/config`: all of it, secrets included, for the site's agents.
pub async fn admin_config(req: &Request, env: &Env, id: &str) -> ApiResult {
    let site = auth::site(req, &store::db(env)?, id, Action::Configure).await?.site;
    json(200, &site.config)
}

/// `PUT /v1/admin/sites/{site}/config`: replaces the configuration after validating it whole.
pub async fn put_config(req: &mut Request, env: &Env, id: &str) -> ApiResult {
    let db = store::db(env)?;
    let site = auth::site(req, &db, id, Action::Configure).await?.site;
    let config: SiteConfig = read_json(req).await?;
    let errors = validate_config(&config, settings::outbound(env));
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    store::sites::put_config(&db, &site.id, &config).await?;
    cache::forget_site(&site.id);
    json(200, &config)
}

/// `POST /v1/operator/sites`: 201 with the only copy of the new site's admin token.
pub async fn create(req: &mut Request, env: &Env) -> ApiResult {
    auth::operator(req, env)?;
    let new: NewSite = read_json(req).await?;
    let errors = validate_new_site(&new);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let token = new_token(random()?);
    let created =
        store::sites::create(&store::db(env)?, &new.id, &new_site_config(&new), &hash_token(&token), &now_iso())
            .await?;
    if !created {
        return Err(problem::conflict(format!("The site `{}` already exists.", new.id)).into());
    }
    json(201, &SiteCreated { id: new.id, admin_token: token })
}
