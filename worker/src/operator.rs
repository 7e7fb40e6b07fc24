//! The operator's endpoints: sites across the deployment, with the counts each site's store
//! pushes to the directory (never a scan of every store on a request), and a store's upkeep on
//! demand.

use tabdesk_core::site::is_site_id;
use worker::{Env, Request};

use crate::cache::no_such_site;
use crate::http::{json, ApiResult};
use crate::{auth, store};

/// `GET /v1/operator/sites`: every site with its last pushed counts.
pub async fn sites(req: &Request, env: &Env) -> ApiResult {
    auth::operator(req, env)?;
    json(200, &store::sites::all_with_counts(&store::db(env)?).await?)
}

/// `POST /v1/operator/sites/{site}/upkeep`: runs the site's store upkeep now (forget expired
/// keys, queue webhook jobs still waiting, push counts), as its alarm does each minute.
pub async fn upkeep(req: &Request, env: &Env, site: &str) -> ApiResult {
    auth::operator(req, env)?;
    if !is_site_id(site) || store::sites::find(&store::db(env)?, site).await?.is_none() {
        return Err(no_such_site());
    }
    json(200, &store::site::open(env, site)?.maintain().await?)
}
