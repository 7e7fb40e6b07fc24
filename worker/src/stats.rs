//! `GET /v1/admin/sites/{site}/stats?from=&to=`: volumes, response times, breaches, backlog,
//! leads and deflection of a site over a range of days. The range is core's to read, the figures
//! are computed in the site's store (see `store::object::stats`).

use tabdesk_core::agents::Action;
use tabdesk_core::problem;
use tabdesk_core::stats::range;
use worker::{Env, Request, Url};

use crate::http::{json, param, ApiResult};
use crate::platform::now_ms;
use crate::{auth, store};

pub async fn site_stats(req: &Request, env: &Env, site_id: &str, url: &Url) -> ApiResult {
    let site = auth::site(req, &store::db(env)?, site_id, Action::WorkQueue).await?.site;
    let now = now_ms() as i64;
    let (from, to) =
        range(param(url, "from").as_deref(), param(url, "to").as_deref(), now).map_err(problem::validation)?;
    let stats = store::site::open(env, &site.id)?.stats(from, to, &site.config.sla, now).await?;
    json(200, &stats)
}
